#include "commandline.h"
#include "commands.h"

#include "analysis/eventimpact.h"
#include "store/capturereader.h"

#include <cstdio>

namespace eventscope::cli {

int runImpact(const QStringList &arguments)
{
    const QString command = QStringLiteral("eventscope impact");
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Before/after effect of an event type on a metric across all its occurrences: median "
        "and quartiles of the relative change, a significance test, and the superposed-epoch "
        "curve. Occurrences on a service are compared with that service's series."));
    parser.addOption(
        {QStringLiteral("db"), QStringLiteral("Capture file."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("event-type"),
                      QStringLiteral("Event type, e.g. scaling.scale_out."),
                      QStringLiteral("TYPE")});
    parser.addOption({QStringLiteral("metric"), QStringLiteral("Metric name, e.g. latency_p99_ms."),
                      QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("labels"),
                      QStringLiteral("Only series with these labels, k=v,..."),
                      QStringLiteral("k=v,...")});
    parser.addOption({QStringLiteral("window"),
                      QStringLiteral("Seconds compared before and after each occurrence "
                                     "(default 300)."),
                      QStringLiteral("SEC"), QStringLiteral("300")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print JSON on stdout.")});
    if (auto exit = parseOrExit(parser, arguments, command))
        return *exit;
    for (const char *required : {"db", "event-type", "metric"}) {
        if (!parser.isSet(QLatin1String(required)))
            return usageError(command,
                              QStringLiteral("--%1 is required").arg(QLatin1String(required)));
    }
    analysis::ImpactQuery query;
    query.eventType = parser.value(QStringLiteral("event-type")).toStdString();
    query.metric = parser.value(QStringLiteral("metric")).toStdString();
    for (const QString &pair :
         parser.value(QStringLiteral("labels")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const auto equals = pair.indexOf(QLatin1Char('='));
        if (equals <= 0)
            return usageError(command, QStringLiteral("--labels: '%1' is not key=value").arg(pair));
        query.labels.emplace_back(pair.left(equals).trimmed().toStdString(),
                                  pair.mid(equals + 1).trimmed().toStdString());
    }
    if (auto exit
        = parseSecondsOption(parser, command, QStringLiteral("window"), 10, 86400, query.window))
        return *exit;
    if (auto exit = setUpLogging(parser, command))
        return *exit;

    auto reader = CaptureReader::open(parser.value(QStringLiteral("db")).toStdString());
    if (!reader)
        return runtimeError(command, reader.error());
    auto result = analysis::measureImpact(**reader, query);
    if (!result)
        return runtimeError(command, result.error());
    const std::string output = parser.isSet(QStringLiteral("json"))
        ? analysis::impactToJson(*result)
        : analysis::impactToText(*result);
    std::fwrite(output.data(), 1, output.size(), stdout);
    return kExitOk;
}

} // namespace eventscope::cli
