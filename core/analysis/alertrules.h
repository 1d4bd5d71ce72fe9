#pragma once

#include "model/event.h"
#include "model/series.h"
#include "model/timerange.h"
#include "util/result.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace eventscope {
class CaptureReader;
}

namespace eventscope::analysis {

enum class AlertKind : std::uint8_t { Threshold, EventRate, Anomaly };

// Where a rule's alerts are delivered. JSON, under the rule's "deliver":
//   {"kind":"webhook","url":"https://hooks.example/eventscope","token_secret":"ops-hook"}
//   {"kind":"pagerduty","routing_key_secret":"pd-checkout"}
// Secrets are named, never written: the token (sent as "Authorization: Bearer") and the
// PagerDuty routing key are read from the keyring (or EVENTSCOPE_SECRET_<NAME>) when sending.
// A PagerDuty target may give "url" (default: PagerDuty's Events API v2 endpoint).
struct DeliveryTarget
{
    enum class Kind : std::uint8_t { Webhook, PagerDuty };
    Kind kind = Kind::Webhook;
    std::string url;
    std::string secret; // webhook: token_secret (optional); PagerDuty: routing_key_secret

    friend bool operator==(const DeliveryTarget &, const DeliveryTarget &) = default;
};
inline constexpr std::string_view kPagerDutyEventsUrl = "https://events.pagerduty.com/v2/enqueue";

// One alert rule. JSON (a list under "rules"):
//   {"name":"p99-high","kind":"threshold","metric":"latency_p99_ms","labels":{"service":"x"},
//    "op":">","value":500,"for_seconds":120,"severity":"warning"}
//   {"name":"crash-storm","kind":"event_rate","event_type":"failure.crash" | "category":"failure",
//    "group_by":"service"|"entity","count":3,"within_seconds":600}
//   {"name":"latency-anomaly","kind":"anomaly","metric":"latency_p99_ms","sigma":6,
//    "for_seconds":60,"baseline_seconds":1800}
// Any rule may add "deliver" (see DeliveryTarget).
// A rule fires when its condition has held for `for_seconds` and resolves when it has not held
// for as long (debounced both ways).
struct AlertRule
{
    std::string name;
    AlertKind kind = AlertKind::Threshold;
    Severity severity = Severity::Warning;
    TimeUs holdFor = 60 * kMicrosPerSecond;
    // threshold and anomaly
    std::string metric;
    std::vector<Label> labels;
    bool above = true; // op ">" (or ">="); "<" makes it a floor
    double value = 0;
    double sigma = 6;
    TimeUs baselineWindow = 30 * 60 * kMicrosPerSecond;
    // event rate
    std::string eventType;
    std::optional<EventCategory> category;
    bool groupByEntity = false;
    int count = 3;
    TimeUs within = 10 * 60 * kMicrosPerSecond;
    std::optional<DeliveryTarget> deliver;
};

Result<std::vector<AlertRule>> parseAlertRules(std::string_view json);
std::string alertRulesToJson(const std::vector<AlertRule> &rules);
// The rule's condition in a line, as an operator reads it:
//   latency_p99_ms{service=checkout} > 500 for 2 min
//   3 × category failure per service within 10 min
//   error_rate 6σ off its last 30 min for 1 min
std::string describeAlertRule(const AlertRule &rule);

// Evaluates the rules over `range` and returns each firing and resolution that happened in it
// as an event: type alert.firing / alert.resolved, category alert, a deterministic id (the same
// data gives the same ids, so re-evaluating stores nothing twice), and the rule, subject, value
// and alert key in its attributes. The alert key names one episode, from firing to resolved:
// both events carry the same (what delivery sends as PagerDuty's dedup_key). State before the range
// is rebuilt from an hour of history.
Result<std::vector<Event>> evaluateAlerts(CaptureReader &reader,
                                          const std::vector<AlertRule> &rules, TimeRange range);

} // namespace eventscope::analysis
