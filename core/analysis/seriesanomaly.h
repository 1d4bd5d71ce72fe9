#pragma once

// Signal 1: how abnormal one series' change around an incident is.
//
// Assumes little: a few samples of history (or none: then the first part of the window stands
// in for it), any resolution (15 s or 5 min), noise of any size including none at all. Robust
// to:
// - flat history (MAD 0): the scale has floors (the series' own resolution, 2 % of its level,
//   0.1 % of a bounded range, Poisson noise for counts), and a change must also matter in size (10
//   % of the level, or a point of a percentage) before it counts as anomalous;
// - a level shift between the history and the window (history recorded at another time, a
//   restart, a daily cycle): the level a change is measured from is the window's own samples
//   before the onset where there are any, and the history gives only the scale, from its
//   sample-to-sample differences (which a shift or a slow cycle barely move);
// - coarse resolution and few points: the onset may be any window sample that leaves at least
//   two after it (one when the window has only three).
// A change already there when the window starts cannot be dated; it is scored against the
// history's level and counts half.

#include "analysis/metricmeaning.h"
#include "model/series.h"

#include <optional>
#include <span>

namespace eventscope::analysis {

struct ScoringWindow
{
    TimeUs begin = 0; // onsets are searched in [begin, end); earlier samples are history
    TimeUs end = 0;
};

struct SeriesAnomalyScore
{
    TimeUs onset = 0;
    int direction = 0; // of the change: +1 up, -1 down
    double sigmas = 0; // |after - reference| / scale
    double probability = 0; // [0, 1]: an abnormal change, in the direction that is bad
    double reference = 0; // the level before the onset
    double scale = 0;
    double after = 0; // the median from the onset on
    // The change relative to where it started from: the level, or for a bounded series its
    // distance from the bound it was near (availability 100 % → 97 % is a large effect).
    double effect = 0;
    bool dated = true; // the onset lies inside the window
    bool ongoing = false; // still off the reference at the end of the window
};

// The smallest scale a change of a series is measured in, whatever its noise: its resolution
// (`quantum`, the smallest step between its values), 2 % of its level (for a bounded series, of
// its distance from the nearer bound), 0.1 % of a bounded range, Poisson noise for counts.
double scaleFloor(const MetricMeaning &meaning, double level, double quantum);

std::optional<SeriesAnomalyScore> scoreSeries(std::span<const Sample> samples,
                                              const ScoringWindow &window,
                                              const MetricMeaning &meaning);

// The probability that a change of `sigmas` (in the bad direction) is abnormal: 0 up to 3
// sigma, rising to 0.63 at 7 and 0.95 at 15. Large deviations all read as near-certain, so
// that their noise does not order suspects.
double anomalyProbability(double sigmas);

} // namespace eventscope::analysis
