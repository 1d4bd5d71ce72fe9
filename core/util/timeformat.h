#pragma once

#include "model/timerange.h"

#include <optional>
#include <string>
#include <string_view>

namespace eventscope {

// RFC 3339 ("2026-11-24T10:00:00.123+02:00", any offset, up to nanosecond fractions), or a
// string of digits holding epoch seconds/millis/micros/nanos (OTLP `*UnixNano`).
std::optional<TimeUs> parseTimestamp(std::string_view text);

// RFC 3339 only (what CloudEvents and Kubernetes require): no epoch numbers.
std::optional<TimeUs> parseRfc3339(std::string_view text);

// Epoch seconds, milliseconds, microseconds or nanoseconds, told apart by magnitude: below
// 1e11 is seconds (until year 5138), below 1e14 millis, below 1e17 micros, else nanos.
std::optional<TimeUs> timeFromEpochNumber(double number);
TimeUs timeFromEpochInteger(std::int64_t number);

// RFC 3339 in UTC with the shortest exact fraction: "…:00Z", "…:00.123Z" or "…:00.123456Z".
std::string formatTimestamp(TimeUs time);
// The wall clock, in microseconds since the epoch.
TimeUs wallClockNow();

// Days since 1970-01-01 for a proleptic Gregorian date, and back.
std::int64_t daysFromCivil(int year, unsigned month, unsigned day);

} // namespace eventscope
