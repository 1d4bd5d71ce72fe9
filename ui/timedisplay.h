#pragma once

#include "model/timerange.h"

#include <QString>

#include <optional>

namespace eventscope::ui {

// How the console shows times: axes, tables, tooltips and exports alike.
enum class TimeZoneMode { Utc, Local };

// "2026-11-24 10:05:00.123 UTC" (or local time with its offset), milliseconds always shown.
QString formatTime(TimeUs time, TimeZoneMode zone, bool withDate = true);
// "212 ms", "42 s", "3 min 32 s", "2 h 5 min"; "unknown" for a negative duration.
QString formatDuration(double seconds);
// "12 min 5 s before", "40 s after", "at the failure" (of `reference`).
QString formatRelative(TimeUs time, TimeUs reference);

} // namespace eventscope::ui

namespace eventscope::ui {

// "FROM, TO" (or "FROM to TO", "FROM / TO") as ISO 8601: a time with an offset or Z is
// absolute; one without is read in `zone`. Milliseconds (and finer) allowed. An error says
// which side is wrong and why.
struct ParsedRange
{
    TimeRange range{0, 0};
    QString error; // empty when the range parsed
};
ParsedRange parseTimeRangeText(const QString &text, TimeZoneMode zone);
// One ISO 8601 time, read as parseTimeRangeText reads each side.
std::optional<TimeUs> parseTimeText(const QString &text, TimeZoneMode zone);

} // namespace eventscope::ui
