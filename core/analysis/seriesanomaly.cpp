#include "analysis/seriesanomaly.h"

#include "analysis/changepoint.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace eventscope::analysis {

namespace {

constexpr double kRelativeScaleFloor = 0.02; // of the level
constexpr double kBoundedScaleFloor = 0.001; // of the range
constexpr double kRelevantRelativeChange = 0.10; // of the level
constexpr double kRelevantBoundedChange = 0.01; // of the range
constexpr double kUndatedWeight = 0.5;
constexpr double kUnknownDirectionWeight = 0.8;
constexpr std::size_t kMaxReference = 40; // samples the level before an onset is taken from

double medianOf(std::span<const double> values)
{
    return median(std::vector<double>(values.begin(), values.end()));
}

} // namespace

double anomalyProbability(double sigmas)
{
    return sigmas <= 3.0 ? 0.0 : 1.0 - std::exp(-(sigmas - 3.0) / 4.0);
}

double scaleFloor(const MetricMeaning &meaning, double level, double quantum)
{
    const double range = meaning.upperBound - meaning.lowerBound;
    // A bounded series near its bound (availability at 100 %) is measured by its distance from
    // that bound: 2 % of 100 would hide a drop to 97 %.
    const double magnitude = meaning.bounded
        ? std::min(std::abs(level - meaning.lowerBound), std::abs(meaning.upperBound - level))
        : std::abs(level);
    double floor = std::max({quantum, kRelativeScaleFloor * magnitude, 1e-12});
    if (meaning.bounded)
        floor = std::max(floor, kBoundedScaleFloor * range);
    if (meaning.count)
        floor = std::max(floor, std::sqrt(std::max(std::abs(level), 1.0)));
    return floor;
}

