#include "kafka/kafkaingest.h"

#include "decode/messagedecoder.h"
#include "kafka/kafkahandles.h"
#include "store/storewriter.h"

#include <simdjson.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <future>
#include <map>
#include <set>
#include <shared_mutex>
#include <thread>
#include <unistd.h>

namespace eventscope::kafka {

namespace {

using Clock = std::chrono::steady_clock;

TimeUs nowUs()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string redact(std::string text, const std::string &secret)
{
    if (secret.empty())
        return text;
    for (std::size_t at = text.find(secret); at != std::string::npos;
         at = text.find(secret, at + 3))
        text.replace(at, secret.size(), "***");
    return text;
}

} // namespace

std::string defaultGroupId()
{
    char host[256] = {};
    if (gethostname(host, sizeof host - 1) != 0)
        std::snprintf(host, sizeof host, "%s", "localhost");
    const char *user = std::getenv("USER");
    return std::string("eventscope-") + host + "-" + (user && *user ? user : "user");
}

bool isSecretProperty(std::string_view name)
{
    for (const std::string_view marker :
         {"password", "secret", "sasl.jaas", "key.pem", "oauthbearer.config",
          "sasl.oauthbearer.client", "token"}) {
        if (name.find(marker) != std::string_view::npos)
            return true;
    }
    return false;
}

Result<std::vector<std::pair<std::string, std::string>>> readPropertiesFile(const std::string &path)
{
    using Properties = std::vector<std::pair<std::string, std::string>>;
    std::ifstream in(path);
    if (!in)
        return Result<Properties>::failure(path + ": cannot open properties file");
    Properties properties;
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        const auto first = line.find_first_not_of(" \t\r");
        if (first == std::string::npos || line[first] == '#')
            continue;
        const auto equals = line.find('=');
        if (equals == std::string::npos)
            return Result<Properties>::failure(path + ":" + std::to_string(number)
                                               + ": expected key=value");
        std::string key = line.substr(first, equals - first);
        while (!key.empty() && (key.back() == ' ' || key.back() == '\t'))
            key.pop_back();
        std::string value = line.substr(equals + 1);
        while (!value.empty() && (value.back() == '\r' || value.back() == ' '))
            value.pop_back();
        properties.emplace_back(std::move(key), std::move(value));
    }
    return properties;
}

// How long a stop during an outage waits for librdkafka to let go of the consumer before
// leaving it to finish in the background (it may wait up to session.timeout.ms).
constexpr std::chrono::milliseconds kUnreachableShutdownWait{1000};

// Everything that runs on the consumer thread, plus the stats it shares.
class KafkaIngest::Worker
{
public:
    Worker(IngestOptions options, StoreWriter &writer)
        : m_options(std::move(options))
        , m_writer(writer)
    { }
    // The consumer goes first: librdkafka still calls back (logs) while it is destroyed, and the
    // callbacks read the members declared after it.
    ~Worker() { m_consumer.reset(); }

    // What librdkafka's callbacks reach the worker through (the handle's opaque). A consumer
    // handed to a background thread to finish shutting down (a stop during an outage) may
    // still call back after the worker is gone: the gate is closed first, and its callbacks
    // then do nothing. Callbacks hold the gate shared while they run.
    struct Gate
    {
        std::shared_mutex mutex;
        Worker *worker = nullptr;
    };

    Status create();
    void run();
    void requestStop() { m_stopRequested = true; }

    IngestStats stats() const
    {
        std::lock_guard lock(m_statsMutex);
        IngestStats copy = m_stats;
        copy.writerQueue = m_writer.queuedRecords();
        return copy;
    }
    std::string lastError() const
    {
        std::lock_guard lock(m_statsMutex);
        return m_lastError;
    }

private:
    static void rebalanceCallback(rd_kafka_t *rk, rd_kafka_resp_err_t error,
                                  rd_kafka_topic_partition_list_t *partitions, void *opaque);
    static void errorCallback(rd_kafka_t *rk, int error, const char *reason, void *opaque);
    static int statsCallback(rd_kafka_t *rk, char *json, size_t length, void *opaque);
    static void offsetCommitCallback(rd_kafka_t *rk, rd_kafka_resp_err_t error,
                                     rd_kafka_topic_partition_list_t *offsets, void *opaque);
    static void logCallback(const rd_kafka_t *rk, int level, const char *facility,
                            const char *message);

    void onAssign(rd_kafka_topic_partition_list_t *partitions);
    void onRevoke(rd_kafka_topic_partition_list_t *partitions);
    // One message from the consumer queue, destroyed here: decoded into the pending batch, or
    // an end of partition, an error, or past --max-messages.
    void consume(rd_kafka_message_t *message);
    void handleMessage(const rd_kafka_message_t *message);
    bool submitPending(bool block);
    void setPaused(bool paused);
    // Commits to Kafka what the capture holds for the partitions this member owns; the error of
    // a synchronous commit (NO_ERROR when there was nothing to commit).
    rd_kafka_resp_err_t commitOffsets(bool sync);
    // The last commit before leaving the group: a group in the middle of a rebalance refuses
    // commits, so keep serving it (fetching paused) until it settles and the commit lands.
    void commitBeforeLeaving(rd_kafka_queue_t *queue);
    void parseStats(std::string_view json);
    void recordHealth(const std::vector<PartitionLag> &lags, double messagesPerSecond,
                      double bytesPerSecond, int brokersUp);
    void noteError(const std::string &message);
    // A partition reached its end (an EOF event), or has a message again.
    void noteAtEnd(const rd_kafka_message_t *message, bool atEnd);
    void publishCounts();
    struct Topic
    {
        std::string name;
        RecordKind kind; // configured for the topic, or guessed from its name
    };
    // The topic of a message among the few seen so far: no string made per message.
    const Topic &topicOf(const rd_kafka_message_t *message);
    std::vector<Topic> m_topics;

