#pragma once

// EventScope's native JSON formats (FORMATS.md): event, metric (also prometheus-kafka-adapter's
// shape), log, our span line and the declared topology edge. Each appends one record, or returns false with a reason.

#include "decode/message.h"
#include "model/recordbatch.h"

#include <simdjson.h>

#include <string>

namespace eventscope::decode {

bool decodeNativeEvent(const Message &message, simdjson::dom::object o, RecordBatch &batch,
                       std::string &reason);
bool decodeNativeMetric(const Message &message, simdjson::dom::object o, RecordBatch &batch,
                        std::string &reason);
bool decodeNativeLog(const Message &message, simdjson::dom::object o, RecordBatch &batch,
                     std::string &reason);
bool decodeNativeSpan(const Message &message, simdjson::dom::object o, RecordBatch &batch,
                      std::string &reason);

// {"kind":"topology","caller":"a","callee":"b"} with optional "time" and "attributes".
bool decodeNativeTopology(const Message &message, simdjson::dom::object o, RecordBatch &batch,
                          std::string &reason);

} // namespace eventscope::decode
