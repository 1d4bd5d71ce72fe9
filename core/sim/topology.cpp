#include "sim/topology.h"

#include <algorithm>

namespace eventscope::sim {

Topology Topology::build(Random &random)
{
    Topology t;
    auto service = [&t](std::string name, std::string nameSpace, int replicas, double capacity,
                        double latency, MetricWire metrics, LogWire logs) -> Service & {
        Service s;
        s.name = std::move(name);
        s.nameSpace = std::move(nameSpace);
        s.replicas = replicas;
        s.capacityPerReplica = capacity;
        s.baseLatencyMs = latency;
        s.metricWire = metrics;
        s.logWire = logs;
        t.services.push_back(std::move(s));
        return t.services.back();
    };
    // Index order matters: calls refer to indices.
    // Capacities leave the request path headroom below the entry service, so a surge
    // saturates frontend first (what its autoscaler is for) and the rest slows gently.
    service("frontend", "shop", 4, 60, 20, MetricWire::Otlp, LogWire::Otlp); // 0
    service("checkout", "shop", 3, 60, 25, MetricWire::Native, LogWire::Native); // 1
    service("search", "shop", 3, 140, 15, MetricWire::Prometheus, LogWire::Native); // 2
    service("payments", "shop", 2, 80, 30, MetricWire::Otlp, LogWire::Otlp); // 3
    service("inventory", "shop", 2, 90, 12, MetricWire::Native, LogWire::Native); // 4
    service("cart", "shop", 2, 90, 6, MetricWire::Prometheus, LogWire::Native); // 5
    service("catalog", "shop", 2, 210, 10, MetricWire::Otlp, LogWire::Otlp); // 6
    service("payments-db", "data", 1, 180, 5, MetricWire::Native, LogWire::Native); // 7
    service("inventory-db", "data", 1, 180, 4, MetricWire::Native, LogWire::Native); // 8
    Service &batch = service("batch-worker", "batch", 4, 1, 90, MetricWire::Native,
                             LogWire::Native); // 9
    batch.batch = true;
    batch.memoryBaseBytes = 900e6;
    batch.memoryLimitBytes = 2048e6;

    t.services[0].calls = {{1, 0.3}, {2, 0.7}};
    t.services[1].calls = {{3, 0.9}, {4, 1.0}, {5, 1.0}};
    t.services[2].calls = {{6, 1.0}};
    t.services[3].calls = {{7, 1.0}};
    t.services[4].calls = {{8, 1.0}};
    for (auto &s : t.services) {
        s.timeoutMs = s.name == "frontend" ? 3000 : 1000;
        if (!s.batch)
            s.memoryBaseBytes = random.uniform(250e6, 600e6);
    }

    for (int i = 1; i <= 6; ++i)
        t.nodes.push_back({"node-" + std::to_string(i), true});
    for (std::size_t s = 0; s < t.services.size(); ++s)
        t.replicaSetHash.push_back(random.kubernetesSuffix(9));
    for (std::size_t s = 0; s < t.services.size(); ++s) {
        for (int r = 0; r < t.services[s].replicas; ++r)
            t.addPod(static_cast<int>(s), random);
    }
    return t;
}

int Topology::serviceIndex(const std::string &name) const
{
    for (std::size_t i = 0; i < services.size(); ++i) {
        if (services[i].name == name)
            return static_cast<int>(i);
    }
    return -1;
}

std::vector<int> Topology::callersOf(int service) const
{
    std::vector<int> callers;
    for (std::size_t i = 0; i < services.size(); ++i) {
        for (const Call &call : services[i].calls) {
            if (call.callee == service)
                callers.push_back(static_cast<int>(i));
        }
    }
    return callers;
}

std::vector<int> Topology::podsOf(int service) const
{
    std::vector<int> result;
    for (std::size_t i = 0; i < pods.size(); ++i) {
        if (pods[i].running && pods[i].service == service)
            result.push_back(static_cast<int>(i));
    }
    return result;
}

std::vector<int> Topology::podsOnNode(int node) const
{
    std::vector<int> result;
    for (std::size_t i = 0; i < pods.size(); ++i) {
        if (pods[i].running && pods[i].node == node)
            result.push_back(static_cast<int>(i));
    }
    return result;
}

std::string Topology::newPodName(int service, Random &random) const
{
    return services[static_cast<std::size_t>(service)].name + '-'
        + replicaSetHash[static_cast<std::size_t>(service)] + '-' + random.kubernetesSuffix(5);
}

int Topology::addPod(int service, Random &random)
{
    std::vector<int> load(nodes.size(), 0);
    for (const Pod &pod : pods) {
        if (pod.running)
            ++load[static_cast<std::size_t>(pod.node)];
    }
    int best = -1;
    for (std::size_t n = 0; n < nodes.size(); ++n) {
        if (nodes[n].ready && (best < 0 || load[n] < load[static_cast<std::size_t>(best)]))
            best = static_cast<int>(n);
    }
    Pod pod;
    pod.name = newPodName(service, random);
    pod.service = service;
    pod.node = std::max(best, 0);
    pod.baseBytes
        = services[static_cast<std::size_t>(service)].memoryBaseBytes * random.uniform(0.92, 1.08);
    pods.push_back(std::move(pod));
    return static_cast<int>(pods.size()) - 1;
}

} // namespace eventscope::sim
