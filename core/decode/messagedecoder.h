#pragma once

#include "model/origin.h"
#include "model/recordbatch.h"
#include "model/timerange.h"

#include <simdjson.h>

#include <span>
#include <string>
#include <string_view>

namespace eventscope {

// What a topic carries by default; only used when the payload itself is ambiguous.
enum class RecordKind : std::uint8_t { Unknown, Events, Metrics, Logs, Traces };

// The default kind for a topic name: names containing event/failure/scaling/provision are
// events, metric → metrics, log → logs, trace/span → traces (FORMATS.md, "Default topics").
RecordKind kindForTopic(std::string_view topic);
std::string_view kindName(RecordKind kind);

struct MessageHeader
{
    std::string_view name;
    std::string_view value;
};

// One Kafka message or one NDJSON line, as the decoder sees it. Views only: the caller keeps
// the bytes alive for the duration of decode().
struct Message
{
    std::string_view payload;
    std::span<const MessageHeader> headers;
    RecordKind topicKind = RecordKind::Unknown;
    Origin origin; // Kafka messages
    std::string_view source; // "file.ndjson:12" for imported lines
    TimeUs receivedAt = 0;
};

// The single entry point that turns a message into events, samples, logs and spans, or into a
// dead letter whose reason says what to fix. Kafka ingest and `eventscope import` both use it,
// so a file line and a Kafka message decode identically.
//
// Holds a reusable simdjson parser and buffer: one decoder per thread, no heap churn per
// message beyond the records it appends.
class MessageDecoder
{
public:
    static constexpr std::size_t kMaxMessageBytes = std::size_t{8} << 20; // 8 MiB

    MessageDecoder();

    // Appends what the message holds to `batch`; on failure appends one DeadLetter instead and
    // returns false. Never throws on bad input.
    bool decode(const Message &message, RecordBatch &batch);

private:
    bool decodeJson(const Message &message, RecordBatch &batch, std::string &reason);
    bool decodeObject(const Message &message, simdjson::dom::object object, RecordBatch &batch,
                      std::string &reason);
    bool decodeNativeEvent(const Message &message, simdjson::dom::object object, RecordBatch &batch,
                           std::string &reason);
    bool decodeNativeMetric(const Message &message, simdjson::dom::object object,
                            RecordBatch &batch, std::string &reason);
    bool decodeNativeLog(const Message &message, simdjson::dom::object object, RecordBatch &batch,
                         std::string &reason);
    bool decodeNativeSpan(const Message &message, simdjson::dom::object object, RecordBatch &batch,
                          std::string &reason);
    void addDeadLetter(const Message &message, std::string reason, RecordBatch &batch);

    simdjson::dom::parser m_parser;
    std::string m_buffer; // payload copy with simdjson's padding
};

} // namespace eventscope
