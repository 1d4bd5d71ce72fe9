#include "commandline.h"

#include "util/logging.h"
#include "util/timeformat.h"

#include <cstdio>

namespace eventscope::cli {

namespace {
const QCommandLineOption
    kLogLevel(QStringLiteral("log-level"),
              QStringLiteral("Log level: trace, debug, info, warn, error, critical, off."),
              QStringLiteral("LEVEL"), QStringLiteral("info"));
}

std::optional<int> parseOrExit(QCommandLineParser &parser, const QStringList &arguments,
                               const QString &command)
{
    parser.addOption(kLogLevel);
    const QCommandLineOption help = parser.addHelpOption();
    if (!parser.parse(arguments))
        return usageError(command, parser.errorText());
    if (parser.isSet(help)) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        return kExitOk;
    }
    return std::nullopt;
}

int usageError(const QString &command, const QString &message)
{
    std::fprintf(stderr, "%s: %s (see --help)\n", qPrintable(command), qPrintable(message));
    return kExitUsage;
}

int runtimeError(const QString &command, const std::string &message)
{
    std::fprintf(stderr, "%s: %s\n", qPrintable(command), message.c_str());
    return kExitFailure;
}

std::optional<int> setUpLogging(const QCommandLineParser &parser, const QString &command)
{
    const std::string error = initLogging(parser.value(kLogLevel).toStdString(), "eventscope");
    if (!error.empty())
        return usageError(command, QStringLiteral("--log-level: ") + QString::fromStdString(error));
    return std::nullopt;
}

sigset_t blockStopSignals()
{
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGINT);
    sigaddset(&stopSignals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);
    return stopSignals;
}

std::optional<std::int64_t> parseTimeArgument(const QString &text)
{
    return parseTimestamp(text.trimmed().toStdString());
}

std::optional<int>
parseKafkaProperties(const QCommandLineParser &parser, const QString &command,
                     std::vector<std::pair<std::string, std::string>> &properties)
{
    for (const QString &property : parser.values(QStringLiteral("X"))) {
        const auto equals = property.indexOf(QLatin1Char('='));
        if (equals <= 0)
            return usageError(command,
                              QStringLiteral("-X: '%1' is not key=value").arg(property.left(40)));
        properties.emplace_back(property.left(equals).toStdString(),
                                property.mid(equals + 1).toStdString());
    }
    return std::nullopt;
}

} // namespace eventscope::cli
