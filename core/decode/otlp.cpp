#include "decode/otlp.h"

#include "decode/jsonfields.h"
#include "util/jsonwriter.h"

#include <algorithm>
#include <charconv>
#include <forward_list>

namespace eventscope::decode {

namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

// An OTLP AnyValue as display text: strings as they are, numbers as written, arrays and maps
// as JSON.
void appendAnyValueJson(std::string &out, element value);

bool anyValueText(element value, std::string &out)
{
    object o;
    if (value.get(o) != simdjson::SUCCESS)
        return false;
    std::string_view text;
    if (o.at_key("stringValue").get(text) == simdjson::SUCCESS) {
        out = std::string(text);
        return true;
    }
    element inner;
    if (o.at_key("intValue").get(inner) == simdjson::SUCCESS
        || o.at_key("doubleValue").get(inner) == simdjson::SUCCESS
        || o.at_key("boolValue").get(inner) == simdjson::SUCCESS
        || o.at_key("bytesValue").get(inner) == simdjson::SUCCESS)
        return jsonfields::readText(inner, out);
    out.clear();
    appendAnyValueJson(out, value);
    return true;
}

void appendKeyValuesJson(std::string &out, array values)
{
    out += '{';
    bool first = true;
    for (element entry : values) {
        std::string_view key;
        element value;
        if (entry["key"].get(key) != simdjson::SUCCESS
            || entry["value"].get(value) != simdjson::SUCCESS)
            continue;
        if (!first)
            out += ',';
        first = false;
        json::appendString(out, key);
        out += ':';
        appendAnyValueJson(out, value);
    }
    out += '}';
}

void appendAnyValueJson(std::string &out, element value)
{
    object o;
    if (value.get(o) != simdjson::SUCCESS) {
        out += "null";
        return;
    }
    std::string_view text;
    element inner;
    array list;
    if (o.at_key("stringValue").get(text) == simdjson::SUCCESS) {
        json::appendString(out, text);
    } else if (o.at_key("intValue").get(inner) == simdjson::SUCCESS) {
        std::string digits;
        jsonfields::readText(inner, digits); // int64 travels as a string in OTLP JSON
        std::int64_t number = 0;
        const auto [end, ec]
            = std::from_chars(digits.data(), digits.data() + digits.size(), number);
        if (ec == std::errc() && end == digits.data() + digits.size())
            json::appendInteger(out, number);
        else
            json::appendString(out, digits);
    } else if (o.at_key("doubleValue").get(inner) == simdjson::SUCCESS
               || o.at_key("boolValue").get(inner) == simdjson::SUCCESS) {
        out += simdjson::minify(inner);
    } else if (o.at_key("arrayValue").get(inner) == simdjson::SUCCESS
               && inner["values"].get(list) == simdjson::SUCCESS) {
        out += '[';
        bool first = true;
        for (element item : list) {
            if (!first)
                out += ',';
            first = false;
            appendAnyValueJson(out, item);
        }
        out += ']';
    } else if (o.at_key("kvlistValue").get(inner) == simdjson::SUCCESS
               && inner["values"].get(list) == simdjson::SUCCESS) {
        appendKeyValuesJson(out, list);
    } else if (o.at_key("bytesValue").get(text) == simdjson::SUCCESS) {
        json::appendString(out, text);
    } else {
        out += "null";
    }
}

// Attributes of a resource, scope, data point, log or span, as views: keys and string values
// point into the parsed message; other values (numbers, lists) are rendered into `rendered`.
// Valid while the message's document is.
struct Attributes
{
    std::vector<std::pair<std::string_view, std::string_view>> values; // key → text
    std::forward_list<std::string> rendered; // texts of values that are not strings

