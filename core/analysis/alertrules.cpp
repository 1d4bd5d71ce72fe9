#include "analysis/alertrules.h"

#include "analysis/changepoint.h"
#include "store/capturereader.h"
#include "util/jsonwriter.h"
#include "util/timeformat.h"

#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace eventscope::analysis {

namespace {

constexpr TimeUs kSecond = kMicrosPerSecond;
constexpr TimeUs kHistory = 3600 * kSecond; // state before the range is rebuilt from this much

struct Point
{
    TimeUs time;
    bool condition;
    double value;
};

struct Transition
{
    TimeUs time;
    bool firing;
    double value;
    TimeUs firedAt; // the firing that began this episode (its own time for a firing)
};

// Fires once the condition has held for `holdFor`, resolves once it has not for as long.
std::vector<Transition> debounce(const std::vector<Point> &points, TimeUs holdFor)
{
    std::vector<Transition> out;
    bool firing = false;
    TimeUs since = -1;
    TimeUs firedAt = 0;
    for (const Point &p : points) {
        if (p.condition == firing) {
            since = -1;
            continue;
        }
        if (since < 0)
            since = p.time;
        if (p.time - since >= holdFor) {
            firing = p.condition;
            if (firing)
                firedAt = p.time;
            out.push_back({p.time, firing, p.value, firedAt});
            since = -1;
        }
    }
    return out;
}

std::string hexHash(std::string_view text)
{
    std::uint64_t hash = 0xcbf29ce484222325ULL; // FNV-1a
    for (const char c : text) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001b3ULL;
    }
    char buffer[17];
    std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(hash));
    return buffer;
}

std::string number(double value)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.4g", value);
    return buffer;
}

Event alertEvent(const AlertRule &rule, const Transition &t, const std::string &subject,
                 const std::string &service, const std::string &entity, const std::string &what)
{
    Event e;
    const std::string state = t.firing ? "firing" : "resolved";
    e.sourceId = "alert-"
        + hexHash(rule.name + "|" + subject + "|" + std::to_string(t.time) + "|" + state);
    e.time = t.time;
    e.type = "alert." + state;
    e.category = EventCategory::Alert;
    e.severity = t.firing ? rule.severity : Severity::Info;
    e.service = service;
    e.entity = entity;
    e.message = rule.name + (t.firing ? " firing: " : " resolved: ") + what;
    e.attributes = "{\"rule\":";
    json::appendString(e.attributes, rule.name);
    e.attributes += ",\"state\":";
    json::appendString(e.attributes, state);
    e.attributes += ",\"subject\":";
    json::appendString(e.attributes, subject);
    e.attributes += ",\"value\":";
    json::appendNumber(e.attributes, t.value);
    e.attributes += ",\"alert_key\":";
    json::appendString(e.attributes,
                       "eventscope-"
                           + hexHash(rule.name + "|" + subject + "|" + std::to_string(t.firedAt)));
    e.attributes += '}';
    return e;
}

bool hasLabels(const SeriesKey &key, const std::vector<Label> &labels)
{
    return std::all_of(labels.begin(), labels.end(),
                       [&key](const Label &l) { return key.label(l.first) == l.second; });
}

