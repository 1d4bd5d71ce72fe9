#include "store/capturereader.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <random>
#include <set>

using namespace eventscope;

namespace {

constexpr int kBatchSize = 500;
constexpr int kTotal = 300'000;

struct CaptureState
{
    std::int64_t next = 0;
    std::int64_t events = 0;
    std::int64_t samples = 0;
    std::int64_t logs = 0;
};

// Checks the capture holds exactly the messages [0, next): every one once, all three record
// kinds of each, and nothing past the stored offset. Returns the state or fails the test.
CaptureState verifyCapture(const std::string &path)
{
    CaptureState state;
    auto reader = CaptureReader::open(path);
    if (!reader)
        qFatal("capture does not open after a kill: %s", reader.error().c_str());
    auto offsets = (*reader)->offsets();
    if (!offsets)
        qFatal("%s", offsets.error().c_str());
    for (const PartitionOffset &offset : *offsets)
        if (offset.topic == "crash")
            state.next = offset.nextOffset;

    auto events = (*reader)->events({});
    if (!events)
        qFatal("%s", events.error().c_str());
    std::set<std::int64_t> seen;
    for (const Event &event : *events) {
        if (!seen.insert(event.origin.offset).second)
            qFatal("offset %lld stored twice", static_cast<long long>(event.origin.offset));
        if (event.origin.offset >= state.next)
            qFatal("offset %lld stored beyond the committed offset %lld",
                   static_cast<long long>(event.origin.offset), static_cast<long long>(state.next));
    }
    state.events = static_cast<std::int64_t>(events->size());
    auto series = (*reader)->series();
    for (const SeriesInfo &info : *series)
        state.samples += info.sampleCount;
    auto logs = (*reader)->logs({});
    state.logs = static_cast<std::int64_t>(logs->size());
    return state;
}

} // namespace

class TestCrashSafety : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void killedWriterLosesAndDuplicatesNothing()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("crash.capture"));
        std::mt19937 rng(20261125);
        int kills = 0, finishedEarly = 0;
        std::int64_t previous = 0;
        for (int round = 0; round < 24; ++round) {
            QProcess child;
            child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
            child.start(QStringLiteral(CRASH_WRITER),
                        {path, QString::number(kBatchSize), QString::number(kTotal)});
            QVERIFY(child.waitForStarted());
            const int delay = 20 + static_cast<int>(rng() % 200);
            if (child.waitForFinished(delay)) {
                ++finishedEarly; // finished before the kill: fine, the capture is complete
                QCOMPARE(child.exitCode(), 0);
            } else {
                ::kill(static_cast<pid_t>(child.processId()), SIGKILL);
                QVERIFY(child.waitForFinished(5000));
                ++kills;
            }
            const CaptureState state = verifyCapture(path.toStdString());
            QCOMPARE(state.events, state.next); // no gaps: [0, next) all present
            QCOMPARE(state.samples, state.next);
            QCOMPARE(state.logs, state.next);
            QVERIFY(state.next >= previous); // never goes back
            previous = state.next;
            if (state.next == kTotal)
                break;
        }
        qInfo("%d kills, %d runs finished before their kill, %lld of %d messages stored by then",
              kills, finishedEarly, static_cast<long long>(previous), kTotal);
        QVERIFY2(kills >= 20, "the writer must be killed at least 20 times");

        QProcess last;
        last.start(QStringLiteral(CRASH_WRITER),
                   {path, QString::number(kBatchSize), QString::number(kTotal)});
        QVERIFY(last.waitForFinished(120'000));
        QCOMPARE(last.exitCode(), 0);
        const CaptureState final = verifyCapture(path.toStdString());
        QCOMPARE(final.next, kTotal);
        QCOMPARE(final.events, kTotal);
        QCOMPARE(final.samples, kTotal);
        QCOMPARE(final.logs, kTotal);
    }
};

QTEST_GUILESS_MAIN(TestCrashSafety)
#include "tst_crashsafety.moc"
