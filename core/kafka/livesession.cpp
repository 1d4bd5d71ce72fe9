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
    auto consumer = KafkaIngest::start(ingest, *session->m_writer);
    if (!consumer)
        return Result<std::unique_ptr<LiveSession>>::failure(consumer.error());
    session->m_ingest = std::move(*consumer);
    return session;
}

LiveSession::~LiveSession()
{
    stop();
}

void LiveSession::stop()
{
    if (m_ingest) {
        m_ingest->stop();
        m_ingest.reset();
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
