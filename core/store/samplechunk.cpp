#include "store/samplechunk.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>
#include <optional>

namespace eventscope {

using namespace chunkformat;

namespace {

constexpr double kMaxExactMantissa = 9007199254740992.0; // 2^53

// The decimal mantissa of `value` at `scale`, when value == mantissa / 10^scale exactly.
std::optional<std::int64_t> mantissaAt(double value, int scale)
{
    const double scaled = value * kPowersOfTen[scale];
    if (!(std::fabs(scaled) < kMaxExactMantissa))
        return std::nullopt; // also rejects NaN and infinities
    const auto mantissa = static_cast<std::int64_t>(std::nearbyint(scaled));
    const double back = static_cast<double>(mantissa) / kPowersOfTen[scale];
    if (std::bit_cast<std::uint64_t>(back) != std::bit_cast<std::uint64_t>(value))
        return std::nullopt; // includes -0.0, which the mantissa cannot carry
    return mantissa;
}

std::optional<int> smallestScale(double value)
{
    for (int scale = 0; scale <= kMaxScale; ++scale) {
        if (mantissaAt(value, scale))
            return scale;
    }
    return std::nullopt;
}

void appendVarint(std::string &out, std::uint64_t value)
{
    while (value >= 0x80) {
        out += static_cast<char>((value & 0x7f) | 0x80);
        value >>= 7;
    }
    out += static_cast<char>(value);
}

class BitWriter
{
public:
    explicit BitWriter(std::string &out)
        : m_out(out)
    { }

    void write(std::uint64_t value, int bits)
    {
        while (bits > 0) {
            const int take = std::min(bits, 32);
            const std::uint64_t part = (value >> (bits - take)) & ((std::uint64_t{1} << take) - 1);
            m_accumulator = (m_accumulator << take) | part;
            m_pending += take;
            bits -= take;
            while (m_pending >= 8) {
                m_out += static_cast<char>(m_accumulator >> (m_pending - 8));
                m_pending -= 8;
            }
            m_accumulator &= (std::uint64_t{1} << m_pending) - 1;
        }
    }
    std::uint64_t bitCount() const
    {
        return m_out.size() * 8 + static_cast<std::uint64_t>(m_pending);
    }

