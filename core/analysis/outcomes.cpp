#include "analysis/outcomes.h"

#include "analysis/metricmeaning.h"
#include "store/capturereader.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>

namespace eventscope::analysis {

namespace {

constexpr TimeUs kHour = 3600 * kMicrosPerSecond;

bool containsWord(std::string_view text, std::string_view word)
{
    return std::search(text.begin(), text.end(), word.begin(), word.end(),
                       [](char a, char b) {
                           return std::tolower(static_cast<unsigned char>(a))
                               == std::tolower(static_cast<unsigned char>(b));
                       })
        != text.end();
}

// How far into the tail a latency series looks: the percentile its name or labels give
// (p99 → 99, quantile=0.95 → 95, max → 100), 50 for a median, 1 when none is said (a mean).
double tailOf(const SeriesKey &key)
{
    const std::string text = key.canonical();
    double best = containsWord(text, "max") ? 100 : containsWord(text, "median") ? 50 : 1;
    for (std::size_t i = 0; i + 1 < text.size(); ++i) {
        const bool percentile = (text[i] == 'p' || text[i] == 'P')
            && std::isdigit(static_cast<unsigned char>(text[i + 1]))
            && (i == 0 || !std::isalnum(static_cast<unsigned char>(text[i - 1])));
        const bool quantile
            = text.compare(i, 2, "0.") == 0 && (i == 0 || text[i - 1] == '=' || text[i - 1] == '"');
        if (!percentile && !quantile)
            continue;
        const std::size_t start = percentile ? i + 1 : i;
        std::size_t end = start;
        while (end < text.size()
               && (std::isdigit(static_cast<unsigned char>(text[end])) || text[end] == '.'))
            ++end;
        double value = std::atof(text.substr(start, end - start).c_str());
        if (quantile)
            value *= 100;
        if (value > 0 && value <= 100)
            best = std::max(best, value);
    }
    return best;
}

std::string serviceOf(const SeriesKey &key)
{
    return std::string(key.label("service"));
}

TimeUs floorTo(TimeUs time, TrendPeriod period)
{
    const TimeUs day = 24 * kHour;
    switch (period) {
    case TrendPeriod::Hour: return time - ((time % kHour) + kHour) % kHour;
    case TrendPeriod::Day: return time - ((time % day) + day) % day;
    case TrendPeriod::Week: {
        // 1970-01-01 was a Thursday: weeks start on Mondays, four days later.
        const TimeUs week = 7 * day;
        const TimeUs monday = 4 * day;
        return time - (((time - monday) % week) + week) % week;
    }
    }
    return time;
}

TimeUs lengthOf(TrendPeriod period)
{
    return period == TrendPeriod::Hour ? kHour
        : period == TrendPeriod::Day   ? 24 * kHour
                                       : 7 * 24 * kHour;
}

double median(std::vector<double> values)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

std::string pText(double p)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, p < 0.001 ? "%.1e" : "%.3f", p);
    return buffer;
}

} // namespace

std::string_view periodName(TrendPeriod period)
{
    switch (period) {
    case TrendPeriod::Hour: return "hour";
    case TrendPeriod::Day: return "day";
    case TrendPeriod::Week: return "week";
    }
    return "day";
}

TrendPeriod periodFor(TimeRange range)
{
    const TimeUs length = range.end - range.begin;
    if (length >= 4 * lengthOf(TrendPeriod::Week))
        return TrendPeriod::Week;
    if (length >= 4 * lengthOf(TrendPeriod::Day))
        return TrendPeriod::Day;
    return TrendPeriod::Hour;
}

