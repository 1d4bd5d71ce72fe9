#include "io/ndjsonexporter.h"

#include "decode/nativeformat.h"
#include "io/csvformat.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>

namespace eventscope {

namespace {

class OutputFile
{
public:
    explicit OutputFile(const std::string &path)
        : m_path(path)
    {
        if (path == "-") {
            m_file = stdout;
            return;
        }
        m_temporary = path + ".partial";
        m_file = std::fopen(m_temporary.c_str(), "wb");
        if (m_file)
            std::setvbuf(m_file, nullptr, _IOFBF, 1 << 20);
    }
    ~OutputFile()
    {
        if (m_file && m_file != stdout) {
            std::fclose(m_file);
            std::remove(m_temporary.c_str()); // still here only when commit() was not reached
        }
    }
    bool isOpen() const { return m_file != nullptr; }
    bool write(const std::string &line)
    {
        return std::fwrite(line.data(), 1, line.size(), m_file) == line.size();
    }
    Status commit()
    {
        if (m_file == stdout)
            return std::fflush(stdout) == 0 ? Status()
                                            : Status::failure("writing to stdout failed");
        const bool ok = std::fflush(m_file) == 0 && std::fclose(m_file) == 0;
        m_file = nullptr;
        if (!ok) {
            std::remove(m_temporary.c_str());
            return Status::failure(m_path + ": write failed: " + std::strerror(errno));
        }
        std::error_code error;
        std::filesystem::rename(m_temporary, m_path, error);
        if (error) {
            std::remove(m_temporary.c_str());
            return Status::failure(m_path + ": cannot replace: " + error.message());
        }
        return {};
    }
    const std::string &temporaryPath() const { return m_temporary; }

private:
    std::string m_path;
    std::string m_temporary;
    std::FILE *m_file = nullptr;
};

// Estimates how far an export is: each kind weighs what the capture holds of it, and within a
// kind the position is the record's time in the range (series by series for samples).
class ProgressTracker
{
public:
    ProgressTracker(CaptureReader &reader, const ExportOptions &options)
        : m_callback(options.progress)
    {
        if (!m_callback)
            return;
        auto info = reader.info();
        if (!info)
            return;
        m_range = options.range;
        if (m_range.begin == std::numeric_limits<TimeUs>::min() || m_range.isEmpty())
            m_range.begin = info->span.begin;
        if (m_range.end == std::numeric_limits<TimeUs>::max() || m_range.isEmpty())
            m_range.end = info->span.end;
        const double weights[]
            = {options.events ? double(info->events) : 0.0,
               options.metrics ? double(info->samples) : 0.0,
               options.logs ? double(info->logs) : 0.0, options.traces ? double(info->spans) : 0.0};
        double total = 0;
        for (double w : weights)
            total += w;
        double start = 0;
        for (std::size_t i = 0; i < 4; ++i) {
            m_start[i] = total > 0 ? start / total : 0;
            m_weight[i] = total > 0 ? weights[i] / total : 0;
            start += weights[i];
        }
    }

    // False when the callback asked to cancel.
    bool begin(int kind, const char *name)
    {
        m_kind = kind;
        m_name = name;
        return report(0.0);
    }
    bool record(std::int64_t written, TimeUs time)
    {
        m_written = written;
        if (!m_callback || (written & 4095) != 0)
            return true;
        const double span = double(m_range.end - m_range.begin);
        return report(span > 0 ? std::clamp(double(time - m_range.begin) / span, 0.0, 1.0) : 0.0);
    }
    bool seriesDone(std::int64_t written, std::size_t index, std::size_t count)
    {
        m_written = written;
        return report(count ? double(index + 1) / double(count) : 1.0);
    }
    bool finish(std::int64_t written)
    {
        m_written = written;
        m_kind = -1;
        m_name = "done";
        return !m_callback || m_callback({m_name, m_written, 1.0});
    }

private:
    bool report(double within)
    {
        if (!m_callback)
            return true;
        const double fraction
            = m_kind < 0 || m_kind > 3 ? 1.0 : m_start[m_kind] + m_weight[m_kind] * within;
        return m_callback({m_name, m_written, fraction});
    }