Status evaluateSeriesRule(CaptureReader &reader, const AlertRule &rule, TimeRange range,
                          const std::vector<SeriesInfo> &series, std::vector<Event> &out)
{
    const TimeUs history = kHistory + (rule.kind == AlertKind::Anomaly ? rule.baselineWindow : 0);
    for (const SeriesInfo &s : series) {
        if (s.key.name != rule.metric || !hasLabels(s.key, rule.labels) || s.lastTime < range.begin
            || s.firstTime >= range.end)
            continue;
        auto samples = reader.samples(s.id, {range.begin - history, range.end});
        if (!samples)
            return Status::failure(samples.error());
        std::vector<Point> points;
        points.reserve(samples->size());
        if (rule.kind == AlertKind::Threshold) {
            for (const Sample &x : *samples) {
                const bool condition = rule.above ? x.value > rule.value : x.value < rule.value;
                points.push_back({x.time, std::isfinite(x.value) && condition, x.value});
            }
        } else {
            // Robust baseline of the preceding window, recomputed once a minute.
            std::size_t from = 0;
            TimeUs nextBaseline = 0;
            double m = 0, sigma = 0;
            for (std::size_t i = 0; i < samples->size(); ++i) {
                const Sample &x = (*samples)[i];
                if (x.time >= nextBaseline) {
                    while (from < i && (*samples)[from].time < x.time - rule.baselineWindow)
                        ++from;
                    std::vector<double> window;
                    for (std::size_t j = from; j < i; ++j) {
                        if ((*samples)[j].time < x.time - rule.holdFor
                            && std::isfinite((*samples)[j].value))
                            window.push_back((*samples)[j].value);
                    }
                    if (window.size() >= 12) {
                        m = median(window);
                        for (double &v : window)
                            v = std::abs(v - m);
                        sigma = std::max({1.4826 * median(window), 0.02 * std::abs(m), 1e-9});
                    } else {
                        sigma = 0;
                    }
                    // On whole minutes, so that evaluating in pieces gives the same result.
                    nextBaseline = (x.time / (60 * kSecond) + 1) * 60 * kSecond;
                }
                const bool condition = sigma > 0 && std::isfinite(x.value)
                    && std::abs(x.value - m) / sigma >= rule.sigma;
                points.push_back({x.time, condition, x.value});
            }
        }
        const std::string subject = s.key.canonical();
        const std::string service(s.key.label("service"));
        std::string entity(s.key.label("pod"));
        if (entity.empty())
            entity = std::string(s.key.label("node"));
        for (const Transition &t : debounce(points, rule.holdFor)) {
            if (!range.contains(t.time))
                continue;
            const std::string what = rule.kind == AlertKind::Threshold
                ? subject + (rule.above ? " > " : " < ") + number(rule.value) + " (now "
                    + number(t.value) + ")"
                : subject + " " + number(rule.sigma) + " sigma off its baseline (now "
                    + number(t.value) + ")";
            out.push_back(alertEvent(rule, t, subject, service, entity, what));
        }
    }
    return {};
}

Status evaluateEventRule(CaptureReader &reader, const AlertRule &rule, TimeRange range,
                         std::vector<Event> &out)
{
    EventQuery query;
    query.range = {range.begin - kHistory - rule.within, range.end};
    query.type = rule.eventType;
    if (rule.category)
        query.categories = EventQuery::categoryBit(*rule.category);
    std::map<std::string, std::vector<TimeUs>> groups;
    Status status = reader.forEachEvent(query, [&](Event &&e) {
        if (e.category == EventCategory::Alert)
            return true; // alerts do not feed alerts
        groups[rule.groupByEntity ? e.entity : e.service].push_back(e.time);
        return true;
    });
    if (!status)
        return status;
    for (const auto &[group, times] : groups) {
        // The count in the trailing window changes at each event and at each expiry.
        std::vector<TimeUs> moments = times;
        for (TimeUs t : times)
            moments.push_back(t + rule.within);
        std::sort(moments.begin(), moments.end());
        std::vector<Point> points;
        for (TimeUs t : moments) {
            const auto first = std::upper_bound(times.begin(), times.end(), t - rule.within);
            const auto last = std::upper_bound(times.begin(), times.end(), t);
            const auto count = static_cast<double>(last - first);
            points.push_back({t, count >= rule.count, count});
        }
        const std::string subject
            = (rule.eventType.empty()
                   ? std::string(rule.category ? categoryName(*rule.category) : "events")
                   : rule.eventType)
            + " on " + (group.empty() ? std::string("(none)") : group);
        for (const Transition &t : debounce(points, rule.holdFor)) {
            if (!range.contains(t.time))
                continue;
            const std::string what = subject + ": " + std::to_string(static_cast<int>(t.value))
                + " in " + std::to_string(rule.within / (60 * kSecond)) + " min (limit "
                + std::to_string(rule.count) + ")";
            out.push_back(alertEvent(rule, t, subject, rule.groupByEntity ? "" : group,
                                     rule.groupByEntity ? group : "", what));
        }
    }
    return {};
}

