#include "model/recordbatch.h"

namespace eventscope {

namespace {
bool sameSeries(const SeriesKey &key, std::string_view name, std::span<const LabelView> labels)
{
    if (key.name != name || key.labels.size() != labels.size())
        return false;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (key.labels[i].first != labels[i].first || key.labels[i].second != labels[i].second)
            return false;
    }
    return true;
}
} // namespace

template<typename Matches>
std::uint32_t RecordBatch::findSeries(std::uint64_t identity, const Matches &matches) const
{
    const auto found = m_seriesIndex.find(identity);
    if (found == m_seriesIndex.end())
        return kNotFound;
    if (matches(series[found->second].key))
        return found->second;
    for (const std::uint32_t index : m_identityCollisions) {
        if (series[index].identity == identity && matches(series[index].key))
            return index;
    }
    return kNotFound;
}

std::uint32_t RecordBatch::addSeries(SeriesDefinition definition)
{
    const auto index = static_cast<std::uint32_t>(series.size());
    if (!m_seriesIndex.try_emplace(definition.identity, index).second)
        m_identityCollisions.push_back(index);
    series.push_back(std::move(definition));
    return index;
}

std::uint32_t RecordBatch::internSeries(SeriesKey key, std::string unit)
{
    const std::uint64_t identity = key.identity();
    const std::uint32_t index
        = findSeries(identity, [&key](const SeriesKey &candidate) { return candidate == key; });
    if (index == kNotFound)
        return addSeries({std::move(key), std::move(unit), identity});
    if (!unit.empty() && series[index].unit.empty())
        series[index].unit = std::move(unit);
    return index;
}

std::uint32_t RecordBatch::internSeries(std::string_view name, std::span<LabelView> labels,
                                        std::string_view unit)
{
    sortLabels(labels);
    const std::uint64_t identity = seriesIdentity(name, labels);
    const auto matches
        = [&](const SeriesKey &candidate) { return sameSeries(candidate, name, labels); };
    if (const std::uint32_t index = findSeries(identity, matches); index != kNotFound) {
        if (!unit.empty() && series[index].unit.empty())
            series[index].unit = std::string(unit);
        return index;
    }
    std::vector<Label> owned;
    owned.reserve(labels.size());
    for (const auto &[key, value] : labels)
        owned.emplace_back(std::string(key), std::string(value));
    return addSeries({SeriesKey(std::string(name), std::move(owned)), std::string(unit), identity});
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
    topology.clear();
    offsets.clear();
    m_seriesIndex.clear();
    m_identityCollisions.clear();
    m_topics.clear();
    m_originIndex.clear();
    m_offsetsByPartition.clear();
}

} // namespace eventscope
