#include "commandline.h"
#include "commands.h"

#include "io/ndjsonexporter.h"
#include "store/capturereader.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>

namespace eventscope::cli {

int runExport(const QStringList &arguments)
{
    const QString command = QStringLiteral("eventscope export");
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Write a capture's records as NDJSON in the native formats, or as CSV: one "
                       "row per record, its first column the kind (event, sample, log, span, "
                       "topology), a header row before each kind's rows. Times are RFC 3339 "
                       "UTC. The file appears only when complete."));
    parser.addOption(
        {QStringLiteral("db"), QStringLiteral("Capture file to read."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("out"), QStringLiteral("Output file; - for standard output."),
                      QStringLiteral("PATH")});
    parser.addOption({QStringLiteral("from"),
                      QStringLiteral("Start time (RFC 3339 or epoch), inclusive."),
                      QStringLiteral("T")});
    parser.addOption({QStringLiteral("to"),
                      QStringLiteral("End time (RFC 3339 or epoch), exclusive."),
                      QStringLiteral("T")});
    parser.addOption(
        {QStringLiteral("kind"),
         QStringLiteral(
             "Comma-separated kinds to export: events,metrics,logs,traces,topology (default all)."),
         QStringLiteral("KINDS")});
    parser.addOption({QStringLiteral("format"), QStringLiteral("ndjson (default) or csv."),
                      QStringLiteral("FORMAT"), QStringLiteral("ndjson")});
    if (auto exit = parseOrExit(parser, arguments, command))
        return *exit;
    if (!parser.isSet(QStringLiteral("db")))
        return usageError(command, QStringLiteral("--db FILE is required"));
    if (!parser.isSet(QStringLiteral("out")))
        return usageError(command, QStringLiteral("--out PATH is required"));

    ExportOptions options;
    const QString format = parser.value(QStringLiteral("format")).toLower();
    if (format == QLatin1String("csv"))
        options.format = ExportFormat::Csv;
    else if (format != QLatin1String("ndjson"))
        return usageError(command,
                          QStringLiteral("--format: expected ndjson or csv, got '%1'")
                              .arg(parser.value(QStringLiteral("format"))));
    if (parser.isSet(QStringLiteral("from"))) {
        const auto from = parseTimeArgument(parser.value(QStringLiteral("from")));
        if (!from)
            return usageError(command,
                              QStringLiteral("--from: '%1' is not a time")
                                  .arg(parser.value(QStringLiteral("from"))));
        options.range.begin = *from;
    }
    if (parser.isSet(QStringLiteral("to"))) {
        const auto to = parseTimeArgument(parser.value(QStringLiteral("to")));
        if (!to)
            return usageError(
                command,
                QStringLiteral("--to: '%1' is not a time").arg(parser.value(QStringLiteral("to"))));
        options.range.end = *to;
    }
    if (parser.isSet(QStringLiteral("kind"))) {
        options.events = options.metrics = options.logs = options.traces = options.topology = false;
        for (const QString &kind :
             parser.value(QStringLiteral("kind")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const QString k = kind.trimmed();
            if (k == QLatin1String("events"))
                options.events = true;
            else if (k == QLatin1String("metrics"))
                options.metrics = true;
            else if (k == QLatin1String("logs"))
                options.logs = true;
            else if (k == QLatin1String("traces"))
                options.traces = true;
            else if (k == QLatin1String("topology"))
                options.topology = true;
            else
                return usageError(
                    command,
                    QStringLiteral(
                        "--kind: '%1' is not one of events, metrics, logs, traces, topology")
                        .arg(k));
        }
    }
    if (auto exit = setUpLogging(parser, command))
        return *exit;

    auto reader = CaptureReader::open(parser.value(QStringLiteral("db")).toStdString());
    if (!reader)
        return runtimeError(command, reader.error());
    const std::string out = parser.value(QStringLiteral("out")).toStdString();
    // Progress on a terminal only: a pipe or a log file gets the summary line alone.
    const bool terminal = ::isatty(STDERR_FILENO) == 1;
    auto lastReport = std::chrono::steady_clock::now();
    if (terminal)
        options.progress = [&lastReport](const ExportProgress &progress) {
            const auto now = std::chrono::steady_clock::now();
            if (now - lastReport < std::chrono::milliseconds(100) && progress.fraction < 1.0)
                return true;
            lastReport = now;
            std::fprintf(stderr, "\r\033[Kexporting %s: %lld records written (%d%%)", progress.kind,
                         static_cast<long long>(progress.records),
                         static_cast<int>(100 * progress.fraction));
            return true;
        };
    auto summary = exportNdjson(**reader, out, options);
    if (terminal)
        std::fputs("\r\033[K", stderr);
    if (!summary)
        return runtimeError(command, summary.error());
    // With --out - the NDJSON owns stdout; the summary goes to stderr.
    const std::string edges = summary->topologyEdges > 0
        ? ", " + std::to_string(summary->topologyEdges) + " topology edges"
        : std::string();
    std::fprintf(out == "-" ? stderr : stdout,
                 "exported %lld events, %lld samples, %lld logs, %lld spans%s to %s\n",
                 static_cast<long long>(summary->events), static_cast<long long>(summary->samples),
                 static_cast<long long>(summary->logs), static_cast<long long>(summary->spans),
                 edges.c_str(), out == "-" ? "stdout" : out.c_str());
    return kExitOk;
}

} // namespace eventscope::cli
