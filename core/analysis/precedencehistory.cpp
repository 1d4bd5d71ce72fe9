#include "analysis/precedencehistory.h"

#include <algorithm>
#include <cmath>

namespace eventscope::analysis {

namespace {

// Prior weight, in failures, of "no more often than chance" (lift 1).
constexpr double kPriorFailures = 3.0;

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

const PrecedenceHistory::Buckets *PrecedenceHistory::bucketsOf(std::string_view type) const
{
    const auto it = m_counts.byType.find(type);
    return it == m_counts.byType.end() ? nullptr : &it->second;
}

const PrecedenceHistory::Totals &PrecedenceHistory::totals(std::string_view candidateType,
                                                           std::string_view failureType,
                                                           std::int64_t windowMinutes) const
{
    const auto key
        = std::tuple(std::string(candidateType), std::string(failureType), windowMinutes);
    if (const auto it = m_totals.find(key); it != m_totals.end())
        return it->second;
    Totals totals;
    const Buckets *candidates = bucketsOf(candidateType);
    const Buckets *failures = bucketsOf(failureType);
    if (failures) {
        for (const EventTypeHistory::Bucket &f : *failures) {
            totals.failures += static_cast<int>(f.count);
            if (candidates && anyWithin(*candidates, f.minute - windowMinutes, f.minute))
                totals.preceded += static_cast<int>(f.count);
        }
    }
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
        totals.coverage
            = static_cast<double>(covered) / static_cast<double>(m_lastMinute - m_firstMinute + 1);
    }
    return m_totals.emplace(key, totals).first->second;
}

Precedence PrecedenceHistory::precedence(std::string_view candidateType,
                                         std::string_view failureType, TimeUs failureTime,
                                         TimeUs window) const
{
    const std::int64_t windowMinutes
        = std::max<std::int64_t>(1, (window + kEventHistoryBucket - 1) / kEventHistoryBucket);
    const Totals &all = totals(candidateType, failureType, windowMinutes);
    Precedence out;
    out.coverage = all.coverage;
    out.failures = all.failures;
    out.preceded = all.preceded;
    // Leave the analysed failure out, when the capture has it.
    const std::int64_t minute = failureTime / kEventHistoryBucket;
    const Buckets *failures = bucketsOf(failureType);
    if (failures && anyWithin(*failures, minute, minute) && out.failures > 0) {
        --out.failures;
        const Buckets *candidates = bucketsOf(candidateType);
        if (candidates && anyWithin(*candidates, minute - windowMinutes, minute)
            && out.preceded > 0)
            --out.preceded;
    }
    if (out.coverage <= 0)
        return out; // never seen: no history either way
    const double rate
        = (out.preceded + kPriorFailures * out.coverage) / (out.failures + kPriorFailures);
    out.lift = rate / out.coverage;
    return out;
}

} // namespace eventscope::analysis