Result<Outcomes> measureOutcomes(CaptureReader &reader, TimeRange range,
                                 const std::atomic<bool> *cancelled,
                                 const std::function<void(int, int)> &progress)
{
    using R = Result<Outcomes>;
    Outcomes outcomes;
    outcomes.range = range;
    outcomes.period = periodFor(range);
    auto series = reader.series();
    if (!series)
        return R::failure(series.error());

    // Each service's tail-latency metric and its job metrics.
    std::map<std::string, std::pair<double, std::string>> latencyOf; // service → (tail, name)
    std::map<std::string, std::set<std::string>> jobMetricsOf; // service ("" none) → names
    std::map<std::string, int> badDirectionOf; // metric name → its bad direction
    for (const SeriesInfo &s : *series) {
        if (s.lastTime < range.begin || s.firstTime >= range.end)
            continue;
        const MetricMeaning meaning = metricMeaning(s.key, s.unit);
        badDirectionOf.emplace(s.key.name, meaning.badDirection);
        const std::string service = serviceOf(s.key);
        if (containsWord(s.key.name, "job"))
            jobMetricsOf[service].insert(s.key.name);
        if (meaning.role == MetricRole::Latency && !service.empty()) {
            const double tail = tailOf(s.key);
            auto &best = latencyOf[service];
            if (best.second.empty() || tail > best.first
                || (tail == best.first && s.key.name < best.second))
                best = {tail, s.key.name};
        }
    }

    // The event types that ask each question, and the services they happened to.
    std::map<std::string, std::set<std::string>> scalingTypes; // type → services
    std::map<std::string, std::set<std::string>> troubleTypes;
    EventQuery query;
    query.range = range;
    query.categories = EventQuery::categoryBit(EventCategory::Scaling)
        | EventQuery::categoryBit(EventCategory::Provisioning)
        | EventQuery::categoryBit(EventCategory::Failure);
    if (Status read
        = reader.forEachEvent(query,
                              [&](Event &&e) {
                                  if (e.category == EventCategory::Scaling) {
                                      scalingTypes[e.type].insert(e.service);
                                  } else if (e.severity >= Severity::Warning
                                             && (e.category == EventCategory::Provisioning
                                                 || containsWord(e.type, "schedul")
                                                 || containsWord(e.type, "provision"))) {
                                      troubleTypes[e.type].insert(e.service);
                                  }
                                  return !(cancelled && cancelled->load());
                              });
        !read)
        return R::failure(read.error());

    std::vector<OutcomeImpact> scaling;
    for (const auto &[type, services] : scalingTypes) {
        for (const std::string &service : services) {
            const auto latency = latencyOf.find(service);
            if (service.empty() || latency == latencyOf.end())
                continue; // no service, or one without latency: nothing to ask
            OutcomeImpact o;
            o.service = service;
            o.query.eventType = type;
            o.query.metric = latency->second.second;
            o.query.labels = {{"service", service}};
            o.query.range = range;
            scaling.push_back(std::move(o));
        }
    }
    std::vector<OutcomeImpact> provisioning;
    for (const auto &[type, services] : troubleTypes) {
        std::set<std::string> asked;
        for (const std::string &service : services) {
            if (service.empty()) { // a node, a pool: every service's jobs
                for (const auto &[jobService, names] : jobMetricsOf)
                    asked.insert(jobService);
            } else if (jobMetricsOf.count(service)) {
                asked.insert(service);
            }
        }
        for (const std::string &service : asked) {
            for (const std::string &metric : jobMetricsOf[service]) {
                OutcomeImpact o;
                o.service = service;
                o.query.eventType = type;
                o.query.metric = metric;
                if (!service.empty())
                    o.query.labels = {{"service", service}};
                o.query.range = range;
                provisioning.push_back(std::move(o));
            }
        }
    }

    const int total = static_cast<int>(scaling.size() + provisioning.size());
    int done = 0;
    for (auto *list : {&scaling, &provisioning}) {
        for (OutcomeImpact &o : *list) {
            if (cancelled && cancelled->load())
                return R::failure("cancelled");
            if (progress)
                progress(done, total);
            auto measured = measureImpact(reader, o.query);
            if (measured)
                o.impact = std::move(*measured);
            else
                o.error = measured.error();
            o.badDirection = badDirectionOf[o.query.metric];
            ++done;
        }
    }
    if (progress)
        progress(total, total);
    // Significant first, then the most occurrences.
    for (auto *list : {&scaling, &provisioning}) {
        std::stable_sort(list->begin(), list->end(),
                         [](const OutcomeImpact &a, const OutcomeImpact &b) {
                             const bool as = a.impact && a.impact->significant;
                             const bool bs = b.impact && b.impact->significant;
                             if (as != bs)
                                 return as;
                             const std::size_t an = a.impact ? a.impact->occurrences.size() : 0;
                             const std::size_t bn = b.impact ? b.impact->occurrences.size() : 0;
                             return an > bn;
                         });
    }
    outcomes.scaling = std::move(scaling);
    outcomes.provisioning = std::move(provisioning);
    return outcomes;
}

