// The console's models and view state, without widgets: ViewState navigation and history,
// per-pixel event aggregation, span pairing, the event table and its filter, the series tree,
// and typed time ranges.
#include "models/eventtablemodel.h"
#include "models/overviewseries.h"
#include "models/seriestreemodel.h"
#include "timedisplay.h"
#include "timeline/eventcolumns.h"
#include "timeline/eventspans.h"
#include "timeline/seriesraster.h"
#include "timeline/viewstate.h"

#include <QSignalSpy>
#include <QTest>

using namespace eventscope;
using namespace eventscope::ui;

namespace {
constexpr TimeUs kBase = 1'764'000'000LL * kMicrosPerSecond;
constexpr TimeUs kMinute = 60 * kMicrosPerSecond;

Event makeEvent(TimeUs time, const std::string &type, const std::string &service,
                Severity severity = Severity::Info, const std::string &message = "m")
{
    Event e;
    e.sourceId = "evt-" + std::to_string(time);
    e.time = time;
    e.type = type;
    e.category = inferEventCategory(type);
    e.severity = severity;
    e.service = service;
    e.message = message;
    return e;
}
} // namespace

class TestTimelineModels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void viewStateZoomKeepsTheAnchorAndRecordsHistory()
    {
        ViewState view;
        view.setDataExtent({kBase, kBase + 60 * kMinute});
        QCOMPARE(view.visibleRange(), (TimeRange{kBase, kBase + 60 * kMinute}));
        QVERIFY(!view.canGoBack());

        const TimeUs anchor = kBase + 15 * kMinute;
        view.zoom(0.5, anchor);
        QCOMPARE(view.visibleRange(),
                 (TimeRange{kBase + 7 * kMinute + 30 * kMicrosPerSecond,
                            kBase + 37 * kMinute + 30 * kMicrosPerSecond}));
        QVERIFY(view.canGoBack());
        view.pan(0.5);
        QCOMPARE(view.visibleRange().duration(), 30 * kMinute);
        QCOMPARE(view.visibleRange().begin, kBase + 22 * kMinute + 30 * kMicrosPerSecond);

        view.goBack();
        QCOMPARE(view.visibleRange().begin, kBase + 7 * kMinute + 30 * kMicrosPerSecond);
        view.goBack();
        QCOMPARE(view.visibleRange(), (TimeRange{kBase, kBase + 60 * kMinute}));
        QVERIFY(!view.canGoBack());
        view.goForward();
        view.goForward();
        QCOMPARE(view.visibleRange().begin, kBase + 22 * kMinute + 30 * kMicrosPerSecond);
        QVERIFY(!view.canGoForward());
        // A new navigation after going back drops the forward history.
        view.goBack();
        view.fitAll();
        QVERIFY(!view.canGoForward());
    }

    void viewStateContinuousGestureIsOneHistoryStep()
    {
        ViewState view;
        view.setDataExtent({kBase, kBase + 60 * kMinute});
        for (int i = 0; i < 5; ++i)
            view.zoom(0.9, kBase + 30 * kMinute, ViewState::History::Continuous);
        view.goBack();
        QCOMPARE(view.visibleRange(), (TimeRange{kBase, kBase + 60 * kMinute}));
        QVERIFY(!view.canGoBack());
    }

    void viewStateFollowMovesWithTheDataAndStopsOnZoom()
    {
        ViewState view;
        view.setDataExtent({kBase, kBase + 60 * kMinute});
        QSignalSpy following(&view, &ViewState::followingChanged);
        view.showLast(5 * kMinute);
        QVERIFY(view.isFollowing());
        QCOMPARE(view.visibleRange(), (TimeRange{kBase + 55 * kMinute, kBase + 60 * kMinute}));
        view.setDataExtent({kBase, kBase + 61 * kMinute});
        QCOMPARE(view.visibleRange(), (TimeRange{kBase + 56 * kMinute, kBase + 61 * kMinute}));

        view.zoom(0.5, kBase + 57 * kMinute); // the user zooms: following stops
        QVERIFY(!view.isFollowing());
        const TimeRange zoomed = view.visibleRange();
        view.setDataExtent({kBase, kBase + 62 * kMinute});
        QCOMPARE(view.visibleRange(), zoomed);
        QCOMPARE(following.count(), 2);

        view.setFollowing(true); // the Live button
        QCOMPARE(view.visibleRange().end, kBase + 62 * kMinute);
        QCOMPARE(view.visibleRange().duration(), zoomed.duration());
    }

    void viewStateFollowAllGrowsWithALiveCaptureThatStartsEmpty()
    {
        ViewState view;
        view.followAll();
        QVERIFY(view.isFollowing());
        view.setDataExtent({kBase, kBase + kMinute});
        QCOMPARE(view.visibleRange(), (TimeRange{kBase, kBase + kMinute}));
        view.setDataExtent({kBase, kBase + 45 * kMinute});
        QCOMPARE(view.visibleRange(), (TimeRange{kBase, kBase + 45 * kMinute}));
        view.showLast(5 * kMinute); // a preset keeps following with its width
        view.setDataExtent({kBase, kBase + 46 * kMinute});
        QCOMPARE(view.visibleRange(), (TimeRange{kBase + 41 * kMinute, kBase + 46 * kMinute}));
    }

    void viewStateSelectionAndCursor()
    {
        ViewState view;
        QSignalSpy selection(&view, &ViewState::selectionChanged);
        const Event e = makeEvent(kBase, "failure.crash", "checkout", Severity::Error);
        view.setSelectedEvent(e);
        view.setSelectedEvent(e);
        QCOMPARE(selection.count(), 1);
        QCOMPARE(*view.selectedEvent(), e);
        view.clearSelection();
        QVERIFY(!view.selectedEvent());
        QCOMPARE(selection.count(), 2);
    }

    void eventColumnsCountEveryEventOncePerPixel_data()
    {
        QTest::addColumn<int>("events");
        QTest::addColumn<int>("columns");
        QTest::newRow("sparse") << 50 << 1000;
        QTest::newRow("dense") << 100'000 << 1920;
        QTest::newRow("one column") << 500 << 1;
    }

    void eventColumnsCountEveryEventOncePerPixel()
    {
        QFETCH(int, events);
        QFETCH(int, columns);
        auto list = std::make_shared<std::vector<Event>>();
        const TimeUs week = 7 * 24 * 60 * kMinute;
        for (int i = 0; i < events; ++i) {
            const TimeUs t = kBase + week * i / events;
            list->push_back(makeEvent(t, i % 7 == 0 ? "failure.crash" : "deployment.rollout",
                                      "svc" + std::to_string(i % 5),
                                      i % 7 == 0 ? Severity::Error : Severity::Info));
        }
        const TimeRange range{kBase, kBase + week};
        const EventColumns result
            = aggregateEventColumns(*list, range, columns, LaneMode::Category, {});
        QCOMPARE(result.eventsInRange, static_cast<std::size_t>(events));
        std::size_t counted = 0;
        for (const EventCell &cell : result.cells) {
            QVERIFY(cell.column >= 0 && cell.column < columns);
            counted += cell.count;
            if (cell.lane == static_cast<int>(EventCategory::Failure))
                QCOMPARE(cell.worst, Severity::Error);
        }
        QCOMPARE(counted, static_cast<std::size_t>(events)); // every event, no cap
        QVERIFY(result.cells.size() <= static_cast<std::size_t>(columns) * kEventCategoryCount);
        QVERIFY(result.markers.size() <= static_cast<std::size_t>(columns));

        // Service lanes: one per service, sorted; the same total.
        const EventColumns byService
            = aggregateEventColumns(*list, range, columns, LaneMode::Service, {});
        QCOMPARE(byService.lanes.size(), std::min<std::size_t>(5, events));
        QCOMPARE(byService.lanes.front(), std::string("svc0"));
        std::size_t serviceCounted = 0;
        for (const EventCell &cell : byService.cells)
            serviceCounted += cell.count;
        QCOMPARE(serviceCounted, static_cast<std::size_t>(events));
    }

    void eventColumnsWorstSeverityAndIdenticalEvents()
    {
        std::vector<Event> list = {
            makeEvent(kBase + 1, "failure.crash", "a", Severity::Warning, "same"),
            makeEvent(kBase + 2, "failure.crash", "a", Severity::Warning, "same"),
            makeEvent(kBase + 3, "failure.timeout", "a", Severity::Critical, "other"),
            makeEvent(kBase + 10 * kMinute, "failure.crash", "a", Severity::Warning, "same"),
            makeEvent(kBase + 10 * kMinute + 1, "failure.crash", "a", Severity::Warning, "same"),
        };
        const EventColumns columns = aggregateEventColumns(list, {kBase, kBase + 20 * kMinute}, 100,
                                                           LaneMode::Category, {});
        QCOMPARE(columns.cells.size(), std::size_t(2));
        QCOMPARE(columns.cells[0].count, 3u);
        QCOMPARE(columns.cells[0].worst, Severity::Critical);
        QVERIFY(!columns.cells[0].identical);
        QCOMPARE(columns.cells[1].count, 2u);
        QVERIFY(columns.cells[1].identical);
        QCOMPARE(columns.columnOf(kBase + 10 * kMinute), 50);
        QCOMPARE(columns.columnRange(50).begin, kBase + 10 * kMinute);

        // Hover grouping: identical events collapse into one ×N.
        std::vector<const Event *> under;
        for (const Event &e : list)
            under.push_back(&e);
        const auto groups = groupIdenticalEvents(under, 20);
        QCOMPARE(groups.size(), std::size_t(2));
        QCOMPARE(groups[0].count, std::size_t(4));
        QCOMPARE(groups[1].count, std::size_t(1));
        QCOMPARE(groupIdenticalEvents(under, 1).size(), std::size_t(1));
    }

    void eventColumnsFollowTheFilter()
    {
        std::vector<Event> list = {
            makeEvent(kBase + 1, "failure.crash", "checkout", Severity::Error),
            makeEvent(kBase + 2, "deployment.rollout", "search"),
            makeEvent(kBase + 3, "config.changed", "checkout"),
        };
        EventFilter filter;
        filter.service = QStringLiteral("checkout");
        auto columns
            = aggregateEventColumns(list, {kBase, kBase + kMinute}, 10, LaneMode::Category, filter);
        QCOMPARE(columns.eventsInRange, std::size_t(2));
        filter = {};
        filter.minSeverity = Severity::Error;
        columns
            = aggregateEventColumns(list, {kBase, kBase + kMinute}, 10, LaneMode::Category, filter);
        QCOMPARE(columns.eventsInRange, std::size_t(1));
        filter = {};
        filter.text = QStringLiteral("ROLLOUT");
        columns
            = aggregateEventColumns(list, {kBase, kBase + kMinute}, 10, LaneMode::Category, filter);
        QCOMPARE(columns.eventsInRange, std::size_t(1));
    }

    // The incident analysis' recoveries override the pairing for the failures they name: each
    // is its own span to its recovery (also one no recovery event announced), and one that did
    // not recover is shaded for the analysis' horizon, not to the end of the data.
    void knownRecoveriesShadeIncidentsToTheirRecovery()
    {
        std::vector<Event> list = {
            makeEvent(kBase, "failure.crash", "batch", Severity::Error),
            makeEvent(kBase + 10 * kMinute, "failure.crash", "batch", Severity::Error),
            makeEvent(kBase + 20 * kMinute, "failure.crash", "search", Severity::Error),
            makeEvent(kBase + 25 * kMinute, "recovery.healthy", "search"),
        };
        KnownRecoveries known;
        known[list[0].sourceId] = kBase + 4 * kMinute; // a metric back to baseline
        known[list[1].sourceId] = 0; // did not recover within the horizon
        const TimeUs dataEnd = kBase + 600 * kMinute;
        const auto spans = pairEventSpans(list, dataEnd, &known, 120 * kMinute);
        QCOMPARE(spans.size(), std::size_t(3));
        QCOMPARE(spans[0].end, kBase + 4 * kMinute);
        QVERIFY(!spans[0].open);
        QCOMPARE(spans[1].begin, kBase + 10 * kMinute);
        QCOMPARE(spans[1].end, kBase + 130 * kMinute);
        QVERIFY(!spans[1].open); // long past: not "still open"
        // Not analysed: paired by events as before.
        QCOMPARE(spans[2].service, std::string("search"));
        QCOMPARE(spans[2].end, kBase + 25 * kMinute);
        // Near the end of the data, one that has not recovered is still open.
        const auto recent = pairEventSpans(list, kBase + 30 * kMinute, &known, 120 * kMinute);
        QCOMPARE(recent[1].end, kBase + 30 * kMinute);
        QVERIFY(recent[1].open);
    }

    void spansPairFailuresAlertsAndOperations()
    {
        std::vector<Event> list = {
            makeEvent(kBase, "failure.crash", "checkout", Severity::Error),
            makeEvent(kBase + kMinute, "failure.timeout", "checkout", Severity::Error),
            makeEvent(kBase + 2 * kMinute, "failure.crash", "search", Severity::Error),
            makeEvent(kBase + 3 * kMinute, "recovery.healthy", "checkout"),
            makeEvent(kBase + 4 * kMinute, "migration.started", "db"),
            makeEvent(kBase + 6 * kMinute, "migration.completed", "db"),
        };
        Event firing
            = makeEvent(kBase + 5 * kMinute, "alert.firing", "checkout", Severity::Warning);
        firing.attributes = R"({"rule":"p99","subject":"checkout","state":"firing"})";
        Event resolved = makeEvent(kBase + 7 * kMinute, "alert.resolved", "checkout");
        resolved.attributes = R"({"rule":"p99","subject":"checkout","state":"resolved"})";
        list.push_back(firing);
        list.push_back(resolved);
        std::stable_sort(list.begin(), list.end(),
                         [](const Event &a, const Event &b) { return a.time < b.time; });

        const auto spans = pairEventSpans(list, kBase + 60 * kMinute);
        QCOMPARE(spans.size(), std::size_t(4));
        // Two failures of checkout before its recovery: one incident from the first.
        QCOMPARE(spans[0].kind, EventSpan::Kind::Incident);
        QCOMPARE(spans[0].begin, kBase);
        QCOMPARE(spans[0].end, kBase + 3 * kMinute);
        QVERIFY(!spans[0].open);
        // search never recovered: open until the end of the data.
        QCOMPARE(spans[1].service, std::string("search"));
        QVERIFY(spans[1].open);
        QCOMPARE(spans[1].end, kBase + 60 * kMinute);
        QCOMPARE(spans[2].kind, EventSpan::Kind::Operation);
        QCOMPARE(spans[2].end, kBase + 6 * kMinute);
        QCOMPARE(spans[3].kind, EventSpan::Kind::Alert);
        QCOMPARE(spans[3].end, kBase + 7 * kMinute);

        // As pixel runs: 60 columns of a minute; the incident covers columns 0-3, the open
        // search incident from 2 to the end, merged with it into one run.
        const auto merged = mergeOverlappingSpans(spans);
        QCOMPARE(merged.size(), std::size_t(3));
        const auto runs = spanRunsFor(merged, {kBase, kBase + 60 * kMinute}, 60);
        QCOMPARE(runs.size(), std::size_t(3));
        const auto incident = std::find_if(runs.begin(), runs.end(), [](const SpanRun &r) {
            return r.kind == EventSpan::Kind::Incident;
        });
        QVERIFY(incident != runs.end());
        QCOMPARE(incident->first, 0);
        QCOMPARE(incident->last, 59);
        QVERIFY(incident->open);
        const auto operation = std::find_if(runs.begin(), runs.end(), [](const SpanRun &r) {
            return r.kind == EventSpan::Kind::Operation;
        });
        QCOMPARE(operation->first, 4);
        QCOMPARE(operation->last, 6);
        QVERIFY(!operation->open);
    }

    void eventTableAppendsLaterEventsAsOneBatch()
    {
        EventTableModel model;
        auto first = std::make_shared<std::vector<Event>>();
        for (int i = 0; i < 10; ++i)
            first->push_back(makeEvent(kBase + i, "deployment.rollout", "a"));
        model.setEvents(first);
        QCOMPARE(model.rowCount(), 10);

        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        auto second = std::make_shared<std::vector<Event>>(*first);
        for (int i = 10; i < 15; ++i)
            second->push_back(makeEvent(kBase + i, "deployment.rollout", "a"));
        model.setEvents(second);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(reset.count(), 0);
        QCOMPARE(model.rowCount(), 15);
        QCOMPARE(model.rowOf((*second)[12]), 12);

        // An earlier event arrived late: the rows move, so the model resets.
        auto third = std::make_shared<std::vector<Event>>(*second);
        third->insert(third->begin(), makeEvent(kBase - 1, "config.changed", "b"));
        model.setEvents(third);
        QCOMPARE(reset.count(), 1);
        QCOMPARE(model.rowCount(), 16);
    }

    void eventTableShowsTimesInTheChosenZone()
    {
        EventTableModel model;
        auto list = std::make_shared<std::vector<Event>>();
        list->push_back(makeEvent(1'764'000'000'123'000LL, "config.changed", "a"));
        model.setEvents(list);
        QCOMPARE(model.index(0, EventTableModel::TimeColumn).data().toString(),
                 QStringLiteral("2025-11-24 16:00:00.123 UTC"));
        model.setTimeZone(TimeZoneMode::Local);
        QCOMPARE(model.headerData(EventTableModel::TimeColumn, Qt::Horizontal, Qt::DisplayRole)
                     .toString(),
                 QStringLiteral("Time (local)"));
    }

    void eventFilterProxyFiltersAndSortsByEvent()
    {
        EventTableModel model;
        auto list = std::make_shared<std::vector<Event>>();
        list->push_back(makeEvent(kBase + 3, "failure.crash", "checkout", Severity::Error));
        list->push_back(makeEvent(kBase + 1, "deployment.rollout", "search"));
        list->push_back(makeEvent(kBase + 2, "config.changed", "checkout", Severity::Warning));
        std::stable_sort(list->begin(), list->end(),
                         [](const Event &a, const Event &b) { return a.time < b.time; });
        model.setEvents(list);
        EventFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        QCOMPARE(proxy.rowCount(), 3);
        EventFilter filter;
        filter.service = QStringLiteral("checkout");
        proxy.setFilter(filter);
        QCOMPARE(proxy.rowCount(), 2);
        filter.minSeverity = Severity::Error;
        proxy.setFilter(filter);
        QCOMPARE(proxy.rowCount(), 1);
        QCOMPARE(proxy.index(0, EventTableModel::TypeColumn).data().toString(),
                 QStringLiteral("failure.crash"));
        proxy.setFilter({});
        proxy.sort(EventTableModel::SeverityColumn, Qt::DescendingOrder);
        QCOMPARE(proxy.index(0, EventTableModel::SeverityColumn).data().toString(),
                 QStringLiteral("error"));
        QCOMPARE(proxy.index(2, EventTableModel::SeverityColumn).data().toString(),
                 QStringLiteral("info"));
    }

    // The first charts show the fleet: the failing service's golden signals first, Kafka's
    // own health (what the live ingest records about itself) only when nothing else exists.
    void overviewPrefersTheFailingServiceAndLeavesIngestHealthLast()
    {
        std::vector<SeriesInfo> series;
        const auto add = [&series](std::string name, std::vector<Label> labels) {
            SeriesInfo info;
            info.id = static_cast<std::int64_t>(series.size() + 1);
            info.key = SeriesKey(std::move(name), std::move(labels));
            series.push_back(info);
        };
        add("eventscope_brokers_up", {});
        add("eventscope_consumer_lag", {{"topic", "metrics"}, {"partition", "0"}});
        add("cpu_utilization", {{"service", "search"}});
        add("latency_p99_ms", {{"service", "search"}});
        add("latency_p99_ms", {{"service", "checkout"}});
        add("error_rate", {{"service", "checkout"}});
        Event failure;
        failure.type = "failure.crash";
        failure.category = EventCategory::Failure;
        failure.service = "checkout";
        failure.time = 1000;
        const std::vector<Event> events{failure};

        const auto chosen = chooseOverviewSeries(series, events, 4);
        QCOMPARE(chosen.size(), std::size_t(4));
        QCOMPARE(chosen[0].key.label("service"), std::string("checkout"));
        QCOMPARE(chosen[1].key.label("service"), std::string("checkout"));
        for (const SeriesInfo &info : chosen)
            QVERIFY2(!isIngestHealthSeries(info.key), info.key.canonical().c_str());

        // Per-pod series still come before the ingest's health.
        const std::vector<SeriesInfo> perPod{
            series[0], series[1], [] {
                SeriesInfo info;
                info.id = 99;
                info.key = SeriesKey("memory_usage_bytes",
                                     {{"pod", "checkout-1"}, {"service", "checkout"}});
                return info;
            }()};
        QCOMPARE(chooseOverviewSeries(perPod, events, 1).front().id, std::int64_t(99));

        const auto healthOnly = chooseOverviewSeries(
            std::vector<SeriesInfo>(series.begin(), series.begin() + 2), events, 4);
        QCOMPARE(healthOnly.size(), std::size_t(2));
    }

    void seriesTreeGroupsByMetricAndSearches()
    {
        SeriesTreeModel tree;
        std::vector<SeriesInfo> series;
        const auto add = [&series](std::int64_t id, std::string name, std::vector<Label> labels) {
            SeriesInfo info;
            info.id = id;
            info.key = SeriesKey(std::move(name), std::move(labels));
            series.push_back(info);
        };
        add(1, "latency_p99_ms", {{"service", "checkout"}});
        add(2, "cpu", {{"service", "checkout"}});
        add(3, "latency_p99_ms", {{"service", "search"}});
        tree.setSeries(series);
        QCOMPARE(tree.rowCount(), 2);
        const QModelIndex cpu = tree.index(0, 0);
        QCOMPARE(cpu.data().toString(), QStringLiteral("cpu"));
        const QModelIndex latency = tree.index(1, 0);
        QCOMPARE(tree.rowCount(latency), 2);
        QCOMPARE(tree.index(1, 0, latency).data().toString(), QStringLiteral("service=search"));
        QCOMPARE(tree.seriesUnder(latency).size(), std::size_t(2));
        QCOMPARE(tree.seriesAt(tree.index(0, 0, latency))->id, 1);
        QCOMPARE(tree.parent(tree.index(0, 0, latency)), latency);

        SeriesFilterProxyModel proxy;
        proxy.setSourceModel(&tree);
        proxy.setSearch(QStringLiteral("latency search"));
        QCOMPARE(proxy.rowCount(), 1);
        QCOMPARE(proxy.rowCount(proxy.index(0, 0)), 1);
        proxy.setSearch(QStringLiteral("nothing"));
        QCOMPARE(proxy.rowCount(), 0);
    }

    void seriesRasterDrawsLinesAndColumnsWithinTheImage()
    {
        SeriesRaster raster;
        raster.begin(QSize(0, 0)); // not laid out yet: every call is a no-op
        raster.line(0, 0, 10, 10, 0xffffffff);
        raster.fillColumn(1, 0, 5, 0xffffffff);
        QVERIFY(raster.image().isNull());

        raster.begin(QSize(20, 10));
        const QRgb red = qRgb(255, 0, 0);
        raster.line(0, 0, 19, 9, red);
        QCOMPARE(raster.image().pixel(0, 0), red);
        QCOMPARE(raster.image().pixel(19, 9), red);
        int lit = 0;
        for (int x = 0; x < 20; ++x) {
            for (int y = 0; y < 10; ++y)
                lit += raster.image().pixel(x, y) == red;
        }
        QCOMPARE(lit, 20); // one pixel per column for a shallow line

        // Far outside the image (an outlier value): clipped, bounded, nothing written outside.
        raster.begin(QSize(20, 10));
        raster.line(-80, 5, 100, 5, red);
        for (int x = 0; x < 20; ++x)
            QCOMPARE(raster.image().pixel(x, 5), red);
        raster.fillColumn(3, -50, 500, red);
        for (int y = 0; y < 10; ++y)
            QCOMPARE(raster.image().pixel(3, y), red);
        raster.fillColumn(25, 0, 9, red); // off the right edge
        QCOMPARE(raster.image().pixel(19, 0), qRgba(0, 0, 0, 0));
    }

    void typedRangesParse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("begin");
        QTest::addColumn<qint64>("end");
        QTest::addColumn<QString>("error");
        const qint64 base = 1'764'000'000LL * 1'000'000; // 2025-11-24T16:00:00Z
        QTest::newRow("Z and milliseconds")
            << QStringLiteral("2025-11-24T16:00:00.250Z, 2025-11-24T17:00:00Z") << base + 250'000
            << base + 3600LL * 1'000'000 << QString();
        QTest::newRow("offset") << QStringLiteral(
            "2025-11-24T18:00:00+02:00 to 2025-11-24T16:30:00Z")
                                << base << base + 1800LL * 1'000'000 << QString();
        QTest::newRow("no offset is UTC here")
            << QStringLiteral("2025-11-24 16:00:00, 2025-11-24 16:00:01") << base
            << base + 1'000'000 << QString();
        QTest::newRow("one side") << QStringLiteral("2025-11-24T16:00:00Z") << qint64(0)
                                  << qint64(0)
                                  << QStringLiteral("expected FROM, TO (two ISO 8601 times)");
        QTest::newRow("bad to") << QStringLiteral("2025-11-24T16:00:00Z, yesterday") << qint64(0)
                                << qint64(0)
                                << QStringLiteral("TO 'yesterday' is not an ISO 8601 time");
        QTest::newRow("backwards")
            << QStringLiteral("2025-11-24T17:00:00Z, 2025-11-24T16:00:00Z") << qint64(0)
            << qint64(0) << QStringLiteral("TO must be after FROM");
    }

    void typedRangesParse()
    {
        QFETCH(QString, text);
        QFETCH(qint64, begin);
        QFETCH(qint64, end);
        QFETCH(QString, error);
        const ParsedRange parsed = parseTimeRangeText(text, TimeZoneMode::Utc);
        QCOMPARE(parsed.error, error);
        if (error.isEmpty()) {
            QCOMPARE(parsed.range.begin, begin);
            QCOMPARE(parsed.range.end, end);
        }
    }
};

QTEST_GUILESS_MAIN(TestTimelineModels)
#include "tst_timelinemodels.moc"
