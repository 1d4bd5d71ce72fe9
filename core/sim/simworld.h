#pragma once

#include "sim/groundtruth.h"
#include "sim/random.h"
#include "sim/simulator.h"
#include "sim/topology.h"
#include "sim/wireencoder.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace eventscope::sim {

// A value that moves linearly from one level to another over a time span, then stays.
class Ramp
{
public:
    double at(TimeUs t) const;
    // From the current level at `now` to `target`, reached after `duration`.
    void moveTo(TimeUs now, double target, TimeUs duration);
    void set(double value) { m_from = m_to = value; }

private:
    TimeUs m_begin = 0;
    TimeUs m_end = 0;
    double m_from = 0;
    double m_to = 0;
};

// What incidents change about a service; the model turns it into metrics, traces and logs.
struct ServiceDrivers
{
    Ramp loadMultiplier; // on the entry service: traffic surges
    Ramp extraLatencyMs; // slow dependency, exhausted connection pool, slow provider
    Ramp extraErrorRate; // a provider failing requests
};

// The noise-free state of a service at one instant.
struct ServiceState
{
    double load = 0; // requests/s
    double utilisation = 0;
    double ownLatencyMs = 0; // p99 of its own work
    double p99Ms = 0; // including calls
    double errorRate = 0;
    double timeoutShare = 0; // share of callers' requests to it that time out
    double cpu = 0;
    int runningPods = 0;
};

struct BatchState
{
    Ramp capacityFactor; // 1 = all job pods run; contention lowers it
    double pendingPods = 0;
    double demandPerMinute = 12;
};

// The simulation's state and the helpers incident scripts use: a clock, a queue of timed
// actions, the fleet, and event emission that records what was produced.
class SimWorld
{
public:
    explicit SimWorld(const SimulatorOptions &options);

    // Runs the actions due up to the next tick, then emits that tick's metrics, traces and
    // logs. Appends the tick's messages in time order.
    void tick(std::vector<OutgoingMessage> &out);
    // The current action's time inside an action, else the last tick's end.
    TimeUs now() const { return m_actionTime; }
    bool finished() const;

    // Runs `action` at simulated time `when` (which may be in the current tick).
    void at(TimeUs when, std::function<void()> action);

    // Emits an event at its time (must be the current action's time or later in this tick).
    // Fills in a fresh id when it has none; returns the id.
    std::string emit(SimEvent event);
    SimEvent nativeEvent(std::string topic, std::string type, int service, std::string entity,
                         std::string message, std::string severity = {});
    SimEvent cloudEvent(EventWire wire, std::string type, int service, std::string entity,
                        std::string message, std::string component);
    SimEvent kubernetesEvent(std::string reason, bool warning, std::string kind,
                             std::string nameSpace, std::string name, std::string node,
                             std::string component, std::string message);
    SimEvent podEvent(std::string reason, bool warning, int pod, std::string message);

    // Records a failure event in the ground truth; returns its index for a later recovery.
    std::size_t recordIncident(const SimEvent &failure, const std::string &kind,
                               const std::string &scenario, const std::string &cause,
                               const std::string &causeType, std::string suspectService,
                               std::string suspectEntity);
    void recordRecovery(const std::vector<std::size_t> &incidents, const SimEvent &recovery);

    // The noise-free model at time t.
    std::vector<ServiceState> model(TimeUs t) const;
    double diurnal(TimeUs t) const;

    const SimulatorOptions &options() const { return m_options; }
    Random &random() { return m_random; }
    Topology &topology() { return m_topology; }
    std::vector<ServiceDrivers> &drivers() { return m_drivers; }
    BatchState &batch() { return m_batch; }
    GroundTruth &truth() { return m_truth; }
    // Services an incident is using, so routine changes and decoys leave them alone.
    std::vector<int> &busyServices() { return m_busyServices; }

    static constexpr TimeUs kSecond = 1'000'000;
    static constexpr TimeUs kMinute = 60 * kSecond;

private:
    struct Action
    {
        TimeUs when;
        std::uint64_t order;
        std::function<void()> run;
    };

    void runDueActions(TimeUs until);
    void emitMetrics(const std::vector<ServiceState> &states, std::vector<OutgoingMessage> &out);
    void emitTraffic(const std::vector<ServiceState> &states, TimeUs from, TimeUs to,
                     std::vector<OutgoingMessage> &out);
    double podMemory(const Pod &pod, TimeUs t) const;

    SimulatorOptions m_options;
    Random m_random;
    Random m_noise; // metric noise, separate so adding a metric does not reshuffle incidents
    Topology m_topology;
    std::vector<ServiceDrivers> m_drivers;
    BatchState m_batch;
    GroundTruth m_truth;
    std::vector<int> m_busyServices;
    std::vector<Action> m_actions; // a heap by (when, order)
    std::uint64_t m_actionOrder = 0;
    std::vector<OutgoingMessage> m_pending; // events emitted by actions in this tick
    TimeUs m_now = 0;
    TimeUs m_actionTime = 0;
};

} // namespace eventscope::sim
