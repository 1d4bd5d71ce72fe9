#include "overviewseries.h"

#include <algorithm>
#include <array>
#include <map>
#include <string_view>
#include <tuple>

namespace eventscope::ui {

namespace {

int signalRank(std::string_view name)
{
    static constexpr std::array<std::string_view, 7> kSignals
        = {"latency", "error", "request", "jobs", "throughput", "cpu", "memory"};
    for (std::size_t i = 0; i < kSignals.size(); ++i) {
        if (name.find(kSignals[i]) != std::string_view::npos)
            return static_cast<int>(i);
    }
    return static_cast<int>(kSignals.size());
}

std::string focusService(const std::vector<Event> &events)
{
    const Event *latestFailure = nullptr;
    std::map<std::string, int> counts;
    for (const Event &e : events) {
        if (e.service.empty())
            continue;
        ++counts[e.service];
        if (e.category == EventCategory::Failure
            && (!latestFailure || e.time >= latestFailure->time))
            latestFailure = &e;
    }
    if (latestFailure)
        return latestFailure->service;
    const auto busiest
        = std::max_element(counts.begin(), counts.end(),
                           [](const auto &a, const auto &b) { return a.second < b.second; });
    return busiest == counts.end() ? std::string() : busiest->first;
}

} // namespace

bool isIngestHealthSeries(const SeriesKey &key)
{
    return key.name.starts_with("eventscope_");
}

std::vector<SeriesInfo> chooseOverviewSeries(const std::vector<SeriesInfo> &series,
                                             const std::vector<Event> &events, std::size_t count)
{
    const std::string focus = focusService(events);
    auto key = [&focus](const SeriesInfo &s) {
        const bool perInstance = !s.key.label("pod").empty() || !s.key.label("instance").empty();
        const bool focused = !focus.empty() && s.key.label("service") == focus;
        return std::make_tuple(isIngestHealthSeries(s.key), perInstance, !focused,
                               signalRank(s.key.name), s.key.canonical());
    };
    std::vector<SeriesInfo> ranked = series;
    std::stable_sort(ranked.begin(), ranked.end(),
                     [&key](const SeriesInfo &a, const SeriesInfo &b) { return key(a) < key(b); });
    if (ranked.size() > count)
        ranked.resize(count);
    return ranked;
}

} // namespace eventscope::ui
