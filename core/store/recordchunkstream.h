#pragma once

#include "model/event.h"
#include "store/queries.h"
#include "store/recordchunk.h"
#include "store/sqlite.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <queue>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

namespace eventscope {

// Whether a record passes a query's filters, for records read from chunks rather than through
// SQL: the range, categories, severity, service, entity, type, trace id, and text as a
// case-insensitive substring (SQL LIKE matches ASCII letters so).
bool matchesQuery(const EventQuery &query, const Event &event);
bool matchesQuery(const LogQuery &query, const LogRecord &log);
bool matchesQuery(const SpanQuery &query, const Span &span);

// The records of one chunk table that match a query, in time order (newest first when asked),
// ties in storage order. Chunks are read as the order reaches them: a chunk's records are
// queued once no earlier chunk can hold an earlier one, so memory holds the chunks whose time
// spans overlap the current position, not the whole result.
template<typename Record> class RecordChunkStream
{
public:
    using Matches = std::function<bool(const Record &)>;

    // `table` is event_chunks, log_chunks or span_chunks; `categories`, when not all, keeps
    // only event chunks holding one of them.
    RecordChunkStream(sqlite::Connection &connection, const char *table, TimeRange range,
                      bool newestFirst, Matches matches,
                      std::uint32_t categories = EventQuery::kAllCategories)
        : m_newestFirst(newestFirst)
        , m_categories(categories)
        , m_matches(std::move(matches))
        , m_queue(Later{newestFirst})
    {
        // The chunks in order first, their data by id after: ordering rows that carry their
        // blobs makes SQLite copy every blob of the range into its sorter before the first
        // record comes out.
        std::string sql = std::string("SELECT id, min_time, max_time FROM ") + table
            + " WHERE max_time >= ?1 AND min_time < ?2";
        const bool someCategories
            = (categories & EventQuery::kAllCategories) != EventQuery::kAllCategories;
        if (someCategories)
            sql += " AND (categories & ?3) != 0";
        sql += newestFirst ? " ORDER BY max_time DESC, id DESC" : " ORDER BY min_time, id";
        m_chunks = connection.prepare(sql);
        m_data = connection.prepare(std::string("SELECT data FROM ") + table + " WHERE id = ?1");
        m_chunks.bind(1, range.begin).bind(2, range.end);
        if (someCategories)
            m_chunks.bind(3, static_cast<std::int64_t>(categories));
        advance();
    }

    // The next record in order, or nullptr when there are none; valid until pop(). Throws
    // sqlite::Error for a chunk that does not decode (a damaged capture).
    const Record *peek()
    {
        while (m_nextBound && (m_queue.empty() || nextChunkMayPrecede(m_queue.top())))
            loadNextChunk();
        return m_queue.empty() ? nullptr : &m_queue.top().record;
    }

    // Takes the record peek() returned; only after a peek() that returned one.
    Record pop()
    {
        // The ordering reads only time, chunk and position, which moving leaves intact.
        Record record = std::move(const_cast<Queued &>(m_queue.top()).record);
        m_queue.pop();
        return record;
    }

private:
    struct Queued
    {
        Record record;
        TimeUs time = 0;
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
                = [](const Queued &q) { return std::tuple(q.time, q.chunk, q.position); };
            return newestFirst ? key(a) < key(b) : key(b) < key(a);
        }
    };

    void advance()
    {
        if (m_chunks.step())
            m_nextBound = m_chunks.columnInt(m_newestFirst ? 2 : 1);
        else
            m_nextBound.reset();
    }

    void loadNextChunk()
    {
        const std::int64_t chunk = m_chunks.columnInt(0);
        m_decoded.clear();
        std::string error;
        bool decoded = false;
        m_data.reset();
        m_data.bind(1, chunk);
        if (!m_data.step()) // read in the same transaction as the list: it is there
            throw sqlite::Error(SQLITE_CORRUPT, "chunk " + std::to_string(chunk) + " vanished");
        if constexpr (std::is_same_v<Record, Event>)
            decoded = decodeChunk(m_data.columnBlob(0), m_decoded, error, m_categories);
        else
            decoded = decodeChunk(m_data.columnBlob(0), m_decoded, error);
        if (!decoded)
            throw sqlite::Error(SQLITE_CORRUPT, error + " (chunk " + std::to_string(chunk) + ")");
        for (std::size_t i = 0; i < m_decoded.size(); ++i) {
            if (m_matches(m_decoded[i])) {
                const TimeUs time = recordTime(m_decoded[i]);
                m_queue.push({std::move(m_decoded[i]), time, chunk, static_cast<std::uint32_t>(i)});
            }
        }
        advance();
    }

    bool nextChunkMayPrecede(const Queued &top) const
    {
        return m_newestFirst ? *m_nextBound >= top.time : *m_nextBound <= top.time;
    }

    bool m_newestFirst;
    std::uint32_t m_categories; // events of other categories are not even decoded
    Matches m_matches;
    sqlite::Statement m_chunks; // ids and bounds, in order
    sqlite::Statement m_data; // one chunk's data by id
    // The next chunk's bound: min_time reading forward, max_time newest first.
    std::optional<TimeUs> m_nextBound;
    std::priority_queue<Queued, std::vector<Queued>, Later> m_queue;
    std::vector<Record> m_decoded;
};

} // namespace eventscope
