#include "kafka/kafkaproducer.h"

#include <thread>

namespace eventscope::kafka {

Result<std::unique_ptr<KafkaProducer>>
KafkaProducer::create(const std::string &bootstrapServers,
                      std::vector<std::pair<std::string, std::string>> properties)
{
    using Failure = Result<std::unique_ptr<KafkaProducer>>;
    ConfHandle conf(rd_kafka_conf_new());
    char error[512];
    properties.insert(properties.begin(),
                      {{"bootstrap.servers", bootstrapServers},
                       {"linger.ms", "5"},
                       {"enable.idempotence", "true"}, // no duplicates on retries
                       {"queue.buffering.max.messages", "200000"}});
    for (const auto &[key, value] : properties) {
        if (rd_kafka_conf_set(conf.get(), key.c_str(), value.c_str(), error, sizeof error)
            != RD_KAFKA_CONF_OK)
            return Failure::failure("Kafka property " + key + ": " + error);
    }
    rd_kafka_conf_set_dr_msg_cb(conf.get(), deliveryCallback);
    KafkaHandle handle(rd_kafka_new(RD_KAFKA_PRODUCER, conf.release(), error, sizeof error));
    if (!handle)
        return Failure::failure(std::string("cannot create the Kafka producer: ") + error);
    return std::unique_ptr<KafkaProducer>(new KafkaProducer(std::move(handle)));
}

KafkaProducer::KafkaProducer(KafkaHandle handle)
    : m_handle(std::move(handle))
{ }

void KafkaProducer::deliveryCallback(rd_kafka_t *, const rd_kafka_message_t *message, void *)
{
    auto *self = static_cast<KafkaProducer *>(message->_private);
    if (message->err) {
        if (self->m_failed++ == 0)
            self->m_firstFailure = rd_kafka_err2str(message->err);
    } else {
        ++self->m_delivered;
    }
}

Status KafkaProducer::produce(const std::string &topic, std::string_view key,
                              std::string_view value,
                              const std::vector<std::pair<std::string, std::string>> &headers)
{
    for (;;) {
        rd_kafka_headers_t *kafkaHeaders = nullptr;
        if (!headers.empty()) {
            kafkaHeaders = rd_kafka_headers_new(headers.size());
            for (const auto &[name, headerValue] : headers)
                rd_kafka_header_add(kafkaHeaders, name.data(), static_cast<ssize_t>(name.size()),
                                    headerValue.data(), static_cast<ssize_t>(headerValue.size()));
        }
        // rd_kafka_produceva, not the RD_KAFKA_V_* macros: those use GNU statement expressions.
        rd_kafka_vu_t args[6];
        args[0].vtype = RD_KAFKA_VTYPE_TOPIC;
        args[0].u.cstr = topic.c_str();
        args[1].vtype = RD_KAFKA_VTYPE_KEY;
        args[1].u.mem.ptr = const_cast<char *>(key.data());
        args[1].u.mem.size = key.size();
        args[2].vtype = RD_KAFKA_VTYPE_VALUE;
        args[2].u.mem.ptr = const_cast<char *>(value.data());
        args[2].u.mem.size = value.size();
        args[3].vtype = RD_KAFKA_VTYPE_MSGFLAGS;
        args[3].u.i = RD_KAFKA_MSG_F_COPY;
        args[4].vtype = RD_KAFKA_VTYPE_OPAQUE;
        args[4].u.ptr = this;
        args[5].vtype = RD_KAFKA_VTYPE_HEADERS;
        args[5].u.headers = kafkaHeaders;
        rd_kafka_error_t *produceError
            = rd_kafka_produceva(m_handle.get(), args, kafkaHeaders ? 6 : 5);
        const rd_kafka_resp_err_t error
            = produceError ? rd_kafka_error_code(produceError) : RD_KAFKA_RESP_ERR_NO_ERROR;
        if (produceError)
            rd_kafka_error_destroy(produceError);
        if (error == RD_KAFKA_RESP_ERR_NO_ERROR)
            break;
        if (kafkaHeaders)
            rd_kafka_headers_destroy(kafkaHeaders); // not taken over on failure
        if (error != RD_KAFKA_RESP_ERR__QUEUE_FULL)
            return Status::failure("produce to " + topic + ": " + rd_kafka_err2str(error));
        rd_kafka_poll(m_handle.get(), 50); // serve deliveries until there is room
    }
    rd_kafka_poll(m_handle.get(), 0);
    return {};
}

Status KafkaProducer::flush(std::chrono::milliseconds timeout)
{
    const rd_kafka_resp_err_t error
        = rd_kafka_flush(m_handle.get(), static_cast<int>(timeout.count()));
    if (error != RD_KAFKA_RESP_ERR_NO_ERROR)
        return Status::failure(std::string("flush: ") + rd_kafka_err2str(error) + " ("
                               + std::to_string(rd_kafka_outq_len(m_handle.get()))
                               + " messages undelivered)");
    if (m_failed > 0)
        return Status::failure(std::to_string(m_failed.load())
                               + " messages failed, first: " + m_firstFailure);
    return {};
}

} // namespace eventscope::kafka
