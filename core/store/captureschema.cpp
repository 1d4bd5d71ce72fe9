#include "store/captureschema.h"

#include "util/timeformat.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <random>

#ifndef EVENTSCOPE_VERSION
#error "EVENTSCOPE_VERSION must be defined by the build"
#endif

namespace eventscope::capture {

namespace {

std::uint32_t readBigEndian32(const unsigned char *bytes)
{
    return (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16)
        | (std::uint32_t{bytes[2]} << 8) | std::uint32_t{bytes[3]};
}

constexpr const char *kSchema = R"sql(
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    source_id TEXT NOT NULL,
    time INTEGER NOT NULL,
    type TEXT NOT NULL,
    category INTEGER NOT NULL,
    severity INTEGER NOT NULL,
    service TEXT NOT NULL,
    entity TEXT NOT NULL,
    cluster TEXT NOT NULL,
    message TEXT NOT NULL,
    trace_id TEXT NOT NULL,
    attributes TEXT NOT NULL,
    topic TEXT,
    partition INTEGER,
    offset INTEGER
);
CREATE INDEX events_by_time ON events(time);
-- Incidents are looked up by their producer id; indexing only failures keeps inserts fast
-- (a full index on random ids costs ~45% of event insert throughput).
CREATE INDEX failures_by_source_id ON events(source_id) WHERE category = 2;

CREATE TABLE series (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    labels TEXT NOT NULL,
    unit TEXT NOT NULL
);

-- Samples live in compressed chunks (see samplechunk.h). Full chunks are only ever appended
-- to sample_chunks, so its pages stay dense; partial chunks, which compaction merges and
-- deletes, churn in recent_chunks. Both share one id sequence (storage order). The indexes carry
-- each chunk's summary so that level-of-detail queries read whole chunks from the index alone.
CREATE TABLE sample_chunks (
    id INTEGER PRIMARY KEY,
    series_id INTEGER NOT NULL,
    min_time INTEGER NOT NULL,
    max_time INTEGER NOT NULL,
    count INTEGER NOT NULL,
    min_value REAL, -- NULL stands for NaN
    max_value REAL,
    first_value REAL,
    last_value REAL,
    data BLOB NOT NULL
);
CREATE INDEX sample_chunks_by_series ON sample_chunks(
    series_id, max_time, min_time, count, min_value, max_value, first_value, last_value);
CREATE INDEX sample_chunks_by_time ON sample_chunks(max_time);

CREATE TABLE recent_chunks (
    id INTEGER PRIMARY KEY,
    series_id INTEGER NOT NULL,
    min_time INTEGER NOT NULL,
    max_time INTEGER NOT NULL,
    count INTEGER NOT NULL,
    min_value REAL,
    max_value REAL,
    first_value REAL,
    last_value REAL,
    data BLOB NOT NULL
);
CREATE INDEX recent_chunks_by_series ON recent_chunks(
    series_id, max_time, min_time, count, min_value, max_value, first_value, last_value);
CREATE INDEX recent_chunks_by_time ON recent_chunks(max_time);

CREATE VIEW all_chunks AS
    SELECT * FROM sample_chunks UNION ALL SELECT * FROM recent_chunks;

CREATE TABLE logs (
    id INTEGER PRIMARY KEY,
    time INTEGER NOT NULL,
    level INTEGER NOT NULL,
    service TEXT NOT NULL,
    entity TEXT NOT NULL,
    message TEXT NOT NULL,
    trace_id TEXT NOT NULL,
    span_id TEXT NOT NULL,
    attributes TEXT NOT NULL,
    topic TEXT,
    partition INTEGER,
    offset INTEGER
);
CREATE INDEX logs_by_time ON logs(time);
CREATE INDEX logs_by_trace ON logs(trace_id) WHERE trace_id <> '';

CREATE TABLE spans (
    id INTEGER PRIMARY KEY,
    trace_id TEXT NOT NULL,
    span_id TEXT NOT NULL,
    parent_span_id TEXT NOT NULL,
    name TEXT NOT NULL,
    service TEXT NOT NULL,
    entity TEXT NOT NULL,
    kind INTEGER NOT NULL,
    start_time INTEGER NOT NULL,
    end_time INTEGER NOT NULL,
    status INTEGER NOT NULL,
    attributes TEXT NOT NULL,
    topic TEXT,
    partition INTEGER,
    offset INTEGER
);
CREATE INDEX spans_by_start ON spans(start_time);
CREATE INDEX spans_by_trace ON spans(trace_id);

-- Next Kafka offset per partition, written in the same transaction as the rows before it.
CREATE TABLE offsets (
    topic TEXT NOT NULL,
    partition INTEGER NOT NULL,
    next_offset INTEGER NOT NULL,
    PRIMARY KEY (topic, partition)
) WITHOUT ROWID;

CREATE TABLE dead_letters (
    id INTEGER PRIMARY KEY,
    received_at INTEGER NOT NULL,
    source TEXT NOT NULL,
    topic TEXT,
    partition INTEGER,
    offset INTEGER,
    reason TEXT NOT NULL,
    payload BLOB NOT NULL
);
)sql";

