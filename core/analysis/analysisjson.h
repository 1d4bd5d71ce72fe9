#pragma once

#include "analysis/incidentanalyzer.h"

#include <string>
#include <vector>

namespace eventscope::analysis {

// `analyze --json` as CLI.md specifies: {"incidents":[{"id","type","time","service","entity",
// "causes":[...],"suspects":[...],"anomalies":[...],"recovery":{..}|null,"ttr_seconds"}]}.
std::string analysesToJson(const std::vector<IncidentAnalysis> &analyses);

// A readable table for people.
std::string analysesToText(const std::vector<IncidentAnalysis> &analyses);

} // namespace eventscope::analysis
