// The logs and traces of an incident, offscreen, on a simulated capture with its ground truth:
// the Logs panel shows the incident's error lines and is linked to the crosshair both ways; the
// Traces panel lists the incident's failing traces, errors first, and draws the failing span in
// its waterfall. The service map at the incident: the call graph the spans show, the suspect
// service anomalous, more services off than at a quiet moment; clicking a service filters the
// logs and traces to it. Screenshots of the panels in both themes.
#include "consoletestdata.h"
#include "drilldown/logspanel.h"
#include "drilldown/rootcausepanel.h"
#include "drilldown/servicemappanel.h"
#include "drilldown/servicemapview.h"
#include "drilldown/tracespanel.h"
#include "drilldown/tracewaterfall.h"
#include "mainwindow.h"
#include "models/logtablemodel.h"
#include "models/tracelistmodel.h"
#include "models/tracetree.h"
#include "timeline/viewstate.h"

#include "../analysis/simulatedcapture.h"

#include "analysis/callgraph.h"
#include "analysis/servicemap.h"
#include "store/capturereader.h"
#include "util/timeformat.h"

#include <QDockWidget>
#include <QSettings>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace eventscope;
using namespace eventscope::ui;
using namespace eventscope::testing;

class TestLogsTraces : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::string m_capture;
    sim::TruthIncident m_incident; // one with error logs on its suspect service
    sim::GroundTruth m_truth;
    TimeUs m_start = 0;

    static bool waitLogs(MainWindow &window)
    {
        return QTest::qWaitFor([&] { return window.logsPanel().isSettled(); }, 20'000);
    }

    static void raiseDock(MainWindow &window, const char *name)
    {
        auto *dock = window.findChild<QDockWidget *>(QString::fromLatin1(name));
        QVERIFY(dock);
        dock->show();
        dock->raise();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        m_capture = m_dir.filePath(QStringLiteral("logstraces.capture")).toStdString();
        sim::SimulatorOptions options;
        options.seed = 5;
        options.start = *parseTimestamp("2026-11-24T06:00:00Z");
        options.duration = 180 * 60 * kMicrosPerSecond;
        options.tracesPerSecond = 2;
        m_start = options.start;
        m_truth = testing::simulateIntoCapture(options, m_capture);
        const sim::GroundTruth &truth = m_truth;
        auto reader = CaptureReader::open(m_capture);
        QVERIFY(reader);
        for (const sim::TruthIncident &incident : truth.incidents) {
            LogQuery query;
            query.range = {incident.time - 2 * 60 * kMicrosPerSecond, incident.time};
            query.minLevel = Severity::Error;
            query.service = incident.suspectService;
            auto errors = (*reader)->logs(query);
            QVERIFY(errors);
            if (!errors->empty()) {
                m_incident = incident;
                break;
            }
        }
        QVERIFY2(!m_incident.id.empty(), "no simulated incident with error logs before it");
    }

    void logsShowTheIncidentsErrorsLinkedToTheCrosshair()
    {
        MainWindow window;
        window.resize(1600, 1000);
        QVERIFY(window.openCapture(m_capture).ok());
        window.show();
        QVERIFY(waitSettled(window));
        // Behind the Events tab the panel reads nothing; shown, it reads the visible range.
        LogsPanel &logs = window.logsPanel();
        QCOMPARE(logs.model().rowCount(), 0);
        raiseDock(window, "LogsDock");
        QVERIFY(waitLogs(window));
        QVERIFY2(logs.model().rowCount() > 0, qPrintable(logs.statusText()));
        QVERIFY(window.showIncident(m_incident.id).ok());
        QVERIFY(QTest::qWaitFor(
            [&] {
                const auto &result = window.rootCausePanel().result();
                return result && result->failureId == m_incident.id && window.isSettled();
            },
            30'000));
        QVERIFY(waitLogs(window));
        QVERIFY2(logs.statusText().contains(QStringLiteral("only")), qPrintable(logs.statusText()));

        // Errors and above: every error of the suspect service in the visible range, the same
        // records the capture holds, in time order.
        logs.setMinimumLevel(Severity::Error);
        QVERIFY(waitLogs(window));
        const TimeRange visible = window.viewState().visibleRange();
        auto reader = CaptureReader::open(m_capture);
        QVERIFY(reader);
        LogQuery query;
        query.range = visible;
        query.minLevel = Severity::Error;
        query.service = m_incident.suspectService;
        auto expected = (*reader)->logs(query);
        QVERIFY(expected && !expected->empty());
        LogTableModel &model = logs.model();
        std::vector<std::pair<TimeUs, QString>> shown;
        TimeUs previous = visible.begin;
        for (int row = 0; row < model.rowCount(); ++row) {
            const TimeUs time = model.timeAt(row);
            QVERIFY(time >= previous && time < visible.end);
            previous = time;
            QVERIFY(
                model.data(model.index(row, LogTableModel::LevelColumn), LogTableModel::LevelRole)
                    .toInt()
                >= static_cast<int>(Severity::Error));
            if (model.data(model.index(row, LogTableModel::ServiceColumn), Qt::DisplayRole)
                    .toString()
                    .toStdString()
                == m_incident.suspectService)
                shown.emplace_back(
                    time,
                    model.data(model.index(row, LogTableModel::MessageColumn), Qt::DisplayRole)
                        .toString());
        }
        QCOMPARE(shown.size(), expected->size());
        for (std::size_t i = 0; i < shown.size(); ++i) {
            QCOMPARE(shown[i].first, (*expected)[i].time);
            QCOMPARE(shown[i].second, QString::fromStdString((*expected)[i].message));
        }

        // Search: only matching lines.
        const QString word = shown.front().second.section(QLatin1Char(' '), 0, 0);
        logs.setSearchText(word);
        QVERIFY(waitLogs(window));
        QVERIFY(model.rowCount() > 0);
        for (int row = 0; row < model.rowCount(); ++row) {
            const QString line
                = model.data(model.index(row, LogTableModel::MessageColumn), Qt::DisplayRole)
                      .toString()
                + model.data(model.index(row, LogTableModel::ServiceColumn), Qt::DisplayRole)
                      .toString()
                + model.data(model.index(row, LogTableModel::EntityColumn), Qt::DisplayRole)
                      .toString();
            QVERIFY2(line.contains(word, Qt::CaseInsensitive), qPrintable(line));
        }
        logs.setSearchText({});
        logs.setMinimumLevel(Severity::Debug);
        QVERIFY(waitLogs(window));
        QVERIFY(model.rowCount() > static_cast<int>(expected->size()));

        // The crosshair scrolls the logs to its moment: the first line at or after it.
        const TimeUs moment = m_incident.time - 30 * kMicrosPerSecond;
        window.viewState().setCursorTime(moment);
        const int current = logs.table().currentIndex().row();
        QVERIFY(current >= 0);
        QVERIFY(model.timeAt(current) >= moment);
        QVERIFY(current == 0 || model.timeAt(current - 1) < moment);
        QVERIFY(logs.table()
                    .visualRect(logs.table().currentIndex())
                    .intersects(logs.table().viewport()->rect()));

        // Choosing a line puts the crosshair at its time.
        const int chosen = model.rowCount() / 3;
        logs.table().setCurrentIndex(model.index(chosen, LogTableModel::MessageColumn));
        QCOMPARE(*window.viewState().cursorTime(), model.timeAt(chosen));

        QVERIFY(saveThemeScreenshots(window, QStringLiteral("logs")));
    }

    void aTraceTreeIsDepthFirstWithItsCriticalPath()
    {
        const auto span = [](std::string id, std::string parent, TimeUs start, TimeUs end,
                             bool failed = false) {
            Span s;
            s.traceId = "t";
            s.spanId = std::move(id);
            s.parentSpanId = std::move(parent);
            s.service = "svc-" + s.spanId;
            s.name = "op";
            s.start = start;
            s.end = end;
            s.status = failed ? SpanStatus::Error : SpanStatus::Ok;
            return s;
        };
        // In no particular order, one read twice, one whose parent is missing.
        const TraceTree tree = TraceTree::build({
            span("c", "b", 30, 85, true),
            span("a", "root", 0, 30),
            span("root", "", 0, 100),
            span("b", "root", 20, 90),
            span("b", "root", 20, 90),
            span("orphan", "gone", 40, 50),
        });
        QCOMPARE(tree.rows.size(), std::size_t(5));
        QStringList order;
        QList<int> depths;
        QStringList critical;
        for (int row = 0; row < static_cast<int>(tree.rows.size()); ++row) {
            order << QString::fromStdString(tree.spanAt(row).spanId);
            depths << tree.rows[static_cast<std::size_t>(row)].depth;
            if (tree.rows[static_cast<std::size_t>(row)].critical)
                critical << QString::fromStdString(tree.spanAt(row).spanId);
        }
        QCOMPARE(order, (QStringList{"root", "a", "b", "c", "orphan"}));
        QCOMPARE(depths, (QList<int>{0, 1, 1, 2, 0}));
        // b ends last under the root, c under b: the chain that decides the trace's end.
        QCOMPARE(critical, (QStringList{"root", "b", "c"}));
        QCOMPARE(tree.errors, 1);
        QCOMPARE(tree.errorOriginRow(), 3);
        QVERIFY(tree.rows[0].errorBelow && tree.rows[2].errorBelow && !tree.rows[1].errorBelow);
        QCOMPARE(tree.start, TimeUs(0));
        QCOMPARE(tree.end, TimeUs(100));

        // A chain of 10k spans (deeper than any stack would take recursively) and a cycle.
        std::vector<Span> chain;
        for (int i = 0; i < 10'000; ++i)
            chain.push_back(
                span(std::to_string(i), i == 0 ? "" : std::to_string(i - 1), i, 20'000 - i));
        chain.push_back(span("x", "y", 5, 6));
        chain.push_back(span("y", "x", 5, 6));
        const TraceTree deep = TraceTree::build(std::move(chain));
        QCOMPARE(deep.rows.size(), std::size_t(10'000)); // the cycle has no root to reach it
        QCOMPARE(deep.maxDepth, 9'999);
        QVERIFY(deep.rows.back().critical);
    }

    void tracesShowTheIncidentsFailingSpan()
    {
        MainWindow window;
        window.resize(1600, 1000);
        QVERIFY(window.openCapture(m_capture).ok());
        window.show();
        raiseDock(window, "TracesDock");
        QVERIFY(waitSettled(window));
        QVERIFY(window.showIncident(m_incident.id).ok());
        QVERIFY(QTest::qWaitFor(
            [&] {
                const auto &result = window.rootCausePanel().result();
                return result && result->failureId == m_incident.id && window.isSettled();
            },
            30'000));
        TracesPanel &traces = window.tracesPanel();
        QVERIFY(QTest::qWaitFor([&] { return traces.isSettled(); }, 20'000));
        TraceListModel &list = traces.model();
        QVERIFY2(list.rowCount() > 0, qPrintable(traces.statusText()));
        // Failing traces first, each through one of the incident's services.
        const TraceSummary &first = list.traceAt(0);
        QVERIFY(first.errors > 0);
        const auto &focus = window.rootCausePanel().result()->analysis;
        bool previousFailed = true;
        for (int row = 0; row < list.rowCount(); ++row) {
            const TraceSummary &trace = list.traceAt(row);
            QVERIFY2(previousFailed || trace.errors == 0, "a failing trace after a good one");
            previousFailed = trace.errors > 0;
            const bool throughFocus = std::any_of(
                trace.services.begin(), trace.services.end(), [&](const std::string &service) {
                    return service == focus->failure.service
                        || std::any_of(focus->suspects.begin(), focus->suspects.end(),
                                       [&](const auto &s) { return s.service == service; });
                });
            QVERIFY(throughFocus);
        }
        // The first failing trace is open, the span where its failure began chosen and
        // described.
        TraceWaterfall &waterfall = traces.waterfall();
        QVERIFY(waterfall.trace());
        QCOMPARE(waterfall.trace()->spans.front().traceId, first.traceId);
        QCOMPARE(static_cast<int>(waterfall.trace()->spans.size()), first.spans);
        const int failing = waterfall.selectedRow();
        QVERIFY(failing >= 0);
        const Span &span = waterfall.trace()->spanAt(failing);
        QCOMPARE(span.status, SpanStatus::Error);
        QVERIFY(!waterfall.trace()->rows[static_cast<std::size_t>(failing)].errorBelow);
        QVERIFY2(traces.detailsText().contains(QStringLiteral("failed")),
                 qPrintable(traces.detailsText()));
        QCOMPARE(*window.viewState().cursorTime(), span.start);

        // Clicking a row chooses that span; the arrow keys step.
        const QPoint second(waterfall.viewport()->width() / 2, waterfall.rowHeight() * 2 + 2);
        const int clicked = waterfall.rowAt(second);
        QVERIFY(clicked >= 0 && clicked != failing);
        QTest::mouseClick(waterfall.viewport(), Qt::LeftButton, {}, second);
        QCOMPARE(waterfall.selectedRow(), clicked);
        QCOMPARE(*window.viewState().cursorTime(), waterfall.trace()->spanAt(clicked).start);
        QTest::keyClick(&waterfall, Qt::Key_Up);
        QCOMPARE(waterfall.selectedRow(), clicked - 1);
        waterfall.selectRow(failing);

        QVERIFY(saveThemeScreenshots(window, QStringLiteral("traces")));
    }

    void serviceMapShowsTheCallGraphWithTheSuspectAnomalous()
    {
        auto reader = CaptureReader::open(m_capture);
        QVERIFY(reader);
        constexpr TimeUs minute = 60 * kMicrosPerSecond;
        const TimeUs at = m_incident.time + minute;
        auto map = analysis::buildServiceMap(**reader, at);
        QVERIFY2(map, map ? "" : map.error().c_str());

        // The calls are those the window's spans show (the simulator declares no topology).
        SpanQuery query;
        query.range = map->window;
        auto spans = (*reader)->spans(query);
        QVERIFY(spans);
        analysis::CallGraph graph;
        graph.addSpans(*spans);
        QCOMPARE(map->edges.size(), graph.edgeCount());
        QVERIFY(map->edges.size() >= 3);
        for (const analysis::ServiceMapEdge &edge : map->edges) {
            QVERIFY(graph.callees(edge.caller).count(edge.callee));
            QVERIFY(edge.calls > 0);
            QVERIFY(edge.errors <= edge.calls);
        }
        // Entry points on the left: every caller sits left of what it calls (no cycles here).
        const auto layerOf = [&](const std::string &service) {
            for (const auto &node : map->nodes) {
                if (node.service == service)
                    return node.layer;
            }
            return -1;
        };
        for (const analysis::ServiceMapEdge &edge : map->edges)
            QVERIFY(layerOf(edge.caller) < layerOf(edge.callee));

        // Where the incident started looks anomalous; more is off than at a quiet moment.
        const auto anomalous = [](const analysis::ServiceMap &m) {
            std::set<std::string> services;
            for (const auto &node : m.nodes) {
                if (node.anomaly.symptom >= analysis::kServiceMapAnomalous)
                    services.insert(node.service);
            }
            return services;
        };
        const std::set<std::string> atIncident = anomalous(*map);
        QVERIFY2(atIncident.count(m_incident.suspectService),
                 (m_incident.kind + ": " + m_incident.suspectService).c_str());
        // The quietest moment: the furthest from every simulated incident (after the first
        // 45 minutes, which the scorer needs as history).
        std::optional<TimeUs> quiet;
        TimeUs quietness = 0;
        for (TimeUs t = m_start + 45 * minute; t < m_start + 180 * minute; t += minute) {
            TimeUs nearest = 180 * minute;
            for (const sim::TruthIncident &i : m_truth.incidents)
                nearest = std::min(nearest, std::abs(i.time - t));
            if (nearest > quietness) {
                quietness = nearest;
                quiet = t;
            }
        }
        QVERIFY2(quietness >= 15 * minute, "no quiet moment in the simulated capture");
        auto calm = analysis::buildServiceMap(**reader, *quiet);
        QVERIFY(calm);
        QVERIFY2(anomalous(*calm).size() < atIncident.size(),
                 qPrintable(QStringLiteral("%1 anomalous when quiet, %2 at the incident")
                                .arg(anomalous(*calm).size())
                                .arg(atIncident.size())));

        // In the console: at the crosshair; a click on a service filters to it, again lifts it.
        MainWindow window;
        window.resize(1600, 1000);
        QVERIFY(window.openCapture(m_capture).ok());
        window.show();
        QVERIFY(waitSettled(window));
        ServiceMapPanel &panel = window.serviceMapPanel();
        QVERIFY(!panel.map()); // behind its tab, it builds nothing
        window.viewState().setVisibleRange({at - 30 * minute, at + 10 * minute});
        window.viewState().setCursorTime(at);
        raiseDock(window, "ServiceMapDock");
        QVERIFY(QTest::qWaitFor([&] { return panel.map() && panel.isSettled(); }, 20'000));
        QCOMPARE(panel.map()->at, at);
        QCOMPARE(anomalous(*panel.map()), atIncident);
        QVERIFY2(panel.statusText().contains(QStringLiteral("anomalous")),
                 qPrintable(panel.statusText()));
        const QString suspect = QString::fromStdString(m_incident.suspectService);
        const QRectF box = panel.view().nodeRect(suspect);
        QVERIFY(!box.isEmpty());
        QVERIFY(panel.view().describeAt(box.center()).contains(QStringLiteral("anomalous")));
        QTest::mouseClick(&panel.view(), Qt::LeftButton, {}, box.center().toPoint());
        QCOMPARE(window.logsPanel().service(), suspect);
        QCOMPARE(window.tracesPanel().service(), suspect);
        QTest::mouseClick(&panel.view(), Qt::LeftButton, {}, box.center().toPoint());
        QVERIFY(window.logsPanel().service().isEmpty());
        QTest::mouseClick(&panel.view(), Qt::LeftButton, {}, box.center().toPoint());

        QVERIFY(saveThemeScreenshots(window, QStringLiteral("service-map"),
                                     [&window] { raiseDock(window, "ServiceMapDock"); }));
    }
};

QTEST_MAIN(TestLogsTraces)
#include "tst_logstraces.moc"
