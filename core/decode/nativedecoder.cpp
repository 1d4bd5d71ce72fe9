#include "decode/nativedecoder.h"

#include "decode/jsonfields.h"

namespace eventscope::decode {

using namespace jsonfields;
using simdjson::dom::element;
using simdjson::dom::object;

bool decodeNativeEvent(const Message &message, object o, RecordBatch &batch, std::string &reason)
{
    constexpr std::string_view what = "event";
    enum {
        Id,
        Time,
        Type,
        Category,
        SeverityField,
        Service,
        Entity,
        Cluster,
        Text,
        TraceId,
        Attributes
    };
    const auto f = fields(
        o,
        std::array<std::string_view, 11>{"id", "time", "type", "category", "severity", "service",
                                         "entity", "cluster", "message", "trace_id", "attributes"});
    Event event;
    if (!requiredText(f[Id], event.sourceId, reason, what)
        || !requiredTime(f[Time], event.time, reason, what)
        || !requiredText(f[Type], event.type, reason, what))
        return false;

    std::string category, severity;
    if (!optionalText(f[Category], category, reason, what)
        || !optionalText(f[SeverityField], severity, reason, what))
        return false;
    // An unknown category or severity is not worth losing the event over: infer instead.
    event.category = resolveCategory(category, event.type);
    event.severity = resolveSeverity(severity, event.category);

    if (!optionalText(f[Service], event.service, reason, what)
        || !optionalText(f[Entity], event.entity, reason, what)
        || !optionalText(f[Cluster], event.cluster, reason, what)
        || !optionalText(f[Text], event.message, reason, what)
        || !optionalText(f[TraceId], event.traceId, reason, what)
        || !optionalAttributes(f[Attributes], event.attributes, reason, what))
        return false;
    event.origin = message.origin;
    batch.events.push_back(std::move(event));
    return true;
}

bool decodeNativeMetric(const Message &message, object o, RecordBatch &batch, std::string &reason)
{
    constexpr std::string_view what = "metric";
    enum { Name, Time, Timestamp, Value, Labels, Unit };
    const auto f = fields(
        o, std::array<std::string_view, 6>{"name", "time", "timestamp", "value", "labels", "unit"});
    std::string name;
    if (!requiredText(f[Name], name, reason, what))
        return false;
    TimeUs time = 0;
    // prometheus-kafka-adapter names the field "timestamp".
    const Field &timeField = f[Time].present || !f[Timestamp].present ? f[Time] : f[Timestamp];
    if (!requiredTime(timeField, time, reason, what))
        return false;
    if (!f[Value].present) {
        reason = "metric without value";
        return false;
    }
    const element valueElement = f[Value].value;
    const auto value = readMetricValue(valueElement);
    if (!value) {
        reason = "metric '" + name
            + "': field 'value' is not a number: " + simdjson::minify(valueElement);
        return false;
    }

    // Labels are viewed in place; only those that are not JSON strings (numbers, booleans)
    // need their text made, kept in `made`, reserved once so that views into it stay valid.
    std::vector<LabelView> labels;
    std::vector<std::string> made;
    const element labelsElement = f[Labels].value;
    if (f[Labels].present && !labelsElement.is_null()) {
        if (!labelsElement.is_object()) {
            reason = "metric '" + name + "': field 'labels' must be an object";
            return false;
        }
        const object labelsObject(labelsElement);
        for (auto field : labelsObject) {
            if (field.key == "__name__")
                continue; // prometheus repeats the name as a label
            if (field.value.is_string()) {
                labels.emplace_back(field.key, field.value.get_string().value_unsafe());
                continue;
            }
            std::string text;
            if (!readText(field.value, text)) {
                reason = "metric '" + name + "': label '" + std::string(field.key)
                    + "' must be a string";
                return false;
            }
            if (made.capacity() == 0)
                made.reserve(labelsObject.size());
            labels.emplace_back(field.key, made.emplace_back(std::move(text)));
        }
    }
    std::string unit;
    if (!optionalText(f[Unit], unit, reason, what))
        return false;

    const std::uint32_t series = batch.internSeries(name, labels, unit);
    batch.addSample(series, time, *value, batch.internSampleOrigin(message.origin));
    return true;
}

bool decodeNativeLog(const Message &message, object o, RecordBatch &batch, std::string &reason)
{
    constexpr std::string_view what = "log";
    enum { Time, Level, Text, Service, Entity, TraceId, SpanId, Attributes };
    const auto f
        = fields(o,
                 std::array<std::string_view, 8>{"time", "level", "message", "service", "entity",
                                                 "trace_id", "span_id", "attributes"});
    LogRecord log;
    if (!requiredTime(f[Time], log.time, reason, what))
        return false;
    std::string level;
    if (!optionalText(f[Level], level, reason, what))
        return false;
    log.level = parseSeverity(level).value_or(Severity::Info);
    if (!f[Text].present) {
        reason = "log: required field 'message' is missing";
        return false;
    }
    if (!optionalText(f[Text], log.message, reason, what)
        || !optionalText(f[Service], log.service, reason, what)
        || !optionalText(f[Entity], log.entity, reason, what)
        || !optionalText(f[TraceId], log.traceId, reason, what)
        || !optionalText(f[SpanId], log.spanId, reason, what)
        || !optionalAttributes(f[Attributes], log.attributes, reason, what))
        return false;
    log.origin = message.origin;
    batch.logs.push_back(std::move(log));
    return true;
}

bool decodeNativeSpan(const Message &message, object o, RecordBatch &batch, std::string &reason)
{
    constexpr std::string_view what = "span";
    Span span;
    if (!requiredText(o, "trace_id", span.traceId, reason, what)
        || !requiredText(o, "span_id", span.spanId, reason, what)
        || !optionalText(o, "parent_span_id", span.parentSpanId, reason, what)
        || !optionalText(o, "name", span.name, reason, what)
        || !optionalText(o, "service", span.service, reason, what)
        || !optionalText(o, "entity", span.entity, reason, what)
        || !requiredTime(o, "start", span.start, reason, what)
        || !requiredTime(o, "end", span.end, reason, what)
        || !optionalAttributes(o, span.attributes, reason, what))
        return false;
    element kind;
    if (o.at_key("kind").get(kind) == simdjson::SUCCESS) {
        int64_t number = 0;
        if (kind.get(number) != simdjson::SUCCESS || number < 0 || number > 5) {
            reason = "span: field 'kind' must be an OTLP SpanKind number 0-5";
            return false;
        }
        span.kind = static_cast<std::int32_t>(number);
    }
    std::string status;
    if (!optionalText(o, "status", status, reason, what))
        return false;
    if (status == "error")
        span.status = SpanStatus::Error;
    else if (status == "ok")
        span.status = SpanStatus::Ok;
    span.origin = message.origin;
    batch.spans.push_back(std::move(span));
    return true;
}

bool decodeNativeTopology(const Message &message, object o, RecordBatch &batch, std::string &reason)
{
    constexpr std::string_view what = "topology";
    enum { Caller, Callee, Time, Attributes };
    const auto f
        = fields(o, std::array<std::string_view, 4>{"caller", "callee", "time", "attributes"});
    TopologyEdge edge;
    if (!requiredText(f[Caller], edge.caller, reason, what)
        || !requiredText(f[Callee], edge.callee, reason, what)
        || !optionalAttributes(f[Attributes], edge.attributes, reason, what))
        return false;
    if (f[Time].present && !requiredTime(f[Time], edge.time, reason, what))
        return false;
    edge.origin = message.origin;
    batch.topology.push_back(std::move(edge));
    return true;
}

} // namespace eventscope::decode
