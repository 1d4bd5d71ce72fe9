#include "sim/incidents.h"

#include "sim/simworld.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

namespace eventscope::sim {

namespace {

constexpr TimeUs kSecond = SimWorld::kSecond;
constexpr TimeUs kMinute = SimWorld::kMinute;

TimeUs seconds(double s)
{
    return static_cast<TimeUs>(s * static_cast<double>(kSecond));
}

bool contains(const std::vector<int> &items, int item)
{
    return std::find(items.begin(), items.end(), item) != items.end();
}

std::string percent(double ratio)
{
    return std::to_string(static_cast<int>(std::round(ratio * 1000)) / 10) + "."
        + std::to_string(static_cast<int>(std::round(ratio * 1000)) % 10) + "%";
}

} // namespace

IncidentPlanner::IncidentPlanner(SimWorld &world)
    : w(world)
{
    for (Scenario s : w.options().scenarios) {
        switch (s) {
        case Scenario::Scaling: m_kinds.emplace_back("traffic_surge"); break;
        case Scenario::Provisioning: m_kinds.emplace_back("scheduling_contention"); break;
        case Scenario::Failures:
            for (const char *kind :
                 {"memory_leak", "dependency_timeout", "node_failure", "external_dependency"})
                m_kinds.emplace_back(kind);
            break;
        }
    }
    w.truth().noEffectTypes = {"config.feature_flag"};
}

TimeUs IncidentPlanner::end() const
{
    const auto &o = w.options();
    return o.duration > 0 ? o.start + o.duration : std::numeric_limits<TimeUs>::max();
}

void IncidentPlanner::start()
{
    const TimeUs t = w.now();
    Random &r = w.random();
    w.at(t + seconds(r.uniform(60, 300)), [this] { routineDeployment(); });
    w.at(t + seconds(r.uniform(30, 200)), [this] { routineFeatureFlag(); });
    w.at(t + seconds(r.uniform(200, 900)), [this] { routineAutoscale(); });
    w.at(t + seconds(r.uniform(10, 120)), [this] { routineCronPod(); });
    w.at(t + seconds(r.uniform(300, 1200)), [this] { routineJobSubmission(); });
    w.at(t + seconds(r.uniform(900, 3000)), [this] { routineNodeDrain(); });
    TimeUs warmup = 15 * kMinute;
    if (w.options().duration > 0)
        warmup = std::min(warmup, w.options().duration / 4);
    if (!m_kinds.empty())
        w.at(t + warmup, [this] { nextIncident(); });
}

void IncidentPlanner::nextIncident()
{
    const TimeUs t = w.now();
    if (t + 22 * kMinute > end())
        return;
    if (m_cycle.empty()) {
        m_cycle = m_kinds;
        for (std::size_t i = m_cycle.size(); i > 1; --i)
            std::swap(m_cycle[i - 1],
                      m_cycle[static_cast<std::size_t>(
                          w.random().between(0, static_cast<std::int64_t>(i) - 1))]);
    }
    const std::string kind = m_cycle.back();
    m_cycle.pop_back();
    const TimeUs begin = t + seconds(w.random().uniform(0, 120));
    if (kind == "traffic_surge")
        trafficSurge(begin);
    else if (kind == "scheduling_contention")
        schedulingContention(begin);
    else if (kind == "memory_leak")
        memoryLeak(begin);
    else if (kind == "dependency_timeout")
        dependencyTimeout(begin);
    else if (kind == "node_failure")
        nodeFailure(begin);
    else
        externalDependency(begin);
    w.at(t + seconds(w.random().uniform(26 * 60, 32 * 60)), [this] { nextIncident(); });
}

int IncidentPlanner::pickIdleService(const std::vector<int> &candidates,
                                     const std::vector<int> &exclude)
{
    std::vector<int> idle;
    for (int s : candidates) {
        if (!contains(w.busyServices(), s) && !contains(exclude, s))
            idle.push_back(s);
    }
    return idle.empty() ? -1 : w.random().pick(idle);
}

void IncidentPlanner::release(TimeUs when, std::vector<int> services)
{
    w.at(when, [this, services] {
        auto &busy = w.busyServices();
        for (int s : services) {
            auto it = std::find(busy.begin(), busy.end(), s);
            if (it != busy.end())
                busy.erase(it);
        }
    });
}

// ---- Scaling: a traffic surge, an SLO breach, a scale-out that brings latency back.

void IncidentPlanner::trafficSurge(TimeUs t)
{
    Random &r = w.random();
    const int frontend = w.topology().entryService();
    w.busyServices().push_back(frontend);
    w.drivers()[static_cast<std::size_t>(frontend)].loadMultiplier.moveTo(t, r.uniform(1.8, 2.3),
                                                                          60 * kSecond);
    // The scale-out comes after at least five minutes of plateau and the surge holds for at
    // least seven more, so before/after windows of up to five minutes see a clean step.
    const TimeUs breach = t + seconds(r.uniform(90, 120));
    const TimeUs scaleOut = t + seconds(r.uniform(6.5 * 60, 8 * 60));
    auto incidents = std::make_shared<std::vector<std::size_t>>();
    auto added = std::make_shared<std::vector<int>>();
    nearDecoy(breach - seconds(r.uniform(30, 90)), {frontend});

    w.at(breach, [this, frontend, incidents] {
        const auto states = w.model(w.now());
        SimEvent e
            = w.nativeEvent("failure_events", "failure.latency_slo_breach", frontend, {},
                            "p99 latency " + std::to_string(static_cast<int>(states[0].p99Ms))
                                + " ms over the 250 ms SLO for 2 minutes",
                            "error");
        w.emit(e);
        incidents->push_back(
            w.recordIncident(e, "traffic_surge", "scaling", {}, {}, "frontend", {}));
    });
    w.at(scaleOut, [this, frontend, added] {
        Topology &topo = w.topology();
        const auto before = w.model(w.now());
        const auto &svc = topo.services[static_cast<std::size_t>(frontend)];
        const int from = before[0].runningPods;
        const int to = std::max(
            from + 2, static_cast<int>(std::ceil(before[0].load / (svc.capacityPerReplica * 0.6))));
        for (int i = from; i < to; ++i)
            added->push_back(topo.addPod(frontend, w.random()));
        const auto after = w.model(w.now());
        SimEvent e
            = w.nativeEvent("scaling_events", "scaling.scale_out", frontend, "deployment/frontend",
                            "autoscaler: " + std::to_string(from) + " → " + std::to_string(to)
                                + " replicas (cpu " + percent(before[0].cpu) + ")");
        e.attributes = {{"from", std::to_string(from)}, {"to", std::to_string(to)}};
        w.emit(e);
        w.truth().effects.push_back({e.id,
                                     e.type,
                                     e.time,
                                     "latency_p99_ms",
                                     {{"service", "frontend"}},
                                     before[0].p99Ms,
                                     after[0].p99Ms});
        w.emit(w.kubernetesEvent("ScalingReplicaSet", false, "Deployment", svc.nameSpace,
                                 "frontend", {}, "deployment-controller",
                                 "Scaled up replica set frontend-"
                                     + topo.replicaSetHash[static_cast<std::size_t>(frontend)]
                                     + " to " + std::to_string(to)));
        for (int pod : *added) {
            SimEvent scheduled
                = w.podEvent("Scheduled", false, pod,
                             "Successfully assigned shop/"
                                 + topo.pods[static_cast<std::size_t>(pod)].name + " to "
                                 + topo.nodes[static_cast<std::size_t>(
                                                  topo.pods[static_cast<std::size_t>(pod)].node)]
                                       .name);
            scheduled.component = "default-scheduler";
            w.emit(scheduled);
        }
    });
    w.at(scaleOut + seconds(r.uniform(90, 150)), [this, frontend, incidents] {
        SimEvent e = w.nativeEvent("failure_events", "recovery.latency_restored", frontend, {},
                                   "p99 latency back under the 250 ms SLO");
        w.emit(e);
        w.recordRecovery(*incidents, e);
    });
    const TimeUs surgeEnd = t + seconds(r.uniform(15 * 60, 18 * 60));
    w.at(surgeEnd, [this, frontend] {
        w.drivers()[static_cast<std::size_t>(frontend)].loadMultiplier.moveTo(w.now(), 1.0,
                                                                              3 * kMinute);
    });
    const TimeUs scaleIn = surgeEnd + seconds(r.uniform(6 * 60, 9 * 60));
    w.at(scaleIn, [this, frontend, added] {
        Topology &topo = w.topology();
        const int from = static_cast<int>(topo.podsOf(frontend).size());
        for (int pod : *added) {
            topo.pods[static_cast<std::size_t>(pod)].running = false;
            w.emit(w.podEvent("Killing", false, pod, "Stopping container frontend"));
        }
        const int to = static_cast<int>(topo.podsOf(frontend).size());
        SimEvent e = w.nativeEvent(
            "scaling_events", "scaling.scale_in", frontend, "deployment/frontend",
            "autoscaler: " + std::to_string(from) + " → " + std::to_string(to) + " replicas");
        e.attributes = {{"from", std::to_string(from)}, {"to", std::to_string(to)}};
        w.emit(e);
    });
    release(scaleIn, {frontend});
}

// ---- Provisioning: job pods that cannot be scheduled after capacity was taken away.

void IncidentPlanner::schedulingContention(TimeUs t)
{
    Random &r = w.random();
    Topology &topo = w.topology();
    const int batch = topo.serviceIndex("batch-worker");
    const bool drain = r.chance(0.5);
    const int node
        = static_cast<int>(r.between(0, static_cast<std::int64_t>(topo.nodes.size()) - 1));
    const std::string nodeName = topo.nodes[static_cast<std::size_t>(node)].name;
    auto cause = std::make_shared<SimEvent>();
    w.at(t, [this, drain, batch, nodeName, cause] {
        if (drain) {
            *cause = w.nativeEvent("resource_provisioning", "provisioning.node_drain", batch,
                                   nodeName, "draining " + nodeName + " for a kernel upgrade");
            cause->service.clear();
            cause->node = nodeName;
        } else {
            *cause = w.cloudEvent(
                EventWire::CloudEventBinary, "config.changed", batch, "deployment/batch-worker",
                "resources.requests.cpu 500m → 2 for batch-worker", "config-service");
            cause->attributes = {{"key", "resources.requests.cpu"}, {"old", "500m"}, {"new", "2"}};
        }
        w.emit(*cause);
    });
    // The change takes capacity at once: the evicted (drain) or restarted (bigger requests)
    // job pods no longer fit, so throughput falls and they pile up unscheduled.
    const int failing = static_cast<int>(r.between(3, 6));
    w.at(t + 20 * kSecond, [this] {
        w.batch().capacityFactor.moveTo(w.now(), w.random().uniform(0.3, 0.5), 60 * kSecond);
    });
    const TimeUs submitted = t + seconds(r.uniform(50, 140));
    auto incidents = std::make_shared<std::vector<std::size_t>>();
    auto pending = std::make_shared<std::vector<std::string>>();
    TimeUs when = submitted + 10 * kSecond;
    nearDecoy(when - seconds(r.uniform(20, 60)), {batch});
    for (int i = 0; i < failing; ++i) {
        when += seconds(r.uniform(5, 20));
        const std::string pod = "batch-worker-"
            + topo.replicaSetHash[static_cast<std::size_t>(batch)] + "-" + r.kubernetesSuffix(5);
        w.at(when, [this, pod, drain, nodeName, cause, incidents, pending] {
            SimEvent e = w.kubernetesEvent(
                "FailedScheduling", true, "Pod", "batch", pod, {}, "default-scheduler",
                "0/6 nodes are available: "
                    + std::string(drain ? "1 node(s) were unschedulable, 5" : "6")
                    + " Insufficient cpu. preemption: 0/6 nodes are available.");
            e.service = "batch-worker";
            w.emit(e);
            pending->push_back(pod);
            w.batch().pendingPods = static_cast<double>(pending->size());
            incidents->push_back(w.recordIncident(
                e, "scheduling_contention", "provisioning", cause->id,
                cause->wire == EventWire::Kubernetes ? "k8s." + cause->type : cause->type,
                "batch-worker", drain ? nodeName : std::string()));
        });
    }
    const TimeUs nodeAdded = when + seconds(r.uniform(240, 420));
    w.at(nodeAdded, [this, batch, pending] {
        SimEvent e = w.nativeEvent("scaling_events", "scaling.node_added", batch, "node-pool/batch",
                                   "cluster-autoscaler added a node for "
                                       + std::to_string(pending->size()) + " pending pods");
        e.service.clear();
        w.emit(e);
    });
    w.at(nodeAdded + 60 * kSecond, [this, pending] {
        for (const std::string &pod : *pending) {
            SimEvent e = w.kubernetesEvent(
                "Scheduled", false, "Pod", "batch", pod, {}, "default-scheduler",
                "Successfully assigned batch/" + pod + " to node-pool-batch-1");
            e.service = "batch-worker";
            w.emit(e);
        }
        w.batch().pendingPods = 0;
        w.batch().capacityFactor.moveTo(w.now(), 1.0, 120 * kSecond);
    });
    w.at(nodeAdded + 3 * kMinute, [this, batch, incidents] {
        SimEvent e = w.nativeEvent("failure_events", "recovery.jobs_caught_up", batch,
                                   "job/nightly-reports", "job backlog cleared");
        w.emit(e);
        w.recordRecovery(*incidents, e);
    });
    if (drain) {
        w.at(nodeAdded + 5 * kMinute, [this, batch, nodeName] {
            SimEvent e = w.nativeEvent("resource_provisioning", "provisioning.node_uncordon", batch,
                                       nodeName, nodeName + " back in service");
            e.service.clear();
            e.node = nodeName;
            w.emit(e);
        });
    }
}

// ---- Failures: a deployment that leaks memory until pods are OOM-killed; rollback.

void IncidentPlanner::memoryLeak(TimeUs t)
{
    Random &r = w.random();
    Topology &topo = w.topology();
    std::vector<int> candidates;
    for (const char *name : {"checkout", "payments", "inventory", "catalog", "search", "cart"})
        candidates.push_back(topo.serviceIndex(name));
    const int s = pickIdleService(candidates, {});
    if (s < 0)
        return;
    w.busyServices().push_back(s);
    const Service &svc = topo.services[static_cast<std::size_t>(s)];
    const std::string version
        = "v2." + std::to_string(r.between(3, 40)) + "." + std::to_string(r.between(1, 9));
    auto deploy = std::make_shared<SimEvent>();
    w.at(t, [this, s, version, deploy] {
        const std::string &name = w.topology().services[static_cast<std::size_t>(s)].name;
        *deploy
            = w.cloudEvent(EventWire::CloudEventStructured, "deployment.rollout", s,
                           "deployment/" + name, "rolled out " + name + " " + version, "argocd");
        deploy->attributes = {{"version", version}};
        w.emit(*deploy);
    });
    const TimeUs leakStart = t + 30 * kSecond;
    const double firstOom = r.uniform(6 * 60, 12 * 60); // seconds after the leak starts
    const TimeUs rollback = leakStart + seconds(firstOom + r.uniform(3 * 60, 6 * 60));
    auto incidents = std::make_shared<std::vector<std::size_t>>();
    TimeUs earliest = rollback;
    bool first = true;
    for (int pod : topo.podsOf(s)) {
        Pod &p = topo.pods[static_cast<std::size_t>(pod)];
        const double gap = svc.memoryLimitBytes - p.baseBytes;
        const double speed = first ? 1.0 : r.uniform(0.7, 0.95);
        first = false;
        p.leakBytesPerSecond = 0; // set when the rollout lands
        const double slope = gap / firstOom * speed;
        const TimeUs oom = leakStart + seconds(gap / slope);
        w.at(leakStart, [this, pod, slope] {
            Pod &leaking = w.topology().pods[static_cast<std::size_t>(pod)];
            leaking.leakBytesPerSecond = slope;
            leaking.leakSince = w.now();
        });
        if (oom >= rollback)
            continue;
        earliest = std::min(earliest, oom);
        w.at(oom, [this, pod, deploy, incidents] {
            Pod &killed = w.topology().pods[static_cast<std::size_t>(pod)];
            if (!killed.running)
                return;
            SimEvent e = w.podEvent("OOMKilling", true, pod,
                                    "Memory cgroup out of memory: Killed process 4242 (java) "
                                    "total-vm:4318240kB, anon-rss:1048576kB");
            w.emit(e);
            incidents->push_back(w.recordIncident(e, "memory_leak", "failures", deploy->id,
                                                  deploy->type, e.service, killed.name));
            killed.leakSince = w.now(); // restarted: the leak starts over
        });
        w.at(oom + 15 * kSecond, [this, pod] {
            if (w.topology().pods[static_cast<std::size_t>(pod)].running)
                w.emit(w.podEvent("Started", false, pod, "Started container app"));
        });
    }
    nearDecoy(earliest - seconds(r.uniform(30, 120)), {s});
    w.at(rollback, [this, s, version] {
        const std::string &name = w.topology().services[static_cast<std::size_t>(s)].name;
        SimEvent e = w.cloudEvent(EventWire::CloudEventStructured, "deployment.rollback", s,
                                  "deployment/" + name, "rolled back " + name + " from " + version,
                                  "argocd");
        w.emit(e);
        for (int pod : w.topology().podsOf(s)) {
            Pod &p = w.topology().pods[static_cast<std::size_t>(pod)];
            p.leakBytesPerSecond = 0; // pods restart on the old version
        }
    });
    const TimeUs recovered = rollback + seconds(r.uniform(40, 80));
    w.at(recovered, [this, s, incidents] {
        SimEvent e = w.nativeEvent("failure_events", "recovery.service_restored", s, {},
                                   "memory back to baseline after rollback");
        w.emit(e);
        w.recordRecovery(*incidents, e);
    });
    release(recovered + 2 * kMinute, {s});
}

// ---- Failures: a config change on a dependency makes it slow; its callers time out.

void IncidentPlanner::dependencyTimeout(TimeUs t)
{
    Random &r = w.random();
    Topology &topo = w.topology();
    const int d = pickIdleService({topo.serviceIndex("payments-db"),
                                   topo.serviceIndex("inventory-db"), topo.serviceIndex("catalog")},
                                  {});
    if (d < 0)
        return;
    const int caller = topo.callersOf(d).front();
    const int entry = topo.entryService();
    const std::vector<int> involved = {d, caller, entry, topo.callersOf(caller).front()};
    for (int s : involved)
        w.busyServices().push_back(s);
    const bool pool = topo.services[static_cast<std::size_t>(d)].name.ends_with("-db");
    const std::string key = pool ? "max_connections" : "cache.enabled";
    const std::string before = pool ? "200" : "true";
    const std::string after = pool ? "20" : "false";
    auto cause = std::make_shared<SimEvent>();
    w.at(t, [this, d, key, before, after, cause] {
        const std::string &name = w.topology().services[static_cast<std::size_t>(d)].name;
        *cause = w.cloudEvent(EventWire::CloudEventBinary, "config.changed", d,
                              "configmap/" + name + "-config", key + " " + before + " → " + after,
                              "config-service");
        cause->attributes = {{"key", key}, {"old", before}, {"new", after}};
        w.emit(*cause);
    });
    const TimeUs slowFrom = t + seconds(r.uniform(30, 90));
    const double slowMs = r.uniform(1400, 2600);
    const TimeUs ramp = seconds(r.uniform(120, 180));
    w.at(slowFrom, [this, d, slowMs, ramp] {
        w.drivers()[static_cast<std::size_t>(d)].extraLatencyMs.moveTo(w.now(), slowMs, ramp);
    });
    const TimeUs failAt = slowFrom + seconds(r.uniform(150, 210));
    const TimeUs entryFailAt = failAt + seconds(r.uniform(40, 90));
    auto incidents = std::make_shared<std::vector<std::size_t>>();
    nearDecoy(failAt - seconds(r.uniform(30, 90)), involved);
    auto fail = [this, d, cause, incidents](int service, std::string type) {
        const auto states = w.model(w.now());
        const auto &dep = w.topology().services[static_cast<std::size_t>(d)].name;
        std::vector<int> pods = w.topology().podsOf(service);
        std::string entity;
        if (service != w.topology().entryService() && !pods.empty())
            entity = w.topology().pods[static_cast<std::size_t>(w.random().pick(pods))].name;
        SimEvent e = w.nativeEvent(
            "failure_events", std::move(type), service, entity,
            service == w.topology().entryService()
                ? "5xx rate " + percent(states[static_cast<std::size_t>(service)].errorRate)
                    + " over the 1% SLO"
                : "calls to " + dep
                    + " timing out: " + percent(states[static_cast<std::size_t>(service)].errorRate)
                    + " of requests failing",
            "error");
        e.attributes = {{"dependency", dep}};
        w.emit(e);
        incidents->push_back(
            w.recordIncident(e, "dependency_timeout", "failures", cause->id, cause->type, dep, {}));
    };
    w.at(failAt, [fail, caller] { fail(caller, "failure.timeout"); });
    w.at(entryFailAt, [fail, entry] { fail(entry, "failure.error_rate"); });
    const TimeUs revert = entryFailAt + seconds(r.uniform(4 * 60, 8 * 60));
    w.at(revert, [this, d, key, before, after] {
        const std::string &name = w.topology().services[static_cast<std::size_t>(d)].name;
        SimEvent e = w.cloudEvent(
            EventWire::CloudEventBinary, "config.changed", d, "configmap/" + name + "-config",
            key + " " + after + " → " + before + " (revert)", "config-service");
        e.attributes = {{"key", key}, {"old", after}, {"new", before}};
        w.emit(e);
        w.drivers()[static_cast<std::size_t>(d)].extraLatencyMs.moveTo(w.now(), 0, 60 * kSecond);
    });
    const TimeUs recovered = revert + seconds(r.uniform(90, 150));
    w.at(recovered, [this, caller, incidents] {
        SimEvent e = w.nativeEvent("failure_events", "recovery.healthy", caller, {},
                                   "error rate back under 0.5%");
        w.emit(e);
        w.recordRecovery(*incidents, e);
    });
    release(recovered + kMinute, involved);
}

// ---- Failures: a node goes away and takes its pods with it (a cascade with one cause).

void IncidentPlanner::nodeFailure(TimeUs t)
{
    Random &r = w.random();
    Topology &topo = w.topology();
    std::vector<int> candidates;
    for (std::size_t n = 0; n < topo.nodes.size(); ++n) {
        int pods = 0;
        for (int pod : topo.podsOnNode(static_cast<int>(n)))
            pods += topo.services[static_cast<std::size_t>(
                                      topo.pods[static_cast<std::size_t>(pod)].service)]
                        .batch
                ? 0
                : 1;
        if (topo.nodes[n].ready && pods >= 2)
            candidates.push_back(static_cast<int>(n));
    }
    if (candidates.empty())
        return;
    const int node = r.pick(candidates);
    const std::string nodeName = topo.nodes[static_cast<std::size_t>(node)].name;
    auto cause = std::make_shared<SimEvent>();
    w.at(t, [this, node, nodeName, cause] {
        *cause = w.kubernetesEvent("NodeNotReady", false, "Node", {}, nodeName, nodeName,
                                   "node-controller",
                                   "Node " + nodeName + " status is now: NodeNotReady");
        cause->service = nodeName;
        w.emit(*cause);
        w.topology().nodes[static_cast<std::size_t>(node)].ready = false;
    });
    std::vector<int> involved;
    TimeUs firstFailure = t + 10 * kMinute;
    int index = 0;
    for (int pod : topo.podsOnNode(node)) {
        const int service = topo.pods[static_cast<std::size_t>(pod)].service;
        if (topo.services[static_cast<std::size_t>(service)].batch)
            continue;
        involved.push_back(service);
        const TimeUs failAt = t + seconds(r.uniform(20, 90));
        firstFailure = std::min(firstFailure, failAt);
        const bool kubernetes = index++ % 2 == 0;
        auto incident = std::make_shared<std::size_t>(0);
        w.at(failAt, [this, pod, kubernetes, nodeName, cause, incident] {
            Pod &p = w.topology().pods[static_cast<std::size_t>(pod)];
            SimEvent e;
            if (kubernetes) {
                e = w.podEvent("Unhealthy", true, pod,
                               "Readiness probe failed: Get \"http://10.4.2.17:8080/ready\": "
                               "dial tcp 10.4.2.17:8080: connect: no route to host");
            } else {
                e = w.nativeEvent("failure_events", "failure.crash", p.service, p.name,
                                  "pod lost with its node: container exited with 137", "error");
                e.node = nodeName;
            }
            w.emit(e);
            *incident = w.recordIncident(e, "node_failure", "failures", cause->id,
                                         "k8s." + cause->type, {}, nodeName);
            p.running = false;
        });
        const TimeUs replaced = failAt + seconds(r.uniform(100, 200));
        w.at(replaced, [this, service, incident] {
            Topology &topology = w.topology();
            const int fresh = topology.addPod(service, w.random());
            Pod &p = topology.pods[static_cast<std::size_t>(fresh)];
            SimEvent scheduled = w.podEvent(
                "Scheduled", false, fresh,
                "Successfully assigned "
                    + topology.services[static_cast<std::size_t>(service)].nameSpace + "/" + p.name
                    + " to " + topology.nodes[static_cast<std::size_t>(p.node)].name);
            scheduled.component = "default-scheduler";
            w.emit(scheduled);
            const std::string podName = p.name;
            w.at(w.now() + 20 * kSecond, [this, service, podName, incident] {
                SimEvent e = w.nativeEvent("failure_events", "recovery.pod_replaced", service,
                                           podName, "replacement pod ready");
                w.emit(e);
                w.recordRecovery({*incident}, e);
            });
        });
    }
    nearDecoy(t - seconds(r.uniform(20, 60)), involved);
    w.at(t + seconds(r.uniform(8 * 60, 12 * 60)), [this, node, nodeName] {
        SimEvent e = w.kubernetesEvent("NodeReady", false, "Node", {}, nodeName, nodeName,
                                       "node-controller",
                                       "Node " + nodeName + " status is now: NodeReady");
        e.service = nodeName;
        w.emit(e);
        w.topology().nodes[static_cast<std::size_t>(node)].ready = true;
    });
}

// ---- Failures: an outside provider degrades; nothing in the fleet changed (no cause event).

void IncidentPlanner::externalDependency(TimeUs t)
{
    Random &r = w.random();
    Topology &topo = w.topology();
    const int x = pickIdleService({topo.serviceIndex("payments"), topo.serviceIndex("catalog"),
                                   topo.serviceIndex("inventory")},
                                  {});
    if (x < 0)
        return;
    const int caller = topo.callersOf(x).front();
    const int entry = topo.entryService();
    const std::vector<int> involved = {x, caller, entry};
    for (int s : involved)
        w.busyServices().push_back(s);
    const double slowMs = r.uniform(700, 1300);
    const double errors = r.uniform(0.04, 0.12);
    w.at(t, [this, x, slowMs, errors] {
        ServiceDrivers &d = w.drivers()[static_cast<std::size_t>(x)];
        d.extraLatencyMs.moveTo(w.now(), slowMs, 120 * kSecond);
        d.extraErrorRate.moveTo(w.now(), errors, 120 * kSecond);
    });
    auto incidents = std::make_shared<std::vector<std::size_t>>();
    const TimeUs failAt = t + seconds(r.uniform(150, 210));
    nearDecoy(failAt - seconds(r.uniform(30, 90)), involved);
    auto fail = [this, x, incidents](int service, std::string type) {
        const auto states = w.model(w.now());
        const std::string &name = w.topology().services[static_cast<std::size_t>(x)].name;
        const bool atEntry = service == w.topology().entryService();
        std::vector<int> pods = w.topology().podsOf(service);
        SimEvent e = w.nativeEvent(
            "failure_events", std::move(type), service,
            atEntry || pods.empty()
                ? std::string()
                : w.topology().pods[static_cast<std::size_t>(w.random().pick(pods))].name,
            atEntry ? "5xx rate " + percent(states[static_cast<std::size_t>(service)].errorRate)
                    + " over the 1% SLO"
                    : name + " requests failing: "
                    + percent(states[static_cast<std::size_t>(service)].errorRate) + " errors",
            "error");
        w.emit(e);
        incidents->push_back(
            w.recordIncident(e, "external_dependency", "failures", {}, {}, name, {}));
    };
    w.at(failAt, [fail, caller] { fail(caller, "failure.timeout"); });
    w.at(failAt + seconds(r.uniform(30, 90)), [fail, entry] { fail(entry, "failure.error_rate"); });
    const TimeUs heal = t + seconds(r.uniform(10 * 60, 14 * 60));
    w.at(heal, [this, x] {
        ServiceDrivers &d = w.drivers()[static_cast<std::size_t>(x)];
        d.extraLatencyMs.moveTo(w.now(), 0, 90 * kSecond);
        d.extraErrorRate.moveTo(w.now(), 0, 90 * kSecond);
    });
    const TimeUs recovered = heal + 2 * kMinute;
    w.at(recovered, [this, caller, incidents] {
        SimEvent e = w.nativeEvent("failure_events", "recovery.healthy", caller, {},
                                   "error rate back under 0.5%");
        w.emit(e);
        w.recordRecovery(*incidents, e);
    });
    release(recovered + kMinute, involved);
}

// ---- Routine background: changes that cause nothing.

void IncidentPlanner::nearDecoy(TimeUs when, const std::vector<int> &involved)
{
    w.at(when, [this, involved] {
        std::vector<int> all;
        for (std::size_t s = 0; s < w.topology().services.size(); ++s)
            all.push_back(static_cast<int>(s));
        std::vector<int> exclude = involved;
        for (int s : involved) {
            for (int caller : w.topology().callersOf(s))
                exclude.push_back(caller);
            for (const Call &call : w.topology().services[static_cast<std::size_t>(s)].calls)
                exclude.push_back(call.callee);
        }
        const int s = pickIdleService(all, exclude);
        if (s < 0)
            return;
        // Always a deployment: feature flags stay purely random in time, so the truth can
        // name them as the event type without any effect.
        const std::string &name = w.topology().services[static_cast<std::size_t>(s)].name;
        SimEvent e = w.cloudEvent(
            EventWire::CloudEventStructured, "deployment.rollout", s, "deployment/" + name,
            "rolled out " + name + " v1." + std::to_string(w.random().between(10, 99)) + ".0",
            "argocd");
        w.emit(e);
    });
}

void IncidentPlanner::routineDeployment()
{
    const int s = pickIdleService({1, 2, 3, 4, 5, 6}, {});
    if (s >= 0) {
        const std::string &name = w.topology().services[static_cast<std::size_t>(s)].name;
        const std::string version = "v1." + std::to_string(w.random().between(10, 99)) + "."
            + std::to_string(w.random().between(0, 9));
        SimEvent e
            = w.cloudEvent(EventWire::CloudEventStructured, "deployment.rollout", s,
                           "deployment/" + name, "rolled out " + name + " " + version, "argocd");
        e.attributes = {{"version", version}};
        w.emit(e);
    }
    w.at(w.now() + seconds(w.random().uniform(12 * 60, 30 * 60)), [this] { routineDeployment(); });
}

void IncidentPlanner::routineFeatureFlag()
{
    const int s = pickIdleService({0, 1, 2, 3, 4, 5, 6}, {});
    if (s >= 0) {
        static const std::vector<std::string> kFlags
            = {"new-recommendations", "dark-mode", "express-checkout", "search-v2", "promo-banner"};
        const std::string flag = w.random().pick(kFlags);
        const bool on = w.random().chance(0.5);
        SimEvent e
            = w.cloudEvent(EventWire::CloudEventBinary, "config.feature_flag", s, "flag/" + flag,
                           "feature flag " + flag + ": " + (on ? "on" : "off"), "flagd");
        e.attributes = {{"flag", flag}, {"value", on ? "on" : "off"}};
        w.emit(e);
    }
    w.at(w.now() + seconds(w.random().uniform(6 * 60, 15 * 60)), [this] { routineFeatureFlag(); });
}

void IncidentPlanner::routineAutoscale()
{
    Topology &topo = w.topology();
    const int s = pickIdleService(
        {topo.serviceIndex("search"), topo.serviceIndex("catalog"), topo.serviceIndex("cart")}, {});
    if (s >= 0) {
        const std::string name = topo.services[static_cast<std::size_t>(s)].name;
        const int from = static_cast<int>(topo.podsOf(s).size());
        const int pod = topo.addPod(s, w.random());
        SimEvent e = w.nativeEvent("scaling_events", "scaling.scale_out", s, "deployment/" + name,
                                   "autoscaler: " + std::to_string(from) + " → "
                                       + std::to_string(from + 1) + " replicas");
        e.attributes = {{"from", std::to_string(from)}, {"to", std::to_string(from + 1)}};
        w.emit(e);
        SimEvent scheduled = w.podEvent("Scheduled", false, pod,
                                        "Successfully assigned "
                                            + topo.services[static_cast<std::size_t>(s)].nameSpace
                                            + "/" + topo.pods[static_cast<std::size_t>(pod)].name);
        scheduled.component = "default-scheduler";
        w.emit(scheduled);
        w.at(w.now() + seconds(w.random().uniform(8 * 60, 15 * 60)), [this, s, pod, name] {
            Pod &p = w.topology().pods[static_cast<std::size_t>(pod)];
            if (!p.running)
                return;
            const int before = static_cast<int>(w.topology().podsOf(s).size());
            p.running = false;
            w.emit(w.podEvent("Killing", false, pod, "Stopping container " + name));
            SimEvent scaleIn
                = w.nativeEvent("scaling_events", "scaling.scale_in", s, "deployment/" + name,
                                "autoscaler: " + std::to_string(before) + " → "
                                    + std::to_string(before - 1) + " replicas");
            scaleIn.attributes
                = {{"from", std::to_string(before)}, {"to", std::to_string(before - 1)}};
            w.emit(scaleIn);
        });
    }
    w.at(w.now() + seconds(w.random().uniform(20 * 60, 45 * 60)), [this] { routineAutoscale(); });
}

void IncidentPlanner::routineCronPod()
{
    const std::string pod = "report-cron-" + std::to_string(w.random().between(29000000, 29999999))
        + "-" + w.random().kubernetesSuffix(5);
    const std::string node = w.random().pick(w.topology().nodes).name;
    const TimeUs t = w.now();
    int step = 0;
    for (const char *reason : {"Scheduled", "Pulled", "Created", "Started"}) {
        const std::string why = reason;
        w.at(t + step++ * 2 * kSecond, [this, why, pod, node] {
            w.emit(w.kubernetesEvent(
                why, false, "Pod", "batch", pod, node,
                why == "Scheduled" ? "default-scheduler" : "kubelet",
                why == "Scheduled"    ? "Successfully assigned batch/" + pod + " to " + node
                    : why == "Pulled" ? "Container image \"reports:1.4\" already present on machine"
                                      : why + " container report"));
        });
    }
    w.at(t + seconds(w.random().uniform(9 * 60, 11 * 60)), [this] { routineCronPod(); });
}

void IncidentPlanner::routineJobSubmission()
{
    const int batch = w.topology().serviceIndex("batch-worker");
    w.emit(w.nativeEvent(
        "resource_provisioning", "provisioning.job_submitted", batch, "job/hourly-rollup",
        "hourly-rollup: " + std::to_string(w.random().between(8, 20)) + " pods requested"));
    w.at(w.now() + seconds(w.random().uniform(40 * 60, 70 * 60)),
         [this] { routineJobSubmission(); });
}

void IncidentPlanner::routineNodeDrain()
{
    const std::string node = w.random().pick(w.topology().nodes).name;
    const int batch = w.topology().serviceIndex("batch-worker");
    SimEvent e = w.nativeEvent("resource_provisioning", "provisioning.node_drain", batch, node,
                               "draining " + node + " for a kernel upgrade");
    e.service.clear();
    e.node = node;
    w.emit(e);
    w.at(w.now() + seconds(w.random().uniform(5 * 60, 10 * 60)), [this, node, batch] {
        SimEvent back = w.nativeEvent("resource_provisioning", "provisioning.node_uncordon", batch,
                                      node, node + " back in service");
        back.service.clear();
        back.node = node;
        w.emit(back);
    });
    w.at(w.now() + seconds(w.random().uniform(50 * 60, 100 * 60)), [this] { routineNodeDrain(); });
}

} // namespace eventscope::sim
