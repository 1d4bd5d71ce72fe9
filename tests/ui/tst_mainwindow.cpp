// The console window on the offscreen platform: a capture's series and markers, filters over
// the table and the overlays, navigation on the shared time axis, live follow while data
// arrives, bad captures, and screenshots of the main states in both themes.
#include "consoletestdata.h"
#include "mainwindow.h"
#include "models/eventtablemodel.h"
#include "timeline/eventlanechart.h"
#include "timeline/metricchart.h"
#include "timeline/timelineview.h"
#include "timeline/viewstate.h"
#include "timerangebar.h"

#include "store/batchcommitter.h"

#include <QClipboard>
#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QSvgRenderer>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace eventscope;
using namespace eventscope::ui;
using namespace eventscope::testing;

namespace {
const MetricChart *chartNamed(const TimelineView &timeline, const QString &name)
{
    for (int i = 0; i < timeline.chartCount(); ++i) {
        if (timeline.chart(i)->title().contains(name))
            return timeline.chart(i);
    }
    return nullptr;
}
} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_captures = 0;

    std::string makeCapture(int events = 40)
    {
        const std::string path
            = m_dir.filePath(QStringLiteral("ui%1.capture").arg(++m_captures)).toStdString();
        auto committer = BatchCommitter::open(path, "ui test");
        if (!committer)
            qFatal("%s", committer.error().c_str());
        std::vector<RecordBatch> batches;
        batches.push_back(makeBatch(0, kSamples, 0, events));
        (*committer)->commit(batches); // throws on failure
        return path;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // settings go to a test location
        QSettings().clear();
    }

    void showsTheCaptureSeriesMarkersAndFacts()
    {
        const std::string path = makeCapture();
        MainWindow window;
        window.resize(1400, 900);
        QVERIFY(window.openCapture(path).ok());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(waitSettled(window));

        QCOMPARE(window.eventModel().rowCount(), 40);
        QCOMPARE(
            window.eventTable().model()->index(0, EventTableModel::TypeColumn).data().toString(),
            QStringLiteral("failure.crash"));
        QCOMPARE(
            window.eventTable().model()->index(0, EventTableModel::TimeColumn).data().toString(),
            QStringLiteral("2025-11-24 16:00:00.000 UTC"));
        // Both series charted, with data in the visible range.
        TimelineView &timeline = window.timeline();
        QVERIFY(timeline.chartCount() >= 2);
        const MetricChart *latency = chartNamed(timeline, QStringLiteral("latency_p99_ms"));
        QVERIFY(latency);
        QVERIFY(latency->hasDataInRange());
        QCOMPARE(window.viewState().visibleRange(),
                 (TimeRange{kBase, kBase + 19'999 * kMicrosPerSecond + 1}));
        // Every event is counted in the lanes.
        const auto columns = timeline.eventColumns();
        QVERIFY(columns);
        QCOMPARE(columns->eventsInRange, std::size_t(40));

        bool found = false;
        for (QLabel *label : window.statusBar()->findChildren<QLabel *>())
            found |= label->text().contains(QStringLiteral("40 events, 2 series, 40000 samples"));
        QVERIFY(found);
        QVERIFY(window.windowTitle().contains(QString::fromStdString(path)));
        QVERIFY(hasContent(window.grab().toImage()));
    }

    void filtersChangeTheTableAndTheOverlays()
    {
        MainWindow window;
        window.resize(1400, 900);
        QVERIFY(window.openCapture(makeCapture()).ok());
        window.show();
        QVERIFY(waitSettled(window));
        auto *text = window.findChild<QLineEdit *>(QStringLiteral("EventFilter"));
        QVERIFY(text);
        text->setText(QStringLiteral("failure"));
        QCOMPARE(window.eventFilterModel().rowCount(), 10);
        QVERIFY(waitSettled(window));
        QCOMPARE(window.timeline().eventColumns()->eventsInRange, std::size_t(10));
        text->clear();
        QVERIFY(waitSettled(window));
        QCOMPARE(window.timeline().eventColumns()->eventsInRange, std::size_t(40));
    }

    void zoomPanAndHistoryMoveEveryChart()
    {
        MainWindow window;
        window.resize(1400, 900);
        QVERIFY(window.openCapture(makeCapture()).ok());
        window.show();
        QVERIFY(waitSettled(window));
        ViewState &view = window.viewState();
        TimelineView &timeline = window.timeline();
        const TimeRange all = view.visibleRange();
        const auto axesAgree = [&timeline](TimeRange range) {
            const double begin = static_cast<double>(range.begin) / kMicrosPerSecond;
            if (std::abs(timeline.laneChart()->timeAxis()->range().lower - begin) > 1e-3)
                return false;
            for (int i = 0; i < timeline.chartCount(); ++i) {
                if (std::abs(timeline.chart(i)->timeAxis()->range().lower - begin) > 1e-3)
                    return false;
            }
            return true;
        };

        // Keyboard zoom in, then pan right: every chart's axis follows.
        timeline.setFocus();
        QTest::keyClick(&timeline, Qt::Key_Plus);
        QVERIFY(std::abs(view.visibleRange().duration() - all.duration() / 2) <= 1);
        QVERIFY(axesAgree(view.visibleRange()));
        QTest::keyClick(&timeline, Qt::Key_Right);
        const TimeRange panned = view.visibleRange();
        QVERIFY(panned.begin > all.begin + all.duration() / 4);
        QVERIFY(axesAgree(panned));

        // The wheel zooms around the cursor.
        MetricChart *chart = timeline.chart(0);
        const QPoint centre = chart->rect()->rect().center();
        QWheelEvent wheel(centre, chart->mapToGlobal(centre), {}, QPoint(0, 120), Qt::NoButton,
                          Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(chart, &wheel);
        QVERIFY(view.visibleRange().duration() < panned.duration());
        QVERIFY(axesAgree(view.visibleRange()));

        // Back twice returns to the pan, then the zoom; forward again; F fits all.
        QTest::keyClick(&window, Qt::Key_Left, Qt::AltModifier);
        QCOMPARE(view.visibleRange(), panned);
        QTest::keyClick(&window, Qt::Key_Right, Qt::AltModifier);
        QVERIFY(view.visibleRange().duration() < panned.duration());
        QTest::keyClick(&timeline, Qt::Key_F);
        QCOMPARE(view.visibleRange(), all);
        QVERIFY(axesAgree(all));

        // A drag selects a range to zoom to (a fifth of the plot, whatever the docks leave).
        const QRect area = chart->rect()->rect();
        const int from = area.left() + area.width() / 10;
        const int to = from + area.width() / 5;
        QTest::mousePress(chart, Qt::LeftButton, {}, QPoint(from, area.center().y()));
        QTest::mouseMove(chart, QPoint(to, area.center().y()));
        QTest::mouseRelease(chart, Qt::LeftButton, {}, QPoint(to, area.center().y()));
        QVERIFY(view.visibleRange().duration() < all.duration() / 3);
        QVERIFY(waitSettled(window));
        QVERIFY(chart->hasDataInRange());
    }

    void selectingARowSelectsTheEventEverywhere()
    {
        MainWindow window;
        window.resize(1400, 900);
        QVERIFY(window.openCapture(makeCapture()).ok());
        window.show();
        QVERIFY(waitSettled(window));
        window.viewState().setVisibleRange({kBase, kBase + 600 * kMicrosPerSecond});
        QTableView &table = window.eventTable();
        table.selectRow(30);
        const auto &selected = window.viewState().selectedEvent();
        QVERIFY(selected);
        QCOMPARE(selected->sourceId, std::string("evt-30"));
        // Out of view: the timeline centres on it.
        QVERIFY(window.viewState().visibleRange().contains(selected->time));
        // '.' steps to the next event of its type (every fourth is a scale-out here).
        window.timeline().setFocus();
        QTest::keyClick(&window.timeline(), Qt::Key_Period);
        // Events 30 and 31 are both scale-outs (types cycle crash, recovery, scale-out, scale-out).
        QCOMPARE(window.viewState().selectedEvent()->sourceId, std::string("evt-31"));
        QTest::keyClick(&window.timeline(), Qt::Key_Period);
        QCOMPARE(window.viewState().selectedEvent()->sourceId, std::string("evt-34"));
        QTest::keyClick(&window.timeline(), Qt::Key_Comma);
        QCOMPARE(window.viewState().selectedEvent()->sourceId, std::string("evt-31"));
        QTest::keyClick(&window, Qt::Key_Escape);
        QVERIFY(!window.viewState().selectedEvent());
    }

    void ctrlEExportsTheSelectedIncidentsReport()
    {
        MainWindow window;
        window.resize(1400, 900);
        QVERIFY(window.openCapture(makeCapture()).ok());
        window.show();
        QVERIFY(waitSettled(window));
        const QString pdf = m_dir.filePath(QStringLiteral("selected.pdf"));
        // Nothing selected, or not a failure: said, nothing written.
        QVERIFY(!window.exportIncidentReport(pdf).ok());
        window.eventTable().selectRow(29); // evt-29: a recovery
        QCOMPARE(window.viewState().selectedEvent()->sourceId, std::string("evt-29"));
        QVERIFY(!window.exportIncidentReport(pdf).ok());

        window.eventTable().selectRow(28); // evt-28: a crash
        QCOMPARE(window.viewState().selectedEvent()->type, std::string("failure.crash"));
        QVERIFY(!window.exportIncidentReport(m_dir.filePath(QStringLiteral("x.doc"))).ok());
        QSignalSpy finished(&window, &MainWindow::reportFinished);
        QVERIFY(window.exportIncidentReport(pdf).ok());
        // One at a time.
        QVERIFY(!window.exportIncidentReport(m_dir.filePath(QStringLiteral("y.pdf"))).ok());
        QVERIFY(finished.wait(30'000));
        QCOMPARE(finished.at(0).at(0).toString(), pdf);
        QCOMPARE(finished.at(0).at(1).toString(), QString());
        QFile file(pdf);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.read(5) == "%PDF-");
        QVERIFY(file.size() > 10'000);

        // The window's theme reaches an HTML report, and a second export may follow.
        window.setTheme(Theme::Kind::Dark);
        const QString html = m_dir.filePath(QStringLiteral("selected.html"));
        QTRY_VERIFY_WITH_TIMEOUT(!window.findChild<QObject *>(QStringLiteral("reportJob")), 5'000);
        const Status second = window.exportIncidentReport(html);
        QVERIFY2(second.ok(), second.error().c_str());
        QVERIFY(finished.wait(30'000));
        QCOMPARE(finished.at(1).at(1).toString(), QString());
        QFile page(html);
        QVERIFY(page.open(QIODevice::ReadOnly));
        const QByteArray text = page.readAll();
        QVERIFY(text.contains("evt-28"));
        QVERIFY(text.contains(Theme::dark().base.name().toLatin1()));
    }

    void timelineScreenshotsCopyAndSaveAsPngOrSvg()
    {
        MainWindow window;
        window.resize(1400, 900);
        QVERIFY(window.openCapture(makeCapture(400)).ok());
        window.show();
        QVERIFY(waitSettled(window));
        const QSize size = window.timeline().size();

        window.copyTimelineScreenshot();
        const QImage copied = QGuiApplication::clipboard()->image();
        QCOMPARE(copied.size(), size * window.devicePixelRatio());
        QVERIFY(hasContent(copied));

        const QString png = m_dir.filePath(QStringLiteral("timeline.png"));
        QVERIFY(window.saveTimelineScreenshot(png).ok());
        QCOMPARE(QImage(png).size(), size * window.devicePixelRatio());

        // SVG: shapes and text, no embedded picture; it draws the same timeline.
        const QString svg = m_dir.filePath(QStringLiteral("timeline.svg"));
        QVERIFY(window.saveTimelineScreenshot(svg).ok());
        QFile file(svg);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray drawing = file.readAll();
        QVERIFY(drawing.contains("<svg"));
        QVERIFY(drawing.contains("<text") || drawing.contains("<path"));
        QVERIFY2(!drawing.contains("<image"), "the SVG holds a raster picture");
        QSvgRenderer renderer(drawing);
        QVERIFY(renderer.isValid());
        QImage rendered(size, QImage::Format_ARGB32);
        rendered.fill(Qt::white);
        QPainter painter(&rendered);
        renderer.render(&painter);
        painter.end();
        QVERIFY(hasContent(rendered));
        rendered.save(screenshotFolder() + QStringLiteral("/timeline-from-svg.png"));

        QVERIFY(!window.saveTimelineScreenshot(m_dir.filePath(QStringLiteral("t.bmp"))).ok());
        QVERIFY(!window.saveTimelineScreenshot(QStringLiteral("/nonexistent/dir/t.png")).ok());
    }

    void liveFollowScrollsAndStopsWhenTheUserZooms()
    {
        const std::string path = m_dir.filePath(QStringLiteral("live.capture")).toStdString();
        auto committer = BatchCommitter::open(path, "ui test live");
        QVERIFY(committer.ok());
        std::vector<RecordBatch> batches;
        batches.push_back(makeBatch(0, 600, 0, 2));
        QCOMPARE((*committer)->commit(batches).batches, 1);

        MainWindow window;
        window.resize(1400, 900);
        QVERIFY(window.openCapture(path, true).ok());
        window.show();
        QVERIFY(waitSettled(window));
        ViewState &view = window.viewState();
        QVERIFY(view.isFollowing());
        const TimeUs firstEnd = view.visibleRange().end;

        batches.clear();
        batches.push_back(makeBatch(600, 600, 2, 1));
        QCOMPARE((*committer)->commit(batches).batches, 1);
        window.captureCommitted();
        QVERIFY(QTest::qWaitFor(
            [&] { return view.visibleRange().end > firstEnd + 500 * kMicrosPerSecond; }, 10'000));
        QVERIFY(waitSettled(window));
        QCOMPARE(window.eventModel().rowCount(), 3);

        view.zoomAroundCentre(0.5);
        QVERIFY(!view.isFollowing());
        QVERIFY(window.timeRangeBar().liveButton()->isChecked() == false);
        const TimeRange zoomed = view.visibleRange();
        batches.clear();
        batches.push_back(makeBatch(1200, 600, 3, 1));
        QCOMPARE((*committer)->commit(batches).batches, 1);
        window.captureCommitted();
        QVERIFY(QTest::qWaitFor([&] { return window.eventModel().rowCount() == 4; }, 10'000));
        QCOMPARE(view.visibleRange(), zoomed);

        window.timeRangeBar().liveButton()->click();
        QVERIFY(view.isFollowing());
        QCOMPARE(view.visibleRange().end, view.dataExtent().end);
    }

    // The demo's first second: the capture is empty when the window opens it, then history
    // arrives in a burst. The view shows all of it, following, not the first second's width.
    void liveCaptureThatStartsEmptyShowsAllItsData()
    {
        const std::string path
            = m_dir.filePath(QStringLiteral("starts-empty.capture")).toStdString();
        auto committer = BatchCommitter::open(path, "ui test live");
        QVERIFY(committer.ok());
        MainWindow window;
        window.resize(1400, 900);
        QVERIFY(window.openCapture(path, true).ok());
        window.show();
        QVERIFY(waitSettled(window));
        std::vector<RecordBatch> batches;
        batches.push_back(makeBatch(0, 2700, 0, 5));
        (*committer)->commit(batches);
        window.captureCommitted();
        ViewState &view = window.viewState();
        QVERIFY(QTest::qWaitFor([&] { return !view.dataExtent().isEmpty(); }, 10'000));
        QVERIFY(waitSettled(window));
        QVERIFY(view.isFollowing());
        QCOMPARE(view.visibleRange(), view.dataExtent());
        batches.clear();
        batches.push_back(makeBatch(2700, 60, 5, 0));
        (*committer)->commit(batches);
        window.captureCommitted();
        QVERIFY(QTest::qWaitFor(
            [&] { return view.dataExtent().end > kBase + 2700 * kMicrosPerSecond; }, 10'000));
        QCOMPARE(view.visibleRange(), view.dataExtent());
    }

    void everyShortcutIsUniqueAndListed()
    {
        // Two actions on one key make Qt fire neither ("ambiguous shortcut").
        MainWindow window;
        QStringList keys;
        for (const QString &line :
             window.shortcutsText().split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            for (const QString &key : line.section(QLatin1Char('\t'), 0, 0)
                                          .split(QStringLiteral(", "), Qt::SkipEmptyParts)) {
                QVERIFY2(!keys.contains(key), qPrintable(key + QStringLiteral(" twice")));
                keys << key;
            }
        }
        QVERIFY(window.shortcutsText().contains(QStringLiteral("Connect to Kafka")));
        QVERIFY(window.shortcutsText().contains(QStringLiteral("Compare Visible Range")));
    }

    void badCaptureIsReportedAndTheViewKept()
    {
        const std::string path = makeCapture();
        MainWindow window;
        QVERIFY(window.openCapture(path).ok());
        QVERIFY(waitSettled(window));
        const QString title = window.windowTitle();
        const Status status
            = window.openCapture(m_dir.filePath(QStringLiteral("missing.capture")).toStdString());
        QVERIFY(!status.ok());
        QVERIFY(QString::fromStdString(status.error())
                    .endsWith(QStringLiteral("missing.capture: no such file")));
        QCOMPARE(window.windowTitle(), title);
        QCOMPARE(window.eventModel().rowCount(), 40);
    }

    void emptyCaptureShowsNoTimeAxis()
    {
        const std::string path = m_dir.filePath(QStringLiteral("empty.capture")).toStdString();
        QVERIFY(BatchCommitter::open(path, "ui test").ok());
        MainWindow window;
        window.resize(1200, 800);
        QVERIFY(window.openCapture(path).ok());
        window.show();
        QVERIFY(waitSettled(window));
        QCOMPARE(window.timeline().chartCount(), 0);
        QVERIFY(!window.timeline().laneChart()->timeAxis()->tickLabels());
    }

    void reopeningACaptureRestoresItsView()
    {
        const std::string path = makeCapture();
        const TimeRange range{kBase + 1000 * kMicrosPerSecond, kBase + 2000 * kMicrosPerSecond};
        {
            MainWindow window;
            QVERIFY(window.openCapture(path).ok());
            QVERIFY(waitSettled(window));
            window.viewState().setVisibleRange(range);
            window.timeline().removeChart(0);
            window.close();
        }
        MainWindow again;
        QVERIFY(again.openCapture(path).ok());
        QVERIFY(waitSettled(again));
        QCOMPARE(again.viewState().visibleRange(), range);
        QCOMPARE(again.timeline().chartCount(), 1);
    }

    void screenshotsOfTheMainStatesInBothThemes_data()
    {
        QTest::addColumn<bool>("dark");
        QTest::newRow("dark") << true;
        QTest::newRow("light") << false;
    }

    void screenshotsOfTheMainStatesInBothThemes()
    {
        QFETCH(bool, dark);
        MainWindow window;
        window.resize(1600, 1000);
        window.setTheme(dark ? Theme::Kind::Dark : Theme::Kind::Light);
        QVERIFY(window.openCapture(makeCapture(400)).ok());
        window.show();
        QVERIFY(waitSettled(window));
        const QString theme = dark ? QStringLiteral("dark") : QStringLiteral("light");
        const QImage overview = window.grab().toImage();
        QVERIFY(hasContent(overview));
        QVERIFY(overview.save(screenshotFolder() + QStringLiteral("/overview-%1.png").arg(theme)));

        window.timeline().setLaneMode(LaneMode::Service);
        window.timeline().setShowLabels(true);
        window.viewState().setVisibleRange(
            {kBase + 4000 * kMicrosPerSecond, kBase + 7600 * kMicrosPerSecond});
        window.eventTable().selectRow(10);
        QVERIFY(waitSettled(window));
        const QImage zoomed = window.grab().toImage();
        QVERIFY(hasContent(zoomed));
        QVERIFY(zoomed != overview);
        QVERIFY(
            zoomed.save(screenshotFolder() + QStringLiteral("/zoomed-selected-%1.png").arg(theme)));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
