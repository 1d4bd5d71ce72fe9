#pragma once

// Field readers shared by the JSON decoders. Each returns false with a `reason` that names the
// record kind and the field ("event: field 'time' is not a timestamp: \"yesterday\"").

#include "model/timerange.h"

#include <simdjson.h>

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace eventscope::jsonfields {

// Offset of the first byte that breaks UTF-8, or npos.
std::size_t firstInvalidUtf8(std::string_view text);
// `text` in quotes, cut to 40 characters.
std::string quoted(std::string_view text);
// "a string", "an object", ... for messages.
std::string_view typeName(simdjson::dom::element_type type);

bool hasField(simdjson::dom::object o, std::string_view key);

// A field of an object as a decoder reads it: its name (for messages) and its value, if the
// object has it.
struct Field
{
    std::string_view key;
    simdjson::dom::element value;
    bool present = false;
};
// One field, found with at_key().
Field field(simdjson::dom::object o, std::string_view key);
// The fields named in `keys`, in that order, found in one pass over the object's keys rather
// than one at_key() scan each. A key that occurs twice gives its first value, as at_key() does.
template<std::size_t N>
std::array<Field, N> fields(simdjson::dom::object o, const std::array<std::string_view, N> &keys)
{
    std::array<Field, N> out;
    for (std::size_t i = 0; i < N; ++i)
        out[i].key = keys[i];
    std::size_t found = 0;
    for (const simdjson::dom::key_value_pair member : o) {
        for (Field &f : out) {
            if (!f.present && f.key.size() == member.key.size() && f.key == member.key) {
                f.value = member.value;
                f.present = true;
                ++found;
                break;
            }
        }
        if (found == N)
            break;
    }
    return out;
}
bool optionalText(const Field &f, std::string &out, std::string &reason, std::string_view what);
bool requiredText(const Field &f, std::string &out, std::string &reason, std::string_view what);
bool requiredTime(const Field &f, TimeUs &out, std::string &reason, std::string_view what);
bool optionalAttributes(const Field &f, std::string &out, std::string &reason,
                        std::string_view what);

// A scalar as text: strings as they are, numbers and booleans as written, null as empty.
bool readText(simdjson::dom::element value, std::string &out);
bool optionalText(simdjson::dom::object o, std::string_view key, std::string &out,
                  std::string &reason, std::string_view what);
bool requiredText(simdjson::dom::object o, std::string_view key, std::string &out,
                  std::string &reason, std::string_view what);
// RFC 3339 strings, epoch numbers (s/ms/µs/ns by magnitude) and digit strings (OTLP).
std::optional<TimeUs> readTime(simdjson::dom::element value);
bool requiredTime(simdjson::dom::object o, std::string_view key, TimeUs &out, std::string &reason,
                  std::string_view what);
// `value` as minified JSON (simdjson::minify's form) into `out`, reusing one buffer per thread
// rather than allocating a formatter for every call.
void minifyInto(simdjson::dom::element value, std::string &out);
// "attributes": an object, kept as minified JSON.
bool optionalAttributes(simdjson::dom::object o, std::string &out, std::string &reason,
                        std::string_view what);
// A number, or a string holding one (NaN, +Inf, -Inf included).
std::optional<double> readMetricValue(simdjson::dom::element value);

} // namespace eventscope::jsonfields
