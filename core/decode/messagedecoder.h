#pragma once

#include "decode/message.h"
#include "model/recordbatch.h"

#include <simdjson.h>

#include <span>
#include <string>
#include <string_view>

namespace eventscope {

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
    void addDeadLetter(const Message &message, std::string reason, RecordBatch &batch);

    simdjson::dom::parser m_parser;
    std::string m_buffer; // payload copy with simdjson's padding
};

} // namespace eventscope
