#include "logfetcher.h"

#include "store/capturereader.h"

#include <QElapsedTimer>

#include <algorithm>

namespace eventscope::ui {

namespace {
constexpr std::size_t kFirstBatch = 1'000;
constexpr std::size_t kBatch = 50'000;
constexpr qint64 kBatchMilliseconds = 150;

bool contains(const std::vector<std::string> &sorted, const std::string &value)
{
    return std::binary_search(sorted.begin(), sorted.end(), value);
}
} // namespace

Result<std::unique_ptr<LogFetcher>> LogFetcher::open(const std::string &path)
{
    auto worker = CaptureWorker::open(path, QStringLiteral("logs"));
    if (!worker)
        return Result<std::unique_ptr<LogFetcher>>::failure(worker.error());
    return std::unique_ptr<LogFetcher>(new LogFetcher(std::move(*worker)));
}

LogFetcher::LogFetcher(std::unique_ptr<CaptureWorker> worker)
    : m_worker(std::move(worker))
    , m_latest(std::make_shared<std::atomic<quint64>>(0))
{
    static const bool registered = [] {
        qRegisterMetaType<LogFetchSummary>();
        qRegisterMetaType<std::shared_ptr<const LogRows>>();
        return true;
    }();
    Q_UNUSED(registered);
}

LogFetcher::~LogFetcher()
{
    m_latest->store(~quint64(0)); // the running fetch stops at its next record
    m_worker.reset();
}

quint64 LogFetcher::request(LogRequest request)
{
    const quint64 generation = ++m_generation;
    m_latest->store(generation);
    ++m_pending;
    std::sort(request.focusServices.begin(), request.focusServices.end());
    std::sort(request.focusEntities.begin(), request.focusEntities.end());
    std::sort(request.focusTraces.begin(), request.focusTraces.end());
    m_worker->post(
        [this, latest = m_latest, generation, request = std::move(request)](CaptureReader &reader) {
            LogFetchSummary summary;
            summary.generation = generation;
            const auto deliver = [this, latest, generation](std::shared_ptr<LogRows> rows) {
                QMetaObject::invokeMethod(
                    this,
                    [this, latest, generation, rows = std::move(rows)] {
                        if (latest->load() == generation)
                            Q_EMIT batchReady(generation, rows);
                    },
                    Qt::QueuedConnection);
            };
            if (latest->load() == generation) {
                QElapsedTimer timer;
                timer.start();
                LogQuery query;
                query.range = request.range;
                query.minLevel = request.minLevel;
                query.service = request.service;
                query.text = request.text;
                const bool focused = !request.focusServices.empty()
                    || !request.focusEntities.empty() || !request.focusTraces.empty();
                auto rows = std::make_shared<LogRows>();
                std::size_t batchLimit = kFirstBatch;
                qint64 lastDelivery = 0;
                const Status read = reader.forEachLog(query, [&](LogRecord &&record) {
                    if (latest->load() != generation)
                        return false;
                    if (focused && !contains(request.focusServices, record.service)
                        && !contains(request.focusEntities, record.entity)
                        && !contains(request.focusTraces, record.traceId))
                        return true;
                    ++summary.matched;
                    if (summary.kept >= request.maxRows)
                        return true;
                    rows->append(record);
                    ++summary.kept;
                    if (rows->size() >= batchLimit
                        || (rows->size() >= kFirstBatch
                            && timer.elapsed() - lastDelivery >= kBatchMilliseconds)) {
                        deliver(std::move(rows));
                        rows = std::make_shared<LogRows>();
                        batchLimit = kBatch;
                        lastDelivery = timer.elapsed();
                    }
                    return true;
                });
                if (!rows->empty())
                    deliver(std::move(rows));
                if (!read)
                    summary.error = QString::fromStdString(read.error());
                summary.milliseconds = static_cast<double>(timer.nsecsElapsed()) / 1e6;
            }
            QMetaObject::invokeMethod(
                this,
                [this, latest, summary] {
                    --m_pending;
                    if (latest->load() == summary.generation)
                        Q_EMIT finished(summary);
                },
                Qt::QueuedConnection);
        });
    return generation;
}

} // namespace eventscope::ui
