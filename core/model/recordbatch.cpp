#include "model/recordbatch.h"

namespace eventscope {

std::uint32_t RecordBatch::internSeries(SeriesKey key, std::string unit)
{
    auto [it, inserted]
        = m_seriesIndex.try_emplace(key.canonical(), static_cast<std::uint32_t>(series.size()));
    if (inserted)
        series.push_back({std::move(key), std::move(unit)});
    else if (!unit.empty() && series[it->second].unit.empty())
        series[it->second].unit = std::move(unit);
    return it->second;
}

std::uint32_t RecordBatch::internSampleOrigin(const Origin &origin)
{
    if (!origin.isValid())
        return SampleRecord::kNoOrigin;
    std::string key = origin.topic;
    key += '\0';
    key += std::to_string(origin.partition);
    key += '\0';
    key += std::to_string(origin.offset);
    auto [it, inserted] = m_originIndex.try_emplace(
        std::move(key), static_cast<std::uint32_t>(sampleOrigins.size()));
    if (inserted)
        sampleOrigins.push_back(origin);
    return it->second;
}

void RecordBatch::advanceOffset(const std::string &topic, std::int32_t partition,
                                std::int64_t nextOffset)
{
    for (auto &offset : offsets) {
        if (offset.partition == partition && offset.topic == topic) {
            offset.nextOffset = std::max(offset.nextOffset, nextOffset);
            return;
        }
    }
    offsets.push_back({topic, partition, nextOffset});
}

void RecordBatch::clear()
{
    events.clear();
    series.clear();
    samples.clear();
    sampleOrigins.clear();
    logs.clear();
    spans.clear();
    deadLetters.clear();
    offsets.clear();
    m_seriesIndex.clear();
    m_originIndex.clear();
}

} // namespace eventscope
