#pragma once

// Records as CSV rows (RFC 4180): the first column names the kind of record, and each kind has
// its own header row, written once before its rows. Times are RFC 3339 in UTC. A text field
// that a spreadsheet would run as a formula (it starts with =, +, @, a tab, or - followed by
// something other than a digit) gets a leading apostrophe: exported logs must not execute.

#include "model/event.h"
#include "model/logrecord.h"
#include "model/series.h"
#include "model/span.h"
#include "model/topologyedge.h"

#include <string>
#include <string_view>

namespace eventscope::csv {

// Header rows, ending in CRLF as RFC 4180 asks.
extern const std::string_view kEventHeader;
extern const std::string_view kSampleHeader;
extern const std::string_view kLogHeader;
extern const std::string_view kSpanHeader;
extern const std::string_view kTopologyHeader;

void appendEvent(std::string &out, const Event &event);
void appendSample(std::string &out, const SeriesKey &key, const std::string &unit,
                  const Sample &sample);
void appendLog(std::string &out, const LogRecord &log);
void appendSpan(std::string &out, const Span &span);
void appendTopologyEdge(std::string &out, const TopologyEdge &edge);

// One text field, quoted when it holds a comma, a quote or a line break.
void appendField(std::string &out, std::string_view text);

} // namespace eventscope::csv
