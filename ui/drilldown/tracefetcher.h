#pragma once

#include "captureworker.h"
#include "models/tracetree.h"

#include "model/logrecord.h"
#include "model/timerange.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

namespace eventscope::ui {

// One trace as the traces list shows it, from its spans in the range read.
struct TraceSummary
{
    std::string traceId;
    std::string rootService; // of the earliest span
    std::string rootName;
    TimeUs start = 0;
    TimeUs end = 0;
    int spans = 0;
    int errors = 0;
    std::string errorService; // of the first failing span
    std::string errorName;
    std::vector<std::string> services; // sorted
};

struct TraceListRequest
{
    TimeRange range{0, 0};
    std::string service; // traces through this service; empty: any
    std::vector<std::string> focusServices; // traces through any of these; empty: any
    bool errorsOnly = false;
    std::size_t maxTraces = 2'000;
};

struct TraceListResult
{
    quint64 generation = 0;
    std::vector<TraceSummary> traces; // failing first, then the longest first
    std::size_t matched = 0; // before maxTraces
    double milliseconds = 0;
    QString error;
};

struct TraceDetail
{
    quint64 generation = 0;
    std::string traceId;
    std::shared_ptr<const TraceTree> tree;
    std::vector<LogRecord> logs; // of the trace, in time order
    double milliseconds = 0;
    QString error;
};

// Reads traces off the GUI thread: the list of a range (grouped from its spans), and one trace
// whole with its logs. Each kind of request supersedes the previous one of its kind.
// Lives on the GUI thread.
class TraceFetcher : public QObject
{
    Q_OBJECT

public:
    static Result<std::unique_ptr<TraceFetcher>> open(const std::string &path);
    ~TraceFetcher() override;

    quint64 requestList(TraceListRequest request);
    // The spans of a trace lie near `around` (the part of it seen in the list).
    quint64 requestTrace(const std::string &traceId, TimeRange around);
    bool isBusy() const { return m_pending > 0; }

Q_SIGNALS:
    void listReady(const eventscope::ui::TraceListResult &result);
    void traceReady(const eventscope::ui::TraceDetail &detail);

private:
    explicit TraceFetcher(std::unique_ptr<CaptureWorker> worker);

    std::unique_ptr<CaptureWorker> m_worker;
    std::shared_ptr<std::atomic<quint64>> m_latestList;
    std::shared_ptr<std::atomic<quint64>> m_latestTrace;
    quint64 m_generation = 0;
    int m_pending = 0;
};

} // namespace eventscope::ui

Q_DECLARE_METATYPE(eventscope::ui::TraceListResult)
Q_DECLARE_METATYPE(eventscope::ui::TraceDetail)
