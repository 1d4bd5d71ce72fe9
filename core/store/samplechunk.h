#pragma once

#include "model/series.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace eventscope {

// What the store keeps beside every chunk so that level-of-detail queries can use a whole
// chunk without decoding it.
struct ChunkSummary
{
    std::int64_t count = 0;
    TimeUs minTime = 0;
    TimeUs maxTime = 0;
    double minValue = 0.0; // NaN samples are counted but not in min/max; NaN if all are NaN
    double maxValue = 0.0;
    double firstValue = 0.0; // value at minTime
    double lastValue = 0.0; // value at maxTime
};

// Encodes consecutive samples of one series, in time order, into a compact blob.
//
// Timestamps: delta-of-delta in the chunk's time unit (1 µs, 1 ms or 1 s, the coarsest that is
// exact). Values: when every value is an exact decimal with at most 9 fraction digits (what JSON
// producers write: 0.8312, 12.5, 3), deltas of the integer mantissas; otherwise Gorilla XOR
// coding of the IEEE bits. Deltas are zigzag-coded into prefix buckets ('0' for zero, then three
// widths and a 64-bit escape) whose widths each chunk chooses from its own data, so a noisy
// gauge and a byte counter both pack tight. Typical gauges take 2-4 bytes a sample.
//
// Every 64 samples form a block with its own summary (first/last time, min, max, first, last)
// and restart point in both bit streams, so a query can use or decode one block of a chunk
// without the rest: level of detail decodes only the block a bucket boundary falls in.
//
// Layout: mode, count, first time, time unit, time widths, [scale, first mantissa, value widths |
// first value bits], directory length, block directory, time stream length, time bit stream,
// value bit stream.
class ChunkEncoder
{
public:
    static constexpr std::size_t kBlockSamples = 64;

    // `lookAhead` is the samples about to start this chunk; they choose time unit and
    // value encoding. It must not be empty.
    explicit ChunkEncoder(std::span<const Sample> lookAhead);

    // Appends a sample; false (and nothing changes) when it cannot continue this chunk: earlier
    // than the last sample, or not exact in the chunk's time unit or decimal scale.
    bool tryAppend(TimeUs time, double value);

    const ChunkSummary &summary() const { return m_summary; }
    std::int64_t count() const { return m_summary.count; }
    // The encoded chunk. Can be called between appends (the store rewrites a growing chunk).
    std::string blob() const;

private:
    enum class ValueMode : std::uint8_t { Decimal = 1, Xor = 2 };

    ValueMode m_mode = ValueMode::Xor;
    std::int64_t m_timeUnit = 1;
    int m_scale = 0;
    TimeUs m_firstTime = 0;
    TimeUs m_lastTime = 0;
    std::int64_t m_lastDelta = 0;
    std::int64_t m_firstMantissa = 0;
    std::int64_t m_lastMantissa = 0;
    std::uint64_t m_firstBits = 0;
    // Zigzag codes of every sample after the first; bit-packed when blob() is called, once the
    // chunk's own distribution is known.
    std::vector<std::uint64_t> m_timeCodes;
    std::vector<std::uint64_t> m_valueCodes; // mantissa deltas, or raw IEEE bits in XOR mode
    ChunkSummary m_summary;
    bool m_summaryHasValue = false;
};

// Decodes a chunk blob. Returns false for a blob that is not a valid chunk (a corrupt file),
// leaving whatever was decoded before the damage in `out`.
bool decodeChunk(std::string_view blob, std::vector<Sample> &out);

// Calls visit(time, value) for every sample of a chunk, in order. False for a corrupt blob.
template<typename Visitor> bool forEachSample(std::string_view blob, Visitor &&visit);

// The samples of one chunk that fall into one bucket: what a level-of-detail query merges.
struct BucketSegment
{
    std::size_t bucket = 0;
    std::int64_t count = 0;
    double min = 0.0; // NaN when every sample is NaN
    double max = 0.0;
    TimeUs firstTime = 0;
    double first = 0.0;
    TimeUs lastTime = 0;
    double last = 0.0;
};

// Splits a chunk's samples inside `range` into runs that share a bucket of `width` µs counted
// from range.begin, and calls onSegment(const BucketSegment &) for each run. Cheaper than
// forEachSample for aggregation: bucket indexes are computed only at bucket changes, and
// decimal chunks take min/max on integer mantissas, dividing once per run.
template<typename OnSegment>
bool forEachBucketSegment(std::string_view blob, TimeRange range, TimeUs width,
                          OnSegment &&onSegment);

} // namespace eventscope

#include "store/samplechunk_decode.h"
