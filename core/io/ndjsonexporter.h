#pragma once

#include "model/timerange.h"
#include "store/capturereader.h"
#include "util/result.h"

#include <functional>
#include <string>

namespace eventscope {

enum class ExportFormat { Ndjson, Csv };

struct ExportProgress
{
    const char *kind = ""; // "events", "samples", "logs", "spans", "topology"
    std::int64_t records = 0; // written so far, all kinds
    double fraction = 0; // of the whole export, estimated from the capture's counts per kind
};

struct ExportOptions
{
    ExportFormat format = ExportFormat::Ndjson;
    TimeRange range;
    bool events = true;
    bool metrics = true;
    bool logs = true;
    bool traces = true;
    bool topology = true; // declared edges, whatever the range: the graph is not a moment
    // Called every few thousand records (and as each kind starts); returning false cancels the
    // export, which then fails and leaves no file.
    std::function<bool(const ExportProgress &)> progress;
};

struct ExportSummary
{
    std::int64_t events = 0;
    std::int64_t samples = 0;
    std::int64_t logs = 0;
    std::int64_t spans = 0;
    std::int64_t topologyEdges = 0;
};

// Writes a capture's records as NDJSON in the native formats (nativeformat.h), or as CSV
// (csvformat.h: one row per record, a header per kind): events in time order, then each
// series' samples in time order, then logs, then spans, then the declared topology. The output goes
// to a temporary file beside `outputPath` that replaces it only when everything is written, so a
// failed export never leaves half a file; "-" writes to standard output.
Result<ExportSummary> exportNdjson(CaptureReader &reader, const std::string &outputPath,
                                   const ExportOptions &options);

} // namespace eventscope
