#include "analysis/eventlinking.h"

#include <simdjson.h>

#include <array>
#include <unordered_map>

namespace eventscope::analysis {

namespace {

using Scope = ClusterCondition::Scope;

// Kubernetes' reasons for something gone wrong, by what they touch. Strength: a node that
// stops takes its pods with it (nearly certain); a pod that crashes, fails its probes or is
// killed takes its share of a service; pods that cannot be placed leave a service short.
constexpr std::array kConditions = {
    ClusterCondition{"NodeNotReady", Scope::Node,
                     "the node stopped reporting ready: its pods stop "
                     "serving and are evicted",
                     0.9},
    ClusterCondition{"NodeNotSchedulable", Scope::Node, "the node takes no new pods", 0.5},
    ClusterCondition{"NodeHasDiskPressure", Scope::Node,
                     "the node is short of disk: pods are evicted", 0.7},
    ClusterCondition{"NodeHasInsufficientMemory", Scope::Node,
                     "the node is short of memory: pods are evicted", 0.7},
    ClusterCondition{"NodeHasInsufficientPID", Scope::Node, "the node is short of process ids",
                     0.6},
    ClusterCondition{"Rebooted", Scope::Node, "the node rebooted: its pods restarted", 0.8},
    ClusterCondition{"SystemOOM", Scope::Node, "the node ran out of memory: processes were killed",
                     0.8},
    ClusterCondition{"OOMKilling", Scope::Pod, "a container was killed out of memory", 0.8},
    ClusterCondition{"BackOff", Scope::Pod,
                     "a container keeps crashing and is restarted with "
                     "back-off",
                     0.8},
    ClusterCondition{"Unhealthy", Scope::Pod,
                     "probes fail: the pod is taken out of service or "
                     "restarted",
                     0.7},
    ClusterCondition{"Evicted", Scope::Pod, "the pod was evicted from its node", 0.8},
    ClusterCondition{"Preempted", Scope::Pod, "the pod was preempted for another", 0.7},
    ClusterCondition{"FailedMount", Scope::Pod,
                     "a volume could not be mounted: the pod cannot start", 0.8},
    ClusterCondition{"FailedAttachVolume", Scope::Pod,
                     "a volume could not be attached: the pod cannot start", 0.8},
    ClusterCondition{"FailedCreatePodSandBox", Scope::Pod, "the pod's sandbox could not be created",
                     0.7},
    ClusterCondition{"ErrImagePull", Scope::Pod, "the image could not be pulled", 0.7},
    ClusterCondition{"ImagePullBackOff", Scope::Pod, "the image could not be pulled", 0.7},
    ClusterCondition{"Failed", Scope::Pod, "a container failed to start", 0.6},
    ClusterCondition{"FailedScheduling", Scope::Workload,
                     "pods could not be placed: the service runs short of replicas", 0.7},
    ClusterCondition{"FailedCreate", Scope::Workload, "pods could not be created", 0.7},
};

} // namespace

const ClusterCondition *clusterCondition(const Event &event)
{
    constexpr std::string_view kPrefix = "k8s.";
    if (!event.type.starts_with(kPrefix))
        return nullptr;
    // Called for every event of an incident's window: one hash lookup, not a scan.
    static const std::unordered_map<std::string_view, const ClusterCondition *> kByReason = [] {
        std::unordered_map<std::string_view, const ClusterCondition *> byReason;
        for (const ClusterCondition &condition : kConditions)
            byReason.emplace(condition.reason, &condition);
        return byReason;
    }();
    const auto it = kByReason.find(std::string_view(event.type).substr(kPrefix.size()));
    return it == kByReason.end() ? nullptr : it->second;
}

bool isCauseCandidate(const Event &candidate, const Event &failure)
{
    if (candidate.sourceId == failure.sourceId && candidate.time == failure.time)
        return false;
    if (clusterCondition(candidate))
        return candidate.type != failure.type; // the same symptom elsewhere is not its cause
    return candidate.category != EventCategory::Failure
        && candidate.category != EventCategory::Recovery
        && candidate.category != EventCategory::Alert;
}

std::string entityName(std::string_view entity)
{
    const auto slash = entity.rfind('/');
    return std::string(slash == std::string_view::npos ? entity : entity.substr(slash + 1));
}

std::string eventNode(const Event &event)
{
    if (event.entity.starts_with("Node/"))
        return entityName(event.entity);
    if (event.attributes.find("\"node\"") == std::string::npos)
        return {};
    thread_local simdjson::dom::parser parser;
    simdjson::dom::element root;
    std::string_view node;
    if (parser.parse(event.attributes).get(root) == simdjson::SUCCESS
        && root["node"].get(node) == simdjson::SUCCESS)
        return std::string(node);
    return {};
}

void Placement::addEvents(std::span<const Event> events)
{
    for (const Event &e : events) {
        if (e.service.empty() || e.entity.starts_with("Node/"))
            continue;
        if (std::string node = eventNode(e); !node.empty())
            add(node, e.service);
    }
}

void Placement::add(const std::string &node, const std::string &service)
{
    if (!node.empty() && !service.empty())
        m_services[node].insert(service);
}

bool Placement::runsOn(const std::string &service, const std::string &node) const
{
    const auto it = m_services.find(node);
    return it != m_services.end() && it->second.count(service) > 0;
}

const std::set<std::string> &Placement::servicesOn(const std::string &node) const
{
    static const std::set<std::string> kNone;
    const auto it = m_services.find(node);
    return it == m_services.end() ? kNone : it->second;
}

} // namespace eventscope::analysis
