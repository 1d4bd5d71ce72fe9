#include "store/recordchunk.h"

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

// Writes one chunk: the records' fields into a body, repeated strings into a dictionary.
class ChunkWriter
{
public:
    template<typename Record>
    explicit ChunkWriter(std::span<const Record *const> records, RecordChunkSummary &summary)
        : m_count(records.size())
    {
        summary = {};
        summary.count = static_cast<std::int64_t>(records.size());
        summary.minTime = summary.maxTime = recordTime(*records.front());
        for (const Record *record : records) {
            summary.minTime = std::min(summary.minTime, recordTime(*record));
            summary.maxTime = std::max(summary.maxTime, recordTime(*record));
        }
        m_minTime = summary.minTime;
        m_body.reserve(records.size() * 160);
    }

    void time(TimeUs time) { appendVarint(m_body, static_cast<std::uint64_t>(time - m_minTime)); }
    void byte(unsigned value) { m_body += static_cast<char>(value); }
    void signedNumber(std::int64_t value) { appendVarint(m_body, zigzag(value)); }
    void text(std::string_view value) { appendText(m_body, value); }
    void repeated(std::string_view value)
    {
        const auto [it, inserted] = m_indexOf.try_emplace(value, m_dictionary.size());
        if (inserted)
            m_dictionary.push_back(value);
        appendVarint(m_body, it->second);
    }
    void origin(const Origin &origin)
    {
        repeated(origin.topic);
        signedNumber(origin.partition);
        signedNumber(origin.offset);
    }

    std::string finish() const
    {
        std::size_t dictionaryBytes = 0;
        for (const std::string_view text : m_dictionary)
            dictionaryBytes += text.size() + 2;
        std::string out;
        out.reserve(m_body.size() + dictionaryBytes + 24);
        appendVarint(out, m_count);
        appendVarint(out, zigzag(m_minTime));
        appendVarint(out, m_dictionary.size());
        for (const std::string_view text : m_dictionary)
            appendText(out, text);
        out += m_body;
        return out;
    }

private:
    std::size_t m_count;
    TimeUs m_minTime = 0;
    std::string m_body;
    std::vector<std::string_view> m_dictionary;
    std::unordered_map<std::string_view, std::uint64_t> m_indexOf;
};

// Reads a chunk front to back; every read is bounds-checked and fails for good once one fails.
class ChunkReader
{
public:
    explicit ChunkReader(std::string_view blob)
        : m_at(blob.data())
        , m_end(blob.data() + blob.size())
    { }

    // The header and dictionary; false for a damaged one.
    bool start(std::uint64_t &count, std::string &error)
    {
        std::uint64_t minTime = 0, dictionarySize = 0;
        const auto size = static_cast<std::uint64_t>(m_end - m_at);
        if (!varint(count) || !varint(minTime) || !varint(dictionarySize) || count > size
            || dictionarySize > size) {
            error = "chunk header is damaged";
            return false;
        }
        m_minTime = unzigzag(minTime);
        m_dictionary.resize(dictionarySize);
        for (std::string_view &text : m_dictionary) {
            if (!view(text)) {
                error = "chunk dictionary is damaged";
                return false;
            }
        }
        return true;
    }

    bool time(TimeUs &out)
    {
        std::uint64_t offset = 0;
        if (!varint(offset))
            return false;
        out = m_minTime + static_cast<TimeUs>(offset);
        return true;
    }
    bool byte(std::uint8_t &out)
    {
        if (m_at >= m_end)
            return false;
        out = static_cast<std::uint8_t>(*m_at++);
        return true;
    }
    template<typename Integer> bool signedNumber(Integer &out)
    {
        std::uint64_t code = 0;
        if (!varint(code))
            return false;
        out = static_cast<Integer>(unzigzag(code));
        return true;
    }
    bool text(std::string &out)
    {
        std::string_view value;
        if (!view(value))
            return false;
        out.assign(value);
        return true;
    }
    bool repeated(std::string &out)
    {
        std::uint64_t index = 0;
        if (!varint(index) || index >= m_dictionary.size())
            return false;
        out.assign(m_dictionary[index]);
        return true;
    }
    bool origin(Origin &out)
    {
        return repeated(out.topic) && signedNumber(out.partition) && signedNumber(out.offset);
    }
    // Steps over a field, checking it as reading it would, without making its string.
    bool skipText()
    {
        std::string_view value;
        return view(value);
    }
    bool skipRepeated()
    {
        std::uint64_t index = 0;
        return varint(index) && index < m_dictionary.size();
    }
    bool skipOrigin()
    {
        std::int64_t number = 0;
        return skipRepeated() && signedNumber(number) && signedNumber(number);
    }
    bool atEnd() const { return m_at == m_end; }

private:
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
    bool view(std::string_view &out)
    {
        std::uint64_t size = 0;
        if (!varint(size) || size > static_cast<std::uint64_t>(m_end - m_at))
            return false;
        out = std::string_view(m_at, size);
        m_at += size;
        return true;
    }

    const char *m_at;
    const char *m_end;
    TimeUs m_minTime = 0;
    std::vector<std::string_view> m_dictionary;
};

