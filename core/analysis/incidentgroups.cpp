#include "analysis/incidentgroups.h"

#include <algorithm>
#include <numeric>

namespace eventscope::analysis {

namespace {

// What a failure's analysis points at, for comparing two failures.
struct Pointer
{
    std::string cause; // confident top cause id, or empty
    std::string suspect; // top suspect's entity or service when strong enough, or empty
};

Pointer pointerOf(const IncidentAnalysis &a, const GroupingOptions &options)
{
    Pointer p;
    if (!a.causes.empty() && isConfidentCause(a.causes.front()))
        p.cause = a.causes.front().event.sourceId;
    if (!a.suspects.empty() && a.suspects.front().score >= options.suspectScore) {
        const Suspect &s = a.suspects.front();
        p.suspect = s.entity.empty() ? "service:" + s.service : "entity:" + s.entity;
    }
    return p;
}

std::size_t root(std::vector<std::size_t> &parent, std::size_t i)
{
    while (parent[i] != i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    return i;
}

} // namespace

std::vector<IncidentGroup> groupIncidents(const std::vector<IncidentAnalysis> &analyses,
                                          GroupingOptions options)
{
    std::vector<std::size_t> order(analyses.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return analyses[a].failure.time < analyses[b].failure.time;
    });
    std::vector<Pointer> pointers;
    pointers.reserve(analyses.size());
    for (const IncidentAnalysis &a : analyses)
        pointers.push_back(pointerOf(a, options));
    // Until when a failure is still going on, for the overlap test.
    const auto until = [&](std::size_t i) {
        const IncidentAnalysis &a = analyses[i];
        return std::max(a.recoveryTime, a.failure.time) + options.slack;
    };

    std::vector<std::size_t> parent(analyses.size());
    std::iota(parent.begin(), parent.end(), 0);
    for (std::size_t x = 0; x < order.size(); ++x) {
        const std::size_t i = order[x];
        for (std::size_t y = x + 1; y < order.size(); ++y) {
            const std::size_t j = order[y];
            if (analyses[j].failure.time > until(i))
                break; // later ones start later still
            const Pointer &a = pointers[i];
            const Pointer &b = pointers[j];
            const bool shared = (!a.cause.empty() && a.cause == b.cause)
                || (!a.suspect.empty() && a.suspect == b.suspect);
            if (shared)
                parent[root(parent, j)] = root(parent, i);
        }
    }

    std::vector<IncidentGroup> groups;
    std::vector<std::ptrdiff_t> groupOf(analyses.size(), -1);
    for (const std::size_t i : order) {
        const std::size_t r = root(parent, i);
        if (groupOf[r] < 0) {
            groupOf[r] = static_cast<std::ptrdiff_t>(groups.size());
            groups.emplace_back();
        }
        groups[static_cast<std::size_t>(groupOf[r])].members.push_back(i);
    }
    for (IncidentGroup &group : groups) {
        group.start = analyses[group.members.front()].failure.time;
        group.recovered = true;
        TimeUs lastRecovery = 0;
        for (const std::size_t i : group.members) {
            const IncidentAnalysis &a = analyses[i];
            const std::string &service = a.failure.service;
            if (!service.empty()
                && std::find(group.services.begin(), group.services.end(), service)
                    == group.services.end())
                group.services.push_back(service);
            if (a.recoveryTime > 0)
                lastRecovery = std::max(lastRecovery, a.recoveryTime);
            else
                group.recovered = false;
            group.end = std::max({group.end, a.failure.time, a.recoveryTime});
            if (!a.causes.empty() && isConfidentCause(a.causes.front())
                && (!group.cause || a.causes.front().score > group.cause->score))
                group.cause = a.causes.front();
            if (!a.suspects.empty()
                && (!group.suspect || a.suspects.front().score > group.suspect->score))
                group.suspect = a.suspects.front();
        }
        if (group.recovered && lastRecovery > 0)
            group.ttrSeconds = static_cast<double>(lastRecovery - group.start) / kMicrosPerSecond;
    }
    return groups;
}

} // namespace eventscope::analysis
