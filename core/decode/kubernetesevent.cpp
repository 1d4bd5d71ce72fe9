#include "decode/kubernetesevent.h"

#include "decode/jsonfields.h"
#include "util/jsonwriter.h"
#include "util/timeformat.h"

#include <array>

namespace eventscope::decode {

namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

std::string textAt(object o, std::initializer_list<std::string_view> path)
{
    object parent = o;
    element current;
    bool first = true;
    for (const std::string_view key : path) {
        if (!first && current.get(parent) != simdjson::SUCCESS)
            return {};
        if (parent.at_key(key).get(current) != simdjson::SUCCESS)
            return {};
        first = false;
    }
    std::string text;
    return jsonfields::readText(current, text) ? text : std::string();
}

EventCategory categoryForReason(std::string_view reason)
{
    struct Rule
    {
        std::string_view reason;
        EventCategory category;
    };
    static constexpr std::array<Rule, 14> kRules = {{
        {"Scheduled", EventCategory::Provisioning},
        {"Pulled", EventCategory::Provisioning},
        {"Created", EventCategory::Provisioning},
        {"Started", EventCategory::Provisioning},
        {"FailedScheduling", EventCategory::Failure},
        {"FailedCreate", EventCategory::Failure},
        {"BackOff", EventCategory::Failure},
        {"OOMKilling", EventCategory::Failure},
        {"Unhealthy", EventCategory::Failure},
        {"Failed", EventCategory::Failure},
        {"ScalingReplicaSet", EventCategory::Scaling},
        {"SuccessfulRescale", EventCategory::Scaling},
        {"Killing", EventCategory::Other},
        {"SuccessfulCreate", EventCategory::Provisioning},
    }};
    for (const Rule &rule : kRules) {
        if (rule.reason == reason)
            return rule.category;
    }
    if (reason == "Pulling")
        return EventCategory::Provisioning;
    return inferEventCategory(reason);
}

bool isHashLike(std::string_view part)
{
    if (part.size() < 4 || part.size() > 10)
        return false;
    bool digit = false;
    for (const char c : part) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            return false;
        digit |= c >= '0' && c <= '9';
    }
    return digit || part.size() == 5; // pod suffixes are 5 random characters
}

// The workload behind an object: "checkout-7d9f8b6c4-x2k8p" (Pod) → "checkout",
// "checkout-7d9f8b6c4" (ReplicaSet) → "checkout", "checkout" (Deployment) → "checkout".
std::string workloadName(std::string_view kind, std::string name)
{
    int strip = kind == "Pod" ? 2 : (kind == "ReplicaSet" ? 1 : 0);
    while (strip-- > 0) {
        const auto dash = name.rfind('-');
        if (dash == std::string::npos || dash == 0
            || !isHashLike(std::string_view(name).substr(dash + 1)))
            break;
        name.resize(dash);
    }
    return name;
}

bool decodeOne(const Message &message, object o, RecordBatch &batch, std::string &reason)
{
    constexpr std::string_view what = "Kubernetes Event";
    Event event;
    event.sourceId = textAt(o, {"metadata", "uid"});
    if (event.sourceId.empty())
        event.sourceId = textAt(o, {"metadata", "name"});
    if (event.sourceId.empty()) {
        reason = std::string(what) + ": metadata.uid and metadata.name are both missing";
        return false;
    }
    const std::string k8sReason = textAt(o, {"reason"});
    if (k8sReason.empty()) {
        reason = std::string(what) + " " + event.sourceId + ": field 'reason' is missing";
        return false;
    }
    event.type = "k8s." + k8sReason;
    event.category = categoryForReason(k8sReason);

    const bool v1 = jsonfields::hasField(o, "involvedObject");
    const char *objectKey = v1 ? "involvedObject" : "regarding";
    const std::string kind = textAt(o, {objectKey, "kind"});
    const std::string objectNamespace = textAt(o, {objectKey, "namespace"});
    const std::string name = textAt(o, {objectKey, "name"});
    event.entity = kind;
    if (!objectNamespace.empty())
        event.entity += "/" + objectNamespace;
    if (!name.empty())
        event.entity += "/" + name;
    event.service = workloadName(kind, name);

    event.message = textAt(o, {"message"});
    if (event.message.empty())
        event.message = textAt(o, {"note"});
    const std::string type = textAt(o, {"type"});
    event.severity = type == "Warning" ? Severity::Warning : Severity::Info;
    if (type == "Warning" && event.category == EventCategory::Failure)
        event.severity = Severity::Error;

    // The latest time the event says it happened.
    std::optional<TimeUs> time;
    for (const auto &path :
         {std::initializer_list<std::string_view>{"lastTimestamp"},
          std::initializer_list<std::string_view>{"series", "lastObservedTime"},
          std::initializer_list<std::string_view>{"eventTime"},
          std::initializer_list<std::string_view>{"firstTimestamp"},
          std::initializer_list<std::string_view>{"metadata", "creationTimestamp"}}) {
        const std::string text = textAt(o, path);
        if (text.empty())
            continue;
        time = parseRfc3339(text);
        if (!time) {
            reason = std::string(what) + " " + event.sourceId + ": " + std::string(*path.begin())
                + " " + jsonfields::quoted(text) + " is not an RFC 3339 timestamp";
            return false;
        }
        break;
    }
    event.time = time ? *time : message.fallbackTime();

    std::string attributes = "{";
    auto add = [&attributes](std::string_view key, const std::string &value) {
        if (value.empty())
            return;
        if (attributes.size() > 1)
            attributes += ',';
        json::appendString(attributes, key);
        attributes += ':';
        json::appendString(attributes, value);
    };
    add("reason", k8sReason);
    add("namespace", objectNamespace);
    std::string node = textAt(o, {"source", "host"});
    if (node.empty())
        node = textAt(o, {"deprecatedSource", "host"});
    add("node", node);
    std::string component = textAt(o, {"source", "component"});
    if (component.empty())
        component = textAt(o, {"reportingController"});
    add("component", component);
    std::string count = textAt(o, {"count"});
    if (count.empty())
        count = textAt(o, {"series", "count"});
    add("count", count);
    add("fieldPath", textAt(o, {objectKey, "fieldPath"}));
    add("kubernetes_type", type);
    attributes += '}';
    event.attributes = attributes == "{}" ? std::string() : attributes;
    event.origin = message.origin;
    batch.events.push_back(std::move(event));
    return true;
}

} // namespace

bool isKubernetesEvent(object o)
{
    if (jsonfields::hasField(o, "items")) {
        const std::string kind = textAt(o, {"kind"});
        return kind == "EventList" || kind == "List";
    }
    return (jsonfields::hasField(o, "involvedObject") || jsonfields::hasField(o, "regarding"))
        && jsonfields::hasField(o, "reason");
}

bool decodeKubernetesEvents(const Message &message, object o, RecordBatch &batch,
                            std::string &reason)
{
    array items;
    if (o.at_key("items").get(items) != simdjson::SUCCESS)
        return decodeOne(message, o, batch, reason);
    // A list decodes whole or not at all.
    const std::size_t before = batch.events.size();
    std::size_t index = 0;
    for (element item : items) {
        object itemObject;
        if (item.get(itemObject) != simdjson::SUCCESS
            || !decodeOne(message, itemObject, batch, reason)) {
            if (reason.empty())
                reason = "Kubernetes EventList: item is not an object";
            reason = "item " + std::to_string(index) + ": " + reason;
            batch.events.resize(before);
            return false;
        }
        ++index;
    }
    return true;
}

} // namespace eventscope::decode
