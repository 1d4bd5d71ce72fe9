#include "timelinefetcher.h"

#include "store/capturereader.h"

#include <QMetaObject>

#include <algorithm>

namespace eventscope::ui {

class TimelineFetcher::Worker : public QObject
{
public:
    explicit Worker(std::unique_ptr<CaptureReader> reader)
        : m_reader(std::move(reader))
        , m_events(std::make_shared<const std::vector<Event>>())
    { }

    LodResult fetchLod(quint64 generation, TimeRange range, int columns,
                       const std::vector<std::int64_t> &seriesIds)
    {
        LodResult result;
        result.generation = generation;
        result.range = range;
        result.columns = columns;
        for (const std::int64_t id : seriesIds) {
            auto buckets = m_reader->levelOfDetail(id, range, columns);
            if (!buckets) {
                result.error = QString::fromStdString(buckets.error());
                break;
            }
            result.series.push_back({id, std::move(*buckets)});
        }
        return result;
    }

    CaptureSnapshot refresh()
    {
        CaptureSnapshot snapshot;
        auto info = m_reader->info();
        if (!info) {
            snapshot.error = QString::fromStdString(info.error());
            return snapshot;
        }
        snapshot.info = std::move(*info);
        if (!m_sentView) {
            // The view saved in the capture; a damaged one is reported and not applied.
            auto view = m_reader->savedView();
            if (view)
                snapshot.savedView = std::move(*view);
            else
                snapshot.viewError = QString::fromStdString(view.error());
            m_sentView = true;
        }
        // Alert deliveries that need the operator's eye (delivered ones are not read).
        if (auto deliveries = m_reader->alertDeliveries(true)) {
            for (const AlertDelivery &d : *deliveries) {
                snapshot.deliveriesFailed += d.state == AlertDelivery::State::Failed ? 1 : 0;
                snapshot.deliveriesPending += d.state == AlertDelivery::State::Pending ? 1 : 0;
            }
        }
        if (snapshot.info.series != m_seriesCount) {
            auto series = m_reader->series();
            if (!series) {
                snapshot.error = QString::fromStdString(series.error());
                return snapshot;
            }
            m_seriesCount = snapshot.info.series;
            snapshot.series = std::move(*series);
        }
        std::vector<Event> added;
        const Status read = m_reader->forEachEventCommittedAfter(
            m_cursor, [&added](Event &&event) { added.push_back(std::move(event)); });
        if (!read) {
            snapshot.error = QString::fromStdString(read.error());
            return snapshot;
        }
        const bool newEvents = !added.empty() || !m_sentEvents;
        if (newEvents) {
            // A new list each time: the GUI and jobs keep reading the old one meanwhile.
            const auto byTime = [](const Event &a, const Event &b) { return a.time < b.time; };
            std::stable_sort(added.begin(), added.end(), byTime);
            auto merged = std::make_shared<std::vector<Event>>();
            merged->reserve(m_events->size() + added.size());
            std::merge(m_events->begin(), m_events->end(), std::make_move_iterator(added.begin()),
                       std::make_move_iterator(added.end()), std::back_inserter(*merged), byTime);
            snapshot.eventsAdded = added.size();
            m_events = std::move(merged);
            snapshot.events = m_events;
            m_sentEvents = true;
        }
        // New events, or new recoveries to pair them with: the spans again. Recoveries alone
        // send the spans without the events (the same list: nothing to re-read).
        if (newEvents || m_spansStale) {
            m_spansStale = false;
            const TimeUs dataEnd = snapshot.info.span.isEmpty() ? 0 : snapshot.info.span.end;
            snapshot.spans = std::make_shared<const std::vector<EventSpan>>(
                mergeOverlappingSpans(pairEventSpans(*m_events, dataEnd, m_recoveries.get())));
        }
        return snapshot;
    }

