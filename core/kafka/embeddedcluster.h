#pragma once

#include "kafka/kafkahandles.h"
#include "util/result.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

typedef struct rd_kafka_mock_cluster_s rd_kafka_mock_cluster_t;

namespace eventscope::kafka {

struct EmbeddedClusterOptions
{
    int brokers = 1;
    int partitions = 6; // per default topic
    std::vector<std::string> topics; // empty: the default topics
};

// librdkafka's built-in mock cluster: real Kafka protocol on loopback TCP ports, so kcat and any
// client can use it. Owns the client handle the cluster lives in (librdkafka's own threads serve
// it); destroying this object stops the brokers. Also exposes the mock's fault injection for
// tests: brokers down and up, round-trip time, request errors.
class EmbeddedCluster
{
public:
    static Result<std::unique_ptr<EmbeddedCluster>> start(const EmbeddedClusterOptions &options
                                                          = {});
    ~EmbeddedCluster();
    EmbeddedCluster(const EmbeddedCluster &) = delete;
    EmbeddedCluster &operator=(const EmbeddedCluster &) = delete;

    // "127.0.0.1:port,127.0.0.1:port"
    std::string bootstrapServers() const;

    Status createTopic(const std::string &topic, int partitions);
    void setBrokerDown(std::int32_t brokerId);
    void setBrokerUp(std::int32_t brokerId);
    void setBrokerRoundTripTime(std::int32_t brokerId, int milliseconds);
    // The next `count` requests of this Kafka API key fail with `error`.
    void pushRequestErrors(std::int16_t apiKey, int count, rd_kafka_resp_err_t error);

private:
    EmbeddedCluster(KafkaHandle handle, rd_kafka_mock_cluster_t *cluster, int brokers);

    KafkaHandle m_handle;
    rd_kafka_mock_cluster_t *m_cluster; // owned: destroyed before m_handle
    int m_brokers;
};

} // namespace eventscope::kafka
