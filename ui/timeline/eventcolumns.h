#pragma once

#include "eventspans.h"

#include "model/event.h"
#include "models/eventfilter.h"

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace eventscope::ui {

// The events of a capture in time order, shared read-only between the GUI thread and jobs.
using EventList = std::shared_ptr<const std::vector<Event>>;

enum class LaneMode { Category, Service };

// One lane's events that fall in one pixel column: drawn as one marker, with a count badge
// when there are several, in the colour of the worst severity among them.
struct EventCell
{
    int column = 0;
    int lane = 0;
    std::uint32_t count = 0;
    Severity worst = Severity::Debug;
    std::uint8_t categories = 0; // bit (1 << EventCategory)
    EventCategory category = EventCategory::Other; // of the worst event: the marker's shape
    std::uint32_t firstIndex = 0; // into the EventList: the cell's earliest event
    bool identical = true; // every event in the cell has the same type, service and message
};

// Per pixel column, over every lane: which categories have events there and the worst
// severity of each, so a metric chart with its own category filter draws its markers without
// going back to the events.
struct MarkerColumn
{
    int column = 0;
    std::uint8_t categories = 0;
    std::array<std::int8_t, kEventCategoryCount> worst{}; // -1: none of that category

    Severity worstIn(std::uint32_t categoryMask) const;
};

// Events aggregated per pixel column and lane for one visible range and width: what the
// timeline paints. Computed off the GUI thread; its size depends on the width in pixels and
// the lanes, never on how many events there are.
struct EventColumns
{
    TimeRange range{0, 0};
    int columns = 0;
    LaneMode mode = LaneMode::Category;
    std::vector<std::string> lanes; // lane names, top to bottom
    std::vector<EventCell> cells; // by lane, then column
    std::vector<MarkerColumn> markers; // by column
    std::size_t eventsInRange = 0; // that pass the filter
    std::vector<SpanRun> spanRuns; // shaded spans, by pixel column

    // The pixel column of a time, or -1 outside the range.
    int columnOf(TimeUs time) const;
    // The time span a column covers.
    TimeRange columnRange(int column) const;
};

// Lanes: the eight categories in a fixed order, or the services with events in the list
// (sorted; events with no service in a lane named "(no service)").
EventColumns aggregateEventColumns(const std::vector<Event> &events, TimeRange range, int columns,
                                   LaneMode mode, const EventFilter &filter);

// The lane an event belongs to in `columns`, or -1.
int laneOf(const EventColumns &columns, const Event &event);

// Groups identical events (same type, service and message) of a list, first-seen order: what a
// hover shows as "×N". At most `limit` groups; `total` counts every event given.
struct EventGroup
{
    std::size_t first = 0; // index into the given list
    std::size_t count = 0;
};
std::vector<EventGroup> groupIdenticalEvents(const std::vector<const Event *> &events,
                                             std::size_t limit);

// Indexes of the events of a sorted list whose time lies in `range`: [first, last).
std::pair<std::size_t, std::size_t> eventsIn(const std::vector<Event> &events, TimeRange range);

} // namespace eventscope::ui
