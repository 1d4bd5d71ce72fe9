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

std::uint32_t RecordBatch::internSeries(std::string_view name, std::span<LabelView> labels,
                                        std::string_view unit)
{
    sortLabels(labels);
    m_keyBuffer.clear();
    appendCanonicalSeriesKey(m_keyBuffer, name, labels);
    if (const auto found = m_seriesIndex.find(std::string_view(m_keyBuffer));
        found != m_seriesIndex.end()) {
        if (!unit.empty() && series[found->second].unit.empty())
            series[found->second].unit = std::string(unit);
        return found->second;
    }
    std::vector<Label> owned;
    owned.reserve(labels.size());
    for (const auto &[key, value] : labels)
        owned.emplace_back(std::string(key), std::string(value));
    const auto index = static_cast<std::uint32_t>(series.size());
    m_seriesIndex.emplace(m_keyBuffer, index);
    series.push_back({SeriesKey(std::string(name), std::move(owned)), std::string(unit)});
    return index;
}

std::uint32_t RecordBatch::topicIndex(std::string_view topic)
{
    for (std::size_t i = 0; i < m_topics.size(); ++i) {
        if (m_topics[i] == topic)
            return static_cast<std::uint32_t>(i);
    }
    m_topics.emplace_back(topic);
    return static_cast<std::uint32_t>(m_topics.size() - 1);
}

std::uint32_t RecordBatch::internSampleOrigin(const Origin &origin)
{
    if (!origin.isValid())
        return SampleRecord::kNoOrigin;
    const OriginKey key{topicIndex(origin.topic), origin.partition, origin.offset};
    auto [it, inserted]
        = m_originIndex.try_emplace(key, static_cast<std::uint32_t>(sampleOrigins.size()));
    if (inserted)
        sampleOrigins.push_back(origin);
    return it->second;
}

void RecordBatch::advanceOffset(const std::string &topic, std::int32_t partition,
                                std::int64_t nextOffset)
{
    const auto slot = static_cast<std::size_t>(partition) % 1024;
    if (slot >= m_offsetsByPartition.size())
        m_offsetsByPartition.resize(slot + 1);
    for (const std::uint32_t index : m_offsetsByPartition[slot]) {
        PartitionOffset &offset = offsets[index];
        if (offset.partition == partition && offset.topic == topic) {
            offset.nextOffset = std::max(offset.nextOffset, nextOffset);
            return;
        }
    }
    m_offsetsByPartition[slot].push_back(static_cast<std::uint32_t>(offsets.size()));
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
    m_topics.clear();
    m_originIndex.clear();
    m_offsetsByPartition.clear();
}

} // namespace eventscope
