#include "tracefetcher.h"

#include "store/capturereader.h"

#include <QElapsedTimer>

#include <algorithm>
#include <unordered_map>

namespace eventscope::ui {

namespace {
// Spans of a trace may start this long before or after the part of it the list saw.
constexpr TimeUs kTraceMargin = 10 * 60 * kMicrosPerSecond;

bool contains(const std::vector<std::string> &sorted, const std::string &value)
{
    return std::binary_search(sorted.begin(), sorted.end(), value);
}

void addSorted(std::vector<std::string> &sorted, const std::string &value)
{
    const auto at = std::lower_bound(sorted.begin(), sorted.end(), value);
    if (at == sorted.end() || *at != value)
        sorted.insert(at, value);
}
} // namespace

Result<std::unique_ptr<TraceFetcher>> TraceFetcher::open(const std::string &path)
{
    auto worker = CaptureWorker::open(path, QStringLiteral("traces"));
    if (!worker)
        return Result<std::unique_ptr<TraceFetcher>>::failure(worker.error());
    return std::unique_ptr<TraceFetcher>(new TraceFetcher(std::move(*worker)));
}

TraceFetcher::TraceFetcher(std::unique_ptr<CaptureWorker> worker)
    : m_worker(std::move(worker))
    , m_latestList(std::make_shared<std::atomic<quint64>>(0))
    , m_latestTrace(std::make_shared<std::atomic<quint64>>(0))
{
    static const bool registered = [] {
        qRegisterMetaType<TraceListResult>();
        qRegisterMetaType<TraceDetail>();
        return true;
    }();
    Q_UNUSED(registered);
}

TraceFetcher::~TraceFetcher()
{
    m_latestList->store(~quint64(0));
    m_latestTrace->store(~quint64(0));
    m_worker.reset();
}

quint64 TraceFetcher::requestList(TraceListRequest request)
{
    const quint64 generation = ++m_generation;
    m_latestList->store(generation);
    ++m_pending;
    std::sort(request.focusServices.begin(), request.focusServices.end());
    m_worker->post([this, latest = m_latestList, generation,
                    request = std::move(request)](CaptureReader &reader) {
        TraceListResult result;
        result.generation = generation;
        if (latest->load() == generation) {
            QElapsedTimer timer;
            timer.start();
            std::unordered_map<std::string, TraceSummary> traces;
            SpanQuery query;
            query.range = request.range;
            const Status read = reader.forEachSpan(query, [&](Span &&span) {
                if (latest->load() != generation)
                    return false;
                auto [it, added] = traces.try_emplace(span.traceId);
                TraceSummary &trace = it->second;
                if (added) {
                    trace.traceId = span.traceId;
                    trace.start = span.start;
                    trace.end = span.end;
                }
                // Spans come in start order: the first is the root, or the earliest seen.
                if (added || span.start < trace.start) {
                    trace.rootService = span.service;
                    trace.rootName = span.name;
                }
                trace.start = std::min(trace.start, span.start);
                trace.end = std::max(trace.end, span.end);
                ++trace.spans;
                if (span.status == SpanStatus::Error) {
                    if (trace.errors++ == 0) {
                        trace.errorService = span.service;
                        trace.errorName = span.name;
                    }
                }
                addSorted(trace.services, span.service);
                return true;
            });
            if (!read)
                result.error = QString::fromStdString(read.error());
            for (auto &[id, trace] : traces) {
                if (request.errorsOnly && trace.errors == 0)
                    continue;
                if (!request.service.empty() && !contains(trace.services, request.service))
                    continue;
                if (!request.focusServices.empty()
                    && std::none_of(trace.services.begin(), trace.services.end(),
                                    [&](const std::string &service) {
                                        return contains(request.focusServices, service);
                                    }))
                    continue;
                result.traces.push_back(std::move(trace));
            }
            result.matched = result.traces.size();
            std::sort(result.traces.begin(), result.traces.end(),
                      [](const TraceSummary &a, const TraceSummary &b) {
                          if ((a.errors > 0) != (b.errors > 0))
                              return a.errors > 0;
                          if (a.end - a.start != b.end - b.start)
                              return a.end - a.start > b.end - b.start;
                          return a.traceId < b.traceId;
                      });
            if (result.traces.size() > request.maxTraces)
                result.traces.resize(request.maxTraces);
            result.milliseconds = static_cast<double>(timer.nsecsElapsed()) / 1e6;
        }
        QMetaObject::invokeMethod(
            this,
            [this, latest, result = std::move(result)] {
                --m_pending;
                if (latest->load() == result.generation)
                    Q_EMIT listReady(result);
            },
            Qt::QueuedConnection);
    });
    return generation;
}

quint64 TraceFetcher::requestTrace(const std::string &traceId, TimeRange around)
{
    const quint64 generation = ++m_generation;
    m_latestTrace->store(generation);
    ++m_pending;
    m_worker->post(
        [this, latest = m_latestTrace, generation, traceId, around](CaptureReader &reader) {
            TraceDetail detail;
            detail.generation = generation;
            detail.traceId = traceId;
            if (latest->load() == generation) {
                QElapsedTimer timer;
                timer.start();
                const TimeRange range{around.begin - kTraceMargin, around.end + kTraceMargin};
                SpanQuery spans;
                spans.range = range;
                spans.traceId = traceId;
                auto found = reader.spans(spans);
                if (!found) {
                    detail.error = QString::fromStdString(found.error());
                } else {
                    detail.tree
                        = std::make_shared<const TraceTree>(TraceTree::build(std::move(*found)));
                    LogQuery logs;
                    logs.range = range;
                    logs.traceId = traceId;
                    auto records = reader.logs(logs);
                    if (records)
                        detail.logs = std::move(*records);
                    else
                        detail.error = QString::fromStdString(records.error());
                }
                detail.milliseconds = static_cast<double>(timer.nsecsElapsed()) / 1e6;
            }
            QMetaObject::invokeMethod(
                this,
                [this, latest, detail = std::move(detail)] {
                    --m_pending;
                    if (latest->load() == detail.generation)
                        Q_EMIT traceReady(detail);
                },
                Qt::QueuedConnection);
        });
    return generation;
}

} // namespace eventscope::ui
