#include "sim/simworld.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace eventscope::sim {

namespace {

constexpr double kEntryLoad = 150; // requests/s at the diurnal mean

double clamp01(double v)
{
    return std::clamp(v, 0.0, 1.0);
}

double roundTo(double value, double step)
{
    return std::round(value / step) * step;
}

bool actionAfter(const auto &a, const auto &b)
{
    return a.when != b.when ? a.when > b.when : a.order > b.order;
}

} // namespace

double Ramp::at(TimeUs t) const
{
    if (t >= m_end)
        return m_to;
    if (t <= m_begin)
        return m_from;
    return m_from
        + (m_to - m_from) * static_cast<double>(t - m_begin) / static_cast<double>(m_end - m_begin);
}

void Ramp::moveTo(TimeUs now, double target, TimeUs duration)
{
    m_from = at(now);
    m_to = target;
    m_begin = now;
    m_end = now + std::max<TimeUs>(duration, 1);
}

SimWorld::SimWorld(const SimulatorOptions &options)
    : m_options(options)
    , m_random(options.seed)
    , m_noise(options.seed ^ 0x6e6f697365ULL)
    , m_now(options.start)
    , m_actionTime(options.start)
{
    m_topology = Topology::build(m_random);
    m_drivers.resize(m_topology.services.size());
    for (ServiceDrivers &d : m_drivers)
        d.loadMultiplier.set(1.0);
    m_batch.capacityFactor.set(1.0);
    m_truth.seed = options.seed;
    m_truth.start = options.start;
    m_truth.end = options.duration > 0 ? options.start + options.duration : 0;
    for (Scenario s : options.scenarios)
        m_truth.scenarios.emplace_back(scenarioName(s));
}

bool SimWorld::finished() const
{
    return m_options.duration > 0 && m_now >= m_options.start + m_options.duration;
}

void SimWorld::at(TimeUs when, std::function<void()> action)
{
    m_actions.push_back({std::max(when, m_actionTime), m_actionOrder++, std::move(action)});
    std::push_heap(m_actions.begin(), m_actions.end(),
                   [](const Action &a, const Action &b) { return actionAfter(a, b); });
}

void SimWorld::runDueActions(TimeUs until)
{
    while (!m_actions.empty() && m_actions.front().when <= until) {
        std::pop_heap(m_actions.begin(), m_actions.end(),
                      [](const Action &a, const Action &b) { return actionAfter(a, b); });
        Action action = std::move(m_actions.back());
        m_actions.pop_back();
        m_actionTime = action.when;
        action.run();
    }
    m_actionTime = until;
}

void SimWorld::tick(std::vector<OutgoingMessage> &out)
{
    const TimeUs from = m_now;
    const TimeUs to = m_now + m_options.tickInterval;
    runDueActions(to);
    const std::vector<ServiceState> states = model(to);
    std::vector<OutgoingMessage> messages = std::move(m_pending);
    m_pending.clear();
    emitTraffic(states, from, to, messages);
    emitMetrics(states, messages);
    std::stable_sort(
        messages.begin(), messages.end(),
        [](const OutgoingMessage &a, const OutgoingMessage &b) { return a.time < b.time; });
    m_truth.messages += static_cast<std::int64_t>(messages.size());
    for (OutgoingMessage &m : messages)
        out.push_back(std::move(m));
    m_now = to;
}

double SimWorld::diurnal(TimeUs t) const
{
    const double hours = static_cast<double>(t % (24 * 3600 * kSecond)) / (3600.0 * kSecond);
    return 1.0 + 0.3 * std::sin(2 * std::numbers::pi * (hours - 9.0) / 24.0);
}

double SimWorld::podMemory(const Pod &pod, TimeUs t) const
{
    double bytes = pod.baseBytes;
    if (pod.leakBytesPerSecond > 0 && t > pod.leakSince)
        bytes += pod.leakBytesPerSecond * static_cast<double>(t - pod.leakSince) / kSecond;
    return bytes;
}