std::optional<SeriesAnomalyScore> scoreSeries(std::span<const Sample> samples,
                                              const ScoringWindow &window,
                                              const MetricMeaning &meaning)
{
    std::vector<double> base, values;
    std::vector<TimeUs> times;
    for (const Sample &s : samples) {
        if (!std::isfinite(s.value) || s.time >= window.end)
            continue;
        if (s.time < window.begin) {
            base.push_back(s.value);
        } else {
            values.push_back(s.value);
            times.push_back(s.time);
        }
    }
    if (base.size() < 3) {
        // Short history: the first quarter of the window stands in for it.
        const std::size_t borrowed = std::max<std::size_t>(2, values.size() / 4);
        if (values.size() < borrowed + 3)
            return std::nullopt;
        base.insert(base.end(), values.begin(),
                    values.begin() + static_cast<std::ptrdiff_t>(borrowed));
        values.erase(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(borrowed));
        times.erase(times.begin(), times.begin() + static_cast<std::ptrdiff_t>(borrowed));
    }
    if (values.empty())
        return std::nullopt;

    // Scale: sample-to-sample noise of the history, floored.
    const double level = medianOf(base);
    std::vector<double> steps, deviations;
    double quantum = 0;
    for (std::size_t i = 0; i < base.size(); ++i) {
        deviations.push_back(std::abs(base[i] - level));
        if (i == 0)
            continue;
        const double step = std::abs(base[i] - base[i - 1]);
        steps.push_back(step);
        if (step > 0 && (quantum == 0 || step < quantum))
            quantum = step;
    }
    const double floor = scaleFloor(meaning, level, quantum);
    const double range = meaning.upperBound - meaning.lowerBound;
    const double stepScale = 1.4826 * median(steps) / std::sqrt(2.0);
    const double levelScale = 1.4826 * median(deviations);
    const double localScale = std::max(stepScale, floor);
    const double historyScale = std::max({levelScale, stepScale, floor});

    // Which way is bad: the meaning's, else for a bounded series away from the bound it sits
    // near, else either way (counted a little less).
    int bad = meaning.badDirection;
    double directionWeight = 1.0;
    if (bad == 0 && meaning.role != MetricRole::Load) {
        if (meaning.bounded)
            bad = level > meaning.lowerBound + range / 2 ? -1 : 1;
        else
            directionWeight = kUnknownDirectionWeight;
    }
    const auto probability = [&](double reference, double after, double scale) {
        const double change = after - reference;
        const double sigmas = std::abs(change) / scale;
        if (bad != 0 && change * bad <= 0)
            return 0.0;
        const double relevant = meaning.bounded
            ? std::abs(change) / (kRelevantBoundedChange * range)
            : std::abs(change) / (kRelevantRelativeChange * std::max(std::abs(reference), scale));
        return anomalyProbability(sigmas) * std::min(1.0, relevant) * directionWeight;
    };
    const auto effectOf = [&](double reference, double after, double scale) {
        const double from = meaning.bounded ? std::min(std::abs(reference - meaning.lowerBound),
                                                       std::abs(meaning.upperBound - reference))
                                            : std::abs(reference);
        return std::abs(after - reference) / std::max(from, scale);
    };

    // Dated onsets: each window sample with a sample of the window before it and enough after.
    // The onset is where the means before and after differ most, weighed by how many samples
    // each side has (the likelihood-ratio split for a shift in level: medians would put it
    // early, as long as the changed samples are the majority after it); the change is then
    // measured robustly, by medians.
    const std::size_t n = values.size();
    const std::size_t minAfter = n <= 3 ? 1 : 2;
    std::vector<double> prefix(n + 1, 0.0);
    for (std::size_t i = 0; i < n; ++i)
        prefix[i + 1] = prefix[i] + values[i];
    // The medians the search needs, each computed once (the search is otherwise quadratic in
    // medians): of every suffix (the level from an onset on) and of the samples before each
    // (the reference level, at most kMaxReference of them).
    const auto middleOf = [](const std::vector<double> &sorted) {
        const std::size_t k = sorted.size() / 2;
        return sorted.size() % 2 == 0 ? (sorted[k] + sorted[k - 1]) / 2 : sorted[k];
    };
    std::vector<double> suffixMedian(n), referenceMedian(n + 1, 0.0);
    {
        std::vector<double> sorted;
        sorted.reserve(n);
        for (std::size_t j = n; j-- > 0;) {
            sorted.insert(std::upper_bound(sorted.begin(), sorted.end(), values[j]), values[j]);
            suffixMedian[j] = middleOf(sorted);
        }
        sorted.clear();
        for (std::size_t j = 1; j <= n; ++j) {
            sorted.insert(std::upper_bound(sorted.begin(), sorted.end(), values[j - 1]),
                          values[j - 1]);
            if (j > kMaxReference) {
                const double leaving = values[j - 1 - kMaxReference];
                sorted.erase(std::lower_bound(sorted.begin(), sorted.end(), leaving));
            }
            referenceMedian[j] = middleOf(sorted);
        }
    }
    const auto scoreAt = [&](std::size_t j) {
        SeriesAnomalyScore s;
        s.reference = referenceMedian[j];
        s.after = suffixMedian[j];
        s.onset = times[j];
        s.direction = s.after >= s.reference ? 1 : -1;
        s.scale = localScale;
        s.sigmas = std::abs(s.after - s.reference) / localScale;
        s.probability = probability(s.reference, s.after, localScale);
        s.effect = effectOf(s.reference, s.after, localScale);
        return s;
    };
    std::optional<std::size_t> split;
    double bestStatistic = 0;
    for (std::size_t j = 1; j + minAfter <= n; ++j) {
        const double reference = referenceMedian[j];
        const double after = suffixMedian[j];
        // Persistent: most samples from the onset on are beyond 2 sigma the same way.
        const int direction = after >= reference ? 1 : -1;
        std::size_t beyond = 0;
        for (std::size_t k = j; k < n; ++k)
            beyond += (values[k] - reference) * direction >= 2 * localScale ? 1 : 0;
        if (2 * beyond < n - j + 1)
            continue;
        const std::size_t from = j > kMaxReference ? j - kMaxReference : 0;
        const double before = static_cast<double>(j - from);
        const double afterCount = static_cast<double>(n - j);
        const double meanBefore = (prefix[j] - prefix[from]) / before;
        const double meanAfter = (prefix[n] - prefix[j]) / afterCount;
        const double statistic = std::abs(meanAfter - meanBefore)
            * std::sqrt(before * afterCount / (before + afterCount));
        if (!split || statistic > bestStatistic) {
            split = j;
            bestStatistic = statistic;
        }
    }
    std::optional<SeriesAnomalyScore> best;
    if (split) {
        // A change that builds up (a leak, a ramp) began where the series first stood off.
        std::size_t j = *split;
        const double reference = referenceMedian[j];
        const int direction = suffixMedian[j] >= reference ? 1 : -1;
        while (j > 1 && (values[j - 1] - reference) * direction >= 2 * localScale)
            --j;
        best = scoreAt(j);
    }
    const auto keyOf = [](const SeriesAnomalyScore &s) {
        return s.probability + 1e-6 * std::min(s.sigmas, 1000.0);
    };
    double bestKey = best ? keyOf(*best) : 0.0;
    // Undated: already off the history's level when the window began.
    {
        const double after = medianOf(values);
        const int direction = after >= level ? 1 : -1;
        std::size_t beyond = 0;
        for (double v : values)
            beyond += (v - level) * direction >= 2 * historyScale ? 1 : 0;
        if (2 * beyond >= n + 1) {
            SeriesAnomalyScore s;
            s.onset = times.front();
            s.direction = direction;
            s.reference = level;
            s.after = after;
            s.scale = historyScale;
            s.sigmas = std::abs(after - level) / historyScale;
            s.probability = kUndatedWeight * probability(level, after, historyScale);
            s.effect = effectOf(level, after, historyScale);
            s.dated = false;
            if (!best || keyOf(s) > bestKey) {
                best = s;
                bestKey = keyOf(s);
            }
        }
    }
    if (!best)
        return std::nullopt;
    // Ongoing: the last samples are still at least half the change away from the reference.
    const std::size_t tail = std::min<std::size_t>(3, n);
    const double last = medianOf(std::span<const double>(values).subspan(n - tail));
    best->ongoing = (last - best->reference) * best->direction
        >= 0.5 * std::abs(best->after - best->reference);
    return best;
}

} // namespace eventscope::analysis
