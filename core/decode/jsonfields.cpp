#include "decode/jsonfields.h"

#include "util/timeformat.h"

#include <charconv>
#include <limits>

namespace eventscope::jsonfields {

using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

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

Field field(object o, std::string_view key)
{
    Field f{key, {}, false};
    f.present = o.at_key(key).get(f.value) == simdjson::SUCCESS;
    return f;
}

// Optional text field; false with a reason when present with a type that is not a scalar.
bool optionalText(const Field &f, std::string &out, std::string &reason, std::string_view what)
{
    if (!f.present) {
        out.clear();
        return true;
    }
    if (!readText(f.value, out)) {
        reason = std::string(what) + ": field '" + std::string(f.key) + "' must be a string, not "
            + std::string(typeName(f.value.type()));
        return false;
    }
    return true;
}

bool optionalText(object o, std::string_view key, std::string &out, std::string &reason,
                  std::string_view what)
{
    return optionalText(field(o, key), out, reason, what);
}

bool requiredText(const Field &f, std::string &out, std::string &reason, std::string_view what)
{
    if (!f.present) {
        reason = std::string(what) + ": required field '" + std::string(f.key) + "' is missing";
        return false;
    }
    if (!optionalText(f, out, reason, what))
        return false;
    if (out.empty()) {
        reason = std::string(what) + ": required field '" + std::string(f.key) + "' is empty";
        return false;
    }
    return true;
}

bool requiredText(object o, std::string_view key, std::string &out, std::string &reason,
                  std::string_view what)
{
    return requiredText(field(o, key), out, reason, what);
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

bool requiredTime(const Field &f, TimeUs &out, std::string &reason, std::string_view what)
{
    if (!f.present) {
        reason = std::string(what) + ": required field '" + std::string(f.key) + "' is missing";
        return false;
    }
    const element value = f.value;
    const auto time = readTime(value);
    if (!time) {
        std::string shown = value.type() == element_type::STRING ? quoted(std::string_view(value))
                                                                 : simdjson::minify(value);
        reason = std::string(what) + ": field '" + std::string(f.key)
            + "' is not a timestamp: " + shown + " (expected RFC 3339 or epoch seconds/ms/µs/ns)";
        return false;
    }
    out = *time;
    return true;
}

bool requiredTime(object o, std::string_view key, TimeUs &out, std::string &reason,
                  std::string_view what)
{
    return requiredTime(field(o, key), out, reason, what);
}

void minifyInto(element value, std::string &out)
{
    thread_local simdjson::internal::string_builder<> builder;
    builder.clear();
    builder.append(value);
    out.assign(builder.str());
    if (out.size() > (1U << 20))
        builder = {}; // give back the memory of a huge value
}

bool optionalAttributes(const Field &f, std::string &out, std::string &reason,
                        std::string_view what)
{
    out.clear();
    if (!f.present || f.value.is_null())
        return true;
    if (!f.value.is_object()) {
        reason = std::string(what) + ": field '" + std::string(f.key) + "' must be an object, not "
            + std::string(typeName(f.value.type()));
        return false;
    }
    if (object(f.value).size() > 0)
        minifyInto(f.value, out);
    return true;
}

bool optionalAttributes(object o, std::string &out, std::string &reason, std::string_view what)
{
    return optionalAttributes(field(o, "attributes"), out, reason, what);
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

} // namespace eventscope::jsonfields
