#include "decode/messagedecoder.h"

#include "decode/cloudevents.h"
#include "decode/influxline.h"
#include "decode/jsonerrorlocator.h"
#include "decode/jsonfields.h"
#include "decode/kubernetesevent.h"
#include "decode/nativedecoder.h"
#include "decode/otlp.h"
#include "util/timeformat.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <initializer_list>
#include <limits>

namespace eventscope {

namespace {

using simdjson::dom::element;
using simdjson::dom::object;
using namespace jsonfields;
using namespace decode;

bool contains(std::string_view haystack, std::string_view needle)
{
    return haystack.find(needle) != std::string_view::npos;
}

} // namespace

const MessageHeader *findHeader(const Message &message, std::string_view name)
{
    for (const MessageHeader &header : message.headers) {
        if (header.name == name)
            return &header;
    }
    return nullptr;
}

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
    if (message.payload.size() > kMaxMessageBytes) {
        reason = "message is " + std::to_string(message.payload.size()) + " bytes, over the "
            + std::to_string(kMaxMessageBytes >> 20) + " MiB limit";
    } else if (findHeader(message, "ce_specversion")) {
        // CloudEvents binary mode: the headers are the event, the value its data (may be empty).
        ok = decodeCloudEventBinary(message, m_parser, m_buffer, batch, reason);
    } else if (message.payload.empty()) {
        reason = "empty message";
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
        if (looksLikeInfluxLine(payload.substr(start))
            && firstInvalidUtf8(payload) == std::string_view::npos)
            return decodeInfluxLines(message, batch, reason);
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

namespace {

// The top-level keys that tell the formats apart.
enum class Key : std::uint8_t {
    SpecVersion,
    Source,
    Id,
    Type,
    ResourceMetrics,
    ResourceLogs,
    ResourceSpans,
    Items,
    InvolvedObject,
    Regarding,
    SpanId,
    TraceId,
    Start,
    Name,
    Value,
    Message,
    Level,
    Kind,
};

class TopLevelKeys
{
public:
    explicit TopLevelKeys(object o)
    {
        static constexpr std::pair<std::string_view, Key> kNames[] = {
            {"specversion", Key::SpecVersion},
            {"source", Key::Source},
            {"id", Key::Id},
            {"type", Key::Type},
            {"resourceMetrics", Key::ResourceMetrics},
            {"resourceLogs", Key::ResourceLogs},
            {"resourceSpans", Key::ResourceSpans},
            {"items", Key::Items},
            {"involvedObject", Key::InvolvedObject},
            {"regarding", Key::Regarding},
            {"span_id", Key::SpanId},
            {"trace_id", Key::TraceId},
            {"start", Key::Start},
            {"name", Key::Name},
            {"value", Key::Value},
            {"message", Key::Message},
            {"level", Key::Level},
            {"kind", Key::Kind},
        };
        for (const auto field : o) {
            for (const auto &[name, key] : kNames) {
                if (field.key == name) {
                    m_present |= bit(key);
                    break;
                }
            }
        }
    }
    bool has(Key key) const { return (m_present & bit(key)) != 0; }
    bool hasAll(std::initializer_list<Key> keys) const
    {
        return std::all_of(keys.begin(), keys.end(), [this](Key key) { return has(key); });
    }

private:
    static std::uint32_t bit(Key key) { return 1u << static_cast<unsigned>(key); }
    std::uint32_t m_present = 0;
};

bool isTopologyLine(object o)
{
    std::string_view kind;
    return o.at_key("kind").get(kind) == simdjson::SUCCESS && kind == "topology";
}

} // namespace

bool MessageDecoder::decodeObject(const Message &message, object o, RecordBatch &batch,
                                  std::string &reason)
{
    // Declared CloudEvents must be CloudEvents; otherwise shape first; the topic's kind only
    // breaks ties and shapes the error message. The shape is read in one pass over the keys:
    // asking for each key in turn costs a scan of the object per question.
    const TopLevelKeys keys(o);
    const MessageHeader *contentType = findHeader(message, "content-type");
    // Native events have no "source": id, type and source together are a CloudEvent's shape.
    if ((contentType && contentType->value.starts_with("application/cloudevents+json"))
        || keys.has(Key::SpecVersion) || keys.hasAll({Key::Source, Key::Id, Key::Type}))
        return decodeCloudEventStructured(message, o, batch, reason);
    if (keys.has(Key::ResourceMetrics))
        return decodeOtlpMetrics(message, o, batch, reason);
    if (keys.has(Key::ResourceLogs))
        return decodeOtlpLogs(message, o, batch, reason);
    if (keys.has(Key::ResourceSpans))
        return decodeOtlpTraces(message, o, batch, reason);
    if ((keys.has(Key::Items) || keys.has(Key::InvolvedObject) || keys.has(Key::Regarding))
        && isKubernetesEvent(o))
        return decodeKubernetesEvents(message, o, batch, reason);
    // Spans carry a numeric "kind"; the declared topology says "kind":"topology".
    if (keys.has(Key::Kind) && isTopologyLine(o))
        return decodeNativeTopology(message, o, batch, reason);
    if (keys.hasAll({Key::SpanId, Key::TraceId, Key::Start}))
        return decodeNativeSpan(message, o, batch, reason);
    if (keys.hasAll({Key::Type, Key::Id}))
        return decodeNativeEvent(message, o, batch, reason);
    if (keys.has(Key::Name) && (keys.has(Key::Value) || message.topicKind == RecordKind::Metrics))
        return decodeNativeMetric(message, o, batch, reason);
    if (keys.has(Key::Message) && (keys.has(Key::Level) || message.topicKind == RecordKind::Logs))
        return decodeNativeLog(message, o, batch, reason);

    switch (message.topicKind) {
    case RecordKind::Events: return decodeNativeEvent(message, o, batch, reason);
    case RecordKind::Metrics: return decodeNativeMetric(message, o, batch, reason);
    case RecordKind::Logs: return decodeNativeLog(message, o, batch, reason);
    case RecordKind::Traces: return decodeNativeSpan(message, o, batch, reason);
    case RecordKind::Unknown: break;
    }
    if (keys.has(Key::Name))
        reason = "metric without value";
    else
        reason
            = "unrecognised JSON object: not CloudEvents, OTLP, a Kubernetes Event, nor a native "
              "event (id, time, type), metric (time, name, value), log (time, level, message) or "
              "span (trace_id, span_id, start), nor a topology edge (kind, caller, callee)";
    return false;
}

} // namespace eventscope
