#include "store/batchcommitter.h"

#include "store/captureschema.h"
#include "store/failureindex.h"
#include "store/queries.h"
#include "store/recordchunk.h"
#include "util/jsonwriter.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <iterator>
#include <limits>
#include <map>
#include <system_error>
#include <type_traits>
#include <unistd.h>

namespace eventscope {

namespace {

// A series is compacted once its small chunks hold a full chunk's worth of samples, or once it
// has this many small chunks (a slow series, a sample per commit).
constexpr std::int64_t kMaxSmallChunks = 32;

std::string labelsJson(const SeriesKey &key)
{
    std::string out = "{";
    bool first = true;
    for (const auto &[name, value] : key.labels) {
        if (!first)
            out += ',';
        first = false;
        json::appendString(out, name);
        out += ':';
        json::appendString(out, value);
    }
    out += '}';
    return out;
}

struct TimeSpanTracker
{
    TimeUs earliest = std::numeric_limits<TimeUs>::max();
    TimeUs latest = std::numeric_limits<TimeUs>::min();
    void add(TimeUs t)
    {
        earliest = std::min(earliest, t);
        latest = std::max(latest, t);
    }
    TimeRange range() const
    {
        if (earliest > latest)
            return {0, 0};
        return {earliest, latest + 1};
    }
};

// A batch's events per (type, minute), added to event_history once per batch.
using EventHistoryCounts = std::map<std::pair<std::string_view, std::int64_t>, std::int64_t>;

void countInHistory(EventHistoryCounts &counts, const Event &event)
{
    // Truncating division, as SQLite's integer division in the schema's trigger and backfill.
    ++counts[{event.type, event.time / kEventHistoryBucket}];
}

// Binds a chunk's summary and blob to an INSERT or UPDATE of a chunk table, from `first` on:
// min_time, max_time, count, [categories,] data.
void bindChunk(sqlite::Statement &statement, int first, const RecordChunkSummary &summary,
               const std::string &blob, bool withCategories)
{
    statement.bind(first, summary.minTime)
        .bind(first + 1, summary.maxTime)
        .bind(first + 2, summary.count);
    if (withCategories)
        statement.bind(first + 3, static_cast<std::int64_t>(summary.categories));
    statement.bindBlob(first + (withCategories ? 4 : 3), blob.data(), blob.size());
}

const char *chunkTable(const Event *)
{
    return "event_chunks";
}
const char *chunkTable(const LogRecord *)
{
    return "log_chunks";
}
const char *chunkTable(const Span *)
{
    return "span_chunks";
}

// Creates an empty capture at `path` all at once: the schema is written to a file beside it,
// which is then linked into place (never over a file that appeared meanwhile). A process killed
// at any instant leaves either no capture or a complete empty one, never a file that is not one.
Status createCaptureFile(const std::string &path, const std::string &sourceDescription)
{
    const std::string creating = path + ".creating";
    std::error_code ignored;
    for (const char *suffix : {"", "-journal"}) // left by a creation that was killed
        std::filesystem::remove(creating + suffix, ignored);
    try {
        sqlite::Connection connection(creating, sqlite::Connection::Mode::ReadWriteCreate);
        capture::createSchema(connection, sourceDescription);
    } catch (const sqlite::Error &e) {
        std::filesystem::remove(creating, ignored);
        return Status::failure(path + ": cannot create capture: " + e.what());
    }
    const int linkError = ::link(creating.c_str(), path.c_str()) == 0 ? 0 : errno;
    std::filesystem::remove(creating, ignored);
    // Another process creating the same capture at the same time may have linked first.
    if (linkError != 0 && !std::filesystem::exists(path, ignored))
        return Status::failure(path + ": cannot create capture: "
                               + std::error_code(linkError, std::generic_category()).message());
    return {};
}

} // namespace

Result<std::unique_ptr<BatchCommitter>> BatchCommitter::open(const std::string &path,
                                                             const std::string &sourceDescription)
{
    namespace fs = std::filesystem;
    std::error_code error;
    if (!fs::exists(path, error)) {
        const fs::path parent = fs::path(path).parent_path();
        if (!parent.empty() && !fs::is_directory(parent, error))
            return Result<std::unique_ptr<BatchCommitter>>::failure(
                path + ": cannot create capture: folder " + parent.string() + " does not exist");
        if (Status created = createCaptureFile(path, sourceDescription); !created)
            return Result<std::unique_ptr<BatchCommitter>>::failure(created.error());
    }
    if (Status valid = capture::validateFile(path); !valid)
        return Result<std::unique_ptr<BatchCommitter>>::failure(valid.error());
    try {
        sqlite::Connection connection(path, sqlite::Connection::Mode::ReadWrite);
        capture::configureWriter(connection);
        const auto versionBefore = connection.queryInt("PRAGMA user_version");
        if (capture::upgradeSchema(connection))
            spdlog::info("{}: upgraded to capture schema version {}", path,
                         capture::kSchemaVersion);
        std::unique_ptr<BatchCommitter> committer(new BatchCommitter(path, std::move(connection)));
        committer->prepareStatements();
        if (versionBefore < 2)
            committer->addChunkedEventsToHistory(); // the upgrade's SQL counted the rows
        committer->loadState();
        return committer;
    } catch (const sqlite::Error &e) {
        return Result<std::unique_ptr<BatchCommitter>>::failure(
            path + ": cannot open capture for writing: " + e.what());
    }
}

BatchCommitter::BatchCommitter(std::string path, sqlite::Connection connection)
    : m_path(std::move(path))
    , m_connection(std::move(connection))
{ }

BatchCommitter::~BatchCommitter() = default;

void BatchCommitter::prepareStatements()
{
    m_writeChunkFailures = m_connection.prepare(
        "INSERT OR REPLACE INTO event_chunk_failures(chunk_id, source_id_hashes) VALUES (?1, ?2)");
    m_deleteChunkFailures
        = m_connection.prepare("DELETE FROM event_chunk_failures WHERE chunk_id = ?1");
    m_insertEventChunk = m_connection.prepare(
        "INSERT INTO event_chunks(min_time, max_time, count, categories, data) "
        "VALUES (?1, ?2, ?3, ?4, ?5)");
    m_addEventHistory = m_connection.prepare(
        "INSERT INTO event_history(type, minute, count) VALUES (?1, ?2, ?3) "
        "ON CONFLICT(type, minute) DO UPDATE SET count = count + excluded.count");
    m_insertSeries = m_connection.prepare(
        "INSERT INTO series(key, name, labels, unit) VALUES (?1, ?2, ?3, ?4)");
    for (auto [statement, table] : {std::pair{&m_insertFullChunk, "sample_chunks"},
                                    std::pair{&m_insertRecentChunk, "recent_chunks"}}) {
        *statement = m_connection.prepare(std::string("INSERT INTO ") + table
                                          + "(id, series_id, min_time, max_time, count, min_value, "
                                            "max_value, first_value, last_value, data) "
                                            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    }
    m_selectSmallChunks = m_connection.prepare(
        "SELECT id, data FROM recent_chunks WHERE series_id = ?1 ORDER BY id");
    m_deleteChunk = m_connection.prepare("DELETE FROM recent_chunks WHERE id = ?1");
    m_insertLogChunk = m_connection.prepare(
        "INSERT INTO log_chunks(min_time, max_time, count, data) VALUES (?1, ?2, ?3, ?4)");
    m_insertSpanChunk = m_connection.prepare(
        "INSERT INTO span_chunks(min_time, max_time, count, data) VALUES (?1, ?2, ?3, ?4)");
    m_insertDeadLetter = m_connection.prepare(
        "INSERT INTO dead_letters(received_at, source, topic, partition, offset, reason, payload) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    m_insertTopologyEdge = m_connection.prepare(
        "INSERT INTO topology(caller, callee, time, attributes, topic, partition, offset) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(caller, callee) DO UPDATE SET "
        "time = min(time, excluded.time) WHERE excluded.time <> 0 AND (time = 0 OR "
        "excluded.time < time)");
    m_upsertOffset = m_connection.prepare(
        "INSERT INTO offsets(topic, partition, next_offset) VALUES (?1, ?2, ?3) "
        "ON CONFLICT(topic, partition) DO UPDATE SET "
        "next_offset = max(next_offset, excluded.next_offset)");
}

void BatchCommitter::loadState()
{
    auto series = m_connection.prepare("SELECT id, key FROM series");
    while (series.step()) {
        auto state = std::make_unique<SeriesState>();
        state->id = series.columnInt(0);
        m_series.emplace(series.columnString(1), std::move(state));
    }
    auto small = m_connection.prepare(
        "SELECT series_id, count(*), sum(count) FROM recent_chunks GROUP BY series_id");
    while (small.step()) {
        const std::int64_t seriesId = small.columnInt(0);
        m_smallChunks[seriesId] = {small.columnInt(1), small.columnInt(2)};
        if (small.columnInt(1) > 1)
            m_compactionQueue.insert(seriesId);
    }
    m_nextChunkId = m_connection.queryInt("SELECT coalesce(max(id), 0) + 1 FROM all_chunks");
    auto offsets = m_connection.prepare("SELECT topic, partition, next_offset FROM offsets");
    while (offsets.step()) {
        m_watermarks[{offsets.columnString(0), static_cast<std::int32_t>(offsets.columnInt(1))}]
            = offsets.columnInt(2);
    }
    auto newest = m_connection.prepare(
        "SELECT max(t) FROM (SELECT max(time) AS t FROM events UNION ALL "
        "SELECT max(max_time) FROM event_chunks UNION ALL SELECT max(max_time) FROM log_chunks "
        "UNION ALL SELECT max(max_time) FROM span_chunks UNION ALL "
        "SELECT max(max_time) FROM all_chunks UNION ALL SELECT max(time) FROM logs "
        "UNION ALL SELECT max(start_time) FROM spans)");
    if (newest.step() && !newest.columnIsNull(0)) {
        m_newestTime = newest.columnInt(0);
        m_hasNewestTime = true;
    }
}

std::vector<PartitionOffset> BatchCommitter::offsets() const
{
    std::vector<PartitionOffset> out;
    out.reserve(m_watermarks.size());
    for (const auto &[key, next] : m_watermarks)
        out.push_back({key.first, key.second, next});
    return out;
}

BatchCommitter::SeriesState &BatchCommitter::seriesFor(const SeriesDefinition &definition)
{
    const auto [first, last] = m_seriesByIdentity.equal_range(definition.identity);
    for (auto it = first; it != last; ++it) {
        if (it->second->key == definition.key)
            return *it->second;
    }
    // The first time this writer meets the series: by its canonical key, as the capture
    // stores it.
    std::string key = definition.key.canonical();
    SeriesState *state = nullptr;
    if (auto it = m_series.find(key); it != m_series.end()) {
        state = it->second.get();
    } else {
        const std::string labels = labelsJson(definition.key);
        m_insertSeries.bind(1, key)
            .bind(2, definition.key.name)
            .bind(3, labels)
            .bind(4, definition.unit);
        m_insertSeries.run();
        auto created = std::make_unique<SeriesState>();
        created->id = m_connection.lastInsertRowId();
        state = m_series.emplace(std::move(key), std::move(created)).first->second.get();
    }
    state->key = definition.key;
    m_seriesByIdentity.emplace(definition.identity, state);
    return *state;
}

std::int64_t *BatchCommitter::watermarkFor(const Origin &origin)
{
    auto it = m_watermarks.try_emplace({origin.topic, origin.partition}, -1).first;
    return &it->second;
}

void BatchCommitter::bindOrigin(sqlite::Statement &statement, int firstIndex, const Origin &origin)
{
    if (origin.isValid()) {
        statement.bind(firstIndex, origin.topic)
            .bind(firstIndex + 1, origin.partition)
            .bind(firstIndex + 2, origin.offset);
    } else {
        statement.bindNull(firstIndex).bindNull(firstIndex + 1).bindNull(firstIndex + 2);
    }
}

CommitSummary BatchCommitter::commit(std::span<RecordBatch> batches)
{
    const WatermarkMap savedWatermarks = m_watermarks;
    std::vector<std::string> createdSeries;
    std::vector<SeriesState *> touched;
    CommitSummary summary;
    summary.sequence = m_sequence + 1;
    TimeSpanTracker span;
    EventHistoryCounts eventHistory;
    // Into `batches`, written as chunks at the end.
    std::vector<const Event *> chunkedEvents;
    std::vector<const LogRecord *> chunkedLogs;
    std::vector<const Span *> chunkedSpans;

    try {
        sqlite::Transaction transaction(m_connection);

        for (RecordBatch &batch : batches) {
            ++summary.batches;
            // Origins are checked against the watermarks as they were before this batch: one
            // message may yield many records, all with the same offset. Records of many
            // partitions interleave, so each partition's state is found through a small table
            // by partition number rather than a search per record.
            struct Advance
            {
                const std::string *topic;
                std::int32_t partition;
                std::int64_t *watermark;
                std::int64_t start; // the watermark before this batch
                std::int64_t next;
            };
            std::vector<Advance> advances;
            std::vector<std::vector<std::size_t>> advancesByPartition;
            Advance *last = nullptr;
            auto advanceFor = [&](const Origin &origin) -> Advance & {
                const auto slot = static_cast<std::size_t>(origin.partition) % 1024;
                if (slot >= advancesByPartition.size())
                    advancesByPartition.resize(slot + 1);
                for (const std::size_t index : advancesByPartition[slot]) {
                    if (*advances[index].topic == origin.topic)
                        return advances[index];
                }
                std::int64_t *watermark = watermarkFor(origin);
                advancesByPartition[slot].push_back(advances.size());
                advances.push_back(
                    {&origin.topic, origin.partition, watermark, *watermark, *watermark});
                last = nullptr; // the vector may have moved
                return advances.back();
            };
            auto isDuplicate = [&](const Origin &origin, bool countIt = true) {
                if (!origin.isValid())
                    return false;
                if (!last || last->partition != origin.partition || *last->topic != origin.topic)
                    last = &advanceFor(origin);
                if (origin.offset < last->start) {
                    summary.duplicatesSkipped += countIt ? 1 : 0;
                    return true;
                }
                last->next = std::max(last->next, origin.offset + 1);
                return false;
            };

            for (const Event &event : batch.events) {
                if (isDuplicate(event.origin))
                    continue;
                span.add(event.time);
                ++summary.events;
                countInHistory(eventHistory, event);
                chunkedEvents.push_back(&event);
            }
            for (const auto &[key, count] : eventHistory) {
                m_addEventHistory.bind(1, key.first).bind(2, key.second).bind(3, count);
                m_addEventHistory.run();
            }
            eventHistory.clear();

            if (!batch.samples.empty()) {
                std::vector<SeriesState *> states(batch.series.size(), nullptr);
                std::vector<char> originDuplicate(batch.sampleOrigins.size());
                for (std::size_t i = 0; i < batch.sampleOrigins.size(); ++i)
                    originDuplicate[i] = isDuplicate(batch.sampleOrigins[i], false);
                for (const SampleRecord &sample : batch.samples) {
                    if (sample.origin != SampleRecord::kNoOrigin
                        && originDuplicate[sample.origin]) {
                        ++summary.duplicatesSkipped;
                        continue;
                    }
                    SeriesState *&state = states[sample.series];
                    if (!state) {
                        const auto before = m_series.size();
                        state = &seriesFor(batch.series[sample.series]);
                        if (m_series.size() != before)
                            createdSeries.push_back(batch.series[sample.series].key.canonical());
                        if (state->pending.empty())
                            touched.push_back(state);
                    }
                    state->pending.push_back({sample.time, sample.value});
                    span.add(sample.time);
                    ++summary.samples;
                }
            }

            for (const LogRecord &log : batch.logs) {
                if (isDuplicate(log.origin))
                    continue;
                chunkedLogs.push_back(&log);
                span.add(log.time);
                ++summary.logs;
            }

            for (const Span &s : batch.spans) {
                if (isDuplicate(s.origin))
                    continue;
                chunkedSpans.push_back(&s);
                span.add(s.start);
                ++summary.spans;
            }

            for (const DeadLetter &letter : batch.deadLetters) {
                if (isDuplicate(letter.origin))
                    continue;
                m_insertDeadLetter.bind(1, letter.receivedAt).bind(2, letter.source);
                bindOrigin(m_insertDeadLetter, 3, letter.origin);
                m_insertDeadLetter.bind(6, letter.reason);
                m_insertDeadLetter.bindBlob(
                    7, letter.payload.data(),
                    std::min(letter.payload.size(), DeadLetter::kMaxPayload));
                m_insertDeadLetter.run();
                ++summary.deadLetters;
            }

            for (const TopologyEdge &edge : batch.topology) {
                if (isDuplicate(edge.origin))
                    continue;
                m_insertTopologyEdge.bind(1, edge.caller).bind(2, edge.callee);
                m_insertTopologyEdge.bind(3, edge.time).bind(4, edge.attributes);
                bindOrigin(m_insertTopologyEdge, 5, edge.origin);
                m_insertTopologyEdge.run();
                ++summary.topologyEdges;
            }

            for (const PartitionOffset &offset : batch.offsets) {
                std::int64_t *watermark = watermarkFor({offset.topic, offset.partition, 0});
                *watermark = std::max(*watermark, offset.nextOffset);
            }
            for (const Advance &advance : advances)
                *advance.watermark = std::max(*advance.watermark, advance.next);
        }

        writeRecordChunks<Event>(m_insertEventChunk, chunkedEvents);
        writeRecordChunks<LogRecord>(m_insertLogChunk, chunkedLogs);
        writeRecordChunks<Span>(m_insertSpanChunk, chunkedSpans);
        for (SeriesState *state : touched) {
            writeSeriesSamples(*state);
            summary.seriesIds.push_back(state->id);
        }

        for (const auto &[key, next] : m_watermarks) {
            const auto saved = savedWatermarks.find(key);
            if (next < 0 || (saved != savedWatermarks.end() && saved->second == next))
                continue;
            m_upsertOffset.bind(1, key.first).bind(2, key.second).bind(3, next);
            m_upsertOffset.run();
        }

        transaction.commit();
    } catch (...) {
        // The transaction rolled back: forget what it added to the in-memory state. The small
        // chunk counts may now be too high; they only schedule compaction, which recounts.
        m_watermarks = savedWatermarks;
        for (SeriesState *state : touched)
            state->pending.clear();
        for (const std::string &key : createdSeries) {
            // After the loop above: `touched` points into these.
            const auto created = m_series.find(key);
            if (created == m_series.end())
                continue;
            std::erase_if(m_seriesByIdentity,
                          [&](const auto &entry) { return entry.second == created->second.get(); });
            m_series.erase(created);
        }
        throw;
    }

    m_sequence = summary.sequence;
    summary.span = span.range();
    if (!summary.span.isEmpty()) {
        const TimeUs latest = summary.span.end - 1;
        m_newestTime = m_hasNewestTime ? std::max(m_newestTime, latest) : latest;
        m_hasNewestTime = true;
    }
    std::sort(summary.seriesIds.begin(), summary.seriesIds.end());
    return summary;
}

void BatchCommitter::addChunkedEventsToHistory()
{
    sqlite::Transaction transaction(m_connection);
    auto chunks = m_connection.prepare("SELECT id, data FROM event_chunks");
    std::vector<Event> events;
    while (chunks.step()) {
        events.clear();
        std::string error;
        if (!decodeChunk(chunks.columnBlob(1), events, error))
            spdlog::warn("{}: event chunk {} is damaged ({}); the event history leaves out what "
                         "could not be read",
                         m_path, chunks.columnInt(0), error);
        EventHistoryCounts counts;
        for (const Event &event : events)
            countInHistory(counts, event);
        for (const auto &[key, count] : counts) {
            m_addEventHistory.bind(1, key.first).bind(2, key.second).bind(3, count);
            m_addEventHistory.run();
        }
    }
    transaction.commit();
}

template<typename Record>
void BatchCommitter::writeRecordChunks(sqlite::Statement &insert,
                                       std::span<const Record *const> records)
{
    while (!records.empty()) {
        const auto part = records.first(std::min(records.size(), kMaxChunkRecords));
        RecordChunkSummary summary;
        const std::string blob = encodeChunk(part, summary);
        bindChunk(insert, 1, summary, blob, std::is_same_v<Record, Event>);
        insert.run();
        if constexpr (std::is_same_v<Record, Event>) {
            if (summary.categories & (1U << static_cast<unsigned>(EventCategory::Failure)))
                writeChunkFailures(m_connection.lastInsertRowId(), part);
        }
        records = records.subspan(part.size());
    }
}

void BatchCommitter::writeChunkFailures(std::int64_t chunkId, std::span<const Event *const> events)
{
    const std::string hashes = failureindex::encode(events);
    if (hashes.empty()) {
        m_deleteChunkFailures.bind(1, chunkId);
        m_deleteChunkFailures.run();
        return;
    }
    m_writeChunkFailures.bind(1, chunkId).bindBlob(2, hashes.data(), hashes.size());
    m_writeChunkFailures.run();
}

void BatchCommitter::writeSeriesSamples(SeriesState &state)
{
    std::vector<Sample> &pending = state.pending;
    const auto byTime = [](const Sample &a, const Sample &b) { return a.time < b.time; };
    if (!std::is_sorted(pending.begin(), pending.end(), byTime))
        std::stable_sort(pending.begin(), pending.end(), byTime);
    writeChunks(state.id, pending);
    pending.clear();
    if (pending.capacity() > 4 * static_cast<std::size_t>(kChunkSamples))
        pending.shrink_to_fit();
}

void BatchCommitter::writeChunks(std::int64_t seriesId, std::span<const Sample> samples)
{
    while (!samples.empty()) {
        ChunkEncoder chunk(samples.first(std::min<std::size_t>(samples.size(), kChunkSamples)));
        std::size_t used = 1;
        while (used < samples.size() && chunk.count() < kChunkSamples
               && chunk.tryAppend(samples[used].time, samples[used].value))
            ++used;
        samples = samples.subspan(used);
        insertChunk(seriesId, chunk);
        if (chunk.count() < kChunkSamples)
            noteSmallChunk(seriesId, chunk.count());
    }
}

void BatchCommitter::noteSmallChunk(std::int64_t seriesId, std::int64_t samples)
{
    SmallChunks &small = m_smallChunks[seriesId];
    ++small.chunks;
    small.samples += samples;
    if (small.chunks > 1 && (small.samples >= kChunkSamples || small.chunks >= kMaxSmallChunks))
        m_compactionQueue.insert(seriesId);
}

void BatchCommitter::insertChunk(std::int64_t seriesId, const ChunkEncoder &chunk)
{
    const ChunkSummary &s = chunk.summary();
    const std::string blob = chunk.blob();
    sqlite::Statement &insert = s.count < kChunkSamples ? m_insertRecentChunk : m_insertFullChunk;
    insert.bind(1, m_nextChunkId)
        .bind(2, seriesId)
        .bind(3, s.minTime)
        .bind(4, s.maxTime)
        .bind(5, s.count)
        .bind(6, s.minValue)
        .bind(7, s.maxValue)
        .bind(8, s.firstValue)
        .bind(9, s.lastValue)
        .bindBlob(10, blob.data(), blob.size());
    insert.run();
    ++m_nextChunkId;
}

CompactionStep BatchCommitter::compact(std::int64_t sampleBudget, bool everything)
{
    CompactionStep step;
    if (everything) {
        for (const auto &[series, small] : m_smallChunks) {
            if (small.chunks > 1)
                m_compactionQueue.insert(series);
        }
    }
    if (m_compactionQueue.empty())
        return step;

    const auto savedSmall = m_smallChunks;
    const auto savedQueue = m_compactionQueue;
    try {
        sqlite::Transaction transaction(m_connection);
        std::vector<std::int64_t> ids;
        std::vector<Sample> samples;
        while (!m_compactionQueue.empty() && step.samples < sampleBudget) {
            const std::int64_t series = *m_compactionQueue.begin();
            m_compactionQueue.erase(m_compactionQueue.begin());
            ids.clear();
            samples.clear();
            // Chunks in id order, then a stable sort: equal times keep their storage order.
            bool damaged = false;
            m_selectSmallChunks.bind(1, series);
            while (!damaged && m_selectSmallChunks.step()) {
                ids.push_back(m_selectSmallChunks.columnInt(0));
                damaged = !decodeChunk(m_selectSmallChunks.columnBlob(1), samples);
            }
            m_selectSmallChunks.reset();
            m_smallChunks.erase(series);
            if (damaged) {
                // Leave a damaged chunk as it is (queries report it); never rewrite around it.
                spdlog::warn(
                    "{}: sample chunk {} of series {} does not decode; series not compacted",
                    m_path, ids.back(), series);
                continue;
            }
            if (ids.size() < 2) {
                if (ids.size() == 1)
                    m_smallChunks[series] = {1, static_cast<std::int64_t>(samples.size())};
                continue;
            }
            std::stable_sort(samples.begin(), samples.end(),
                             [](const Sample &a, const Sample &b) { return a.time < b.time; });
            for (const std::int64_t id : ids) {
                m_deleteChunk.bind(1, id);
                m_deleteChunk.run();
            }
            writeChunks(series, samples); // re-notes a small remainder, which may re-queue it
            if (m_smallChunks.contains(series) && m_smallChunks[series].chunks <= 1)
                m_compactionQueue.erase(series);
            ++step.series;
            step.samples += static_cast<std::int64_t>(samples.size());
        }
        transaction.commit();
    } catch (...) {
        m_smallChunks = savedSmall;
        m_compactionQueue = savedQueue;
        throw;
    }
    return step;
}

CompactionStep BatchCommitter::compactEverything(std::int64_t maxSamplesInMemory)
{
    const auto compactSeriesBySeries = [&] {
        CompactionStep total;
        for (CompactionStep step; (step = compact(1'000'000, true)).series > 0;) {
            total.series += step.series;
            total.samples += step.samples;
        }
        return total;
    };
    std::int64_t chunks = 0, samples = 0;
    {
        auto totals = m_connection.prepare("SELECT count(*), coalesce(sum(count), 0), "
                                           "count(DISTINCT series_id) FROM recent_chunks");
        totals.step();
        chunks = totals.columnInt(0);
        samples = totals.columnInt(1);
        if (chunks == totals.columnInt(2))
            return {}; // one small chunk per series: nothing to merge
    }
    if (samples > maxSamplesInMemory)
        return compactSeriesBySeries();

    // Read first, in id order (a stable sort per series then keeps equal times in storage
    // order, as compact() does). A damaged chunk must stay as it is: the per-series path
    // compacts around it.
    std::map<std::int64_t, std::vector<Sample>> bySeries;
    {
        auto all = m_connection.prepare("SELECT series_id, data FROM recent_chunks ORDER BY id");
        while (all.step()) {
            if (!decodeChunk(all.columnBlob(1), bySeries[all.columnInt(0)]))
                return compactSeriesBySeries();
        }
    }
    const auto savedSmall = m_smallChunks;
    const auto savedQueue = m_compactionQueue;
    CompactionStep step;
    try {
        sqlite::Transaction transaction(m_connection);
        m_connection.execute("DELETE FROM recent_chunks");
        m_smallChunks.clear();
        const auto byTime = [](const Sample &a, const Sample &b) { return a.time < b.time; };
        for (auto &[series, seriesSamples] : bySeries) {
            if (!std::is_sorted(seriesSamples.begin(), seriesSamples.end(), byTime))
                std::stable_sort(seriesSamples.begin(), seriesSamples.end(), byTime);
            writeChunks(series, seriesSamples);
            ++step.series;
            step.samples += static_cast<std::int64_t>(seriesSamples.size());
        }
        m_compactionQueue.clear(); // each series has at most one small chunk now
        transaction.commit();
    } catch (...) {
        m_smallChunks = savedSmall;
        m_compactionQueue = savedQueue;
        throw;
    }
    return step;
}

void BatchCommitter::setMeta(const std::string &key, const std::string &value)
{
    sqlite::Transaction transaction(m_connection);
    m_connection.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)")
        .bind(1, key)
        .bind(2, value)
        .run();
    transaction.commit();
}

std::int64_t BatchCommitter::usedBytes() const
{
    const std::int64_t pageSize = m_connection.queryInt("PRAGMA page_size");
    const std::int64_t pages = m_connection.queryInt("PRAGMA page_count");
    const std::int64_t freePages = m_connection.queryInt("PRAGMA freelist_count");
    return (pages - freePages) * pageSize;
}

void BatchCommitter::checkpoint()
{
    m_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)");
}

