// Child process for tst_crashsafety: writes numbered Kafka-like batches into a capture through
// StoreWriter until it has written `total` messages, resuming from the offsets stored in the
// capture. It deliberately restarts half a batch before the stored offset, the way Kafka
// redelivers after a crash, so the store's duplicate protection is exercised too.
//
//   crash_writer CAPTURE BATCH_SIZE TOTAL_MESSAGES
//
// Prints "committed" after every commit.

#include "store/storewriter.h"

#include <cstdio>
#include <cstdlib>
#include <string>

using namespace eventscope;

int main(int argc, char **argv)
{
    if (argc != 4) {
        std::fprintf(stderr, "usage: crash_writer CAPTURE BATCH_SIZE TOTAL_MESSAGES\n");
        return 2;
    }
    const std::string path = argv[1];
    const std::int64_t batchSize = std::atoll(argv[2]);
    const std::int64_t total = std::atoll(argv[3]);
    StoreWriterOptions options;
    options.maxRecordsPerTransaction = 5000; // many commits, so kills land between and inside them
    // Tells the test that something is committed, so it can aim kills after that.
    options.onCommit = [](const CommitSummary &) {
        std::fputs("committed\n", stdout);
        std::fflush(stdout);
    };
    auto writer = StoreWriter::open(path, options);
    if (!writer) {
        std::fprintf(stderr, "%s\n", writer.error().c_str());
        return 1;
    }
    std::int64_t next = 0;
    for (const PartitionOffset &offset : (*writer)->committedOffsets())
        if (offset.topic == "crash" && offset.partition == 0)
            next = offset.nextOffset;
    std::int64_t offset = std::max<std::int64_t>(0, next - batchSize / 2);

    const TimeUs base = 1'764'000'000LL * kMicrosPerSecond;
    while (offset < total) {
        RecordBatch batch;
        const std::int64_t end = std::min(total, offset + batchSize);
        for (std::int64_t o = offset; o < end; ++o) {
            const Origin origin{"crash", 0, o};
            Event event;
            event.sourceId = "o" + std::to_string(o);
            event.time = base + o * 1000;
            event.type = "config.change";
            event.category = EventCategory::Config;
            event.origin = origin;
            batch.events.push_back(std::move(event));
            const auto series = batch.internSeries(SeriesKey("m" + std::to_string(o % 3), {}));
            batch.addSample(series, base + o * 1000, static_cast<double>(o),
                            batch.internSampleOrigin(origin));
            LogRecord log;
            log.time = base + o * 1000;
            log.message = "message " + std::to_string(o);
            log.origin = origin;
            batch.logs.push_back(std::move(log));
        }
        batch.advanceOffset("crash", 0, end);
        (*writer)->submit(std::move(batch));
        offset = end;
    }
    (*writer)->close();
    std::printf("done\n");
    return 0;
}
