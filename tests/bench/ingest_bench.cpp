// Ingest benchmark (issue 3): pre-fills the embedded cluster with realistic mixed-format messages,
// then times, in the same run, kcat reading them raw (-C, topic by topic, summed), kcat as a
// group consumer (-G, join included), and `eventscope ingest` into a fresh capture (join,
// consume, decode and commit to SQLite; it stops at the produced count, so no idle wait is
// counted on either side).
//
//   cmake --build --preset release --target ingest_bench eventscope
//   ./build/release/tests/bench/ingest_bench [--messages N] [--quick] [--runs R] [--hold]
//                                             [--compare BIN]
// --runs times every reader R times, in turn, and prints medians (the machine is noisy).
// --hold pre-fills, prints the bootstrap servers and waits, to profile a reader by hand.
// --compare also times another eventscope binary (a build from before a change) in the same
// run, on the same messages, for a side-by-side figure on a noisy machine.

#include "benchmessages.h"
#include "kafka/embeddedcluster.h"
#include "kafka/kafkahandles.h"
#include "kafka/kafkaproducer.h"
#include "kafka/topics.h"

#include <QCoreApplication>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

using namespace eventscope;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kPartitions = 24;

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

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
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
        const std::string_view topic = bench::topicOfMessage(n);
        const std::string value = bench::makeMessage(topic, n, rng, headers);
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

    int runs = 1;
    if (const auto i = args.indexOf(QStringLiteral("--runs")); i > 0 && i + 1 < args.size())
        runs = std::max(1, args.at(i + 1).toInt());
    const auto compared = args.indexOf(QStringLiteral("--compare"));
    const std::string other
        = compared > 0 && compared + 1 < args.size() ? args.at(compared + 1).toStdString() : "";

    // Each run times every reader once, in turn, so that the machine's slow and fast moments
    // fall on all of them; the figures are medians over the runs. Every group reader uses a new
    // group, so each one reads everything from the beginning.
    std::vector<double> raws, groups, ingests, others, joins;
    std::string summaryText;
    for (int r = 0; r < runs; ++r) {
        const std::string suffix = std::to_string(r);
        double raw = 0;
        for (const std::string_view topic : kafka::kDefaultTopics)
            raw += run("kcat -C -b " + bootstrap + " -t " + std::string(topic)
                       + " -e -o beginning -q > /dev/null");
        raws.push_back(raw);
        groups.push_back(run("kcat -b " + bootstrap + " -G kcat-bench-" + suffix
                             + " -X auto.offset.reset=earliest -e -q " + topics + "> /dev/null"));
        const auto ingestWith = [&](const std::string &program, const std::string &name) {
            std::filesystem::remove(scratch + "/" + name + ".capture");
            return run(program + " ingest --bootstrap " + bootstrap + " --db " + scratch + "/"
                       + name + ".capture --group " + name + "-" + suffix + " --max-messages "
                       + std::to_string(messages) + " --log-level warn --json > " + scratch + "/"
                       + name + ".json");
        };
        if (!other.empty())
            others.push_back(ingestWith(other, "compared"));
        ingests.push_back(ingestWith(binary, "ingest"));
        summaryText.clear();
        std::FILE *file = std::fopen((scratch + "/ingest.json").c_str(), "r");
        char line[512];
        while (file && std::fgets(line, sizeof line, file))
            summaryText += line;
        if (file)
            std::fclose(file);
        // The mock cluster holds every first join for 3 s (group.initial.rebalance.delay.ms);
        // kcat -G waits the same. What is left is the work itself.
        const auto join = summaryText.find("\"join_seconds\":");
        if (join != std::string::npos)
            joins.push_back(std::atof(summaryText.c_str() + join + 15));
        if (runs > 1) {
            std::printf("run %d: kcat -C %.2f s, kcat -G %.2f s, ingest %.2f s", r + 1, raw,
                        groups.back(), ingests.back());
            if (!other.empty())
                std::printf(", compared %.2f s", others.back());
            std::printf("\n");
        }
    }
    const double raw = median(raws), group = median(groups), ingest = median(ingests);
    std::printf("\n%-52s %10s %12s\n",
                runs > 1 ? "reader (same messages; medians of the runs)"
                         : "reader (same messages, same run)",
                "seconds", "messages/s");
    std::printf("%-52s %10.2f %12.0f\n", "kcat -C, topic by topic (raw limit)", raw,
                messages / raw);
    std::printf("%-52s %10.2f %12.0f\n", "kcat -G group consumer (join included)", group,
                messages / group);
    std::printf("%-52s %10.2f %12.0f\n", "eventscope ingest (join, decode, SQLite commit)", ingest,
                messages / ingest);
    if (!other.empty())
        std::printf("%-52s %10.2f %12.0f\n", ("--compare " + other).substr(0, 52).c_str(),
                    median(others), messages / median(others));
    std::printf("\ningest / kcat raw   = %.2f   (target >= 0.5)\ningest / kcat group = %.2f   "
                "(target >= 0.9)\n",
                raw / ingest, group / ingest);
    if (!other.empty())
        std::printf("compared binary: / kcat raw = %.2f, / kcat group = %.2f\n",
                    raw / median(others), group / median(others));
    if (runs > 1) {
        std::vector<double> ratios;
        for (int r = 0; r < runs; ++r)
            ratios.push_back(groups[static_cast<std::size_t>(r)]
                             / ingests[static_cast<std::size_t>(r)]);
        std::sort(ratios.begin(), ratios.end());
        std::printf("ingest / kcat group per run: %.2f (lowest) to %.2f (highest)\n",
                    ratios.front(), ratios.back());
    }
    if (!joins.empty()) {
        const double joinSeconds = median(joins);
        std::printf("ingest after its %.2f s group join: %.2f s, %.0f messages/s\n", joinSeconds,
                    ingest - joinSeconds, messages / (ingest - joinSeconds));
    }
    std::printf("ingest summary (last run): %s", summaryText.c_str());
    std::filesystem::remove_all(scratch);
    return 0;
}