template<typename Record>
std::int64_t BatchCommitter::deleteChunksBefore(TimeUs cutoff, std::int64_t maxRecords,
                                                bool &moreToDo, std::vector<Record> &gone)
{
    // Chunks wholly before the cutoff go; one that straddles it is rewritten with the records
    // at or after the cutoff, as retention deletes rows one by one.
    const std::string table = chunkTable(static_cast<const Record *>(nullptr));
    const bool withCategories = std::is_same_v<Record, Event>;
    auto select = m_connection.prepare("SELECT id, count, max_time, data FROM " + table
                                       + " WHERE min_time < ?1 ORDER BY min_time");
    select.bind(1, cutoff);
    struct Rewrite
    {
        std::int64_t id;
        std::vector<Record> kept;
    };
    std::vector<std::int64_t> removed;
    std::vector<Rewrite> rewritten;
    std::int64_t deleted = 0;
    while (select.step()) {
        if (deleted >= maxRecords) {
            moreToDo = true;
            break;
        }
        const std::int64_t id = select.columnInt(0);
        std::vector<Record> records;
        std::string error;
        if (!decodeChunk(select.columnBlob(3), records, error)) {
            spdlog::warn("{}: retention: {} row {} is damaged ({}); it is deleted whole", m_path,
                         table, id, error);
            removed.push_back(id);
            deleted += select.columnInt(1);
            continue;
        }
        const auto firstKept
            = std::stable_partition(records.begin(), records.end(),
                                    [cutoff](const Record &r) { return recordTime(r) < cutoff; });
        deleted += firstKept - records.begin();
        std::move(records.begin(), firstKept, std::back_inserter(gone));
        if (select.columnInt(2) < cutoff || firstKept == records.end())
            removed.push_back(id);
        else
            rewritten.push_back({id,
                                 std::vector<Record>(std::make_move_iterator(firstKept),
                                                     std::make_move_iterator(records.end()))});
    }
    select.reset();

    auto remove = m_connection.prepare("DELETE FROM " + table + " WHERE id = ?1");
    for (const std::int64_t id : removed) {
        remove.bind(1, id);
        remove.run();
        if constexpr (std::is_same_v<Record, Event>) {
            m_deleteChunkFailures.bind(1, id);
            m_deleteChunkFailures.run();
        }
    }
    auto update = m_connection.prepare(
        "UPDATE " + table + " SET min_time = ?2, max_time = ?3, count = ?4, "
        + (withCategories ? "categories = ?5, data = ?6" : "data = ?5") + " WHERE id = ?1");
    for (const Rewrite &chunk : rewritten) {
        std::vector<const Record *> kept;
        for (const Record &record : chunk.kept)
            kept.push_back(&record);
        RecordChunkSummary summary;
        const std::string blob = encodeChunk(kept, summary);
        update.bind(1, chunk.id);
        bindChunk(update, 2, summary, blob, withCategories);
        update.run();
        if constexpr (std::is_same_v<Record, Event>)
            writeChunkFailures(chunk.id, kept);
    }
    return deleted;
}