    void setKnownRecoveries(std::shared_ptr<const KnownRecoveries> recoveries)
    {
        m_recoveries = std::move(recoveries);
        m_spansStale = true;
    }

private:
    std::unique_ptr<CaptureReader> m_reader;
    std::shared_ptr<const KnownRecoveries> m_recoveries;
    bool m_spansStale = false;
    EventList m_events;
    EventCursor m_cursor;
    std::int64_t m_seriesCount = -1;
    bool m_sentEvents = false;
    bool m_sentView = false;
};

Result<std::unique_ptr<TimelineFetcher>> TimelineFetcher::open(const std::string &path)
{
    auto lodReader = CaptureReader::open(path);
    if (!lodReader)
        return Result<std::unique_ptr<TimelineFetcher>>::failure(lodReader.error());
    auto eventReader = CaptureReader::open(path);
    if (!eventReader)
        return Result<std::unique_ptr<TimelineFetcher>>::failure(eventReader.error());
    return std::unique_ptr<TimelineFetcher>(
        new TimelineFetcher(path, std::move(*lodReader), std::move(*eventReader)));
}

TimelineFetcher::TimelineFetcher(std::string path, std::unique_ptr<CaptureReader> lodReader,
                                 std::unique_ptr<CaptureReader> eventReader)
    : m_path(std::move(path))
    , m_lodWorker(new Worker(std::move(lodReader)))
    , m_eventWorker(new Worker(std::move(eventReader)))
    , m_latestLod(std::make_shared<std::atomic<quint64>>(0))
    , m_latestColumns(std::make_shared<std::atomic<quint64>>(0))
    , m_refreshQueued(std::make_shared<std::atomic<bool>>(false))
{
    static const bool registered = [] {
        qRegisterMetaType<LodResult>();
        qRegisterMetaType<CaptureSnapshot>();
        qRegisterMetaType<EventColumnsResult>();
        return true;
    }();
    Q_UNUSED(registered);
    m_lodThread.setObjectName(QStringLiteral("timeline lod"));
    m_eventThread.setObjectName(QStringLiteral("timeline events"));
    for (auto [worker, thread] :
         {std::pair{m_lodWorker, &m_lodThread}, std::pair{m_eventWorker, &m_eventThread}}) {
        worker->moveToThread(thread);
        connect(thread, &QThread::finished, worker, &QObject::deleteLater);
        thread->start();
    }
}

TimelineFetcher::~TimelineFetcher()
{
    // Requests still queued are dropped: their results would have nowhere to go.
    m_latestLod->store(~quint64(0));
    m_latestColumns->store(~quint64(0));
    for (QThread *thread : {&m_lodThread, &m_eventThread}) {
        thread->quit();
        thread->wait();
    }
}

quint64 TimelineFetcher::requestLod(TimeRange range, int columns,
                                    std::vector<std::int64_t> seriesIds)
{
    const quint64 generation = ++m_generation;
    m_latestLod->store(generation);
    QMetaObject::invokeMethod(
        m_lodWorker,
        [this, worker = m_lodWorker, latest = m_latestLod, generation, range, columns,
         ids = std::move(seriesIds)] {
            if (latest->load() != generation)
                return; // a newer view was asked for before this one started
            LodResult result = worker->fetchLod(generation, range, columns, ids);
            if (latest->load() == generation)
                Q_EMIT lodReady(result);
        },
        Qt::QueuedConnection);
    return generation;
}

void TimelineFetcher::requestRefresh()
{
    // One refresh queued at a time: commits announced meanwhile are read by it.
    if (m_refreshQueued->exchange(true))
        return;
    QMetaObject::invokeMethod(
        m_eventWorker,
        [this, worker = m_eventWorker, queued = m_refreshQueued, latest = m_latestLod] {
            queued->store(false);
            if (latest->load() == ~quint64(0))
                return; // closing
            CaptureSnapshot snapshot = worker->refresh();
            Q_EMIT refreshed(snapshot);
        },
        Qt::QueuedConnection);
}

void TimelineFetcher::setKnownRecoveries(std::shared_ptr<const KnownRecoveries> recoveries)
{
    // Before the refresh it asks for, on the same worker: the refresh pairs with them.
    QMetaObject::invokeMethod(
        m_eventWorker,
        [worker = m_eventWorker, recoveries = std::move(recoveries)]() mutable {
            worker->setKnownRecoveries(std::move(recoveries));
        },
        Qt::QueuedConnection);
    requestRefresh();
}

quint64 TimelineFetcher::requestEventColumns(EventList events,
                                             std::shared_ptr<const std::vector<EventSpan>> spans,
                                             TimeRange range, int columns, LaneMode mode,
                                             EventFilter filter)
{
    const quint64 generation = ++m_generation;
    m_latestColumns->store(generation);
    QMetaObject::invokeMethod(
        m_eventWorker,
        [this, latest = m_latestColumns, generation, events = std::move(events),
         spans = std::move(spans), range, columns, mode, filter = std::move(filter)] {
            if (latest->load() != generation)
                return;
            EventColumnsResult result;
            result.generation = generation;
            result.columns = aggregateEventColumns(*events, range, columns, mode, filter);
            if (spans)
                result.columns.spanRuns = spanRunsFor(*spans, range, columns);
            if (latest->load() == generation)
                Q_EMIT eventColumnsReady(result);
        },
        Qt::QueuedConnection);
    return generation;
}

} // namespace eventscope::ui
