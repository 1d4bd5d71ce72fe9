#pragma once

#include "model/event.h"

#include <cstdint>
#include <string>
#include <unordered_map>
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
//
// `knownRecoveries` (failure source id → when it recovered, 0 when it did not within the
// analysis' horizon) overrides the pairing for the failures it names: the incident analysis
// tells recoveries no recovery event announces (a metric back to its baseline). Such a failure
// is its own span, to its recovery; one that did not recover is shaded for `horizon` at most
// (the analysis looks no further), not to the end of the data.
using KnownRecoveries = std::unordered_map<std::string, TimeUs>;
std::vector<EventSpan> pairEventSpans(const std::vector<Event> &events, TimeUs dataEnd,
                                      const KnownRecoveries *knownRecoveries = nullptr,
                                      TimeUs horizon = 2 * 3600 * kMicrosPerSecond);

// The union of the spans of each kind: overlapping or touching spans of one kind become one
// (open when any of them is), so shading never stacks and its cost does not grow with the
// number of spans on screen. Sorted by begin; `beginIndex` and `service` are the first's.
std::vector<EventSpan> mergeOverlappingSpans(const std::vector<EventSpan> &spans);

// Spans of one kind as pixel columns: [first, last] of `columns` equal columns over a range,
// runs that meet merged. What the timeline shades; its size is bounded by the width.
struct SpanRun
{
    EventSpan::Kind kind = EventSpan::Kind::Incident;
    int first = 0;
    int last = 0;
    bool open = false; // the run ends with a span still open

    friend bool operator==(const SpanRun &, const SpanRun &) = default;
};
std::vector<SpanRun> spanRunsFor(const std::vector<EventSpan> &spans, TimeRange range, int columns);

} // namespace eventscope::ui
