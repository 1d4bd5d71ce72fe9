#pragma once

// The chunk decoder, inline because level-of-detail queries run it per sample.

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>
#include <vector>

namespace eventscope::chunkformat {

#define EVENTSCOPE_HOT_INLINE inline __attribute__((always_inline))

constexpr double kPowersOfTen[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
constexpr int kMaxScale = 9;

inline std::uint64_t zigzag(std::int64_t v)
{
    return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}
inline std::int64_t unzigzag(std::uint64_t v)
{
    return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}

// Two's-complement wrapping arithmetic: a damaged chunk decodes to garbage values (rejected
// by the overrun checks), never to undefined behaviour.
inline std::int64_t wrapAdd(std::int64_t a, std::int64_t b)
{
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) + static_cast<std::uint64_t>(b));
}
inline std::int64_t wrapMultiply(std::int64_t a, std::int64_t b)
{
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) * static_cast<std::uint64_t>(b));
}

// Prefix-coded buckets: '0' is zero, '10' + bits[0], '110' + bits[1], '1110' + bits[2],
// '1111' + 64 bits. Widths are 1..56 and increasing; each chunk stores its own.
struct Buckets
{
    std::uint8_t bits[3] = {8, 16, 32};
};

// Buckets unpacked for decoding, indexed by the number of leading ones (0..4).
struct BucketTable
{
    std::uint8_t prefix[5] = {1, 2, 3, 4, 4};
    std::uint8_t width[5] = {0, 8, 16, 32, 64};

    BucketTable() = default;
    explicit BucketTable(const Buckets &buckets)
    {
        for (int i = 0; i < 3; ++i)
            width[i + 1] = buckets.bits[i];
    }
};

class BitReader
{
public:
    BitReader(const std::uint8_t *data, std::size_t size, std::uint64_t startBit = 0)
        : m_data(data)
        , m_size(size)
        , m_position(startBit)
    { }

    // Up to 56 bits, MSB first.
    EVENTSCOPE_HOT_INLINE std::uint64_t read(int bits)
    {
        const std::uint64_t value = peek() >> (64 - bits);
        m_position += static_cast<std::size_t>(bits);
        return value;
    }
    std::uint64_t read64()
    {
        const std::uint64_t high = read(32);
        return (high << 32) | read(32);
    }
    EVENTSCOPE_HOT_INLINE bool overrun() const { return m_position > m_size * 8; }

    // Branch-free on the common path: the prefix length picks width and consumed bits from a
    // table; only the 64-bit escape and very wide buckets take the slow path.
    EVENTSCOPE_HOT_INLINE std::uint64_t readBucketed(const BucketTable &table)
    {
        const std::uint64_t top = peek();
        const int ones = std::min(std::countl_one(top), 4);
        const int prefix = table.prefix[ones];
        const int width = table.width[ones];
        if (prefix + width > 57) [[unlikely]] {
            m_position += static_cast<std::size_t>(prefix);
            return width == 64 ? read64() : read(width);
        }
        m_position += static_cast<std::size_t>(prefix + width);
        return ((top << prefix) >> 1) >> (63 - width);
    }

private:
    EVENTSCOPE_HOT_INLINE std::uint64_t peek() const
    {
        const std::size_t byte = m_position >> 3;
        std::uint64_t word = 0;
        if (byte + 8 <= m_size) {
            std::memcpy(&word, m_data + byte, 8);
            word = __builtin_bswap64(word);
        } else {
            for (std::size_t i = 0; i < 8; ++i)
                word = (word << 8) | (byte + i < m_size ? m_data[byte + i] : 0u);
        }
        return word << (m_position & 7);
    }

    const std::uint8_t *m_data;
    std::size_t m_size;
    std::size_t m_position;
};

inline bool readVarint(const std::uint8_t *&cursor, const std::uint8_t *end, std::uint64_t &out)
{
    std::uint64_t value = 0;
    for (int shift = 0; shift < 64 && cursor < end; shift += 7) {
        const std::uint8_t byte = *cursor++;
        value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
        if (!(byte & 0x80)) {
            out = value;
            return true;
        }
    }
    return false;
}

