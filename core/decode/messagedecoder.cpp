#include "decode/messagedecoder.h"

#include "decode/jsonerrorlocator.h"
#include "util/timeformat.h"

#include <charconv>
#include <cmath>
#include <limits>

namespace eventscope {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

bool contains(std::string_view haystack, std::string_view needle)
{
    return haystack.find(needle) != std::string_view::npos;
}

// Offset of the first byte that breaks UTF-8, or npos.
std::size_t firstInvalidUtf8(std::string_view text)
{
    std::size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        std::size_t length = 0;
        std::uint32_t codePoint = 0;
        if (c < 0x80) {
            ++i;
            continue;
        }
        if ((c & 0xe0) == 0xc0) {
            length = 2;
            codePoint = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            length = 3;
            codePoint = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            length = 4;
            codePoint = c & 0x07;
        } else {
            return i;
        }
        if (i + length > text.size())
            return i;
        for (std::size_t k = 1; k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xc0) != 0x80)
                return i;
            codePoint = (codePoint << 6) | (next & 0x3f);
        }
        const bool overlong = (length == 2 && codePoint < 0x80)
            || (length == 3 && codePoint < 0x800) || (length == 4 && codePoint < 0x10000);
        if (overlong || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff))
            return i;
        i += length;
    }
    return std::string_view::npos;
}

std::string quoted(std::string_view text)
{
    constexpr std::size_t kMax = 40;
    std::string out = "\"";
    out += text.substr(0, kMax);
    if (text.size() > kMax)
        out += "...";
    out += '"';
    return out;
}

std::string_view typeName(element_type type)
{
    switch (type) {
    case element_type::ARRAY: return "an array";
    case element_type::OBJECT: return "an object";
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE: return "a number";
    case element_type::STRING: return "a string";
    case element_type::BOOL: return "a boolean";
    case element_type::NULL_VALUE: return "null";
    }
    return "a value";
}

bool hasField(object o, std::string_view key)
{
    return o.at_key(key).error() == simdjson::SUCCESS;
}

// Reads a scalar as text: strings as they are, numbers and booleans as written.
bool readText(element value, std::string &out)
{
    switch (value.type()) {
    case element_type::STRING: {
        out.assign(value.get_string().value_unsafe());
        return true;
    }
    case element_type::INT64: out = std::to_string(int64_t(value)); return true;
    case element_type::UINT64: out = std::to_string(uint64_t(value)); return true;
    case element_type::DOUBLE: out = simdjson::minify(value); return true;
    case element_type::BOOL: out = bool(value) ? "true" : "false"; return true;
    case element_type::NULL_VALUE: out.clear(); return true;
    default: return false;
    }
}

// Optional text field; false with a reason when present with a type that is not a scalar.
bool optionalText(object o, std::string_view key, std::string &out, std::string &reason,
                  std::string_view what)
{
    element value;
    if (o.at_key(key).get(value) != simdjson::SUCCESS) {
        out.clear();
        return true;
    }
    if (!readText(value, out)) {
        reason = std::string(what) + ": field '" + std::string(key) + "' must be a string, not "
            + std::string(typeName(value.type()));
        return false;
    }
    return true;
}

bool requiredText(object o, std::string_view key, std::string &out, std::string &reason,
                  std::string_view what)
{
    if (!hasField(o, key)) {
        reason = std::string(what) + ": required field '" + std::string(key) + "' is missing";
        return false;
    }
    if (!optionalText(o, key, out, reason, what))
        return false;
    if (out.empty()) {
        reason = std::string(what) + ": required field '" + std::string(key) + "' is empty";
        return false;
    }
    return true;
}

std::optional<TimeUs> readTime(element value)
{
    switch (value.type()) {
    case element_type::STRING: {
        return parseTimestamp(value.get_string().value_unsafe());
    }
    case element_type::INT64: return timeFromEpochInteger(int64_t(value));
    case element_type::UINT64: {
        const uint64_t number = value;
        if (number > static_cast<uint64_t>(std::numeric_limits<std::int64_t>::max()))
            return std::nullopt;
        return timeFromEpochInteger(static_cast<std::int64_t>(number));
    }
    case element_type::DOUBLE: return timeFromEpochNumber(double(value));
    default: return std::nullopt;
    }
}

