#pragma once

#include "analysis/incidentanalyzer.h"
#include "model/logrecord.h"
#include "model/origin.h"
#include "model/span.h"
#include "store/queries.h"
#include "util/result.h"

#include <optional>
#include <string>
#include <vector>

namespace eventscope {
class CaptureReader;
}

namespace eventscope::report {

// A log line worth reading in a report: identical lines (same service, level and message)
// folded into one with their count and first and last times.
struct KeyLogLine
{
    LogRecord first;
    TimeUs lastTime = 0;
    std::size_t count = 1;
};

// The trace that shows the failure: one with an error span in the incident's services near the
// failure, and the spans on its critical path (the chain of spans the trace's duration waited
// on), in start order.
struct FailingTrace
{
    std::string traceId;
    std::size_t spanCount = 0;
    std::size_t errorSpans = 0;
    TimeUs start = 0;
    TimeUs end = 0;
    struct Step
    {
        Span span;
        int depth = 0; // 0: the trace's root
        TimeUs selfTime = 0; // of the step's duration, what no later step of the path covers
    };
    std::vector<Step> criticalPath;
};

// Where the report's data came from.
struct ReportProvenance
{
    std::string capturePath;
    CaptureInfo capture;
    std::vector<PartitionOffset> offsets; // Kafka position the capture had reached
};

struct ReportOptions
{
    analysis::AnalysisOptions analysis;
    std::size_t maxLogLines = 25;
    std::size_t maxCharts = 4; // moved metrics drawn as charts
};

// Everything an incident report shows, read from a capture: the analysis of one failure, the
// time range its timeline covers, the services and entities involved, the key log lines, the
// failing trace. No layout: the renderers (PDF, HTML, PNG) decide that.
struct IncidentReport
{
    analysis::IncidentAnalysis analysis;
    ReportOptions options;
    TimeRange timeline{0, 0};
    std::vector<std::string> services; // the failure's, then suspects' and moved metrics'
    std::vector<std::string> entities;
    std::vector<KeyLogLine> keyLogs; // in time order
    std::optional<FailingTrace> trace;
    ReportProvenance provenance;
    std::string generator; // "EventScope 0.1.0"
    // The operator's notes: those saved in the capture's view; the console passes its own.
    std::string notes;
};

Result<IncidentReport> buildIncidentReport(CaptureReader &reader, const std::string &failureId,
                                           const ReportOptions &options,
                                           const std::string &generator);

// The critical path of one trace's spans (any order): from the root (the span with no parent
// in the set that ends last), the child that ended last before the parent's end, then the child
// that ended before that one started, and so on, recursively. In start order.
std::vector<FailingTrace::Step> criticalPath(const std::vector<Span> &spans);

} // namespace eventscope::report
