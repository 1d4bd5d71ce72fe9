#pragma once

#include "model/timerange.h"
#include "store/queries.h"

#include <map>
#include <string>
#include <string_view>
#include <tuple>

namespace eventscope::analysis {

// How often an event type came before failures of a type, across the whole capture.
struct Precedence
{
    int failures = 0; // other failures of the type (the one being analysed left out)
    int preceded = 0; // of those, how many had the candidate type within the window before
    double coverage = 0; // share of the capture's minutes with the type within the window before
    // preceded/failures over coverage, shrunk towards 1 while there are few failures: > 1 when
    // the type comes before this failure more often than it is around at all.
    double lift = 1;
};

// Lift of candidate event types for failure types, from the capture's per-minute event counts
// (CaptureReader::eventHistory). Minute resolution: a window reaches back whole minutes.
class PrecedenceHistory
{
public:
    PrecedenceHistory() = default;
    explicit PrecedenceHistory(EventTypeHistory counts);

    // The history of `candidateType` before failures of `failureType`, leaving out the failure
    // at `failureTime` itself (its own window says nothing about the others).
    Precedence precedence(std::string_view candidateType, std::string_view failureType,
                          TimeUs failureTime, TimeUs window) const;

private:
    struct Totals
    {
        int failures = 0;
        int preceded = 0;
        double coverage = 0;
    };
    using Buckets = std::vector<EventTypeHistory::Bucket>;
    const Buckets *bucketsOf(std::string_view type) const;
    const Totals &totals(std::string_view candidateType, std::string_view failureType,
                         std::int64_t windowMinutes) const;

    EventTypeHistory m_counts;
    std::int64_t m_firstMinute = 0;
    std::int64_t m_lastMinute = -1;
    mutable std::map<std::tuple<std::string, std::string, std::int64_t>, Totals, std::less<>>
        m_totals;
};

} // namespace eventscope::analysis
