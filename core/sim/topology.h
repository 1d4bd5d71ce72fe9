#pragma once

#include "sim/random.h"

#include <string>
#include <vector>

namespace eventscope::sim {

// How a service's telemetry reaches Kafka: each service speaks one metrics format and one log
// format, as real fleets mix OpenTelemetry, Prometheus adapters and home-grown JSON.
enum class MetricWire { Otlp, Native, Prometheus };
enum class LogWire { Native, Otlp };

struct Call
{
    int callee = 0; // index into Topology::services
    double fraction = 1.0; // requests to the callee per request to the caller
};

struct Service
{
    std::string name;
    std::string nameSpace; // Kubernetes namespace
    std::vector<Call> calls;
    int replicas = 2;
    double capacityPerReplica = 50; // requests/s one replica serves at 100% utilisation
    double baseLatencyMs = 10; // own p99 at low load
    double timeoutMs = 1000; // callers give up after this
    double memoryBaseBytes = 400e6; // per pod
    double memoryLimitBytes = 1024e6;
    MetricWire metricWire = MetricWire::Native;
    LogWire logWire = LogWire::Native;
    bool batch = false; // job runner, not part of the request path
};

struct Pod
{
    std::string name; // checkout-7d9f8b6c4-x2k8p
    int service = 0;
    int node = 0;
    double baseBytes = 0; // working set without a leak
    double leakBytesPerSecond = 0;
    std::int64_t leakSince = 0; // leak accumulated from this moment (start or restart)
    bool running = true;
};

struct Node
{
    std::string name;
    bool ready = true;
};

// The simulated fleet: services with a call graph (frontend is the entry point), the nodes
// they run on and their pods. Built deterministically from the random source.
struct Topology
{
    std::string cluster = "prod-eu";
    std::vector<Service> services;
    std::vector<Node> nodes;
    std::vector<Pod> pods;
    std::vector<std::string> replicaSetHash; // per service, the current ReplicaSet's hash

    static Topology build(Random &random);

    int serviceIndex(const std::string &name) const;
    int entryService() const { return 0; }
    std::vector<int> callersOf(int service) const;
    std::vector<int> podsOf(int service) const; // running pods
    std::vector<int> podsOnNode(int node) const; // running pods
    // Adds a pod of `service` on the least loaded ready node; returns its index.
    int addPod(int service, Random &random);
    std::string newPodName(int service, Random &random) const;
};

} // namespace eventscope::sim
