#include "analysis/rangecompare.h"

#include "analysis/seriesanomaly.h"
#include "store/capturereader.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace eventscope::analysis {

namespace {
constexpr double kMadToSigma = 1.4826; // a normal distribution's sigma per MAD

double medianOf(std::vector<double> &values)
{
    const std::size_t middle = values.size() / 2;
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(middle),
                     values.end());
    const double upper = values[middle];
    if (values.size() % 2 == 1)
        return upper;
    const double lower
        = *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(middle));
    return (lower + upper) / 2;
}

double madOf(const std::vector<double> &values, double median)
{
    std::vector<double> deviations;
    deviations.reserve(values.size());
    for (double v : values)
        deviations.push_back(std::abs(v - median));
    return medianOf(deviations);
}

// The smallest step between consecutive values, in time order: what the series can resolve
// (the anomaly scorer's quantum). Linear, unlike the smallest gap among sorted values.
double quantumOf(const std::vector<double> &values, double step = 0)
{
    for (std::size_t i = 1; i < values.size(); ++i) {
        const double gap = std::abs(values[i] - values[i - 1]);
        if (gap > 0 && (step == 0 || gap < step))
            step = gap;
    }
    return step;
}

std::vector<Sample> shapeOf(const std::vector<Sample> &samples, TimeRange range, std::size_t points)
{
    std::vector<Sample> shape;
    if (samples.empty() || points == 0 || range.duration() <= 0)
        return shape;
    const double width = static_cast<double>(range.duration()) / static_cast<double>(points);
    std::size_t i = 0;
    while (i < samples.size()) {
        const auto bucket
            = static_cast<std::int64_t>(static_cast<double>(samples[i].time - range.begin) / width);
        double sum = 0;
        int count = 0;
        const TimeUs time = samples[i].time;
        for (; i < samples.size()
             && static_cast<std::int64_t>(static_cast<double>(samples[i].time - range.begin)
                                          / width)
                 == bucket;
             ++i) {
            sum += samples[i].value;
            ++count;
        }
        shape.push_back({time, sum / count});
    }
    return shape;
}

std::vector<double> valuesOf(const std::vector<Sample> &samples)
{
    std::vector<double> values;
    values.reserve(samples.size());
    for (const Sample &s : samples) {
        if (std::isfinite(s.value))
            values.push_back(s.value);
    }
    return values;
}

double logBinomialPmf(std::int64_t k, std::int64_t n, double logP, double logQ)
{
    return std::lgamma(static_cast<double>(n) + 1) - std::lgamma(static_cast<double>(k) + 1)
        - std::lgamma(static_cast<double>(n - k) + 1) + static_cast<double>(k) * logP
        + static_cast<double>(n - k) * logQ;
}
} // namespace

TimeRange baselineFor(TimeRange selection, BaselineKind kind)
{
    switch (kind) {
    case BaselineKind::DayEarlier: {
        constexpr TimeUs day = 24 * 3600 * kMicrosPerSecond;
        return {selection.begin - day, selection.end - day};
    }
    case BaselineKind::WeekEarlier: {
        constexpr TimeUs week = 7 * 24 * 3600 * kMicrosPerSecond;
        return {selection.begin - week, selection.end - week};
    }
    case BaselineKind::JustBefore: break;
    }
    return {selection.begin - selection.duration(), selection.begin};
}

std::string_view baselineName(BaselineKind kind)
{
    switch (kind) {
    case BaselineKind::DayEarlier: return "the same range a day earlier";
    case BaselineKind::WeekEarlier: return "the same range a week earlier";
    case BaselineKind::JustBefore: break;
    }
    return "the range just before";
}

double binomialTwoSidedP(std::int64_t k, std::int64_t n, double p)
{
    if (n <= 0 || p <= 0 || p >= 1)
        return 1;
    if (n > 2000) {
        // Normal approximation with continuity correction.
        const double mean = static_cast<double>(n) * p;
        const double sd = std::sqrt(static_cast<double>(n) * p * (1 - p));
        const double z = std::max(0.0, std::abs(static_cast<double>(k) - mean) - 0.5) / sd;
        return std::min(1.0, std::erfc(z / std::sqrt(2.0)));
    }
    // Exact: the probability of every split no more likely than the one seen.
    const double logP = std::log(p);
    const double logQ = std::log1p(-p);
    const double seen = logBinomialPmf(k, n, logP, logQ);
    double total = 0;
    for (std::int64_t i = 0; i <= n; ++i) {
        const double l = logBinomialPmf(i, n, logP, logQ);
        if (l <= seen + 1e-7)
            total += std::exp(l);
    }
    return std::min(1.0, total);
}