std::vector<RecoveryTrend> recoveryTrends(const std::vector<IncidentAnalysis> &analyses,
                                          TimeRange range, TrendPeriod period)
{
    std::map<std::pair<std::string, std::string>, std::vector<const IncidentAnalysis *>> groups;
    for (const IncidentAnalysis &a : analyses) {
        if (!range.contains(a.failure.time))
            continue;
        groups[{"", ""}].push_back(&a);
        groups[{a.failure.service, a.failure.type}].push_back(&a);
    }
    const TimeUs middle = range.begin + (range.end - range.begin) / 2;
    const TimeUs first = floorTo(range.begin, period);
    const TimeUs step = lengthOf(period);
    std::vector<RecoveryTrend> trends;
    for (const auto &[key, members] : groups) {
        RecoveryTrend trend;
        trend.service = key.first;
        trend.type = key.second;
        trend.failures = static_cast<int>(members.size());
        std::map<TimeUs, std::vector<double>> byPeriod;
        std::vector<double> earlier, later;
        for (const IncidentAnalysis *a : members) {
            if (a->ttrSeconds < 0)
                continue;
            ++trend.recovered;
            byPeriod[floorTo(a->failure.time, period)].push_back(a->ttrSeconds);
            (a->failure.time < middle ? earlier : later).push_back(a->ttrSeconds);
        }
        for (TimeUs t = first; t < range.end; t += step) {
            RecoveryPeriod p;
            p.begin = t;
            if (const auto found = byPeriod.find(t); found != byPeriod.end()) {
                p.recovered = static_cast<int>(found->second.size());
                p.medianSeconds = median(found->second);
            }
            trend.periods.push_back(p);
        }
        trend.earlierCount = static_cast<int>(earlier.size());
        trend.laterCount = static_cast<int>(later.size());
        trend.earlierMedianSeconds = median(earlier);
        trend.laterMedianSeconds = median(later);
        if (trend.earlierMedianSeconds > 0 && !later.empty())
            trend.changeFraction = trend.laterMedianSeconds / trend.earlierMedianSeconds - 1;
        // On log times: a recovery twice as slow weighs the same at 10 s as at 10 min.
        const auto logs = [](std::vector<double> v) {
            for (double &x : v)
                x = std::log(std::max(1.0, x));
            return v;
        };
        trend.pValue = permutationPValue(logs(earlier), logs(later));
        trend.significant = trend.earlierCount >= kMinimumOccurrences
            && trend.laterCount >= kMinimumOccurrences && trend.pValue < 0.05;
        trends.push_back(std::move(trend));
    }
    std::stable_sort(trends.begin(), trends.end(),
                     [](const RecoveryTrend &a, const RecoveryTrend &b) {
                         const bool aAll = a.service.empty() && a.type.empty();
                         const bool bAll = b.service.empty() && b.type.empty();
                         if (aAll != bAll)
                             return aAll;
                         return a.failures > b.failures;
                     });
    return trends;
}

std::string whyNotSignificant(const ImpactResult &impact)
{
    if (impact.significant)
        return {};
    const int n = static_cast<int>(impact.occurrences.size());
    if (n < kMinimumOccurrences)
        return "too few occurrences (" + std::to_string(n) + "; at least "
            + std::to_string(kMinimumOccurrences) + " are needed)";
    if (impact.backgroundWindows == 0)
        return "no background to compare with (the series is too short away from the events)";
    return "p = " + pText(impact.pValue) + ": a change this size happens by chance";
}

std::string whyNotSignificant(const RecoveryTrend &trend)
{
    if (trend.significant)
        return {};
    if (trend.earlierCount < kMinimumOccurrences || trend.laterCount < kMinimumOccurrences)
        return "too few recoveries (" + std::to_string(trend.earlierCount) + " in the first half, "
            + std::to_string(trend.laterCount) + " in the second; at least "
            + std::to_string(kMinimumOccurrences) + " each are needed)";
    return "p = " + pText(trend.pValue) + ": a change this size happens by chance";
}

} // namespace eventscope::analysis
