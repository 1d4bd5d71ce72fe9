#include "timelineview.h"

#include "eventlanechart.h"
#include "metricchart.h"
#include "timelinefetcher.h"

#include <QMenu>
#include <QSplitter>
#include <QVBoxLayout>

#include <set>

namespace eventscope::ui {

TimelineView::TimelineView(ViewState &view, QWidget *parent)
    : QWidget(parent)
    , m_view(view)
    , m_splitter(new QSplitter(Qt::Vertical, this))
    , m_lanes(new EventLaneChart(view, this))
    , m_theme(Theme::dark())
    , m_events(std::make_shared<const std::vector<Event>>())
    , m_spans(std::make_shared<const std::vector<EventSpan>>())
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_splitter);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setHandleWidth(3);
    m_splitter->addWidget(m_lanes);
    m_lanes->setMinimumHeight(60);
    m_lanes->setTimeLabelsVisible(true);

    // Range changes arrive in bursts (a wheel gesture): one fetch per event-loop turn.
    m_fetchTimer.setSingleShot(true);
    m_fetchTimer.setInterval(0);
    connect(&m_fetchTimer, &QTimer::timeout, this, &TimelineView::fetchNow);
    connect(&m_view, &ViewState::visibleRangeChanged, this, &TimelineView::scheduleFetch);
    connect(m_lanes, &EventLaneChart::eventClicked, this, &TimelineView::eventClicked);
    connect(m_lanes, &TimelineChart::contextMenuAt, this, [this](QPoint at, TimeUs) {
        QMenu menu;
        menu.addAction(m_laneMode == LaneMode::Category ? tr("Lanes per service")
                                                        : tr("Lanes per category"),
                       this, [this] {
                           setLaneMode(m_laneMode == LaneMode::Category ? LaneMode::Service
                                                                        : LaneMode::Category);
                       });
        QAction *labels = menu.addAction(tr("Show labels on markers"), this,
                                         [this](bool on) { setShowLabels(on); });
        labels->setCheckable(true);
        labels->setChecked(m_lanes->showsLabels());
        menu.exec(at);
    });
    relayout();
}

TimelineView::~TimelineView() = default;

void TimelineView::drawCharts(QCPPainter &painter) const
{
    painter.fillRect(rect(), m_theme.window);
    std::vector<TimelineChart *> charts{m_lanes};
    charts.insert(charts.end(), m_charts.begin(), m_charts.end());
    for (TimelineChart *chart : charts) {
        if (!chart->isVisible() || chart->width() <= 0 || chart->height() <= 0)
            continue;
        painter.save();
        painter.translate(chart->mapTo(this, QPoint(0, 0)));
        painter.setClipRect(QRect(QPoint(0, 0), chart->size()));
        chart->toPainter(&painter, chart->width(), chart->height());
        painter.restore();
    }
}

void TimelineView::setFetcher(TimelineFetcher *fetcher)
{
    if (m_fetcher)
        disconnect(m_fetcher, nullptr, this, nullptr);
    m_fetcher = fetcher;
    m_lodPending = m_columnsPending = 0;
    if (fetcher) {
        connect(fetcher, &TimelineFetcher::lodReady, this, &TimelineView::onLod);
        connect(fetcher, &TimelineFetcher::eventColumnsReady, this, &TimelineView::onColumns);
    }
    scheduleFetch();
}

void TimelineView::setEvents(EventList events, std::shared_ptr<const std::vector<EventSpan>> spans)
{
    m_events = events ? std::move(events) : std::make_shared<const std::vector<Event>>();
    m_spans = spans ? std::move(spans) : std::make_shared<const std::vector<EventSpan>>();
    requestColumns();
}

void TimelineView::setEventFilter(const EventFilter &filter)
{
    if (filter == m_filter)
        return;
    m_filter = filter;
    requestColumns();
}

void TimelineView::setLaneMode(LaneMode mode)
{
    if (mode == m_laneMode)
        return;
    m_laneMode = mode;
    requestColumns();
}

void TimelineView::setShowLabels(bool show)
{
    m_lanes->setShowLabels(show);
}

void TimelineView::setTheme(const Theme &theme)
{
    m_theme = theme;
    m_lanes->setTheme(theme);
    for (MetricChart *chart : m_charts)
        chart->setTheme(theme);
}

void TimelineView::addChart(std::vector<SeriesInfo> series, std::uint32_t categoryMask)
{
    auto *chart = new MetricChart(m_view, m_splitter);
    chart->setTheme(m_theme);
    chart->setMinimumHeight(70);
    if (categoryMask != 0)
        chart->setCategoryMask(categoryMask);
    chart->setSeries(std::move(series));
    chart->setEvents(m_events, m_columns);
    connect(chart, &TimelineChart::contextMenuAt, this,
            [this, chart](QPoint at, TimeUs) { showChartMenu(chart, at); });
    connect(chart, &TimelineChart::clicked, this,
            [this](QPoint, TimeUs, Qt::KeyboardModifiers) { m_view.clearSelection(); });
    m_charts.push_back(chart);
    m_splitter->addWidget(chart);
    chart->show(); // before the sizes are set: a hidden one would get none of the height
    relayout();
    scheduleFetch();
    Q_EMIT chartsChanged();
}

void TimelineView::addSeriesToChart(int index, const SeriesInfo &series)
{
    if (index < 0 || index >= chartCount())
        return;
    MetricChart *chart = m_charts[static_cast<std::size_t>(index)];
    auto list = chart->series();
    for (const SeriesInfo &existing : list) {
        if (existing.id == series.id)
            return;
    }
    list.push_back(series);
    chart->setSeries(std::move(list));
    scheduleFetch();
    Q_EMIT chartsChanged();
}

