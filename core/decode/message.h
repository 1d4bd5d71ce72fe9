#pragma once

#include "model/origin.h"
#include "model/timerange.h"

#include <cstdint>
#include <span>
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
    TimeUs timestamp = 0; // the Kafka message's own timestamp; 0 when unknown
    TimeUs receivedAt = 0;

    // For records whose payload carries no time: the message's timestamp, else arrival.
    TimeUs fallbackTime() const { return timestamp != 0 ? timestamp : receivedAt; }
};

// Value of a Kafka header by name (case-sensitive, as Kafka keeps them), or nullptr.
const MessageHeader *findHeader(const Message &message, std::string_view name);

} // namespace eventscope
