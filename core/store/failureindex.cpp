#include "store/failureindex.h"

#include <algorithm>
#include <vector>

namespace eventscope::failureindex {

std::uint64_t sourceIdHash(std::string_view sourceId)
{
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (const char c : sourceId) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

namespace {
std::uint64_t readLittleEndian(const char *bytes)
{
    std::uint64_t value = 0;
    for (int i = 7; i >= 0; --i)
        value = (value << 8) | static_cast<unsigned char>(bytes[i]);
    return value;
}
} // namespace

std::string encode(std::span<const Event *const> events)
{
    std::vector<std::uint64_t> hashes;
    for (const Event *event : events) {
        if (event->category == EventCategory::Failure)
            hashes.push_back(sourceIdHash(event->sourceId));
    }
    std::sort(hashes.begin(), hashes.end());
    std::string out;
    out.reserve(hashes.size() * 8);
    for (std::uint64_t hash : hashes) {
        for (int i = 0; i < 8; ++i, hash >>= 8)
            out += static_cast<char>(hash & 0xff);
    }
    return out;
}

bool contains(std::string_view encoded, std::uint64_t hash)
{
    if (encoded.size() % 8 != 0)
        return false;
    std::size_t low = 0;
    std::size_t high = encoded.size() / 8;
    while (low < high) {
        const std::size_t middle = low + (high - low) / 2;
        const std::uint64_t value = readLittleEndian(encoded.data() + middle * 8);
        if (value == hash)
            return true;
        if (value < hash)
            low = middle + 1;
        else
            high = middle;
    }
    return false;
}

} // namespace eventscope::failureindex
