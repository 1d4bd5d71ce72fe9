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
                               const QString &command, Positional positional)
{
    parser.addOption(kLogLevel);
    const QCommandLineOption help = parser.addHelpOption();
    if (!parser.parse(arguments))
        return usageError(command, parser.errorText());
    if (parser.isSet(help)) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        return kExitOk;
    }
    if (positional == Positional::Refused && !parser.positionalArguments().isEmpty())
        return usageError(
            command,
            QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first()));
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

namespace {

// "<number><unit>" with a unit from `units` (each with its multiplier); nothing beyond.
std::optional<std::int64_t> parseScaled(const QString &text,
                                        std::initializer_list<std::pair<QChar, double>> units,
                                        bool unitRequired)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return std::nullopt;
    double multiplier = 1;
    QString number = trimmed;
    const QChar last = trimmed.back().toUpper();
    bool hasUnit = false;
    for (const auto &[unit, factor] : units) {
        if (last == unit) {
            multiplier = factor;
            number.chop(1);
            hasUnit = true;
        }
    }
    if (unitRequired && !hasUnit)
        return std::nullopt;
    bool ok = false;
    const double value = number.toDouble(&ok) * multiplier;
    if (!ok || !(value >= 1) || value > 9.0e18)
        return std::nullopt;
    return static_cast<std::int64_t>(value);
}

} // namespace

std::optional<std::int64_t> parseDurationArgument(const QString &text)
{
    constexpr double kSecond = 1e6;
    return parseScaled(text,
                       {{QLatin1Char('S'), kSecond},
                        {QLatin1Char('M'), 60 * kSecond},
                        {QLatin1Char('H'), 3600 * kSecond},
                        {QLatin1Char('D'), 86400 * kSecond}},
                       true);
}

std::optional<std::int64_t> parseSizeArgument(const QString &text)
{
    return parseScaled(text,
                       {{QLatin1Char('K'), 1024.0},
                        {QLatin1Char('M'), 1024.0 * 1024},
                        {QLatin1Char('G'), 1024.0 * 1024 * 1024},
                        {QLatin1Char('T'), 1024.0 * 1024 * 1024 * 1024}},
                       false);
}

std::optional<int> parseSecondsOption(const QCommandLineParser &parser, const QString &command,
                                      const QString &name, double min, double max,
                                      std::int64_t &out)
{
    bool ok = false;
    const double seconds = parser.value(name).toDouble(&ok);
    if (!ok || !(seconds > 0 && seconds >= min) || seconds > max) {
        const QString range = min > 0 ? QStringLiteral("from %1 to %2").arg(min).arg(max)
                                      : QStringLiteral("above 0, up to %1").arg(max);
        return usageError(command,
                          QStringLiteral("--%1: '%2' is not a number of seconds %3")
                              .arg(name, parser.value(name), range));
    }
    out = static_cast<std::int64_t>(seconds * 1e6);
    return std::nullopt;
}

void addKafkaConsumerOptions(QCommandLineParser &parser)
{
    parser.addOption(
        {QStringLiteral("topics"),
         QStringLiteral("Comma-separated topics, or one ^regex (default: the default topics)."),
         QStringLiteral("T,...")});
    parser.addOption({QStringLiteral("group"),
                      QStringLiteral("Consumer group id (default eventscope-<host>-<user>)."),
                      QStringLiteral("G")});
    parser.addOption({{QStringLiteral("X")},
                      QStringLiteral("librdkafka property key=value, as in kcat (repeatable)."),
                      QStringLiteral("key=value")});
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