    void read(element owner)
    {
        array list;
        if (owner["attributes"].get(list) != simdjson::SUCCESS)
            return;
        for (element entry : list) {
            object pair;
            if (entry.get(pair) != simdjson::SUCCESS)
                continue;
            const auto [key, value] = jsonfields::fields<2>(pair, {"key", "value"});
            std::string_view name;
            if (!key.present || !value.present || key.value.get(name) != simdjson::SUCCESS)
                continue;
            object any;
            std::string_view text;
            if (value.value.get(any) == simdjson::SUCCESS
                && any.at_key("stringValue").get(text) == simdjson::SUCCESS) {
                values.emplace_back(name, text);
                continue;
            }
            std::string &other = rendered.emplace_front();
            if (anyValueText(value.value, other))
                values.emplace_back(name, other);
        }
    }
    std::string_view get(std::string_view key) const
    {
        for (const auto &[k, v] : values)
            if (k == key)
                return v;
        return {};
    }
};

std::string attributesJson(element owner)
{
    array list;
    if (owner["attributes"].get(list) != simdjson::SUCCESS || list.size() == 0)
        return {};
    std::string out;
    appendKeyValuesJson(out, list);
    return out;
}

// Resource identities that become labels, and their label names.
constexpr std::pair<std::string_view, std::string_view> kResourceLabels[]
    = {{"service.name", "service"},
       {"host.name", "host"},
       {"k8s.pod.name", "pod"},
       {"k8s.node.name", "node"},
       {"k8s.namespace.name", "namespace"}};

std::vector<LabelView> resourceLabels(const Attributes &resource)
{
    std::vector<LabelView> labels;
    for (const auto &[key, label] : kResourceLabels) {
        const std::string_view value = resource.get(key);
        if (!value.empty())
            labels.emplace_back(label, value);
    }
    return labels;
}

std::string_view entityOf(const Attributes &resource, const Attributes &own)
{
    for (const std::string_view key : {"k8s.pod.name", "host.name", "service.instance.id"}) {
        std::string_view value = own.get(key);
        if (value.empty())
            value = resource.get(key);
        if (!value.empty())
            return value;
    }
    return {};
}

std::string lowercaseHex(std::string_view id)
{
    std::string out(id);
    for (char &c : out) {
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a'); // ASCII only: ids are hex, not text
    }
    return out;
}

bool readNanoTime(const jsonfields::Field &field, TimeUs &out)
{
    if (!field.present)
        return false;
    const auto time = jsonfields::readTime(field.value);
    if (!time || *time == 0)
        return false;
    out = *time;
    return true;
}

bool readNanoTime(element owner, std::string_view key, TimeUs &out)
{
    object o; // an item that is not an object has no time (and must not throw)
    return owner.get(o) == simdjson::SUCCESS && readNanoTime(jsonfields::field(o, key), out);
}

// Iterates resource → scope → items, handing each item its resource attributes.
template<typename Visit>
bool forEachItem(object o, const char *resourceKey, const char *scopeKey, const char *itemKey,
                 std::string &reason, Visit &&visit)
{
    array resources;
    if (o.at_key(resourceKey).get(resources) != simdjson::SUCCESS) {
        reason = std::string("OTLP: '") + resourceKey + "' must be an array";
        return false;
    }
    for (element resourceEntry : resources) {
        Attributes resource;
        element resourceObject;
        if (resourceEntry["resource"].get(resourceObject) == simdjson::SUCCESS)
            resource.read(resourceObject);
        array scopes;
        if (resourceEntry[scopeKey].get(scopes) != simdjson::SUCCESS)
            continue;
        for (element scope : scopes) {
            array items;
            if (scope[itemKey].get(items) != simdjson::SUCCESS)
                continue;
            for (element item : items) {
                if (!visit(resource, item))
                    return false;
            }
        }
    }
    return true;
}

Severity severityFromNumber(std::int64_t number)
{
    if (number >= 21)
        return Severity::Critical;
    if (number >= 17)
        return Severity::Error;
    if (number >= 13)
        return Severity::Warning;
    if (number >= 9)
        return Severity::Info;
    return Severity::Debug;
}

} // namespace

bool decodeOtlpMetrics(const Message &message, object o, RecordBatch &batch, std::string &reason)
{
    std::vector<SampleRecord> samples; // whole message or nothing
    const std::uint32_t origin = batch.internSampleOrigin(message.origin);
    const bool ok = forEachItem(
        o, "resourceMetrics", "scopeMetrics", "metrics", reason,
        [&](const Attributes &resource, element metric) {
            std::string_view name;
            if (metric["name"].get(name) != simdjson::SUCCESS || name.empty()) {
                reason = "OTLP metric without a name";
                return false;
            }
            std::string_view unit;
            if (metric["unit"].get(unit) != simdjson::SUCCESS)
                unit = {};
            const std::vector<LabelView> baseLabels = resourceLabels(resource);
            auto addPoint = [&](element point, const std::string &seriesName, double value) {
                TimeUs time = message.fallbackTime();
                readNanoTime(point, "timeUnixNano", time);
                Attributes own;
                own.read(point);
                std::vector<LabelView> labels(baseLabels.begin(), baseLabels.end());
                for (const auto &[key, text] : own.values)
                    labels.emplace_back(key, text);
                const auto series = batch.internSeries(seriesName, labels, unit);
                samples.push_back({series, origin, time, value});
            };
            for (const char *kind : {"gauge", "sum"}) {
                array points;
                if (metric[kind]["dataPoints"].get(points) != simdjson::SUCCESS)
                    continue;
                for (element point : points) {
                    element raw;
                    double value = 0;
                    if (point["asDouble"].get(raw) == simdjson::SUCCESS
                        || point["asInt"].get(raw) == simdjson::SUCCESS) {
                        const auto number = jsonfields::readMetricValue(raw);
                        if (!number) {
                            reason = "OTLP metric '" + std::string(name) + "': data point value "
                                + simdjson::minify(raw) + " is not a number";
                            return false;
                        }
                        value = *number;
                    } else {
                        continue; // no value recorded (a point flagged as missing)
                    }
                    addPoint(point, std::string(name), value);
                }
            }
            for (const char *kind : {"histogram", "exponentialHistogram", "summary"}) {
                array points;
                if (metric[kind]["dataPoints"].get(points) != simdjson::SUCCESS)
                    continue;
                for (element point : points) {
                    for (const char *part : {"count", "sum"}) {
                        element raw;
                        if (point[part].get(raw) != simdjson::SUCCESS)
                            continue;
                        const auto number = jsonfields::readMetricValue(raw);
                        if (!number) {
                            reason = "OTLP metric '" + std::string(name) + "': " + part
                                + " is not a number";
                            return false;
                        }
                        addPoint(point, std::string(name) + "." + part, *number);
                    }
                }
            }
            return true;
        });
    if (!ok)
        return false;
    batch.samples.insert(batch.samples.end(), samples.begin(), samples.end());
    return true;
}

