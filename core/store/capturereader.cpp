#include "store/capturereader.h"

#include "store/alertoutbox.h"

#include "store/captureschema.h"
#include "store/failureindex.h"
#include "store/recordchunkstream.h"
#include "store/samplechunk.h"

#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <variant>

namespace eventscope {

namespace {

std::string describeSqliteError(const std::string &path, const char *what, const sqlite::Error &e)
{
    std::string message = path + ": " + what + ": " + e.what();
    const int primary = e.code() & 0xff;
    if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
        message += " (the capture file is damaged)";
    return message;
}

constexpr const char *kEventColumns
    = "source_id, time, type, category, severity, service, entity, cluster, message, trace_id, "
      "attributes, topic, partition, offset";

double columnValue(const sqlite::Statement &statement, int column)
{
    // SQLite stores NaN as NULL.
    return statement.columnIsNull(column) ? std::numeric_limits<double>::quiet_NaN()
                                          : statement.columnDouble(column);
}

Origin readOrigin(const sqlite::Statement &statement, int first)
{
    Origin origin;
    if (!statement.columnIsNull(first)) {
        origin.topic = statement.columnString(first);
        origin.partition = static_cast<std::int32_t>(statement.columnInt(first + 1));
        origin.offset = statement.columnInt(first + 2);
    }
    return origin;
}

std::string attributesOrEmpty(const sqlite::Statement &statement, int column)
{
    std::string text = statement.columnString(column);
    if (text == "{}")
        text.clear();
    return text;
}

// The event columns (kEventColumns) starting at column `first`.
Event readEvent(const sqlite::Statement &statement, int first = 0)
{
    Event event;
    event.sourceId = statement.columnString(first);
    event.time = statement.columnInt(first + 1);
    event.type = statement.columnString(first + 2);
    event.category = static_cast<EventCategory>(
        std::clamp<std::int64_t>(statement.columnInt(first + 3), 0, kEventCategoryCount - 1));
    event.severity = static_cast<Severity>(
        std::clamp<std::int64_t>(statement.columnInt(first + 4), 0, kSeverityCount - 1));
    event.service = statement.columnString(first + 5);
    event.entity = statement.columnString(first + 6);
    event.cluster = statement.columnString(first + 7);
    event.message = statement.columnString(first + 8);
    event.traceId = statement.columnString(first + 9);
    event.attributes = attributesOrEmpty(statement, first + 10);
    event.origin = readOrigin(statement, first + 11);
    return event;
}

LogRecord readLog(const sqlite::Statement &statement)
{
    LogRecord log;
    log.time = statement.columnInt(0);
    log.level = static_cast<Severity>(
        std::clamp<std::int64_t>(statement.columnInt(1), 0, kSeverityCount - 1));
    log.service = statement.columnString(2);
    log.entity = statement.columnString(3);
    log.message = statement.columnString(4);
    log.traceId = statement.columnString(5);
    log.spanId = statement.columnString(6);
    log.attributes = attributesOrEmpty(statement, 7);
    log.origin = readOrigin(statement, 8);
    return log;
}

Span readSpan(const sqlite::Statement &statement)
{
    Span span;
    span.traceId = statement.columnString(0);
    span.spanId = statement.columnString(1);
    span.parentSpanId = statement.columnString(2);
    span.name = statement.columnString(3);
    span.service = statement.columnString(4);
    span.entity = statement.columnString(5);
    span.kind = static_cast<std::int32_t>(statement.columnInt(6));
    span.start = statement.columnInt(7);
    span.end = statement.columnInt(8);
    span.status = static_cast<SpanStatus>(std::clamp<std::int64_t>(statement.columnInt(9), 0, 2));
    span.attributes = attributesOrEmpty(statement, 10);
    span.origin = readOrigin(statement, 11);
    return span;
}

std::string likePattern(const std::string &text)
{
    std::string pattern = "%";
    for (const char c : text) {
        if (c == '%' || c == '_' || c == '\\')
            pattern += '\\';
        pattern += c;
    }
    pattern += '%';
    return pattern;
}

// Builds "WHERE a AND b ..." with positional parameters bound afterwards in the same order.
class WhereClause
{
public:
    void add(const std::string &condition,
             std::vector<std::variant<std::int64_t, std::string>> values = {})
    {
        m_sql += m_sql.empty() ? " WHERE " : " AND ";
        m_sql += condition;
        for (auto &value : values)
            m_values.push_back(std::move(value));
    }
    const std::string &sql() const { return m_sql; }
    void bind(sqlite::Statement &statement) const
    {
        int index = 1;
        for (const auto &value : m_values) {
            if (const auto *number = std::get_if<std::int64_t>(&value))
                statement.bind(index++, *number);
            else
                statement.bind(index++, std::get<std::string>(value));
        }
    }

private:
    std::string m_sql;
    std::vector<std::variant<std::int64_t, std::string>> m_values;
};

void addRange(WhereClause &where, const char *column, const TimeRange &range)
{
    if (range.begin != std::numeric_limits<TimeUs>::min())
        where.add(std::string(column) + " >= ?", {range.begin});
    if (range.end != std::numeric_limits<TimeUs>::max())
        where.add(std::string(column) + " < ?", {range.end});
}

std::string limitClause(std::size_t limit)
{
    return limit > 0 ? " LIMIT " + std::to_string(limit) : std::string();
}

std::vector<Label> parseLabels(std::string_view json)
{
    std::vector<Label> labels;
    simdjson::dom::parser parser;
    simdjson::padded_string padded(json);
    simdjson::dom::object object;
    if (parser.parse(padded).get(object) != simdjson::SUCCESS)
        return labels;
    for (auto field : object) {
        std::string_view value;
        if (field.value.get(value) == simdjson::SUCCESS)
            labels.emplace_back(std::string(field.key), std::string(value));
    }
    return labels;
}

// Accumulates one LOD bucket with the tie rules of samples(): among equal times the earlier
// chunk (lower row id) and, within a chunk, the earlier sample counts as first.
struct BucketAccumulator
{
    LodBucket bucket{0, 0, kNaN, kNaN, kNaN, kNaN, 0, 0};
    std::int64_t firstChunk = 0;
    std::int64_t lastChunk = 0;
    bool hasValue = false;

