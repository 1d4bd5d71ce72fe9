// Ingest benchmark (issue 3): pre-fills the embedded cluster with realistic mixed-format messages,
// then times, in the same run, kcat reading them raw (-C, topic by topic, summed), kcat as a
// group consumer (-G, join included), and `eventscope ingest` into a fresh capture (join,
// consume, decode and commit to SQLite; it stops at the produced count, so no idle wait is
// counted on either side).
//
//   cmake --build --preset release --target ingest_bench eventscope
//   ./build/release/tests/bench/ingest_bench [--messages N] [--quick] [--hold]
// --hold pre-fills, prints the bootstrap servers and waits, to profile a reader by hand.

#include "kafka/embeddedcluster.h"
#include "kafka/kafkahandles.h"
#include "kafka/kafkaproducer.h"
#include "kafka/topics.h"

#include <QCoreApplication>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

using namespace eventscope;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kPartitions = 24;

// One realistic message for a topic, cycling through the formats that topic carries.
std::string makeMessage(std::string_view topic, int n, std::mt19937_64 &rng,
                        std::vector<std::pair<std::string, std::string>> &headers)
{
    headers.clear();
    const int k = n / 6; // the message's number within its topic: picks the format
    const long long t = 1'764'000'000LL + n / 50;
    // A fleet of 460 pods in 23 services on 40 nodes: each pod keeps its service and node,
    // so metrics repeat the same ~2,300 series as real scrapes do.
    const int podIndex = n / 6 % 460;
    const std::string svc = "svc-" + std::to_string(podIndex % 23);
    const std::string pod = svc + "-7d9f8b6c4-" + std::to_string(10000 + podIndex);
    const int node = podIndex % 40;
    char buffer[1024];
    if (topic == "metrics") {
        switch (k % 3) {
        case 0:
            std::snprintf(
                buffer, sizeof buffer,
                R"({"time":%lld.%03d,"name":"container_cpu_utilization","labels":{"service":"%s","pod":"%s","node":"node-%d","cluster":"prod-eu-west-1","namespace":"shop-frontend","container":"app"},"value":%.4f,"unit":"ratio"})",
                t, n % 1000, svc.c_str(), pod.c_str(), node,
                static_cast<double>(rng() % 10000) / 10000);
            break;
        case 1:
            std::snprintf(buffer, sizeof buffer,
                          "http_server,service=%s,pod=%s,node=node-%d,cluster=prod-eu-west-1,"
                          "namespace=shop-frontend,route=/api/v1/checkout,method=POST "
                          "p99_ms=%.2f,requests=%di,errors=%di %lld%09d",
                          svc.c_str(), pod.c_str(), node,
                          80 + static_cast<double>(rng() % 5000) / 100, n % 5000, n % 7, t,
                          n % 1000);
            break;
        default:
            std::snprintf(
                buffer, sizeof buffer,
                R"({"timestamp":"2025-11-24T16:%02d:%02dZ","value":"%d","name":"container_memory_working_set_bytes","labels":{"__name__":"container_memory_working_set_bytes","pod":"%s","namespace":"shop"}})",
                n / 60 % 60, n % 60, 100'000'000 + static_cast<int>(rng() % 50'000'000),
                pod.c_str());
        }
    } else if (topic == "logs") {
        std::snprintf(
            buffer, sizeof buffer,
            R"j({"time":%lld.%03d,"service":"%s","entity":"%s","level":"%s","message":"POST /api/v1/checkout request %d handled in %d ms for tenant acme-%d (cart items: 3, payment: card)","trace_id":"%016llx%016llx","attributes":{"http.status_code":200,"region":"eu-west-1"}})j",
            t, n % 1000, svc.c_str(), pod.c_str(), n % 17 == 0 ? "error" : "info", n,
            static_cast<int>(rng() % 900), n % 50, static_cast<unsigned long long>(rng()),
            static_cast<unsigned long long>(rng()));
    } else if (topic == "traces") {
        std::snprintf(
            buffer, sizeof buffer,
            R"({"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"%s"}}]},"scopeSpans":[{"spans":[{"traceId":"%016llx%016llx","spanId":"%016llx","name":"GET /api/v1/items","kind":2,"startTimeUnixNano":"%lld000000000","endTimeUnixNano":"%lld000%06d","status":{"code":%d}}]}]}]})",
            svc.c_str(), static_cast<unsigned long long>(rng()),
            static_cast<unsigned long long>(rng()), static_cast<unsigned long long>(rng()), t, t,
            static_cast<int>(rng() % 900000), n % 31 == 0 ? 2 : 1);
    } else if (topic == "failure_events" && k % 2) {
        // CloudEvents binary mode: the event travels in the headers.
        headers = {{"ce_specversion", "1.0"},           {"ce_id", "ce-" + std::to_string(n)},
                   {"ce_type", "failure.timeout"},      {"ce_source", "/shop/" + svc},
                   {"ce_time", "2025-11-24T16:00:00Z"}, {"content-type", "application/json"}};
        std::snprintf(
            buffer, sizeof buffer,
            R"j({"message":"upstream payments-gateway timed out after 3000 ms (attempt 3 of 3, circuit open)","entity":"%s","cluster":"prod-eu-west-1","severity":"error"})j",
            pod.c_str());
    } else {
        std::snprintf(
            buffer, sizeof buffer,
            R"({"id":"evt-%d","time":%lld,"type":"%s","service":"%s","entity":"%s","cluster":"prod-eu-west-1","message":"routine change %d applied by the deployment controller","attributes":{"from":%d,"to":%d,"reason":"cpu above target"}})",
            n, t,
            topic == "scaling_events"
                ? "scaling.scale_out"
                : (topic == "failure_events" ? "failure.crash" : "provisioning.pod_created"),
            svc.c_str(), pod.c_str(), n, n % 5, n % 5 + 2);
    }
    return buffer;
}

