#include "analysis/metricmeaning.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace eventscope::analysis {

namespace {

std::string lower(std::string_view text)
{
    std::string out(text);
    for (char &c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool has(std::string_view text, std::string_view word)
{
    return text.find(word) != std::string_view::npos;
}

bool hasAny(std::string_view text, std::initializer_list<std::string_view> words)
{
    return std::any_of(words.begin(), words.end(),
                       [text](std::string_view w) { return has(text, w); });
}

bool isDurationUnit(std::string_view u)
{
    for (std::string_view d : {"s", "ms", "us", "µs", "ns", "min", "sec", "secs", "second",
                               "seconds", "millisecond", "milliseconds", "microseconds"})
        if (u == d)
            return true;
    return false;
}

bool isRateUnit(std::string_view u)
{
    return u.starts_with("1/") || u.ends_with("/s") || u.ends_with("/min") || u == "rps"
        || u == "qps" || has(u, "per_second") || has(u, "per second") || has(u, "/sec");
}

bool isByteUnit(std::string_view u)
{
    return u == "by" || u == "bytes" || u == "byte" || u == "kib" || u == "mib" || u == "gib"
        || u == "kb" || u == "mb" || u == "gb";
}

} // namespace

std::string_view roleName(MetricRole role)
{
    switch (role) {
    case MetricRole::Latency: return "latency";
    case MetricRole::Errors: return "errors";
    case MetricRole::Availability: return "availability";
    case MetricRole::Load: return "load";
    case MetricRole::Saturation: return "saturation";
    case MetricRole::State: return "state";
    case MetricRole::Other: break;
    }
    return "other";
}

MetricMeaning metricMeaning(const SeriesKey &key, std::string_view unitText)
{
    const std::string unit = lower(unitText);
    const std::string name = lower(key.name);
    MetricMeaning m;

    m.count = unit == "count" || unit == "1" || unit == "{count}" || unit == "{requests}"
        || name.ends_with("_total") || name.ends_with("_count");
    // Bounds from the unit.
    if (unit == "%" || unit == "percent" || unit == "pct") {
        m.bounded = true;
        m.upperBound = 100;
    } else if (unit == "ratio" || unit == "fraction") {
        m.bounded = true;
        m.upperBound = 1;
    }

    const bool errorWords = hasAny(name,
                                   {"error", "fail", "fault", "5xx", "exception", "timeout",
                                    "reject", "dropped", "unavailable", "crash", "restart", "oom"});
    const bool successWords
        = hasAny(name, {"availability", "available", "success", "uptime", "healthy", "ready"})
        && !errorWords;
    const bool stateWords = hasAny(name, {"replicas", "desired", "spec_", "_target"});
    const bool loadWords
        = hasAny(name,
                 {"request", "throughput", "traffic", "rps", "qps", "invocations", "calls",
                  "arrivals", "incoming", "demand", "_rate_in", "messages_in"})
        && !errorWords;
    const std::string statistic = lower(key.label("statistic"));
    const bool quantileLabel = !key.label("quantile").empty() || !key.label("percentile").empty()
        || (statistic.size() >= 2 && statistic[0] == 'p'
            && std::isdigit(static_cast<unsigned char>(statistic[1])));
    const bool durationWords = hasAny(name,
                                      {"latency", "duration", "response_time", "elapsed", "wait",
                                       "delay", "_seconds", "_ms", "p99", "p95", "p90", "p50"});
    const bool saturationWords
        = hasAny(name,
                 {"cpu", "memory", "mem_", "utili", "usage", "saturation", "queue", "pending",
                  "backlog", "lag", "heap", "disk", "load_average", "throttl"});

    // The unit first.
    if (isDurationUnit(unit)) {
        m.role = MetricRole::Latency;
        m.badDirection = 1;
        return m;
    }
    if (isByteUnit(unit)) {
        m.role = MetricRole::Saturation;
        m.badDirection = 1;
        return m;
    }
    if (stateWords) {
        m.role = MetricRole::State;
        return m;
    }
    if (isRateUnit(unit) && !errorWords) {
        m.role = MetricRole::Load;
        return m;
    }
    // Then names, for what the unit leaves open (counts, shares, no unit at all).
    if (errorWords) {
        m.role = MetricRole::Errors;
        m.badDirection = 1;
        return m;
    }
    if (successWords) {
        m.role = MetricRole::Availability;
        m.badDirection = -1;
        return m;
    }
    if (durationWords || quantileLabel) {
        m.role = MetricRole::Latency;
        m.badDirection = 1;
        return m;
    }
    if (loadWords) {
        m.role = MetricRole::Load;
        return m;
    }
    if (saturationWords) {
        m.role = MetricRole::Saturation;
        m.badDirection = 1;
        return m;
    }
    return m; // Other: bounded ones get their bad direction from behaviour
}

double secondsPerUnit(const SeriesKey &key, std::string_view unitText)
{
    const std::string unit = lower(unitText);
    static constexpr std::pair<std::string_view, double> kUnits[] = {
        {"s", 1},
        {"sec", 1},
        {"secs", 1},
        {"second", 1},
        {"seconds", 1},
        {"ms", 1e-3},
        {"millisecond", 1e-3},
        {"milliseconds", 1e-3},
        {"us", 1e-6},
        {"µs", 1e-6},
        {"microseconds", 1e-6},
        {"ns", 1e-9},
        {"min", 60},
    };
    for (const auto &[name, seconds] : kUnits)
        if (unit == name)
            return seconds;
    if (!unit.empty())
        return 0;
    const std::string name = lower(key.name);
    if (name.ends_with("_seconds") || name.ends_with("_s"))
        return 1;
    if (name.ends_with("_ms") || name.ends_with("_milliseconds"))
        return 1e-3;
    if (name.ends_with("_us") || name.ends_with("_microseconds"))
        return 1e-6;
    return 0;
}

} // namespace eventscope::analysis
