#pragma once

#include "model/timerange.h"
#include "sim/groundtruth.h"
#include "sim/wireencoder.h"
#include "util/result.h"

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace eventscope::sim {

// The three scenarios of ARCHITECTURE.md.
enum class Scenario : std::uint8_t { Scaling, Provisioning, Failures };

std::string_view scenarioName(Scenario scenario);
// "scaling,provisioning,failures" (any subset, any order).
Result<std::vector<Scenario>> parseScenarios(std::string_view list);

struct SimulatorOptions
{
    std::uint64_t seed = 1;
    TimeUs start = 0;
    TimeUs duration = 3600 * kMicrosPerSecond; // simulated; 0 runs without end
    std::vector<Scenario> scenarios
        = {Scenario::Scaling, Scenario::Provisioning, Scenario::Failures};
    double tracesPerSecond = 2; // sampled request traces (with their logs)
    TimeUs tickInterval = 10 * kMicrosPerSecond; // metric resolution
};

class SimWorld;
class IncidentPlanner;

// Deterministic traffic of a simulated fleet: a seed and options give the same messages, in
// the same order, every time. Each call to next() advances simulated time by one tick.
class Simulator
{
public:
    explicit Simulator(const SimulatorOptions &options);
    ~Simulator();
    Simulator(const Simulator &) = delete;
    Simulator &operator=(const Simulator &) = delete;

    // Appends the next tick's messages in time order; false once the duration is over.
    bool next(std::vector<OutgoingMessage> &out);
    TimeUs now() const;
    // What happened so far: every failure and its cause, effects of scale-outs.
    const GroundTruth &truth() const;

private:
    std::unique_ptr<SimWorld> m_world;
    std::unique_ptr<IncidentPlanner> m_planner;
};

} // namespace eventscope::sim
