#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace eventscope::json {

// Appends `text` as a JSON string literal (with quotes). Bytes >= 0x80 pass through, so valid
// UTF-8 stays valid; control characters are escaped.
void appendString(std::string &out, std::string_view text);

// Appends a double the shortest way that reads back to the same value; NaN and infinities
// as the strings "NaN", "+Inf", "-Inf" (what prometheus-kafka-adapter writes).
void appendNumber(std::string &out, double value);

// Appends `"name":` inside an object being written, with a comma unless it is the first member
// (the output ends in '{' or '[').
void appendKey(std::string &out, std::string_view name);
void appendInteger(std::string &out, std::int64_t value);

} // namespace eventscope::json
