#pragma once

#include "model/deadletter.h"
#include "model/event.h"
#include "model/logrecord.h"
#include "model/origin.h"
#include "model/series.h"
#include "model/span.h"
#include "model/topologyedge.h"
#include "store/alertoutbox.h"
#include "store/queries.h"
#include "store/savedview.h"
#include "store/sqlite.h"
#include "util/result.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace eventscope {

struct CopyOptions;
struct CopyProgress;

// Read-only queries on a capture: time range in, plain structs out. Owns one read
// connection; WAL lets it read while the writer commits. Not thread-safe: every thread that
// reads (the GUI, an analysis job) opens its own reader.
class CaptureReader
{
public:
    static Result<std::unique_ptr<CaptureReader>> open(const std::string &path);
    ~CaptureReader();

    const std::string &path() const { return m_path; }

    Result<CaptureInfo> info();

    Result<std::vector<Event>> events(const EventQuery &query);
    // Streams matching events to `visit` without holding them all; stop by returning false.
    Status forEachEvent(const EventQuery &query, const std::function<bool(Event &&)> &visit);
    // Events committed after `cursor`, in commit order (not time order), then moves the cursor
    // past them: what a live view reads after each commit instead of everything again. Start
    // from a default cursor to read every event. Events that retention removed are not seen.
    Status forEachEventCommittedAfter(EventCursor &cursor,
                                      const std::function<void(Event &&)> &visit);
    // The event with this producer id; the earliest one if a producer reused the id. Failures
    // (incidents) are indexed; other events are found by a scan.
    Result<std::optional<Event>> eventBySourceId(const std::string &sourceId);

    Result<std::vector<SeriesInfo>> series();
    Result<std::optional<SeriesInfo>> seriesByKey(const SeriesKey &key);
    // All samples of a series in a range, in time order (ties in arrival order).
    Result<std::vector<Sample>> samples(std::int64_t seriesId, TimeRange range);
    // `bucketCount` equal buckets over `range` (which must be bounded), each with count, min,
    // max, first and last: what a chart draws. Reads chunk summaries from the index and
    // decodes only the chunks that straddle a bucket boundary.
    Result<std::vector<LodBucket>> levelOfDetail(std::int64_t seriesId, TimeRange range,
                                                 int bucketCount);

    Result<std::vector<LogRecord>> logs(const LogQuery &query);
    Status forEachLog(const LogQuery &query, const std::function<bool(LogRecord &&)> &visit);
    Result<std::vector<Span>> spans(const SpanQuery &query);
    Status forEachSpan(const SpanQuery &query, const std::function<bool(Span &&)> &visit);
    Result<std::vector<DeadLetter>> deadLetters(std::size_t limit);
    Result<std::vector<PartitionOffset>> offsets();
    // The declared service dependencies, by caller then callee; none before schema version 6.
    Result<std::vector<TopologyEdge>> topology();
    // Events of these types per minute over the whole capture (each type present, perhaps
    // with no buckets), and the minutes of the first and last event. Reads the small
    // event_history table; a capture from before schema version 2, opened read-only, has the
    // counts computed from its events (a scan per type).
    Result<EventTypeHistory> eventHistory(const std::vector<std::string> &types);

    // The view saved under this name (the console's is ""), if the capture has one.
    Result<std::optional<SavedView>> savedView(const std::string &name = {});
    // The capture's alert deliveries (its outbox), by alert time; none when it has none.
    // `undeliveredOnly`: the pending and the failed ones.
    Result<std::vector<AlertDelivery>> alertDeliveries(bool undeliveredOnly = false);

private:
    // Copies through this reader's connection, inside one read transaction of it.
    friend Result<CaptureInfo> copyCapture(const std::string &, const std::string &,
                                           const CopyOptions &,
                                           const std::function<bool(const CopyProgress &)> &);

    CaptureReader(std::string path, sqlite::Connection connection);
    template<typename T, typename F> Result<T> guarded(const char *what, F &&function);
    template<typename F> Status guardedStatus(const char *what, F &&function);
    void addChunkedEventsToHistory(EventTypeHistory &history);

    std::string m_path;
    sqlite::Connection m_connection;
    bool m_hasEventChunks = false; // schema version 3 and later
    bool m_hasLogAndSpanChunks = false; // schema version 4 and later
    bool m_hasFailureIndex = false; // schema version 5 and later: failures in event chunks
    bool m_hasTopology = false; // schema version 6 and later
};

} // namespace eventscope
