// Live benchmark: the console following a cluster that receives 20k messages a second.
//
//   cmake --build --preset release --target live_bench
//   ./build/release/tests/bench/live_bench            # --seconds S (20), --rate N (20000)
//
// In one process: the embedded Kafka cluster, a producer thread pacing metrics and events (one
// event in 20 messages, each event's id carrying its produce time), the live session (ingest and
// writer) and the console window at 1920x1080 on the offscreen platform. Prints:
// - produce-to-paint: from an event's produce call to the event lanes' replot that first drew
//   it (p50, p99, max), for events produced after a warm-up of 5 s;
// - the GUI thread's longest stall: a 10 ms timer's lateness (p99, max);
// - what was produced and consumed.
// The machine is shared and noisy: read the figures of one run together.
#include "mainwindow.h"
#include "timeline/eventlanechart.h"
#include "timeline/timelineview.h"

#include "kafka/embeddedcluster.h"
#include "kafka/kafkaproducer.h"
#include "kafka/livesession.h"
#include "kafka/topics.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <set>
#include <thread>

using namespace eventscope;

namespace {

TimeUs wallNow()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, static_cast<std::size_t>(p * values.size()))];
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication application(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    int seconds = 20;
    int rate = 20'000;
    const QStringList args = QApplication::arguments();
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--seconds") && i + 1 < args.size())
            seconds = std::max(5, args[++i].toInt());
        else if (args[i] == QLatin1String("--rate") && i + 1 < args.size())
            rate = std::max(100, args[++i].toInt());
        else {
            std::fprintf(stderr, "live_bench: unknown argument '%s' (--seconds S, --rate N)\n",
                         qPrintable(args[i]));
            return 2;
        }
    }
    QTemporaryDir dir;
    auto cluster = kafka::EmbeddedCluster::start({});
    if (!cluster)
        qFatal("%s", cluster.error().c_str());
    const std::string bootstrap = (*cluster)->bootstrapServers();

    kafka::IngestOptions options;
    options.bootstrapServers = bootstrap;
    for (std::string_view topic : kafka::kDefaultTopics)
        options.topics.emplace_back(topic);
    options.groupId = "live-bench";
    options.autoOffsetReset = "earliest";
    options.recordHealth = true;
    for (const QString &property :
         qEnvironmentVariable("LIVE_BENCH_X").split(QLatin1Char(','), Qt::SkipEmptyParts))
        options.properties.emplace_back(property.section(QLatin1Char('='), 0, 0).toStdString(),
                                        property.section(QLatin1Char('='), 1).toStdString());
    auto live = kafka::LiveSession::start(
        options, dir.filePath(QStringLiteral("live.capture")).toStdString(), "live_bench");
    if (!live)
        qFatal("%s", live.error().c_str());
    ui::MainWindow window;
    window.resize(1920, 1080);
    window.show();
    if (Status s = window.openCapture((*live)->capturePath(), true); !s)
        qFatal("%s", s.error().c_str());
    QObject::connect(live->get(), &kafka::LiveSession::dataCommitted, &window,
                     &ui::MainWindow::captureCommitted);

    // The producer: `rate` messages a second in 1 ms steps, one in 20 an event whose id
    // carries its produce time.
    std::atomic<bool> producing{true};
    std::atomic<std::int64_t> produced{0};
    std::thread producer([&] {
        auto client = kafka::KafkaProducer::create(bootstrap, {{"linger.ms", "1"}});
        if (!client)
            qFatal("%s", client.error().c_str());
        const auto start = std::chrono::steady_clock::now();
        std::int64_t sent = 0;
        char buffer[512];
        while (producing) {
            const double elapsed
                = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            const auto due = static_cast<std::int64_t>(elapsed * rate);
            for (; sent < due; ++sent) {
                const TimeUs now = wallNow();
                if (sent % 20 == 0) {
                    const int n = std::snprintf(
                        buffer, sizeof buffer,
                        R"({"id":"probe-%lld","time":%lld,"type":"deployment.rollout","service":"svc-%d","entity":"deployment/svc-%d","message":"rollout %lld"})",
                        static_cast<long long>(now), static_cast<long long>(now / 1000),
                        static_cast<int>(sent % 7), static_cast<int>(sent % 7),
                        static_cast<long long>(sent));
                    (void)(*client)->produce("scaling_events", "probe",
                                             std::string_view(buffer, static_cast<std::size_t>(n)));
                } else {
                    const int n = std::snprintf(
                        buffer, sizeof buffer,
                        R"({"time":%lld,"name":"http_requests_per_second","labels":{"service":"svc-%d","pod":"pod-%d"},"value":%d})",
                        static_cast<long long>(now / 1000), static_cast<int>(sent % 7),
                        static_cast<int>(sent % 50), static_cast<int>(sent % 1000));
                    (void)(*client)->produce("metrics", {},
                                             std::string_view(buffer, static_cast<std::size_t>(n)));
                }
            }
            produced = sent;
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        (void)(*client)->flush(std::chrono::seconds(10));
    });

    // Produce-to-paint: at each replot of the event lanes, the probe events it drew first.
    QElapsedTimer clock;
    clock.start();
    // The group join and the first catch-up take a few seconds: events produced in the first
    // 5 s do not count, nor do timer ticks then.
    const qint64 warmUpMs = 5000;
    const TimeUs countFrom = wallNow() + warmUpMs * 1000;
    std::set<std::string> seen;
    std::vector<double> latencies;
    ui::EventLaneChart *lanes = window.timeline().laneChart();
    QObject::connect(lanes, &QCustomPlot::afterReplot, &window, [&] {
        const auto events = lanes->events();
        if (!events)
            return;
        const TimeUs now = wallNow();
        // The newest events are at the end (time order); look back over the last 10 s only.
        for (auto it = events->rbegin();
             it != events->rend() && it->time > now - 10 * kMicrosPerSecond; ++it) {
            if (!it->sourceId.starts_with("probe-") || !seen.insert(it->sourceId).second)
                continue;
            const TimeUs producedAt = std::stoll(it->sourceId.substr(6));
            if (producedAt >= countFrom)
                latencies.push_back(static_cast<double>(now - producedAt) / 1000.0);
        }
    });

    // The GUI thread's stalls: how late a 10 ms timer fires.
    std::vector<double> lateness;
    QElapsedTimer tick;
    tick.start();
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(10);
    QObject::connect(&probe, &QTimer::timeout, &window, [&] {
        const double late = static_cast<double>(tick.nsecsElapsed()) / 1e6 - 10.0;
        tick.restart();
        if (clock.elapsed() > warmUpMs)
            lateness.push_back(std::max(0.0, late));
    });
    probe.start();
    QTimer::singleShot(seconds * 1000, &application, [&] { QApplication::quit(); });
    QApplication::exec();
    probe.stop();
    producing = false;
    producer.join();
    const kafka::IngestStats stats = (*live)->stats();
    (*live)->stop();

    std::printf("live_bench: %d s at %d messages/s into the console (1920x1080, offscreen)\n",
                seconds, rate);
    std::printf("produced %lld messages, consumed %lld, %lld events\n",
                static_cast<long long>(produced.load()), static_cast<long long>(stats.messages),
                static_cast<long long>(stats.events));
    std::printf("produce-to-paint over %zu events: p50 %.0f ms, p99 %.0f ms, max %.0f ms (target "
                "p99 <= 500 ms)\n",
                latencies.size(), percentile(latencies, 0.5), percentile(latencies, 0.99),
                latencies.empty() ? 0.0 : *std::max_element(latencies.begin(), latencies.end()));
    std::printf("GUI thread, a 10 ms timer late by: p99 %.1f ms, max %.1f ms (target: never "
                "blocked > 50 ms)\n",
                percentile(lateness, 0.99),
                lateness.empty() ? 0.0 : *std::max_element(lateness.begin(), lateness.end()));
    return 0;
}
