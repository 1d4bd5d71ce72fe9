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

// One alert rule. JSON (a list under "rules"):
//   {"name":"p99-high","kind":"threshold","metric":"latency_p99_ms","labels":{"service":"x"},
//    "op":">","value":500,"for_seconds":120,"severity":"warning"}
//   {"name":"crash-storm","kind":"event_rate","event_type":"failure.crash" | "category":"failure",
//    "group_by":"service"|"entity","count":3,"within_seconds":600}
//   {"name":"latency-anomaly","kind":"anomaly","metric":"latency_p99_ms","sigma":6,
//    "for_seconds":60,"baseline_seconds":1800}
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
};

Result<std::vector<AlertRule>> parseAlertRules(std::string_view json);
std::string alertRulesToJson(const std::vector<AlertRule> &rules);

// Evaluates the rules over `range` and returns each firing and resolution that happened in it
// as an event: type alert.firing / alert.resolved, category alert, a deterministic id (the same
// data gives the same ids, so re-evaluating stores nothing twice), and the rule, subject and
// value in its attributes. State before the range is rebuilt from an hour of history.
Result<std::vector<Event>> evaluateAlerts(CaptureReader &reader,
                                          const std::vector<AlertRule> &rules, TimeRange range);

} // namespace eventscope::analysis