bool decodeOtlpLogs(const Message &message, object o, RecordBatch &batch, std::string &reason)
{
    std::vector<LogRecord> logs;
    const bool ok = forEachItem(
        o, "resourceLogs", "scopeLogs", "logRecords", reason,
        [&](const Attributes &resource, element record) {
            LogRecord log;
            if (!readNanoTime(record, "timeUnixNano", log.time)
                && !readNanoTime(record, "observedTimeUnixNano", log.time))
                log.time = message.fallbackTime();
            std::int64_t number = 0;
            std::string_view text;
            if (record["severityNumber"].get(number) == simdjson::SUCCESS && number > 0)
                log.level = severityFromNumber(number);
            else if (record["severityText"].get(text) == simdjson::SUCCESS)
                log.level = parseSeverity(text).value_or(Severity::Info);
            element body;
            if (record["body"].get(body) == simdjson::SUCCESS)
                anyValueText(body, log.message);
            std::string_view eventName;
            if (log.message.empty() && record["eventName"].get(eventName) == simdjson::SUCCESS)
                log.message = std::string(eventName);
            Attributes own;
            own.read(record);
            log.service = std::string(resource.get("service.name"));
            log.entity = std::string(entityOf(resource, own));
            if (record["traceId"].get(text) == simdjson::SUCCESS)
                log.traceId = lowercaseHex(text);
            if (record["spanId"].get(text) == simdjson::SUCCESS)
                log.spanId = lowercaseHex(text);
            log.attributes = attributesJson(record);
            log.origin = message.origin;
            logs.push_back(std::move(log));
            return true;
        });
    if (!ok)
        return false;
    batch.logs.insert(batch.logs.end(), std::make_move_iterator(logs.begin()),
                      std::make_move_iterator(logs.end()));
    return true;
}

bool decodeOtlpTraces(const Message &message, object o, RecordBatch &batch, std::string &reason)
{
    enum SpanField { TraceId, SpanId, ParentSpanId, Name, Start, End, Kind, Status, Count };
    std::vector<Span> spans;
    const bool ok = forEachItem(
        o, "resourceSpans", "scopeSpans", "spans", reason,
        [&](const Attributes &resource, element item) {
            object fields;
            if (item.get(fields) != simdjson::SUCCESS) {
                reason = "OTLP span is not an object";
                return false;
            }
            const auto f = jsonfields::fields<Count>(fields,
                                                     {"traceId", "spanId", "parentSpanId", "name",
                                                      "startTimeUnixNano", "endTimeUnixNano",
                                                      "kind", "status"});
            Span span;
            std::string_view text;
            if (!f[TraceId].present || f[TraceId].value.get(text) != simdjson::SUCCESS
                || text.empty()) {
                reason = "OTLP span without traceId";
                return false;
            }
            span.traceId = lowercaseHex(text);
            if (!f[SpanId].present || f[SpanId].value.get(text) != simdjson::SUCCESS
                || text.empty()) {
                reason = "OTLP span of trace " + span.traceId + " without spanId";
                return false;
            }
            span.spanId = lowercaseHex(text);
            if (f[ParentSpanId].present && f[ParentSpanId].value.get(text) == simdjson::SUCCESS)
                span.parentSpanId = lowercaseHex(text);
            if (f[Name].present && f[Name].value.get(text) == simdjson::SUCCESS)
                span.name = std::string(text);
            if (!readNanoTime(f[Start], span.start) || !readNanoTime(f[End], span.end)) {
                reason = "OTLP span " + span.spanId
                    + ": startTimeUnixNano and endTimeUnixNano are required";
                return false;
            }
            std::int64_t number = 0;
            if (f[Kind].present && f[Kind].value.get(number) == simdjson::SUCCESS)
                span.kind = static_cast<std::int32_t>(std::clamp<std::int64_t>(number, 0, 5));
            if (f[Status].present && f[Status].value["code"].get(number) == simdjson::SUCCESS)
                span.status = number == 2 ? SpanStatus::Error
                                          : (number == 1 ? SpanStatus::Ok : SpanStatus::Unset);
            Attributes own;
            own.read(item);
            span.service = std::string(resource.get("service.name"));
            span.entity = std::string(entityOf(resource, own));
            span.attributes = attributesJson(item);
            span.origin = message.origin;
            spans.push_back(std::move(span));
            return true;
        });
    if (!ok)
        return false;
    batch.spans.insert(batch.spans.end(), std::make_move_iterator(spans.begin()),
                       std::make_move_iterator(spans.end()));
    return true;
}

} // namespace eventscope::decode
