#include "commandline.h"
#include "commands.h"

#include "analysis/analysisjson.h"
#include "analysis/incidentanalyzer.h"
#include "store/capturereader.h"

#include <cstdio>

namespace eventscope::cli {

int runAnalyze(const QStringList &arguments)
{
    const QString command = QStringLiteral("eventscope analyze");
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Rank the likely causes of a failure event (or of every failure), the services and "
        "entities where it most likely started, and the metrics that moved, with evidence."));
    parser.addOption(
        {QStringLiteral("db"), QStringLiteral("Capture file."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("incident"),
                      QStringLiteral("The failure event to analyse, by its source id."),
                      QStringLiteral("ID")});
    parser.addOption({QStringLiteral("all"), QStringLiteral("Analyse every failure event.")});
    parser.addOption({QStringLiteral("window"),
                      QStringLiteral("How far before a failure to look for causes (default "
                                     "1800)."),
                      QStringLiteral("SEC"), QStringLiteral("1800")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print JSON (CLI.md) on stdout.")});
    if (auto exit = parseOrExit(parser, arguments, command))
        return *exit;
    if (!parser.isSet(QStringLiteral("db")))
        return usageError(command, QStringLiteral("--db is required"));
    if (parser.isSet(QStringLiteral("incident")) == parser.isSet(QStringLiteral("all")))
        return usageError(command, QStringLiteral("give either --incident ID or --all"));
    analysis::AnalysisOptions options;
    if (auto exit = parseSecondsOption(parser, command, QStringLiteral("window"), 0, 7 * 86400,
                                       options.window))
        return *exit;
    if (auto exit = setUpLogging(parser, command))
        return *exit;

    auto reader = CaptureReader::open(parser.value(QStringLiteral("db")).toStdString());
    if (!reader)
        return runtimeError(command, reader.error());
    analysis::IncidentAnalyzer analyzer(**reader, options);
    std::vector<analysis::IncidentAnalysis> results;
    if (parser.isSet(QStringLiteral("all"))) {
        auto all = analyzer.analyzeAll();
        if (!all)
            return runtimeError(command, all.error());
        results = std::move(*all);
    } else {
        auto one = analyzer.analyze(parser.value(QStringLiteral("incident")).toStdString());
        if (!one)
            return runtimeError(command, one.error());
        results.push_back(std::move(*one));
    }
    const std::string output = parser.isSet(QStringLiteral("json"))
        ? analysis::analysesToJson(results)
        : analysis::analysesToText(results);
    std::fwrite(output.data(), 1, output.size(), stdout);
    return kExitOk;
}

} // namespace eventscope::cli
