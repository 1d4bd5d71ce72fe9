#pragma once

#include "kafka/kafkahandles.h"
#include "util/result.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace eventscope::kafka {

// Produces messages (the simulator's and the tests' side of the pipe). Owns a librdkafka
// producer; produce() queues and returns, delivery happens on librdkafka's threads; flush()
// waits for every delivery and reports failures. Not thread-safe.
class KafkaProducer
{
public:
    static Result<std::unique_ptr<KafkaProducer>>
    create(const std::string &bootstrapServers,
           std::vector<std::pair<std::string, std::string>> properties = {});

    // Queues one message, waiting for room when librdkafka's queue is full.
    Status produce(const std::string &topic, std::string_view key, std::string_view value,
                   const std::vector<std::pair<std::string, std::string>> &headers = {});
    // Waits until all queued messages are delivered; fails if any delivery failed.
    Status flush(std::chrono::milliseconds timeout = std::chrono::seconds(60));
    std::int64_t delivered() const { return m_delivered.load(); }

private:
    explicit KafkaProducer(KafkaHandle handle);
    static void deliveryCallback(rd_kafka_t *, const rd_kafka_message_t *message, void *opaque);

    KafkaHandle m_handle;
    std::atomic<std::int64_t> m_delivered{0};
    std::atomic<std::int64_t> m_failed{0};
    std::string m_firstFailure;
};

} // namespace eventscope::kafka
