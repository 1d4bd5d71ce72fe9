#pragma once

// InfluxDB line protocol, Telegraf's Kafka output default:
//   cpu,host=node-7,service=checkout usage_user=12.5,usage_system=3i 1764000000000000000
// One series per numeric field, named measurement.field, with the tags as labels. Integers
// (3i, 3u), floats and booleans (as 1/0) are samples; string fields are not metrics and are
// skipped. A message may hold many lines; blank lines and # comments are ignored. The
// timestamp's unit is inferred by magnitude (Telegraf writes nanoseconds); a line without one
// takes the message's time.

#include "decode/message.h"
#include "model/recordbatch.h"

#include <string>
#include <string_view>

namespace eventscope::decode {

// Cheap shape test: a measurement name, then a space-separated field set with '='.
bool looksLikeInfluxLine(std::string_view payload);
bool decodeInfluxLines(const Message &message, RecordBatch &batch, std::string &reason);

} // namespace eventscope::decode
