#include "alerting/alertpayload.h"

#include "util/jsonwriter.h"
#include "util/timeformat.h"

#include <simdjson.h>

#include <algorithm>

namespace eventscope::alerting {

namespace {

constexpr std::size_t kPagerDutySummaryLimit = 1024;

struct AlertFacts
{
    std::string rule;
    std::string state;
    std::string subject;
    std::string key;
    double value = 0;
};

Result<AlertFacts> factsOf(const Event &alert)
{
    using R = Result<AlertFacts>;
    simdjson::dom::parser parser;
    simdjson::dom::element json;
    if (parser.parse(alert.attributes).get(json) != simdjson::SUCCESS)
        return R::failure(alert.sourceId + ": the alert's attributes are not JSON");
    AlertFacts facts;
    std::string_view text;
    for (auto [field, target] :
         {std::pair{"rule", &facts.rule}, std::pair{"state", &facts.state},
          std::pair{"subject", &facts.subject}, std::pair{"alert_key", &facts.key}}) {
        if (json[field].get(text) != simdjson::SUCCESS)
            return R::failure(alert.sourceId + ": the alert has no \"" + field
                              + "\" (evaluate the rules again with this version)");
        *target = std::string(text);
    }
    if (facts.state != "firing" && facts.state != "resolved")
        return R::failure(alert.sourceId + ": unknown alert state '" + facts.state + "'");
    double value = 0;
    if (json["value"].get(value) == simdjson::SUCCESS)
        facts.value = value;
    return facts;
}

// Cut at a character boundary, with an ellipsis.
std::string truncated(const std::string &text, std::size_t limit)
{
    if (text.size() <= limit)
        return text;
    std::size_t cut = limit - 3;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
        --cut;
    return text.substr(0, cut) + "...";
}

void appendField(std::string &out, std::string_view name, std::string_view value)
{
    json::appendKey(out, name);
    json::appendString(out, value);
}

} // namespace

std::string_view pagerDutySeverity(Severity severity)
{
    switch (severity) {
    case Severity::Critical: return "critical";
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Debug:
    case Severity::Info: break;
    }
    return "info";
}

Result<AlertDelivery> makeDelivery(const Event &alert, const analysis::DeliveryTarget &target,
                                   TimeUs now)
{
    auto facts = factsOf(alert);
    if (!facts)
        return Result<AlertDelivery>::failure(facts.error());
    const bool firing = facts->state == "firing";
    AlertDelivery d;
    d.alertId = alert.sourceId;
    d.dedupKey = facts->key;
    d.action = firing ? "trigger" : "resolve";
    d.rule = facts->rule;
    d.alertTime = alert.time;
    d.url = target.url;
    d.secret = target.secret;
    d.createdAt = now;
    d.nextAttemptAt = now;
    const std::string time = formatTimestamp(alert.time);
    std::string &out = d.body;
    if (target.kind == analysis::DeliveryTarget::Kind::Webhook) {
        d.targetKind = "webhook";
        out = "{\"version\":1";
        appendField(out, "source", "EventScope");
        appendField(out, "state", facts->state);
        appendField(out, "dedup_key", facts->key);
        appendField(out, "alert_id", alert.sourceId);
        appendField(out, "rule", facts->rule);
        appendField(out, "severity", severityName(alert.severity));
        appendField(out, "subject", facts->subject);
        appendField(out, "service", alert.service);
        appendField(out, "entity", alert.entity);
        json::appendKey(out, "value");
        json::appendNumber(out, facts->value);
        appendField(out, "time", time);
        appendField(out, "summary", alert.message);
        out += '}';
        return d;
    }
    d.targetKind = "pagerduty";
    out = "{";
    appendField(out, "event_action", d.action);
    appendField(out, "dedup_key", facts->key);
    if (firing) {
        appendField(out, "client", "EventScope");
        json::appendKey(out, "payload");
        out += '{';
        appendField(out, "summary", truncated(alert.message, kPagerDutySummaryLimit));
        const std::string &source = !alert.service.empty() ? alert.service
            : !alert.entity.empty()                        ? alert.entity
                                                           : facts->subject;
        appendField(out, "source", source);
        appendField(out, "severity", pagerDutySeverity(alert.severity));
        appendField(out, "timestamp", time);
        if (!alert.entity.empty())
            appendField(out, "component", alert.entity);
        if (!alert.service.empty())
            appendField(out, "group", alert.service);
        appendField(out, "class", facts->rule);
        json::appendKey(out, "custom_details");
        out += '{';
        json::appendKey(out, "rule");
        json::appendString(out, facts->rule);
        appendField(out, "subject", facts->subject);
        json::appendKey(out, "value");
        json::appendNumber(out, facts->value);
        appendField(out, "alert_id", alert.sourceId);
        out += "}}";
    }
    out += '}';
    return d;
}

Result<std::vector<AlertDelivery>> deliveriesFor(const std::vector<Event> &alerts,
                                                 const std::vector<analysis::AlertRule> &rules,
                                                 TimeUs now)
{
    using R = Result<std::vector<AlertDelivery>>;
    std::vector<AlertDelivery> out;
    for (const Event &alert : alerts) {
        auto facts = factsOf(alert);
        if (!facts)
            return R::failure(facts.error());
        const auto rule = std::find_if(rules.begin(), rules.end(),
                                       [&](const auto &r) { return r.name == facts->rule; });
        if (rule == rules.end() || !rule->deliver)
            continue;
        auto delivery = makeDelivery(alert, *rule->deliver, now);
        if (!delivery)
            return R::failure(delivery.error());
        out.push_back(std::move(*delivery));
    }
    return out;
}

std::string withRoutingKey(std::string_view body, std::string_view routingKey)
{
    std::string out = "{\"routing_key\":";
    json::appendString(out, routingKey);
    if (body.size() > 2)
        out += ',';
    out.append(body.substr(1));
    return out;
}

} // namespace eventscope::alerting
