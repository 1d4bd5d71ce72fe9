#pragma once

// The chunk decoder, inline because level-of-detail queries run it per sample.

#include <bit>
#include <cstring>

namespace eventscope::chunkformat {

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

// Prefix-coded buckets: '0' is zero, '10' + bits[0], '110' + bits[1], '1110' + bits[2],
// '1111' + 64 bits. Widths are 1..56 and increasing; each chunk stores its own.
struct Buckets
{
    std::uint8_t bits[3] = {8, 16, 32};
};

class BitReader
{
public:
    BitReader(const std::uint8_t *data, std::size_t size) : m_data(data), m_size(size) {}

    // Up to 56 bits, MSB first.
    std::uint64_t read(int bits)
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
    bool overrun() const { return m_position > m_size * 8; }

    std::uint64_t readBucketed(const Buckets &buckets)
    {
        const std::uint64_t top = peek();
        if (!(top >> 63)) {
            ++m_position;
            return 0;
        }
        const int ones = std::countl_one(top);
        if (ones >= 4) {
            m_position += 4;
            return read64();
        }
        // The value sits right after the prefix in the same peeked word when it fits.
        const int width = buckets.bits[ones - 1];
        const int prefix = ones + 1;
        if (prefix + width <= 57) {
            m_position += static_cast<std::size_t>(prefix + width);
            return (top << prefix) >> (64 - width);
        }
        m_position += static_cast<std::size_t>(prefix);
        return read(width);
    }

private:
    std::uint64_t peek() const
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
    std::size_t m_position = 0;
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

template<typename Visitor>
bool forEachSample(std::string_view blob, Visitor &&visit)
{
    using namespace chunkformat;
    const auto *cursor = reinterpret_cast<const std::uint8_t *>(blob.data());
    const auto *end = cursor + blob.size();
    if (cursor == end)
        return false;
    const std::uint8_t mode = *cursor++;
    std::uint64_t count = 0, firstTime = 0, unit = 0;
    Buckets timeBuckets, valueBuckets;
    if (!readVarint(cursor, end, count) || !readVarint(cursor, end, firstTime)
        || !readVarint(cursor, end, unit) || count == 0 || unit == 0 || !readBuckets(cursor, end, timeBuckets))
        return false;
    if (count > blob.size() * 8 + 1)
        return false; // every sample after the first takes at least one bit per stream

    double divisor = 1;
    std::int64_t mantissa = 0;
    std::uint64_t bits = 0;
    if (mode == 1) {
        if (cursor == end || *cursor > kMaxScale)
            return false;
        divisor = kPowersOfTen[*cursor++];
        std::uint64_t first = 0;
        if (!readVarint(cursor, end, first) || !readBuckets(cursor, end, valueBuckets))
            return false;
        mantissa = unzigzag(first);
    } else if (mode == 2) {
        if (end - cursor < 8)
            return false;
        for (int i = 0; i < 8; ++i)
            bits = (bits << 8) | *cursor++;
    } else {
        return false;
    }
    std::uint64_t timeBytes = 0;
    if (!readVarint(cursor, end, timeBytes) || timeBytes > static_cast<std::uint64_t>(end - cursor))
        return false;
    BitReader times(cursor, timeBytes);
    BitReader values(cursor + timeBytes, static_cast<std::size_t>(end - cursor) - timeBytes);

    TimeUs time = unzigzag(firstTime);
    const auto timeUnit = static_cast<std::int64_t>(unit);
    std::int64_t delta = 0;

    if (mode == 1) {
        visit(time, static_cast<double>(mantissa) / divisor);
        for (std::uint64_t i = 1; i < count; ++i) {
            delta += unzigzag(times.readBucketed(timeBuckets));
            time += delta * timeUnit;
            mantissa += unzigzag(values.readBucketed(valueBuckets));
            if (times.overrun() || values.overrun()) [[unlikely]]
                return false;
            visit(time, static_cast<double>(mantissa) / divisor);
        }
        return true;
    }
    visit(time, std::bit_cast<double>(bits));
    int leading = 0, significant = 0;
    for (std::uint64_t i = 1; i < count; ++i) {
        delta += unzigzag(times.readBucketed(timeBuckets));
        time += delta * timeUnit;
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
                return false; // '10' before any window was set
            std::uint64_t xorValue = 0;
            if (significant > 32)
                xorValue = values.read(significant - 32) << 32 | values.read(32);
            else
                xorValue = values.read(significant);
            bits ^= xorValue << (64 - leading - significant);
        }
        if (times.overrun() || values.overrun()) [[unlikely]]
            return false;
        visit(time, std::bit_cast<double>(bits));
    }
    return true;
}

} // namespace eventscope
