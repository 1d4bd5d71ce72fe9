#include "commandline.h"
#include "commands.h"

#include "io/ndjsonimporter.h"
#include "store/storewriter.h"

#include <QCoreApplication>

#include <chrono>
#include <cstdio>
#include <unistd.h>

namespace eventscope::cli {

namespace {

std::string humanBytes(std::int64_t bytes)
{
    char buffer[32];
    if (bytes >= 1024LL * 1024 * 1024)
        std::snprintf(buffer, sizeof buffer, "%.2f GiB",
                      static_cast<double>(bytes) / (1024.0 * 1024 * 1024));
    else if (bytes >= 1024 * 1024)
        std::snprintf(buffer, sizeof buffer, "%.1f MiB",
                      static_cast<double>(bytes) / (1024.0 * 1024));
    else
        std::snprintf(buffer, sizeof buffer, "%.1f KiB", static_cast<double>(bytes) / 1024.0);
    return buffer;
}

} // namespace

int runImport(const QStringList &arguments)
{
    const QString command = QStringLiteral("eventscope import");
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Decode NDJSON files (one message a line, any supported format) into a capture.\n"
        "Undecodable lines are kept as dead letters with their file and line."));
    parser.addOption({QStringLiteral("db"),
                      QStringLiteral("Capture file to write (created if missing)."),
                      QStringLiteral("FILE")});
    parser.addPositionalArgument(QStringLiteral("PATH"),
                                 QStringLiteral("NDJSON files; - reads standard input."),
                                 QStringLiteral("PATH..."));
    if (auto exit = parseOrExit(parser, arguments, command, Positional::Accepted))
        return *exit;
    if (!parser.isSet(QStringLiteral("db")))
        return usageError(command, QStringLiteral("--db FILE is required"));
    const QStringList paths = parser.positionalArguments();
    if (paths.isEmpty())
        return usageError(command,
                          QStringLiteral("give at least one NDJSON PATH (or - for stdin)"));
    if (auto exit = setUpLogging(parser, command))
        return *exit;

    const std::string db = parser.value(QStringLiteral("db")).toStdString();
    StoreWriterOptions options;
    options.sourceDescription = "import of " + paths.join(QStringLiteral(", ")).toStdString();
    auto writer = StoreWriter::open(db, options);
    if (!writer)
        return runtimeError(command, writer.error());

    const bool terminal = ::isatty(STDERR_FILENO) == 1;
    const auto started = std::chrono::steady_clock::now();
    NdjsonImporter importer(**writer, [terminal](const ImportProgress &progress) {
        if (!terminal)
            return;
        if (progress.totalBytes > 0)
            std::fprintf(stderr, "\r\033[Kimporting %s: %s of %s (%d%%), %lld lines",
                         progress.path.c_str(), humanBytes(progress.bytesRead).c_str(),
                         humanBytes(progress.totalBytes).c_str(),
                         static_cast<int>(100 * progress.bytesRead / progress.totalBytes),
                         static_cast<long long>(progress.lines));
        else
            std::fprintf(stderr, "\r\033[Kimporting %s: %s, %lld lines", progress.path.c_str(),
                         humanBytes(progress.bytesRead).c_str(),
                         static_cast<long long>(progress.lines));
    });
    for (const QString &path : paths) {
        if (Status status = importer.importFile(path.toStdString()); !status) {
            if (terminal)
                std::fputs("\n", stderr);
            // What was read before the failure is committed, not lost.
            (void)importer.finish();
            return runtimeError(command, status.error());
        }
    }
    if (Status status = importer.finish(); !status)
        return runtimeError(command, status.error());
    (*writer)->close();
    if (terminal)
        std::fputs("\r\033[K", stderr);

    const double seconds
        = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const ImportSummary &s = importer.summary();
    const std::string edges = s.topologyEdges > 0
        ? std::to_string(s.topologyEdges) + " topology edges, "
        : std::string();
    std::printf(
        "imported %lld lines into %s in %.1f s: %lld events, %lld samples, %lld logs, %lld spans, "
        "%s%lld dead letters\n",
        static_cast<long long>(s.lines), db.c_str(), seconds, static_cast<long long>(s.events),
        static_cast<long long>(s.samples), static_cast<long long>(s.logs),
        static_cast<long long>(s.spans), edges.c_str(), static_cast<long long>(s.deadLetters));
    if (!s.firstReasons.empty()) {
        std::printf("first dead letters:\n");
        for (const std::string &reason : s.firstReasons)
            std::printf("  %s\n", reason.c_str());
    }
    return kExitOk;
}

} // namespace eventscope::cli
