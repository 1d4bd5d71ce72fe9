#pragma once

#include "model/deadletter.h"
#include "model/event.h"
#include "model/logrecord.h"
#include "model/origin.h"
#include "model/series.h"
#include "model/span.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

namespace eventscope {

// A decoded sample inside a RecordBatch: the series and origin are indexes into the batch's
// own tables, so a batch of a million samples carries each series key and topic once.
struct SampleRecord
{
    static constexpr std::uint32_t kNoOrigin = std::numeric_limits<std::uint32_t>::max();

    std::uint32_t series = 0;
    std::uint32_t origin = kNoOrigin;
    TimeUs time = 0;
    double value = 0.0;
};

struct SeriesDefinition
{
    SeriesKey key;
    std::string unit;
};

// Everything decoded from a run of messages, plus the partition offsets it covers. The store
// writes a batch all or nothing: its rows and its offsets commit in one transaction.
class RecordBatch
{
public:
    std::vector<Event> events;
    std::vector<SeriesDefinition> series;
    std::vector<SampleRecord> samples;
    std::vector<Origin> sampleOrigins;
    std::vector<LogRecord> logs;
    std::vector<Span> spans;
    std::vector<DeadLetter> deadLetters;
    std::vector<PartitionOffset> offsets;

    // Index of a series in `series`, adding it on first use.
    std::uint32_t internSeries(SeriesKey key, std::string unit = {});
    std::uint32_t internSampleOrigin(const Origin &origin);
    void addSample(std::uint32_t seriesIndex, TimeUs time, double value,
                   std::uint32_t origin = SampleRecord::kNoOrigin)
    {
        samples.push_back({seriesIndex, origin, time, value});
    }

    // Sets the next offset for a partition, keeping the highest one seen.
    void advanceOffset(const std::string &topic, std::int32_t partition, std::int64_t nextOffset);

    std::size_t recordCount() const
    {
        return events.size() + samples.size() + logs.size() + spans.size() + deadLetters.size();
    }
    bool isEmpty() const { return recordCount() == 0 && offsets.empty(); }
    void clear();

private:
    std::unordered_map<std::string, std::uint32_t> m_seriesIndex;
    std::unordered_map<std::string, std::uint32_t> m_originIndex;
};

} // namespace eventscope
