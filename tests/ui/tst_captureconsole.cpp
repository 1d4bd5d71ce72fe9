// The console's work on capture files, on the offscreen platform: reviewing a capture leaves
// its bytes alone (also one of an older schema); File > Save View carries the charts, filters,
// selection and notes inside the capture to a colleague; Save Capture As during live ingest;
// import and export with progress and cancel; capture properties; notes in incident reports.
#include "alertdeliveriesdialog.h"
#include "capturetasks.h"
#include "consoletestdata.h"
#include "deadletterspanel.h"
#include "mainwindow.h"
#include "models/deadlettermodel.h"
#include "models/eventtablemodel.h"
#include "models/seriestreemodel.h"
#include "timeline/metricchart.h"
#include "timeline/timelineview.h"
#include "timeline/viewstate.h"

#include "store/alertoutbox.h"
#include "store/batchcommitter.h"
#include "store/capturereader.h"
#include "store/sqlite.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <thread>
#include <unistd.h>

using namespace eventscope;
using namespace eventscope::ui;
using namespace eventscope::testing;

namespace {

QByteArray fileHash(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(&file);
    return hash.result().toHex();
}

CaptureInfo infoOf(const std::string &path)
{
    auto reader = CaptureReader::open(path);
    if (!reader)
        qFatal("%s", reader.error().c_str());
    auto info = (*reader)->info();
    if (!info)
        qFatal("%s", info.error().c_str());
    return *info;
}

// Waits for the window's capture task to end; its error (empty on success) and summary.
struct TaskEnd
{
    bool ended = false;
    QString summary;
    QString error;
};
TaskEnd waitForTask(MainWindow &window)
{
    QSignalSpy spy(&window, &MainWindow::taskFinished);
    if (!spy.wait(60'000))
        return {};
    return {true, spy.at(0).at(1).toString(), spy.at(0).at(2).toString()};
}

QString eventLine(int i)
{
    return QStringLiteral(R"({"id":"imported-%1","time":%2,"type":"deploy.finished",)"
                          R"("service":"checkout","message":"import %1"})")
        .arg(i)
        .arg(kBase + 100 * kMicrosPerSecond + static_cast<TimeUs>(i) * 1000);
}

} // namespace

class TestCaptureConsole : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_captures = 0;

    std::string makeCapture(int events = 40)
    {
        const std::string path
            = m_dir.filePath(QStringLiteral("c%1.capture").arg(++m_captures)).toStdString();
        auto committer = BatchCommitter::open(path, "capture console test");
        if (!committer)
            qFatal("%s", committer.error().c_str());
        std::vector<RecordBatch> batches;
        batches.push_back(makeBatch(0, kSamples, 0, events));
        (*committer)->commit(batches);
        return path;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QStandardPaths::setTestModeEnabled(true); // settings go to a test location
        QSettings().clear();
        std::signal(SIGPIPE, SIG_IGN); // the import test's writer sees EPIPE instead
    }

    // Review only: open, zoom, select, filter, close. The file keeps its bytes and no file is
    // left beside it, for a capture of this version and for one of schema version 1.
    void reviewingACaptureLeavesItsBytesAlone_data()
    {
        QTest::addColumn<bool>("olderSchema");
        QTest::newRow("current schema") << false;
        QTest::newRow("schema version 1") << true;
    }

    void reviewingACaptureLeavesItsBytesAlone()
    {
        QFETCH(bool, olderSchema);
        const std::string path = makeCapture();
        if (olderSchema) {
            // As EventScope wrote it before event_history and capture ids.
            sqlite::Connection raw(path, sqlite::Connection::Mode::ReadWrite);
            raw.execute("DROP TRIGGER event_history_on_delete; DROP TABLE event_history; "
                        "DELETE FROM meta WHERE key = 'capture_id'; PRAGMA user_version=1");
        }
        const QString file = QString::fromStdString(path);
        const QByteArray before = fileHash(file);
        const QStringList folderBefore = QDir(m_dir.path()).entryList(QDir::Files);
        {
            MainWindow window;
            window.resize(1200, 800);
            QVERIFY(window.openCapture(path).ok());
            window.show();
            QVERIFY(waitSettled(window));
            if (olderSchema)
                QVERIFY(window.capturePropertiesHtml().contains(QStringLiteral("<td>1</td>")));
            window.viewState().setVisibleRange(
                {kBase + 1000 * kMicrosPerSecond, kBase + 5000 * kMicrosPerSecond});
            window.eventTable().selectRow(3);
            window.findChild<QLineEdit *>(QStringLiteral("EventFilter"))
                ->setText(QStringLiteral("crash"));
            window.notesEdit().setPlainText(QStringLiteral("not saved: a review only"));
            QVERIFY(waitSettled(window));
            window.close();
        }
        QCOMPARE(fileHash(file), before);
        QCOMPARE(QDir(m_dir.path()).entryList(QDir::Files), folderBefore);
    }

    // File > Save View writes the view into the capture: opened with no settings (a
    // colleague), it shows the same range, lanes, charts, filter, selection and notes.
    void savedViewTravelsWithTheCapture()
    {
        const std::string path = makeCapture();
        ConsoleView saved;
        const QString notes = QStringLiteral("Checkout crashed after the scale-out.\n\nRuled out: "
                                             "the <b>database</b> & DNS.");
        {
            MainWindow window;
            window.resize(1400, 900);
            QVERIFY(window.openCapture(path).ok());
            window.show();
            QVERIFY(waitSettled(window));
            window.viewState().setVisibleRange(
                {kBase + 2000 * kMicrosPerSecond, kBase + 9000 * kMicrosPerSecond});
            window.timeline().setLaneMode(LaneMode::Service);
            while (window.timeline().chartCount() > 0)
                window.timeline().removeChart(0);
            window.timeline().addChart(window.seriesModel().series(),
                                       1u << static_cast<int>(EventCategory::Failure));
            window.findChild<QLineEdit *>(QStringLiteral("EventFilter"))
                ->setText(QStringLiteral("event 1"));
            window.eventTable().selectRow(2);
            window.notesEdit().setPlainText(notes);
            QVERIFY(waitSettled(window));
            saved = window.currentView();
            QVERIFY(!saved.selectedEventId.isEmpty());
            QCOMPARE(saved.charts.size(), std::size_t(1));
            QCOMPARE(saved.charts[0].seriesKeys.size(), 2);
            const Status status = window.saveViewIntoCapture();
            QVERIFY2(status.ok(), status.ok() ? "" : status.error().c_str());
            window.close();
        }
        auto reader = CaptureReader::open(path);
        QVERIFY(reader);
        const auto stored = (*reader)->savedView();
        QVERIFY(stored && *stored);
        QCOMPARE(QString::fromStdString((*stored)->notes), notes);
        reader->reset();

        QSettings().clear(); // a colleague's machine
        {
            MainWindow colleague;
            colleague.resize(1400, 900);
            QVERIFY(colleague.openCapture(path).ok());
            colleague.show();
            QVERIFY(waitSettled(colleague));
            QCOMPARE(colleague.currentView(), saved);
            QCOMPARE(colleague.notesEdit().toPlainText(), notes);
            QCOMPARE(colleague.timeline().laneMode(), LaneMode::Service);
            QCOMPARE(colleague.findChild<QLineEdit *>(QStringLiteral("EventFilter"))->text(),
                     QStringLiteral("event 1"));
            QCOMPARE(QString::fromStdString(colleague.viewState().selectedEvent()->sourceId),
                     saved.selectedEventId);
            colleague.findChild<QDockWidget *>(QStringLiteral("NotesDock"))->raise();
            QVERIFY(waitSettled(colleague));
            for (const Theme::Kind kind : {Theme::Kind::Dark, Theme::Kind::Light}) {
                colleague.setTheme(kind);
                QVERIFY(waitSettled(colleague));
                const QImage shot = colleague.grab().toImage();
                QVERIFY(hasContent(shot));
                QVERIFY(shot.save(
                    screenshotFolder()
                    + QStringLiteral("/saved-view-notes-%1.png").arg(Theme::kindName(kind))));
            }
            // The colleague moves on; closing keeps that in their settings, not the capture.
            colleague.viewState().setVisibleRange(
                {kBase + 100 * kMicrosPerSecond, kBase + 900 * kMicrosPerSecond});
            colleague.close();
        }
        {
            // The settings' view is newer than the one in the capture: it wins.
            MainWindow again;
            QVERIFY(again.openCapture(path).ok());
            QVERIFY(waitSettled(again));
            QCOMPARE(again.viewState().visibleRange(),
                     TimeRange(kBase + 100 * kMicrosPerSecond, kBase + 900 * kMicrosPerSecond));
            QCOMPARE(again.notesEdit().toPlainText(), notes);
        }
    }

    // Save Capture As while a writer commits batches: the copy opens with whole batches only,
    // its counts those of one instant, and carries the view.
    void saveCaptureAsDuringLiveIngest()
    {
        const std::string path
            = m_dir.filePath(QStringLiteral("live-source.capture")).toStdString();
        constexpr int kSecondsPerBatch = 60;
        auto committer = BatchCommitter::open(path, "capture console live test");
        QVERIFY(committer);
        {
            std::vector<RecordBatch> batches;
            batches.push_back(makeBatch(0, kSecondsPerBatch, 0, 1));
            (*committer)->commit(batches);
        }
        MainWindow window;
        window.resize(1200, 800);
        QVERIFY(window.openCapture(path, true).ok());
        window.show();
        QVERIFY(waitSettled(window));

        std::atomic<bool> stop{false};
        std::atomic<int> committed{1};
        std::thread writer([&] {
            for (int batch = 1; !stop.load(); ++batch) {
                std::vector<RecordBatch> batches;
                batches.push_back(makeBatch(batch * kSecondsPerBatch, kSecondsPerBatch, batch, 1));
                (*committer)->commit(batches);
                committed.store(batch + 1);
            }
        });
        QVERIFY(QTest::qWaitFor([&] { return committed.load() > 20; }, 30'000));
        window.captureCommitted();
        const QString copy = m_dir.filePath(QStringLiteral("live-copy.capture"));
        const Status started = window.saveCaptureCopy(copy);
        QVERIFY2(started.ok(), started.ok() ? "" : started.error().c_str());
        const TaskEnd end = waitForTask(window);
        stop.store(true);
        writer.join();
        QVERIFY(end.ended);
        QVERIFY2(end.error.isEmpty(), qPrintable(end.error));

        const CaptureInfo copied = infoOf(copy.toStdString());
        QVERIFY(copied.events >= 1);
        QCOMPARE(copied.samples, copied.events * 2 * kSecondsPerBatch); // whole batches only
        QVERIFY2(end.summary.contains(QStringLiteral("%1 events").arg(copied.events)),
                 qPrintable(end.summary));
        QVERIFY(copied.meta.count("copied_from"));
        QVERIFY(infoOf(path).events >= copied.events);

        // The copy opens (not live) with its counts and the view of the moment it was made.
        QVERIFY(window.openCapture(copy.toStdString()).ok());
        QVERIFY(waitSettled(window));
        QCOMPARE(window.eventModel().rowCount(), static_cast<int>(copied.events));
        auto reader = CaptureReader::open(copy.toStdString());
        QVERIFY(reader);
        const auto view = (*reader)->savedView();
        QVERIFY(view && *view);
    }

    void importIntoTheOpenCaptureOrANewOne()
    {
        const std::string path = makeCapture();
        const QString input = m_dir.filePath(QStringLiteral("more.ndjson"));
        {
            QFile file(input);
            QVERIFY(file.open(QIODevice::WriteOnly));
            for (int i = 0; i < 25; ++i)
                file.write(eventLine(i).toUtf8() + '\n');
            file.write("{\"broken\": \n"); // a dead letter, not a failure
        }
        MainWindow window;
        QVERIFY(window.openCapture(path).ok());
        QVERIFY(waitSettled(window));
        QVERIFY(window.importNdjson({input}).ok());
        const Status busy = window.exportVisibleRange(m_dir.filePath(QStringLiteral("x.ndjson")));
        QVERIFY(!busy.ok()); // one task at a time, and the message says which runs
        QVERIFY2(QString::fromStdString(busy.error()).contains(QStringLiteral("Importing NDJSON")),
                 busy.error().c_str());
        const TaskEnd end = waitForTask(window);
        QVERIFY2(end.error.isEmpty(), qPrintable(end.error));
        QVERIFY2(end.summary.contains(QStringLiteral("25 events")), qPrintable(end.summary));
        QVERIFY2(end.summary.contains(QStringLiteral("1 not decoded")), qPrintable(end.summary));
        QVERIFY(QTest::qWaitFor([&] { return window.eventModel().rowCount() == 65; }, 10'000));

        const QString fresh = m_dir.filePath(QStringLiteral("imported-new.capture"));
        QVERIFY(window.importNdjson({input}, fresh).ok());
        QVERIFY(waitForTask(window).error.isEmpty());
        QVERIFY(waitSettled(window));
        QVERIFY(window.windowTitle().contains(QStringLiteral("imported-new.capture")));
        QCOMPARE(window.eventModel().rowCount(), 25);

        // A live capture belongs to its ingest.
        QVERIFY(window.openCapture(path, true).ok());
        QVERIFY(waitSettled(window));
        const Status live = window.importNdjson({input});
        QVERIFY(!live.ok());
        QVERIFY2(QString::fromStdString(live.error()).contains(QStringLiteral("Kafka ingest")),
                 live.error().c_str());
        QVERIFY(!window.importNdjson({}).ok());
    }

    // The import reads from a pipe that never ends until the operator cancels: what was read
    // stays in the capture, and the message says up to which line.
    void cancellingAnImportKeepsWhatWasRead()
    {
        const std::string path = makeCapture();
        const QString fifo = m_dir.filePath(QStringLiteral("endless.ndjson"));
        QVERIFY(::mkfifo(fifo.toLocal8Bit().constData(), 0600) == 0);
        std::atomic<bool> stop{false};
        std::thread writer([&] {
            const int fd = ::open(fifo.toLocal8Bit().constData(), O_WRONLY);
            if (fd < 0)
                return;
            for (int i = 0; !stop.load(); ++i) {
                const QByteArray line = eventLine(i).toUtf8() + '\n';
                if (::write(fd, line.constData(), static_cast<std::size_t>(line.size()))
                    != line.size())
                    break; // EPIPE: the importer has stopped reading
            }
            ::close(fd);
        });
        MainWindow window;
        QVERIFY(window.openCapture(path).ok());
        QVERIFY(waitSettled(window));
        QVERIFY(window.importNdjson({fifo}).ok());
        BackgroundTask *task = window.captureTasks().current();
        QVERIFY(task);
        QSignalSpy progressed(task, &BackgroundTask::progressed);
        QVERIFY(QTest::qWaitFor([&] { return !progressed.isEmpty(); }, 30'000));
        task->cancel();
        const TaskEnd end = waitForTask(window);
        stop.store(true);
        // Unblocks a writer still waiting for a reader (never the case once progress came).
        if (const int fd = ::open(fifo.toLocal8Bit().constData(), O_RDONLY | O_NONBLOCK); fd >= 0)
            ::close(fd);
        writer.join();
        QVERIFY(end.ended);
        static const QRegularExpression where(QStringLiteral(
            "import of .*endless.ndjson cancelled after line (\\d+); the lines before it are in "
            "the capture"));
        const auto match = where.match(end.error);
        QVERIFY2(match.hasMatch(), qPrintable(end.error));
        const int lines = match.captured(1).toInt();
        QVERIFY(lines > 0);
        QCOMPARE(infoOf(path).events, std::int64_t(40 + lines));
        QVERIFY(
            QTest::qWaitFor([&] { return window.eventModel().rowCount() == 40 + lines; }, 10'000));
    }

    void exportTheVisibleRangeAsNdjsonOrCsv()
    {
        const std::string path = makeCapture();
        MainWindow window;
        QVERIFY(window.openCapture(path).ok());
        QVERIFY(waitSettled(window));
        window.viewState().setVisibleRange(
            {kBase + 1000 * kMicrosPerSecond, kBase + 3000 * kMicrosPerSecond});
        QVERIFY(waitSettled(window));
        const TimeRange range = window.viewState().visibleRange();
        const auto inRange = [&](TimeUs step, TimeUs count) {
            int n = 0;
            for (TimeUs i = 0; i < count; ++i)
                n += range.contains(kBase + i * step) ? 1 : 0;
            return n;
        };
        const int events = inRange(500 * kMicrosPerSecond, 40);
        const int samples = 2 * inRange(kMicrosPerSecond, kSamples);

        const QString ndjson = m_dir.filePath(QStringLiteral("visible.ndjson"));
        QVERIFY(window.exportVisibleRange(ndjson).ok());
        TaskEnd end = waitForTask(window);
        QVERIFY2(end.error.isEmpty(), qPrintable(end.error));
        QFile out(ndjson);
        QVERIFY(out.open(QIODevice::ReadOnly));
        QCOMPARE(out.readAll().count('\n'), events + samples);
        QVERIFY2(end.summary.contains(QStringLiteral("%1 events").arg(events)),
                 qPrintable(end.summary));

        const QString csv = m_dir.filePath(QStringLiteral("visible.csv"));
        QVERIFY(window.exportVisibleRange(csv).ok());
        end = waitForTask(window);
        QVERIFY2(end.error.isEmpty(), qPrintable(end.error));
        QFile csvFile(csv);
        QVERIFY(csvFile.open(QIODevice::ReadOnly));
        const QByteArray csvText = csvFile.readAll();
        QVERIFY(csvText.startsWith("record,time,id,type,"));
        // A row per record under a header per kind (events, samples, logs, spans, topology).
        QCOMPARE(csvText.count("\r\n"), 5 + events + samples);

        const Status badName = window.exportVisibleRange(m_dir.filePath(QStringLiteral("x.txt")));
        QVERIFY(!badName.ok());
        QVERIFY2(QString::fromStdString(badName.error())
                     .endsWith(QStringLiteral("x.txt: the name must end in .ndjson or .csv")),
                 badName.error().c_str());
    }

    void capturePropertiesSayWhatTheCaptureIs()
    {
        const std::string path = makeCapture();
        MainWindow window;
        QVERIFY(window.openCapture(path).ok());
        QVERIFY(waitSettled(window));
        const QString html = window.capturePropertiesHtml();
        for (const QString &expected :
             {QStringLiteral("capture console test"), QStringLiteral("<td>40</td>"),
              QStringLiteral("40,000"), QStringLiteral("Schema version"),
              QStringLiteral("2025-11-24"), QString::fromStdString(path)})
            QVERIFY2(html.contains(expected), qPrintable(expected + QStringLiteral(" in ") + html));
    }

    // Deliveries that failed are marked in the status bar and listed first, in the error
    // colour, in View > Alert Deliveries.
    void failedAlertDeliveriesAreMarked()
    {
        const std::string path = makeCapture();
        {
            auto outbox = AlertOutbox::open(path);
            QVERIFY(outbox);
            std::vector<AlertDelivery> deliveries(3);
            for (int i = 0; i < 3; ++i) {
                AlertDelivery &d = deliveries[static_cast<std::size_t>(i)];
                d.alertId = "alert-" + std::to_string(i);
                d.dedupKey = "eventscope-" + std::to_string(i);
                d.action = "trigger";
                d.rule = "p99-high";
                d.alertTime = kBase + i * 600 * kMicrosPerSecond;
                d.targetKind = "webhook";
                d.url = "http://127.0.0.1:9/hook";
                d.body = "{}";
                d.attempts = i == 2 ? 10 : 1;
                d.state = i == 0 ? AlertDelivery::State::Delivered
                    : i == 1     ? AlertDelivery::State::Pending
                                 : AlertDelivery::State::Failed;
                d.lastError = i == 0 ? "" : "Connection refused";
                d.deliveredAt = i == 0 ? d.alertTime + 2 * kMicrosPerSecond : 0;
                d.nextAttemptAt = d.alertTime + 60 * kMicrosPerSecond;
            }
            const auto added = (*outbox)->add(deliveries);
            QVERIFY2(added, added ? "" : added.error().c_str());
            QCOMPARE(*added, 3);
        }
        MainWindow window;
        window.resize(1400, 900);
        QVERIFY(window.openCapture(path).ok());
        window.show();
        QVERIFY(waitSettled(window));
        const auto labels = window.statusBar()->findChildren<QLabel *>();
        const bool marked = std::any_of(labels.begin(), labels.end(), [](const QLabel *label) {
            return label->text().contains(QStringLiteral("href='alert-deliveries'"))
                && label->text().contains(QStringLiteral("1 alert delivery failed"));
        });
        QVERIFY(marked);

        for (const Theme::Kind kind : {Theme::Kind::Dark, Theme::Kind::Light}) {
            window.setTheme(kind);
            const Theme theme = Theme::forKind(kind);
            AlertDeliveriesDialog dialog(path, TimeZoneMode::Utc, theme, &window);
            QTableWidget &table = dialog.table();
            QCOMPARE(table.rowCount(), 3);
            QCOMPARE(table.item(0, AlertDeliveriesDialog::StateColumn)->text(),
                     QStringLiteral("failed"));
            QCOMPARE(table.item(0, AlertDeliveriesDialog::StateColumn)->foreground().color(),
                     theme.severityColor(Severity::Error));
            QCOMPARE(table.item(1, AlertDeliveriesDialog::StateColumn)->text(),
                     QStringLiteral("pending"));
            QVERIFY(table.item(0, AlertDeliveriesDialog::DetailColumn)
                        ->text()
                        .contains(QStringLiteral("Connection refused")));
            QVERIFY(table.item(2, AlertDeliveriesDialog::DetailColumn)
                        ->text()
                        .startsWith(QStringLiteral("delivered ")));
            dialog.show();
            QVERIFY(QTest::qWaitForWindowExposed(&dialog));
            const QImage shot = dialog.grab().toImage();
            QVERIFY(
                shot.save(screenshotFolder()
                          + QStringLiteral("/alert-deliveries-%1.png").arg(Theme::kindName(kind))));
        }
    }

    // A live alert reaches the operator: the status bar (and the tray, where there is one).
    void alertsAreAnnounced()
    {
        MainWindow window;
        Event alert;
        alert.type = "alert.firing";
        alert.severity = Severity::Error;
        alert.message = "p99-high firing: latency_p99_ms{service=checkout} > 500 (now 900)";
        window.notifyAlert(alert);
        QVERIFY2(window.statusBar()->currentMessage().startsWith(
                     QStringLiteral("Alert: p99-high firing: latency_p99_ms")),
                 qPrintable(window.statusBar()->currentMessage()));
        alert.type = "alert.resolved";
        alert.message = "p99-high resolved";
        window.notifyAlert(alert);
        QCOMPARE(window.statusBar()->currentMessage(),
                 QStringLiteral("Resolved: p99-high resolved"));
    }

    // View > Dead Letters lists what did not decode and filters it by words of the reason.
    void deadLettersFilterByReason()
    {
        const QString input = m_dir.filePath(QStringLiteral("letters.ndjson"));
        {
            QFile file(input);
            QVERIFY(file.open(QIODevice::WriteOnly));
            for (int i = 0; i < 3; ++i)
                file.write(eventLine(i).toUtf8() + '\n');
            file.write("{\"broken\": \n{\"also\" 1}\nnot json at all\n");
        }
        const QString capture = m_dir.filePath(QStringLiteral("letters.capture"));
        MainWindow window;
        QVERIFY(window.importNdjson({input}, capture).ok());
        const TaskEnd end = waitForTask(window);
        QVERIFY2(end.error.isEmpty(), qPrintable(end.error));
        QVERIFY(window.openCapture(capture.toStdString()).ok());
        QVERIFY(waitSettled(window));
        window.showDeadLetters(); // the dock, shown and read
        auto *dock = window.findChild<QDockWidget *>(QStringLiteral("DeadLettersDock"));
        QVERIFY(dock && !dock->isHidden());
        DeadLettersPanel &dialog = window.deadLettersPanel();
        QVERIFY(dialog.summaryText().contains(QStringLiteral("3 dead letters")));
        QCOMPARE(dialog.model().rowCount(), 3);
        QCOMPARE(dialog.shownCount(), 3);
        dialog.setReasonFilter(QStringLiteral("MALFORMED"));
        QCOMPARE(dialog.shownCount(), 2);
        QCOMPARE(dialog.findChild<QLineEdit *>(QStringLiteral("DeadLetterFilter"))->text(),
                 QStringLiteral("MALFORMED"));
        dialog.setReasonFilter(QStringLiteral("supported format"));
        QCOMPARE(dialog.shownCount(), 1);
        dialog.setReasonFilter(QStringLiteral("nothing says this"));
        QCOMPARE(dialog.shownCount(), 0);
        dialog.setReasonFilter({});
        QCOMPARE(dialog.shownCount(), 3);
        window.resize(1600, 1000);
        window.show();
        // The dock raised over the ones the restored layout raised.
        QVERIFY(saveThemeScreenshots(window, QStringLiteral("dead-letters"),
                                     [&window] { window.showDeadLetters(); }));

        // More arrive while the dock is shown: it reads them, the letter being read stays.
        auto *table = dialog.findChild<QTableView *>();
        QVERIFY(table);
        table->selectRow(1);
        const QString chosen = table->currentIndex().siblingAtColumn(0).data().toString()
            + table->currentIndex().siblingAtColumn(1).data().toString();
        const QString more = m_dir.filePath(QStringLiteral("more-letters.ndjson"));
        {
            QFile file(more);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("{\"still\": broken\n");
        }
        QVERIFY(window.importNdjson({more}, capture).ok());
        const TaskEnd again = waitForTask(window);
        QVERIFY2(again.error.isEmpty(), qPrintable(again.error));
        QVERIFY(QTest::qWaitFor([&] { return dialog.model().rowCount() == 4; }, 10'000));
        QVERIFY(dialog.summaryText().contains(QStringLiteral("4 dead letters")));
        QCOMPARE(table->currentIndex().siblingAtColumn(0).data().toString()
                     + table->currentIndex().siblingAtColumn(1).data().toString(),
                 chosen);
    }

    // Ctrl+E prints the notes as they are on screen, as text.
    void incidentReportCarriesTheNotes()
    {
        const std::string path = makeCapture();
        MainWindow window;
        QVERIFY(window.openCapture(path).ok());
        QVERIFY(waitSettled(window));
        window.notesEdit().setPlainText(QStringLiteral("Paged <script>alert(1)</script> at 16:05"));
        window.eventTable().selectRow(0); // evt-0, a failure
        QVERIFY(window.viewState().selectedEvent());
        QCOMPARE(window.viewState().selectedEvent()->category, EventCategory::Failure);
        const QString html = m_dir.filePath(QStringLiteral("notes.html"));
        QSignalSpy finished(&window, &MainWindow::reportFinished);
        QVERIFY(window.exportIncidentReport(html).ok());
        QVERIFY(finished.wait(60'000));
        QCOMPARE(finished.at(0).at(1).toString(), QString());
        QFile file(html);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        QVERIFY(text.contains("Operator's notes"));
        QVERIFY(text.contains("Paged &lt;script&gt;alert(1)&lt;/script&gt; at 16:05"));
    }
};

QTEST_MAIN(TestCaptureConsole)
#include "tst_captureconsole.moc"
