#pragma once

// Compare: what changed between a selected time range and a baseline, over every series and
// every event type of a capture. The question an operator asks first when no alert names the
// problem: "what is different now?".
//
// Series are ranked by a robust effect size: the difference of the two medians over a robust
// spread (1.4826 × the median absolute deviation of each side, pooled), so one spike or a few
// outliers neither make nor hide a change. The spread has the floors the anomaly scorer uses
// (scaleFloor in seriesanomaly.h): the series' resolution (the smallest step between
// consecutive values: a replica count moves by whole replicas), a share of its level, Poisson
// noise for counts.
// Event types are compared by rate: a type's occurrences split between the two ranges as a
// binomial in proportion to their lengths when nothing changed; the two-sided p-value says how
// surprising the split is.

#include "analysis/metricmeaning.h"
#include "model/series.h"
#include "model/timerange.h"
#include "util/result.h"

#include <functional>
#include <string>
#include <vector>

namespace eventscope {
class CaptureReader;
}

namespace eventscope::analysis {

// Where the baseline of a selection lies.
enum class BaselineKind { JustBefore, DayEarlier, WeekEarlier };
TimeRange baselineFor(TimeRange selection, BaselineKind kind);
std::string_view baselineName(BaselineKind kind);

struct SeriesChange
{
    SeriesInfo series;
    std::string service; // the service label, where there is one
    MetricRole role = MetricRole::Other;
    std::size_t baselineSamples = 0;
    std::size_t selectionSamples = 0;
    double baselineMedian = 0;
    double selectionMedian = 0;
    double scale = 0; // the pooled robust spread the effect is measured in
    double effect = 0; // (selection median - baseline median) / scale
    double relativeChange = 0; // against the baseline median; NaN when that is 0
    int worse = 0; // +1: the change goes the bad way, -1: the good way, 0: not known
    // A few points of each side for sparklines (bucket means, in time order).
    std::vector<Sample> baselineShape;
    std::vector<Sample> selectionShape;
};

struct EventTypeChange
{
    std::string type;
    std::int64_t selectionCount = 0;
    std::int64_t baselineCount = 0;
    double rateRatio = 0; // selection rate / baseline rate (each count + 0.5)
    double pValue = 1; // two-sided, of the split given the ranges' lengths
};

struct RangeComparison
{
    TimeRange selection{0, 0};
    TimeRange baseline{0, 0};
    std::vector<SeriesChange> series; // by |effect|, largest first (at most maxSeries)
    std::size_t seriesCompared = 0;
    std::size_t seriesTooSparse = 0; // fewer than kMinimumSamples on a side
    std::vector<EventTypeChange> events; // by p-value, smallest first
};

struct CompareOptions
{
    std::size_t maxSeries = 500;
    std::size_t shapePoints = 40; // sparkline points per side
};

constexpr std::size_t kMinimumCompareSamples = 3;

// Reads the two ranges of every series and the events in them. `cancelled`, when given, is
// asked between series; a cancelled comparison fails with "cancelled".
Result<RangeComparison> compareRanges(CaptureReader &reader, TimeRange selection,
                                      TimeRange baseline, const CompareOptions &options = {},
                                      const std::function<bool()> &cancelled = {});

// The two-sided p-value of `k` of `n` events falling in a part of probability `p`.
double binomialTwoSidedP(std::int64_t k, std::int64_t n, double p);

} // namespace eventscope::analysis