    IngestOptions m_options;
    StoreWriter &m_writer;
    std::shared_ptr<Gate> m_gate = std::make_shared<Gate>();
    KafkaHandle m_consumer;
    MessageDecoder m_decoder;
    RecordBatch m_pending;
    std::int64_t m_pendingMessages = 0;
    bool m_pendingHealth = false; // health samples wait in m_pending (recordHealth)
    bool m_commitDue = false; // commit to Kafka at the next cadence even without a new batch
    bool m_endOfPartitionKnown = false; // enable.partition.eof (a user may turn it off)
    std::set<std::pair<std::string, std::int32_t>> m_atEnd; // read to the end, nothing since
    Clock::time_point m_pendingSince{};
    bool m_paused = false;
    bool m_leaving = false; // stopping: fetching stays paused while the last commit lands
    // Stopping while no broker answers: the consumer is destroyed without leaving the group.
    bool m_coordinatorUnreachable = false;
    // Where a partition with no stored or committed offset starts (auto.offset.reset).
    std::int64_t m_resetOffset = RD_KAFKA_OFFSET_INVALID;
    bool m_limitReached = false;
    std::int64_t m_consumed = 0;
    TimeUs m_batchReceivedAt = 0; // one clock read per consumed batch, not per message
    std::atomic<bool> m_stopRequested{false};
    std::vector<MessageHeader> m_headers;
    std::vector<std::string> m_secrets;

    // What the messages of the current poll added; published into m_stats once per poll rather
    // than under the lock for every message.
    struct Counts
    {
        std::int64_t messages = 0, bytes = 0, events = 0, samples = 0, logs = 0, spans = 0,
                     deadLetters = 0;
    };
    Counts m_unpublished;
    mutable std::mutex m_statsMutex;
    IngestStats m_stats;
    std::string m_lastError;
    std::int64_t m_lastStatsMessages = 0;
    std::int64_t m_lastStatsBytes = 0;
    Clock::time_point m_lastStatsAt = Clock::now();
    // librdkafka's running count of messages received per partition, at the last statistics.
    std::map<std::pair<std::string, std::int32_t>, std::int64_t> m_partitionReceived;
    const Clock::time_point m_createdAt = Clock::now();
};

