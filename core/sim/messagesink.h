#pragma once

#include "sim/simulator.h"
#include "sim/wireencoder.h"
#include "util/result.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>

namespace eventscope::kafka {
class KafkaProducer;
}

namespace eventscope::sim {

// Where simulated messages go: a Kafka cluster, or an NDJSON file for runs without a broker.
class MessageSink
{
public:
    virtual ~MessageSink() = default;
    virtual Status write(const OutgoingMessage &message) = 0;
    // Makes everything written durable (delivered, or flushed to disk).
    virtual Status finish() = 0;
};

// Produces to Kafka, keyed, to the message's topic.
class KafkaSink : public MessageSink
{
public:
    static Result<std::unique_ptr<KafkaSink>>
    create(const std::string &bootstrapServers,
           std::vector<std::pair<std::string, std::string>> properties = {});
    ~KafkaSink() override;
    Status write(const OutgoingMessage &message) override;
    Status finish() override;

private:
    explicit KafkaSink(std::unique_ptr<kafka::KafkaProducer> producer);
    std::unique_ptr<kafka::KafkaProducer> m_producer;
};

// One message per line, as `eventscope import` reads them. NDJSON has no headers, so binary
// CloudEvents are written in structured mode, and Influx messages one line per point.
class NdjsonSink : public MessageSink
{
public:
    // "-" writes to stdout.
    static Result<std::unique_ptr<NdjsonSink>> create(const std::string &path);
    ~NdjsonSink() override;
    Status write(const OutgoingMessage &message) override;
    Status finish() override;

    // The line(s) for one message, without the final newline.
    static std::string toLines(const OutgoingMessage &message);

private:
    NdjsonSink(std::FILE *file, std::string path);
    std::FILE *m_file;
    std::string m_path;
};

struct RunProgress
{
    std::int64_t messages = 0;
    TimeUs simulatedTime = 0;
    std::size_t incidents = 0;
};

struct RunOptions
{
    // Simulated seconds per wall-clock second; 0 runs as fast as the sink takes messages.
    double speed = 1.0;
    // When set, messages before this simulated time go out at once (history), and pacing
    // starts there: with speed 1 and liveFrom = now, message times follow the wall clock.
    TimeUs liveFrom = 0;
    const std::atomic<bool> *stop = nullptr;
    std::function<void(const RunProgress &)> progress; // called about once a second
};

// Feeds the simulator's messages to the sink, paced by `speed`, until the simulation ends or
// `stop` is set; then finishes the sink.
Status runSimulation(Simulator &simulator, MessageSink &sink, const RunOptions &options);

} // namespace eventscope::sim
