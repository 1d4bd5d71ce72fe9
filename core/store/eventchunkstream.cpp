#include "store/eventchunkstream.h"

#include "store/eventchunk.h"

#include <algorithm>
#include <string>
#include <string_view>

namespace eventscope {

namespace {

char asciiLower(char c)
{
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool containsIgnoringCase(std::string_view text, std::string_view loweredNeedle)
{
    if (loweredNeedle.empty())
        return true;
    return std::search(text.begin(), text.end(), loweredNeedle.begin(), loweredNeedle.end(),
                       [](char a, char b) { return asciiLower(a) == b; })
        != text.end();
}

} // namespace

bool matchesEventQuery(const EventQuery &query, const Event &event)
{
    if (!query.range.contains(event.time))
        return false;
    if (!(query.categories & EventQuery::categoryBit(event.category)))
        return false;
    if (event.severity < query.minSeverity)
        return false;
    if ((!query.service.empty() && event.service != query.service)
        || (!query.entity.empty() && event.entity != query.entity)
        || (!query.type.empty() && event.type != query.type))
        return false;
    if (!query.text.empty()) {
        std::string needle(query.text);
        std::transform(needle.begin(), needle.end(), needle.begin(), asciiLower);
        return containsIgnoringCase(event.message, needle)
            || containsIgnoringCase(event.type, needle)
            || containsIgnoringCase(event.entity, needle)
            || containsIgnoringCase(event.service, needle);
    }
    return true;
}

EventChunkStream::EventChunkStream(sqlite::Connection &connection, const EventQuery &query)
    : m_query(query)
    , m_queue(Later{query.newestFirst})
{
    std::string sql = "SELECT id, min_time, max_time, data FROM event_chunks "
                      "WHERE max_time >= ?1 AND min_time < ?2";
    if ((query.categories & EventQuery::kAllCategories) != EventQuery::kAllCategories)
        sql += " AND (categories & ?3) != 0";
    sql += query.newestFirst ? " ORDER BY max_time DESC, id DESC" : " ORDER BY min_time, id";
    m_chunks = connection.prepare(sql);
    m_chunks.bind(1, query.range.begin).bind(2, query.range.end);
    if ((query.categories & EventQuery::kAllCategories) != EventQuery::kAllCategories)
        m_chunks.bind(3, static_cast<std::int64_t>(query.categories));
    advance();
}

void EventChunkStream::advance()
{
    if (m_chunks.step())
        m_nextBound = m_chunks.columnInt(m_query.newestFirst ? 2 : 1);
    else
        m_nextBound.reset();
}

void EventChunkStream::loadNextChunk()
{
    const std::int64_t chunk = m_chunks.columnInt(0);
    m_decoded.clear();
    std::string error;
    if (!decodeEventChunk(m_chunks.columnBlob(3), m_decoded, error))
        throw sqlite::Error(SQLITE_CORRUPT, "event chunk " + std::to_string(chunk) + ": " + error);
    for (std::size_t i = 0; i < m_decoded.size(); ++i) {
        if (matchesEventQuery(m_query, m_decoded[i]))
            m_queue.push({std::move(m_decoded[i]), chunk, static_cast<std::uint32_t>(i)});
    }
    advance();
}

bool EventChunkStream::nextChunkMayPrecede(const Queued &top) const
{
    return m_query.newestFirst ? *m_nextBound >= top.event.time : *m_nextBound <= top.event.time;
}

const Event *EventChunkStream::peek()
{
    while (m_nextBound && (m_queue.empty() || nextChunkMayPrecede(m_queue.top())))
        loadNextChunk();
    return m_queue.empty() ? nullptr : &m_queue.top().event;
}

Event EventChunkStream::pop()
{
    // The ordering reads only time, chunk and position, which moving the event leaves intact.
    Event event = std::move(const_cast<Queued &>(m_queue.top()).event);
    m_queue.pop();
    return event;
}

} // namespace eventscope