Status KafkaIngest::Worker::create()
{
    ConfHandle conf(rd_kafka_conf_new());
    char error[512];
    const std::string group = m_options.groupId.empty() ? defaultGroupId() : m_options.groupId;
    std::vector<std::pair<std::string, std::string>> settings = {
        {"bootstrap.servers", m_options.bootstrapServers},
        {"group.id", group},
        {"enable.auto.commit", "false"}, // offsets live in the capture; Kafka commits follow
        {"enable.auto.offset.store", "false"},
        {"auto.offset.reset", m_options.autoOffsetReset},
        {"statistics.interval.ms", "1000"},
        // Tells when every assigned partition has been read to its end (--until-idle).
        {"enable.partition.eof", "true"},
        // A crashed ingest's partitions go to the others (or its restart) after 10 s, not 45.
        {"session.timeout.ms", "10000"},
        // Keep fetching ahead while a batch is decoded and written: with librdkafka's
        // default (100k messages per partition, counted across the whole fetch pipeline) the
        // fetcher idles behind the decoder. Memory stays capped by queued.max.messages.kbytes.
        // Measured with tests/bench/ingest_bench: 7.5 s -> 5.5 s for 600k messages.
        {"queued.min.messages", "1000000"},
        // ...and let it run up to 128 MB ahead rather than librdkafka's 64 MB: catching up on
        // a backlog, the fetcher stopped at 64 MB and the decoder then drained the queue
        // before the next fetch came back (a 0.3 s stall per 600k messages in ingest_bench).
        {"queued.max.messages.kbytes", "131072"},
        {"client.id", "eventscope"},
    };
    settings.insert(settings.end(), m_options.properties.begin(), m_options.properties.end());
    for (const auto &[key, value] : settings) {
        if (isSecretProperty(key))
            m_secrets.push_back(value);
        if (rd_kafka_conf_set(conf.get(), key.c_str(), value.c_str(), error, sizeof error)
            != RD_KAFKA_CONF_OK) {
            std::string message = std::string(error);
            for (const std::string &secret : m_secrets)
                message = redact(message, secret);
            return Status::failure("Kafka property " + key + ": " + message);
        }
    }
    // The reset policy in effect (a -X auto.offset.reset= overrides the default), as the
    // logical offset it stands for; "error" and anything unknown stay for librdkafka to apply.
    for (const auto &[key, value] : settings) {
        if (key != "auto.offset.reset")
            continue;
        if (value == "earliest" || value == "smallest" || value == "beginning")
            m_resetOffset = RD_KAFKA_OFFSET_BEGINNING;
        else if (value == "latest" || value == "largest" || value == "end")
            m_resetOffset = RD_KAFKA_OFFSET_END;
        else
            m_resetOffset = RD_KAFKA_OFFSET_INVALID;
    }
    char eof[8] = {};
    std::size_t eofSize = sizeof eof;
    m_endOfPartitionKnown
        = rd_kafka_conf_get(conf.get(), "enable.partition.eof", eof, &eofSize) == RD_KAFKA_CONF_OK
        && std::string_view(eof) == "true";
    {
        std::lock_guard lock(m_statsMutex);
        m_stats.endOfPartitionKnown = m_endOfPartitionKnown;
    }
    m_gate->worker = this;
    rd_kafka_conf_set_opaque(conf.get(), m_gate.get());
    rd_kafka_conf_set_rebalance_cb(conf.get(), rebalanceCallback);
    rd_kafka_conf_set_error_cb(conf.get(), errorCallback);
    rd_kafka_conf_set_stats_cb(conf.get(), statsCallback);
    rd_kafka_conf_set_offset_commit_cb(conf.get(), offsetCommitCallback);
    rd_kafka_conf_set_log_cb(conf.get(), logCallback);

    m_consumer.reset(rd_kafka_new(RD_KAFKA_CONSUMER, conf.release(), error, sizeof error));
    if (!m_consumer) {
        std::string message = error;
        for (const std::string &secret : m_secrets)
            message = redact(message, secret);
        return Status::failure("cannot create the Kafka consumer: " + message);
    }
    rd_kafka_poll_set_consumer(m_consumer.get());

    if (m_options.topics.empty())
        return Status::failure("no topics to subscribe to");
    TopicPartitionList topics(
        rd_kafka_topic_partition_list_new(static_cast<int>(m_options.topics.size())));
    for (const std::string &topic : m_options.topics)
        rd_kafka_topic_partition_list_add(topics.get(), topic.c_str(), RD_KAFKA_PARTITION_UA);
    if (const rd_kafka_resp_err_t err = rd_kafka_subscribe(m_consumer.get(), topics.get()); err)
        return Status::failure(std::string("cannot subscribe: ") + rd_kafka_err2str(err));
    spdlog::info(
        "consuming {} from {} as group {}",
        [&] {
            std::string list;
            for (const std::string &topic : m_options.topics)
                list += (list.empty() ? "" : ",") + topic;
            return list;
        }(),
        m_options.bootstrapServers, group);
    return {};
}

const KafkaIngest::Worker::Topic &KafkaIngest::Worker::topicOf(const rd_kafka_message_t *message)
{
    const std::string_view name = rd_kafka_topic_name(message->rkt);
    for (const Topic &known : m_topics) {
        if (known.name == name)
            return known;
    }
    if (m_topics.size() >= 64)
        m_topics.erase(m_topics.begin()); // a regex subscription over many topics
    std::string owned(name);
    const auto configured = m_options.topicKinds.find(owned);
    const RecordKind kind
        = configured != m_options.topicKinds.end() ? configured->second : kindForTopic(owned);
    return m_topics.emplace_back(Topic{std::move(owned), kind});
}

