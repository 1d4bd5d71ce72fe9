#pragma once

#include "model/event.h"
#include "model/series.h"

#include <cstddef>
#include <vector>

namespace eventscope::ui {

// The series worth a first look when a capture opens: the golden signals (latency, errors,
// traffic, saturation) of the service with the latest failure, else of the busiest service,
// then the same signals elsewhere. Per-pod series come after those, and EventScope's own ingest
// health (consumer lag, rates, brokers up) last: it is there to check Kafka, not the fleet.
std::vector<SeriesInfo> chooseOverviewSeries(const std::vector<SeriesInfo> &series,
                                             const std::vector<Event> &events, std::size_t count);

// A series the live ingest writes about Kafka itself (eventscope_consumer_lag, ...).
bool isIngestHealthSeries(const SeriesKey &key);

} // namespace eventscope::ui
