#include "commandline.h"
#include "commands.h"

#include "kafka/kafkaingest.h"
#include "sim/messagesink.h"
#include "sim/simulator.h"
#include "util/timeformat.h"

#include <spdlog/spdlog.h>

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <thread>

namespace eventscope::cli {

namespace {

bool writeTruth(const QString &path, const sim::GroundTruth &truth, std::string &error)
{
    QSaveFile file(path);
    const std::string json = truth.toJson();
    if (!file.open(QIODevice::WriteOnly)
        || file.write(json.data(), static_cast<qint64>(json.size()))
            != static_cast<qint64>(json.size())
        || !file.commit()) {
        error = "--truth " + path.toStdString() + ": " + file.errorString().toStdString();
        return false;
    }
    return true;
}

} // namespace

int runSimulate(const QStringList &arguments)
{
    const QString command = QStringLiteral("eventscope simulate");
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Produce realistic, deterministic traffic of a simulated fleet (services with a call "
        "graph, nodes, pods, diurnal load, routine changes, incidents with their causes) to "
        "Kafka, or as NDJSON with --out. --truth writes which event caused which failure."));
    parser.addOption({QStringLiteral("bootstrap"),
                      QStringLiteral("Kafka bootstrap servers to produce to."),
                      QStringLiteral("B")});
    parser.addOption({QStringLiteral("out"),
                      QStringLiteral("Write NDJSON (one message a line) instead; - is stdout."),
                      QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("scenario"),
                      QStringLiteral("Scenarios: scaling,provisioning,failures (default all)."),
                      QStringLiteral("LIST"), QStringLiteral("scaling,provisioning,failures")});
    parser.addOption({QStringLiteral("seed"), QStringLiteral("Random seed (default 1)."),
                      QStringLiteral("S"), QStringLiteral("1")});
    parser.addOption({QStringLiteral("duration"),
                      QStringLiteral("Simulated seconds (default 7200; 0 runs until stopped)."),
                      QStringLiteral("SEC"), QStringLiteral("7200")});
    parser.addOption({QStringLiteral("rate"),
                      QStringLiteral("Sampled request traces per simulated second (default 2)."),
                      QStringLiteral("N"), QStringLiteral("2")});
    parser.addOption({QStringLiteral("speed"),
                      QStringLiteral("Simulated seconds per real second, or max (default 1 to "
                                     "Kafka, max to a file)."),
                      QStringLiteral("X")});
    parser.addOption({QStringLiteral("start"),
                      QStringLiteral("Simulated start time (default: now when paced; "
                                     "now minus the duration at max speed)."),
                      QStringLiteral("TIME")});
    parser.addOption({QStringLiteral("truth"),
                      QStringLiteral("Write the ground truth as JSON to FILE."),
                      QStringLiteral("FILE")});
    parser.addOption({{QStringLiteral("X")},
                      QStringLiteral("librdkafka producer property key=value (repeatable)."),
                      QStringLiteral("key=value")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print a JSON summary on stdout.")});
    if (auto exit = parseOrExit(parser, arguments, command))
        return *exit;
    const bool toKafka = parser.isSet(QStringLiteral("bootstrap"));
    if (toKafka == parser.isSet(QStringLiteral("out")))
        return usageError(command, QStringLiteral("give either --bootstrap or --out"));

    sim::SimulatorOptions options;
    auto scenarios = sim::parseScenarios(parser.value(QStringLiteral("scenario")).toStdString());
    if (!scenarios)
        return usageError(
            command, QStringLiteral("--scenario: ") + QString::fromStdString(scenarios.error()));
    options.scenarios = *scenarios;
    bool ok = false;
    options.seed = parser.value(QStringLiteral("seed")).toULongLong(&ok);
    if (!ok)
        return usageError(command,
                          QStringLiteral("--seed: '%1' is not a non-negative integer")
                              .arg(parser.value(QStringLiteral("seed"))));
    const double duration = parser.value(QStringLiteral("duration")).toDouble(&ok);
    if (!ok || duration < 0)
        return usageError(command,
                          QStringLiteral("--duration: '%1' is not a number of seconds")
                              .arg(parser.value(QStringLiteral("duration"))));
    options.duration = static_cast<TimeUs>(duration * kMicrosPerSecond);
    options.tracesPerSecond = parser.value(QStringLiteral("rate")).toDouble(&ok);
    if (!ok || options.tracesPerSecond < 0 || options.tracesPerSecond > 10000)
        return usageError(command,
                          QStringLiteral("--rate: '%1' is not a number from 0 to 10000")
                              .arg(parser.value(QStringLiteral("rate"))));
    double speed = toKafka ? 1.0 : 0.0;
    if (parser.isSet(QStringLiteral("speed"))) {
        const QString text = parser.value(QStringLiteral("speed"));
        speed = text == QLatin1String("max") ? 0.0 : text.toDouble(&ok);
        if (text != QLatin1String("max") && (!ok || speed <= 0))
            return usageError(
                command, QStringLiteral("--speed: '%1' is not a positive number or max").arg(text));
    }
    if (speed == 0 && options.duration == 0)
        return usageError(command, QStringLiteral("--duration 0 (no end) needs a finite --speed"));
    const auto wallNow = std::chrono::duration_cast<std::chrono::microseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
    if (parser.isSet(QStringLiteral("start"))) {
        const auto start = parseTimeArgument(parser.value(QStringLiteral("start")));
        if (!start)
            return usageError(command,
                              QStringLiteral("--start: '%1' is not a time")
                                  .arg(parser.value(QStringLiteral("start"))));
        options.start = *start;
    } else {
        options.start = speed > 0 ? wallNow : wallNow - options.duration;
    }
    options.start -= options.start % options.tickInterval; // metric timestamps on the tick
    std::vector<std::pair<std::string, std::string>> properties;
    if (auto exit = parseKafkaProperties(parser, command, properties))
        return *exit;
    if (auto exit = setUpLogging(parser, command))
        return *exit;

    const sigset_t stopSignals = blockStopSignals(); // before any thread starts
    std::unique_ptr<sim::MessageSink> sink;
    if (toKafka) {
        auto kafkaSink = sim::KafkaSink::create(
            parser.value(QStringLiteral("bootstrap")).toStdString(), properties);
        if (!kafkaSink)
            return runtimeError(command, kafkaSink.error());
        sink = std::move(*kafkaSink);
    } else {
        auto fileSink = sim::NdjsonSink::create(parser.value(QStringLiteral("out")).toStdString());
        if (!fileSink)
            return runtimeError(command, fileSink.error());
        sink = std::move(*fileSink);
    }

    std::atomic<bool> stop{false};
    std::atomic<bool> done{false};
    std::thread signalWatcher([&] {
        const timespec tick{0, 100'000'000};
        while (!done.load()) {
            siginfo_t info;
            if (sigtimedwait(&stopSignals, &info, &tick) > 0) {
                spdlog::info("stopping on {}", info.si_signo == SIGINT ? "SIGINT" : "SIGTERM");
                stop = true;
                return;
            }
        }
    });

    spdlog::info("simulating from {} for {} s at {} (seed {})", formatTimestamp(options.start),
                 duration, speed > 0 ? std::to_string(speed) + "x" : std::string("max speed"),
                 options.seed);
    const bool terminal = ::isatty(STDERR_FILENO) == 1;
    const auto started = std::chrono::steady_clock::now();
    sim::Simulator simulator(options);
    sim::RunOptions run;
    run.speed = speed;
    run.stop = &stop;
    run.progress = [terminal, &options](const sim::RunProgress &progress) {
        if (!terminal)
            return;
        const double simulated
            = static_cast<double>(progress.simulatedTime - options.start) / kMicrosPerSecond;
        std::fprintf(stderr, "\r\033[Ksimulated %.0f s%s: %lld messages, %zu failures", simulated,
                     options.duration > 0
                         ? (" of " + std::to_string(options.duration / kMicrosPerSecond)).c_str()
                         : "",
                     static_cast<long long>(progress.messages), progress.incidents);
    };
    const Status status = sim::runSimulation(simulator, *sink, run);
    if (terminal)
        std::fprintf(stderr, "\n");
    done = true;
    signalWatcher.join();
    sink.reset();

    const sim::GroundTruth &truth = simulator.truth();
    std::string truthError;
    if (parser.isSet(QStringLiteral("truth"))
        && !writeTruth(parser.value(QStringLiteral("truth")), truth, truthError))
        return runtimeError(command, truthError);
    if (!status)
        return runtimeError(command, status.error());
    const double seconds
        = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const double simulated
        = static_cast<double>(simulator.now() - options.start) / kMicrosPerSecond;
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonObject summary{
            {QStringLiteral("messages"), qint64(truth.messages)},
            {QStringLiteral("failures"), qint64(truth.incidents.size())},
            {QStringLiteral("simulated_seconds"), simulated},
            {QStringLiteral("start"), QString::fromStdString(formatTimestamp(options.start))},
            {QStringLiteral("seconds"), seconds}};
        std::printf("%s\n", QJsonDocument(summary).toJson(QJsonDocument::Compact).constData());
    } else if (toKafka) {
        std::printf("produced %lld messages (%zu failures) covering %.0f simulated seconds in "
                    "%.1f s\n",
                    static_cast<long long>(truth.messages), truth.incidents.size(), simulated,
                    seconds);
    } else {
        spdlog::info("wrote {} messages ({} failures) covering {:.0f} simulated seconds",
                     truth.messages, truth.incidents.size(), simulated);
    }
    return kExitOk;
}

} // namespace eventscope::cli