double run(const std::string &command)
{
    const auto start = Clock::now();
    const int rc = std::system(command.c_str());
    if (rc != 0) {
        std::fprintf(stderr, "failed (%d): %s\n", rc, command.c_str());
        std::exit(1);
    }
    return std::chrono::duration<double>(Clock::now() - start).count();
}

std::int64_t highWatermarks(const std::string &bootstrap)
{
    kafka::ConfHandle conf(rd_kafka_conf_new());
    char error[256];
    rd_kafka_conf_set(conf.get(), "bootstrap.servers", bootstrap.c_str(), error, sizeof error);
    kafka::KafkaHandle consumer(
        rd_kafka_new(RD_KAFKA_CONSUMER, conf.release(), error, sizeof error));
    std::int64_t total = 0;
    for (const std::string_view topic : kafka::kDefaultTopics) {
        for (int p = 0; p < kPartitions; ++p) {
            std::int64_t low = 0, high = 0;
            rd_kafka_query_watermark_offsets(consumer.get(), std::string(topic).c_str(), p, &low,
                                             &high, 10'000);
            if (low != 0) {
                std::fprintf(
                    stderr,
                    "%s/%d starts at %lld: the mock cluster trimmed data; use more partitions\n",
                    std::string(topic).c_str(), p, static_cast<long long>(low));
                std::exit(1);
            }
            total += high;
        }
    }
    return total;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication application(argc, argv);
    const QStringList args = application.arguments();
    int messages = args.contains(QStringLiteral("--quick")) ? 20'000 : 600'000;
    if (const auto i = args.indexOf(QStringLiteral("--messages")); i > 0 && i + 1 < args.size())
        messages = args.at(i + 1).toInt();
    const std::string binary
        = (std::filesystem::path(argv[0]).parent_path() / "../../app/eventscope")
              .lexically_normal()
              .string();
    const std::string scratch
        = (std::filesystem::temp_directory_path() / "eventscope-ingest-bench").string();
    std::filesystem::remove_all(scratch);
    std::filesystem::create_directories(scratch);

    kafka::EmbeddedClusterOptions options;
    options.partitions = kPartitions;
    auto cluster = kafka::EmbeddedCluster::start(options);
    if (!cluster) {
        std::fprintf(stderr, "%s\n", cluster.error().c_str());
        return 1;
    }
    const std::string bootstrap = (*cluster)->bootstrapServers();

    auto producer = kafka::KafkaProducer::create(bootstrap);
    std::mt19937_64 rng(1);
    std::vector<std::pair<std::string, std::string>> headers;
    std::vector<std::size_t> sizes;
    std::int64_t bytes = 0;
    const auto produceStart = Clock::now();
    for (int n = 0; n < messages; ++n) {
        const std::string_view topic = kafka::kDefaultTopics[static_cast<std::size_t>(
            n % 6 < 3 ? n % 6 : (n % 6 == 3 ? 3 : (n % 6 == 4 ? 4 : 5)))];
        const std::string value = makeMessage(topic, n, rng, headers);
        sizes.push_back(value.size());
        bytes += static_cast<std::int64_t>(value.size());
        if (Status s
            = (*producer)->produce(std::string(topic), "key-" + std::to_string(n), value, headers);
            !s) {
            std::fprintf(stderr, "%s\n", s.error().c_str());
            return 1;
        }
    }
    if (Status s = (*producer)->flush(); !s) {
        std::fprintf(stderr, "%s\n", s.error().c_str());
        return 1;
    }
    std::nth_element(sizes.begin(), sizes.begin() + static_cast<std::ptrdiff_t>(sizes.size() / 2),
                     sizes.end());
    const std::int64_t inCluster = highWatermarks(bootstrap);
    std::printf(
        "pre-filled %d messages (%.1f MB, median %zu bytes) in %.1f s; the cluster holds %lld\n",
        messages, static_cast<double>(bytes) / 1e6, sizes[sizes.size() / 2],
        std::chrono::duration<double>(Clock::now() - produceStart).count(),
        static_cast<long long>(inCluster));
    if (inCluster != messages)
        return 1;

    if (args.contains(QStringLiteral("--hold"))) {
        // For profiling: keep the pre-filled cluster up and let the reader run under a tool.
        std::printf("holding; bootstrap %s (Ctrl-C to stop)\n", bootstrap.c_str());
        std::fflush(stdout);
        pause();
        return 0;
    }
    std::string topics;
    for (const std::string_view topic : kafka::kDefaultTopics)
        topics += std::string(topic) + " ";

    double raw = 0;
    for (const std::string_view topic : kafka::kDefaultTopics)
        raw += run("kcat -C -b " + bootstrap + " -t " + std::string(topic)
                   + " -e -o beginning -q > /dev/null");
    const double group
        = run("kcat -b " + bootstrap + " -G kcat-bench -X auto.offset.reset=earliest -e -q "
              + topics + "> /dev/null");
    const std::string capture = scratch + "/ingest.capture";
    const double ingest = run(binary + " ingest --bootstrap " + bootstrap + " --db " + capture
                              + " --group ingest-bench --max-messages " + std::to_string(messages)
                              + " --log-level warn --json > " + scratch + "/summary.json");
    const std::string summaryText = [&] {
        std::string text;
        std::FILE *file = std::fopen((scratch + "/summary.json").c_str(), "r");
        char line[512];
        while (file && std::fgets(line, sizeof line, file))
            text += line;
        if (file)
            std::fclose(file);
        return text;
    }();
    std::printf("\n%-52s %10s %12s\n", "reader (same messages, same run)", "seconds", "messages/s");
    std::printf("%-52s %10.2f %12.0f\n", "kcat -C, topic by topic (raw limit)", raw,
                messages / raw);
    std::printf("%-52s %10.2f %12.0f\n", "kcat -G group consumer (join included)", group,
                messages / group);
    std::printf("%-52s %10.2f %12.0f\n", "eventscope ingest (join, decode, SQLite commit)", ingest,
                messages / ingest);
    std::printf("\ningest / kcat raw   = %.2f   (target >= 0.5)\ningest / kcat group = %.2f   "
                "(target >= 0.9)\n",
                raw / ingest, group / ingest);
    // The mock cluster holds every first join for 3 s (group.initial.rebalance.delay.ms);
    // kcat -G waits the same. What is left is the work itself.
    const auto join = summaryText.find("\"join_seconds\":");
    if (join != std::string::npos) {
        const double joinSeconds = std::atof(summaryText.c_str() + join + 15);
        std::printf("ingest after its %.2f s group join: %.2f s, %.0f messages/s\n", joinSeconds,
                    ingest - joinSeconds, messages / (ingest - joinSeconds));
    }
    std::printf("ingest summary: %s", summaryText.c_str());
    std::filesystem::remove_all(scratch);
    return 0;
}
