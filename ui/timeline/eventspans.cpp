#include "eventspans.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <optional>
#include <string_view>

namespace eventscope::ui {

namespace {

struct Open
{
    std::size_t index = 0;
    EventSpan::Kind kind = EventSpan::Kind::Incident;
};

constexpr std::array<std::string_view, 3> kStartSuffixes = {".started", ".start", ".begin"};
constexpr std::array<std::string_view, 5> kEndSuffixes
    = {".completed", ".finished", ".succeeded", ".failed", ".end"};

std::optional<std::string_view> stripSuffix(std::string_view type, const auto &suffixes)
{
    for (const std::string_view suffix : suffixes) {
        if (type.size() > suffix.size() && type.ends_with(suffix))
            return type.substr(0, type.size() - suffix.size());
    }
    return std::nullopt;
}

// The identity that pairs an alert's firing with its resolution.
std::string alertKey(const Event &event)
{
    if (!event.attributes.empty()) {
        const QJsonObject attributes
            = QJsonDocument::fromJson(QByteArray::fromStdString(event.attributes)).object();
        const QString rule = attributes.value(QLatin1String("rule")).toString();
        if (!rule.isEmpty())
            return (rule + QLatin1Char('\x1f')
                    + attributes.value(QLatin1String("subject")).toString())
                .toStdString();
    }
    const std::string_view message = event.message;
    const auto cut = message.find(" firing");
    const auto cutResolved = message.find(" resolved");
    const std::string_view name = message.substr(0, std::min(cut, cutResolved));
    return event.service + '\x1f' + event.entity + '\x1f' + std::string(name);
}

} // namespace

std::vector<EventSpan> pairEventSpans(const std::vector<Event> &events, TimeUs dataEnd,
                                      const KnownRecoveries *knownRecoveries, TimeUs horizon)
{
    std::vector<EventSpan> spans;
    std::map<std::string, Open> incidents; // by service
    std::map<std::string, Open> alerts; // by alertKey
    std::map<std::string, Open> operations; // by prefix, service, entity

    const auto close = [&](const Open &open, TimeUs end, bool stillOpen) {
        const Event &first = events[open.index];
        spans.push_back({open.kind, first.time, std::max(end, first.time), stillOpen, open.index,
                         first.service});
    };

    for (std::size_t i = 0; i < events.size(); ++i) {
        const Event &e = events[i];
        if (e.category == EventCategory::Failure) {
            const auto known = knownRecoveries ? knownRecoveries->find(e.sourceId)
                                               : KnownRecoveries::const_iterator();
            if (knownRecoveries && known != knownRecoveries->end()) {
                const bool recovered = known->second > e.time;
                const TimeUs end = recovered ? known->second : std::min(dataEnd, e.time + horizon);
                spans.push_back({EventSpan::Kind::Incident, e.time, std::max(end, e.time),
                                 !recovered && dataEnd - e.time < horizon, i, e.service});
                continue;
            }
            incidents.try_emplace(e.service, Open{i, EventSpan::Kind::Incident});
        } else if (e.category == EventCategory::Recovery) {
            auto found = incidents.find(e.service);
            if (found != incidents.end()) {
                close(found->second, e.time, false);
                incidents.erase(found);
            }
        } else if (e.type == "alert.firing") {
            alerts.try_emplace(alertKey(e), Open{i, EventSpan::Kind::Alert});
        } else if (e.type == "alert.resolved") {
            auto found = alerts.find(alertKey(e));
            if (found != alerts.end()) {
                close(found->second, e.time, false);
                alerts.erase(found);
            }
        } else if (auto prefix = stripSuffix(e.type, kStartSuffixes)) {
            operations.try_emplace(std::string(*prefix) + '\x1f' + e.service + '\x1f' + e.entity,
                                   Open{i, EventSpan::Kind::Operation});
        } else if (auto endPrefix = stripSuffix(e.type, kEndSuffixes)) {
            auto found
                = operations.find(std::string(*endPrefix) + '\x1f' + e.service + '\x1f' + e.entity);
            if (found != operations.end()) {
                close(found->second, e.time, false);
                operations.erase(found);
            }
        }
    }
    for (const auto *open : {&incidents, &alerts, &operations}) {
        for (const auto &[key, span] : *open)
            close(span, dataEnd, true);
    }
    std::sort(spans.begin(), spans.end(), [](const EventSpan &a, const EventSpan &b) {
        return std::tie(a.begin, a.beginIndex) < std::tie(b.begin, b.beginIndex);
    });
    return spans;
}

std::vector<EventSpan> mergeOverlappingSpans(const std::vector<EventSpan> &spans)
{
    std::vector<EventSpan> merged;
    std::map<EventSpan::Kind, std::size_t> last; // the kind's current span in `merged`
    for (const EventSpan &span : spans) { // sorted by begin
        const auto found = last.find(span.kind);
        if (found != last.end() && span.begin <= merged[found->second].end) {
            EventSpan &into = merged[found->second];
            into.end = std::max(into.end, span.end);
            into.open = into.open || span.open;
            continue;
        }
        last[span.kind] = merged.size();
        merged.push_back(span);
    }
    std::sort(merged.begin(), merged.end(), [](const EventSpan &a, const EventSpan &b) {
        return std::tie(a.begin, a.beginIndex) < std::tie(b.begin, b.beginIndex);
    });
    return merged;
}

std::vector<SpanRun> spanRunsFor(const std::vector<EventSpan> &spans, TimeRange range, int columns)
{
    std::vector<SpanRun> runs;
    if (columns <= 0 || range.isEmpty())
        return runs;
    const double perMicro = static_cast<double>(columns) / static_cast<double>(range.duration());
    const auto column = [&](TimeUs t) {
        return static_cast<int>(
            std::clamp(std::floor(static_cast<double>(t - range.begin) * perMicro), -1.0,
                       static_cast<double>(columns)));
    };
    std::array<std::optional<SpanRun>, 3> current; // by kind
    for (const EventSpan &span : spans) { // sorted by begin
        if (span.begin >= range.end)
            break;
        if (span.end < range.begin)
            continue;
        const int first = std::max(column(span.begin), 0);
        const int last = std::min(column(span.end), columns - 1);
        auto &run = current[static_cast<std::size_t>(span.kind)];
        if (run && first <= run->last + 1) {
            if (last >= run->last) {
                run->last = last;
                run->open = span.open;
            }
            continue;
        }
        if (run)
            runs.push_back(*run);
        run = SpanRun{span.kind, first, last, span.open};
    }
    for (const auto &run : current) {
        if (run)
            runs.push_back(*run);
    }
    return runs;
}

} // namespace eventscope::ui