std::vector<ServiceState> SimWorld::model(TimeUs t) const
{
    const auto &services = m_topology.services;
    const std::size_t n = services.size();
    std::vector<ServiceState> states(n);
    std::vector<double> gc(n, 0.0);
    for (const Pod &pod : m_topology.pods) {
        if (!pod.running)
            continue;
        const auto s = static_cast<std::size_t>(pod.service);
        ++states[s].runningPods;
        gc[s] += std::max(0.0, podMemory(pod, t) / services[s].memoryLimitBytes - 0.7) * 2.5;
    }
    states[0].load = kEntryLoad * diurnal(t) * m_drivers[0].loadMultiplier.at(t);
    // Calls go from lower to higher indices, so one pass forward spreads the load ...
    for (std::size_t s = 0; s < n; ++s) {
        if (services[s].batch)
            continue;
        for (const Call &call : services[s].calls)
            states[static_cast<std::size_t>(call.callee)].load += states[s].load * call.fraction;
    }
    // ... and one pass backward adds up latencies and errors.
    for (std::size_t i = n; i-- > 0;) {
        ServiceState &st = states[i];
        const Service &svc = services[i];
        if (svc.batch)
            continue;
        if (st.runningPods > 0)
            gc[i] /= st.runningPods;
        const double capacity = std::max(st.runningPods, 0) * svc.capacityPerReplica;
        st.utilisation = capacity > 0 ? st.load / capacity : 5.0;
        // Queueing delay: flat at low load, steep near saturation, capped when overloaded.
        const double rho = std::min(st.utilisation, 0.97);
        st.ownLatencyMs = svc.baseLatencyMs * (1.0 + 0.5 * rho * rho / (1.0 - rho)) * (1.0 + gc[i])
            + m_drivers[i].extraLatencyMs.at(t);
        st.p99Ms = st.ownLatencyMs;
        st.errorRate = 0.002 + m_drivers[i].extraErrorRate.at(t) + (st.runningPods == 0 ? 1 : 0);
        for (const Call &call : svc.calls) {
            ServiceState &callee = states[static_cast<std::size_t>(call.callee)];
            const double weight = std::min(1.0, call.fraction);
            callee.timeoutShare = std::clamp((callee.p99Ms / svc.timeoutMs - 0.6) / 1.4, 0.0, 0.7);
            st.p99Ms += std::min(callee.p99Ms, svc.timeoutMs) * weight;
            st.errorRate += (callee.timeoutShare + callee.errorRate * 0.9) * weight;
        }
        st.errorRate = clamp01(st.errorRate);
        st.cpu = clamp01(0.06 + 0.8 * std::min(st.utilisation, 1.1) + 0.15 * gc[i]);
    }
    return states;
}

std::string SimWorld::emit(SimEvent event)
{
    if (event.id.empty())
        event.id
            = event.wire == EventWire::Kubernetes ? m_random.uuid() : "evt-" + m_random.hex(12);
    if (event.time == 0)
        event.time = m_actionTime;
    if (event.wire == EventWire::Kubernetes)
        event.time -= event.time % kSecond; // Kubernetes timestamps have whole seconds
    m_pending.push_back(encodeEvent(event, m_topology.cluster));
    return event.id;
}

SimEvent SimWorld::nativeEvent(std::string topic, std::string type, int service, std::string entity,
                               std::string message, std::string severity)
{
    SimEvent e;
    e.wire = EventWire::Native;
    e.topic = std::move(topic);
    e.id = "evt-" + m_random.hex(12);
    e.time = m_actionTime;
    e.type = std::move(type);
    e.service = m_topology.services[static_cast<std::size_t>(service)].name;
    e.entity = std::move(entity);
    e.message = std::move(message);
    e.severity = std::move(severity);
    return e;
}

SimEvent SimWorld::cloudEvent(EventWire wire, std::string type, int service, std::string entity,
                              std::string message, std::string component)
{
    SimEvent e = nativeEvent("resource_provisioning", std::move(type), service, std::move(entity),
                             std::move(message));
    e.wire = wire;
    e.component = std::move(component);
    return e;
}

SimEvent SimWorld::kubernetesEvent(std::string reason, bool warning, std::string kind,
                                   std::string nameSpace, std::string name, std::string node,
                                   std::string component, std::string message)
{
    SimEvent e;
    e.wire = EventWire::Kubernetes;
    e.id = m_random.uuid();
    e.time = m_actionTime - m_actionTime % kSecond;
    e.type = std::move(reason);
    e.warning = warning;
    e.topic = warning ? "failure_events" : "resource_provisioning";
    e.objectKind = std::move(kind);
    e.objectNamespace = std::move(nameSpace);
    e.objectName = std::move(name);
    e.entity = e.objectKind + (e.objectNamespace.empty() ? "" : "/" + e.objectNamespace) + "/"
        + e.objectName;
    e.node = std::move(node);
    e.component = std::move(component);
    e.message = std::move(message);
    return e;
}

SimEvent SimWorld::podEvent(std::string reason, bool warning, int pod, std::string message)
{
    const Pod &p = m_topology.pods[static_cast<std::size_t>(pod)];
    const Service &s = m_topology.services[static_cast<std::size_t>(p.service)];
    SimEvent e = kubernetesEvent(std::move(reason), warning, "Pod", s.nameSpace, p.name,
                                 m_topology.nodes[static_cast<std::size_t>(p.node)].name, "kubelet",
                                 std::move(message));
    e.service = s.name;
    return e;
}