std::int64_t BatchCommitter::deleteChunkedRecordsBefore(TimeUs cutoff, std::int64_t maxRecords,
                                                        bool &moreToDo)
{
    std::vector<Event> goneEvents;
    std::int64_t deleted = deleteChunksBefore(cutoff, maxRecords, moreToDo, goneEvents);
    std::vector<LogRecord> goneLogs;
    deleted += deleteChunksBefore(cutoff, maxRecords, moreToDo, goneLogs);
    std::vector<Span> goneSpans;
    deleted += deleteChunksBefore(cutoff, maxRecords, moreToDo, goneSpans);

    // Deleted events leave event_history too, as the trigger does for rows of events.
    EventHistoryCounts counts;
    for (const Event &event : goneEvents)
        countInHistory(counts, event);
    auto subtract = m_connection.prepare(
        "UPDATE event_history SET count = count - ?3 WHERE type = ?1 AND minute = ?2");
    for (const auto &[key, count] : counts) {
        subtract.bind(1, key.first).bind(2, key.second).bind(3, count);
        subtract.run();
    }
    if (!counts.empty())
        m_connection.execute("DELETE FROM event_history WHERE count <= 0");
    return deleted;
}

RetentionStep BatchCommitter::applyRetention(const RetentionPolicy &policy,
                                             std::int64_t maxRowsPerTable)
{
    RetentionStep step;
    if (!policy.isActive() || !m_hasNewestTime)
        return step;

    TimeUs cutoff = std::numeric_limits<TimeUs>::min();
    if (policy.maxAge > 0)
        cutoff = m_newestTime - policy.maxAge;
    if (policy.maxBytes > 0) {
        const std::int64_t used = usedBytes();
        if (used > policy.maxBytes) {
            auto oldest = m_connection.prepare(
                "SELECT min(t) FROM (SELECT min(time) AS t FROM events UNION ALL "
                "SELECT min(max_time) FROM event_chunks UNION ALL "
                "SELECT min(max_time) FROM log_chunks UNION ALL "
                "SELECT min(max_time) FROM span_chunks UNION ALL "
                "SELECT min(max_time) FROM all_chunks UNION ALL SELECT min(time) FROM logs "
                "UNION ALL SELECT min(start_time) FROM spans)");
            if (oldest.step() && !oldest.columnIsNull(0)) {
                const TimeUs first = oldest.columnInt(0);
                const double excess
                    = static_cast<double>(used - policy.maxBytes) / static_cast<double>(used);
                const double fraction = std::clamp(excess + 0.02, 0.01, 0.5);
                const auto spanUs = static_cast<double>(m_newestTime - first);
                cutoff = std::max(cutoff,
                                  first
                                      + std::max<TimeUs>(kMicrosPerSecond,
                                                         static_cast<TimeUs>(spanUs * fraction)));
            }
        }
    }
    if (cutoff == std::numeric_limits<TimeUs>::min())
        return step;
    step.cutoff = cutoff;

    struct Target
    {
        const char *table;
        const char *timeColumn;
    };
    static constexpr Target kTargets[]
        = {{"events", "time"}, {"sample_chunks", "max_time"}, {"recent_chunks", "max_time"},
           {"logs", "time"},   {"spans", "start_time"},       {"dead_letters", "received_at"}};

    sqlite::Transaction transaction(m_connection);
    step.rowsDeleted += deleteChunkedRecordsBefore(cutoff, maxRowsPerTable, step.moreToDo);
    for (const Target &target : kTargets) {
        auto remove = m_connection.prepare(std::string("DELETE FROM ") + target.table
                                           + " WHERE id IN (SELECT id FROM " + target.table
                                           + " WHERE " + target.timeColumn + " < ?1 LIMIT ?2)");
        remove.bind(1, cutoff).bind(2, maxRowsPerTable);
        remove.run();
        const int deleted = m_connection.changes();
        step.rowsDeleted += deleted;
        if (deleted >= maxRowsPerTable)
            step.moreToDo = true;
    }
    transaction.commit();
    if (step.rowsDeleted > 0)
        m_connection.execute("PRAGMA incremental_vacuum(2048)");
    if (policy.maxBytes > 0 && !step.moreToDo && usedBytes() > policy.maxBytes
        && step.rowsDeleted > 0)
        step.moreToDo = true;
    return step;
}

} // namespace eventscope
