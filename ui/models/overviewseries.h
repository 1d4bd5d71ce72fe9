#pragma once

#include "model/event.h"
#include "model/series.h"

#include <cstddef>
#include <vector>

namespace eventscope::ui {

// The series worth a first look when a capture opens: the golden signals (latency, errors,
// traffic, saturation) of the service with the latest failure, else of the busiest service,
// then the same signals elsewhere. Per-pod series come last.
std::vector<SeriesInfo> chooseOverviewSeries(const std::vector<SeriesInfo> &series,
                                             const std::vector<Event> &events, std::size_t count);

} // namespace eventscope::ui
