#pragma once

#include <cstdint>
#include <limits>

namespace eventscope {

// Microseconds since the Unix epoch, UTC. Every time in core/ is one of these.
using TimeUs = std::int64_t;

constexpr TimeUs kMicrosPerSecond = 1'000'000;

// Half-open interval [begin, end) of TimeUs. The default range covers all time.
struct TimeRange
{
    TimeUs begin = std::numeric_limits<TimeUs>::min();
    TimeUs end = std::numeric_limits<TimeUs>::max();

    static TimeRange all() { return {}; }
    bool contains(TimeUs t) const { return t >= begin && t < end; }
    bool isEmpty() const { return end <= begin; }
    bool overlaps(TimeUs first, TimeUs last) const { return last >= begin && first < end; }
    TimeUs duration() const { return end - begin; }

    friend bool operator==(const TimeRange &, const TimeRange &) = default;
};

} // namespace eventscope