bool requiredTime(object o, std::string_view key, TimeUs &out, std::string &reason,
                  std::string_view what)
{
    element value;
    if (o.at_key(key).get(value) != simdjson::SUCCESS) {
        reason = std::string(what) + ": required field '" + std::string(key) + "' is missing";
        return false;
    }
    const auto time = readTime(value);
    if (!time) {
        std::string shown = value.type() == element_type::STRING ? quoted(std::string_view(value))
                                                                 : simdjson::minify(value);
        reason = std::string(what) + ": field '" + std::string(key)
            + "' is not a timestamp: " + shown + " (expected RFC 3339 or epoch seconds/ms/µs/ns)";
        return false;
    }
    out = *time;
    return true;
}

bool optionalAttributes(object o, std::string &out, std::string &reason, std::string_view what)
{
    element value;
    out.clear();
    if (o.at_key("attributes").get(value) != simdjson::SUCCESS || value.is_null())
        return true;
    if (!value.is_object()) {
        reason = std::string(what) + ": field 'attributes' must be an object, not "
            + std::string(typeName(value.type()));
        return false;
    }
    if (object(value).size() > 0)
        out = simdjson::minify(value);
    return true;
}

// A metric value: a number, or a string holding one (prometheus-kafka-adapter writes strings,
// including NaN, +Inf and -Inf).
std::optional<double> readMetricValue(element value)
{
    switch (value.type()) {
    case element_type::INT64: return static_cast<double>(int64_t(value));
    case element_type::UINT64: return static_cast<double>(uint64_t(value));
    case element_type::DOUBLE: return double(value);
    case element_type::STRING: {
        std::string_view text = value;
        if (text == "NaN" || text == "nan")
            return std::numeric_limits<double>::quiet_NaN();
        if (text == "+Inf" || text == "Inf" || text == "inf" || text == "+inf")
            return std::numeric_limits<double>::infinity();
        if (text == "-Inf" || text == "-inf")
            return -std::numeric_limits<double>::infinity();
        double number = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
        if (error != std::errc() || end != text.data() + text.size())
            return std::nullopt;
        return number;
    }
    default: return std::nullopt;
    }
}

} // namespace

RecordKind kindForTopic(std::string_view topic)
{
    std::string lower(topic);
    for (char &c : lower)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (contains(lower, "metric"))
        return RecordKind::Metrics;
    if (contains(lower, "trace") || contains(lower, "span"))
        return RecordKind::Traces;
    if (contains(lower, "log"))
        return RecordKind::Logs;
    if (contains(lower, "event") || contains(lower, "failure") || contains(lower, "scaling")
        || contains(lower, "provision"))
        return RecordKind::Events;
    return RecordKind::Unknown;
}

std::string_view kindName(RecordKind kind)
{
    switch (kind) {
    case RecordKind::Events: return "events";
    case RecordKind::Metrics: return "metrics";
    case RecordKind::Logs: return "logs";
    case RecordKind::Traces: return "traces";
    case RecordKind::Unknown: break;
    }
    return "unknown";
}

MessageDecoder::MessageDecoder()
{
    m_buffer.reserve(std::size_t{64} << 10);
}

void MessageDecoder::addDeadLetter(const Message &message, std::string reason, RecordBatch &batch)
{
    DeadLetter letter;
    letter.receivedAt = message.receivedAt;
    letter.source = std::string(message.source);
    letter.reason = std::move(reason);
    letter.payload = std::string(message.payload.substr(0, DeadLetter::kMaxPayload));
    letter.origin = message.origin;
    batch.deadLetters.push_back(std::move(letter));
}

