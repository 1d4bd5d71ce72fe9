#pragma once

#include "decode/message.h"
#include "model/timerange.h"
#include "util/result.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace eventscope {
class StoreWriter;
}

namespace eventscope::kafka {

struct IngestOptions
{
    std::string bootstrapServers;
    std::vector<std::string> topics; // names; a single "^..." entry subscribes by regex
    std::string groupId; // empty: defaultGroupId()
    // Any librdkafka property, as kcat's -X (SASL, SSL, compression, tuning). Applied last.
    std::vector<std::pair<std::string, std::string>> properties;
    // Where to start a partition the capture has no offset for: "earliest" for headless ingest,
    // "latest" for the live console.
    std::string autoOffsetReset = "earliest";
    std::map<std::string, RecordKind> topicKinds; // overrides the guess from the topic name
    std::int64_t maxMessages = 0; // stop after this many; 0: no limit
    // Write Kafka's own health into the capture at every statistics interval (1 s), as series
    // that chart beside everything else and survive into offline review:
    // eventscope_consumer_lag{topic,partition}, eventscope_ingest_messages_per_second (in
    // total, and per {topic,partition} from librdkafka's counts), eventscope_ingest_bytes_per_
    // second and eventscope_brokers_up. The console does; a
    // headless ingest does when asked (--record-health).
    bool recordHealth = false;
    std::size_t maxBatchMessages = 20'000; // a batch goes to the writer at this size...
    std::chrono::milliseconds maxBatchDelay{50}; // ...or this long after its first message
};

struct PartitionLag
{
    std::string topic;
    std::int32_t partition = 0;
    std::int64_t lag = -1; // -1: not known yet
    // Messages received from this partition per second over the last statistics interval;
    // -1 until two intervals have been seen.
    double messagesPerSecond = -1;
};

// What the consumer is doing, for `ingest --json` and the status bar.
struct IngestStats
{
    std::int64_t messages = 0;
    std::int64_t bytes = 0;
    std::int64_t events = 0;
    std::int64_t samples = 0;
    std::int64_t logs = 0;
    std::int64_t spans = 0;
    std::int64_t deadLetters = 0;
    double messagesPerSecond = 0; // over the last statistics interval
    double bytesPerSecond = 0;
    std::size_t writerQueue = 0; // records waiting for the store
    bool paused = false; // fetching paused because the store is behind
    bool brokersUp = false;
    std::string brokerState; // e.g. "1/1 brokers up", "all brokers down: ..."
    std::vector<PartitionLag> lag;
    std::int64_t assignedPartitions = 0;
    // Assignments and revocations so far, and whether partitions were revoked and not yet
    // reassigned: a member in the middle of a rebalance is waiting, not idle.
    std::int64_t rebalanceEvents = 0;
    bool rebalancing = false;
    // Assigned partitions read to their end with nothing new since; known unless the user
    // turned enable.partition.eof off.
    std::int64_t partitionsAtEnd = 0;
    bool endOfPartitionKnown = false;
    // From the consumer's creation to its first partitions (the group join); -1 until then.
    double secondsToFirstAssignment = -1;
};

// "eventscope-<host>-<user>": one group per operator and machine unless told otherwise.
std::string defaultGroupId();
// Reads kcat-style property files: key=value lines, # comments.
Result<std::vector<std::pair<std::string, std::string>>>
readPropertiesFile(const std::string &path);
// True for properties whose values must never be logged (passwords, secrets, keys).
bool isSecretProperty(std::string_view name);

// Consumes Kafka topics into a capture. Owns a librdkafka consumer and its own thread: batch
// consumption, decoding through MessageDecoder, batches handed to the StoreWriter with their
// offsets. When the writer's queue is full the consumer pauses its partitions instead of
// dropping. On assignment each partition resumes from the offset stored in the capture (falling
// back to auto.offset.reset); Kafka commits follow SQLite commits and are informational, except
// that they let another member of the group continue where this one stopped.
class KafkaIngest
{
public:
    static Result<std::unique_ptr<KafkaIngest>> start(IngestOptions options, StoreWriter &writer);
    ~KafkaIngest();
    KafkaIngest(const KafkaIngest &) = delete;
    KafkaIngest &operator=(const KafkaIngest &) = delete;

    // Stops consuming, hands the last batch to the writer, waits for it to commit, commits the
    // offsets to Kafka and leaves the group. Idempotent.
    void stop();
    bool isRunning() const;
    // Waits until the consumer has stopped by itself (message limit, fatal error) or by stop(),
    // at most `timeout`; whether it has. Callers that poll for other things between waits still
    // see the end at once, not at their next tick.
    bool waitUntilFinished(std::chrono::milliseconds timeout) const;
    IngestStats stats() const;
    std::string lastError() const;

private:
    class Worker;
    explicit KafkaIngest(std::unique_ptr<Worker> worker);

    std::unique_ptr<Worker> m_worker;
    mutable std::mutex m_finishedMutex;
    mutable std::condition_variable m_finishedChanged;
    bool m_finished = false;
    std::thread m_thread;
};

} // namespace eventscope::kafka
