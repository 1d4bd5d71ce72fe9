#pragma once

#include "model/timerange.h"
#include "store/queries.h"

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace eventscope::analysis {

// How often an event type came before incidents of a failure type, across the whole capture.
// An incident is a run of failures of the type with no gap longer than the window (a cascade
// is one incident); the type precedes it when it occurs within the window before its first.
struct Precedence
{
    int incidents = 0; // of the failure type, the analysed failure's own left out
    int preceded = 0; // of those, how many had the candidate type within the window before
    double coverage = 0; // share of the capture's minutes with the type within the window before
    // preceded/incidents over coverage, shrunk towards 1 while there are few incidents: > 1 when
    // the type comes before this failure more often than it is around at all.
    double lift = 1;
};

// Lift of candidate event types for failure types, from the capture's per-minute event counts
// (CaptureReader::eventHistory). Minute resolution: a window reaches back whole minutes.
// Holds the types it was given; a type it does not hold has no history (lift 1).
class PrecedenceHistory
{
public:
    PrecedenceHistory() = default;
    // Without first and last minutes, the capture spans the given buckets.
    explicit PrecedenceHistory(EventTypeHistory counts);

    bool holds(std::string_view type) const { return m_counts.byType.count(type) != 0; }
    // Adds types read later (from the same capture, unchanged since).
    void add(EventTypeHistory more);

    // The history of `candidateType` before incidents of `failureType`, leaving out the
    // incident of the failure at `failureTime`: its own window says nothing about the others.
    Precedence precedence(std::string_view candidateType, std::string_view failureType,
                          TimeUs failureTime, TimeUs window) const;

private:
    struct Incident
    {
        std::int64_t first = 0; // minutes
        std::int64_t last = 0;
    };
    using Buckets = std::vector<EventTypeHistory::Bucket>;
    const Buckets *bucketsOf(std::string_view type) const;
    const std::vector<Incident> &incidentsOf(std::string_view failureType,
                                             std::int64_t windowMinutes) const;
    double coverageOf(std::string_view candidateType, std::int64_t windowMinutes) const;

    EventTypeHistory m_counts;
    std::int64_t m_firstMinute = 0;
    std::int64_t m_lastMinute = -1;
    mutable std::map<std::pair<std::string, std::int64_t>, std::vector<Incident>> m_incidents;
    mutable std::map<std::pair<std::string, std::int64_t>, double> m_coverage;
};

} // namespace eventscope::analysis
