#pragma once

#include "eventcolumns.h"
#include "eventspans.h"
#include "timelinechart.h"
#include "timelinefetcher.h"

#include "model/series.h"

#include <memory>
#include <vector>

namespace eventscope::ui {

// A metric chart of the timeline: some series drawn from their level of detail (the min-max
// band of each pixel column behind a line through its first and last values), with the events
// as vertical markers in the colour of the worst severity per column, filtered by this chart's
// own categories, and spans (incidents, alerts, operations) shaded. Repaint cost depends on the
// width in pixels and the number of series, never on the number of samples or events.
class MetricChart : public TimelineChart
{
    Q_OBJECT

public:
    MetricChart(ViewState &view, QWidget *parent = nullptr);

    void setSeries(std::vector<SeriesInfo> series);
    const std::vector<SeriesInfo> &series() const { return m_series; }
    std::vector<std::int64_t> seriesIds() const;
    QString title() const;

    // Buckets for this chart's series from a level-of-detail result (others are ignored).
    void setLod(const LodResult &result);
    void setEvents(EventList events, std::shared_ptr<const EventColumns> columns);
    void setCategoryMask(std::uint32_t mask);
    std::uint32_t categoryMask() const { return m_categoryMask; }
    void setTheme(const Theme &theme) override;

    // The value of each series at a time (the bucket under it), for the crosshair and tests.
    QStringList valuesAt(TimeUs time) const;
    bool hasDataInRange() const;

protected:
    QStringList crosshairLines(TimeUs time) const override;

private:
    class SeriesLayer;
    class SpanLayer;
    class MarkerLayer;
    void updateValueRange();

    std::vector<SeriesInfo> m_series;
    std::vector<std::vector<LodBucket>> m_buckets; // per series
    TimeRange m_lodRange{0, 0};
    EventList m_events;
    std::shared_ptr<const EventColumns> m_columns;
    std::uint32_t m_categoryMask;
    SeriesLayer *m_seriesLayer;
    MarkerLayer *m_markerLayer;
};

} // namespace eventscope::ui
