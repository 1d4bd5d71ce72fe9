#include "kafka/livesession.h"

#include <QMetaObject>

namespace eventscope::kafka {

Result<std::unique_ptr<LiveSession>> LiveSession::start(const IngestOptions &ingest,
                                                        const std::string &capturePath,
                                                        const std::string &sourceDescription)
{
    std::unique_ptr<LiveSession> session(new LiveSession());
    session->m_path = capturePath;
    StoreWriterOptions options;
    options.sourceDescription = sourceDescription;
    // Coalesce commit announcements: one queued notification outstanding at a time.
    LiveSession *raw = session.get();
    options.onCommit = [raw](const CommitSummary &) {
        if (!raw->m_notifyPending.exchange(true))
            QMetaObject::invokeMethod(
                raw,
                [raw] {
                    raw->m_notifyPending = false;
                    Q_EMIT raw->dataCommitted();
                },
                Qt::QueuedConnection);
    };
    auto writer = StoreWriter::open(capturePath, options);
    if (!writer)
        return Result<std::unique_ptr<LiveSession>>::failure(writer.error());
    session->m_writer = std::move(*writer);
    QObject::connect(session->m_writer.get(), &StoreWriter::writeFailed, raw,
                     &LiveSession::writeFailed, Qt::QueuedConnection);
    // A console waits on what is new, not on throughput: a fetch with nothing to return waits
    // at most 100 ms (librdkafka's 500 ms default held new messages back that long on brokers
    // that answer a fetch at its deadline, as the embedded mock cluster does: live_bench's
    // produce-to-paint p99 went from 620-640 to 290 ms). The caller's -X still wins.
    IngestOptions consumerOptions = ingest;
    consumerOptions.properties.insert(consumerOptions.properties.begin(),
                                      {"fetch.wait.max.ms", "100"});
    auto consumer = KafkaIngest::start(consumerOptions, *session->m_writer);
    if (!consumer)
        return Result<std::unique_ptr<LiveSession>>::failure(consumer.error());
    session->m_ingest = std::move(*consumer);
    return session;
}

LiveSession::~LiveSession()
{
    stop();
}

Status LiveSession::startAlerting(alerting::LiveAlertingOptions options)
{
    if (!m_writer)
        return Status::failure("the live session has stopped");
    m_alerting.reset();
    auto alerting = alerting::LiveAlerting::start(*m_writer, std::move(options));
    if (!alerting)
        return Status::failure(alerting.error());
    m_alerting = std::move(*alerting);
    return {};
}

void LiveSession::stop()
{
    if (m_ingest) {
        m_ingest->stop();
        m_ingest.reset();
    }
    if (m_alerting) {
        m_alerting->stop();
        m_alerting.reset();
    }
    if (m_writer)
        m_writer->close();
}

IngestStats LiveSession::stats() const
{
    return m_ingest ? m_ingest->stats() : IngestStats{};
}

std::string LiveSession::lastError() const
{
    return m_ingest ? m_ingest->lastError() : std::string();
}

} // namespace eventscope::kafka
