#pragma once

#include "model/deadletter.h"
#include "model/event.h"
#include "model/logrecord.h"
#include "model/origin.h"
#include "model/series.h"
#include "model/span.h"
#include "model/topologyedge.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <span>
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
    std::uint64_t identity = 0; // key.identity(), computed once by RecordBatch::internSeries
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
    std::vector<TopologyEdge> topology;
    std::vector<PartitionOffset> offsets;

    // Index of a series in `series`, adding it on first use.
    std::uint32_t internSeries(SeriesKey key, std::string unit = {});
    // The same from views, labels in any order: a series the batch already holds is found
    // without building a SeriesKey (decoders call this once per sample). Reorders `labels`.
    std::uint32_t internSeries(std::string_view name, std::span<LabelView> labels,
                               std::string_view unit = {});
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
        return events.size() + samples.size() + logs.size() + spans.size() + deadLetters.size()
            + topology.size();
    }
    bool isEmpty() const { return recordCount() == 0 && offsets.empty(); }
    void clear();

private:
    struct OriginKey
    {
        std::uint32_t topic; // index into m_topics
        std::int32_t partition;
        std::int64_t offset;
        friend bool operator==(const OriginKey &, const OriginKey &) = default;
    };
    struct OriginKeyHash
    {
        std::size_t operator()(const OriginKey &key) const
        {
            return std::hash<std::int64_t>{}(key.offset * 1'000'003 + key.partition * 131
                                             + key.topic);
        }
    };
    std::uint32_t topicIndex(std::string_view topic);

    template<typename Matches>
    std::uint32_t findSeries(std::uint64_t identity, const Matches &matches) const;
    std::uint32_t addSeries(SeriesDefinition definition);

    static constexpr std::uint32_t kNotFound = std::numeric_limits<std::uint32_t>::max();
    // Series by identity; the rare series whose identity another one already has are kept in
    // m_identityCollisions and found by comparing keys.
    std::unordered_map<std::uint64_t, std::uint32_t> m_seriesIndex;
    std::vector<std::uint32_t> m_identityCollisions;
    std::vector<std::string> m_topics; // the few topics of the batch's sample origins
    std::unordered_map<OriginKey, std::uint32_t, OriginKeyHash> m_originIndex;
    // Offsets by partition number (mod the table's size): batches interleave many partitions
    // and a message looks its partition up once.
    std::vector<std::vector<std::uint32_t>> m_offsetsByPartition;
};

} // namespace eventscope
