#pragma once

// The service map at a moment: which service calls which (learned from the spans of the
// preceding window, plus the declared topology), how often those calls failed, and how
// abnormal each service looks at that moment (its series scored against their own recent
// past with the incident analysis' scorer, aggregated per service as its worst symptom).
// What an operator reads to see where trouble sits in the call graph and which way it spreads.

#include "analysis/serviceanomaly.h"
#include "model/timerange.h"
#include "util/result.h"

#include <atomic>
#include <string>
#include <vector>

namespace eventscope {
class CaptureReader;
}

namespace eventscope::analysis {

struct ServiceMapNode
{
    std::string service;
    ServiceAnomaly anomaly; // symptom 0: nothing off (or no series to tell)
    int seriesScored = 0; // of this service, scored at the moment
    std::int64_t spans = 0; // in the window
    std::int64_t errorSpans = 0;
    int layer = 0; // 0: nothing calls it (an entry point); callees to the right
};

struct ServiceMapEdge
{
    std::string caller;
    std::string callee;
    std::int64_t calls = 0; // in the window (0: declared or learned, not seen in it)
    std::int64_t errors = 0; // calls whose span failed
    bool declared = false; // from the topology
    double errorRate() const
    {
        return calls > 0 ? static_cast<double>(errors) / static_cast<double>(calls) : 0.0;
    }
};

struct ServiceMap
{
    TimeUs at = 0;
    TimeRange window{0, 0}; // the calls counted, and the samples scored against the past
    std::vector<ServiceMapNode> nodes; // by layer, then name
    std::vector<ServiceMapEdge> edges;
    std::size_t spansRead = 0;
    bool spansCapped = false; // more spans in the window than were read
};

struct ServiceMapOptions
{
    TimeUs window = 15 * 60 * kMicrosPerSecond; // before the moment
    TimeUs baseline = 30 * 60 * kMicrosPerSecond; // history before the window, for the scorer
    std::size_t maxSpans = 200'000;
};

// A symptom this sure counts as "anomalous" on the map; below it, as "slightly off".
constexpr double kServiceMapAnomalous = 0.3;

// `cancelled` (optional) is polled between series; a cancelled build fails with "cancelled".
Result<ServiceMap> buildServiceMap(CaptureReader &reader, TimeUs at,
                                   const ServiceMapOptions &options = {},
                                   const std::atomic<bool> *cancelled = nullptr);

} // namespace eventscope::analysis
