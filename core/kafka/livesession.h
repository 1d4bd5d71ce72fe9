#pragma once

#include "alerting/livealerting.h"
#include "kafka/kafkaingest.h"
#include "store/storewriter.h"
#include "util/result.h"

#include <QObject>

#include <atomic>
#include <memory>
#include <string>

namespace eventscope::kafka {

// Live ingest into a capture for the console: a StoreWriter plus a KafkaIngest feeding it.
// Announces commits on the thread that owns it (queued), at most every `notifyInterval`, so a
// view can re-read the ranges that changed without repainting per batch.
class LiveSession : public QObject
{
    Q_OBJECT

public:
    static Result<std::unique_ptr<LiveSession>> start(const IngestOptions &ingest,
                                                      const std::string &capturePath,
                                                      const std::string &sourceDescription);
    ~LiveSession() override;

    IngestStats stats() const;
    std::string lastError() const;
    const std::string &capturePath() const { return m_path; }
    // Runs alert rules on the capture as it is written, and delivers what they raise
    // (LiveAlerting). Stopped with the session, after the ingest and before the writer.
    Status startAlerting(alerting::LiveAlertingOptions options);
    // Stops consuming and commits what was consumed. Idempotent.
    void stop();

Q_SIGNALS:
    void dataCommitted();
    void writeFailed(const QString &message);

private:
    LiveSession() = default;

    std::string m_path;
    std::unique_ptr<StoreWriter> m_writer;
    std::unique_ptr<KafkaIngest> m_ingest;
    std::unique_ptr<alerting::LiveAlerting> m_alerting;
    std::atomic<bool> m_notifyPending{false};
};

} // namespace eventscope::kafka