bool isHttpUrl(std::string_view url)
{
    return (url.starts_with("http://") && url.size() > 7)
        || (url.starts_with("https://") && url.size() > 8);
}

Result<DeliveryTarget> parseDeliveryTarget(simdjson::dom::object json, const std::string &named)
{
    using R = Result<DeliveryTarget>;
    const std::string where = named + ": deliver";
    DeliveryTarget target;
    std::string_view text;
    if (json["kind"].get(text) != simdjson::SUCCESS)
        return R::failure(where + ": \"kind\" is missing (webhook, pagerduty)");
    if (text == "webhook")
        target.kind = DeliveryTarget::Kind::Webhook;
    else if (text == "pagerduty")
        target.kind = DeliveryTarget::Kind::PagerDuty;
    else
        return R::failure(where + ": unknown kind '" + std::string(text)
                          + "' (webhook, pagerduty)");
    if (json["url"].get(text) == simdjson::SUCCESS)
        target.url = std::string(text);
    else if (target.kind == DeliveryTarget::Kind::PagerDuty)
        target.url = std::string(kPagerDutyEventsUrl);
    else
        return R::failure(where + ": \"url\" is missing");
    if (!isHttpUrl(target.url))
        return R::failure(where + ": \"url\" must start with http:// or https:// (it is '"
                          + target.url + "')");
    const char *secretField
        = target.kind == DeliveryTarget::Kind::PagerDuty ? "routing_key_secret" : "token_secret";
    for (const char *secretInline : {"routing_key", "token"}) {
        if (json[secretInline].error() != simdjson::NO_SUCH_FIELD)
            return R::failure(where + ": \"" + secretInline
                              + "\" would put a secret in the rules; store it with `eventscope "
                                "alerts --set-secret NAME` and give \""
                              + secretField + "\": \"NAME\"");
    }
    if (json[secretField].get(text) == simdjson::SUCCESS)
        target.secret = std::string(text);
    if (target.kind == DeliveryTarget::Kind::PagerDuty && target.secret.empty())
        return R::failure(where
                          + ": \"routing_key_secret\" is missing (the name of the "
                            "keyring secret that holds the routing key)");
    return target;
}

} // namespace