constexpr const char *kEventChunkSchema = R"sql(
-- Events, many to a row (see recordchunk.h). Events of captures before schema version 3, and
-- failures of captures before version 5, are rows of events.
-- `categories` has bit (1 << category) set for each category in the chunk.
CREATE TABLE IF NOT EXISTS event_chunks (
    id INTEGER PRIMARY KEY,
    min_time INTEGER NOT NULL,
    max_time INTEGER NOT NULL,
    count INTEGER NOT NULL,
    categories INTEGER NOT NULL,
    data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS event_chunks_by_time ON event_chunks(max_time, min_time);
)sql";

constexpr const char *kFailureIndexSchema = R"sql(
-- For each event chunk that holds failures: their source ids' hashes (failureindex.h), so that
-- a failure is found by its id without decoding every chunk.
CREATE TABLE IF NOT EXISTS event_chunk_failures (
    chunk_id INTEGER PRIMARY KEY,
    source_id_hashes BLOB NOT NULL
);
)sql";

constexpr const char *kLogAndSpanChunkSchema = R"sql(
-- Logs and spans, many to a row (see recordchunk.h); spans by their start time.
CREATE TABLE IF NOT EXISTS log_chunks (
    id INTEGER PRIMARY KEY,
    min_time INTEGER NOT NULL,
    max_time INTEGER NOT NULL,
    count INTEGER NOT NULL,
    data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS log_chunks_by_time ON log_chunks(max_time, min_time);
CREATE TABLE IF NOT EXISTS span_chunks (
    id INTEGER PRIMARY KEY,
    min_time INTEGER NOT NULL,
    max_time INTEGER NOT NULL,
    count INTEGER NOT NULL,
    data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS span_chunks_by_time ON span_chunks(max_time, min_time);
)sql";

constexpr const char *kTopologySchema = R"sql(
-- Declared service dependencies (FORMATS.md, "Topology"), one row per edge: a repeated
-- declaration keeps the first time it was known.
CREATE TABLE IF NOT EXISTS topology (
    caller TEXT NOT NULL,
    callee TEXT NOT NULL,
    time INTEGER NOT NULL,
    attributes TEXT NOT NULL,
    topic TEXT,
    partition INTEGER,
    offset INTEGER,
    PRIMARY KEY (caller, callee)
) WITHOUT ROWID;
)sql";

constexpr const char *kEventHistorySchema = R"sql(
-- How many events of each type fell in each minute (time / 60 s). The correlation engine reads
-- how often a type precedes a failure type across the whole capture from this small table
-- instead of scanning the events. The writer adds each batch's counts; deletions go through the
-- trigger.
CREATE TABLE event_history (
    type TEXT NOT NULL,
    minute INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (type, minute)
) WITHOUT ROWID;
CREATE TRIGGER event_history_on_delete AFTER DELETE ON events BEGIN
    UPDATE event_history SET count = count - 1
        WHERE type = old.type AND minute = old.time / 60000000;
    DELETE FROM event_history WHERE type = old.type AND minute = old.time / 60000000
        AND count <= 0;
