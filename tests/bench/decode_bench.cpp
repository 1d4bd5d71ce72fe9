// Decode and store benchmark (issue 3): the two stages of `eventscope ingest` after Kafka, timed
// apart and in process, on the same messages ingest_bench pre-fills the cluster with. It tells
// which stage holds ingest back and measures a change to one of them without broker noise.
//
//   cmake --build --preset release --target decode_bench
//   ./build/release/tests/bench/decode_bench [--messages N] [--runs R] [--only decode]
//
// Decode: MessageDecoder over every message, in batches the size ingest hands to the writer,
// with the partition offsets recorded as ingest does. Store: those batches through a
// StoreWriter into a fresh capture, timed from the first submit to close() returning (the last
// commit, compaction and checkpoint included). Each stage runs R times; medians are printed.

#include "benchmessages.h"
#include "decode/messagedecoder.h"
#include "store/storewriter.h"

#include <QCoreApplication>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <vector>

using namespace eventscope;
using Clock = std::chrono::steady_clock;

namespace {

struct GeneratedMessage
{
    std::string topic;
    std::int32_t partition = 0;
    std::int64_t offset = 0;
    std::string payload;
    std::vector<std::pair<std::string, std::string>> headers;
};

// CPU seconds the whole process has used: on a shared, noisy machine the CPU a stage costs
// varies far less than its wall time.
double processCpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval &t) {
        return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
    };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

std::vector<RecordBatch> decodeAll(const std::vector<GeneratedMessage> &messages,
                                   std::size_t batchMessages)
{
    MessageDecoder decoder;
    std::vector<RecordBatch> batches(1);
    std::vector<MessageHeader> headers;
    std::size_t inBatch = 0;
    for (const GeneratedMessage &generated : messages) {
        headers.clear();
        for (const auto &[name, value] : generated.headers)
            headers.push_back({name, value});
        Message message;
        message.payload = generated.payload;
        message.headers = headers;
        message.topicKind = kindForTopic(generated.topic);
        message.origin = {generated.topic, generated.partition, generated.offset};
        message.timestamp = 1'764'000'000'000'000;
        message.receivedAt = message.timestamp;
        decoder.decode(message, batches.back());
        batches.back().advanceOffset(generated.topic, generated.partition, generated.offset + 1);
        if (++inBatch == batchMessages) {
            batches.emplace_back();
            inBatch = 0;
        }
    }
    return batches;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication application(argc, argv);
    const QStringList args = application.arguments();
    int count = 600'000;
    int runs = 3;
    if (const auto i = args.indexOf(QStringLiteral("--messages")); i > 0 && i + 1 < args.size())
        count = args.at(i + 1).toInt();
    if (const auto i = args.indexOf(QStringLiteral("--runs")); i > 0 && i + 1 < args.size())
        runs = std::max(1, args.at(i + 1).toInt());
    const bool decodeOnly = args.contains(QStringLiteral("--only"))
        && args.value(args.indexOf(QStringLiteral("--only")) + 1) == QStringLiteral("decode");
    constexpr std::size_t kBatchMessages = 20'000; // IngestOptions::maxBatchMessages
    constexpr int kPartitions = 24;

    std::vector<GeneratedMessage> messages;
    messages.reserve(static_cast<std::size_t>(count));
    std::mt19937_64 rng(1);
    std::map<std::pair<std::string_view, int>, std::int64_t> nextOffset;
    std::int64_t bytes = 0;
    for (int n = 0; n < count; ++n) {
        GeneratedMessage generated;
        const std::string_view topic = bench::topicOfMessage(n);
        generated.topic = std::string(topic);
        generated.partition = n / 6 % kPartitions;
        generated.offset = nextOffset[{topic, generated.partition}]++;
        generated.payload = bench::makeMessage(topic, n, rng, generated.headers);
        bytes += static_cast<std::int64_t>(generated.payload.size());
        messages.push_back(std::move(generated));
    }
    std::printf("%d messages, %.1f MB; %d runs of each stage, medians\n", count,
                static_cast<double>(bytes) / 1e6, runs);

    std::vector<double> decodeSeconds, storeSeconds, decodeCpu, storeCpu;
    std::size_t records = 0;
    const std::string scratch
        = (std::filesystem::temp_directory_path() / "eventscope-decode-bench").string();
    std::filesystem::remove_all(scratch);
    std::filesystem::create_directories(scratch);
    std::int64_t captureBytes = 0;
    for (int run = 0; run < runs; ++run) {
        auto start = Clock::now();
        double cpuStart = processCpuSeconds();
        std::vector<RecordBatch> batches = decodeAll(messages, kBatchMessages);
        decodeSeconds.push_back(std::chrono::duration<double>(Clock::now() - start).count());
        decodeCpu.push_back(processCpuSeconds() - cpuStart);
        records = 0;
        for (const RecordBatch &batch : batches)
            records += batch.recordCount();
        if (decodeOnly)
            continue;

        const std::string path = scratch + "/run" + std::to_string(run) + ".capture";
        start = Clock::now();
        cpuStart = processCpuSeconds();
        auto writer = StoreWriter::open(path, {});
        if (!writer) {
            std::fprintf(stderr, "%s\n", writer.error().c_str());
            return 1;
        }
        for (RecordBatch &batch : batches) {
            if (!(*writer)->submit(std::move(batch))) {
                std::fprintf(stderr, "the writer refused a batch: %s\n",
                             (*writer)->lastError().c_str());
                return 1;
            }
        }
        (*writer)->close();
        storeSeconds.push_back(std::chrono::duration<double>(Clock::now() - start).count());
        storeCpu.push_back(processCpuSeconds() - cpuStart);
        captureBytes = static_cast<std::int64_t>(std::filesystem::file_size(path));
        writer->reset();
        std::filesystem::remove(path);
    }
    std::filesystem::remove_all(scratch);

    const double decode = median(decodeSeconds);
    std::printf("%-18s %8.3f s %8.3f s CPU %8.2f us/message %10.0f messages/s\n", "decode", decode,
                median(decodeCpu), decode * 1e6 / count, count / decode);
    if (!decodeOnly) {
        const double store = median(storeSeconds);
        std::printf("%-18s %8.3f s %8.3f s CPU %8.2f us/record  %10.0f records/s\n",
                    "store (to close)", store, median(storeCpu),
                    store * 1e6 / static_cast<double>(records),
                    static_cast<double>(records) / store);
        std::printf("%zu records; capture %.1f MB\n", records,
                    static_cast<double>(captureBytes) / 1e6);
    }
    return 0;
}
