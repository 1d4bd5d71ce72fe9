#include "eventtablemodel.h"
#include "mainwindow.h"

#include "store/batchcommitter.h"

#include <qcustomplot.h>

#include <QLabel>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace eventscope;

class TestMainWindow : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_captures = 0;

    std::string makeCapture()
    {
        const std::string path
            = m_dir.filePath(QStringLiteral("ui%1.capture").arg(++m_captures)).toStdString();
        auto committer = BatchCommitter::open(path, "ui test");
        if (!committer)
            qFatal("%s", committer.error().c_str());
        std::vector<RecordBatch> batches(1);
        RecordBatch &batch = batches[0];
        const TimeUs base = 1'764'000'000LL * kMicrosPerSecond;
        const auto cpu
            = batch.internSeries(SeriesKey("cpu_utilization", {{"service", "checkout"}}), "ratio");
        const auto latency
            = batch.internSeries(SeriesKey("p99_latency_ms", {{"service", "checkout"}}), "ms");
        for (int i = 0; i < 20'000; ++i) {
            batch.addSample(cpu, base + i * 1'000'000LL,
                            0.4 + 0.3 * ((i / 500) % 2) + 0.001 * (i % 17));
            batch.addSample(latency, base + i * 1'000'000LL,
                            120 + (i % 900 > 800 ? 300 : 0) + i % 13);
        }
        for (int i = 0; i < 40; ++i) {
            Event e;
            e.sourceId = "evt-" + std::to_string(i);
            e.time = base + i * 500 * kMicrosPerSecond;
            e.type = i % 4 == 0 ? "failure.crash" : "scaling.scale_out";
            e.category = inferEventCategory(e.type);
            e.severity = i % 4 == 0 ? Severity::Error : Severity::Info;
            e.service = "checkout";
            e.message = "event " + std::to_string(i);
            batch.events.push_back(e);
        }
        (*committer)->commit(batches);
        return path;
    }

private Q_SLOTS:
    void showsTheCaptureEventsAndFacts()
    {
        const std::string path = makeCapture();
        ui::MainWindow window;
        window.resize(1200, 800);
        QVERIFY(window.openCapture(path).ok());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        auto *table = window.findChild<QTableView *>();
        QVERIFY(table);
        QCOMPARE(table->model()->rowCount(), 40);
        QCOMPARE(table->model()->index(0, ui::EventTableModel::TypeColumn).data().toString(),
                 QStringLiteral("failure.crash"));
        QCOMPARE(table->model()->index(0, ui::EventTableModel::TimeColumn).data().toString(),
                 QStringLiteral("2025-11-24T16:00:00Z"));

        const auto labels = window.statusBar()->findChildren<QLabel *>();
        bool found = false;
        for (QLabel *label : labels)
            found |= label->text().contains(QStringLiteral("40 events, 2 series (40000 samples)"));
        QVERIFY(found);
        const QImage image = window.grab().toImage();
        QVERIFY(!image.isNull());
        QCOMPARE(image.width(), 1200);
        QVERIFY(window.windowTitle().contains(QString::fromStdString(path)));
    }

    // A capture nothing was written to yet (the live console's first second): a placeholder,
    // and no time axis at 1970.
    void emptyCaptureShowsNoTimeAxis()
    {
        const std::string path = m_dir.filePath(QStringLiteral("empty.capture")).toStdString();
        QVERIFY(BatchCommitter::open(path, "ui test").ok());
        ui::MainWindow window;
        window.resize(1200, 800);
        QVERIFY(window.openCapture(path).ok());
        auto *plot = window.findChild<QCustomPlot *>();
        QVERIFY(plot);
        QCOMPARE(plot->axisRectCount(), 1);
        QVERIFY(!plot->axisRect()->axis(QCPAxis::atBottom)->tickLabels());
        QVERIFY(!plot->axisRect()->axis(QCPAxis::atBottom)->ticks());
    }

    void badCaptureIsReportedAndTheViewKept()
    {
        const std::string path = makeCapture();
        ui::MainWindow window;
        QVERIFY(window.openCapture(path).ok());
        const QString title = window.windowTitle();
        const Status status
            = window.openCapture(m_dir.filePath(QStringLiteral("missing.capture")).toStdString());
        QVERIFY(!status.ok());
        QVERIFY(QString::fromStdString(status.error())
                    .endsWith(QStringLiteral("missing.capture: no such file")));
        QCOMPARE(window.windowTitle(), title);
        QCOMPARE(window.findChild<QTableView *>()->model()->rowCount(), 40);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