void KafkaIngest::Worker::handleMessage(const rd_kafka_message_t *message)
{
    const Topic &known = topicOf(message);
    const std::string &topic = known.name;
    m_headers.clear();
    rd_kafka_headers_t *headers = nullptr;
    if (rd_kafka_message_headers(message, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR && headers) {
        const char *name = nullptr;
        const void *value = nullptr;
        std::size_t size = 0;
        for (std::size_t i = 0; rd_kafka_header_get_all(headers, i, &name, &value, &size)
             == RD_KAFKA_RESP_ERR_NO_ERROR;
             ++i)
            m_headers.push_back({name,
                                 value ? std::string_view(static_cast<const char *>(value), size)
                                       : std::string_view()});
    }
    Message decoded;
    decoded.payload = message->payload
        ? std::string_view(static_cast<const char *>(message->payload), message->len)
        : std::string_view();
    decoded.headers = m_headers;
    decoded.topicKind = known.kind;
    decoded.origin = {topic, message->partition, message->offset};
    rd_kafka_timestamp_type_t type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE;
    const std::int64_t timestampMs = rd_kafka_message_timestamp(message, &type);
    decoded.timestamp
        = type != RD_KAFKA_TIMESTAMP_NOT_AVAILABLE && timestampMs > 0 ? timestampMs * 1000 : 0;
    decoded.receivedAt = m_batchReceivedAt;

    const std::size_t events = m_pending.events.size(), samples = m_pending.samples.size(),
                      logs = m_pending.logs.size(), spans = m_pending.spans.size(),
                      dead = m_pending.deadLetters.size();
    m_decoder.decode(decoded, m_pending);
    m_pending.advanceOffset(topic, message->partition, message->offset + 1);
    if (m_pendingMessages++ == 0)
        m_pendingSince = Clock::now();
    ++m_consumed;

    ++m_unpublished.messages;
    m_unpublished.bytes += static_cast<std::int64_t>(message->len);
    m_unpublished.events += static_cast<std::int64_t>(m_pending.events.size() - events);
    m_unpublished.samples += static_cast<std::int64_t>(m_pending.samples.size() - samples);
    m_unpublished.logs += static_cast<std::int64_t>(m_pending.logs.size() - logs);
    m_unpublished.spans += static_cast<std::int64_t>(m_pending.spans.size() - spans);
    m_unpublished.deadLetters += static_cast<std::int64_t>(m_pending.deadLetters.size() - dead);
}

void KafkaIngest::Worker::publishCounts()
{
    if (m_unpublished.messages == 0)
        return;
    std::lock_guard lock(m_statsMutex);
    m_stats.messages += m_unpublished.messages;
    m_stats.bytes += m_unpublished.bytes;
    m_stats.events += m_unpublished.events;
    m_stats.samples += m_unpublished.samples;
    m_stats.logs += m_unpublished.logs;
    m_stats.spans += m_unpublished.spans;
    m_stats.deadLetters += m_unpublished.deadLetters;
    if (!m_stats.brokersUp) {
        m_stats.brokersUp = true;
        m_stats.brokerState = "connected";
    }
    m_unpublished = {};
}

bool KafkaIngest::Worker::submitPending(bool block)
{
    if (m_pending.isEmpty())
        return true;
    const bool accepted
        = block ? m_writer.submit(std::move(m_pending)) : m_writer.trySubmit(m_pending);
    if (!accepted && block)
        noteError("the capture refused a batch: " + m_writer.lastError());
    if (!accepted)
        return false;
    m_pending = RecordBatch();
    m_pendingMessages = 0;
    m_pendingHealth = false;
    if (!m_leaving)
        setPaused(false); // whichever path got the batch in, fetching may go on
    return true;
}

void KafkaIngest::Worker::setPaused(bool paused)
{
    if (paused == m_paused)
        return;
    rd_kafka_topic_partition_list_t *assignment = nullptr;
    if (rd_kafka_assignment(m_consumer.get(), &assignment) != RD_KAFKA_RESP_ERR_NO_ERROR)
        return;
    TopicPartitionList owned(assignment);
    if (paused)
        rd_kafka_pause_partitions(m_consumer.get(), owned.get());
    else
        rd_kafka_resume_partitions(m_consumer.get(), owned.get());
    m_paused = paused;
    spdlog::debug("{} fetching: the capture writer {}", paused ? "paused" : "resumed",
                  paused ? "is behind" : "caught up");
    std::lock_guard lock(m_statsMutex);
    m_stats.paused = paused;
}

rd_kafka_resp_err_t KafkaIngest::Worker::commitOffsets(bool sync)
{
    rd_kafka_topic_partition_list_t *assignment = nullptr;
    if (const rd_kafka_resp_err_t err = rd_kafka_assignment(m_consumer.get(), &assignment))
        return err;
    TopicPartitionList owned(assignment);
    if (owned->cnt == 0)
        return RD_KAFKA_RESP_ERR_NO_ERROR;
    // Only what the capture has committed, and only for partitions this member owns.
    TopicPartitionList commit(rd_kafka_topic_partition_list_new(owned->cnt));
    for (const PartitionOffset &stored : m_writer.committedOffsets()) {
        for (int i = 0; i < owned->cnt; ++i) {
            if (owned->elems[i].partition == stored.partition
                && stored.topic == owned->elems[i].topic) {
                rd_kafka_topic_partition_list_add(commit.get(), stored.topic.c_str(),
                                                  stored.partition)
                    ->offset
                    = stored.nextOffset;
            }
        }
    }
    if (commit->cnt == 0)
        return RD_KAFKA_RESP_ERR_NO_ERROR;
    return rd_kafka_commit(m_consumer.get(), commit.get(), sync ? 0 : 1);
}

namespace {

// The group refused a commit because it is rebalancing; it accepts it once it settles.
bool refusedWhileRebalancing(rd_kafka_resp_err_t error)
{
    return error == RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS
        || error == RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION;
}

// The commit failed because no broker or coordinator answered, not because the group refused.
bool unreachable(rd_kafka_resp_err_t error)
{
    switch (error) {
    case RD_KAFKA_RESP_ERR__TIMED_OUT:
    case RD_KAFKA_RESP_ERR__TRANSPORT:
    case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
    case RD_KAFKA_RESP_ERR__WAIT_COORD:
    case RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT:
    case RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_NOT_COORDINATOR: return true;
    default: return false;
    }
}

std::string commitFailure(rd_kafka_resp_err_t error)
{
    return std::string("could not commit offsets to Kafka (the capture has them; a member taking "
                       "over these partitions may read some messages again): ")
        + rd_kafka_err2str(error);
}

} // namespace

void KafkaIngest::Worker::offsetCommitCallback(rd_kafka_t *, rd_kafka_resp_err_t error,
                                               rd_kafka_topic_partition_list_t *, void *opaque)
{
    // Served on the consumer thread. A periodic commit the group refused during a rebalance is
    // sent again at the next cadence, or another member would start behind this capture.
    auto *gate = static_cast<Gate *>(opaque);
    std::shared_lock lock(gate->mutex);
    if (gate->worker && refusedWhileRebalancing(error))
        gate->worker->m_commitDue = true;
}

void KafkaIngest::Worker::commitBeforeLeaving(rd_kafka_queue_t *queue)
{
    // Bounded: a commit that does not land only means a later owner re-reads a little, while
    // an operator waiting on a stop must not wait long.
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    std::vector<rd_kafka_message_t *> messages(100);
    bool told = false;
    m_leaving = true;
    setPaused(true); // nothing new: only the group's own traffic from here on
    for (;;) {
        submitPending(true);
        if (!m_writer.flush(std::chrono::minutes(2)))
            noteError("the capture did not commit the last batch: " + m_writer.lastError());
        if (!stats().brokersUp) {
            // A commit now would wait out its timeout, and leaving the group after it would
            // wait for a coordinator that is not there.
            noteError("Kafka is unreachable: the last offsets stay in the capture only; a member "
                      "taking over these partitions may read some messages again");
            m_coordinatorUnreachable = true;
            return;
        }
        const rd_kafka_resp_err_t err = commitOffsets(true);
        if (!refusedWhileRebalancing(err) || Clock::now() > deadline) {
            if (err)
                noteError(commitFailure(err));
            m_coordinatorUnreachable = unreachable(err);
            return;
        }
        if (!told)
            spdlog::info("the group is rebalancing; waiting for it to settle to commit offsets");
        told = true;
        // Serve the group: heartbeats, rejoining, rebalance callbacks. A message fetched before
        // the pause is still this member's: it goes into the capture at the next turn.
        const ssize_t got
            = rd_kafka_consume_batch_queue(queue, 200, messages.data(), messages.size());
        for (ssize_t i = 0; i < got; ++i)
            consume(messages[static_cast<std::size_t>(i)]);
        publishCounts();
    }
}

void KafkaIngest::Worker::onAssign(rd_kafka_topic_partition_list_t *partitions)
{
    // Resume after what the capture holds, or after what another member of the group committed
    // if that is further: those messages then live in its capture, and the captures together
    // still hold each message once. Neither known: auto.offset.reset decides.
    TopicPartitionList committed(rd_kafka_topic_partition_list_copy(partitions));
    const rd_kafka_resp_err_t committedError
        = rd_kafka_committed(m_consumer.get(), committed.get(), 10'000);
    if (committedError)
        noteError(std::string("cannot read the group's committed offsets: ")
                  + rd_kafka_err2str(committedError));
    const std::vector<PartitionOffset> stored = m_writer.committedOffsets();
    for (int i = 0; i < partitions->cnt; ++i) {
        rd_kafka_topic_partition_t &partition = partitions->elems[i];
        std::int64_t start = RD_KAFKA_OFFSET_INVALID;
        for (const PartitionOffset &offset : stored) {
            if (offset.partition == partition.partition && offset.topic == partition.topic)
                start = offset.nextOffset;
        }
        const rd_kafka_topic_partition_t *group = rd_kafka_topic_partition_list_find(
            committed.get(), partition.topic, partition.partition);
        if (group && group->err == RD_KAFKA_RESP_ERR_NO_ERROR && group->offset >= 0)
            start = std::max(start, group->offset);
        // Known to have no offset anywhere: start where auto.offset.reset says at once. Left
        // invalid, librdkafka would ask the group for the offsets again first (read above),
        // which delays the first fetch.
        if (start == RD_KAFKA_OFFSET_INVALID && !committedError && group
            && group->err == RD_KAFKA_RESP_ERR_NO_ERROR)
            start = m_resetOffset;
        partition.offset = start;
    }
    const bool cooperative
        = std::string_view(rd_kafka_rebalance_protocol(m_consumer.get())) == "COOPERATIVE";
    if (cooperative)
        rd_kafka_error_destroy(rd_kafka_incremental_assign(m_consumer.get(), partitions));
    else
        rd_kafka_assign(m_consumer.get(), partitions);
    if (m_paused)
        rd_kafka_pause_partitions(m_consumer.get(), partitions);
    std::lock_guard lock(m_statsMutex);
    // Kafka learns at once where this member starts (the capture may be ahead of the group
    // when a commit was refused during the rebalance).
    m_commitDue = true;
    if (!cooperative)
        m_atEnd.clear(); // an eager assignment replaces the old one
    m_stats.partitionsAtEnd = static_cast<std::int64_t>(m_atEnd.size());
    ++m_stats.rebalanceEvents;
    m_stats.rebalancing = false;
    if (m_stats.secondsToFirstAssignment < 0)
        m_stats.secondsToFirstAssignment
            = std::chrono::duration<double>(Clock::now() - m_createdAt).count();
    m_stats.assignedPartitions
        = cooperative ? m_stats.assignedPartitions + partitions->cnt : partitions->cnt;
    spdlog::info("assigned {} partition(s)", partitions->cnt);
}

void KafkaIngest::Worker::onRevoke(rd_kafka_topic_partition_list_t *partitions)
{
    // Whatever was consumed from these partitions goes into the capture, and its offsets to
    // Kafka, before another member takes them over.
    submitPending(true);
    m_writer.flush(std::chrono::seconds(30));
    if (const rd_kafka_resp_err_t err = commitOffsets(true))
        noteError(commitFailure(err));
    const bool cooperative
        = std::string_view(rd_kafka_rebalance_protocol(m_consumer.get())) == "COOPERATIVE";
    if (cooperative)
        rd_kafka_error_destroy(rd_kafka_incremental_unassign(m_consumer.get(), partitions));
    else
        rd_kafka_assign(m_consumer.get(), nullptr);
    std::lock_guard lock(m_statsMutex);
    m_stats.assignedPartitions
        = cooperative ? std::max<std::int64_t>(0, m_stats.assignedPartitions - partitions->cnt) : 0;
    for (int i = 0; i < partitions->cnt; ++i)
        m_atEnd.erase({partitions->elems[i].topic, partitions->elems[i].partition});
    m_stats.partitionsAtEnd = static_cast<std::int64_t>(m_atEnd.size());
    ++m_stats.rebalanceEvents;
    m_stats.rebalancing = !cooperative || m_stats.assignedPartitions == 0;
    spdlog::info("revoked {} partition(s)", partitions->cnt);
}

void KafkaIngest::Worker::rebalanceCallback(rd_kafka_t *, rd_kafka_resp_err_t error,
                                            rd_kafka_topic_partition_list_t *partitions,
                                            void *opaque)
{
    auto *gate = static_cast<Gate *>(opaque);
    std::shared_lock lock(gate->mutex);
    Worker *self = gate->worker;
    if (!self)
        return;
    if (error == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS)
        self->onAssign(partitions);
    else
        self->onRevoke(partitions);
}

void KafkaIngest::Worker::errorCallback(rd_kafka_t *, int error, const char *reason, void *opaque)
{
    auto *gate = static_cast<Gate *>(opaque);
    std::shared_lock gateLock(gate->mutex);
    Worker *self = gate->worker;
    if (!self)
        return;
    std::string message = reason;
    for (const std::string &secret : self->m_secrets)
        message = redact(message, secret);
    {
        std::lock_guard lock(self->m_statsMutex);
        if (error == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN || error == RD_KAFKA_RESP_ERR__TRANSPORT
            || error == RD_KAFKA_RESP_ERR__RESOLVE) {
            self->m_stats.brokersUp = false;
            self->m_stats.brokerState = "broker unreachable (retrying): " + message;
        }
    }
    // librdkafka retries on its own; this is what the operator sees meanwhile.
    self->noteError(std::string(rd_kafka_err2name(static_cast<rd_kafka_resp_err_t>(error))) + ": "
                    + message);
}

void KafkaIngest::Worker::noteAtEnd(const rd_kafka_message_t *message, bool atEnd)
{
    std::pair<std::string, std::int32_t> key(rd_kafka_topic_name(message->rkt), message->partition);
    const bool changed = atEnd ? m_atEnd.insert(std::move(key)).second : m_atEnd.erase(key) > 0;
    if (!changed)
        return;
    std::lock_guard lock(m_statsMutex);
    m_stats.partitionsAtEnd = static_cast<std::int64_t>(m_atEnd.size());
}

void KafkaIngest::Worker::noteError(const std::string &message)
{
    spdlog::warn("kafka: {}", message);
    std::lock_guard lock(m_statsMutex);
    m_lastError = message;
}

void KafkaIngest::Worker::logCallback(const rd_kafka_t *rk, int level, const char *facility,
                                      const char *message)
{
    // librdkafka's own lines (a config dump with debug=conf, say) must not carry secrets either.
    std::string text = message;
    if (auto *gate = static_cast<Gate *>(rd_kafka_opaque(rk))) {
        std::shared_lock lock(gate->mutex);
        if (const Worker *self = gate->worker) {
            for (const std::string &secret : self->m_secrets)
                text = redact(text, secret);
        } else if (level > 4) {
            return; // a consumer shutting down in the background: its chatter is of no use
        }
    }
    if (level <= 3)
        spdlog::error("kafka {}: {}", facility, text);
    else if (level == 4)
        spdlog::warn("kafka {}: {}", facility, text);
    else
        spdlog::debug("kafka {}: {}", facility, text);
}

int KafkaIngest::Worker::statsCallback(rd_kafka_t *, char *json, size_t length, void *opaque)
{
    auto *gate = static_cast<Gate *>(opaque);
    std::shared_lock lock(gate->mutex);
    if (gate->worker)
        gate->worker->parseStats(std::string_view(json, length));
    return 0; // librdkafka frees the JSON
}

void KafkaIngest::Worker::parseStats(std::string_view json)
{
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (parser.parse(json.data(), json.size(), true).get(root) != simdjson::SUCCESS)
        return;
    std::vector<PartitionLag> lags;
    std::vector<std::int64_t> received; // one per lags entry
    simdjson::dom::object topics;
    if (root["topics"].get(topics) == simdjson::SUCCESS) {
        for (auto topic : topics) {
            simdjson::dom::object partitions;
            if (topic.value["partitions"].get(partitions) != simdjson::SUCCESS)
                continue;
            for (auto partition : partitions) {
                std::int64_t id = -1, lag = -1;
                if (partition.value["partition"].get(id) != simdjson::SUCCESS || id < 0)
                    continue; // -1 is librdkafka's internal UA partition
                if (partition.value["consumer_lag"].get(lag) != simdjson::SUCCESS)
                    lag = -1;
                std::string_view fetchState; // absent: not fetched by this member
                if (partition.value["fetch_state"].get(fetchState) != simdjson::SUCCESS)
                    fetchState = "none";
                std::int64_t receivedSoFar = -1; // librdkafka's running count
                if (partition.value["rxmsgs"].get(receivedSoFar) != simdjson::SUCCESS)
                    receivedSoFar = -1;
                if (fetchState != "none" || lag >= 0) {
                    lags.push_back({std::string(topic.key), static_cast<std::int32_t>(id), lag});
                    received.push_back(receivedSoFar);
                }
            }
        }
    }
    int brokers = 0, up = 0;
    simdjson::dom::object brokerStats;
    if (root["brokers"].get(brokerStats) == simdjson::SUCCESS) {
        for (auto broker : brokerStats) {
            std::int64_t nodeId = -1;
            if (broker.value["nodeid"].get(nodeId) != simdjson::SUCCESS || nodeId < 0)
                continue; // bootstrap and internal placeholders
            // The group coordinator is a second, "logical" handle on a broker already counted.
            std::string_view source;
            if (broker.value["source"].get(source) == simdjson::SUCCESS
                && (source == "logical" || source == "internal"))
                continue;
            ++brokers;
            std::string_view state;
            if (broker.value["state"].get(state) == simdjson::SUCCESS && state == "UP")
                ++up;
        }
    }
    const auto now = Clock::now();
    std::lock_guard lock(m_statsMutex);
    const double seconds = std::chrono::duration<double>(now - m_lastStatsAt).count();
    for (std::size_t i = 0; i < lags.size(); ++i) {
        PartitionLag &partition = lags[i];
        if (received[i] < 0)
            continue;
        auto [last, first]
            = m_partitionReceived.try_emplace({partition.topic, partition.partition}, received[i]);
        if (!first && seconds > 0 && received[i] >= last->second)
            partition.messagesPerSecond = static_cast<double>(received[i] - last->second) / seconds;
        last->second = received[i];
    }
    if (seconds > 0) {
        m_stats.messagesPerSecond
            = static_cast<double>(m_stats.messages - m_lastStatsMessages) / seconds;
        m_stats.bytesPerSecond = static_cast<double>(m_stats.bytes - m_lastStatsBytes) / seconds;
    }
    m_lastStatsAt = now;
    m_lastStatsMessages = m_stats.messages;
    m_lastStatsBytes = m_stats.bytes;
    if (m_options.recordHealth && seconds > 0)
        recordHealth(lags, m_stats.messagesPerSecond, m_stats.bytesPerSecond,
                     brokers > 0 ? up : -1);
    m_stats.lag = std::move(lags);
    if (brokers > 0) {
        m_stats.brokersUp = up > 0;
        m_stats.brokerState = std::to_string(up) + "/" + std::to_string(brokers) + " brokers up";
    }
}

void KafkaIngest::Worker::recordHealth(const std::vector<PartitionLag> &lags,
                                       double messagesPerSecond, double bytesPerSecond,
                                       int brokersUp)
{
    // Served on the consumer thread (statistics come through the consumer queue), the one
    // that owns the pending batch. Flushed with the next batch, or on its own when idle.
    const TimeUs now = nowUs();
    const auto addPartitionSample = [&](const char *name, const PartitionLag &partition,
                                        const char *unit, double value) {
        const SeriesKey key(
            name, {{"topic", partition.topic}, {"partition", std::to_string(partition.partition)}});
        m_pending.addSample(m_pending.internSeries(key, unit), now, value);
    };
    for (const PartitionLag &partition : lags) {
        if (partition.lag >= 0)
            addPartitionSample("eventscope_consumer_lag", partition, "messages",
                               static_cast<double>(partition.lag));
        if (partition.messagesPerSecond >= 0)
            addPartitionSample("eventscope_ingest_messages_per_second", partition, "1/s",
                               partition.messagesPerSecond);
    }
    m_pending.addSample(
        m_pending.internSeries(SeriesKey("eventscope_ingest_messages_per_second", {}), "1/s"), now,
        messagesPerSecond);
    m_pending.addSample(
        m_pending.internSeries(SeriesKey("eventscope_ingest_bytes_per_second", {}), "B/s"), now,
        bytesPerSecond);
    if (brokersUp >= 0)
        m_pending.addSample(
            m_pending.internSeries(SeriesKey("eventscope_brokers_up", {}), "brokers"), now,
            brokersUp);
    if (m_pendingMessages == 0 && !m_pendingHealth)
        m_pendingSince = Clock::now();
    m_pendingHealth = true;
}

void KafkaIngest::Worker::consume(rd_kafka_message_t *message)
{
    if (message->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        noteAtEnd(message, true);
    } else if (message->err) {
        noteError(std::string("consume: ") + rd_kafka_message_errstr(message));
    } else if (m_options.maxMessages > 0 && m_consumed >= m_options.maxMessages) {
        // Past the limit: not decoded, its offset not stored, so a next run starts here.
        m_limitReached = true;
    } else {
        if (!m_atEnd.empty())
            noteAtEnd(message, false);
        handleMessage(message);
    }
    rd_kafka_message_destroy(message);
}

void KafkaIngest::Worker::run()
{
    rd_kafka_queue_t *queue = rd_kafka_queue_get_consumer(m_consumer.get());
    std::vector<rd_kafka_message_t *> messages(1000);
    auto lastCommit = Clock::now();
    std::uint64_t lastCommittedBatches = 0;
    while (!m_stopRequested) {
        // A batch the writer refused is retried first; until it is taken, fetching stays paused.
        if (m_pendingMessages > 0 && (m_paused || m_limitReached))
            submitPending(false);
        // Take what is queued without waiting; only an empty queue waits, for one message.
        // rd_kafka_consume_batch_queue waits until the batch is full or the timeout passes, so
        // a blocking call for a whole batch held the last messages of a topic back by the
        // full timeout.
        const std::size_t wanted = std::max<std::size_t>(m_limitReached ? 0 : messages.size(), 1);
        ssize_t got = rd_kafka_consume_batch_queue(queue, 0, messages.data(), wanted);
        if (got == 0)
            got = rd_kafka_consume_batch_queue(queue, m_paused || m_limitReached ? 10 : 100,
                                               messages.data(), 1);
        m_batchReceivedAt = nowUs();
        for (ssize_t i = 0; i < got; ++i)
            consume(messages[static_cast<std::size_t>(i)]);
        publishCounts();
        if (m_options.maxMessages > 0 && m_consumed >= m_options.maxMessages)
            m_limitReached = true;
        const bool full
            = m_pendingMessages >= static_cast<std::int64_t>(m_options.maxBatchMessages);
        const bool due = (m_pendingMessages > 0 || m_pendingHealth)
            && Clock::now() - m_pendingSince >= m_options.maxBatchDelay;
        if ((full || due || m_limitReached) && !submitPending(false))
            setPaused(true); // back-pressure: stop fetching, never drop
        // Kafka follows the capture closely: another member that takes over a partition
        // starts from this commit (a commit during a rebalance may be refused).
        if (Clock::now() - lastCommit > std::chrono::milliseconds(100)) {
            const std::uint64_t committed = m_writer.committedBatches();
            if (committed != lastCommittedBatches || m_commitDue) {
                commitOffsets(false);
                lastCommittedBatches = committed;
                m_commitDue = false;
            }
            lastCommit = Clock::now();
        }
        if (m_limitReached && m_pendingMessages == 0)
            break;
    }
    commitBeforeLeaving(queue);
    rd_kafka_queue_destroy(queue);
    if (m_coordinatorUnreachable) {
        // Closing would leave the group, and with the coordinator unreachable librdkafka 2.0.2
        // waits for that indefinitely (its LeaveGroup is timed out and queued again). Destroyed
        // without the close, it waits at most session.timeout.ms for its group handler. The
        // capture holds the offsets; the group drops this member when its session times out.
        // It can take that long: the destroy finishes on a thread of its own, and the stop waits
        // for it at most kUnreachableShutdownWait. The capture already holds everything
        // consumed; an operator closing the window during an outage does not wait on Kafka.
        spdlog::info("stopping without leaving the consumer group: Kafka is unreachable");
        {
            std::unique_lock lock(m_gate->mutex);
            m_gate->worker = nullptr;
        }
        auto destroyed = std::make_shared<std::promise<void>>();
        std::future<void> done = destroyed->get_future();
        std::thread([consumer = m_consumer.release(), gate = m_gate, destroyed] {
            rd_kafka_destroy_flags(consumer, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
            destroyed->set_value();
        }).detach();
        if (done.wait_for(kUnreachableShutdownWait) != std::future_status::ready)
            spdlog::info("Kafka's consumer is still shutting down in the background (no broker "
                         "answers); not waiting for it");
    } else {
        rd_kafka_consumer_close(m_consumer.get());
        m_consumer.reset();
    }
}

Result<std::unique_ptr<KafkaIngest>> KafkaIngest::start(IngestOptions options, StoreWriter &writer)
{
    auto worker = std::make_unique<Worker>(std::move(options), writer);
    if (Status created = worker->create(); !created)
        return Result<std::unique_ptr<KafkaIngest>>::failure(created.error());
    return std::unique_ptr<KafkaIngest>(new KafkaIngest(std::move(worker)));
}

KafkaIngest::KafkaIngest(std::unique_ptr<Worker> worker)
    : m_worker(std::move(worker))
{
    m_thread = std::thread([this] {
        m_worker->run();
        {
            std::lock_guard lock(m_finishedMutex);
            m_finished = true;
        }
        m_finishedChanged.notify_all();
    });
}

KafkaIngest::~KafkaIngest()
{
    stop();
}

void KafkaIngest::stop()
{
    m_worker->requestStop();
    if (m_thread.joinable())
        m_thread.join();
}

bool KafkaIngest::isRunning() const
{
    std::lock_guard lock(m_finishedMutex);
    return !m_finished;
}

bool KafkaIngest::waitUntilFinished(std::chrono::milliseconds timeout) const
{
    std::unique_lock lock(m_finishedMutex);
    return m_finishedChanged.wait_for(lock, timeout, [this] { return m_finished; });
}

IngestStats KafkaIngest::stats() const
{
    return m_worker->stats();
}

std::string KafkaIngest::lastError() const
{
    return m_worker->lastError();
}

} // namespace eventscope::kafka
