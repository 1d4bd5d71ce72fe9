#pragma once

#include "model/event.h"
#include "model/timerange.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace eventscope {

// Filters for CaptureReader queries. Empty strings and default values mean "any".

struct EventQuery
{
    static constexpr std::uint32_t kAllCategories = (1u << kEventCategoryCount) - 1;

    TimeRange range;
    std::uint32_t categories = kAllCategories; // bit (1 << EventCategory)
    Severity minSeverity = Severity::Debug;
    std::string service;
    std::string entity;
    std::string type;
    std::string text; // case-insensitive substring of message, type, entity or service
    std::size_t limit = 0; // 0: no limit
    bool newestFirst = false;

    static std::uint32_t categoryBit(EventCategory category)
    {
        return 1u << static_cast<unsigned>(category);
    }
};

// Where an incremental read of events stopped: the last row of the events table and the last
// event chunk seen. Both only grow as the writer appends.
struct EventCursor
{
    std::int64_t lastRow = 0;
    std::int64_t lastChunk = 0;

    friend bool operator==(const EventCursor &, const EventCursor &) = default;
};

// Logs and spans are stored in time-ordered chunks with no index on trace id: a query by
// trace id reads every chunk its range overlaps, so give it the range the trace lies in.
struct LogQuery
{
    TimeRange range;
    Severity minLevel = Severity::Debug;
    std::string service;
    std::string entity;
    std::string traceId;
    std::string text;
    std::size_t limit = 0;
};

struct SpanQuery
{
    TimeRange range; // on the span's start time
    std::string service;
    std::string entity;
    std::string traceId;
    bool errorsOnly = false;
    std::size_t limit = 0;
};

struct CaptureInfo
{
    std::string path;
    int schemaVersion = 0;
    std::map<std::string, std::string> meta; // created_by, created_at, source, ...
    std::int64_t events = 0;
    std::int64_t series = 0;
    std::int64_t samples = 0;
    std::int64_t sampleChunks = 0;
    std::int64_t logs = 0;
    std::int64_t spans = 0;
    std::int64_t deadLetters = 0;
    std::int64_t topologyEdges = 0;
    TimeRange span{0, 0}; // [earliest, latest + 1) over all records; empty when there are none
    std::int64_t fileBytes = 0;
};

// How many events of some types fell in each minute (time / kEventHistoryBucket, truncating),
// over the whole capture: the history the correlation engine weighs causes with.
constexpr TimeUs kEventHistoryBucket = 60 * kMicrosPerSecond;
struct EventTypeHistory
{
    struct Bucket
    {
        std::int64_t minute = 0;
        std::int64_t count = 0;
    };
    std::map<std::string, std::vector<Bucket>, std::less<>> byType; // buckets in minute order
    // The minutes of the capture's first and last events; last < first when it has none.
    std::int64_t firstMinute = 0;
    std::int64_t lastMinute = -1;
};

} // namespace eventscope
