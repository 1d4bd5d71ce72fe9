#include "eventcolumns.h"

#include <algorithm>
#include <cmath>
#include <string_view>
#include <unordered_map>

namespace eventscope::ui {

namespace {
const std::string kNoService = "(no service)";

bool sameContent(const Event &a, const Event &b)
{
    return a.type == b.type && a.service == b.service && a.message == b.message;
}
} // namespace

Severity MarkerColumn::worstIn(std::uint32_t categoryMask) const
{
    int worstSeen = -1;
    for (int i = 0; i < kEventCategoryCount; ++i) {
        if (categoryMask & (1u << i))
            worstSeen = std::max<int>(worstSeen, worst[static_cast<std::size_t>(i)]);
    }
    return static_cast<Severity>(std::max(worstSeen, 0));
}

int EventColumns::columnOf(TimeUs time) const
{
    if (columns <= 0 || !range.contains(time))
        return -1;
    const double scaled
        = static_cast<double>(time - range.begin) * columns / static_cast<double>(range.duration());
    return std::min(columns - 1, static_cast<int>(scaled));
}

TimeRange EventColumns::columnRange(int column) const
{
    // The first time columnOf() puts in column c.
    const auto at = [this](int c) {
        TimeUs t = range.begin
            + static_cast<TimeUs>(std::ceil(static_cast<double>(range.duration()) * c / columns));
        while (t > range.begin && columnOf(t - 1) >= c)
            --t;
        while (t < range.end && columnOf(t) < c)
            ++t;
        return c >= columns ? range.end : t;
    };
    return {at(column), at(column + 1)};
}

std::pair<std::size_t, std::size_t> eventsIn(const std::vector<Event> &events, TimeRange range)
{
    const auto byTime = [](const Event &e, TimeUs t) { return e.time < t; };
    const auto first = std::lower_bound(events.begin(), events.end(), range.begin, byTime);
    const auto last = std::lower_bound(first, events.end(), range.end, byTime);
    return {static_cast<std::size_t>(first - events.begin()),
            static_cast<std::size_t>(last - events.begin())};
}

int laneOf(const EventColumns &columns, const Event &event)
{
    if (columns.mode == LaneMode::Category)
        return static_cast<int>(event.category);
    const std::string &name = event.service.empty() ? kNoService : event.service;
    const auto found = std::lower_bound(columns.lanes.begin(), columns.lanes.end(), name);
    return found != columns.lanes.end() && *found == name
        ? static_cast<int>(found - columns.lanes.begin())
        : -1;
}

EventColumns aggregateEventColumns(const std::vector<Event> &events, TimeRange range, int columns,
                                   LaneMode mode, const EventFilter &filter)
{
    EventColumns result;
    result.range = range;
    result.columns = std::max(columns, 0);
    result.mode = mode;
    if (mode == LaneMode::Category) {
        for (int i = 0; i < kEventCategoryCount; ++i)
            result.lanes.emplace_back(categoryName(static_cast<EventCategory>(i)));
    }
    if (result.columns == 0 || range.isEmpty())
        return result;

    const auto [first, last] = eventsIn(events, range);
    const bool filtered = !filter.isEmpty();

    // Service lanes: every service of the whole list, so lanes do not jump while panning.
    std::unordered_map<std::string_view, int> serviceLane;
    if (mode == LaneMode::Service) {
        std::vector<std::string_view> names;
        for (const Event &e : events) {
            const std::string_view name
                = e.service.empty() ? std::string_view(kNoService) : e.service;
            if (serviceLane.emplace(name, 0).second)
                names.push_back(name);
        }
        std::sort(names.begin(), names.end());
        for (std::size_t i = 0; i < names.size(); ++i) {
            serviceLane[names[i]] = static_cast<int>(i);
            result.lanes.emplace_back(names[i]);
        }
    }

    // Cells keyed by (lane, column); events arrive in time order, so each lane's cells are
    // appended in column order and only the lane's last cell can grow.
    std::vector<std::vector<EventCell>> byLane(result.lanes.size());
    std::vector<MarkerColumn> markers;
    for (std::size_t i = first; i < last; ++i) {
        const Event &e = events[i];
        if (filtered && !filter.matches(e))
            continue;
        ++result.eventsInRange;
        const int column = result.columnOf(e.time);
        const int lane = mode == LaneMode::Category
            ? static_cast<int>(e.category)
            : serviceLane[e.service.empty() ? std::string_view(kNoService) : e.service];
        auto &cells = byLane[static_cast<std::size_t>(lane)];
        if (cells.empty() || cells.back().column != column) {
            EventCell cell;
            cell.column = column;
            cell.lane = lane;
            cell.firstIndex = static_cast<std::uint32_t>(i);
            cell.worst = e.severity;
            cell.category = e.category;
            cells.push_back(cell);
        } else if (cells.back().identical) {
            cells.back().identical = sameContent(events[cells.back().firstIndex], e);
        }
        EventCell &cell = cells.back();
        ++cell.count;
        cell.categories |= static_cast<std::uint8_t>(1u << static_cast<unsigned>(e.category));
        if (e.severity > cell.worst) {
            cell.worst = e.severity;
            cell.category = e.category;
        }

        if (markers.empty() || markers.back().column != column) {
            MarkerColumn marker;
            marker.column = column;
            marker.worst.fill(-1);
            markers.push_back(marker);
        }
        MarkerColumn &marker = markers.back();
        const auto category = static_cast<std::size_t>(e.category);
        marker.categories |= static_cast<std::uint8_t>(1u << category);
        marker.worst[category]
            = std::max<std::int8_t>(marker.worst[category], static_cast<std::int8_t>(e.severity));
    }
    for (auto &cells : byLane)
        result.cells.insert(result.cells.end(), cells.begin(), cells.end());
    result.markers = std::move(markers);
    return result;
}

std::vector<EventGroup> groupIdenticalEvents(const std::vector<const Event *> &events,
                                             std::size_t limit)
{
    std::vector<EventGroup> groups;
    for (std::size_t i = 0; i < events.size(); ++i) {
        auto same = std::find_if(groups.begin(), groups.end(), [&](const EventGroup &g) {
            return sameContent(*events[g.first], *events[i]);
        });
        if (same != groups.end()) {
            ++same->count;
        } else if (groups.size() < limit) {
            groups.push_back({i, 1});
        }
    }
    return groups;
}

} // namespace eventscope::ui
