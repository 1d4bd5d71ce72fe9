#pragma once

#include "model/event.h"
#include "store/queries.h"
#include "store/sqlite.h"

#include <cstdint>
#include <optional>
#include <queue>
#include <tuple>
#include <vector>

namespace eventscope {

// Whether an event passes an EventQuery's filters (range, categories, severity, service,
// entity, type, and text as a case-insensitive substring of message, type, entity or service,
// as SQL LIKE matches ASCII), for events read from chunks rather than through SQL.
bool matchesEventQuery(const EventQuery &query, const Event &event);

// The events of event_chunks that match a query, in time order (newest first when the query
// asks), ties in storage order. Chunks are read as the order reaches them: a chunk's events
// are queued once no earlier chunk can hold an earlier event, so memory holds the chunks
// whose time spans overlap the current position, not the whole result.
class EventChunkStream
{
public:
    EventChunkStream(sqlite::Connection &connection, const EventQuery &query);

    // The next event in order, or nullptr when there are none; valid until pop(). Throws
    // sqlite::Error for a chunk that does not decode (a damaged capture).
    const Event *peek();
    // Takes the event peek() returned; only after a peek() that returned one.
    Event pop();

private:
    struct Queued
    {
        Event event;
        std::int64_t chunk = 0;
        std::uint32_t position = 0;
    };
    struct Later
    {
        bool newestFirst = false;
        // True when a comes after b in the stream's order (std::priority_queue keeps the
        // greatest on top, so the order is inverted).
        bool operator()(const Queued &a, const Queued &b) const
        {
            const auto key
                = [](const Queued &q) { return std::tuple(q.event.time, q.chunk, q.position); };
            return newestFirst ? key(a) < key(b) : key(b) < key(a);
        }
    };

    void advance();
    void loadNextChunk();
    bool nextChunkMayPrecede(const Queued &top) const;

    const EventQuery m_query;
    sqlite::Statement m_chunks;
    // The next chunk's bound: min_time reading forward, max_time newest first.
    std::optional<TimeUs> m_nextBound;
    std::priority_queue<Queued, std::vector<Queued>, Later> m_queue;
    std::vector<Event> m_decoded;
};

} // namespace eventscope