    std::function<bool(const ExportProgress &)> m_callback;
    TimeRange m_range{0, 0};
    double m_start[4] = {};
    double m_weight[4] = {};
    int m_kind = 0;
    const char *m_name = "";
    std::int64_t m_written = 0;
};

} // namespace

Result<ExportSummary> exportNdjson(CaptureReader &reader, const std::string &outputPath,
                                   const ExportOptions &options)
{
    using Failure = Result<ExportSummary>;
    OutputFile out(outputPath);
    if (!out.isOpen())
        return Failure::failure(outputPath + ": cannot create: " + std::strerror(errno));

    ExportSummary summary;
    std::string line;
    bool writeOk = true;
    bool cancelled = false;
    ProgressTracker progress(reader, options);
    const auto written = [&] {
        return summary.events + summary.samples + summary.logs + summary.spans
            + summary.topologyEdges;
    };
    const bool asCsv = options.format == ExportFormat::Csv;
    auto emit = [&] {
        if (!asCsv)
            line += '\n'; // CSV rows end themselves (CRLF)
        writeOk = out.write(line);
        line.clear();
        return writeOk;
    };
    // CSV: each kind's header row before its rows.
    auto header = [&](std::string_view row) {
        if (asCsv)
            writeOk = writeOk && out.write(std::string(row));
    };

    if (options.events && !(cancelled = !progress.begin(0, "events"))) {
        EventQuery query;
        query.range = options.range;
        header(csv::kEventHeader);
        Status status = reader.forEachEvent(query, [&](Event &&event) {
            asCsv ? csv::appendEvent(line, event) : native::appendEvent(line, event);
            ++summary.events;
            cancelled = !progress.record(written(), event.time);
            return emit() && !cancelled;
        });
        if (!status)
            return Failure::failure(status.error());
    }
    if (options.metrics && writeOk && !cancelled && !(cancelled = !progress.begin(1, "samples"))) {
        auto series = reader.series();
        if (!series)
            return Failure::failure(series.error());
        header(csv::kSampleHeader);
        for (std::size_t index = 0; index < series->size() && !cancelled; ++index) {
            const SeriesInfo &info = (*series)[index];
            auto samples = reader.samples(info.id, options.range);
            if (!samples)
                return Failure::failure(samples.error());
            for (const Sample &sample : *samples) {
                asCsv ? csv::appendSample(line, info.key, info.unit, sample)
                      : native::appendSample(line, info.key, info.unit, sample);
                ++summary.samples;
                if (!emit())
                    break;
            }
            if (!writeOk)
                break;
            cancelled = !progress.seriesDone(written(), index, series->size());
        }
    }
    if (options.logs && writeOk && !cancelled && !(cancelled = !progress.begin(2, "logs"))) {
        LogQuery query;
        query.range = options.range;
        header(csv::kLogHeader);
        Status status = reader.forEachLog(query, [&](LogRecord &&log) {
            asCsv ? csv::appendLog(line, log) : native::appendLog(line, log);
            ++summary.logs;
            cancelled = !progress.record(written(), log.time);
            return emit() && !cancelled;
        });
        if (!status)
            return Failure::failure(status.error());
    }
    if (options.traces && writeOk && !cancelled && !(cancelled = !progress.begin(3, "spans"))) {
        SpanQuery query;
        query.range = options.range;
        header(csv::kSpanHeader);
        Status status = reader.forEachSpan(query, [&](Span &&span) {
            asCsv ? csv::appendSpan(line, span) : native::appendSpan(line, span);
            ++summary.spans;
            cancelled = !progress.record(written(), span.start);
            return emit() && !cancelled;
        });
        if (!status)
            return Failure::failure(status.error());
    }
    if (options.topology && writeOk && !cancelled) {
        auto edges = reader.topology();
        if (!edges)
            return Failure::failure(edges.error());
        header(csv::kTopologyHeader);
        for (const TopologyEdge &edge : *edges) {
            asCsv ? csv::appendTopologyEdge(line, edge) : native::appendTopologyEdge(line, edge);
            ++summary.topologyEdges;
            if (!emit())
                break;
        }
    }
    if (!writeOk)
        return Failure::failure(outputPath + ": write failed: " + std::strerror(errno));
    if (cancelled || !progress.finish(written()))
        return Failure::failure(outputPath + ": export cancelled; nothing was written");
    if (Status committed = out.commit(); !committed)
        return Failure::failure(committed.error());
    return summary;
}

} // namespace eventscope
