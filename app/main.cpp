// eventscope: the GUI with no subcommand; headless subcommands otherwise (CLI.md).

#include "commandline.h"
#include "commands.h"

#include <QApplication>
#include <QCoreApplication>
#include <QFileInfo>

#include <cstdio>
#include <cstring>
#include <string_view>

#ifndef EVENTSCOPE_VERSION
#error "EVENTSCOPE_VERSION must be defined by the build"
#endif

namespace {

struct Subcommand
{
    std::string_view name;
    int (*run)(const QStringList &);
    bool drawsWidgets = false; // charts: a QApplication on the offscreen platform
};

// clang-format off
constexpr Subcommand kSubcommands[] = {
    {"import", eventscope::cli::runImport},
    {"export", eventscope::cli::runExport},
    {"broker", eventscope::cli::runBroker},
    {"ingest", eventscope::cli::runIngest},
    {"simulate", eventscope::cli::runSimulate},
    {"analyze", eventscope::cli::runAnalyze},
    {"impact", eventscope::cli::runImpact},
    {"alerts", eventscope::cli::runAlerts},
    {"report", eventscope::cli::runReport, true},
};
// clang-format on

void printUsage()
{
    std::printf(
        "usage: eventscope [--capture FILE | FILE] [--screenshot FILE.png] [options]   (GUI)\n"
        "       eventscope COMMAND [options]                                 (headless)\n\n"
        "commands:\n"
        "  import   decode NDJSON files into a capture\n"
        "  export   write a capture's records as NDJSON\n"
        "  broker   run the embedded Kafka cluster (loopback only) with the default topics\n"
        "  ingest   consume Kafka topics into a capture, headless\n"
        "  simulate produce a simulated fleet's traffic (Kafka or NDJSON) with its ground truth\n"
        "  analyze  rank causes, suspects and moved metrics for failures in a capture\n"
        "  impact   before/after effect of an event type on a metric\n"
        "  alerts   evaluate alert rules over a capture; --store adds the alert events\n"
        "  report   write an incident report (PDF, HTML or PNG), headless\n\n"
        "eventscope COMMAND --help describes each command; eventscope --help the GUI options.\n");
}

} // namespace

int main(int argc, char **argv)
{
    if (argc > 1) {
        const std::string_view first = argv[1];
        if (first == "--version" || first == "-v") {
            std::printf("eventscope %s\n", EVENTSCOPE_VERSION);
            return 0;
        }
        if (first == "help" || first == "commands") {
            printUsage();
            return 0;
        }
        for (const Subcommand &subcommand : kSubcommands) {
            if (first == subcommand.name && subcommand.drawsWidgets) {
                // Headless even on a desktop: nothing is shown, and the output must not depend
                // on the screen it would have been shown on.
                qputenv("QT_QPA_PLATFORM", "offscreen");
                QApplication application(argc, argv);
                QCoreApplication::setApplicationName(QStringLiteral("eventscope"));
                QCoreApplication::setApplicationVersion(QStringLiteral(EVENTSCOPE_VERSION));
                QStringList arguments = QCoreApplication::arguments();
                arguments.removeAt(1);
                return subcommand.run(arguments);
            }
            if (first == subcommand.name) {
                QCoreApplication application(argc, argv);
                QCoreApplication::setApplicationName(QStringLiteral("eventscope"));
                QCoreApplication::setApplicationVersion(QStringLiteral(EVENTSCOPE_VERSION));
                QStringList arguments = QCoreApplication::arguments();
                arguments.removeAt(1); // QCommandLineParser expects the program name first
                return subcommand.run(arguments);
            }
        }
        // A file to open (a desktop's "Open with", eventscope FILE.capture) goes to the window,
        // which reports one that is missing or not a capture.
        const bool namesAFile = first.ends_with(".capture") || first.find('/') != first.npos
            || QFileInfo::exists(QString::fromLocal8Bit(argv[1]));
        if (!first.empty() && first[0] != '-' && !namesAFile) {
            std::fprintf(stderr,
                         "eventscope: unknown command '%s' (run eventscope help for the list)\n",
                         argv[1]);
            return eventscope::cli::kExitUsage;
        }
    }
    return eventscope::cli::runGui(argc, argv);
}