bool MessageDecoder::decode(const Message &message, RecordBatch &batch)
{
    std::string reason;
    bool ok = false;
    if (message.payload.empty()) {
        reason = "empty message";
    } else if (message.payload.size() > kMaxMessageBytes) {
        reason = "message is " + std::to_string(message.payload.size()) + " bytes, over the "
            + std::to_string(kMaxMessageBytes >> 20) + " MiB limit";
    } else {
        // Decoders validate every field before appending, so a rejected message adds nothing.
        ok = decodeJson(message, batch, reason);
    }
    if (!ok)
        addDeadLetter(message, std::move(reason), batch);
    return ok;
}

bool MessageDecoder::decodeJson(const Message &message, RecordBatch &batch, std::string &reason)
{
    const std::string_view payload = message.payload;
    std::size_t start = payload.find_first_not_of(" \t\r\n");
    if (start == std::string_view::npos) {
        reason = "message holds only whitespace";
        return false;
    }
    if (payload[start] != '{' && payload[start] != '[') {
        if (const auto bad = firstInvalidUtf8(payload); bad != std::string_view::npos)
            reason = "not valid UTF-8 (byte " + std::to_string(bad) + "); expected a JSON object";
        else
            reason = "not JSON and no other supported format: starts with "
                + quoted(payload.substr(start, 20));
        return false;
    }

    m_buffer.assign(payload);
    m_buffer.resize(payload.size() + simdjson::SIMDJSON_PADDING);
    element root;
    const auto error = m_parser.parse(m_buffer.data(), payload.size(), false).get(root);
    if (error != simdjson::SUCCESS) {
        if (error == simdjson::UTF8_ERROR) {
            const auto bad = firstInvalidUtf8(payload);
            reason = "not valid UTF-8"
                + (bad != std::string_view::npos ? " (byte " + std::to_string(bad) + ")"
                                                 : std::string());
            return false;
        }
        std::string located = locateJsonError(payload);
        if (located.empty())
            located = simdjson::error_message(error);
        if (error == simdjson::NUMBER_ERROR)
            located = "number out of range: " + located;
        reason = "malformed JSON: " + located;
        return false;
    }

    if (root.is_array()) {
        reason = "a JSON array; expected one object per message (or per NDJSON line)";
        return false;
    }
    return decodeObject(message, root.get_object().value_unsafe(), batch, reason);
}

bool MessageDecoder::decodeObject(const Message &message, object o, RecordBatch &batch,
                                  std::string &reason)
{
    // Shape first; the topic's kind only breaks ties and shapes the error message.
    if (hasField(o, "span_id") && hasField(o, "trace_id") && hasField(o, "start"))
        return decodeNativeSpan(message, o, batch, reason);
    if (hasField(o, "type") && hasField(o, "id"))
        return decodeNativeEvent(message, o, batch, reason);
    if (hasField(o, "name") && (hasField(o, "value") || message.topicKind == RecordKind::Metrics))
        return decodeNativeMetric(message, o, batch, reason);
    if (hasField(o, "message") && (hasField(o, "level") || message.topicKind == RecordKind::Logs))
        return decodeNativeLog(message, o, batch, reason);

    switch (message.topicKind) {
    case RecordKind::Events: return decodeNativeEvent(message, o, batch, reason);
    case RecordKind::Metrics: return decodeNativeMetric(message, o, batch, reason);
    case RecordKind::Logs: return decodeNativeLog(message, o, batch, reason);
    case RecordKind::Traces: return decodeNativeSpan(message, o, batch, reason);
    case RecordKind::Unknown: break;
    }
    if (hasField(o, "name"))
        reason = "metric without value";
    else
        reason = "unrecognised JSON object: expected an event (id, time, type), a metric (time, "
                 "name, value), a log (time, level, message) or a span (trace_id, span_id, start)";
    return false;
}