Result<std::vector<AlertRule>> parseAlertRules(std::string_view json)
{
    using R = Result<std::vector<AlertRule>>;
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (parser.parse(json.data(), json.size(), true).get(root) != simdjson::SUCCESS)
        return R::failure("alert rules: not valid JSON");
    simdjson::dom::array list;
    if (root["rules"].get(list) != simdjson::SUCCESS)
        return R::failure("alert rules: expected {\"rules\":[...]}");
    std::vector<AlertRule> rules;
    int index = 0;
    for (simdjson::dom::element item : list) {
        ++index;
        const std::string where = "alert rule " + std::to_string(index);
        AlertRule rule;
        std::string_view text;
        if (item["name"].get(text) != simdjson::SUCCESS || text.empty())
            return R::failure(where + ": \"name\" is missing");
        rule.name = std::string(text);
        const std::string named = where + " (" + rule.name + ")";
        if (item["kind"].get(text) != simdjson::SUCCESS)
            return R::failure(named + ": \"kind\" is missing (threshold, event_rate, anomaly)");
        if (text == "threshold")
            rule.kind = AlertKind::Threshold;
        else if (text == "event_rate")
            rule.kind = AlertKind::EventRate;
        else if (text == "anomaly")
            rule.kind = AlertKind::Anomaly;
        else
            return R::failure(named + ": unknown kind '" + std::string(text)
                              + "' (threshold, event_rate, anomaly)");
        if (item["severity"].get(text) == simdjson::SUCCESS) {
            const auto severity = parseSeverity(text);
            if (!severity)
                return R::failure(named + ": unknown severity '" + std::string(text) + "'");
            rule.severity = *severity;
        }
        double number = 0;
        rule.holdFor = rule.kind == AlertKind::EventRate ? 0 : 60 * kSecond;
        if (item["for_seconds"].get(number) == simdjson::SUCCESS)
            rule.holdFor = static_cast<TimeUs>(number * kSecond);
        if (rule.kind == AlertKind::EventRate) {
            if (item["event_type"].get(text) == simdjson::SUCCESS)
                rule.eventType = std::string(text);
            if (item["category"].get(text) == simdjson::SUCCESS) {
                rule.category = parseEventCategory(text);
                if (!rule.category)
                    return R::failure(named + ": unknown category '" + std::string(text) + "'");
            }
            if (rule.eventType.empty() && !rule.category)
                return R::failure(named + ": give \"event_type\" or \"category\"");
            if (item["group_by"].get(text) == simdjson::SUCCESS)
                rule.groupByEntity = text == "entity";
            std::int64_t count = 0;
            if (item["count"].get(count) != simdjson::SUCCESS || count < 1)
                return R::failure(named + ": \"count\" must be a positive integer");
            rule.count = static_cast<int>(count);
            if (item["within_seconds"].get(number) == simdjson::SUCCESS && number > 0)
                rule.within = static_cast<TimeUs>(number * kSecond);
        } else {
            if (item["metric"].get(text) != simdjson::SUCCESS || text.empty())
                return R::failure(named + ": \"metric\" is missing");
            rule.metric = std::string(text);
            simdjson::dom::object labels;
            if (item["labels"].get(labels) == simdjson::SUCCESS) {
                for (auto field : labels) {
                    std::string_view value;
                    if (field.value.get(value) != simdjson::SUCCESS)
                        return R::failure(named + ": label values must be strings");
                    rule.labels.emplace_back(std::string(field.key), std::string(value));
                }
            }
            if (rule.kind == AlertKind::Threshold) {
                if (item["value"].get(rule.value) != simdjson::SUCCESS)
                    return R::failure(named + ": \"value\" is missing");
                if (item["op"].get(text) == simdjson::SUCCESS) {
                    if (text != ">" && text != "<" && text != ">=" && text != "<=")
                        return R::failure(named + ": \"op\" must be > or <");
                    rule.above = text[0] == '>';
                }
            } else {
                if (item["sigma"].get(number) == simdjson::SUCCESS && number > 0)
                    rule.sigma = number;
                if (item["baseline_seconds"].get(number) == simdjson::SUCCESS && number > 0)
                    rule.baselineWindow = static_cast<TimeUs>(number * kSecond);
            }
        }
        simdjson::dom::object deliver;
        if (item["deliver"].get(deliver) == simdjson::SUCCESS) {
            auto target = parseDeliveryTarget(deliver, named);
            if (!target)
                return R::failure(target.error());
            rule.deliver = std::move(*target);
        } else if (item["deliver"].error() != simdjson::NO_SUCH_FIELD) {
            return R::failure(named + ": \"deliver\" must be an object");
        }
        rules.push_back(std::move(rule));
    }
    return rules;
}