inline bool readBuckets(const std::uint8_t *&cursor, const std::uint8_t *end, Buckets &buckets)
{
    if (end - cursor < 3)
        return false;
    for (auto &bits : buckets.bits) {
        bits = *cursor++;
        if (bits < 1 || bits > 56)
            return false;
    }
    return true;
}

} // namespace eventscope::chunkformat

namespace eventscope {

namespace chunkformat {

constexpr std::uint64_t kBlockSamples = 64;

// A parsed chunk header; the bit streams and block directory are located, not yet read.
struct ChunkCursor
{
    std::uint8_t mode = 0;
    std::uint64_t count = 0;
    TimeUs firstTime = 0;
    std::int64_t timeUnit = 1;
    BucketTable timeBuckets, valueBuckets;
    double divisor = 1; // decimal mode
    std::int64_t firstMantissa = 0; // decimal mode
    std::uint64_t firstBits = 0; // XOR mode
    const std::uint8_t *directory = nullptr;
    const std::uint8_t *directoryEnd = nullptr;
    const std::uint8_t *timeStream = nullptr;
    std::size_t timeBytes = 0;
    const std::uint8_t *valueStream = nullptr;
    std::size_t valueBytes = 0;
};

inline bool openChunk(std::string_view blob, ChunkCursor &c)
{
    const auto *cursor = reinterpret_cast<const std::uint8_t *>(blob.data());
    const auto *end = cursor + blob.size();
    if (cursor == end)
        return false;
    c.mode = *cursor++;
    std::uint64_t firstTime = 0, unit = 0;
    if (!readVarint(cursor, end, c.count) || !readVarint(cursor, end, firstTime)
        || !readVarint(cursor, end, unit) || c.count == 0 || unit == 0
        || unit > static_cast<std::uint64_t>(kMicrosPerSecond))
        return false;
    if (c.count > blob.size() * 8 + 1)
        return false; // every sample after the first takes at least one bit per stream
    Buckets buckets;
    if (!readBuckets(cursor, end, buckets))
        return false;
    c.timeBuckets = BucketTable(buckets);
    c.firstTime = unzigzag(firstTime);
    c.timeUnit = static_cast<std::int64_t>(unit);
    if (c.mode == 1) {
        if (cursor == end || *cursor > kMaxScale)
            return false;
        c.divisor = kPowersOfTen[*cursor++];
        std::uint64_t first = 0;
        if (!readVarint(cursor, end, first) || !readBuckets(cursor, end, buckets))
            return false;
        c.valueBuckets = BucketTable(buckets);
        c.firstMantissa = unzigzag(first);
    } else if (c.mode == 2) {
        if (end - cursor < 8)
            return false;
        for (int i = 0; i < 8; ++i)
            c.firstBits = (c.firstBits << 8) | *cursor++;
    } else {
        return false;
    }
    std::uint64_t directoryBytes = 0;
    if (!readVarint(cursor, end, directoryBytes)
        || directoryBytes > static_cast<std::uint64_t>(end - cursor))
        return false;
    c.directory = cursor;
    c.directoryEnd = cursor + directoryBytes;
    cursor = c.directoryEnd;
    std::uint64_t timeBytes = 0;
    if (!readVarint(cursor, end, timeBytes) || timeBytes > static_cast<std::uint64_t>(end - cursor))
        return false;
    c.timeStream = cursor;
    c.timeBytes = timeBytes;
    c.valueStream = cursor + timeBytes;
    c.valueBytes = static_cast<std::size_t>(end - cursor) - timeBytes;
    return true;
}

// Where a block starts and what it holds, in absolute terms.
struct BlockInfo
{
    std::uint64_t count = 0;
    std::uint64_t timeBits = 0,
                  valueBits = 0; // position of the first code (blocks after the first)
    std::int64_t previousDelta = 0;
    TimeUs previousTime = 0; // the sample before the block
    std::int64_t previousMantissa = 0;
    std::uint64_t previousBits = 0;
    TimeUs firstTime = 0, lastTime = 0;
    std::int64_t low = 0, high = 0, first = 0, last = 0; // decimal mode
    double lowValue = 0, highValue = 0, firstValue = 0, lastValue = 0; // XOR mode
};

inline bool readDouble(const std::uint8_t *&cursor, const std::uint8_t *end, double &out)
{
    if (end - cursor < 8)
        return false;
    std::uint64_t bits = 0;
    for (int i = 0; i < 8; ++i)
        bits = (bits << 8) | *cursor++;
    out = std::bit_cast<double>(bits);
    return true;
}

inline bool readDirectory(const ChunkCursor &c, std::vector<BlockInfo> &blocks)
{
    const std::uint64_t blockCount = (c.count + kBlockSamples - 1) / kBlockSamples;
    blocks.resize(blockCount);
    const std::uint8_t *cursor = c.directory;
    for (std::uint64_t k = 0; k < blockCount; ++k) {
        BlockInfo &b = blocks[k];
        b.count = std::min(kBlockSamples, c.count - k * kBlockSamples);
        std::uint64_t v = 0;
        if (k > 0) {
            if (!readVarint(cursor, c.directoryEnd, b.timeBits)
                || !readVarint(cursor, c.directoryEnd, b.valueBits)
                || !readVarint(cursor, c.directoryEnd, v))
                return false;
            if (b.timeBits > c.timeBytes * 8 || b.valueBits > c.valueBytes * 8)
                return false;
            b.previousDelta = unzigzag(v);
            b.previousTime = blocks[k - 1].lastTime;
            b.previousMantissa = blocks[k - 1].last;
            b.previousBits = std::bit_cast<std::uint64_t>(blocks[k - 1].lastValue);
        }
        std::uint64_t first = 0, span = 0;
        if (!readVarint(cursor, c.directoryEnd, first) || !readVarint(cursor, c.directoryEnd, span))
            return false;
        b.firstTime
            = wrapAdd(c.firstTime, wrapMultiply(static_cast<std::int64_t>(first), c.timeUnit));
        b.lastTime
            = wrapAdd(b.firstTime, wrapMultiply(static_cast<std::int64_t>(span), c.timeUnit));
        if (c.mode == 1) {
            std::int64_t *fields[] = {&b.low, &b.high, &b.first, &b.last};
            for (std::int64_t *field : fields) {
                if (!readVarint(cursor, c.directoryEnd, v))
                    return false;
                *field = wrapAdd(c.firstMantissa, unzigzag(v));
            }
        } else {
            if (!readDouble(cursor, c.directoryEnd, b.lowValue)
                || !readDouble(cursor, c.directoryEnd, b.highValue)
                || !readDouble(cursor, c.directoryEnd, b.firstValue)
                || !readDouble(cursor, c.directoryEnd, b.lastValue))
                return false;
        }
    }
    return cursor == c.directoryEnd;
}

// Decoder state between samples.
struct WalkState
{
    BitReader times;
    BitReader values;
    TimeUs time = 0;
    std::int64_t delta = 0;
    std::int64_t mantissa = 0; // decimal mode
    std::uint64_t bits = 0; // XOR mode
};

inline WalkState startOfChunk(const ChunkCursor &c)
{
    return {BitReader(c.timeStream, c.timeBytes),
            BitReader(c.valueStream, c.valueBytes),
            c.firstTime,
            0,
            c.firstMantissa,
            c.firstBits};
}

inline WalkState startOfBlock(const ChunkCursor &c, const BlockInfo &b)
{
    return {BitReader(c.timeStream, c.timeBytes, b.timeBits),
            BitReader(c.valueStream, c.valueBytes, b.valueBits),
            b.previousTime,
            b.previousDelta,
            b.previousMantissa,
            b.previousBits};
}

// Decodes `codes` samples after the state; visit(time, mantissa) in decimal mode,
// visit(time, bits) in XOR mode. False if the streams are damaged.
template<typename Visitor>
EVENTSCOPE_HOT_INLINE bool walkCodes(const ChunkCursor &c, WalkState state, std::uint64_t codes,
                                     Visitor &&visit)
{
    // Locals, not members: keeps decoder state in registers across the visitor call.
    BitReader times = state.times;
    BitReader values = state.values;
    const BucketTable timeTable = c.timeBuckets;
    const std::int64_t unit = c.timeUnit;
    TimeUs time = state.time;
    std::int64_t delta = state.delta;
    if (c.mode == 1) {
        const BucketTable valueTable = c.valueBuckets;
        std::int64_t mantissa = state.mantissa;
        for (std::uint64_t i = 0; i < codes; ++i) {
            delta = wrapAdd(delta, unzigzag(times.readBucketed(timeTable)));
            time = wrapAdd(time, wrapMultiply(delta, unit));
            mantissa = wrapAdd(mantissa, unzigzag(values.readBucketed(valueTable)));
            visit(time, mantissa);
        }
        // Reads past the end return zero bits; a damaged chunk is caught here, once.
        return !times.overrun() && !values.overrun();
    }
    std::uint64_t bits = state.bits;
    int leading = 0, significant = 0;
    for (std::uint64_t i = 0; i < codes; ++i) {
        delta = wrapAdd(delta, unzigzag(times.readBucketed(timeTable)));
        time = wrapAdd(time, wrapMultiply(delta, unit));
        if (values.read(1)) {
            if (values.read(1)) {
                leading = static_cast<int>(values.read(5));
                significant = static_cast<int>(values.read(6));
                if (significant == 0)
                    significant = 64;
                if (leading + significant > 64)
                    return false;
            }
            if (significant == 0)
                return false; // '10' before the block set a window
            std::uint64_t xorValue = 0;
            if (significant > 32)
                xorValue = values.read(significant - 32) << 32 | values.read(32);
            else
                xorValue = values.read(significant);
            bits ^= xorValue << (64 - leading - significant);
        }
        visit(time, bits);
    }
    return !times.overrun() && !values.overrun();
}

template<typename Visitor>
EVENTSCOPE_HOT_INLINE bool walkChunk(const ChunkCursor &c, Visitor &&visit)
{
    if (c.mode == 1)
        visit(c.firstTime, c.firstMantissa);
    else
        visit(c.firstTime, c.firstBits);
    // Sequential decoding needs no directory: a block's XOR window restart is explicit in the
    // stream ('11' codes), so it reads the same from the chunk start as from the block start.
    return walkCodes(c, startOfChunk(c), c.count - 1, visit);
}

// Builds bucket segments from samples in time order; mantissas stay integers until a segment
// closes.
template<typename OnSegment> class SegmentBuilder
{
public:
    SegmentBuilder(const ChunkCursor &c, TimeRange range, TimeUs width, OnSegment &onSegment)
        : m_decimal(c.mode == 1)
        , m_divisor(c.divisor)
        , m_begin(range.begin)
        , m_end(range.end)
        , m_width(width)
        , m_onSegment(onSegment)
    { }

    EVENTSCOPE_HOT_INLINE void addMantissa(TimeUs time, std::int64_t mantissa)
    {
        if (time < m_begin || time >= m_end) [[unlikely]]
            return;
        if (time >= m_bucketEnd || m_count == 0) [[unlikely]] {
            flush();
            open(time);
            m_low = m_high = m_first = mantissa;
        }
        m_low = std::min(m_low, mantissa);
        m_high = std::max(m_high, mantissa);
        m_last = mantissa;
        m_lastTime = time;
        ++m_count;
    }

    EVENTSCOPE_HOT_INLINE void addBits(TimeUs time, std::uint64_t bits)
    {
        if (time < m_begin || time >= m_end) [[unlikely]]
            return;
        const double value = std::bit_cast<double>(bits);
        if (time >= m_bucketEnd || m_count == 0) [[unlikely]] {
            flush();
            open(time);
            m_firstValue = value;
            m_hasNumber = false;
        }
        if (value == value) { // not NaN
            m_lowValue = m_hasNumber ? std::min(m_lowValue, value) : value;
            m_highValue = m_hasNumber ? std::max(m_highValue, value) : value;
            m_hasNumber = true;
        }
        m_lastValue = value;
        m_lastTime = time;
        ++m_count;
    }

    void flush()
    {
        if (m_count == 0)
            return;
        BucketSegment segment;
        segment.bucket = m_bucket;
        segment.count = m_count;
        segment.firstTime = m_firstTime;
        segment.lastTime = m_lastTime;
        if (m_decimal) {
            segment.min = static_cast<double>(m_low) / m_divisor;
            segment.max = static_cast<double>(m_high) / m_divisor;
            segment.first = static_cast<double>(m_first) / m_divisor;
            segment.last = static_cast<double>(m_last) / m_divisor;
        } else {
            const double nan = std::numeric_limits<double>::quiet_NaN();
            segment.min = m_hasNumber ? m_lowValue : nan;
            segment.max = m_hasNumber ? m_highValue : nan;
            segment.first = m_firstValue;
            segment.last = m_lastValue;
        }
        m_onSegment(static_cast<const BucketSegment &>(segment));
        m_count = 0;
    }

    std::size_t bucketOf(TimeUs time) const
    {
        return static_cast<std::size_t>((time - m_begin) / m_width);
    }

private:
    void open(TimeUs time)
    {
        m_bucket = bucketOf(time);
        m_bucketEnd = m_begin + static_cast<TimeUs>(m_bucket + 1) * m_width;
        m_firstTime = time;
        m_count = 0;
    }

    bool m_decimal;
    double m_divisor;
    TimeUs m_begin, m_end, m_width;
    OnSegment &m_onSegment;
    std::size_t m_bucket = 0;
    TimeUs m_bucketEnd = 0, m_firstTime = 0, m_lastTime = 0;
    std::int64_t m_count = 0;
    std::int64_t m_low = 0, m_high = 0, m_first = 0, m_last = 0;
    double m_lowValue = 0, m_highValue = 0, m_firstValue = 0, m_lastValue = 0;
    bool m_hasNumber = false;
};

} // namespace chunkformat

template<typename Visitor> bool forEachSample(std::string_view blob, Visitor &&visit)
{
    using namespace chunkformat;
    ChunkCursor c;
    if (!openChunk(blob, c))
        return false;
    if (c.mode == 1) {
        const double divisor = c.divisor;
        return walkChunk(c, [&](TimeUs time, std::int64_t mantissa) {
            visit(time, static_cast<double>(mantissa) / divisor);
        });
    }
    return walkChunk(
        c, [&](TimeUs time, std::uint64_t bits) { visit(time, std::bit_cast<double>(bits)); });
}

template<typename OnSegment>
bool forEachBucketSegment(std::string_view blob, TimeRange range, TimeUs width,
                          OnSegment &&onSegment)
{
    using namespace chunkformat;
    ChunkCursor c;
    if (!openChunk(blob, c))
        return false;
    thread_local std::vector<BlockInfo> blocks;
    if (!readDirectory(c, blocks))
        return false;
    SegmentBuilder<OnSegment> builder(c, range, width, onSegment);
    for (std::size_t k = 0; k < blocks.size(); ++k) {
        const BlockInfo &b = blocks[k];
        if (b.lastTime < range.begin || b.firstTime >= range.end)
            continue;
        if (b.firstTime >= range.begin && b.lastTime < range.end
            && builder.bucketOf(b.firstTime) == builder.bucketOf(b.lastTime)) {
            // The whole block lies in one bucket: its summary is the segment.
            builder.flush();
            BucketSegment segment;
            segment.bucket = builder.bucketOf(b.firstTime);
            segment.count = static_cast<std::int64_t>(b.count);
            segment.firstTime = b.firstTime;
            segment.lastTime = b.lastTime;
            if (c.mode == 1) {
                segment.min = static_cast<double>(b.low) / c.divisor;
                segment.max = static_cast<double>(b.high) / c.divisor;
                segment.first = static_cast<double>(b.first) / c.divisor;
                segment.last = static_cast<double>(b.last) / c.divisor;
            } else {
                segment.min = b.lowValue;
                segment.max = b.highValue;
                segment.first = b.firstValue;
                segment.last = b.lastValue;
            }
            onSegment(static_cast<const BucketSegment &>(segment));
            continue;
        }
        const WalkState state = k == 0 ? startOfChunk(c) : startOfBlock(c, b);
        const std::uint64_t codes = k == 0 ? b.count - 1 : b.count;
        bool ok = false;
        if (c.mode == 1) {
            if (k == 0)
                builder.addMantissa(c.firstTime, c.firstMantissa);
            ok = walkCodes(c, state, codes, [&](TimeUs time, std::int64_t mantissa) {
                builder.addMantissa(time, mantissa);
            });
        } else {
            if (k == 0)
                builder.addBits(c.firstTime, c.firstBits);
            ok = walkCodes(c, state, codes,
                           [&](TimeUs time, std::uint64_t bits) { builder.addBits(time, bits); });
        }
        if (!ok)
            return false;
    }
    builder.flush();
    return true;
}

} // namespace eventscope