    static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

    void addValueRange(double low, double high)
    {
        if (std::isnan(low))
            return;
        if (!hasValue || low < bucket.min)
            bucket.min = low;
        if (!hasValue || high > bucket.max)
            bucket.max = high;
        hasValue = true;
    }
    void addFirst(TimeUs time, double value, std::int64_t chunk)
    {
        if (bucket.count == 0 || time < bucket.firstTime
            || (time == bucket.firstTime && chunk < firstChunk)) {
            bucket.firstTime = time;
            bucket.first = value;
            firstChunk = chunk;
        }
    }
    void addLast(TimeUs time, double value, std::int64_t chunk)
    {
        if (bucket.count == 0 || time > bucket.lastTime
            || (time == bucket.lastTime && chunk >= lastChunk)) {
            bucket.lastTime = time;
            bucket.last = value;
            lastChunk = chunk;
        }
    }
};

// Runs a forEach* query into a vector.
template<typename T, typename ForEach> Result<std::vector<T>> collectAll(ForEach &&forEach)
{
    std::vector<T> out;
    const std::function<bool(T &&)> append = [&out](T &&item) {
        out.push_back(std::move(item));
        return true;
    };
    if (Status status = forEach(append); !status)
        return Result<std::vector<T>>::failure(status.error());
    return out;
}

// Visits the rows of a query (ordered by SQL) and the records of its chunks merged in time
// order; at equal times rows come first (last, newest first). Stops after `limit` records (0:
// no limit) or when `visit` returns false.
template<typename Record, typename ReadRow>
void mergeRowsAndChunks(sqlite::Statement &rows, ReadRow &&readRow,
                        std::optional<RecordChunkStream<Record>> &chunks, bool newestFirst,
                        std::size_t limit, const std::function<bool(Record &&)> &visit)
{
    std::optional<Record> row;
    if (rows.step())
        row = readRow(rows);
    for (std::size_t emitted = 0; limit == 0 || emitted < limit; ++emitted) {
        const Record *chunked = chunks ? chunks->peek() : nullptr;
        if (!row && !chunked)
            break;
        const bool takeRow = row
            && (!chunked
                || (newestFirst ? recordTime(*row) > recordTime(*chunked)
                                : recordTime(*row) <= recordTime(*chunked)));
        Record next = takeRow ? std::move(*row) : chunks->pop();
        if (takeRow) {
            row.reset();
            if (rows.step())
                row = readRow(rows);
        }
        if (!visit(std::move(next)))
            break;
    }
}

bool hasTable(const sqlite::Connection &connection, const char *name)
{
    auto statement = connection.prepare(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1");
    statement.bind(1, std::string_view(name));
    return statement.step() && statement.columnInt(0) > 0;
}

} // namespace

Result<std::unique_ptr<CaptureReader>> CaptureReader::open(const std::string &path)
{
    if (Status valid = capture::validateFile(path); !valid)
        return Result<std::unique_ptr<CaptureReader>>::failure(valid.error());
    try {
        // Read-write when allowed, so that closing the last connection removes the -wal and
        // -shm files SQLite makes beside the capture; query_only keeps it from writing.
        sqlite::Connection connection;
        try {
            connection = sqlite::Connection(path, sqlite::Connection::Mode::ReadWrite);
        } catch (const sqlite::Error &) {
            connection = sqlite::Connection(path, sqlite::Connection::Mode::ReadOnly);
        }
        connection.execute("PRAGMA query_only=1");
        capture::configureReader(connection);
        // Touch the schema now so a damaged file fails here, not in the first query.
        connection.queryInt("SELECT count(*) FROM meta");
        return std::unique_ptr<CaptureReader>(new CaptureReader(path, std::move(connection)));
    } catch (const sqlite::Error &e) {
        return Result<std::unique_ptr<CaptureReader>>::failure(
            describeSqliteError(path, "cannot read capture", e));
    }
}

CaptureReader::CaptureReader(std::string path, sqlite::Connection connection)
    : m_path(std::move(path))
    , m_connection(std::move(connection))
    , m_hasEventChunks(hasTable(m_connection, "event_chunks"))
    , m_hasLogAndSpanChunks(hasTable(m_connection, "log_chunks"))
    , m_hasFailureIndex(hasTable(m_connection, "event_chunk_failures"))
    , m_hasTopology(hasTable(m_connection, "topology"))
{ }

CaptureReader::~CaptureReader() = default;

template<typename T, typename F> Result<T> CaptureReader::guarded(const char *what, F &&function)
{
    try {
        return Result<T>(function());
    } catch (const sqlite::Error &e) {
        return Result<T>::failure(
            describeSqliteError(m_path, (std::string(what) + " failed").c_str(), e));
    }
}

template<typename F> Status CaptureReader::guardedStatus(const char *what, F &&function)
{
    Result<bool> result = guarded<bool>(what, [&] {
        function();
        return true;
    });
    return result ? Status() : Status::failure(result.error());
}

Result<CaptureInfo> CaptureReader::info()
{
    return guarded<CaptureInfo>("reading capture info", [&] {
        CaptureInfo info;
        info.path = m_path;
        auto meta = m_connection.prepare("SELECT key, value FROM meta");
        while (meta.step())
            info.meta[meta.columnString(0)] = meta.columnString(1);
        info.schemaVersion = static_cast<int>(m_connection.queryInt("PRAGMA user_version"));
        info.events = m_connection.queryInt("SELECT count(*) FROM events");
        if (m_hasEventChunks)
            info.events
                += m_connection.queryInt("SELECT coalesce(sum(count), 0) FROM event_chunks");
        info.series = m_connection.queryInt("SELECT count(*) FROM series");
        info.samples = m_connection.queryInt("SELECT coalesce(sum(count), 0) FROM all_chunks");
        info.sampleChunks = m_connection.queryInt("SELECT count(*) FROM all_chunks");
        info.logs = m_connection.queryInt("SELECT count(*) FROM logs");
        info.spans = m_connection.queryInt("SELECT count(*) FROM spans");
        if (m_hasLogAndSpanChunks) {
            info.logs += m_connection.queryInt("SELECT coalesce(sum(count), 0) FROM log_chunks");
            info.spans += m_connection.queryInt("SELECT coalesce(sum(count), 0) FROM span_chunks");
        }
        info.deadLetters = m_connection.queryInt("SELECT count(*) FROM dead_letters");
        if (m_hasTopology)
            info.topologyEdges = m_connection.queryInt("SELECT count(*) FROM topology");
        auto span = m_connection.prepare(
            std::string("SELECT min(lo), max(hi) FROM ("
                        "SELECT min(time) AS lo, max(time) AS hi FROM events UNION ALL ")
            + (m_hasEventChunks ? "SELECT min(min_time), max(max_time) FROM event_chunks UNION ALL "
                                : "")
            + (m_hasLogAndSpanChunks
                   ? "SELECT min(min_time), max(max_time) FROM log_chunks UNION ALL "
                     "SELECT min(min_time), max(max_time) FROM span_chunks UNION ALL "
                   : "")
            + "SELECT min(min_time), max(max_time) FROM all_chunks UNION ALL "
              "SELECT min(time), max(time) FROM logs UNION ALL "
              "SELECT min(start_time), max(start_time) FROM spans)");
        if (span.step() && !span.columnIsNull(0))
            info.span = {span.columnInt(0), span.columnInt(1) + 1};
        std::error_code error;
        info.fileBytes = static_cast<std::int64_t>(std::filesystem::file_size(m_path, error));
        return info;
    });
}

Result<std::optional<SavedView>> CaptureReader::savedView(const std::string &name)
{
    return guarded<std::optional<SavedView>>("reading the saved view", [&] {
        std::optional<SavedView> view;
        if (!hasTable(m_connection, "views"))
            return view;
        auto select = m_connection.prepare(
            "SELECT saved_at, saved_by, notes, state FROM views WHERE name = ?1");
        select.bind(1, std::string_view(name));
        if (select.step()) {
            view.emplace();
            view->name = name;
            view->savedAt = select.columnInt(0);
            view->savedBy = select.columnString(1);
            view->notes = select.columnString(2);
            view->state = select.columnString(3);
        }
        return view;
    });
}

Result<std::vector<AlertDelivery>> CaptureReader::alertDeliveries(bool undeliveredOnly)
{
    return guarded<std::vector<AlertDelivery>>("reading the alert deliveries", [&] {
        return capture::selectDeliveries(m_connection,
                                         undeliveredOnly ? "WHERE state != 'delivered'" : "");
    });
}

Result<std::vector<Event>> CaptureReader::events(const EventQuery &query)
{
    return collectAll<Event>([&](const auto &visit) { return forEachEvent(query, visit); });
}

Status CaptureReader::forEachEvent(const EventQuery &query,
                                   const std::function<bool(Event &&)> &visit)
{
    return guardedStatus("reading events", [&] {
        WhereClause where;
        addRange(where, "time", query.range);
        if ((query.categories & EventQuery::kAllCategories) != EventQuery::kAllCategories) {
            std::string list;
            for (int i = 0; i < kEventCategoryCount; ++i) {
                if (query.categories & (1u << i))
                    list += (list.empty() ? "" : ",") + std::to_string(i);
            }
            where.add("category IN (" + (list.empty() ? std::string("-1") : list) + ")");
        }
        if (query.minSeverity != Severity::Debug)
            where.add("severity >= ?", {static_cast<std::int64_t>(query.minSeverity)});
        if (!query.service.empty())
            where.add("service = ?", {query.service});
        if (!query.entity.empty())
            where.add("entity = ?", {query.entity});
        if (!query.type.empty())
            where.add("type = ?", {query.type});
        if (!query.text.empty()) {
            const std::string pattern = likePattern(query.text);
            where.add("(message LIKE ? ESCAPE '\\' OR type LIKE ? ESCAPE '\\' OR entity LIKE ? "
                      "ESCAPE '\\' OR service LIKE ? ESCAPE '\\')",
                      {pattern, pattern, pattern, pattern});
        }
        auto statement = m_connection.prepare(
            std::string("SELECT ") + kEventColumns + " FROM events" + where.sql()
            + " ORDER BY time " + (query.newestFirst ? "DESC, id DESC" : "ASC, id ASC")
            + limitClause(query.limit));
        where.bind(statement);
        // Rows (failures, and every event of captures before schema version 3) and chunks.
        std::optional<RecordChunkStream<Event>> chunks;
        if (m_hasEventChunks)
            chunks.emplace(
                m_connection, "event_chunks", query.range, query.newestFirst,
                [&query](const Event &event) { return matchesQuery(query, event); },
                query.categories);
        mergeRowsAndChunks(
            statement, [](const sqlite::Statement &row) { return readEvent(row); }, chunks,
            query.newestFirst, query.limit, visit);
    });
}

Status CaptureReader::forEachEventCommittedAfter(EventCursor &cursor,
                                                 const std::function<void(Event &&)> &visit)
{
    return guardedStatus("reading new events", [&] {
        auto rows = m_connection.prepare(std::string("SELECT id, ") + kEventColumns
                                         + " FROM events WHERE id > ?1 ORDER BY id");
        rows.bind(1, cursor.lastRow);
        while (rows.step()) {
            cursor.lastRow = rows.columnInt(0);
            visit(readEvent(rows, 1));
        }
        if (!m_hasEventChunks)
            return;
        auto chunks
            = m_connection.prepare("SELECT id, data FROM event_chunks WHERE id > ?1 ORDER BY id");
        chunks.bind(1, cursor.lastChunk);
        std::vector<Event> decoded;
        while (chunks.step()) {
            const std::int64_t id = chunks.columnInt(0);
            decoded.clear();
            std::string error;
            if (!decodeChunk(chunks.columnBlob(1), decoded, error))
                throw sqlite::Error(SQLITE_CORRUPT,
                                    error + " (event chunk " + std::to_string(id) + ")");
            for (Event &event : decoded)
                visit(std::move(event));
            cursor.lastChunk = id;
        }
    });
}

Result<std::optional<Event>> CaptureReader::eventBySourceId(const std::string &sourceId)
{
    static_assert(static_cast<int>(EventCategory::Failure) == 2, "failures_by_source_id index");
    return guarded<std::optional<Event>>("looking up an event", [&]() -> std::optional<Event> {
        // Failures through their indexes first: rows (captures before schema version 5) and
        // chunks, the earliest of both. Any other event by a scan of the rows and the chunks.
        std::optional<Event> found;
        auto statement = m_connection.prepare(std::string("SELECT ") + kEventColumns
                                              + " FROM events WHERE source_id = ?1 AND category "
                                                "= 2 ORDER BY time, id LIMIT 1");
        statement.bind(1, sourceId);
        if (statement.step())
            found = readEvent(statement);
        if (m_hasFailureIndex) {
            const std::uint64_t hash = failureindex::sourceIdHash(sourceId);
            std::vector<std::int64_t> candidates;
            auto lists = m_connection.prepare(
                "SELECT chunk_id, source_id_hashes FROM event_chunk_failures");
            while (lists.step()) {
                if (failureindex::contains(lists.columnBlob(1), hash))
                    candidates.push_back(lists.columnInt(0));
            }
            auto chunk = m_connection.prepare("SELECT data FROM event_chunks WHERE id = ?1");
            std::vector<Event> events;
            for (const std::int64_t id : candidates) {
                chunk.bind(1, id);
                if (chunk.step()) {
                    events.clear();
                    std::string error;
                    if (!decodeChunk(chunk.columnBlob(0), events, error,
                                     EventQuery::categoryBit(EventCategory::Failure)))
                        throw sqlite::Error(SQLITE_CORRUPT,
                                            "event chunk " + std::to_string(id)
                                                + " does not decode: " + error);
                    for (Event &event : events) {
                        if (event.sourceId == sourceId && event.category == EventCategory::Failure
                            && (!found || event.time < found->time))
                            found = std::move(event);
                    }
                }
                chunk.reset();
            }
        }
        if (found)
            return found;
        statement = m_connection.prepare(std::string("SELECT ") + kEventColumns
                                         + " FROM events WHERE source_id = ?1 ORDER BY time, id "
                                           "LIMIT 1");
        statement.bind(1, sourceId);
        if (statement.step())
            found = readEvent(statement);
        if (m_hasEventChunks) {
            // Only matches are queued; the first in time order is the earliest. A row wins a tie.
            RecordChunkStream<Event> chunks(
                m_connection, "event_chunks", TimeRange::all(), false,
                [&sourceId](const Event &event) { return event.sourceId == sourceId; });
            if (const Event *event = chunks.peek(); event && (!found || event->time < found->time))
                found = chunks.pop();
        }
        return found;
    });
}

Result<std::vector<SeriesInfo>> CaptureReader::series()
{
    return guarded<std::vector<SeriesInfo>>("listing series", [&] {
        auto statement = m_connection.prepare(
            "SELECT s.id, s.name, s.labels, s.unit, coalesce(sum(c.count), 0), min(c.min_time), "
            "max(c.max_time) FROM series s LEFT JOIN all_chunks c ON c.series_id = s.id "
            "GROUP BY s.id ORDER BY s.key");
        std::vector<SeriesInfo> out;
        while (statement.step()) {
            SeriesInfo info;
            info.id = statement.columnInt(0);
            info.key = SeriesKey(statement.columnString(1), parseLabels(statement.columnText(2)));
            info.unit = statement.columnString(3);
            info.sampleCount = statement.columnInt(4);
            info.firstTime = statement.columnInt(5);
            info.lastTime = statement.columnInt(6);
            out.push_back(std::move(info));
        }
        return out;
    });
}

Result<std::optional<SeriesInfo>> CaptureReader::seriesByKey(const SeriesKey &key)
{
    return guarded<std::optional<SeriesInfo>>(
        "looking up a series", [&]() -> std::optional<SeriesInfo> {
            auto statement = m_connection.prepare(
                "SELECT s.id, s.unit, coalesce(sum(c.count), 0), min(c.min_time), max(c.max_time) "
                "FROM series s LEFT JOIN all_chunks c ON c.series_id = s.id WHERE s.key = ?1 GROUP "
                "BY s.id");
            const std::string canonical = key.canonical();
            statement.bind(1, canonical);
            if (!statement.step())
                return std::nullopt;
            SeriesInfo info;
            info.id = statement.columnInt(0);
            info.key = key;
            info.unit = statement.columnString(1);
            info.sampleCount = statement.columnInt(2);
            info.firstTime = statement.columnInt(3);
            info.lastTime = statement.columnInt(4);
            return info;
        });
}

Result<std::vector<Sample>> CaptureReader::samples(std::int64_t seriesId, TimeRange range)
{
    return guarded<std::vector<Sample>>("reading samples", [&] {
        auto statement = m_connection.prepare(
            "SELECT data, min_time, max_time FROM all_chunks "
            "WHERE series_id = ?1 AND max_time >= ?2 AND min_time < ?3 ORDER BY id");
        statement.bind(1, seriesId).bind(2, range.begin).bind(3, range.end);
        std::vector<Sample> out;
        std::vector<Sample> decoded;
        bool sorted = true;
        while (statement.step()) {
            decoded.clear();
            if (!decodeChunk(statement.columnBlob(0), decoded))
                throw sqlite::Error(SQLITE_CORRUPT,
                                    "sample chunk of series " + std::to_string(seriesId)
                                        + " does not decode");
            for (const Sample &sample : decoded) {
                if (!range.contains(sample.time))
                    continue;
                if (!out.empty() && sample.time < out.back().time)
                    sorted = false;
                out.push_back(sample);
            }
        }
        if (!sorted)
            std::stable_sort(out.begin(), out.end(),
                             [](const Sample &a, const Sample &b) { return a.time < b.time; });
        return out;
    });
}

Result<std::vector<LodBucket>> CaptureReader::levelOfDetail(std::int64_t seriesId, TimeRange range,
                                                            int bucketCount)
{
    if (bucketCount <= 0 || range.isEmpty())
        return std::vector<LodBucket>{};
    if (range.begin == std::numeric_limits<TimeUs>::min()
        || range.end == std::numeric_limits<TimeUs>::max())
        return Result<std::vector<LodBucket>>::failure(
            "level of detail needs a bounded time range (the series' span, or the visible range)");
    return guarded<std::vector<LodBucket>>("reading level of detail", [&] {
        const TimeUs duration = range.end - range.begin;
        const TimeUs width = std::max<TimeUs>(1, (duration + bucketCount - 1) / bucketCount);
        std::vector<BucketAccumulator> buckets(static_cast<std::size_t>(bucketCount));
        for (int i = 0; i < bucketCount; ++i)
            buckets[static_cast<std::size_t>(i)].bucket.begin = range.begin + width * i;
        const auto bucketOf
            = [&](TimeUs t) { return static_cast<std::size_t>((t - range.begin) / width); };

        // Pass 1: chunk summaries straight from the covering indexes.
        struct ChunkRef
        {
            std::int64_t id;
            bool recent;
        };
        std::vector<ChunkRef> toDecode;
        for (const bool recent : {false, true}) {
            auto summaries = m_connection.prepare(
                recent ? "SELECT id, min_time, max_time, count, min_value, max_value, first_value, "
                         "last_value "
                         "FROM recent_chunks INDEXED BY recent_chunks_by_series "
                         "WHERE series_id = ?1 AND max_time >= ?2 AND min_time < ?3"
                       : "SELECT id, min_time, max_time, count, min_value, max_value, first_value, "
                         "last_value "
                         "FROM sample_chunks INDEXED BY sample_chunks_by_series "
                         "WHERE series_id = ?1 AND max_time >= ?2 AND min_time < ?3");
            summaries.bind(1, seriesId).bind(2, range.begin).bind(3, range.end);
            while (summaries.step()) {
                const std::int64_t chunk = summaries.columnInt(0);
                const TimeUs minTime = summaries.columnInt(1);
                const TimeUs maxTime = summaries.columnInt(2);
                if (minTime < range.begin || maxTime >= range.end
                    || bucketOf(minTime) != bucketOf(maxTime)) {
                    toDecode.push_back({chunk, recent});
                    continue;
                }
                BucketAccumulator &b = buckets[bucketOf(minTime)];
                b.addValueRange(columnValue(summaries, 4), columnValue(summaries, 5));
                b.addFirst(minTime, columnValue(summaries, 6), chunk);
                b.addLast(maxTime, columnValue(summaries, 7), chunk);
                b.bucket.count += summaries.columnInt(3);
            }
        }

        // Pass 2: decode the chunks that straddle bucket boundaries or the range ends.
        if (!toDecode.empty()) {
            auto fullBlob = m_connection.prepare("SELECT data FROM sample_chunks WHERE id = ?1");
            auto recentBlob = m_connection.prepare("SELECT data FROM recent_chunks WHERE id = ?1");
            for (const ChunkRef &ref : toDecode) {
                const std::int64_t chunk = ref.id;
                sqlite::Statement &blob = ref.recent ? recentBlob : fullBlob;
                blob.bind(1, chunk);
                if (!blob.step())
                    continue;
                const bool ok = forEachBucketSegment(
                    blob.columnBlob(0), range, width, [&](const BucketSegment &segment) {
                        BucketAccumulator &b = buckets[segment.bucket];
                        b.addValueRange(segment.min, segment.max);
                        b.addFirst(segment.firstTime, segment.first, chunk);
                        b.addLast(segment.lastTime, segment.last, chunk);
                        b.bucket.count += segment.count;
                    });
                blob.reset();
                if (!ok)
                    throw sqlite::Error(SQLITE_CORRUPT,
                                        "sample chunk " + std::to_string(chunk) + " of series "
                                            + std::to_string(seriesId) + " does not decode");
            }
        }
        std::vector<LodBucket> out;
        out.reserve(buckets.size());
        for (const auto &b : buckets)
            out.push_back(b.bucket);
        return out;
    });
}

Result<std::vector<LogRecord>> CaptureReader::logs(const LogQuery &query)
{
    return collectAll<LogRecord>([&](const auto &visit) { return forEachLog(query, visit); });
}

Status CaptureReader::forEachLog(const LogQuery &query,
                                 const std::function<bool(LogRecord &&)> &visit)
{
    return guardedStatus("reading logs", [&] {
        WhereClause where;
        addRange(where, "time", query.range);
        if (query.minLevel != Severity::Debug)
            where.add("level >= ?", {static_cast<std::int64_t>(query.minLevel)});
        if (!query.service.empty())
            where.add("service = ?", {query.service});
        if (!query.entity.empty())
            where.add("entity = ?", {query.entity});
        if (!query.traceId.empty())
            where.add("trace_id = ?", {query.traceId});
        if (!query.text.empty())
            where.add("message LIKE ? ESCAPE '\\'", {likePattern(query.text)});
        auto statement = m_connection.prepare(
            "SELECT time, level, service, entity, message, trace_id, span_id, attributes, topic, "
            "partition, offset FROM logs"
            + where.sql() + " ORDER BY time, id" + limitClause(query.limit));
        where.bind(statement);
        std::optional<RecordChunkStream<LogRecord>> chunks;
        if (m_hasLogAndSpanChunks)
            chunks.emplace(m_connection, "log_chunks", query.range, false,
                           [&query](const LogRecord &log) { return matchesQuery(query, log); });
        mergeRowsAndChunks(statement, readLog, chunks, false, query.limit, visit);
    });
}

Result<std::vector<Span>> CaptureReader::spans(const SpanQuery &query)
{
    return collectAll<Span>([&](const auto &visit) { return forEachSpan(query, visit); });
}

Status CaptureReader::forEachSpan(const SpanQuery &query, const std::function<bool(Span &&)> &visit)
{
    return guardedStatus("reading spans", [&] {
        WhereClause where;
        addRange(where, "start_time", query.range);
        if (!query.service.empty())
            where.add("service = ?", {query.service});
        if (!query.entity.empty())
            where.add("entity = ?", {query.entity});
        if (!query.traceId.empty())
            where.add("trace_id = ?", {query.traceId});
        if (query.errorsOnly)
            where.add("status = 2");
        auto statement = m_connection.prepare(
            "SELECT trace_id, span_id, parent_span_id, name, service, entity, kind, start_time, "
            "end_time, status, attributes, topic, partition, offset FROM spans"
            + where.sql() + " ORDER BY start_time, id" + limitClause(query.limit));
        where.bind(statement);
        std::optional<RecordChunkStream<Span>> chunks;
        if (m_hasLogAndSpanChunks)
            chunks.emplace(m_connection, "span_chunks", query.range, false,
                           [&query](const Span &span) { return matchesQuery(query, span); });
        mergeRowsAndChunks(statement, readSpan, chunks, false, query.limit, visit);
    });
}

Result<std::vector<DeadLetter>> CaptureReader::deadLetters(std::size_t limit)
{
    return guarded<std::vector<DeadLetter>>("reading dead letters", [&] {
        auto statement = m_connection.prepare("SELECT received_at, source, reason, payload, topic, "
                                              "partition, offset FROM dead_letters "
                                              "ORDER BY id"
                                              + limitClause(limit));
        std::vector<DeadLetter> out;
        while (statement.step()) {
            DeadLetter letter;
            letter.receivedAt = statement.columnInt(0);
            letter.source = statement.columnString(1);
            letter.reason = statement.columnString(2);
            letter.payload = std::string(statement.columnBlob(3));
            letter.origin = readOrigin(statement, 4);
            out.push_back(std::move(letter));
        }
        return out;
    });
}

Result<std::vector<PartitionOffset>> CaptureReader::offsets()
{
    return guarded<std::vector<PartitionOffset>>("reading offsets", [&] {
        auto statement = m_connection.prepare(
            "SELECT topic, partition, next_offset FROM offsets ORDER BY topic, partition");
        std::vector<PartitionOffset> out;
        while (statement.step())
            out.push_back({statement.columnString(0),
                           static_cast<std::int32_t>(statement.columnInt(1)),
                           statement.columnInt(2)});
        return out;
    });
}

Result<std::vector<TopologyEdge>> CaptureReader::topology()
{
    return guarded<std::vector<TopologyEdge>>("reading the topology", [&] {
        std::vector<TopologyEdge> out;
        if (!m_hasTopology)
            return out;
        auto statement = m_connection.prepare("SELECT caller, callee, time, attributes, topic, "
                                              "partition, offset FROM topology "
                                              "ORDER BY caller, callee");
        while (statement.step()) {
            TopologyEdge edge;
            edge.caller = statement.columnString(0);
            edge.callee = statement.columnString(1);
            edge.time = statement.columnInt(2);
            edge.attributes = statement.columnString(3);
            edge.origin = readOrigin(statement, 4);
            out.push_back(std::move(edge));
        }
        return out;
    });
}

// The schema's trigger and backfill, and the fallback below, divide by this literal.
static_assert(kEventHistoryBucket == 60'000'000);

// Counts the chunks' events of the history's types into its buckets, which stay in minute order.
void CaptureReader::addChunkedEventsToHistory(EventTypeHistory &history)
{
    std::map<std::pair<std::string, std::int64_t>, std::int64_t> counts;
    RecordChunkStream<Event> chunks(
        m_connection, "event_chunks", TimeRange::all(), false,
        [&history](const Event &event) { return history.byType.count(event.type) > 0; });
    while (chunks.peek()) {
        const Event event = chunks.pop();
        ++counts[{event.type, event.time / kEventHistoryBucket}];
    }
    for (const auto &[key, count] : counts) {
        auto &buckets = history.byType.find(key.first)->second;
        const auto at = std::lower_bound(buckets.begin(), buckets.end(), key.second,
                                         [](const EventTypeHistory::Bucket &b,
                                            std::int64_t minute) { return b.minute < minute; });
        if (at != buckets.end() && at->minute == key.second)
            at->count += count;
        else
            buckets.insert(at, {key.second, count});
    }
}

Result<EventTypeHistory> CaptureReader::eventHistory(const std::vector<std::string> &types)
{
    return guarded<EventTypeHistory>("reading the event history", [&] {
        EventTypeHistory history;
        // Two subqueries: each is one step along events_by_time.
        auto span = m_connection.prepare(
            m_hasEventChunks
                ? "SELECT min(lo), max(hi) FROM (SELECT (SELECT min(time) FROM events) AS lo, "
                  "(SELECT max(time) FROM events) AS hi UNION ALL SELECT min(min_time), "
                  "max(max_time) FROM event_chunks)"
                : "SELECT (SELECT min(time) FROM events), (SELECT max(time) FROM events)");
        if (span.step() && !span.columnIsNull(0)) {
            history.firstMinute = span.columnInt(0) / kEventHistoryBucket;
            history.lastMinute = span.columnInt(1) / kEventHistoryBucket;
        }
        const bool stored = m_connection.queryInt("SELECT count(*) FROM sqlite_master "
                                                  "WHERE type = 'table' AND name = 'event_history'")
            > 0;
        for (const std::string &type : types)
            history.byType[type];
        if (stored) {
            auto statement = m_connection.prepare(
                "SELECT minute, count FROM event_history WHERE type = ?1 ORDER BY minute");
            for (auto &[type, buckets] : history.byType) {
                statement.bind(1, type);
                while (statement.step())
                    buckets.push_back({statement.columnInt(0), statement.columnInt(1)});
                statement.reset();
            }
        } else if (!types.empty()) {
            // No table (schema version 1, read-only): one scan of the events for all the types.
            std::string sql = "SELECT type, time / 60000000 AS minute, count(*) FROM events "
                              "WHERE type IN (";
            for (std::size_t i = 0; i < history.byType.size(); ++i)
                sql += i == 0 ? "?" : ",?";
            sql += ") GROUP BY type, minute ORDER BY type, minute";
            auto statement = m_connection.prepare(sql);
            int index = 1;
            for (const auto &[type, buckets] : history.byType)
                statement.bind(index++, type);
            while (statement.step()) {
                const auto it = history.byType.find(statement.columnText(0));
                if (it != history.byType.end())
                    it->second.push_back({statement.columnInt(1), statement.columnInt(2)});
            }
            if (m_hasEventChunks)
                addChunkedEventsToHistory(history);
        }
        return history;
    });
}

} // namespace eventscope
