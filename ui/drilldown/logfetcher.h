#pragma once

#include "captureworker.h"
#include "model/timerange.h"
#include "models/logtablemodel.h"
#include "util/result.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

namespace eventscope::ui {

// Which log records the logs panel shows.
struct LogRequest
{
    TimeRange range{0, 0};
    Severity minLevel = Severity::Debug;
    std::string text; // case-insensitive, in the message, service or entity
    std::string service; // exactly this service; empty: any
    // An incident's focus: records of any of these services or entities, or of these traces
    // (all empty: no focus).
    std::vector<std::string> focusServices;
    std::vector<std::string> focusEntities;
    std::vector<std::string> focusTraces;
    // Rows kept; later matches are counted, not kept.
    std::size_t maxRows = 200'000;
};

struct LogFetchSummary
{
    quint64 generation = 0;
    std::size_t matched = 0; // in the range and filters
    std::size_t kept = 0; // delivered in batches: the first `kept` of them in time order
    double milliseconds = 0;
    QString error;
};

// Reads log records off the GUI thread: a worker with its own reader of the capture streams the
// matches of a request in time order, in batches (the first small, so the panel shows rows at
// once). A newer request stops an older one between records; its batches stop arriving.
// Lives on the GUI thread.
class LogFetcher : public QObject
{
    Q_OBJECT

public:
    static Result<std::unique_ptr<LogFetcher>> open(const std::string &path);
    ~LogFetcher() override;

    quint64 request(LogRequest request);
    bool isBusy() const { return m_pending > 0; }

Q_SIGNALS:
    void batchReady(quint64 generation, std::shared_ptr<const eventscope::ui::LogRows> rows);
    void finished(const eventscope::ui::LogFetchSummary &summary);

private:
    explicit LogFetcher(std::unique_ptr<CaptureWorker> worker);

    std::unique_ptr<CaptureWorker> m_worker;
    std::shared_ptr<std::atomic<quint64>> m_latest;
    quint64 m_generation = 0;
    int m_pending = 0;
};

} // namespace eventscope::ui

Q_DECLARE_METATYPE(eventscope::ui::LogFetchSummary)
