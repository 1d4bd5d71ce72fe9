#include "sim/groundtruth.h"

#include "util/jsonwriter.h"
#include "util/timeformat.h"

namespace eventscope::sim {

namespace {

void text(std::string &out, std::string_view name, std::string_view value, bool nullIfEmpty)
{
    json::appendKey(out, name);
    if (value.empty() && nullIfEmpty)
        out += "null";
    else
        json::appendString(out, value);
}

void time(std::string &out, std::string_view name, TimeUs value)
{
    json::appendKey(out, name);
    if (value == 0)
        out += "null";
    else
        json::appendString(out, formatTimestamp(value));
}

} // namespace

std::string GroundTruth::toJson() const
{
    std::string out = "{";
    json::appendKey(out, "seed");
    out += std::to_string(seed);
    time(out, "start", start);
    time(out, "end", end);
    json::appendKey(out, "messages");
    json::appendInteger(out, messages);
    json::appendKey(out, "scenarios");
    out += '[';
    for (std::size_t i = 0; i < scenarios.size(); ++i) {
        if (i > 0)
            out += ',';
        json::appendString(out, scenarios[i]);
    }
    out += "],\n\"incidents\":[";
    for (std::size_t i = 0; i < incidents.size(); ++i) {
        const TruthIncident &n = incidents[i];
        out += i > 0 ? ",\n{" : "\n{";
        text(out, "incident", n.id, false);
        text(out, "type", n.type, false);
        time(out, "time", n.time);
        text(out, "service", n.service, true);
        text(out, "entity", n.entity, true);
        text(out, "kind", n.kind, false);
        text(out, "scenario", n.scenario, false);
        text(out, "cause", n.cause, true);
        text(out, "cause_type", n.causeType, true);
        json::appendKey(out, "suspect");
        out += '{';
        text(out, "service", n.suspectService, true);
        text(out, "entity", n.suspectEntity, true);
        out += '}';
        text(out, "recovery", n.recovery, true);
        time(out, "recovery_time", n.recoveryTime);
        out += '}';
    }
    out += "],\n\"effects\":[";
    for (std::size_t i = 0; i < effects.size(); ++i) {
        const TruthEffect &e = effects[i];
        out += i > 0 ? ",\n{" : "\n{";
        text(out, "event", e.event, false);
        text(out, "event_type", e.eventType, false);
        time(out, "time", e.time);
        text(out, "metric", e.metric, false);
        json::appendKey(out, "labels");
        out += '{';
        for (const auto &[name, value] : e.labels)
            text(out, name, value, false);
        out += '}';
        json::appendKey(out, "before");
        json::appendNumber(out, e.before);
        json::appendKey(out, "after");
        json::appendNumber(out, e.after);
        json::appendKey(out, "relative_change");
        json::appendNumber(out, e.relativeChange());
        out += '}';
    }
    out += "],\n\"no_effect_types\":[";
    for (std::size_t i = 0; i < noEffectTypes.size(); ++i) {
        if (i > 0)
            out += ',';
        json::appendString(out, noEffectTypes[i]);
    }
    out += "]}\n";
    return out;
}

} // namespace eventscope::sim
