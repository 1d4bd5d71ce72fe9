#include "analysis/changepoint.h"

#include <algorithm>
#include <cmath>

namespace eventscope::analysis {

double median(std::vector<double> values)
{
    if (values.empty())
        return 0;
    const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
    std::nth_element(values.begin(), middle, values.end());
    double m = *middle;
    if (values.size() % 2 == 0) {
        const double lower = *std::max_element(values.begin(), middle);
        m = (m + lower) / 2;
    }
    return m;
}

std::optional<ChangePoint> detectChange(std::span<const Sample> samples, TimeUs searchFrom,
                                        TimeUs searchTo, const ChangeOptions &options)
{
    std::size_t baselineEnd = 0;
    while (baselineEnd < samples.size() && samples[baselineEnd].time < searchFrom)
        ++baselineEnd;
    if (baselineEnd < options.minBaseline) {
        // Short history: the first quarter of what there is stands in for the baseline.
        std::size_t inWindow = 0;
        while (inWindow < samples.size() && samples[inWindow].time < searchTo)
            ++inWindow;
        baselineEnd = std::max<std::size_t>(6, inWindow / 4);
        if (baselineEnd + static_cast<std::size_t>(options.persistence) >= inWindow)
            return std::nullopt;
    }
    std::vector<double> base;
    base.reserve(baselineEnd);
    for (std::size_t i = 0; i < baselineEnd; ++i) {
        if (std::isfinite(samples[i].value))
            base.push_back(samples[i].value);
    }
    if (base.size() < 6)
        return std::nullopt;
    const double m = median(base);
    std::vector<double> deviations;
    deviations.reserve(base.size());
    for (double v : base)
        deviations.push_back(std::abs(v - m));
    // Floors: a flat baseline (a constant gauge) would make any wiggle infinite sigmas.
    const double sigma = std::max({1.4826 * median(deviations),
                                   options.minRelativeSigma * std::abs(m), options.minSigma, 1e-9});

    auto z = [&](std::size_t i) {
        const double v = samples[i].value;
        return std::isfinite(v) ? (v - m) / sigma : 0.0;
    };
    std::size_t end = baselineEnd;
    while (end < samples.size() && samples[end].time < searchTo)
        ++end;
    auto summarise = [&](std::size_t onset, std::size_t from, int direction) {
        std::vector<double> afterValues, afterZ;
        for (std::size_t j = from; j < end; ++j) {
            afterValues.push_back(samples[j].value);
            afterZ.push_back(std::abs(z(j)));
        }
        ChangePoint change;
        change.onset = samples[onset].time;
        change.direction = direction;
        change.magnitude = median(afterZ);
        change.baseline = m;
        change.sigma = sigma;
        change.after = median(afterValues);
        return change;
    };

    // The episode still under way at the end of the window, if any: the series sits off its
    // baseline there, and the onset is where it left the baseline for this episode (an earlier
    // episode that ended does not count).
    const std::size_t tail = std::min<std::size_t>(4, end - baselineEnd);
    if (tail >= static_cast<std::size_t>(options.persistence)) {
        int up = 0, down = 0;
        for (std::size_t j = end - tail; j < end; ++j) {
            up += z(j) >= options.threshold ? 1 : 0;
            down += z(j) <= -options.threshold ? 1 : 0;
        }
        const int direction = up >= options.persistence ? 1 : down >= options.persistence ? -1 : 0;
        if (direction != 0) {
            std::size_t onset = end - 1;
            int gap = 0;
            for (std::size_t j = end - 1; j-- > baselineEnd;) {
                if (z(j) * direction >= 2.0) {
                    onset = j;
                    gap = 0;
                } else if (++gap > 2) {
                    break; // back on the baseline: this episode began after here
                }
            }
            ChangePoint change = summarise(onset, onset, direction);
            change.ongoing = true;
            return change;
        }
    }

    // Otherwise the first persistent departure inside the window (it may have ended).
    for (std::size_t i = baselineEnd; i < end; ++i) {
        const double zi = z(i);
        if (std::abs(zi) < options.threshold)
            continue;
        const int direction = zi > 0 ? 1 : -1;
        int beyond = 0;
        std::size_t looked = 0;
        for (std::size_t j = i; j < samples.size() && looked < 4; ++j, ++looked) {
            if (z(j) * direction >= options.threshold)
                ++beyond;
        }
        if (beyond < options.persistence)
            continue;
        // Gradual changes start before they cross the threshold: walk back while the series
        // is already on the same side, clearly off the baseline.
        std::size_t onset = i;
        while (onset > baselineEnd && z(onset - 1) * direction >= 2.0)
            --onset;
        return summarise(onset, i, direction);
    }
    return std::nullopt;
}

} // namespace eventscope::analysis
