#pragma once

#include "model/event.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace eventscope {

// Events stored many to a row: what one commit adds (up to kMaxEvents), in arrival order.
// A row per event cost the writer about 3 µs in SQLite and the WAL; a chunk costs one insert.
// Failures are not chunked: they stay rows of the events table, indexed by producer id, as the
// correlation engine looks them up one by one.
//
// Layout: varint count, zigzag varint minimum time, varint dictionary size, dictionary strings
// (varint length + bytes), then per event: varint time - minimum, category and severity in one
// byte, dictionary indexes of type, service, entity, cluster and topic, inline strings (varint
// length + bytes) for source id, message, trace id and attributes, zigzag varint partition
// and offset. Low-cardinality fields repeat across a commit's events, so each is kept once.
struct EventChunkSummary
{
    std::int64_t count = 0;
    TimeUs minTime = 0;
    TimeUs maxTime = 0;
    std::uint32_t categories = 0; // bit (1 << EventCategory) of each category present
};

class EventChunkEncoder
{
public:
    static constexpr std::size_t kMaxEvents = 4096;

    // `events` must not be empty and hold at most kMaxEvents.
    static std::string encode(std::span<const Event *const> events, EventChunkSummary &summary);
};

// Decodes a chunk written by EventChunkEncoder. Returns false, with `error` saying why, for a
// blob that is not one (a damaged capture); `out` then holds what came before the damage.
bool decodeEventChunk(std::string_view blob, std::vector<Event> &out, std::string &error);

} // namespace eventscope