// Decodes every record with `read` (false for a damaged one; `keep` false for one that is
// valid but not wanted), then checks nothing is left.
template<typename Record, typename Read>
bool decodeRecords(std::string_view blob, std::vector<Record> &out, std::string &error,
                   const char *kind, Read &&read)
{
    ChunkReader reader(blob);
    std::uint64_t count = 0;
    if (!reader.start(count, error)) {
        error = std::string(kind) + " " + error;
        return false;
    }
    out.reserve(out.size() + count);
    for (std::uint64_t i = 0; i < count; ++i) {
        Record record;
        bool keep = true;
        if (!read(reader, record, keep)) {
            error = std::string(kind) + " chunk: record " + std::to_string(i + 1) + " of "
                + std::to_string(count) + " is damaged";
            return false;
        }
        if (keep)
            out.push_back(std::move(record));
    }
    if (!reader.atEnd()) {
        error = std::string(kind) + " chunk has trailing bytes";
        return false;
    }
    return true;
}

} // namespace

std::string encodeChunk(std::span<const Event *const> records, RecordChunkSummary &summary)
{
    ChunkWriter writer(records, summary);
    for (const Event *event : records) {
        summary.categories |= 1u << static_cast<unsigned>(event->category);
        writer.time(event->time);
        writer.byte(static_cast<unsigned>(event->category) << 4
                    | static_cast<unsigned>(event->severity));
        writer.repeated(event->type);
        writer.repeated(event->service);
        writer.repeated(event->entity);
        writer.repeated(event->cluster);
        writer.text(event->sourceId);
        writer.text(event->message);
        writer.text(event->traceId);
        writer.text(event->attributes);
        writer.origin(event->origin);
    }
    return writer.finish();
}

std::string encodeChunk(std::span<const LogRecord *const> records, RecordChunkSummary &summary)
{
    ChunkWriter writer(records, summary);
    for (const LogRecord *log : records) {
        writer.time(log->time);
        writer.byte(static_cast<unsigned>(log->level));
        writer.repeated(log->service);
        writer.repeated(log->entity);
        writer.text(log->message);
        writer.text(log->traceId);
        writer.text(log->spanId);
        writer.text(log->attributes);
        writer.origin(log->origin);
    }
    return writer.finish();
}

std::string encodeChunk(std::span<const Span *const> records, RecordChunkSummary &summary)
{
    ChunkWriter writer(records, summary);
    for (const Span *span : records) {
        writer.time(span->start);
        writer.signedNumber(span->end - span->start);
        writer.byte(static_cast<unsigned>(span->status));
        writer.signedNumber(span->kind);
        writer.repeated(span->name);
        writer.repeated(span->service);
        writer.repeated(span->entity);
        writer.text(span->traceId);
        writer.text(span->spanId);
        writer.text(span->parentSpanId);
        writer.text(span->attributes);
        writer.origin(span->origin);
    }
    return writer.finish();
}

bool decodeChunk(std::string_view blob, std::vector<Event> &out, std::string &error)
{
    return decodeChunk(blob, out, error, ~std::uint32_t{0});
}

bool decodeChunk(std::string_view blob, std::vector<Event> &out, std::string &error,
                 std::uint32_t categories)
{
    const auto read = [categories](ChunkReader &reader, Event &event, bool &keep) {
        std::uint8_t kinds = 0;
        if (!reader.time(event.time) || !reader.byte(kinds) || (kinds >> 4) >= kEventCategoryCount
            || (kinds & 0xf) >= kSeverityCount)
            return false;
        event.category = static_cast<EventCategory>(kinds >> 4);
        event.severity = static_cast<Severity>(kinds & 0xf);
        keep = (categories >> (kinds >> 4)) & 1U;
        if (!keep) {
            return reader.skipRepeated() && reader.skipRepeated() && reader.skipRepeated()
                && reader.skipRepeated() && reader.skipText() && reader.skipText()
                && reader.skipText() && reader.skipText() && reader.skipOrigin();
        }
        return reader.repeated(event.type) && reader.repeated(event.service)
            && reader.repeated(event.entity) && reader.repeated(event.cluster)
            && reader.text(event.sourceId) && reader.text(event.message)
            && reader.text(event.traceId) && reader.text(event.attributes)
            && reader.origin(event.origin);
    };
    return decodeRecords(blob, out, error, "event", read);
}

bool decodeChunk(std::string_view blob, std::vector<LogRecord> &out, std::string &error)
{
    return decodeRecords(blob, out, error, "log", [](ChunkReader &reader, LogRecord &log, bool &) {
        std::uint8_t level = 0;
        const bool ok = reader.time(log.time) && reader.byte(level) && reader.repeated(log.service)
            && reader.repeated(log.entity) && reader.text(log.message) && reader.text(log.traceId)
            && reader.text(log.spanId) && reader.text(log.attributes) && reader.origin(log.origin);
        if (!ok || level >= kSeverityCount)
            return false;
        log.level = static_cast<Severity>(level);
        return true;
    });
}

bool decodeChunk(std::string_view blob, std::vector<Span> &out, std::string &error)
{
    return decodeRecords(blob, out, error, "span", [](ChunkReader &reader, Span &span, bool &) {
        TimeUs duration = 0;
        std::uint8_t status = 0;
        const bool ok = reader.time(span.start) && reader.signedNumber(duration)
            && reader.byte(status) && reader.signedNumber(span.kind) && reader.repeated(span.name)
            && reader.repeated(span.service) && reader.repeated(span.entity)
            && reader.text(span.traceId) && reader.text(span.spanId)
            && reader.text(span.parentSpanId) && reader.text(span.attributes)
            && reader.origin(span.origin);
        if (!ok || status > static_cast<std::uint8_t>(SpanStatus::Error))
            return false;
        span.end = span.start + duration;
        span.status = static_cast<SpanStatus>(status);
        return true;
    });
}

} // namespace eventscope
