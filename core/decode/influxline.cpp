#include "decode/influxline.h"

#include "util/timeformat.h"

#include <charconv>
#include <forward_list>
#include <string>
#include <vector>

namespace eventscope::decode {

namespace {

// Reads up to an unescaped delimiter; backslash escapes the next character. A token without
// escapes (nearly all) is a view into the line; one with escapes is unescaped into a string
// kept in `unescaped`.
std::string_view readToken(std::string_view line, std::size_t &pos, std::string_view delimiters,
                           std::forward_list<std::string> &unescaped)
{
    const auto isDelimiter = [delimiters](char c) {
        for (const char d : delimiters) {
            if (c == d)
                return true;
        }
        return false;
    };
    const std::size_t start = pos;
    for (; pos < line.size(); ++pos) {
        const char c = line[pos];
        if (c == '\\' && pos + 1 < line.size())
            break;
        if (isDelimiter(c))
            return line.substr(start, pos - start);
    }
    if (pos == line.size())
        return line.substr(start);
    std::string &out = unescaped.emplace_front(line.substr(start, pos - start));
    while (pos < line.size()) {
        const char c = line[pos];
        if (c == '\\' && pos + 1 < line.size()) {
            out += line[pos + 1];
            pos += 2;
            continue;
        }
        if (isDelimiter(c))
            break;
        out += c;
        ++pos;
    }
    return out;
}

struct Field
{
    std::string_view key;
    double value = 0;
    bool numeric = false;
};

bool parseFieldValue(std::string_view text, Field &field, std::string &error)
{
    if (text.empty()) {
        error = "field '" + std::string(field.key) + "' has no value";
        return false;
    }
    if (text.front() == '"') {
        field.numeric = false; // strings are not metrics
        return true;
    }
    if (text == "t" || text == "T" || text == "true" || text == "True" || text == "TRUE") {
        field.value = 1;
        field.numeric = true;
        return true;
    }
    if (text == "f" || text == "F" || text == "false" || text == "False" || text == "FALSE") {
        field.value = 0;
        field.numeric = true;
        return true;
    }
    if (text.back() == 'i' || text.back() == 'u') {
        std::int64_t integer = 0;
        const std::string_view digits = text.substr(0, text.size() - 1);
        const auto [end, ec]
            = std::from_chars(digits.data(), digits.data() + digits.size(), integer);
        if (ec != std::errc() || end != digits.data() + digits.size()) {
            error = "field '" + std::string(field.key) + "': '" + std::string(text)
                + "' is not an integer";
            return false;
        }
        field.value = static_cast<double>(integer);
        field.numeric = true;
        return true;
    }
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), field.value);
    if (ec != std::errc() || end != text.data() + text.size()) {
        error
            = "field '" + std::string(field.key) + "': '" + std::string(text) + "' is not a number";
        return false;
    }
    field.numeric = true;
    return true;
}

// Splits the field set at unescaped commas outside quoted strings.
void splitFields(std::string_view set, std::vector<std::string_view> &parts)
{
    parts.clear();
    bool quoted = false;
    std::size_t start = 0;
    for (std::size_t i = 0; i < set.size(); ++i) {
        const char c = set[i];
        if (c == '\\') {
            ++i;
            continue;
        }
        if (c == '"')
            quoted = !quoted;
        else if (c == ',' && !quoted) {
            parts.push_back(set.substr(start, i - start));
            start = i + 1;
        }
    }
    parts.push_back(set.substr(start));
}

// The end of the field set: the first space outside a quoted string.
std::size_t fieldSetEnd(std::string_view line, std::size_t from)
{
    bool quoted = false;
    for (std::size_t i = from; i < line.size(); ++i) {
        if (line[i] == '\\') {
            ++i;
            continue;
        }
        if (line[i] == '"')
            quoted = !quoted;
        else if (line[i] == ' ' && !quoted)
            return i;
    }
    return line.size();
}

// What decoding a line needs besides the line, kept across the lines of a message so that
// its vectors are allocated once.
struct LineScratch
{
    std::forward_list<std::string> unescaped; // tokens that had escapes
    std::vector<LabelView> tags;
    std::vector<std::string_view> parts;
    std::vector<Field> fields;
    std::string seriesName;

    void clear()
    {
        unescaped.clear();
        tags.clear();
        fields.clear();
    }
};

