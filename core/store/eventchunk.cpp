#include "store/eventchunk.h"

#include <algorithm>
#include <unordered_map>

namespace eventscope {

namespace {

void appendVarint(std::string &out, std::uint64_t value)
{
    while (value >= 0x80) {
        out += static_cast<char>((value & 0x7f) | 0x80);
        value >>= 7;
    }
    out += static_cast<char>(value);
}

std::uint64_t zigzag(std::int64_t value)
{
    return (static_cast<std::uint64_t>(value) << 1) ^ static_cast<std::uint64_t>(value >> 63);
}

std::int64_t unzigzag(std::uint64_t value)
{
    return static_cast<std::int64_t>(value >> 1) ^ -static_cast<std::int64_t>(value & 1);
}

void appendText(std::string &out, std::string_view text)
{
    appendVarint(out, text.size());
    out.append(text);
}

// Reads a blob front to back; every read is bounds-checked and fails for good once one fails.
class Cursor
{
public:
    explicit Cursor(std::string_view blob)
        : m_at(blob.data())
        , m_end(blob.data() + blob.size())
    { }

    bool varint(std::uint64_t &out)
    {
        std::uint64_t value = 0;
        for (int shift = 0; shift < 64 && m_at < m_end; shift += 7) {
            const auto byte = static_cast<std::uint8_t>(*m_at++);
            value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
            if (!(byte & 0x80)) {
                out = value;
                return true;
            }
        }
        return false;
    }
    bool text(std::string_view &out)
    {
        std::uint64_t size = 0;
        if (!varint(size) || size > static_cast<std::uint64_t>(m_end - m_at))
            return false;
        out = std::string_view(m_at, size);
        m_at += size;
        return true;
    }
    bool byte(std::uint8_t &out)
    {
        if (m_at >= m_end)
            return false;
        out = static_cast<std::uint8_t>(*m_at++);
        return true;
    }
    bool atEnd() const { return m_at == m_end; }

private:
    const char *m_at;
    const char *m_end;
};

} // namespace

std::string EventChunkEncoder::encode(std::span<const Event *const> events,
                                      EventChunkSummary &summary)
{
    summary = {};
    summary.count = static_cast<std::int64_t>(events.size());
    summary.minTime = events.front()->time;
    summary.maxTime = events.front()->time;
    for (const Event *event : events) {
        summary.minTime = std::min(summary.minTime, event->time);
        summary.maxTime = std::max(summary.maxTime, event->time);
        summary.categories |= 1u << static_cast<unsigned>(event->category);
    }

    std::vector<std::string_view> dictionary;
    std::unordered_map<std::string_view, std::uint64_t> indexOf;
    std::string body;
    body.reserve(events.size() * 160);
    const auto addIndexed = [&](std::string_view text) {
        const auto [it, inserted] = indexOf.try_emplace(text, dictionary.size());
        if (inserted)
            dictionary.push_back(text);
        appendVarint(body, it->second);
    };
    for (const Event *event : events) {
        appendVarint(body, static_cast<std::uint64_t>(event->time - summary.minTime));
        body += static_cast<char>(static_cast<unsigned>(event->category) << 4
                                  | static_cast<unsigned>(event->severity));
        addIndexed(event->type);
        addIndexed(event->service);
        addIndexed(event->entity);
        addIndexed(event->cluster);
        addIndexed(event->origin.topic);
        appendText(body, event->sourceId);
        appendText(body, event->message);
        appendText(body, event->traceId);
        appendText(body, event->attributes);
        appendVarint(body, zigzag(event->origin.partition));
        appendVarint(body, zigzag(event->origin.offset));
    }

    std::string out;
    std::size_t dictionaryBytes = 0;
    for (const std::string_view text : dictionary)
        dictionaryBytes += text.size() + 2;
    out.reserve(body.size() + dictionaryBytes + 24);
    appendVarint(out, events.size());
    appendVarint(out, zigzag(summary.minTime));
    appendVarint(out, dictionary.size());
    for (const std::string_view text : dictionary)
        appendText(out, text);
    out += body;
    return out;
}

bool decodeEventChunk(std::string_view blob, std::vector<Event> &out, std::string &error)
{
    Cursor cursor(blob);
    std::uint64_t count = 0, minTimeCode = 0, dictionarySize = 0;
    if (!cursor.varint(count) || !cursor.varint(minTimeCode) || !cursor.varint(dictionarySize)
        || count > blob.size() || dictionarySize > blob.size()) {
        error = "event chunk header is damaged";
        return false;
    }
    const TimeUs minTime = unzigzag(minTimeCode);
    std::vector<std::string_view> dictionary(dictionarySize);
    for (std::string_view &text : dictionary) {
        if (!cursor.text(text)) {
            error = "event chunk dictionary is damaged";
            return false;
        }
    }
    const auto indexed = [&](std::string &field) {
        std::uint64_t index = 0;
        if (!cursor.varint(index) || index >= dictionary.size())
            return false;
        field.assign(dictionary[index]);
        return true;
    };
    const auto inlineText = [&](std::string &field) {
        std::string_view text;
        if (!cursor.text(text))
            return false;
        field.assign(text);
        return true;
    };
    out.reserve(out.size() + count);
    for (std::uint64_t i = 0; i < count; ++i) {
        Event event;
        std::uint64_t offsetTime = 0, partition = 0, offset = 0;
        std::uint8_t kinds = 0;
        const bool ok = cursor.varint(offsetTime) && cursor.byte(kinds) && indexed(event.type)
            && indexed(event.service) && indexed(event.entity) && indexed(event.cluster)
            && indexed(event.origin.topic) && inlineText(event.sourceId)
            && inlineText(event.message) && inlineText(event.traceId)
            && inlineText(event.attributes) && cursor.varint(partition) && cursor.varint(offset);
        if (!ok || (kinds >> 4) >= kEventCategoryCount || (kinds & 0xf) >= kSeverityCount) {
            error = "event " + std::to_string(i) + " of " + std::to_string(count)
                + " in an event chunk is damaged";
            return false;
        }
        event.time = minTime + static_cast<TimeUs>(offsetTime);
        event.category = static_cast<EventCategory>(kinds >> 4);
        event.severity = static_cast<Severity>(kinds & 0xf);
        event.origin.partition = static_cast<std::int32_t>(unzigzag(partition));
        event.origin.offset = unzigzag(offset);
        out.push_back(std::move(event));
    }
    if (!cursor.atEnd()) {
        error = "event chunk has trailing bytes";
        return false;
    }
    return true;
}

} // namespace eventscope
