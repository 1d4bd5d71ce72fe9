#pragma once

#include "model/recordbatch.h"
#include "store/samplechunk.h"
#include "store/sqlite.h"
#include "util/result.h"

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace eventscope {

// What one commit added; announced to live readers so they refresh only what changed.
struct CommitSummary
{
    std::uint64_t sequence = 0; // 1 for the first commit of this writer, then +1
    std::int64_t batches = 0;
    std::int64_t events = 0;
    std::int64_t samples = 0;
    std::int64_t logs = 0;
    std::int64_t spans = 0;
    std::int64_t deadLetters = 0;
    std::int64_t topologyEdges = 0; // declared edges received (repeats included)
    std::int64_t duplicatesSkipped = 0; // records whose Kafka origin was already stored
    TimeRange span{0, 0}; // [earliest, latest + 1 µs) of the records, empty if none
    std::vector<std::int64_t> seriesIds; // series that received samples, ascending

    std::int64_t records() const { return events + samples + logs + spans + deadLetters; }
};

struct RetentionPolicy
{
    TimeUs maxAge = 0; // keep data newer than (newest record - maxAge); 0 keeps all
    std::int64_t maxBytes = 0; // keep the capture's used pages under this; 0 for no limit

    bool isActive() const { return maxAge > 0 || maxBytes > 0; }
};

struct CompactionStep
{
    std::int64_t series = 0; // series whose small chunks were merged
    std::int64_t samples = 0;
};

struct RetentionStep
{
    std::int64_t rowsDeleted = 0;
    bool moreToDo = false;
    TimeUs cutoff = 0;
};

// Owns the capture's single write connection and turns RecordBatches into rows: dead letters
// one row each, events, logs and spans many to a row (recordchunk.h, failureindex.h),
// samples into compressed per-series chunks, offsets in the same transaction. Used by StoreWriter
// on its thread; not thread-safe itself.
//
// A commit writes each series' new samples as chunks of their own, so its cost is proportional
// to what it adds, however many series it touches. Partial chunks (fewer than kChunkSamples) go
// to recent_chunks and are merged into full ones later by compact(), which StoreWriter runs
// between commits; full chunks are appended to sample_chunks and never rewritten.
class BatchCommitter
{
public:
    static constexpr std::int64_t kChunkSamples = 1024;

    // Opens an existing capture (validated first) or creates a new one.
    static Result<std::unique_ptr<BatchCommitter>> open(const std::string &path,
                                                        const std::string &sourceDescription);
    ~BatchCommitter();

    // Writes all batches in one transaction. Throws sqlite::Error if it could not; then
    // nothing of them is stored and the committer is ready for a retry.
    CommitSummary commit(std::span<RecordBatch> batches);

    std::vector<PartitionOffset> offsets() const;

    // True while some series has enough small chunks to be worth merging.
    bool hasCompactionWork() const { return !m_compactionQueue.empty(); }
    // Merges the small chunks of queued series, in one transaction, until about `sampleBudget`
    // samples were rewritten. With `everything`, also series below the merge threshold.
    CompactionStep compact(std::int64_t sampleBudget, bool everything = false);
    // Merges every series' small chunks, as repeated compact(..., true) calls would, for a
    // writer that is closing. When the small chunks hold at most `maxSamplesInMemory` samples
    // they are read in one pass and the table is emptied at once, instead of deleted one by
    // one per series: the close of an ingest that touched thousands of series then takes a
    // fraction of the time.
    CompactionStep compactEverything(std::int64_t maxSamplesInMemory = 4'000'000);

    RetentionStep applyRetention(const RetentionPolicy &policy, std::int64_t maxRowsPerTable);
    std::int64_t usedBytes() const;
    // Sets one entry of the capture's meta table (alert rules, settings) in its own transaction.
    void setMeta(const std::string &key, const std::string &value);
    // Moves all WAL content into the main file and truncates the WAL.
    void checkpoint();
    const std::string &path() const { return m_path; }

private:
    struct SeriesState
    {
        std::int64_t id = 0;
        std::vector<Sample> pending;
        SeriesKey key; // set once the series is found by identity (m_seriesByIdentity)
    };
    struct SmallChunks
    {
        std::int64_t chunks = 0;
        std::int64_t samples = 0;
    };
    using WatermarkMap = std::map<std::pair<std::string, std::int32_t>, std::int64_t>;

    BatchCommitter(std::string path, sqlite::Connection connection);
    void prepareStatements();
    void loadState();
    SeriesState &seriesFor(const SeriesDefinition &definition);
    std::int64_t *watermarkFor(const Origin &origin);
    void addChunkedEventsToHistory();
    template<typename Record>
    void writeRecordChunks(sqlite::Statement &insert, std::span<const Record *const> records);
    template<typename Record>
    std::int64_t deleteChunksBefore(TimeUs cutoff, std::int64_t maxRecords, bool &moreToDo,
                                    std::vector<Record> &gone);
    std::int64_t deleteChunkedRecordsBefore(TimeUs cutoff, std::int64_t maxRecords, bool &moreToDo);
    // Indexes the failures of an event chunk (failureindex.h), or drops its entry if it has none.
    void writeChunkFailures(std::int64_t chunkId, std::span<const Event *const> events);
    void writeSeriesSamples(SeriesState &state);
    void writeChunks(std::int64_t seriesId, std::span<const Sample> sortedSamples);
    void insertChunk(std::int64_t seriesId, const ChunkEncoder &chunk);
    void bindOrigin(sqlite::Statement &statement, int firstIndex, const Origin &origin);
    void noteSmallChunk(std::int64_t seriesId, std::int64_t samples);

    std::string m_path;
    sqlite::Connection m_connection;
    sqlite::Statement m_writeChunkFailures;
    sqlite::Statement m_deleteChunkFailures;
    sqlite::Statement m_insertEventChunk;
    sqlite::Statement m_addEventHistory;
    sqlite::Statement m_insertSeries;
    sqlite::Statement m_insertFullChunk;
    sqlite::Statement m_insertRecentChunk;
    sqlite::Statement m_selectSmallChunks;
    sqlite::Statement m_deleteChunk;
    sqlite::Statement m_insertLogChunk;
    sqlite::Statement m_insertSpanChunk;
    sqlite::Statement m_insertDeadLetter;
    sqlite::Statement m_insertTopologyEdge;
    sqlite::Statement m_upsertOffset;

    std::unordered_map<std::string, std::unique_ptr<SeriesState>> m_series; // by canonical key
    // The series used since the capture was opened, by SeriesDefinition::identity: a batch's
    // series are found without building their canonical keys.
    std::unordered_multimap<std::uint64_t, SeriesState *> m_seriesByIdentity;
    WatermarkMap m_watermarks;
    std::unordered_map<std::int64_t, SmallChunks> m_smallChunks; // by series id
    std::set<std::int64_t> m_compactionQueue; // series ids
    std::uint64_t m_sequence = 0;
    std::int64_t m_nextChunkId = 1; // shared by sample_chunks and recent_chunks
    TimeUs m_newestTime = 0;
    bool m_hasNewestTime = false;
};

} // namespace eventscope
