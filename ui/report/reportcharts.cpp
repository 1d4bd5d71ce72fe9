#include "reportcharts.h"

#include "timeline/eventcolumns.h"
#include "timeline/eventlanechart.h"
#include "timeline/eventspans.h"
#include "timeline/metricchart.h"
#include "timeline/timelinefetcher.h"
#include "timeline/viewstate.h"

#include "store/capturereader.h"

#include <QPainter>
#include <QWidget>

#include <algorithm>
#include <set>

namespace eventscope::ui {

namespace {

constexpr int kMetricChartHeight = 180;
// Level-of-detail buckets per data-area pixel: sparse enough that a chart is drawn as lines
// and bands (vectors in a PDF), dense enough to show every spike a reader needs.
constexpr int kPixelsPerBucket = 4;

int dataWidth()
{
    return ReportCharts::kLogicalWidth - TimelineChart::kLeftMargin - TimelineChart::kRightMargin;
}

} // namespace

ReportCharts::ReportCharts() = default;
ReportCharts::~ReportCharts()
{
    m_charts.clear();
    m_host.reset(); // the charts before the view they observe
    m_view.reset();
}

Result<std::unique_ptr<ReportCharts>>
ReportCharts::build(CaptureReader &reader, const report::IncidentReport &report, const Theme &theme)
{
    using R = Result<std::unique_ptr<ReportCharts>>;
    std::unique_ptr<ReportCharts> charts(new ReportCharts);
    charts->m_view = std::make_unique<ViewState>();
    charts->m_host = std::make_unique<QWidget>();
    ViewState &view = *charts->m_view;
    const TimeRange range = report.timeline;
    view.setDataExtent(range);
    view.setVisibleRange(range, ViewState::History::Skip);
    view.setSelectedEvent(report.analysis.failure);

    // The events on the timeline, after the failures, recoveries and alerts from far enough
    // back that an incident or alert open at the left edge still pairs with its start and is
    // shaded (only those: a busy fleet has some 10 events a second).
    EventQuery before;
    before.range = {range.begin - report.options.analysis.recoveryHorizon, range.begin};
    before.categories = EventQuery::categoryBit(EventCategory::Failure)
        | EventQuery::categoryBit(EventCategory::Recovery)
        | EventQuery::categoryBit(EventCategory::Alert);
    auto events = reader.events(before);
    if (!events)
        return R::failure(events.error());
    EventQuery shown;
    shown.range = range;
    if (Status status = reader.forEachEvent(shown,
                                            [&](Event &&event) {
                                                events->push_back(std::move(event));
                                                return true;
                                            });
        !status)
        return R::failure(status.error());
    auto eventList = std::make_shared<const std::vector<Event>>(std::move(*events));
    const auto spans = mergeOverlappingSpans(pairEventSpans(*eventList, range.end));
    auto columns = std::make_shared<EventColumns>(
        aggregateEventColumns(*eventList, range, dataWidth(), LaneMode::Category, EventFilter{}));
    columns->spanRuns = spanRunsFor(spans, range, dataWidth());
    std::shared_ptr<const EventColumns> sharedColumns = columns;

    auto *lanes = new EventLaneChart(view, charts->m_host.get());
    lanes->setTheme(theme);
    lanes->setTimeLabelsVisible(true);
    lanes->setEvents(eventList, sharedColumns);
    charts->m_charts.push_back(
        {lanes, QObject::tr("Events"), std::max(lanes->preferredHeight(), 120)});

    auto seriesList = reader.series();
    if (!seriesList)
        return R::failure(seriesList.error());
    std::set<std::int64_t> drawn;
    for (const analysis::MetricAnomaly &anomaly : report.analysis.anomalies) {
        if (drawn.size() >= report.options.maxCharts)
            break;
        if (anomaly.seriesId == 0 || !drawn.insert(anomaly.seriesId).second)
            continue;
        auto info = std::find_if(seriesList->begin(), seriesList->end(),
                                 [&](const SeriesInfo &s) { return s.id == anomaly.seriesId; });
        if (info == seriesList->end())
            continue;
        const int buckets = dataWidth() / kPixelsPerBucket;
        auto lod = reader.levelOfDetail(anomaly.seriesId, range, buckets);
        if (!lod)
            return R::failure(lod.error());
        auto *chart = new MetricChart(view, charts->m_host.get());
        chart->setTheme(theme);
        chart->setTimeLabelsVisible(true);
        chart->setSeries({*info});
        LodResult result;
        result.range = range;
        result.columns = buckets;
        result.series.push_back({anomaly.seriesId, std::move(*lod)});
        chart->setLod(result);
        chart->setEvents(eventList, sharedColumns);
        charts->m_charts.push_back(
            {chart, QString::fromStdString(anomaly.series), kMetricChartHeight});
    }
    for (const Chart &chart : charts->m_charts) {
        chart.widget->resize(kLogicalWidth, chart.height);
        chart.widget->fitTicksToWidth(kLogicalWidth);
    }
    return charts;
}

QString ReportCharts::caption(int index) const
{
    return m_charts.at(static_cast<std::size_t>(index)).caption;
}

QSize ReportCharts::logicalSize(int index) const
{
    return {kLogicalWidth, m_charts.at(static_cast<std::size_t>(index)).height};
}

void ReportCharts::draw(QCPPainter &painter, int index, int width) const
{
    const Chart &chart = m_charts.at(static_cast<std::size_t>(index));
    chart.widget->fitTicksToWidth(width);
    chart.widget->toPainter(&painter, width, chart.height);
    chart.widget->fitTicksToWidth(kLogicalWidth);
}

QImage ReportCharts::image(int index, double scale) const
{
    const Chart &chart = m_charts.at(static_cast<std::size_t>(index));
    return chart.widget->toPixmap(kLogicalWidth, chart.height, scale).toImage();
}

void ReportCharts::drawStacked(QPainter &target, QRect area) const
{
    if (m_charts.empty() || area.isEmpty())
        return;
    // The lanes keep their height; the metric charts share the rest.
    const int lanesHeight = std::min(m_charts.front().height, area.height() / 2);
    const int metricCount = count() - 1;
    const int metricHeight = metricCount > 0 ? (area.height() - lanesHeight) / metricCount : 0;
    int y = area.top();
    for (int i = 0; i < count(); ++i) {
        const int height = i == 0 ? lanesHeight : metricHeight;
        if (height < 40)
            break;
        TimelineChart *chart = m_charts[static_cast<std::size_t>(i)].widget;
        chart->fitTicksToWidth(area.width());
        const QImage image = chart->toPixmap(area.width(), height, 1.0).toImage();
        chart->fitTicksToWidth(kLogicalWidth);
        target.drawImage(QPoint(area.left(), y), image);
        y += height;
    }
}

} // namespace eventscope::ui
