#pragma once

#include "analysis/incidentanalyzer.h"

#include <optional>
#include <string>
#include <vector>

namespace eventscope::analysis {

// Failures that are one incident: a node lost with its pods crashes three services at once,
// and the operator has one problem, not three. Failures are grouped when they overlap in time
// (the later one fails before the earlier recovered, or within `slack` of it when it has not)
// and share what the analysis says about them: the same confident top cause, or the same top
// suspect (its entity when it names one, else its service).
struct IncidentGroup
{
    std::vector<std::size_t> members; // indexes into the analyses, in time order
    TimeUs start = 0; // the first failure
    TimeUs end = 0; // the last recovery, or the last failure while one is open
    std::vector<std::string> services; // the failing services, in order of first failure
    std::optional<RankedCause> cause; // the best confident cause among the members
    std::optional<Suspect> suspect; // the best top suspect among the members
    bool recovered = false; // every member recovered
    double ttrSeconds = -1; // start to the last recovery, when recovered
};

struct GroupingOptions
{
    TimeUs slack = 5 * 60 * kMicrosPerSecond;
    double suspectScore = 0.5; // a suspect this strong or stronger can join failures
};

// Groups in time order of their first failure.
std::vector<IncidentGroup> groupIncidents(const std::vector<IncidentAnalysis> &analyses,
                                          GroupingOptions options = {});

} // namespace eventscope::analysis