std::string alertRulesToJson(const std::vector<AlertRule> &rules)
{
    std::string out = "{\"rules\":[";
    for (const AlertRule &r : rules) {
        if (out.back() != '[')
            out += ',';
        out += "{\"name\":";
        json::appendString(out, r.name);
        out += ",\"kind\":";
        json::appendString(out,
                           r.kind == AlertKind::Threshold       ? "threshold"
                               : r.kind == AlertKind::EventRate ? "event_rate"
                                                                : "anomaly");
        out += ",\"severity\":";
        json::appendString(out, severityName(r.severity));
        out += ",\"for_seconds\":";
        json::appendNumber(out, static_cast<double>(r.holdFor) / kSecond);
        if (r.kind == AlertKind::EventRate) {
            if (!r.eventType.empty()) {
                out += ",\"event_type\":";
                json::appendString(out, r.eventType);
            }
            if (r.category) {
                out += ",\"category\":";
                json::appendString(out, categoryName(*r.category));
            }
            out += r.groupByEntity ? ",\"group_by\":\"entity\"" : ",\"group_by\":\"service\"";
            out += ",\"count\":" + std::to_string(r.count) + ",\"within_seconds\":";
            json::appendNumber(out, static_cast<double>(r.within) / kSecond);
        } else {
            out += ",\"metric\":";
            json::appendString(out, r.metric);
            out += ",\"labels\":{";
            for (const auto &[name, value] : r.labels) {
                if (out.back() != '{')
                    out += ',';
                json::appendString(out, name);
                out += ':';
                json::appendString(out, value);
            }
            out += '}';
            if (r.kind == AlertKind::Threshold) {
                out += r.above ? ",\"op\":\">\",\"value\":" : ",\"op\":\"<\",\"value\":";
                json::appendNumber(out, r.value);
            } else {
                out += ",\"sigma\":";
                json::appendNumber(out, r.sigma);
                out += ",\"baseline_seconds\":";
                json::appendNumber(out, static_cast<double>(r.baselineWindow) / kSecond);
            }
        }
        if (r.deliver) {
            const bool pagerDuty = r.deliver->kind == DeliveryTarget::Kind::PagerDuty;
            out += pagerDuty ? ",\"deliver\":{\"kind\":\"pagerduty\",\"url\":"
                             : ",\"deliver\":{\"kind\":\"webhook\",\"url\":";
            json::appendString(out, r.deliver->url);
            if (!r.deliver->secret.empty()) {
                out += pagerDuty ? ",\"routing_key_secret\":" : ",\"token_secret\":";
                json::appendString(out, r.deliver->secret);
            }
            out += '}';
        }
        out += '}';
    }
    out += "]}";
    return out;
}

namespace {
std::string durationText(TimeUs duration)
{
    const double seconds = static_cast<double>(duration) / kSecond;
    if (seconds >= 3600 && std::fmod(seconds, 3600) == 0)
        return number(seconds / 3600) + " h";
    if (seconds >= 60 && std::fmod(seconds, 60) == 0)
        return number(seconds / 60) + " min";
    return number(seconds) + " s";
}
} // namespace

std::string describeAlertRule(const AlertRule &rule)
{
    std::string text;
    if (rule.kind == AlertKind::EventRate) {
        text = std::to_string(rule.count) + " × "
            + (rule.eventType.empty() ? "category " + std::string(categoryName(*rule.category))
                                      : rule.eventType)
            + (rule.groupByEntity ? " per entity" : " per service") + " within "
            + durationText(rule.within);
        if (!rule.eventType.empty() && rule.category)
            text += " (category " + std::string(categoryName(*rule.category)) + ")";
    } else {
        text = rule.metric;
        if (!rule.labels.empty()) {
            text += '{';
            for (const auto &[name, value] : rule.labels) {
                if (text.back() != '{')
                    text += ',';
                text += name + '=' + value;
            }
            text += '}';
        }
        if (rule.kind == AlertKind::Threshold)
            text += (rule.above ? " > " : " < ") + number(rule.value);
        else
            text
                += " " + number(rule.sigma) + "σ off its last " + durationText(rule.baselineWindow);
    }
    if (rule.holdFor > 0)
        text += " for " + durationText(rule.holdFor);
    return text;
}

Result<std::vector<Event>> evaluateAlerts(CaptureReader &reader,
                                          const std::vector<AlertRule> &rules, TimeRange range)
{
    using R = Result<std::vector<Event>>;
    auto series = reader.series();
    if (!series)
        return R::failure(series.error());
    std::vector<Event> out;
    for (const AlertRule &rule : rules) {
        const Status status = rule.kind == AlertKind::EventRate
            ? evaluateEventRule(reader, rule, range, out)
            : evaluateSeriesRule(reader, rule, range, *series, out);
        if (!status)
            return R::failure("alert rule " + rule.name + ": " + status.error());
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const Event &a, const Event &b) { return a.time < b.time; });
    return out;
}

} // namespace eventscope::analysis