    void flush()
    {
        if (m_pending > 0)
            m_out += static_cast<char>((m_accumulator << (8 - m_pending)) & 0xff);
        m_pending = 0;
        m_accumulator = 0;
    }
    void writeBucketed(const Buckets &buckets, std::uint64_t code)
    {
        if (code == 0) {
            write(0, 1);
            return;
        }
        for (int i = 0; i < 3; ++i) {
            if (code >> buckets.bits[i] == 0) {
                // i+1 ones then a zero, then the value.
                write(((std::uint64_t{1} << (i + 1)) - 1) << 1, i + 2);
                write(code, buckets.bits[i]);
                return;
            }
        }
        write(0b1111, 4);
        write(code, 64);
    }

private:
    std::string &m_out;
    std::uint64_t m_accumulator = 0;
    int m_pending = 0;
};

// Bucket widths for a chunk's codes: candidates from the distribution of their bit lengths,
// the cheapest total wins.
Buckets chooseBuckets(const std::vector<std::uint64_t> &codes)
{
    std::array<std::int64_t, 65> histogram{};
    for (const std::uint64_t code : codes)
        ++histogram[static_cast<std::size_t>(64 - std::countl_zero(code))];
    std::array<std::int64_t, 65> atMost{}; // codes with bit length <= L
    std::int64_t running = 0;
    for (std::size_t length = 0; length <= 64; ++length) {
        running += histogram[length];
        atMost[length] = running;
    }
    const std::int64_t total = running;
    const std::int64_t nonZero = total - histogram[0];
    Buckets best;
    if (nonZero == 0)
        return best;

    auto lengthAtShare = [&](double share) {
        const auto wanted = histogram[0]
            + static_cast<std::int64_t>(std::ceil(share * static_cast<double>(nonZero)));
        for (int length = 1; length <= 64; ++length) {
            if (atMost[static_cast<std::size_t>(length)] >= wanted)
                return length;
        }
        return 64;
    };
    auto cost = [&](int b0, int b1, int b2) {
        const auto c0 = atMost[static_cast<std::size_t>(b0)],
                   c1 = atMost[static_cast<std::size_t>(b1)],
                   c2 = atMost[static_cast<std::size_t>(b2)];
        return histogram[0] + (c0 - histogram[0]) * (2 + b0) + (c1 - c0) * (3 + b1)
            + (c2 - c1) * (4 + b2) + (total - c2) * (4 + 64);
    };
    const int maxLength = std::min(lengthAtShare(1.0), 56);
    std::int64_t bestCost = std::numeric_limits<std::int64_t>::max();
    for (const double share0 : {0.3, 0.5, 0.65, 0.8, 0.9, 0.97}) {
        for (const double share1 : {0.9, 0.97, 0.995}) {
            const int b0 = std::min(lengthAtShare(share0), 54);
            const int b1 = std::clamp(lengthAtShare(share1), b0 + 1, 55);
            const int b2 = std::clamp(maxLength, b1 + 1, 56);
            const std::int64_t c = cost(b0, b1, b2);
            if (c < bestCost) {
                bestCost = c;
                best.bits[0] = static_cast<std::uint8_t>(b0);
                best.bits[1] = static_cast<std::uint8_t>(b1);
                best.bits[2] = static_cast<std::uint8_t>(b2);
            }
        }
    }
    return best;
}

void appendBuckets(std::string &out, const Buckets &buckets)
{
    for (const std::uint8_t bits : buckets.bits)
        out += static_cast<char>(bits);
}

} // namespace

ChunkEncoder::ChunkEncoder(std::span<const Sample> lookAhead)
{
    const Sample &first = lookAhead.front();
    m_firstTime = m_lastTime = first.time;

    // Coarsest time unit that keeps every look-ahead timestamp exact.
    m_timeUnit = kMicrosPerSecond;
    for (const Sample &sample : lookAhead) {
        const std::int64_t offset = sample.time - first.time;
        while (m_timeUnit > 1 && offset % m_timeUnit != 0)
            m_timeUnit /= 1000;
        if (m_timeUnit == 1)
            break;
    }

    // Decimal mode when the look-ahead values are all exact decimals; the largest scale wins.
    int scale = 0;
    bool decimal = true;
    for (const Sample &sample : lookAhead) {
        const auto sampleScale = smallestScale(sample.value);
        if (!sampleScale) {
            decimal = false;
            break;
        }
        scale = std::max(scale, *sampleScale);
    }
    if (decimal && mantissaAt(first.value, scale)) {
        m_mode = ValueMode::Decimal;
        m_scale = scale;
        m_firstMantissa = m_lastMantissa = *mantissaAt(first.value, scale);
    } else {
        m_mode = ValueMode::Xor;
        m_firstBits = std::bit_cast<std::uint64_t>(first.value);
    }

    m_summary.count = 1;
    m_summary.minTime = m_summary.maxTime = first.time;
    m_summary.firstValue = m_summary.lastValue = first.value;
    m_summary.minValue = m_summary.maxValue = first.value; // NaN until a number arrives
    m_summaryHasValue = !std::isnan(first.value);
    m_timeCodes.reserve(lookAhead.size());
    m_valueCodes.reserve(lookAhead.size());
}

bool ChunkEncoder::tryAppend(TimeUs time, double value)
{
    if (time < m_lastTime)
        return false;
    const std::int64_t offset = time - m_lastTime;
    if (offset % m_timeUnit != 0)
        return false;
    std::uint64_t valueCode = 0;
    if (m_mode == ValueMode::Decimal) {
        const auto mantissa = mantissaAt(value, m_scale);
        if (!mantissa)
            return false;
        valueCode = zigzag(*mantissa - m_lastMantissa);
        m_lastMantissa = *mantissa;
    } else {
        valueCode = std::bit_cast<std::uint64_t>(value);
    }

    const std::int64_t delta = offset / m_timeUnit;
    m_timeCodes.push_back(zigzag(delta - m_lastDelta));
    m_valueCodes.push_back(valueCode);
    m_lastDelta = delta;
    m_lastTime = time;

    ++m_summary.count;
    m_summary.maxTime = time;
    m_summary.lastValue = value;
    if (!std::isnan(value)) {
        if (!m_summaryHasValue) {
            m_summary.minValue = m_summary.maxValue = value;
            m_summaryHasValue = true;
        } else {
            m_summary.minValue = std::min(m_summary.minValue, value);
            m_summary.maxValue = std::max(m_summary.maxValue, value);
        }
    }
    return true;
}

namespace {

// Summary of one block of kBlockSamples consecutive samples, in the chunk's own units.
struct BlockSummary
{
    std::uint64_t timeBits = 0; // where the block's first code starts in each stream
    std::uint64_t valueBits = 0;
    std::int64_t previousDelta = 0; // time delta state before the block's first code
    TimeUs firstTime = 0;
    TimeUs lastTime = 0;
    std::int64_t low = 0, high = 0, first = 0, last = 0; // mantissas (decimal mode)
    double lowValue = 0, highValue = 0, firstValue = 0, lastValue = 0; // XOR mode
    bool hasNumber = false;
};

void appendBlock(std::string &out, const BlockSummary &block, bool restart, bool decimal,
                 TimeUs chunkFirst, std::int64_t unit, std::int64_t firstMantissa)
{
    if (restart) {
        appendVarint(out, block.timeBits);
        appendVarint(out, block.valueBits);
        appendVarint(out, zigzag(block.previousDelta));
    }
    appendVarint(out, static_cast<std::uint64_t>((block.firstTime - chunkFirst) / unit));
    appendVarint(out, static_cast<std::uint64_t>((block.lastTime - block.firstTime) / unit));
    if (decimal) {
        for (const std::int64_t mantissa : {block.low, block.high, block.first, block.last})
            appendVarint(out, zigzag(mantissa - firstMantissa));
        return;
    }
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (const double value :
         {block.hasNumber ? block.lowValue : nan, block.hasNumber ? block.highValue : nan,
          block.firstValue, block.lastValue}) {
        const auto bits = std::bit_cast<std::uint64_t>(value);
        for (int shift = 56; shift >= 0; shift -= 8)
            out += static_cast<char>((bits >> shift) & 0xff);
    }
}

} // namespace

std::string ChunkEncoder::blob() const
{
    const bool decimal = m_mode == ValueMode::Decimal;
    const Buckets timeBuckets = chooseBuckets(m_timeCodes);
    const Buckets valueBuckets = decimal ? chooseBuckets(m_valueCodes) : Buckets();

    // One pass writes both bit streams and the block directory.
    std::string timeStream, valueStream, directory;
    BitWriter times(timeStream), values(valueStream);
    TimeUs time = m_firstTime;
    std::int64_t delta = 0;
    std::int64_t mantissa = m_firstMantissa;
    std::uint64_t previousBits = m_firstBits;
    int lastLeading = -1, lastTrailing = 0;
    BlockSummary block;
    const auto count = static_cast<std::size_t>(m_summary.count);
    for (std::size_t i = 0; i < count; ++i) {
        if (i % kBlockSamples == 0) {
            if (i > 0)
                appendBlock(directory, block, i > kBlockSamples, decimal, m_firstTime, m_timeUnit,
                            m_firstMantissa);
            block = BlockSummary();
            block.timeBits = times.bitCount();
            block.valueBits = values.bitCount();
            block.previousDelta = delta;
            lastLeading = -1; // XOR window restarts, so a block decodes on its own
        }
        double value = 0;
        if (i == 0) {
            value = decimal ? 0 : std::bit_cast<double>(m_firstBits);
        } else {
            const std::uint64_t timeCode = m_timeCodes[i - 1];
            times.writeBucketed(timeBuckets, timeCode);
            delta += unzigzag(timeCode);
            time += delta * m_timeUnit;
            const std::uint64_t valueCode = m_valueCodes[i - 1];
            if (decimal) {
                values.writeBucketed(valueBuckets, valueCode);
                mantissa += unzigzag(valueCode);
            } else {
                // Gorilla XOR against the previous value's bits.
                const std::uint64_t xorValue = valueCode ^ previousBits;
                previousBits = valueCode;
                value = std::bit_cast<double>(valueCode);
                if (xorValue == 0) {
                    values.write(0, 1);
                } else {
                    const int leading = std::min(std::countl_zero(xorValue), 31);
                    const int trailing = std::countr_zero(xorValue);
                    if (lastLeading >= 0 && leading >= lastLeading && trailing >= lastTrailing) {
                        values.write(0b10, 2);
                        values.write(xorValue >> lastTrailing, 64 - lastLeading - lastTrailing);
                    } else {
                        const int significant = 64 - leading - trailing;
                        values.write(0b11, 2);
                        values.write(static_cast<std::uint64_t>(leading), 5);
                        values.write(
                            static_cast<std::uint64_t>(significant == 64 ? 0 : significant), 6);
                        values.write(xorValue >> trailing, significant);
                        lastLeading = leading;
                        lastTrailing = trailing;
                    }
                }
            }
        }
        if (i % kBlockSamples == 0) {
            block.firstTime = time;
            block.first = block.low = block.high = mantissa;
            block.firstValue = value;
        }
        block.lastTime = time;
        block.last = mantissa;
        block.low = std::min(block.low, mantissa);
        block.high = std::max(block.high, mantissa);
        block.lastValue = value;
        if (!decimal && !std::isnan(value)) {
            block.lowValue = block.hasNumber ? std::min(block.lowValue, value) : value;
            block.highValue = block.hasNumber ? std::max(block.highValue, value) : value;
            block.hasNumber = true;
        }
    }
    appendBlock(directory, block, count > kBlockSamples, decimal, m_firstTime, m_timeUnit,
                m_firstMantissa);
    times.flush();
    values.flush();

    std::string out;
    out.reserve(40 + directory.size() + timeStream.size() + valueStream.size());
    out += static_cast<char>(m_mode);
    appendVarint(out, static_cast<std::uint64_t>(m_summary.count));
    appendVarint(out, zigzag(m_firstTime));
    appendVarint(out, static_cast<std::uint64_t>(m_timeUnit));
    appendBuckets(out, timeBuckets);
    if (decimal) {
        out += static_cast<char>(m_scale);
        appendVarint(out, zigzag(m_firstMantissa));
        appendBuckets(out, valueBuckets);
    } else {
        for (int shift = 56; shift >= 0; shift -= 8)
            out += static_cast<char>((m_firstBits >> shift) & 0xff);
    }
    appendVarint(out, directory.size());
    out += directory;
    appendVarint(out, timeStream.size());
    out += timeStream;
    out += valueStream;
    return out;
}

bool decodeChunk(std::string_view blob, std::vector<Sample> &out)
{
    return forEachSample(blob, [&out](TimeUs time, double value) { out.push_back({time, value}); });
}

} // namespace eventscope
