#pragma once

#include "model/event.h"
#include "model/series.h"
#include "model/timerange.h"
#include "util/result.h"

#include <string>
#include <vector>

namespace eventscope {
class CaptureReader;
}

namespace eventscope::analysis {

struct ImpactQuery
{
    std::string eventType;
    std::string metric; // series name
    std::vector<std::pair<std::string, std::string>> labels; // the series must carry these
    TimeUs window = 5 * 60 * kMicrosPerSecond; // before and after each occurrence
    TimeUs settle = 10 * kMicrosPerSecond; // skipped right after the event
    TimeUs epochStep = 30 * kMicrosPerSecond; // resolution of the superposed curve
    // Only occurrences in this range, and background times in it (empty: the whole capture).
    TimeRange range{0, 0};
};

struct ImpactOccurrence
{
    std::string eventId;
    TimeUs time = 0;
    std::string service;
    std::string series;
    double before = 0; // medians over the windows
    double after = 0;
    double relativeChange() const { return before != 0 ? after / before - 1.0 : 0.0; }
};

struct EpochPoint
{
    TimeUs offset = 0; // from the event
    double mean = 0; // value relative to the occurrence's own before-median (1 = unchanged)
    double low = 0; // mean - standard deviation
    double high = 0;
    int count = 0;
};

struct ImpactResult
{
    ImpactQuery query;
    std::vector<ImpactOccurrence> occurrences;
    int skipped = 0; // occurrences without data on both sides
    double medianRelativeChange = 0;
    double lowerQuartile = 0; // of the relative changes
    double upperQuartile = 0;
    // Two-sided permutation test (20,000 relabellings, fixed seed) of the occurrences' mean
    // log(after/before) against the same comparison at background times away from them.
    double pValue = 1;
    int backgroundWindows = 0;
    double backgroundMedianRelativeChange = 0;
    bool significant = false; // p < 0.05 with at least 3 occurrences
    std::vector<EpochPoint> epoch;
};

// "Did scale-out actually reduce p99 latency, and by how much?": the before/after change of a
// metric around every occurrence of an event type. When the matching series carry a service
// label, an occurrence is compared with its own service's series.
Result<ImpactResult> measureImpact(CaptureReader &reader, const ImpactQuery &query);

// Two-sided permutation test of the difference between two groups' means (20,000 random
// relabellings from a fixed seed: the same data always gives the same p). 1 when a group is
// empty. What measureImpact tests with; also for any two samples of one quantity.
double permutationPValue(const std::vector<double> &first, const std::vector<double> &second);

std::string impactToJson(const ImpactResult &result);
std::string impactToText(const ImpactResult &result);

} // namespace eventscope::analysis
