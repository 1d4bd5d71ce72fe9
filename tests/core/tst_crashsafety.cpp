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
constexpr int kKills = 24;
constexpr std::int64_t kEndless = 1'000'000'000; // kill rounds never reach it

struct CaptureState
{
    std::int64_t next = 0;
    std::int64_t events = 0;
    std::int64_t distinctEvents = 0;
    std::int64_t firstEvent = -1;
    std::int64_t lastEvent = -1;
    std::int64_t samples = 0;
    std::int64_t logs = 0;
};

// Reads what the capture holds after a kill. It must open through the normal reader (the file is
// a valid capture), then aggregates say whether every message [0, next) is there exactly once.
CaptureState readState(const std::string &path)
{
    auto reader = CaptureReader::open(path);
    if (!reader)
        qFatal("capture does not open after a kill: %s", reader.error().c_str());
    auto info = (*reader)->info();
    if (!info)
        qFatal("%s", info.error().c_str());
    CaptureState state;
    const auto offsets = (*reader)->offsets();
    if (!offsets)
        qFatal("%s", offsets.error().c_str());
    for (const PartitionOffset &offset : *offsets)
        if (offset.topic == "crash")
            state.next = offset.nextOffset;
    state.samples = info->samples;
    state.logs = info->logs;
    const auto events = (*reader)->events({});
    if (!events)
        qFatal("%s", events.error().c_str());
    std::set<std::int64_t> offsetsSeen;
    for (const Event &event : *events)
        offsetsSeen.insert(event.origin.offset);
    state.events = static_cast<std::int64_t>(events->size());
    state.distinctEvents = static_cast<std::int64_t>(offsetsSeen.size());
    state.firstEvent = offsetsSeen.empty() ? -1 : *offsetsSeen.begin();
    state.lastEvent = offsetsSeen.empty() ? -1 : *offsetsSeen.rbegin();
    return state;
}

void verifyExactlyOnce(const CaptureState &state)
{
    QCOMPARE(state.distinctEvents, state.events); // nothing twice
    QCOMPARE(state.events, state.next); // nothing missing before the stored offset
    if (state.next > 0) {
        QCOMPARE(state.firstEvent, std::int64_t(0));
        QCOMPARE(state.lastEvent, state.next - 1); // nothing beyond it
    }
    QCOMPARE(state.samples, state.next); // samples and logs of the same messages, no more
    QCOMPARE(state.logs, state.next);
}

// Runs the writer to `total`, or kills it `killAfterMs` after it started (or, with
// `afterACommit`, after its first commit: however slow the machine, that kill lands on a capture
// that holds data).
bool runWriter(const QString &path, std::int64_t total, int killAfterMs, bool afterACommit = false)
{
    QProcess child;
    child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    child.start(QStringLiteral(CRASH_WRITER),
                {path, QString::number(kBatchSize), QString::number(total)});
    if (!child.waitForStarted())
        qFatal("cannot start %s", CRASH_WRITER);
    if (killAfterMs < 0) {
        child.waitForFinished(300'000);
        return child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0;
    }
    if (afterACommit) {
        while (!child.canReadLine()) {
            if (!child.waitForReadyRead(60'000))
                qFatal("crash_writer committed nothing within a minute");
        }
    }
    if (child.waitForFinished(killAfterMs))
        qFatal("crash_writer ended before its kill: exit %d", child.exitCode());
    ::kill(static_cast<pid_t>(child.processId()), SIGKILL);
    child.waitForFinished(10'000);
    return true;
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
        std::int64_t previous = 0;
        for (int round = 0; round < kKills; ++round) {
            // Kills land anywhere: before the first commit, inside commits and compactions;
            // every fourth soon after a commit of that run, whatever the machine's speed.
            const bool afterACommit = round % 4 == 3;
            const int delay = static_cast<int>(rng() % 150);
            runWriter(path, kEndless, afterACommit ? delay / 3 : 15 + delay, afterACommit);
            if (!QFile::exists(path))
                continue; // killed before it created the file
            const CaptureState state = readState(path.toStdString());
            verifyExactlyOnce(state);
            QVERIFY(state.next >= previous); // never goes back
            previous = state.next;
        }
        qInfo("%d kills; %lld messages stored by then", kKills, static_cast<long long>(previous));
        QVERIFY2(previous > 0, "no kill landed after a commit");

        // Resume to a fixed end: everything exactly once.
        const std::int64_t total = previous + 20'000;
        QVERIFY(runWriter(path, total, -1));
        const CaptureState final = readState(path.toStdString());
        verifyExactlyOnce(final);
        QCOMPARE(final.next, total);
    }
};

QTEST_GUILESS_MAIN(TestCrashSafety)
#include "tst_crashsafety.moc"
