#include "commandline.h"
#include "commands.h"

#include "kafka/embeddedcluster.h"
#include "kafka/topics.h"

#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdio>

namespace eventscope::cli {

namespace {

std::optional<int> intOption(const QCommandLineParser &parser, const QString &name, int low,
                             int high, const QString &command, int &out)
{
    bool ok = false;
    out = parser.value(name).toInt(&ok);
    if (!ok || out < low || out > high)
        return usageError(command,
                          QStringLiteral("--%1: '%2' is not a number from %3 to %4")
                              .arg(name, parser.value(name))
                              .arg(low)
                              .arg(high));
    return std::nullopt;
}

} // namespace

int runBroker(const QStringList &arguments)
{
    const QString command = QStringLiteral("eventscope broker");
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Run the embedded Kafka cluster (librdkafka's mock brokers, real Kafka protocol on "
        "127.0.0.1) with the default topics. Prints the bootstrap servers as the first line "
        "of standard output and runs until SIGINT or SIGTERM. Data lives in memory only."));
    parser.addOption({QStringLiteral("brokers"), QStringLiteral("Number of brokers (default 1)."),
                      QStringLiteral("N"), QStringLiteral("1")});
    parser.addOption({QStringLiteral("partitions"),
                      QStringLiteral("Partitions per default topic (default 6)."),
                      QStringLiteral("P"), QStringLiteral("6")});
    if (auto exit = parseOrExit(parser, arguments, command))
        return *exit;
    kafka::EmbeddedClusterOptions options;
    if (auto exit = intOption(parser, QStringLiteral("brokers"), 1, 16, command, options.brokers))
        return *exit;
    if (auto exit
        = intOption(parser, QStringLiteral("partitions"), 1, 1024, command, options.partitions))
        return *exit;
    if (auto exit = setUpLogging(parser, command))
        return *exit;

    // Block the stop signals before librdkafka starts its threads, so they all inherit the mask
    // and the signal reaches sigwait() below instead of killing a broker thread's process.
    const sigset_t stopSignals = blockStopSignals();

    auto cluster = kafka::EmbeddedCluster::start(options);
    if (!cluster)
        return runtimeError(command, cluster.error());
    const std::string bootstrap = (*cluster)->bootstrapServers();
    std::printf("%s\n", bootstrap.c_str());
    std::fflush(stdout);
    std::string topics;
    for (const std::string_view topic : kafka::kDefaultTopics)
        topics += (topics.empty() ? "" : ", ") + std::string(topic);
    spdlog::info("embedded Kafka cluster: {} broker(s) at {}; topics {} with {} partitions each; "
                 "Ctrl-C stops it",
                 options.brokers, bootstrap, topics, options.partitions);

    int received = 0;
    sigwait(&stopSignals, &received);
    spdlog::info("stopping the embedded cluster ({})", received == SIGINT ? "SIGINT" : "SIGTERM");
    cluster->reset();
    return kExitOk;
}

} // namespace eventscope::cli
