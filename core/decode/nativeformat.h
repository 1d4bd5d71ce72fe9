#pragma once

#include "model/event.h"
#include "model/logrecord.h"
#include "model/series.h"
#include "model/span.h"
#include "model/topologyedge.h"

#include <string>

namespace eventscope::native {

// Writers for EventScope's native NDJSON formats (FORMATS.md), one JSON object per call, no
// newline. MessageDecoder reads every one of them back to the same record.
//
// Spans have no native format in FORMATS.md; ours mirrors the native log:
// {"trace_id","span_id","parent_span_id","name","service","entity","kind","start","end",
//  "status":"unset|ok|error","attributes"}.

void appendEvent(std::string &out, const Event &event);
void appendSample(std::string &out, const SeriesKey &key, const std::string &unit,
                  const Sample &sample);
void appendLog(std::string &out, const LogRecord &log);
void appendSpan(std::string &out, const Span &span);
// {"kind":"topology","caller","callee","time" (when known),"attributes"}
void appendTopologyEdge(std::string &out, const TopologyEdge &edge);

} // namespace eventscope::native