std::size_t SimWorld::recordIncident(const SimEvent &failure, const std::string &kind,
                                     const std::string &scenario, const std::string &cause,
                                     const std::string &causeType, std::string suspectService,
                                     std::string suspectEntity)
{
    TruthIncident incident;
    incident.id = failure.id;
    incident.type = failure.wire == EventWire::Kubernetes ? "k8s." + failure.type : failure.type;
    incident.time = failure.time;
    incident.service = failure.service;
    incident.entity = failure.entity;
    incident.kind = kind;
    incident.scenario = scenario;
    incident.cause = cause;
    incident.causeType = causeType;
    incident.suspectService = std::move(suspectService);
    incident.suspectEntity = std::move(suspectEntity);
    m_truth.incidents.push_back(std::move(incident));
    return m_truth.incidents.size() - 1;
}

void SimWorld::recordRecovery(const std::vector<std::size_t> &incidents, const SimEvent &recovery)
{
    for (std::size_t index : incidents) {
        TruthIncident &incident = m_truth.incidents[index];
        if (incident.recovery.empty()) {
            incident.recovery = recovery.id;
            incident.recoveryTime = recovery.time;
        }
    }
}

void SimWorld::emitMetrics(const std::vector<ServiceState> &states,
                           std::vector<OutgoingMessage> &out)
{
    const TimeUs t = m_now + m_options.tickInterval;
    Random &noise = m_noise;
    const auto &services = m_topology.services;
    for (std::size_t s = 0; s < services.size(); ++s) {
        const Service &svc = services[s];
        const ServiceState &st = states[s];
        std::vector<MetricPoint> points;
        if (svc.batch) {
            const double capacity = m_batch.capacityFactor.at(t);
            points.push_back(
                {"jobs_completed_per_minute",
                 {},
                 roundTo(std::max(0.0,
                                  m_batch.demandPerMinute * capacity * (1 + 0.05 * noise.normal())),
                         0.01),
                 "1/min"});
            points.push_back(
                {"job_duration_seconds",
                 {},
                 roundTo(90.0 / std::max(capacity, 0.2) * (1 + 0.05 * noise.normal()), 0.1),
                 "s"});
            points.push_back({"pending_pods", {}, m_batch.pendingPods, "1"});
            points.push_back(
                {"cpu_utilization",
                 {},
                 roundTo(clamp01(0.5 + 0.4 * (1 - capacity) + 0.03 * noise.normal()), 0.001),
                 "ratio"});
        } else {
            double latency = st.p99Ms * (1 + 0.06 * noise.normal());
            if (noise.chance(0.01))
                latency *= 1.7; // the odd outlier a robust baseline must survive
            points.push_back({"http_requests_per_second",
                              {},
                              roundTo(std::max(0.0, st.load * (1 + 0.03 * noise.normal())), 0.1),
                              "1/s"});
            points.push_back({"latency_p99_ms", {}, roundTo(std::max(0.5, latency), 0.1), "ms"});
            points.push_back({"error_rate",
                              {},
                              roundTo(clamp01(st.errorRate + 0.0008 * noise.normal()), 0.0001),
                              "ratio"});
            points.push_back({"cpu_utilization",
                              {},
                              roundTo(clamp01(st.cpu + 0.02 * noise.normal()), 0.001),
                              "ratio"});
        }
        points.push_back({"replicas", {}, static_cast<double>(st.runningPods), "1"});
        for (const Pod &pod : m_topology.pods) {
            if (pod.running && pod.service == static_cast<int>(s)) {
                points.push_back({"memory_usage_bytes",
                                  {{"pod", pod.name}},
                                  roundTo(podMemory(pod, t) * (1 + 0.005 * noise.normal()), 1024.0),
                                  "By"});
            }
        }
        encodeServiceMetrics(svc.metricWire, svc.name, t, points, out);
    }

    std::vector<NodeStats> nodes;
    for (std::size_t n = 0; n < m_topology.nodes.size(); ++n) {
        NodeStats stats;
        stats.node = m_topology.nodes[n].name;
        stats.ready = m_topology.nodes[n].ready;
        double cpu = 0.12;
        double memory = 0.22;
        for (const Pod &pod : m_topology.pods) {
            if (pod.running && pod.node == static_cast<int>(n)) {
                cpu += 0.18 * states[static_cast<std::size_t>(pod.service)].cpu;
                memory += podMemory(pod, t) / 32e9;
            }
        }
        stats.cpu = clamp01(cpu + 0.02 * noise.normal());
        stats.memory = clamp01(memory + 0.005 * noise.normal());
        nodes.push_back(stats);
    }
    out.push_back(encodeNodeStats(m_topology.cluster, t, nodes));
}

} // namespace eventscope::sim
