#pragma once

#include "model/timerange.h"

#include <string>
#include <vector>

namespace eventscope::sim {

class SimWorld;

// Schedules what happens in the simulated fleet: routine background changes that cause
// nothing (deployments, feature flags, autoscaler moves on healthy services, cron pods, job
// submissions, node maintenance), and incidents of the enabled scenarios, one every ~28
// minutes after a warm-up, each with its cause (or none), failures, recovery and the ground
// truth that says which is which.
class IncidentPlanner
{
public:
    explicit IncidentPlanner(SimWorld &world);
    void start();

private:
    void nextIncident();
    void trafficSurge(TimeUs t);
    void schedulingContention(TimeUs t);
    void memoryLeak(TimeUs t);
    void dependencyTimeout(TimeUs t);
    void nodeFailure(TimeUs t);
    void externalDependency(TimeUs t);

    void routineDeployment();
    void routineFeatureFlag();
    void routineAutoscale();
    void routineCronPod();
    void routineJobSubmission();
    void routineNodeDrain();
    // A harmless change on a service unrelated to `involved`, at `when`: the decoy a ranker
    // must not prefer for being closer in time than the real cause.
    void nearDecoy(TimeUs when, const std::vector<int> &involved);

    int pickIdleService(const std::vector<int> &candidates, const std::vector<int> &exclude);
    void release(TimeUs when, std::vector<int> services);
    TimeUs end() const;

    SimWorld &w;
    std::vector<std::string> m_kinds;
    std::vector<std::string> m_cycle;
};

} // namespace eventscope::sim
