#include "analysis/alertepisodes.h"

#include <simdjson.h>

#include <algorithm>
#include <map>

namespace eventscope::analysis {

namespace {

struct AlertFields
{
    std::string key;
    std::string rule;
    std::string subject;
    double value = 0;
};

AlertFields fieldsOf(const Event &event)
{
    AlertFields fields;
    if (!event.attributes.empty()) {
        simdjson::dom::parser parser;
        simdjson::dom::element root;
        if (parser.parse(event.attributes).get(root) == simdjson::SUCCESS) {
            std::string_view text;
            if (root["alert_key"].get(text) == simdjson::SUCCESS)
                fields.key = std::string(text);
            if (root["rule"].get(text) == simdjson::SUCCESS)
                fields.rule = std::string(text);
            if (root["subject"].get(text) == simdjson::SUCCESS)
                fields.subject = std::string(text);
            double value = 0;
            if (root["value"].get(value) == simdjson::SUCCESS)
                fields.value = value;
        }
    }
    if (fields.rule.empty()) // "NAME firing: what" from another tool
        fields.rule = event.message.substr(0, event.message.find(' '));
    if (fields.subject.empty())
        fields.subject = event.entity.empty() ? event.service : event.entity;
    return fields;
}

} // namespace

std::vector<AlertEpisode> alertEpisodes(std::span<const Event> events)
{
    std::vector<const Event *> ordered;
    for (const Event &e : events) {
        if (e.type == "alert.firing" || e.type == "alert.resolved")
            ordered.push_back(&e);
    }
    // Firings before resolutions at the same time: a resolution never precedes its firing.
    std::stable_sort(ordered.begin(), ordered.end(), [](const Event *a, const Event *b) {
        if (a->time != b->time)
            return a->time < b->time;
        return a->type == "alert.firing" && b->type != "alert.firing";
    });
    std::vector<AlertEpisode> episodes;
    std::map<std::string, std::size_t> open; // by key, or by rule and subject without one
    for (const Event *e : ordered) {
        AlertFields fields = fieldsOf(*e);
        const std::string pairing
            = fields.key.empty() ? fields.rule + '\x1f' + fields.subject : fields.key;
        if (e->type == "alert.firing") {
            if (open.count(pairing))
                continue; // the same firing twice (stored by two runs): keep the first
            AlertEpisode episode;
            episode.key = std::move(fields.key);
            episode.rule = std::move(fields.rule);
            episode.subject = std::move(fields.subject);
            episode.service = e->service;
            episode.entity = e->entity;
            episode.severity = e->severity;
            episode.fired = e->time;
            episode.value = fields.value;
            episode.message = e->message;
            episode.firingId = e->sourceId;
            open.emplace(pairing, episodes.size());
            episodes.push_back(std::move(episode));
        } else if (const auto found = open.find(pairing); found != open.end()) {
            AlertEpisode &episode = episodes[found->second];
            episode.resolved = e->time;
            episode.resolvedId = e->sourceId;
            open.erase(found);
        }
    }
    return episodes;
}

} // namespace eventscope::analysis
