#include "kafka/clusterprobe.h"

#include "kafka/kafkahandles.h"

#include <algorithm>
#include <mutex>
#include <optional>
#include <regex>

namespace eventscope::kafka {

namespace {

// The first error librdkafka reported while connecting: its callbacks run on its threads.
struct ErrorSink
{
    std::mutex mutex;
    rd_kafka_resp_err_t error = RD_KAFKA_RESP_ERR_NO_ERROR;
    std::string reason;
    std::vector<std::string> secrets;

    void note(rd_kafka_resp_err_t code, std::string text)
    {
        std::lock_guard lock(mutex);
        // Authentication and TLS failures say more than the transport errors that follow them.
        const bool specific = code == RD_KAFKA_RESP_ERR__AUTHENTICATION
            || code == RD_KAFKA_RESP_ERR__SSL
            || code == RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED;
        const bool haveSpecific = error == RD_KAFKA_RESP_ERR__AUTHENTICATION
            || error == RD_KAFKA_RESP_ERR__SSL
            || error == RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED;
        if (error != RD_KAFKA_RESP_ERR_NO_ERROR && (haveSpecific || !specific))
            return;
        for (const std::string &secret : secrets) {
            if (secret.empty())
                continue;
            for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at))
                text.replace(at, secret.size(), "***");
        }
        error = code;
        reason = std::move(text);
    }
};

void errorCallback(rd_kafka_t *, int error, const char *reason, void *opaque)
{
    static_cast<ErrorSink *>(opaque)->note(static_cast<rd_kafka_resp_err_t>(error), reason);
}

void quietLog(const rd_kafka_t *, int, const char *, const char *) { }

std::string describeFailure(const IngestOptions &options, rd_kafka_resp_err_t error,
                            const std::string &reason)
{
    const std::string where = options.bootstrapServers;
    switch (error) {
    case RD_KAFKA_RESP_ERR__AUTHENTICATION:
    case RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED:
        return "authentication failed at " + where + ": " + reason;
    case RD_KAFKA_RESP_ERR__SSL: return "TLS failed with " + where + ": " + reason;
    case RD_KAFKA_RESP_ERR__RESOLVE: return "cannot resolve " + where + ": " + reason;
    default:
        if (reason.empty())
            return "no broker answered at " + where;
        return "unreachable: no broker answered at " + where + " (" + reason + ")";
    }
}

} // namespace

Result<ClusterProbe> probeCluster(const IngestOptions &options, std::chrono::milliseconds timeout)
{
    if (options.bootstrapServers.empty())
        return Result<ClusterProbe>::failure("no bootstrap servers given");
    ErrorSink sink;
    char error[512];
    ConfHandle conf(rd_kafka_conf_new());
    const auto set = [&](const std::string &key, const std::string &value) -> std::string {
        if (rd_kafka_conf_set(conf.get(), key.c_str(), value.c_str(), error, sizeof error)
            != RD_KAFKA_CONF_OK)
            return "property " + key + ": " + error;
        return {};
    };
    for (const auto &[key, value] : std::vector<std::pair<std::string, std::string>>{
             {"bootstrap.servers", options.bootstrapServers},
             {"socket.timeout.ms", std::to_string(std::max<std::int64_t>(timeout.count(), 10))},
             {"reconnect.backoff.max.ms", "1000"},
         }) {
        if (std::string failed = set(key, value); !failed.empty())
            return Result<ClusterProbe>::failure(failed);
    }
    for (const auto &[key, value] : options.properties) {
        if (isSecretProperty(key))
            sink.secrets.push_back(value);
        if (std::string failed = set(key, value); !failed.empty())
            return Result<ClusterProbe>::failure(failed);
    }
    rd_kafka_conf_set_opaque(conf.get(), &sink);
    rd_kafka_conf_set_error_cb(conf.get(), errorCallback);
    rd_kafka_conf_set_log_cb(conf.get(), quietLog);
    KafkaHandle handle(rd_kafka_new(RD_KAFKA_PRODUCER, conf.release(), error, sizeof error));
    if (!handle)
        return Result<ClusterProbe>::failure(std::string("cannot create a Kafka client: ") + error);

    const rd_kafka_metadata_t *metadata = nullptr;
    const rd_kafka_resp_err_t err
        = rd_kafka_metadata(handle.get(), 1, nullptr, &metadata, static_cast<int>(timeout.count()));
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR || !metadata) {
        std::lock_guard lock(sink.mutex);
        return Result<ClusterProbe>::failure(
            describeFailure(options, sink.error != RD_KAFKA_RESP_ERR_NO_ERROR ? sink.error : err,
                            sink.reason.empty() ? rd_kafka_err2str(err) : sink.reason));
    }
    std::unique_ptr<const rd_kafka_metadata_t, void (*)(const rd_kafka_metadata_t *)> owned(
        metadata, rd_kafka_metadata_destroy);
    ClusterProbe probe;
    for (int i = 0; i < metadata->broker_cnt; ++i)
        probe.brokers.push_back({metadata->brokers[i].id,
                                 std::string(metadata->brokers[i].host) + ":"
                                     + std::to_string(metadata->brokers[i].port)});
    std::sort(probe.brokers.begin(), probe.brokers.end(),
              [](const auto &a, const auto &b) { return a.id < b.id; });
    const bool byRegex = options.topics.size() == 1 && options.topics.front().starts_with('^');
    std::optional<std::regex> pattern;
    if (byRegex) {
        try {
            pattern.emplace(options.topics.front());
        } catch (const std::regex_error &e) {
            return Result<ClusterProbe>::failure("topic pattern " + options.topics.front() + ": "
                                                 + e.what());
        }
    }
    for (int i = 0; i < metadata->topic_cnt; ++i) {
        const rd_kafka_metadata_topic_t &topic = metadata->topics[i];
        if (topic.err != RD_KAFKA_RESP_ERR_NO_ERROR)
            continue;
        const std::string name = topic.topic;
        const bool wanted = byRegex
            ? std::regex_search(name, *pattern)
            : std::find(options.topics.begin(), options.topics.end(), name) != options.topics.end();
        if (wanted)
            probe.topics.push_back({name, topic.partition_cnt});
    }
    std::sort(probe.topics.begin(), probe.topics.end(),
              [](const auto &a, const auto &b) { return a.name < b.name; });
    if (!byRegex) {
        for (const std::string &name : options.topics) {
            if (std::none_of(probe.topics.begin(), probe.topics.end(),
                             [&](const auto &t) { return t.name == name; }))
                probe.missingTopics.push_back(name);
        }
    }
    return probe;
}

} // namespace eventscope::kafka
