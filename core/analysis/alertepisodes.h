#pragma once

// Alert episodes: an alert from its firing to its resolution, paired from the alert events
// evaluateAlerts writes (alertrules.h). The firing and the resolution of one episode carry
// the same "alert_key" attribute; events from elsewhere without one pair by rule and subject.

#include "model/event.h"

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace eventscope::analysis {

struct AlertEpisode
{
    std::string key; // the alert key (what deliveries send as the dedup key)
    std::string rule;
    std::string subject; // the series or the service / entity it fired for
    std::string service;
    std::string entity;
    Severity severity = Severity::Warning;
    TimeUs fired = 0;
    std::optional<TimeUs> resolved; // none: still firing at the end of the events given
    double value = 0; // at the firing
    std::string message; // of the firing
    std::string firingId; // the firing event's source id
    std::string resolvedId;

    bool active() const { return !resolved.has_value(); }
};

// Pairs alert.firing and alert.resolved events (in any order) into episodes, oldest firing
// first. A resolution whose firing is not among `events` (it fired before their range) is
// left out.
std::vector<AlertEpisode> alertEpisodes(std::span<const Event> events);

} // namespace eventscope::analysis
