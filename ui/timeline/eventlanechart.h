#pragma once

#include "eventcolumns.h"
#include "eventspans.h"
#include "timelinechart.h"

#include <memory>

namespace eventscope::ui {

// The top chart of the timeline: one lane per category or per service, each pixel column's
// events of a lane drawn as one marker (shape by category, colour by the worst severity, a
// count badge when there are several); spans shaded; the selected event ringed. Hovering lists
// the events under the cursor, a click selects the nearest one. Paints the aggregated columns
// only: 100k events cost what the pixel columns cost.
class EventLaneChart : public TimelineChart
{
    Q_OBJECT

public:
    EventLaneChart(ViewState &view, QWidget *parent = nullptr);

    void setEvents(EventList events, std::shared_ptr<const EventColumns> columns);
    // The events the lanes last painted from (shared with the timeline).
    EventList events() const { return m_events; }
    void setShowLabels(bool show);
    bool showsLabels() const { return m_showLabels; }
    void setTheme(const Theme &theme) override;
    // How many lanes the current mode has; the height the chart wants for them.
    int laneCount() const;
    int preferredHeight() const;

    // The events under a point (the cell there, ±2 columns), for hover and tests.
    std::vector<const Event *> eventsAt(QPoint position) const;
    // The hover text for those events: the first 20 groups of identical events, then "+N more".
    QString describeEvents(const std::vector<const Event *> &events) const;

Q_SIGNALS:
    void eventClicked(const eventscope::Event &event);

protected:
    void hoverAt(QPoint position, TimeUs time) override;
    void hoverLeft() override;

private:
    class LaneLayer;
    int laneAt(int y) const;

    EventList m_events;
    std::shared_ptr<const EventColumns> m_columns;
    LaneLayer *m_laneLayer;
    bool m_showLabels = false;
};

} // namespace eventscope::ui
