#pragma once

// Outcomes: the three questions the product exists to answer, for a capture or a range of it.
//
// 1. Did scale-outs reduce latency? Every scaling event type (category scaling) against each
//    service's tail latency (its latency series with the highest percentile in the name, p99
//    before p50), the occurrences on that service only (EventImpact).
// 2. Did provisioning trouble slow jobs down? Provisioning and scheduling trouble (event types of
//    category provisioning at warning or worse, and failures whose type names scheduling or
//    provisioning, such as k8s.FailedScheduling) against the job series (names with "job":
//    durations and throughput) of the services they happened to; events without a service
//    (a node drained) against every service's job series.
// 3. Is recovery getting faster? Time to recover per failing service and failure type (from the
//    incident analyses), per period (hour, day or week: the largest that gives four), and the
//    change between the range's first and second half in percent, tested on log TTRs.
//
// A result that is not significant always says why: too few occurrences, or the p-value.

#include "analysis/eventimpact.h"
#include "analysis/incidentanalyzer.h"
#include "model/timerange.h"
#include "util/result.h"

#include <atomic>
#include <functional>
#include <string>
#include <vector>

namespace eventscope {
class CaptureReader;
}

namespace eventscope::analysis {

struct OutcomeImpact
{
    std::string service; // the series' service ("" when the series have none)
    ImpactQuery query; // what was measured (the Impact view opens with it)
    std::optional<ImpactResult> impact; // none when it could not be measured
    std::string error; // why not
    int badDirection = 0; // of the metric: +1 up is worse, -1 down, 0 not known
};

enum class TrendPeriod { Hour, Day, Week };
std::string_view periodName(TrendPeriod period);
// The largest period that splits `range` into at least four.
TrendPeriod periodFor(TimeRange range);

struct RecoveryPeriod
{
    TimeUs begin = 0;
    int recovered = 0;
    double medianSeconds = 0; // 0 when none recovered in it
};

struct RecoveryTrend
{
    std::string service; // "" with type "": every failure together
    std::string type;
    int failures = 0;
    int recovered = 0;
    std::vector<RecoveryPeriod> periods; // every period of the range, in order
    int earlierCount = 0; // recovered in the first half of the range
    int laterCount = 0;
    double earlierMedianSeconds = 0;
    double laterMedianSeconds = 0;
    double changeFraction = 0; // later / earlier median - 1 (negative: faster)
    double pValue = 1; // permutation test of log TTR, first half against second
    bool significant = false; // p < 0.05 with at least 3 recoveries in each half
};

struct Outcomes
{
    TimeRange range{0, 0};
    std::vector<OutcomeImpact> scaling;
    std::vector<OutcomeImpact> provisioning;
    TrendPeriod period = TrendPeriod::Day;
    std::vector<RecoveryTrend> recovery; // all failures first, then by failures
};

constexpr int kMinimumOccurrences = 3;

// Questions 1 and 2 (they read the capture). `progress(done, total)` is called between
// measurements; `cancelled` is polled there (a cancelled run fails with "cancelled").
Result<Outcomes> measureOutcomes(CaptureReader &reader, TimeRange range,
                                 const std::atomic<bool> *cancelled = nullptr,
                                 const std::function<void(int, int)> &progress = {});
// Question 3, from the incident analyses of the capture's failures (those in `range`).
std::vector<RecoveryTrend> recoveryTrends(const std::vector<IncidentAnalysis> &analyses,
                                          TimeRange range, TrendPeriod period);

// Why a result is not significant, in words ("too few occurrences (2; at least 3 are needed)",
// "p = 0.41: a change this size happens by chance"); empty when it is significant.
std::string whyNotSignificant(const ImpactResult &impact);
std::string whyNotSignificant(const RecoveryTrend &trend);

} // namespace eventscope::analysis
