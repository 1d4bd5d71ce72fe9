#include "io/ndjsonexporter.h"

#include "decode/nativeformat.h"
#include "io/csvformat.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
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

    if (options.events) {
        EventQuery query;
        query.range = options.range;
        header(csv::kEventHeader);
        Status status = reader.forEachEvent(query, [&](Event &&event) {
            asCsv ? csv::appendEvent(line, event) : native::appendEvent(line, event);
            ++summary.events;
            return emit();
        });
        if (!status)
            return Failure::failure(status.error());
    }
    if (options.metrics && writeOk) {
        auto series = reader.series();
        if (!series)
            return Failure::failure(series.error());
        header(csv::kSampleHeader);
        for (const SeriesInfo &info : *series) {
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
        }
    }
    if (options.logs && writeOk) {
        LogQuery query;
        query.range = options.range;
        header(csv::kLogHeader);
        Status status = reader.forEachLog(query, [&](LogRecord &&log) {
            asCsv ? csv::appendLog(line, log) : native::appendLog(line, log);
            ++summary.logs;
            return emit();
        });
        if (!status)
            return Failure::failure(status.error());
    }
    if (options.traces && writeOk) {
        SpanQuery query;
        query.range = options.range;
        header(csv::kSpanHeader);
        Status status = reader.forEachSpan(query, [&](Span &&span) {
            asCsv ? csv::appendSpan(line, span) : native::appendSpan(line, span);
            ++summary.spans;
            return emit();
        });
        if (!status)
            return Failure::failure(status.error());
    }
    if (options.topology && writeOk) {
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
    if (Status committed = out.commit(); !committed)
        return Failure::failure(committed.error());
    return summary;
}

} // namespace eventscope