END;
)sql";

// Version 1 → 2: the per-type, per-minute event counts, filled from the events already there.
constexpr const char *kEventHistoryBackfill = R"sql(
INSERT INTO event_history(type, minute, count)
    SELECT type, time / 60000000, count(*) FROM events GROUP BY 1, 2;
)sql";

} // namespace

std::string createdByString()
{
    return std::string("EventScope ") + EVENTSCOPE_VERSION;
}

std::string newCaptureId()
{
    std::random_device random;
    std::string id;
    static constexpr char kDigits[] = "0123456789abcdef";
    for (int i = 0; i < 8; ++i) {
        const unsigned word = random() & 0xffffu;
        for (int shift = 12; shift >= 0; shift -= 4)
            id += kDigits[(word >> shift) & 0xfu];
    }
    return id;
}

Status validateFile(const std::string &path)
{
    namespace fs = std::filesystem;
    std::error_code error;
    const auto status = fs::status(path, error);
    if (error || !fs::exists(status))
        return Status::failure(path + ": no such file");
    if (fs::is_directory(status))
        return Status::failure(path + ": is a directory, not a capture file");
    const auto size = fs::file_size(path, error);
    if (error)
        return Status::failure(path + ": cannot read size: " + error.message());
    if (size == 0)
        return Status::failure(path + ": file is empty (0 bytes); not an EventScope capture");

    // Read through SQLite, never an ifstream: see sqlite::Connection::readFileStart.
    std::array<unsigned char, 100> header{};
    try {
        sqlite::Connection file(path, sqlite::Connection::Mode::ReadOnly);
        file.readFileStart(header.data(), static_cast<int>(header.size()));
    } catch (const sqlite::Error &e) {
        return Status::failure(path + ": cannot open for reading: " + e.what());
    }
    const auto got = static_cast<std::size_t>(std::min<std::uintmax_t>(size, header.size()));
    static constexpr char kMagic[] = "SQLite format 3";
    if (got < 16 || std::memcmp(header.data(), kMagic, 16) != 0)
        return Status::failure(path + ": not an EventScope capture (not an SQLite database)");
    if (got < header.size())
        return Status::failure(path + ": file is truncated (" + std::to_string(size)
                               + " bytes, shorter than an SQLite header)");

    const auto applicationId = static_cast<std::int32_t>(readBigEndian32(&header[68]));
    if (applicationId != kApplicationId)
        return Status::failure(path + ": an SQLite database but not an EventScope capture");
    const auto schemaVersion = static_cast<int>(readBigEndian32(&header[60]));
    if (schemaVersion > kSchemaVersion)
        return Status::failure(path + ": capture schema version " + std::to_string(schemaVersion)
                               + " is newer than this EventScope reads ("
                               + std::to_string(kSchemaVersion)
                               + "); open it with a newer EventScope");
    if (schemaVersion < 1)
        return Status::failure(path + ": capture has no schema version; the file is damaged");

    std::uint32_t pageSize = (std::uint32_t{header[16]} << 8) | header[17];
    if (pageSize == 1)
        pageSize = 65536;
    const std::uint32_t pageCount = readBigEndian32(&header[28]);
    // The in-header size is only valid when the change counters agree (SQLite >= 3.7.0). With
    // a write-ahead log beside the file it proves nothing: a checkpoint copies page 1 (and its
    // new size) first and the pages that grow the file after it, so a writer killed during a
    // checkpoint leaves a file shorter than its header says, which SQLite completes from the
    // log when it opens it.
    std::error_code walError;
    const bool hasLog = fs::file_size(path + "-wal", walError) > 0 && !walError;
    const bool pageCountValid
        = !hasLog && pageCount != 0 && readBigEndian32(&header[24]) == readBigEndian32(&header[92]);
    if (pageCountValid) {
        const std::uint64_t expected = std::uint64_t{pageCount} * pageSize;
        if (size < expected)
            return Status::failure(path + ": file is truncated (" + std::to_string(size)
                                   + " bytes, its header says " + std::to_string(expected) + ")");
    }
    if (size % pageSize != 0)
        return Status::failure(path + ": file is truncated or damaged (" + std::to_string(size)
                               + " bytes is not a whole number of " + std::to_string(pageSize)
                               + "-byte pages)");
    return {};
}

