#pragma once

#include "eventcolumns.h"
#include "eventspans.h"
#include "theme.h"
#include "viewstate.h"

#include "model/series.h"

#include <QTimer>
#include <QWidget>

#include <memory>
#include <vector>

class QSplitter;
class QScrollArea;

class QCPPainter;

namespace eventscope::ui {

class EventLaneChart;
class MetricChart;
class TimelineFetcher;
struct LodResult;
struct EventColumnsResult;

// The heart of the console: the event lane chart on top and metric charts below, sharing the
// ViewState's time axis, in a splitter (resizable; charts added, removed and reordered). Asks
// the fetcher for level of detail and event columns whenever the range, the width, the charts
// or the events change, one request of each kind at a time (a newer one supersedes it), and
// hands the results to the charts, which only paint. Lives on the GUI thread.
class TimelineView : public QWidget
{
    Q_OBJECT

public:
    TimelineView(ViewState &view, QWidget *parent = nullptr);
    ~TimelineView() override;

    // The capture to read from; nullptr when none is open. Not owned.
    void setFetcher(TimelineFetcher *fetcher);
    // The capture's events and their spans (merged per kind), from the fetcher's refresh.
    void setEvents(EventList events, std::shared_ptr<const std::vector<EventSpan>> spans);
    EventList events() const { return m_events; }
    // The shaded spans, merged per kind (mergeOverlappingSpans).
    const std::vector<EventSpan> &spans() const { return *m_spans; }
    void setEventFilter(const EventFilter &filter);
    void setLaneMode(LaneMode mode);
    LaneMode laneMode() const { return m_laneMode; }
    void setShowLabels(bool show);
    void setTheme(const Theme &theme);

    // Every chart at its place and size, on a painter the size of this view; a painter in
    // vectorized mode (SVG, PDF) gets shapes and text, not pictures of them.
    void drawCharts(QCPPainter &painter) const;

    // Charts, top to bottom (the lane chart excluded).
    int chartCount() const { return static_cast<int>(m_charts.size()); }
    MetricChart *chart(int index) const { return m_charts[static_cast<std::size_t>(index)]; }
    EventLaneChart *laneChart() const { return m_lanes; }
    void addChart(std::vector<SeriesInfo> series, std::uint32_t categoryMask = 0);
    void addSeriesToChart(int index, const SeriesInfo &series);
    void removeChart(int index);
    void moveChart(int index, int delta);
    void clearCharts();

    // The newest event columns (for tests and the status bar); null before the first.
    std::shared_ptr<const EventColumns> eventColumns() const { return m_columns; }
    // Re-reads the level of detail of the visible range (after a commit).
    void refreshData();
    // Replots every chart now rather than at the next event-loop turn: before a grab.
    void replotImmediately();
    // True while a level-of-detail or event-column request has no result yet.
    bool isFetching() const
    {
        return m_fetchTimer.isActive() || m_lodPending != 0 || m_columnsPending != 0;
    }

Q_SIGNALS:
    void eventClicked(const eventscope::Event &event);
    void chartsChanged();
    // A fetch finished and the charts have its data (tests and screenshots wait on it).
    void dataPainted();

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void scheduleFetch();
    void fetchNow();
    void requestColumns();
    void onLod(const LodResult &result);
    void onColumns(const EventColumnsResult &result);
    void showChartMenu(MetricChart *chart, QPoint globalPosition);
    void relayout();
    int columns() const;

    ViewState &m_view;
    TimelineFetcher *m_fetcher = nullptr;
    QSplitter *m_splitter;
    EventLaneChart *m_lanes;
    std::vector<MetricChart *> m_charts;
    Theme m_theme;
    EventList m_events;
    std::shared_ptr<const std::vector<EventSpan>> m_spans;
    std::shared_ptr<const EventColumns> m_columns;
    EventFilter m_filter;
    LaneMode m_laneMode = LaneMode::Category;
    QTimer m_fetchTimer;
    quint64 m_lodPending = 0;
    quint64 m_columnsPending = 0;
};

} // namespace eventscope::ui
