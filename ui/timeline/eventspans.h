#pragma once

#include "model/event.h"

#include <cstdint>
#include <vector>

namespace eventscope::ui {

// An interval the timeline shades: an incident from its failure to its recovery, an alert from
// firing to resolved, an operation from its start event to its end event.
struct EventSpan
{
    enum class Kind { Incident, Alert, Operation };

    Kind kind = Kind::Incident;
    TimeUs begin = 0;
    TimeUs end = 0; // the closing event's time, or the end of the data when still open
    bool open = false; // no closing event yet
    std::size_t beginIndex = 0; // into the event list
    std::string service;

    friend bool operator==(const EventSpan &, const EventSpan &) = default;
};

// Pairs the events of a time-ordered list into spans:
// - failures with the next recovery of the same service (failures that follow one another
//   before the recovery share one span, starting at the first);
// - alert.firing with the next alert.resolved of the same rule and subject (from the event's
//   attributes), else the same service, entity and message prefix;
// - "X.started" / "X.start" / "X.begin" with the next "X.completed" / "X.finished" /
//   "X.succeeded" / "X.failed" / "X.end" of the same service and entity.
// A span still open at `dataEnd` ends there, marked open. Spans come sorted by begin.
std::vector<EventSpan> pairEventSpans(const std::vector<Event> &events, TimeUs dataEnd);

} // namespace eventscope::ui
