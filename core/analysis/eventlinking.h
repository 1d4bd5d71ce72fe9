#pragma once

// Signal 4: which events can have caused a failure, and how each is linked to it.
//
// Assumes events say what they touched: a service, an entity (Kind/namespace/name) and, for
// Kubernetes, the node (attribute "node" or a Node entity). Changes (deployments,
// configuration, provisioning, scaling) are candidates. So are the conditions Kubernetes
// reports when something is wrong with a node or a pod (NodeNotReady, FailedScheduling,
// BackOff, Unhealthy, Evicted, FailedMount, OOMKilling and their kin): decoders file most of
// them as failures, but for another failure they are causes, and each carries its mechanism,
// so that a condition linked to the failure by structure (the failing pod, its node, its
// service, a service it depends on) explains it without waiting for a metric to move. Other
// failures, recoveries and alerts are symptoms and reactions, not candidates; a condition of
// the failure's own kind is the same symptom elsewhere, not its cause.
// Which services run where comes from what the capture says: events and series that name both
// a node and a service.

#include "model/event.h"

#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>

namespace eventscope::analysis {

struct ClusterCondition
{
    enum class Scope : std::uint8_t {
        Node, // every pod on the node
        Pod, // the pod it names, and through it its service
        Workload, // pods of a service that could not be placed or created
    };
    std::string_view reason; // as Kubernetes spells it
    Scope scope = Scope::Pod;
    std::string_view mechanism; // how it breaks what runs there, in words
    // How fully it explains a failure it is structurally linked to, with no metric needed.
    double strength = 0;
};

// The condition a Kubernetes event (type "k8s.<Reason>") reports, or null for routine ones
// and for events of other sources.
const ClusterCondition *clusterCondition(const Event &event);

// Whether `candidate` can be a cause of `failure` at all.
bool isCauseCandidate(const Event &candidate, const Event &failure);

// The last path segment of an entity ("Pod/shop/checkout-7d9f-x2k8p" → "checkout-7d9f-x2k8p").
std::string entityName(std::string_view entity);
// The node an event names: its "node" attribute, or a Node entity.
std::string eventNode(const Event &event);

// Which services run on which node, as the capture says.
class Placement
{
public:
    void addEvents(std::span<const Event> events);
    void add(const std::string &node, const std::string &service);
    bool runsOn(const std::string &service, const std::string &node) const;
    const std::set<std::string> &servicesOn(const std::string &node) const;

private:
    std::map<std::string, std::set<std::string>> m_services; // by node
};

} // namespace eventscope::analysis
