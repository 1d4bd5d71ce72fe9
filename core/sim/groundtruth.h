#pragma once

#include "model/timerange.h"
#include "sim/wireencoder.h"

#include <cstdint>
#include <string>
#include <vector>

namespace eventscope::sim {

// One failure event the simulator produced and what really caused it. Every failure-category
// event the simulator emits has an entry, so a ranker can be scored on all of them.
struct TruthIncident
{
    std::string id; // the failure event's source id
    std::string type; // as decoded (Kubernetes reasons as k8s.<reason>)
    TimeUs time = 0;
    std::string service;
    std::string entity;
    std::string kind; // traffic_surge, memory_leak, dependency_timeout, ...
    std::string scenario; // scaling, provisioning, failures
    std::string cause; // the causing event's source id; empty when no event caused it
    std::string causeType;
    std::string suspectService; // where the problem started
    std::string suspectEntity; // ... when it started on one entity (pod, node)
    std::string recovery; // the recovery event's id, empty if none was emitted
    TimeUs recoveryTime = 0;
};

// A simulated, noise-free effect of one event on a metric (for scoring impact analysis).
struct TruthEffect
{
    std::string event;
    std::string eventType;
    TimeUs time = 0;
    std::string metric;
    Headers labels;
    double before = 0;
    double after = 0;
    double relativeChange() const { return before != 0 ? after / before - 1.0 : 0.0; }
};

struct GroundTruth
{
    std::uint64_t seed = 0;
    TimeUs start = 0;
    TimeUs end = 0;
    std::vector<std::string> scenarios;
    std::vector<TruthIncident> incidents;
    std::vector<TruthEffect> effects;
    // Event types the simulator emits with no effect on any metric.
    std::vector<std::string> noEffectTypes;
    std::int64_t messages = 0;

    // {"seed":..,"start":..,"end":..,"incidents":[{"incident":"evt-..","cause":"evt-.."|null,
    //  "kind":..}],"effects":[..],"no_effect_types":[..]}
    std::string toJson() const;
};

} // namespace eventscope::sim
