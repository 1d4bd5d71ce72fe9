#pragma once

// What a series measures, for judging which way is bad. Assumes: the unit, when the producer
// gave one, says more than the name (UCUM-ish "ms", "s", "1/s", "By", "ratio", "%" and their
// common spellings); labels say what a statistic is (statistic=p99, quantile=0.99); names
// are read last, by a few widespread words, never by one site's naming. Bounded series
// (ratios, percentages) whose bad direction the unit does not tell get it from behaviour: the
// scorer takes the way away from the bound the series normally sits at (availability near
// 100 % goes bad downward, an error share near 0 upward).

#include "model/series.h"

#include <string_view>

namespace eventscope::analysis {

enum class MetricRole : std::uint8_t {
    Latency, // a duration: slower is worse
    Errors, // failures, as a count or a share
    Availability, // successes as a share: lower is worse
    Load, // requests or work arriving: a change of load is a cause, not a symptom
    Saturation, // utilisation, memory, queue depth: higher is worse
    State, // a desired state (replica counts): moves because of a change
    Other,
};

struct MetricMeaning
{
    MetricRole role = MetricRole::Other;
    int badDirection = 0; // +1 up is worse, -1 down is worse, 0 unknown (both count)
    double lowerBound = 0; // meaningful only when bounded
    double upperBound = 0;
    bool bounded = false;
    bool count = false; // whole events per period: at least Poisson noise (sqrt of the level)
};

MetricMeaning metricMeaning(const SeriesKey &key, std::string_view unit);
// Seconds in one unit of a duration series ("ms" → 0.001), from the unit, else from a name
// ending in _seconds, _ms and the like; 0 when it cannot be told.
double secondsPerUnit(const SeriesKey &key, std::string_view unit);
std::string_view roleName(MetricRole role);

} // namespace eventscope::analysis
