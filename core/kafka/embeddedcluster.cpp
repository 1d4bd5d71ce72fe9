#include "kafka/embeddedcluster.h"

#include "kafka/topics.h"

#include <librdkafka/rdkafka_mock.h>
#include <spdlog/spdlog.h>

#include <vector>

namespace eventscope::kafka {

namespace {

void logCallback(const rd_kafka_t *, int level, const char *facility, const char *message)
{
    // librdkafka levels follow syslog: 0-3 errors, 4 warning, 5-6 notice/info, 7 debug.
    if (level <= 3)
        spdlog::error("embedded kafka {}: {}", facility, message);
    else if (level == 4)
        spdlog::warn("embedded kafka {}: {}", facility, message);
    else
        spdlog::debug("embedded kafka {}: {}", facility, message);
}

} // namespace

Result<std::unique_ptr<EmbeddedCluster>>
EmbeddedCluster::start(const EmbeddedClusterOptions &options)
{
    using Failure = Result<std::unique_ptr<EmbeddedCluster>>;
    if (options.brokers < 1 || options.brokers > 16)
        return Failure::failure("brokers must be between 1 and 16, not "
                                + std::to_string(options.brokers));
    if (options.partitions < 1 || options.partitions > 1024)
        return Failure::failure("partitions must be between 1 and 1024, not "
                                + std::to_string(options.partitions));

    ConfHandle conf(rd_kafka_conf_new());
    char error[512];
    rd_kafka_conf_set_log_cb(conf.get(), logCallback);
    // The handle only hosts the cluster; it never connects anywhere.
    if (rd_kafka_conf_set(conf.get(), "bootstrap.servers", "", error, sizeof error)
        != RD_KAFKA_CONF_OK)
        return Failure::failure(std::string("embedded cluster: ") + error);
    KafkaHandle handle(rd_kafka_new(RD_KAFKA_PRODUCER, conf.release(), error, sizeof error));
    if (!handle)
        return Failure::failure(std::string("embedded cluster: cannot create the host client: ")
                                + error);
    rd_kafka_mock_cluster_t *cluster = rd_kafka_mock_cluster_new(handle.get(), options.brokers);
    if (!cluster)
        return Failure::failure("embedded cluster: librdkafka could not start the mock brokers "
                                "(no free loopback ports?)");
    std::unique_ptr<EmbeddedCluster> self(
        new EmbeddedCluster(std::move(handle), cluster, options.brokers));
    std::vector<std::string> topics = options.topics;
    if (topics.empty())
        topics.assign(kDefaultTopics.begin(), kDefaultTopics.end());
    for (const std::string &topic : topics) {
        if (Status created = self->createTopic(topic, options.partitions); !created)
            return Failure::failure(created.error());
    }
    return self;
}

EmbeddedCluster::EmbeddedCluster(KafkaHandle handle, rd_kafka_mock_cluster_t *cluster, int brokers)
    : m_handle(std::move(handle))
    , m_cluster(cluster)
    , m_brokers(brokers)
{ }

EmbeddedCluster::~EmbeddedCluster()
{
    rd_kafka_mock_cluster_destroy(m_cluster);
}

std::string EmbeddedCluster::bootstrapServers() const
{
    return rd_kafka_mock_cluster_bootstraps(m_cluster);
}

Status EmbeddedCluster::createTopic(const std::string &topic, int partitions)
{
    const rd_kafka_resp_err_t error
        = rd_kafka_mock_topic_create(m_cluster, topic.c_str(), partitions, std::min(m_brokers, 3));
    if (error != RD_KAFKA_RESP_ERR_NO_ERROR)
        return Status::failure("embedded cluster: cannot create topic " + topic + ": "
                               + rd_kafka_err2str(error));
    return {};
}

void EmbeddedCluster::setBrokerDown(std::int32_t brokerId)
{
    rd_kafka_mock_broker_set_down(m_cluster, brokerId);
}

void EmbeddedCluster::setBrokerUp(std::int32_t brokerId)
{
    rd_kafka_mock_broker_set_up(m_cluster, brokerId);
}

void EmbeddedCluster::setBrokerRoundTripTime(std::int32_t brokerId, int milliseconds)
{
    rd_kafka_mock_broker_set_rtt(m_cluster, brokerId, milliseconds);
}

void EmbeddedCluster::pushRequestErrors(std::int16_t apiKey, int count, rd_kafka_resp_err_t error)
{
    std::vector<rd_kafka_resp_err_t> errors(static_cast<std::size_t>(count), error);
    rd_kafka_mock_push_request_errors_array(m_cluster, apiKey, errors.size(), errors.data());
}

} // namespace eventscope::kafka
