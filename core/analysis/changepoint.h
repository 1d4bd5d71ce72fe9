#pragma once

#include "model/series.h"

#include <optional>
#include <span>

namespace eventscope::analysis {

// A level shift in a series, measured against a robust baseline (median and MAD of the
// samples before the search window), so that outliers and a slow daily cycle do not count.
struct ChangePoint
{
    TimeUs onset = 0;
    int direction = 0; // +1 up, -1 down
    double magnitude = 0; // typical |deviation| after the onset, in baseline sigmas
    double baseline = 0; // the baseline median
    double sigma = 0; // robust sigma (1.4826 MAD, floored)
    double after = 0; // the median after the onset
    bool ongoing = false; // still off the baseline at the end of the search window
};

struct ChangeOptions
{
    double threshold = 4.0; // |z| a sample must reach
    int persistence = 3; // of the next 4 samples, this many beyond the threshold
    std::size_t minBaseline = 12;
    double minSigma = 0; // floor for counts (a quiet baseline of zeros)
    double minRelativeSigma = 0.02; // floor as a share of the baseline median
};

// Looks for the first persistent departure in [searchFrom, searchTo). The baseline is the
// samples before searchFrom; with too few of them (short history), the first quarter of the
// samples. `samples` must be sorted by time.
std::optional<ChangePoint> detectChange(std::span<const Sample> samples, TimeUs searchFrom,
                                        TimeUs searchTo, const ChangeOptions &options = {});

double median(std::vector<double> values);

} // namespace eventscope::analysis
