#include "sim/messagesink.h"

#include "kafka/kafkaproducer.h"
#include "util/jsonwriter.h"

#include <cerrno>
#include <cstring>
#include <thread>

namespace eventscope::sim {

Result<std::unique_ptr<KafkaSink>>
KafkaSink::create(const std::string &bootstrapServers,
                  std::vector<std::pair<std::string, std::string>> properties)
{
    auto producer = kafka::KafkaProducer::create(bootstrapServers, std::move(properties));
    if (!producer)
        return Result<std::unique_ptr<KafkaSink>>::failure(producer.error());
    return std::unique_ptr<KafkaSink>(new KafkaSink(std::move(*producer)));
}

KafkaSink::KafkaSink(std::unique_ptr<kafka::KafkaProducer> producer)
    : m_producer(std::move(producer))
{ }

KafkaSink::~KafkaSink() = default;

Status KafkaSink::write(const OutgoingMessage &message)
{
    return m_producer->produce(message.topic, message.key, message.value, message.headers);
}

Status KafkaSink::finish()
{
    return m_producer->flush();
}

Result<std::unique_ptr<NdjsonSink>> NdjsonSink::create(const std::string &path)
{
    std::FILE *file = path == "-" ? stdout : std::fopen(path.c_str(), "wb");
    if (!file)
        return Result<std::unique_ptr<NdjsonSink>>::failure(path + ": " + std::strerror(errno));
    return std::unique_ptr<NdjsonSink>(new NdjsonSink(file, path));
}

NdjsonSink::NdjsonSink(std::FILE *file, std::string path)
    : m_file(file)
    , m_path(std::move(path))
{ }

NdjsonSink::~NdjsonSink()
{
    if (m_file && m_file != stdout)
        std::fclose(m_file);
}

std::string NdjsonSink::toLines(const OutgoingMessage &message)
{
    const std::string *contentType = nullptr;
    bool binaryCloudEvent = false;
    for (const auto &[name, value] : message.headers) {
        if (name == "ce_specversion")
            binaryCloudEvent = true;
        if (name == "content-type")
            contentType = &value;
    }
    if (!binaryCloudEvent)
        return message.value; // Influx values already hold one point per line
    std::string out = "{";
    for (const auto &[name, value] : message.headers) {
        if (!name.starts_with("ce_"))
            continue;
        if (out.size() > 1)
            out += ',';
        json::appendString(out, std::string_view(name).substr(3));
        out += ':';
        json::appendString(out, value);
    }
    if (contentType) {
        out += ",\"datacontenttype\":";
        json::appendString(out, *contentType);
    }
    out += ",\"data\":";
    out += message.value;
    out += '}';
    return out;
}

Status NdjsonSink::write(const OutgoingMessage &message)
{
    const std::string lines = toLines(message);
    if (std::fwrite(lines.data(), 1, lines.size(), m_file) != lines.size()
        || std::fputc('\n', m_file) == EOF)
        return Status::failure(m_path + ": " + std::strerror(errno));
    return {};
}

Status NdjsonSink::finish()
{
    if (std::fflush(m_file) != 0)
        return Status::failure(m_path + ": " + std::strerror(errno));
    return {};
}

Status runSimulation(Simulator &simulator, MessageSink &sink, const RunOptions &options)
{
    using Clock = std::chrono::steady_clock;
    const auto wallStart = Clock::now();
    const TimeUs simStart = options.liveFrom != 0 ? options.liveFrom : simulator.now();
    auto lastProgress = wallStart;
    RunProgress progress;
    std::vector<OutgoingMessage> messages;
    auto stopped = [&options] { return options.stop && options.stop->load(); };
    while (!stopped() && simulator.next(messages)) {
        for (const OutgoingMessage &message : messages) {
            if (options.speed > 0 && message.time > simStart) {
                const auto due = wallStart
                    + std::chrono::microseconds(static_cast<std::int64_t>(
                        static_cast<double>(message.time - simStart) / options.speed));
                while (!stopped() && Clock::now() < due)
                    std::this_thread::sleep_for(std::min<Clock::duration>(
                        due - Clock::now(), std::chrono::milliseconds(100)));
                if (stopped())
                    break;
            }
            if (Status status = sink.write(message); !status)
                return status;
            ++progress.messages;
        }
        messages.clear();
        progress.simulatedTime = simulator.now();
        progress.incidents = simulator.truth().incidents.size();
        if (options.progress && Clock::now() - lastProgress >= std::chrono::seconds(1)) {
            lastProgress = Clock::now();
            options.progress(progress);
        }
    }
    if (options.progress)
        options.progress(progress);
    return sink.finish();
}

} // namespace eventscope::sim
