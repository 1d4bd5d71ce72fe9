#include "analysis/precedencehistory.h"

#include <algorithm>
#include <cmath>

namespace eventscope::analysis {

namespace {

// Prior weight, in incidents, of "no more often than chance" (lift 1).
constexpr double kPriorIncidents = 3.0;

// Whether `buckets` (minute order) has one in [from, to].
bool anyWithin(const std::vector<EventTypeHistory::Bucket> &buckets, std::int64_t from,
               std::int64_t to)
{
    const auto it = std::lower_bound(
        buckets.begin(), buckets.end(), from,
        [](const EventTypeHistory::Bucket &b, std::int64_t minute) { return b.minute < minute; });
    return it != buckets.end() && it->minute <= to;
}

} // namespace

PrecedenceHistory::PrecedenceHistory(EventTypeHistory counts)
    : m_counts(std::move(counts))
{
    m_firstMinute = m_counts.firstMinute;
    m_lastMinute = m_counts.lastMinute;
    if (m_lastMinute >= m_firstMinute)
        return;
    bool any = false;
    for (const auto &[type, buckets] : m_counts.byType) {
        if (buckets.empty())
            continue;
        m_firstMinute
            = any ? std::min(m_firstMinute, buckets.front().minute) : buckets.front().minute;
        m_lastMinute = any ? std::max(m_lastMinute, buckets.back().minute) : buckets.back().minute;
        any = true;
    }
}

void PrecedenceHistory::add(EventTypeHistory more)
{
    for (auto &[type, buckets] : more.byType)
        m_counts.byType.try_emplace(type, std::move(buckets));
}

const PrecedenceHistory::Buckets *PrecedenceHistory::bucketsOf(std::string_view type) const
{
    const auto it = m_counts.byType.find(type);
    return it == m_counts.byType.end() ? nullptr : &it->second;
}

const std::vector<PrecedenceHistory::Incident> &
PrecedenceHistory::incidentsOf(std::string_view failureType, std::int64_t windowMinutes) const
{
    const auto key = std::pair(std::string(failureType), windowMinutes);
    if (const auto it = m_incidents.find(key); it != m_incidents.end())
        return it->second;
    std::vector<Incident> incidents;
    if (const Buckets *failures = bucketsOf(failureType)) {
        for (const EventTypeHistory::Bucket &f : *failures) {
            if (incidents.empty() || f.minute - incidents.back().last > windowMinutes)
                incidents.push_back({f.minute, f.minute});
            else
                incidents.back().last = f.minute;
        }
    }
    return m_incidents.emplace(key, std::move(incidents)).first->second;
}

double PrecedenceHistory::coverageOf(std::string_view candidateType,
                                     std::int64_t windowMinutes) const
{
    const auto key = std::pair(std::string(candidateType), windowMinutes);
    if (const auto it = m_coverage.find(key); it != m_coverage.end())
        return it->second;
    double coverage = 0;
    const Buckets *candidates = bucketsOf(candidateType);
    if (candidates && m_lastMinute >= m_firstMinute) {
        // Minutes m of the capture with the candidate in [m - window, m]: the union of
        // [c, c + window] over its buckets c, clipped to the capture.
        std::int64_t covered = 0;
        std::int64_t reach = m_firstMinute - 1; // last minute counted so far
        for (const EventTypeHistory::Bucket &c : *candidates) {
            const std::int64_t from = std::max(c.minute, reach + 1);
            const std::int64_t to = std::min(c.minute + windowMinutes, m_lastMinute);
            if (to >= from) {
                covered += to - from + 1;
                reach = to;
            }
        }
        coverage
            = static_cast<double>(covered) / static_cast<double>(m_lastMinute - m_firstMinute + 1);
    }
    return m_coverage.emplace(key, coverage).first->second;
}

Precedence PrecedenceHistory::precedence(std::string_view candidateType,
                                         std::string_view failureType, TimeUs failureTime,
                                         TimeUs window) const
{
    const std::int64_t windowMinutes
        = std::max<std::int64_t>(1, (window + kEventHistoryBucket - 1) / kEventHistoryBucket);
    const std::int64_t minute = failureTime / kEventHistoryBucket;
    const Buckets *candidates = bucketsOf(candidateType);
    Precedence out;
    out.coverage = coverageOf(candidateType, windowMinutes);
    for (const Incident &incident : incidentsOf(failureType, windowMinutes)) {
        // The analysed failure's own incident says nothing about the others.
        if (minute >= incident.first - windowMinutes && minute <= incident.last + windowMinutes)
            continue;
        ++out.incidents;
        if (candidates && anyWithin(*candidates, incident.first - windowMinutes, incident.first))
            ++out.preceded;
    }
    if (out.coverage <= 0)
        return out; // never seen: no history either way
    const double rate
        = (out.preceded + kPriorIncidents * out.coverage) / (out.incidents + kPriorIncidents);
    out.lift = rate / out.coverage;
    return out;
}

} // namespace eventscope::analysis