bool MessageDecoder::decodeNativeEvent(const Message &message, object o, RecordBatch &batch,
                                       std::string &reason)
{
    constexpr std::string_view what = "event";
    Event event;
    if (!requiredText(o, "id", event.sourceId, reason, what)
        || !requiredTime(o, "time", event.time, reason, what)
        || !requiredText(o, "type", event.type, reason, what))
        return false;

    std::string category, severity;
    if (!optionalText(o, "category", category, reason, what)
        || !optionalText(o, "severity", severity, reason, what))
        return false;
    // An unknown category or severity is not worth losing the event over: infer instead.
    const auto parsedCategory = parseEventCategory(category);
    event.category = parsedCategory ? *parsedCategory : inferEventCategory(event.type);
    const auto parsedSeverity = parseSeverity(severity);
    event.severity = parsedSeverity
        ? *parsedSeverity
        : (event.category == EventCategory::Failure ? Severity::Error : Severity::Info);

    if (!optionalText(o, "service", event.service, reason, what)
        || !optionalText(o, "entity", event.entity, reason, what)
        || !optionalText(o, "cluster", event.cluster, reason, what)
        || !optionalText(o, "message", event.message, reason, what)
        || !optionalText(o, "trace_id", event.traceId, reason, what)
        || !optionalAttributes(o, event.attributes, reason, what))
        return false;
    event.origin = message.origin;
    batch.events.push_back(std::move(event));
    return true;
}

bool MessageDecoder::decodeNativeMetric(const Message &message, object o, RecordBatch &batch,
                                        std::string &reason)
{
    constexpr std::string_view what = "metric";
    std::string name;
    if (!requiredText(o, "name", name, reason, what))
        return false;
    TimeUs time = 0;
    // prometheus-kafka-adapter names the field "timestamp".
    const char *timeKey = hasField(o, "time") || !hasField(o, "timestamp") ? "time" : "timestamp";
    if (!requiredTime(o, timeKey, time, reason, what))
        return false;
    element valueElement;
    if (o.at_key("value").get(valueElement) != simdjson::SUCCESS) {
        reason = "metric without value";
        return false;
    }
    const auto value = readMetricValue(valueElement);
    if (!value) {
        reason = "metric '" + name
            + "': field 'value' is not a number: " + simdjson::minify(valueElement);
        return false;
    }

    std::vector<Label> labels;
    element labelsElement;
    if (o.at_key("labels").get(labelsElement) == simdjson::SUCCESS && !labelsElement.is_null()) {
        if (!labelsElement.is_object()) {
            reason = "metric '" + name + "': field 'labels' must be an object";
            return false;
        }
        for (auto field : object(labelsElement)) {
            if (field.key == "__name__")
                continue; // prometheus repeats the name as a label
            std::string text;
            if (!readText(field.value, text)) {
                reason = "metric '" + name + "': label '" + std::string(field.key)
                    + "' must be a string";
                return false;
            }
            labels.emplace_back(std::string(field.key), std::move(text));
        }
    }
    std::string unit;
    if (!optionalText(o, "unit", unit, reason, what))
        return false;

    const std::uint32_t series
        = batch.internSeries(SeriesKey(std::move(name), std::move(labels)), std::move(unit));
    batch.addSample(series, time, *value, batch.internSampleOrigin(message.origin));
    return true;
}

bool MessageDecoder::decodeNativeLog(const Message &message, object o, RecordBatch &batch,
                                     std::string &reason)
{
    constexpr std::string_view what = "log";
    LogRecord log;
    if (!requiredTime(o, "time", log.time, reason, what))
        return false;
    std::string level;
    if (!optionalText(o, "level", level, reason, what))
        return false;
    log.level = parseSeverity(level).value_or(Severity::Info);
    if (!hasField(o, "message")) {
        reason = "log: required field 'message' is missing";
        return false;
    }
    if (!optionalText(o, "message", log.message, reason, what)
        || !optionalText(o, "service", log.service, reason, what)
        || !optionalText(o, "entity", log.entity, reason, what)
        || !optionalText(o, "trace_id", log.traceId, reason, what)
        || !optionalText(o, "span_id", log.spanId, reason, what)
        || !optionalAttributes(o, log.attributes, reason, what))
        return false;
    log.origin = message.origin;
    batch.logs.push_back(std::move(log));
    return true;
}

bool MessageDecoder::decodeNativeSpan(const Message &message, object o, RecordBatch &batch,
                                      std::string &reason)
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

} // namespace eventscope
