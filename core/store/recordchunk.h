#pragma once

#include "model/event.h"
#include "model/logrecord.h"
#include "model/span.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace eventscope {

// Events, logs and spans stored many to a row: what one commit adds, up to kMaxChunkRecords a
// chunk, in arrival order. A row per record cost the writer about 3 µs in SQLite and the WAL; a
// chunk costs one insert. Failures are not chunked: they stay rows of the events table, indexed
// by producer id, as the correlation engine looks them up one by one.
//
// Layout: varint count, zigzag varint minimum time, varint dictionary size, dictionary strings
// (varint length + bytes), then the records. Each record: its time as a varint after the
// minimum; small enums in bytes; fields that repeat across a commit's records (type, service,
// entity, cluster, topic, span name) as dictionary indexes; the rest inline (varint length +
// bytes); partition and offset as zigzag varints. Spans also keep their end time as a zigzag
// varint after the start.
constexpr std::size_t kMaxChunkRecords = 1024;

struct RecordChunkSummary
{
    std::int64_t count = 0;
    TimeUs minTime = 0;
    TimeUs maxTime = 0;
    std::uint32_t categories = 0; // events: bit (1 << EventCategory) of each category present
};

// The time a record is ordered and chunked by: an event's or log's time, a span's start.
inline TimeUs recordTime(const Event &event)
{
    return event.time;
}
inline TimeUs recordTime(const LogRecord &log)
{
    return log.time;
}
inline TimeUs recordTime(const Span &span)
{
    return span.start;
}

// `records` must not be empty and hold at most kMaxChunkRecords.
std::string encodeChunk(std::span<const Event *const> records, RecordChunkSummary &summary);
std::string encodeChunk(std::span<const LogRecord *const> records, RecordChunkSummary &summary);
std::string encodeChunk(std::span<const Span *const> records, RecordChunkSummary &summary);

// Appends the records of a chunk to `out`. Returns false, with `error` saying why, for a blob
// that is not one (a damaged capture); `out` then holds what came before the damage.
bool decodeChunk(std::string_view blob, std::vector<Event> &out, std::string &error);
// The same, appending only events whose category bit (1 << category) is in `categories`; the
// others are checked and stepped over without making their strings.
bool decodeChunk(std::string_view blob, std::vector<Event> &out, std::string &error,
                 std::uint32_t categories);
bool decodeChunk(std::string_view blob, std::vector<LogRecord> &out, std::string &error);
bool decodeChunk(std::string_view blob, std::vector<Span> &out, std::string &error);

} // namespace eventscope
