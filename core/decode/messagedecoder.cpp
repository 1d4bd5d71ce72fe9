#include "decode/messagedecoder.h"

#include "decode/cloudevents.h"
#include "decode/influxline.h"
#include "decode/jsonerrorlocator.h"
#include "decode/jsonfields.h"
#include "decode/kubernetesevent.h"
#include "decode/nativedecoder.h"
#include "decode/otlp.h"
#include "util/timeformat.h"

#include <charconv>
#include <cmath>
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

bool MessageDecoder::decodeObject(const Message &message, object o, RecordBatch &batch,
                                  std::string &reason)
{
    // Declared CloudEvents must be CloudEvents; otherwise shape first; the topic's kind only
    // breaks ties and shapes the error message.
    const MessageHeader *contentType = findHeader(message, "content-type");
    // Native events have no "source": id, type and source together are a CloudEvent's shape.
    if ((contentType && contentType->value.starts_with("application/cloudevents+json"))
        || hasField(o, "specversion")
        || (hasField(o, "source") && hasField(o, "id") && hasField(o, "type")))
        return decodeCloudEventStructured(message, o, batch, reason);
    if (hasField(o, "resourceMetrics"))
        return decodeOtlpMetrics(message, o, batch, reason);
    if (hasField(o, "resourceLogs"))
        return decodeOtlpLogs(message, o, batch, reason);
    if (hasField(o, "resourceSpans"))
        return decodeOtlpTraces(message, o, batch, reason);
    if (isKubernetesEvent(o))
        return decodeKubernetesEvents(message, o, batch, reason);
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
        reason
            = "unrecognised JSON object: not CloudEvents, OTLP, a Kubernetes Event, nor a native "
              "event (id, time, type), metric (time, name, value), log (time, level, message) or "
              "span (trace_id, span_id, start)";
    return false;
}

} // namespace eventscope