void createSchema(sqlite::Connection &connection, const std::string &sourceDescription)
{
    connection.execute("PRAGMA journal_mode=DELETE");
    connection.execute("PRAGMA page_size=8192");
    connection.execute("PRAGMA auto_vacuum=INCREMENTAL");
    sqlite::Transaction transaction(connection);
    connection.execute("PRAGMA application_id=" + std::to_string(kApplicationId));
    connection.execute("PRAGMA user_version=" + std::to_string(kSchemaVersion));
    connection.execute(kSchema);
    connection.execute(kEventHistorySchema);
    connection.execute(kEventChunkSchema);
    connection.execute(kLogAndSpanChunkSchema);
    connection.execute(kFailureIndexSchema);
    connection.execute(kTopologySchema);
    auto insert = connection.prepare("INSERT INTO meta(key, value) VALUES (?1, ?2)");
    const auto now = std::chrono::duration_cast<std::chrono::microseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    const std::string version = std::to_string(kSchemaVersion);
    const std::string createdBy = createdByString();
    const std::string createdAt = formatTimestamp(now);
    insert.bind(1, std::string_view("schema_version")).bind(2, version).run();
    insert.bind(1, std::string_view("created_by")).bind(2, createdBy).run();
    insert.bind(1, std::string_view("created_at")).bind(2, createdAt).run();
    insert.bind(1, std::string_view("source")).bind(2, sourceDescription).run();
    const std::string captureId = newCaptureId();
    insert.bind(1, std::string_view("capture_id")).bind(2, captureId).run();
    transaction.commit();
}

bool upgradeSchema(sqlite::Connection &connection)
{
    const auto version = connection.queryInt("PRAGMA user_version");
    if (version >= kSchemaVersion)
        return false;
    sqlite::Transaction transaction(connection);
    if (version < 2) {
        connection.execute(kEventHistorySchema);
        connection.execute(kEventHistoryBackfill);
    }
    if (version < 3)
        connection.execute(kEventChunkSchema); // events already stored stay rows
    if (version < 4)
        connection.execute(kLogAndSpanChunkSchema); // so do logs and spans
    if (version < 5)
        connection.execute(kFailureIndexSchema); // and failures
    if (version < 6)
        connection.execute(kTopologySchema);
    connection.execute("PRAGMA user_version=" + std::to_string(kSchemaVersion));
    connection.execute("INSERT INTO meta(key, value) VALUES ('schema_version', '"
                       + std::to_string(kSchemaVersion)
                       + "') ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    transaction.commit();
    return true;
}

void configureWriter(sqlite::Connection &connection)
{
    connection.execute("PRAGMA journal_mode=WAL");
    // In WAL mode NORMAL survives a process crash at any instant; only an OS crash or power
    // loss can take back the last commits.
    connection.execute("PRAGMA synchronous=NORMAL");
    connection.execute("PRAGMA cache_size=-65536");
    connection.execute("PRAGMA temp_store=MEMORY");
    connection.execute("PRAGMA wal_autocheckpoint=4000");
}

void configureReader(sqlite::Connection &connection)
{
    connection.execute("PRAGMA cache_size=-32768");
    connection.execute("PRAGMA mmap_size=268435456");
    connection.execute("PRAGMA temp_store=MEMORY");
}

} // namespace eventscope::capture
