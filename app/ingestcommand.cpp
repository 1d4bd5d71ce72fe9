#include "commandline.h"
#include "commands.h"

#include "deliverysecrets.h"

#include "alerting/livealerting.h"
#include "kafka/kafkaingest.h"
#include "store/storewriter.h"

#include <spdlog/spdlog.h>

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <ctime>

namespace eventscope::cli {

int runIngest(const QStringList &arguments)
{
    const QString command = QStringLiteral("eventscope ingest");
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Consume Kafka topics into a capture, headless. Runs until SIGINT/SIGTERM, --until-idle or "
        "--max-messages; a restart resumes exactly after what the capture holds. Several ingests "
        "with "
        "one --group split the partitions between them."));
    parser.addOption({QStringLiteral("bootstrap"), QStringLiteral("Kafka bootstrap servers."),
                      QStringLiteral("B")});
    parser.addOption({QStringLiteral("db"),
                      QStringLiteral("Capture file to write (created if missing)."),
                      QStringLiteral("FILE")});
    addKafkaConsumerOptions(parser);
    parser.addOption({QStringLiteral("properties"),
                      QStringLiteral("File of librdkafka key=value properties."),
                      QStringLiteral("FILE")});
    parser.addOption(
        {QStringLiteral("offset-reset"),
         QStringLiteral("Where partitions the capture has no offset for start: earliest or latest "
                        "(default earliest)."),
         QStringLiteral("WHERE"), QStringLiteral("earliest")});
    parser.addOption({QStringLiteral("until-idle"),
                      QStringLiteral("Stop once every partition is read to its end and nothing "
                                     "new came for this many seconds."),
                      QStringLiteral("SEC")});
    parser.addOption({QStringLiteral("retention-age"),
                      QStringLiteral("Keep only this much time before the newest record "
                                     "(90m, 6h, 7d); older data is deleted as new data comes."),
                      QStringLiteral("DURATION")});
    parser.addOption({QStringLiteral("retention-size"),
                      QStringLiteral("Keep the capture's data under this size (500M, 2G): the "
                                     "oldest data goes first."),
                      QStringLiteral("SIZE")});
    parser.addOption({QStringLiteral("max-messages"),
                      QStringLiteral("Stop after this many messages."), QStringLiteral("N")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print a JSON summary on stdout.")});
    parser.addOption(
        {QStringLiteral("rules"),
         QStringLiteral("Alert rules (JSON, see `eventscope alerts --help`) evaluated as data "
                        "arrives: alerts are added to the capture, and those of rules with a "
                        "\"deliver\" target are sent to their webhook or PagerDuty."),
         QStringLiteral("FILE")});
    parser.addOption(
        {QStringLiteral("record-health"),
         QStringLiteral("Also write consumer lag per partition, ingest rates and brokers up "
                        "into the capture as eventscope_* series, every second.")});
    if (auto exit = parseOrExit(parser, arguments, command))
        return *exit;
    for (const char *required : {"bootstrap", "db"}) {
        if (!parser.isSet(QLatin1String(required)))
            return usageError(command,
                              QStringLiteral("--%1 is required").arg(QLatin1String(required)));
    }

    kafka::IngestOptions options;
    options.bootstrapServers = parser.value(QStringLiteral("bootstrap")).toStdString();
    options.groupId = parser.value(QStringLiteral("group")).toStdString();
    options.recordHealth = parser.isSet(QStringLiteral("record-health"));
    if (parser.isSet(QStringLiteral("topics"))) {
        for (const QString &topic :
             parser.value(QStringLiteral("topics")).split(QLatin1Char(','), Qt::SkipEmptyParts))
            options.topics.push_back(topic.trimmed().toStdString());
    } else {
        options.topics = {"scaling_events", "failure_events", "resource_provisioning",
                          "metrics",        "logs",           "traces"};
    }
    const QString reset = parser.value(QStringLiteral("offset-reset"));
    if (reset != QLatin1String("earliest") && reset != QLatin1String("latest"))
        return usageError(
            command, QStringLiteral("--offset-reset: '%1' is not earliest or latest").arg(reset));
    options.autoOffsetReset = reset.toStdString();
    if (parser.isSet(QStringLiteral("properties"))) {
        auto properties
            = kafka::readPropertiesFile(parser.value(QStringLiteral("properties")).toStdString());
        if (!properties)
            return usageError(command,
                              QStringLiteral("--properties: ")
                                  + QString::fromStdString(properties.error()));
        options.properties = std::move(*properties);
    }
    if (auto exit = parseKafkaProperties(parser, command, options.properties))
        return *exit;
    double idleSeconds = 0;
    if (parser.isSet(QStringLiteral("until-idle"))) {
        bool ok = false;
        idleSeconds = parser.value(QStringLiteral("until-idle")).toDouble(&ok);
        if (!ok || idleSeconds <= 0)
            return usageError(
                command,
                QStringLiteral("--until-idle: '%1' is not a positive number of seconds")
                    .arg(parser.value(QStringLiteral("until-idle"))));
    }
    if (parser.isSet(QStringLiteral("max-messages"))) {
        bool ok = false;
        options.maxMessages = parser.value(QStringLiteral("max-messages")).toLongLong(&ok);
        if (!ok || options.maxMessages <= 0)
            return usageError(command,
                              QStringLiteral("--max-messages: '%1' is not a positive number")
                                  .arg(parser.value(QStringLiteral("max-messages"))));
    }
    RetentionPolicy retention;
    if (parser.isSet(QStringLiteral("retention-age"))) {
        const auto age = parseDurationArgument(parser.value(QStringLiteral("retention-age")));
        if (!age)
            return usageError(command,
                              QStringLiteral("--retention-age: '%1' is not a duration like 90m, "
                                             "6h or 7d")
                                  .arg(parser.value(QStringLiteral("retention-age"))));
        retention.maxAge = *age;
    }
    if (parser.isSet(QStringLiteral("retention-size"))) {
        const auto size = parseSizeArgument(parser.value(QStringLiteral("retention-size")));
        if (!size || *size < 1024 * 1024)
            return usageError(command,
                              QStringLiteral("--retention-size: '%1' is not a size of at least "
                                             "1M, like 500M or 2G")
                                  .arg(parser.value(QStringLiteral("retention-size"))));
        retention.maxBytes = *size;
    }
    if (auto exit = setUpLogging(parser, command))
        return *exit;
    std::vector<analysis::AlertRule> rules;
    if (parser.isSet(QStringLiteral("rules"))) {
        QFile file(parser.value(QStringLiteral("rules")));
        if (!file.open(QIODevice::ReadOnly))
            return runtimeError(
                command, file.fileName().toStdString() + ": " + file.errorString().toStdString());
        auto parsed = analysis::parseAlertRules(file.readAll().toStdString());
        if (!parsed)
            return runtimeError(command, file.fileName().toStdString() + ": " + parsed.error());
        rules = std::move(*parsed);
    }

    const sigset_t stopSignals = blockStopSignals(); // before any thread starts

    const std::string db = parser.value(QStringLiteral("db")).toStdString();
    StoreWriterOptions writerOptions;
    writerOptions.sourceDescription = "Kafka " + options.bootstrapServers;
    writerOptions.retention = retention;
    auto writer = StoreWriter::open(db, writerOptions);
    if (!writer)
        return runtimeError(command, writer.error());
    std::unique_ptr<alerting::LiveAlerting> alerting;
    if (!rules.empty()) {
        alerting::LiveAlertingOptions alertOptions;
        alertOptions.rules = rules;
        alertOptions.secrets = readDeliverySecret;
        auto started = alerting::LiveAlerting::start(**writer, std::move(alertOptions));
        if (!started)
            return runtimeError(command, started.error());
        alerting = std::move(*started);
    }
    const auto started = std::chrono::steady_clock::now();
    auto ingest = kafka::KafkaIngest::start(options, **writer);
    if (!ingest)
        return runtimeError(command, ingest.error());

    // Wait for a stop signal, idleness or the message limit. Idleness counts from the first
    // assignment, once every partition is read to its end, and restarts at every rebalance:
    // joining a group takes seconds, and a member waiting for the group to settle is not
    // looking at an idle topic.
    // The wait ends as soon as the consumer stops by itself (the message limit); a stop signal
    // is seen within a tick.
    constexpr double kJoinTimeoutSeconds = 60;
    constexpr std::chrono::milliseconds tick(100);
    const timespec noWait{0, 0};
    auto lastProgress = std::chrono::steady_clock::now();
    std::int64_t lastCount = -1;
    std::int64_t lastRebalanceEvents = 0;
    bool assigned = false;
    int exitCode = kExitOk;
    while (!(*ingest)->waitUntilFinished(tick)) {
        siginfo_t info;
        if (sigtimedwait(&stopSignals, &info, &noWait) > 0) {
            spdlog::info("stopping on {}", info.si_signo == SIGINT ? "SIGINT" : "SIGTERM");
            break;
        }
        if (idleSeconds <= 0)
            continue;
        const kafka::IngestStats stats = (*ingest)->stats();
        const auto now = std::chrono::steady_clock::now();
        if (!assigned) {
            if (stats.assignedPartitions > 0 || stats.messages > 0) {
                assigned = true;
                lastProgress = now;
            } else if (!stats.brokersUp && !stats.brokerState.empty() // known down, not yet unknown
                       && std::chrono::duration<double>(now - started).count() >= idleSeconds) {
                // No broker answered within the idle time: waiting longer is not idleness
                // (a broker that is up but slow to settle the group gets the join timeout).
                std::string reason = (*ingest)->lastError();
                if (reason.empty())
                    reason = stats.brokerState.empty() ? "no broker answered" : stats.brokerState;
                spdlog::error("no broker answered at {} within {} s ({}); stopping",
                              options.bootstrapServers, idleSeconds, reason);
                exitCode = kExitFailure;
                break;
            } else if (std::chrono::duration<double>(now - started).count() > kJoinTimeoutSeconds) {
                spdlog::error("no partitions assigned after {} s ({}); stopping",
                              kJoinTimeoutSeconds,
                              stats.brokerState.empty() ? "no broker answered" : stats.brokerState);
                exitCode = kExitFailure;
                break;
            }
            continue;
        }
        // Idle means read to the end of every partition and nothing new: a fetch that has not
        // started yet (a slow broker, a busy machine) is not idleness.
        const bool caughtUp
            = !stats.endOfPartitionKnown || stats.partitionsAtEnd >= stats.assignedPartitions;
        if (stats.messages != lastCount || !caughtUp || stats.rebalancing
            || stats.rebalanceEvents != lastRebalanceEvents) {
            lastCount = stats.messages;
            lastRebalanceEvents = stats.rebalanceEvents;
            lastProgress = now;
        } else if (std::chrono::duration<double>(now - lastProgress).count() >= idleSeconds) {
            spdlog::info("no message for {} s: stopping", idleSeconds);
            break;
        }
    }
    (*ingest)->stop();
    const kafka::IngestStats stats = (*ingest)->stats();
    const std::string error = (*ingest)->lastError();
    ingest->reset();
    alerting::LiveAlerting::Stats alertStats;
    if (alerting) {
        alerting->stop(); // a last pass over everything consumed
        alertStats = alerting->stats();
        if (alertStats.pending > 0)
            spdlog::warn("{} alert deliveries still pending: the next ingest with --rules, or "
                         "`eventscope alerts --db {} --deliver`, sends them",
                         alertStats.pending, db);
    }
    (*writer)->close();
    const double seconds
        = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

    if (parser.isSet(QStringLiteral("json"))) {
        QJsonObject summary{{QStringLiteral("messages"), qint64(stats.messages)},
                            {QStringLiteral("events"), qint64(stats.events)},
                            {QStringLiteral("samples"), qint64(stats.samples)},
                            {QStringLiteral("logs"), qint64(stats.logs)},
                            {QStringLiteral("spans"), qint64(stats.spans)},
                            {QStringLiteral("dead_letters"), qint64(stats.deadLetters)},
                            {QStringLiteral("bytes"), qint64(stats.bytes)},
                            {QStringLiteral("seconds"), seconds},
                            {QStringLiteral("join_seconds"), stats.secondsToFirstAssignment}};
        if (alerting)
            summary[QStringLiteral("alerts")]
                = QJsonObject{{QStringLiteral("raised"), qint64(alertStats.alerts)},
                              {QStringLiteral("delivered"), qint64(alertStats.delivered)},
                              {QStringLiteral("failed"), qint64(alertStats.failed)},
                              {QStringLiteral("pending"), qint64(alertStats.pending)}};
        std::printf("%s\n", QJsonDocument(summary).toJson(QJsonDocument::Compact).constData());
    } else {
        std::printf("ingested %lld messages into %s in %.1f s: %lld events, %lld samples, %lld "
                    "logs, %lld spans, "
                    "%lld dead letters\n",
                    static_cast<long long>(stats.messages), db.c_str(), seconds,
                    static_cast<long long>(stats.events), static_cast<long long>(stats.samples),
                    static_cast<long long>(stats.logs), static_cast<long long>(stats.spans),
                    static_cast<long long>(stats.deadLetters));
        if (alerting)
            std::printf("alerts: %lld raised; deliveries: %lld delivered, %lld failed, %lld "
                        "pending\n",
                        static_cast<long long>(alertStats.alerts),
                        static_cast<long long>(alertStats.delivered),
                        static_cast<long long>(alertStats.failed),
                        static_cast<long long>(alertStats.pending));
    }
    if (exitCode != kExitOk || (stats.messages == 0 && !error.empty()))
        return runtimeError(command,
                            "nothing consumed from " + options.bootstrapServers
                                + (error.empty() ? std::string() : "; last error: " + error));
    return kExitOk;
}

} // namespace eventscope::cli
