#include "testcapture.h"

#include "store/capturecopy.h"
#include "store/captureschema.h"
#include "store/savedview.h"
#include "store/sqlite.h"

#include <QCryptographicHash>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

#include <unistd.h>

using namespace eventscope;
using namespace eventscope::test;

namespace {

constexpr TimeUs kBase = 1'764'000'000LL * kMicrosPerSecond;
constexpr int kEventsPerBatch = 40;
constexpr int kLogsPerBatch = 25;

RecordBatch makeBatch(int round)
{
    RecordBatch batch;
    for (int i = 0; i < kEventsPerBatch; ++i) {
        const int n = round * kEventsPerBatch + i;
        batch.events.push_back(makeEvent(n, kBase + n * kMicrosPerSecond));
    }
    for (int i = 0; i < kLogsPerBatch; ++i) {
        const int n = round * kLogsPerBatch + i;
        batch.logs.push_back(makeLog(n, kBase + n * kMicrosPerSecond));
    }
    return batch;
}

QByteArray fileDigest(const std::string &path)
{
    QFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

std::vector<std::string> filesIn(const QString &folder)
{
    std::vector<std::string> names;
    for (const auto &entry : std::filesystem::directory_iterator(folder.toStdString()))
        names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

} // namespace

class CaptureCopyTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_next = 0;
    std::string freshPath(const char *name = "capture")
    {
        return m_dir
            .filePath(QStringLiteral("%1-%2.capture").arg(QLatin1String(name)).arg(m_next++))
            .toStdString();
    }

private Q_SLOTS:
    // The copy is the capture at one instant even though the writer commits during it: each
    // step of the copy waits for a commit, so every step straddles one.
    void copyWhileAWriterCommitsIsTheCaptureAtOneInstant()
    {
        const std::string source = freshPath("live");
        const std::string destination = freshPath("copy");
        {
            auto committer = openCommitter(source);
            for (int round = 0; round < 60; ++round) {
                std::vector<RecordBatch> batches{makeBatch(round)};
                committer->commit(batches);
            }
        }
        std::mutex mutex;
        std::condition_variable changed;
        int commits = 0;
        std::atomic<bool> stop{false};
        std::thread writer([&] {
            auto committer = openCommitter(source);
            for (int round = 60; !stop; ++round) {
                std::vector<RecordBatch> batches{makeBatch(round)};
                committer->commit(batches);
                {
                    std::lock_guard lock(mutex);
                    ++commits;
                }
                changed.notify_all();
            }
        });
        int steps = 0;
        std::int64_t lastCopied = -1;
        const auto waitForACommit = [&](const CopyProgress &progress) {
            ++steps;
            [&] {
                QVERIFY(progress.pagesCopied > lastCopied);
                QVERIFY(progress.pagesCopied <= progress.pageCount);
            }();
            lastCopied = progress.pagesCopied;
            std::unique_lock lock(mutex);
            const int seen = commits;
            changed.wait(lock, [&] { return commits > seen; });
            return true;
        };
        CopyOptions options;
        options.pagesPerStep = 2;
        auto copied = copyCapture(source, destination, options, waitForACommit);
        stop = true;
        writer.join();
        QVERIFY2(copied.ok(), copied.error().c_str());
        QVERIFY2(steps > 3, "the copy should take several steps");
        QCOMPARE(lastCopied, copied->fileBytes / 8192); // every page, the last step says so
        QVERIFY(capture::validateFile(destination).ok());
        QVERIFY(!std::filesystem::exists(destination + ".copying"));
        QVERIFY(!std::filesystem::exists(destination + "-wal")); // checkpointed into the file

        // The counts at the copy's instant are the copy's counts, whole batches only.
        const CaptureInfo atInstant = *copied;
        QVERIFY(atInstant.events >= 60 * kEventsPerBatch);
        QCOMPARE(atInstant.events % kEventsPerBatch, 0);
        QCOMPARE(atInstant.logs / kLogsPerBatch, atInstant.events / kEventsPerBatch);
        auto copy = openReader(destination);
        const CaptureInfo inCopy = valueOrFail(copy->info());
        QCOMPARE(inCopy.events, atInstant.events);
        QCOMPARE(inCopy.logs, atInstant.logs);
        QCOMPARE(inCopy.span.begin, atInstant.span.begin);
        QCOMPARE(inCopy.span.end, atInstant.span.end);
        const auto events = valueOrFail(copy->events({}));
        QCOMPARE(static_cast<std::int64_t>(events.size()), atInstant.events);
        QCOMPARE(events.back().sourceId, "evt-" + std::to_string(atInstant.events - 1));
        // The writer went on past that instant.
        QVERIFY(valueOrFail(openReader(source)->info()).events > atInstant.events);

        // A capture of its own: a new identity, where it came from.
        QVERIFY(inCopy.meta.count("capture_id"));
        const CaptureInfo sourceInfo = valueOrFail(openReader(source)->info());
        QVERIFY(captureIdentity(inCopy) != captureIdentity(sourceInfo));
        QCOMPARE(inCopy.meta.at("copied_from"), std::filesystem::absolute(source).string());
    }

    void cancellingLeavesNothingAndKeepsAnExistingFile()
    {
        const std::string source = freshPath("source");
        {
            auto committer = openCommitter(source);
            for (int round = 0; round < 40; ++round) {
                std::vector<RecordBatch> batches{makeBatch(round)};
                committer->commit(batches);
            }
        }
        const QString folder = m_dir.filePath(QStringLiteral("cancel"));
        QVERIFY(QDir().mkpath(folder));
        const std::string destination = (folder + QStringLiteral("/copy.capture")).toStdString();
        {
            QFile existing(QString::fromStdString(destination));
            QVERIFY(existing.open(QIODevice::WriteOnly));
            existing.write("an earlier file of this name");
        }
        const auto before = filesIn(folder);
        int steps = 0;
        CopyOptions options;
        options.pagesPerStep = 4;
        auto copied = copyCapture(source, destination, options,
                                  [&](const CopyProgress &) { return ++steps < 3; });
        QVERIFY(!copied.ok());
        QVERIFY2(copied.error().find("cancelled") != std::string::npos, copied.error().c_str());
        QCOMPARE(steps, 3);
        QCOMPARE(filesIn(folder), before);
        QFile existing(QString::fromStdString(destination));
        QVERIFY(existing.open(QIODevice::ReadOnly));
        QCOMPARE(existing.readAll(), QByteArray("an earlier file of this name"));

        // Not cancelled, it replaces that file.
        auto replaced = copyCapture(source, destination);
        QVERIFY2(replaced.ok(), replaced.error().c_str());
        QCOMPARE(valueOrFail(openReader(destination)->info()).events, 40 * kEventsPerBatch);
    }

    void refusesWhatWouldDamageAFile()
    {
        const std::string source = freshPath("source");
        {
            auto committer = openCommitter(source);
            std::vector<RecordBatch> batches{makeBatch(0)};
            committer->commit(batches);
        }
        const QByteArray digest = fileDigest(source);
        auto onto = copyCapture(source, source);
        QVERIFY(!onto.ok());
        QVERIFY2(onto.error().find("is the capture being copied") != std::string::npos,
                 onto.error().c_str());
        QCOMPARE(fileDigest(source), digest);

        auto nowhere = copyCapture(
            source, m_dir.filePath(QStringLiteral("no/such/x.capture")).toStdString());
        QVERIFY(!nowhere.ok());
        QVERIFY2(nowhere.error().find("does not exist") != std::string::npos,
                 nowhere.error().c_str());

        auto notACapture = copyCapture(
            m_dir.filePath(QStringLiteral("missing.capture")).toStdString(), freshPath("copy"));
        QVERIFY(!notACapture.ok());
        QVERIFY2(notACapture.error().find("no such file") != std::string::npos,
                 notACapture.error().c_str());

        // A live capture's write-ahead log beside the destination: replacing the file under it
        // would let SQLite replay that log onto the copy.
        const std::string busy = freshPath("busy");
        {
            auto committer = openCommitter(busy);
            std::vector<RecordBatch> batches{makeBatch(1)};
            committer->commit(batches);
            auto refused = copyCapture(source, busy);
            QVERIFY(!refused.ok());
            QVERIFY2(refused.error().find("in use") != std::string::npos, refused.error().c_str());
        }
    }

    void viewsAreSavedReplacedAndCopied()
    {
        const std::string path = freshPath("views");
        {
            auto committer = openCommitter(path);
            std::vector<RecordBatch> batches{makeBatch(0)};
            committer->commit(batches);
        }
        QVERIFY(!valueOrFail(openReader(path)->savedView()).has_value()); // no table yet

        SavedView view;
        view.savedAt = kBase;
        view.savedBy = capture::createdByString();
        view.notes = "Node loss at 06:14; <b>not</b> the deploy.\nSecond line ü";
        view.state = R"({"range":[1,2]})";
        QVERIFY(saveView(path, view).ok());
        auto read = valueOrFail(openReader(path)->savedView());
        QVERIFY(read.has_value());
        QCOMPARE(read->notes, view.notes);
        QCOMPARE(read->state, view.state);
        QCOMPARE(read->savedAt, view.savedAt);

        view.notes = "replaced";
        view.savedAt = kBase + 1;
        QVERIFY(saveView(path, view).ok());
        read = valueOrFail(openReader(path)->savedView());
        QCOMPARE(read->notes, std::string("replaced"));
        QVERIFY(!valueOrFail(openReader(path)->savedView("other")).has_value());

        // Save Capture As carries a view of its own into the copy, not into the source.
        const std::string copyPath = freshPath("copy");
        CopyOptions options;
        options.view = view;
        options.view->notes = "in the copy";
        QVERIFY(copyCapture(path, copyPath, options).ok());
        QCOMPARE(valueOrFail(openReader(copyPath)->savedView())->notes, std::string("in the copy"));
        QCOMPARE(valueOrFail(openReader(path)->savedView())->notes, std::string("replaced"));
    }

    void identityFollowsTheFileNotItsName()
    {
        const std::string path = freshPath("identity");
        openCommitter(path).reset();
        const CaptureInfo info = valueOrFail(openReader(path)->info());
        QCOMPARE(info.meta.at("capture_id").size(), std::size_t(32));
        const std::string renamed = freshPath("renamed");
        std::filesystem::rename(path, renamed);
        QCOMPARE(captureIdentity(valueOrFail(openReader(renamed)->info())), captureIdentity(info));

        // Captures made before capture_id: a digest of how they were created, stable.
        {
            sqlite::Connection raw(renamed, sqlite::Connection::Mode::ReadWrite);
            raw.execute("DELETE FROM meta WHERE key = 'capture_id'");
        }
        const std::string older = captureIdentity(valueOrFail(openReader(renamed)->info()));
        QVERIFY(older.rfind("created-", 0) == 0);
        QCOMPARE(captureIdentity(valueOrFail(openReader(renamed)->info())), older);
        QVERIFY(older != captureIdentity(info));
    }

    void aReadOnlyCaptureRefusesTheViewAndSaysWhatToDo()
    {
        if (::geteuid() == 0)
            QSKIP("running as root: file permissions do not stop a write");
        const std::string path = freshPath("readonly");
        openCommitter(path).reset();
        QVERIFY(QFile::setPermissions(QString::fromStdString(path),
                                      QFileDevice::ReadOwner | QFileDevice::ReadGroup));
        const QByteArray digest = fileDigest(path);
        Status saved = saveView(path, SavedView{});
        QVERIFY(!saved.ok());
        QVERIFY2(saved.error().find("Save Capture As") != std::string::npos, saved.error().c_str());
        QCOMPARE(fileDigest(path), digest);
    }
};

QTEST_GUILESS_MAIN(CaptureCopyTest)
#include "tst_capturecopy.moc"