bool decodeLine(const Message &message, std::string_view line, std::uint32_t origin,
                RecordBatch &batch, std::vector<SampleRecord> &samples, LineScratch &scratch,
                std::string &error)
{
    scratch.clear();
    std::size_t pos = 0;
    const std::string_view measurement = readToken(line, pos, ", ", scratch.unescaped);
    if (measurement.empty()) {
        error = "missing measurement name";
        return false;
    }
    while (pos < line.size() && line[pos] == ',') {
        ++pos;
        const std::string_view key = readToken(line, pos, "=", scratch.unescaped);
        if (pos >= line.size() || line[pos] != '=') {
            error = "tag '" + std::string(key) + "' has no '='";
            return false;
        }
        ++pos;
        const std::string_view value = readToken(line, pos, ", ", scratch.unescaped);
        if (key.empty() || value.empty()) {
            error = "empty tag key or value";
            return false;
        }
        scratch.tags.emplace_back(key, value);
    }
    if (pos >= line.size() || line[pos] != ' ') {
        error = "missing field set after '" + std::string(measurement) + "'";
        return false;
    }
    ++pos;
    const std::size_t end = fieldSetEnd(line, pos);
    const std::string_view fieldSet = line.substr(pos, end - pos);
    TimeUs time = message.fallbackTime();
    if (end < line.size()) {
        std::string_view stamp = line.substr(end + 1);
        while (!stamp.empty() && stamp.back() == ' ')
            stamp.remove_suffix(1);
        std::int64_t number = 0;
        const auto [stop, ec] = std::from_chars(stamp.data(), stamp.data() + stamp.size(), number);
        if (ec != std::errc() || stop != stamp.data() + stamp.size()) {
            error = "timestamp '" + std::string(stamp.substr(0, 30)) + "' is not an integer";
            return false;
        }
        time = timeFromEpochInteger(number);
    }
    splitFields(fieldSet, scratch.parts);
    for (const std::string_view part : scratch.parts) {
        Field field;
        std::size_t at = 0;
        field.key = readToken(part, at, "=", scratch.unescaped);
        if (field.key.empty() || at >= part.size()) {
            error = "field '" + std::string(part.substr(0, 30)) + "' has no '='";
            return false;
        }
        if (!parseFieldValue(part.substr(at + 1), field, error))
            return false;
        scratch.fields.push_back(field);
    }
    for (const Field &field : scratch.fields) {
        if (!field.numeric)
            continue;
        scratch.seriesName.assign(measurement).append(".").append(field.key);
        const auto series = batch.internSeries(scratch.seriesName, scratch.tags);
        samples.push_back({series, origin, time, field.value});
    }
    return true;
}

} // namespace

bool looksLikeInfluxLine(std::string_view payload)
{
    const auto first = payload.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos)
        return false;
    const char c = payload[first];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '#'))
        return false;
    const std::string_view line = payload.substr(first, payload.find('\n', first) - first);
    const auto space = line.find(' ');
    return line.front() == '#'
        || (space != std::string_view::npos && line.find('=', space) != std::string_view::npos);
}

bool decodeInfluxLines(const Message &message, RecordBatch &batch, std::string &reason)
{
    // A message decodes whole or not at all: collect, then append.
    std::vector<SampleRecord> samples;
    const std::uint32_t origin = batch.internSampleOrigin(message.origin);
    std::string_view rest = message.payload;
    std::size_t lineNumber = 0;
    LineScratch scratch;
    while (!rest.empty()) {
        const auto newline = rest.find('\n');
        std::string_view line = rest.substr(0, newline);
        rest = newline == std::string_view::npos ? std::string_view() : rest.substr(newline + 1);
        ++lineNumber;
        while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
            line.remove_suffix(1);
        while (!line.empty() && (line.front() == ' ' || line.front() == '\t'))
            line.remove_prefix(1);
        if (line.empty() || line.front() == '#')
            continue;
        std::string error;
        if (!decodeLine(message, line, origin, batch, samples, scratch, error)) {
            reason = "Influx line protocol, line " + std::to_string(lineNumber) + ": " + error;
            return false;
        }
    }
    if (samples.empty()) {
        reason = "Influx line protocol: no numeric fields";
        return false;
    }
    batch.samples.insert(batch.samples.end(), samples.begin(), samples.end());
    return true;
}

} // namespace eventscope::decode
