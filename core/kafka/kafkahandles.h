#pragma once

// RAII owners for librdkafka C handles; no naked rd_kafka_*_destroy in code paths.

#include <librdkafka/rdkafka.h>

#include <memory>

namespace eventscope::kafka {

struct KafkaDeleter
{
    void operator()(rd_kafka_t *handle) const { rd_kafka_destroy(handle); }
};
struct ConfDeleter
{
    void operator()(rd_kafka_conf_t *conf) const { rd_kafka_conf_destroy(conf); }
};
struct TopicPartitionListDeleter
{
    void operator()(rd_kafka_topic_partition_list_t *list) const
    {
        rd_kafka_topic_partition_list_destroy(list);
    }
};

using KafkaHandle = std::unique_ptr<rd_kafka_t, KafkaDeleter>;
using ConfHandle = std::unique_ptr<rd_kafka_conf_t, ConfDeleter>;
using TopicPartitionList
    = std::unique_ptr<rd_kafka_topic_partition_list_t, TopicPartitionListDeleter>;

} // namespace eventscope::kafka
