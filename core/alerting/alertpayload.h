#pragma once

#include "analysis/alertrules.h"
#include "model/event.h"
#include "store/alertoutbox.h"
#include "util/result.h"

#include <string>
#include <string_view>
#include <vector>

namespace eventscope::alerting {

// The delivery of one alert event (alert.firing or alert.resolved, as evaluateAlerts makes
// them) to `target`, due at once. The body, by the target's kind:
//
// webhook (POST, Content-Type: application/json; "Authorization: Bearer <token>" when the
// target names a token secret):
//   {"version":1,"source":"EventScope","state":"firing"|"resolved","dedup_key":"eventscope-…",
//    "alert_id":"alert-…","rule":"p99-high","severity":"warning","subject":"latency_p99_ms{…}",
//    "service":"checkout","entity":"","value":612,"time":"2026-11-24T10:02:00Z",
//    "summary":"p99-high firing: …"}
//
// pagerduty (PagerDuty Events API v2; the routing key is added when sending):
//   {"event_action":"trigger","dedup_key":"eventscope-…","client":"EventScope",
//    "payload":{"summary":"…","source":"checkout","severity":"warning",
//               "timestamp":"2026-11-24T10:02:00Z","component":"…","group":"checkout",
//               "class":"p99-high","custom_details":{"rule":…,"subject":…,"value":…,
//               "alert_id":…}}}
//   {"event_action":"resolve","dedup_key":"eventscope-…"}
Result<AlertDelivery> makeDelivery(const Event &alert, const analysis::DeliveryTarget &target,
                                   TimeUs now);

// The deliveries of `alerts` whose rule (by the alert's "rule" attribute) has a target.
Result<std::vector<AlertDelivery>> deliveriesFor(const std::vector<Event> &alerts,
                                                 const std::vector<analysis::AlertRule> &rules,
                                                 TimeUs now);

// A PagerDuty body with its routing key in front.
std::string withRoutingKey(std::string_view body, std::string_view routingKey);

// PagerDuty's severity for ours: critical, error, warning or info.
std::string_view pagerDutySeverity(Severity severity);

} // namespace eventscope::alerting