Result<RangeComparison> compareRanges(CaptureReader &reader, TimeRange selection,
                                      TimeRange baseline, const CompareOptions &options,
                                      const std::function<bool()> &cancelled)
{
    using Out = Result<RangeComparison>;
    if (selection.duration() <= 0 || baseline.duration() <= 0)
        return Out::failure("the selection and its baseline must both be ranges of some length");
    if (selection.begin < baseline.end && baseline.begin < selection.end)
        return Out::failure("the baseline overlaps the selection: choose an earlier baseline");
    RangeComparison result;
    result.selection = selection;
    result.baseline = baseline;

    auto series = reader.series();
    if (!series)
        return Out::failure(series.error());
    const bool adjacent = baseline.end == selection.begin;
    for (const SeriesInfo &info : *series) {
        if (cancelled && cancelled())
            return Out::failure("cancelled");
        if (info.lastTime < baseline.begin && info.lastTime < selection.begin)
            continue;
        if (info.firstTime >= selection.end && info.firstTime >= baseline.end)
            continue;
        std::vector<Sample> before;
        std::vector<Sample> after;
        if (adjacent) {
            auto both = reader.samples(info.id, {baseline.begin, selection.end});
            if (!both)
                return Out::failure(both.error());
            const auto split
                = std::lower_bound(both->begin(), both->end(), selection.begin,
                                   [](const Sample &s, TimeUs t) { return s.time < t; });
            before.assign(both->begin(), split);
            after.assign(split, both->end());
        } else {
            auto b = reader.samples(info.id, baseline);
            auto a = reader.samples(info.id, selection);
            if (!b)
                return Out::failure(b.error());
            if (!a)
                return Out::failure(a.error());
            before = std::move(*b);
            after = std::move(*a);
        }
        std::vector<double> x = valuesOf(before);
        std::vector<double> y = valuesOf(after);
        if (x.size() < kMinimumCompareSamples || y.size() < kMinimumCompareSamples) {
            if (!x.empty() || !y.empty())
                ++result.seriesTooSparse;
            continue;
        }
        ++result.seriesCompared;
        SeriesChange change;
        change.series = info;
        change.service = std::string(info.key.label("service"));
        const MetricMeaning meaning = metricMeaning(info.key, info.unit);
        change.role = meaning.role;
        change.baselineSamples = x.size();
        change.selectionSamples = y.size();
        // Before the medians reorder them; the baseline precedes the selection, so the step
        // from one to the other counts too (a constant series that moved once).
        double resolution = quantumOf(y, quantumOf(x));
        if (const double across = std::abs(y.front() - x.back());
            across > 0 && (resolution == 0 || across < resolution))
            resolution = across;
        change.baselineMedian = medianOf(x);
        change.selectionMedian = medianOf(y);
        const double madX = madOf(x, change.baselineMedian);
        const double madY = madOf(y, change.selectionMedian);
        const double scale = std::max(kMadToSigma * std::sqrt((madX * madX + madY * madY) / 2),
                                      scaleFloor(meaning, change.baselineMedian, resolution));
        const double difference = change.selectionMedian - change.baselineMedian;
        change.scale = scale;
        change.effect = scale > 0 ? difference / scale : 0;
        change.relativeChange = change.baselineMedian != 0
            ? difference / std::abs(change.baselineMedian)
            : std::nan("");
        if (difference != 0 && meaning.badDirection != 0)
            change.worse = (difference > 0) == (meaning.badDirection > 0) ? 1 : -1;
        change.baselineShape = shapeOf(before, baseline, options.shapePoints);
        change.selectionShape = shapeOf(after, selection, options.shapePoints);
        result.series.push_back(std::move(change));
    }
    std::sort(result.series.begin(), result.series.end(),
              [](const SeriesChange &a, const SeriesChange &b) {
                  if (std::abs(a.effect) != std::abs(b.effect))
                      return std::abs(a.effect) > std::abs(b.effect);
                  return a.series.key.canonical() < b.series.key.canonical();
              });
    if (result.series.size() > options.maxSeries)
        result.series.resize(options.maxSeries);

    // Event types: the same counts in both ranges, by how surprising their split is.
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> counts;
    for (const bool inSelection : {false, true}) {
        EventQuery query;
        query.range = inSelection ? selection : baseline;
        const Status read = reader.forEachEvent(query, [&](Event &&event) {
            auto &count = counts[event.type];
            (inSelection ? count.first : count.second) += 1;
            return !(cancelled && cancelled());
        });
        if (!read)
            return Out::failure(read.error());
        if (cancelled && cancelled())
            return Out::failure("cancelled");
    }
    const double share = static_cast<double>(selection.duration())
        / static_cast<double>(selection.duration() + baseline.duration());
    for (const auto &[type, count] : counts) {
        EventTypeChange change;
        change.type = type;
        change.selectionCount = count.first;
        change.baselineCount = count.second;
        change.rateRatio
            = ((static_cast<double>(count.first) + 0.5) / static_cast<double>(selection.duration()))
            / ((static_cast<double>(count.second) + 0.5)
               / static_cast<double>(baseline.duration()));
        change.pValue = binomialTwoSidedP(count.first, count.first + count.second, share);
        result.events.push_back(std::move(change));
    }
    std::sort(result.events.begin(), result.events.end(),
              [](const EventTypeChange &a, const EventTypeChange &b) {
                  if (a.pValue != b.pValue)
                      return a.pValue < b.pValue;
                  return a.type < b.type;
              });
    return result;
}

} // namespace eventscope::analysis