void TimelineView::removeChart(int index)
{
    if (index < 0 || index >= chartCount())
        return;
    MetricChart *chart = m_charts[static_cast<std::size_t>(index)];
    m_charts.erase(m_charts.begin() + index);
    // Out of the splitter now (its sizes are by index) but still ours, so that it never
    // outlives the view state it paints from; deleted later: this may run inside the chart's
    // own context menu.
    chart->hide();
    chart->setParent(this);
    chart->deleteLater();
    relayout();
    Q_EMIT chartsChanged();
}

void TimelineView::moveChart(int index, int delta)
{
    const int target = index + delta;
    if (index < 0 || index >= chartCount() || target < 0 || target >= chartCount())
        return;
    std::swap(m_charts[static_cast<std::size_t>(index)],
              m_charts[static_cast<std::size_t>(target)]);
    for (std::size_t i = 0; i < m_charts.size(); ++i)
        m_splitter->insertWidget(static_cast<int>(i) + 1, m_charts[i]);
    relayout();
    Q_EMIT chartsChanged();
}

void TimelineView::clearCharts()
{
    while (!m_charts.empty())
        removeChart(chartCount() - 1);
}

void TimelineView::relayout()
{
    // Only the bottom chart carries the time labels; the lane chart has them when alone.
    m_lanes->setTimeLabelsVisible(m_charts.empty());
    for (std::size_t i = 0; i < m_charts.size(); ++i)
        m_charts[i]->setTimeLabelsVisible(i + 1 == m_charts.size());
    const int lanesHeight = std::min(m_lanes->preferredHeight(), std::max(120, height() / 3));
    QList<int> sizes{lanesHeight};
    const int rest = std::max(0, height() - lanesHeight);
    for (std::size_t i = 0; i < m_charts.size(); ++i)
        sizes << rest / static_cast<int>(m_charts.size());
    m_splitter->setSizes(sizes);
    m_lanes->replotNow();
    for (MetricChart *chart : m_charts)
        chart->replotNow();
}

void TimelineView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    relayout();
    scheduleFetch();
}

int TimelineView::columns() const
{
    return m_lanes->plotColumns();
}

void TimelineView::scheduleFetch()
{
    if (!m_fetchTimer.isActive())
        m_fetchTimer.start();
}

void TimelineView::refreshData()
{
    scheduleFetch();
}

void TimelineView::replotImmediately()
{
    m_lanes->replot(QCustomPlot::rpImmediateRefresh);
    for (MetricChart *chart : m_charts)
        chart->replot(QCustomPlot::rpImmediateRefresh);
}

void TimelineView::fetchNow()
{
    const TimeRange range = m_view.visibleRange();
    if (!m_fetcher || range.isEmpty()) {
        Q_EMIT dataPainted(); // nothing to read: what is shown is final
        return;
    }
    std::set<std::int64_t> ids;
    for (MetricChart *chart : m_charts) {
        for (std::int64_t id : chart->seriesIds())
            ids.insert(id);
    }
    m_lodPending = m_fetcher->requestLod(range, columns(), {ids.begin(), ids.end()});
    requestColumns();
}

void TimelineView::requestColumns()
{
    if (!m_fetcher || m_view.visibleRange().isEmpty())
        return;
    m_columnsPending = m_fetcher->requestEventColumns(m_events, m_spans, m_view.visibleRange(),
                                                      columns(), m_laneMode, m_filter);
}

void TimelineView::onLod(const LodResult &result)
{
    if (result.generation != m_lodPending)
        return; // superseded
    m_lodPending = 0;
    for (MetricChart *chart : m_charts)
        chart->setLod(result);
    if (!isFetching())
        Q_EMIT dataPainted();
}

void TimelineView::onColumns(const EventColumnsResult &result)
{
    if (result.generation != m_columnsPending)
        return;
    m_columnsPending = 0;
    m_columns = std::make_shared<const EventColumns>(result.columns);
    const int lanesBefore = m_lanes->laneCount();
    m_lanes->setEvents(m_events, m_columns);
    for (MetricChart *chart : m_charts)
        chart->setEvents(m_events, m_columns);
    if (m_lanes->laneCount() != lanesBefore)
        relayout();
    if (!isFetching())
        Q_EMIT dataPainted();
}

void TimelineView::showChartMenu(MetricChart *chart, QPoint globalPosition)
{
    const auto found = std::find(m_charts.begin(), m_charts.end(), chart);
    if (found == m_charts.end())
        return;
    const int index = static_cast<int>(found - m_charts.begin());
    QMenu menu;
    QMenu *categories = menu.addMenu(tr("Events on this chart"));
    for (int i = 0; i < kEventCategoryCount; ++i) {
        const auto category = static_cast<EventCategory>(i);
        QAction *action
            = categories->addAction(QString::fromStdString(std::string(categoryName(category))));
        action->setCheckable(true);
        action->setChecked(chart->categoryMask() & (1u << i));
        connect(action, &QAction::toggled, chart, [chart, i](bool on) {
            const std::uint32_t bit = 1u << i;
            chart->setCategoryMask(on ? chart->categoryMask() | bit : chart->categoryMask() & ~bit);
        });
    }
    menu.addSeparator();
    menu.addAction(tr("Move up"), this, [this, index] { moveChart(index, -1); })
        ->setEnabled(index > 0);
    menu.addAction(tr("Move down"), this, [this, index] { moveChart(index, 1); })
        ->setEnabled(index + 1 < chartCount());
    menu.addAction(tr("Remove chart"), this, [this, index] { removeChart(index); });
    menu.exec(globalPosition);
}

} // namespace eventscope::ui
