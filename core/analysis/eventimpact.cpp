#include "analysis/eventimpact.h"

#include "analysis/changepoint.h"
#include "store/capturereader.h"
#include "util/jsonwriter.h"
#include "util/timeformat.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <numeric>
#include <random>

namespace eventscope::analysis {

namespace {

double quantile(std::vector<double> values, double q)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const double position = q * static_cast<double>(values.size() - 1);
    const auto lower = static_cast<std::size_t>(std::floor(position));
    const auto upper = std::min(lower + 1, values.size() - 1);
    const double fraction = position - static_cast<double>(lower);
    return values[lower] * (1 - fraction) + values[upper] * fraction;
}

bool hasLabels(const SeriesKey &key, const std::vector<std::pair<std::string, std::string>> &labels)
{
    for (const auto &[name, value] : labels) {
        if (key.label(name) != value)
            return false;
    }
    return true;
}

} // namespace

// Two-sided permutation test: how often a random split of the pooled log ratios into groups
// of the same sizes gives means at least as far apart as the occurrences' and the background's.
// Random relabellings from a fixed seed, so the same capture always gives the same p.
double permutationPValue(const std::vector<double> &events, const std::vector<double> &background)
{
    constexpr int kPermutations = 20'000;
    const std::size_t n1 = events.size();
    const std::size_t n2 = background.size();
    if (n1 == 0 || n2 == 0)
        return 1;
    std::vector<double> pooled(events);
    pooled.insert(pooled.end(), background.begin(), background.end());
    const double total = std::accumulate(pooled.begin(), pooled.end(), 0.0);
    const auto distance = [&](double sumOfFirst) {
        return std::abs(sumOfFirst / static_cast<double>(n1)
                        - (total - sumOfFirst) / static_cast<double>(n2));
    };
    const double observed = distance(std::accumulate(events.begin(), events.end(), 0.0));
    // Relative tolerance: a relabelling that only reorders equal values is as extreme.
    const double threshold = observed - 1e-12 * std::max(1.0, std::abs(observed));
    std::mt19937_64 rng(0x5eed'1a2bULL);
    int asExtreme = 0;
    for (int p = 0; p < kPermutations; ++p) {
        // A partial Fisher-Yates shuffle draws the first group.
        double sum = 0;
        for (std::size_t i = 0; i < n1; ++i) {
            std::uniform_int_distribution<std::size_t> pick(i, pooled.size() - 1);
            std::swap(pooled[i], pooled[pick(rng)]);
            sum += pooled[i];
        }
        if (distance(sum) >= threshold)
            ++asExtreme;
    }
    return (asExtreme + 1.0) / (kPermutations + 1.0);
}

Result<ImpactResult> measureImpact(CaptureReader &reader, const ImpactQuery &query)
{
    ImpactResult result;
    result.query = query;
    auto allSeries = reader.series();
    if (!allSeries)
        return Result<ImpactResult>::failure(allSeries.error());
    std::vector<SeriesInfo> series;
    for (const SeriesInfo &s : *allSeries) {
        if (s.key.name == query.metric && hasLabels(s.key, query.labels))
            series.push_back(s);
    }
    if (series.empty())
        return Result<ImpactResult>::failure("no series named '" + query.metric
                                             + "' with those labels in the capture");
    const bool ranged = query.range.end > query.range.begin;
    EventQuery events;
    events.type = query.eventType;
    if (ranged)
        events.range = query.range;
    auto occurrences = reader.events(events);
    if (!occurrences)
        return Result<ImpactResult>::failure(occurrences.error());
    if (occurrences->empty())
        return Result<ImpactResult>::failure("no '" + query.eventType + "' events in the "
                                             + (ranged ? "range" : "capture"));

    const bool byService = std::all_of(series.begin(), series.end(), [](const SeriesInfo &s) {
        return !s.key.label("service").empty();
    });
    // Before and after medians around time t, from a series' sorted samples.
    auto windows = [&query](const std::vector<Sample> &samples, TimeUs t, double &before,
                            double &after) {
        std::vector<double> b, a;
        auto it = std::lower_bound(samples.begin(), samples.end(), t - query.window,
                                   [](const Sample &x, TimeUs time) { return x.time < time; });
        for (; it != samples.end() && it->time <= t + query.settle + query.window; ++it) {
            if (!std::isfinite(it->value))
                continue;
            if (it->time < t)
                b.push_back(it->value);
            else if (it->time > t + query.settle)
                a.push_back(it->value);
        }
        if (b.size() < 3 || a.size() < 3)
            return false;
        before = median(b);
        after = median(a);
        return true;
    };

    std::map<TimeUs, std::vector<double>> epoch;
    std::vector<double> logRatios, changes, background, backgroundChanges;
    for (const SeriesInfo &s : series) {
        std::vector<const Event *> mine;
        for (const Event &event : *occurrences) {
            // An occurrence on one service says nothing about another service's series.
            if (!byService || event.service.empty() || s.key.label("service") == event.service)
                mine.push_back(&event);
        }
        if (mine.empty())
            continue;
        auto samples
            = reader.samples(s.id,
                             ranged ? TimeRange{query.range.begin - query.window,
                                                query.range.end + query.settle + query.window}
                                    : TimeRange{});
        if (!samples)
            return Result<ImpactResult>::failure(samples.error());
        for (const Event *event : mine) {
            ImpactOccurrence occurrence;
            if (!windows(*samples, event->time, occurrence.before, occurrence.after)) {
                ++result.skipped;
                continue;
            }
            occurrence.eventId = event->sourceId;
            occurrence.time = event->time;
            occurrence.service = event->service;
            occurrence.series = s.key.canonical();
            if (occurrence.before > 0 && occurrence.after > 0)
                logRatios.push_back(std::log(occurrence.after / occurrence.before));
            changes.push_back(occurrence.relativeChange());
            if (occurrence.before != 0) {
                auto it
                    = std::lower_bound(samples->begin(), samples->end(), event->time - query.window,
                                       [](const Sample &x, TimeUs time) { return x.time < time; });
                for (; it != samples->end() && it->time <= event->time + query.window; ++it) {
                    const TimeUs offset
                        = (it->time - event->time) / query.epochStep * query.epochStep;
                    epoch[offset].push_back(it->value / occurrence.before);
                }
            }
            result.occurrences.push_back(std::move(occurrence));
        }
        // Background: the same before/after comparison at regular times away from every
        // occurrence, so that what the series does anyway (daily cycle, other incidents)
        // is what an effect is measured against.
        if (samples->size() < 2)
            continue;
        const TimeUs first = samples->front().time + query.window;
        const TimeUs last = samples->back().time - query.window - query.settle;
        const TimeUs span = last - first;
        if (span <= 0)
            continue;
        const TimeUs stride = std::max(query.window, span / 400);
        for (TimeUs t = first; t <= last; t += stride) {
            const bool nearOccurrence
                = std::any_of(mine.begin(), mine.end(), [&query, t](const Event *e) {
                      return std::abs(e->time - t) < query.window + query.settle;
                  });
            double before = 0, after = 0;
            if (nearOccurrence || !windows(*samples, t, before, after) || before <= 0 || after <= 0)
                continue;
            background.push_back(std::log(after / before));
            backgroundChanges.push_back(after / before - 1.0);
        }
    }
    result.medianRelativeChange = quantile(changes, 0.5);
    result.lowerQuartile = quantile(changes, 0.25);
    result.upperQuartile = quantile(changes, 0.75);
    result.backgroundWindows = static_cast<int>(background.size());
    result.backgroundMedianRelativeChange = quantile(backgroundChanges, 0.5);
    result.pValue = permutationPValue(logRatios, background);
    result.significant = logRatios.size() >= 3 && result.pValue < 0.05;
    for (const auto &[offset, values] : epoch) {
        EpochPoint point;
        point.offset = offset;
        point.count = static_cast<int>(values.size());
        double sum = 0, squares = 0;
        for (double v : values) {
            sum += v;
            squares += v * v;
        }
        point.mean = sum / point.count;
        const double deviation
            = std::sqrt(std::max(0.0, squares / point.count - point.mean * point.mean));
        point.low = point.mean - deviation;
        point.high = point.mean + deviation;
        result.epoch.push_back(point);
    }
    return result;
}

std::string impactToJson(const ImpactResult &r)
{
    auto number = [](double v) {
        std::string out;
        json::appendNumber(out, std::round(v * 10000) / 10000);
        return out;
    };
    std::string out = "{\"event_type\":";
    json::appendString(out, r.query.eventType);
    out += ",\"metric\":";
    json::appendString(out, r.query.metric);
    out += ",\"labels\":{";
    for (const auto &[name, value] : r.query.labels) {
        if (out.back() != '{')
            out += ',';
        json::appendString(out, name);
        out += ':';
        json::appendString(out, value);
    }
    out += "},\"window_seconds\":" + number(static_cast<double>(r.query.window) / kMicrosPerSecond);
    out += ",\"occurrences\":" + std::to_string(r.occurrences.size());
    out += ",\"skipped\":" + std::to_string(r.skipped);
    out += ",\"median_relative_change\":" + number(r.medianRelativeChange);
    out += ",\"spread\":{\"q1\":" + number(r.lowerQuartile) + ",\"q3\":" + number(r.upperQuartile)
        + "}";
    out += ",\"p_value\":" + number(r.pValue);
    out += ",\"test\":\"permutation test of the mean log(after/before) against background "
           "windows\"";
    out += ",\"background_windows\":" + std::to_string(r.backgroundWindows);
    out += ",\"background_median_relative_change\":" + number(r.backgroundMedianRelativeChange);
    out += std::string(",\"significant\":") + (r.significant ? "true" : "false");
    out += ",\"per_occurrence\":[";
    for (const ImpactOccurrence &o : r.occurrences) {
        if (out.back() != '[')
            out += ',';
        out += "{\"id\":";
        json::appendString(out, o.eventId);
        out += ",\"time\":";
        json::appendString(out, formatTimestamp(o.time));
        out += ",\"series\":";
        json::appendString(out, o.series);
        out += ",\"before\":" + number(o.before) + ",\"after\":" + number(o.after)
            + ",\"relative_change\":" + number(o.relativeChange()) + "}";
    }
    out += "],\"epoch\":[";
    for (const EpochPoint &p : r.epoch) {
        if (out.back() != '[')
            out += ',';
        out += "{\"offset_seconds\":" + number(static_cast<double>(p.offset) / kMicrosPerSecond)
            + ",\"mean\":" + number(p.mean) + ",\"low\":" + number(p.low)
            + ",\"high\":" + number(p.high) + ",\"n\":" + std::to_string(p.count) + "}";
    }
    out += "]}\n";
    return out;
}

std::string impactToText(const ImpactResult &r)
{
    char line[512];
    std::snprintf(line, sizeof line,
                  "%s on %s: %zu occurrences (%d without data), median change %+.1f%% "
                  "(quartiles %+.1f%% to %+.1f%%), p = %.4f: %s\n",
                  r.query.eventType.c_str(), r.query.metric.c_str(), r.occurrences.size(),
                  r.skipped, 100 * r.medianRelativeChange, 100 * r.lowerQuartile,
                  100 * r.upperQuartile, r.pValue,
                  r.significant ? "significant" : "not significant");
    std::string out = line;
    for (const ImpactOccurrence &o : r.occurrences) {
        std::snprintf(line, sizeof line, "  %s  %s  %s  %.4g -> %.4g (%+.1f%%)\n",
                      formatTimestamp(o.time).c_str(), o.eventId.c_str(), o.series.c_str(),
                      o.before, o.after, 100 * o.relativeChange());
        out += line;
    }
    return out;
}

} // namespace eventscope::analysis
