#pragma once

#include "eventcolumns.h"

#include "model/series.h"
#include "store/queries.h"
#include "store/savedview.h"
#include "util/result.h"

#include <QObject>
#include <QString>
#include <QThread>

#include <atomic>
#include <memory>
#include <optional>
#include <vector>

namespace eventscope {
class CaptureReader;
}

namespace eventscope::ui {

struct SeriesLod
{
    std::int64_t seriesId = 0;
    std::vector<LodBucket> buckets;
};

// Level of detail for the charts' series over one range and width.
struct LodResult
{
    quint64 generation = 0;
    TimeRange range{0, 0};
    int columns = 0;
    std::vector<SeriesLod> series;
    QString error;
};

// What changed in the capture since the last refresh.
struct CaptureSnapshot
{
    CaptureInfo info;
    std::optional<std::vector<SeriesInfo>> series; // set when the list changed
    EventList events; // set when events were added: the whole list, in time order
    // With `events`, or alone when only the recoveries they pair with changed: the spans
    // (pairEventSpans, merged per kind).
    std::shared_ptr<const std::vector<EventSpan>> spans;
    std::size_t eventsAdded = 0;
    // The first refresh only: the view saved in the capture, if any (or why it is unreadable).
    std::optional<SavedView> savedView;
    QString viewError;
    // Alert deliveries of the capture's outbox that failed, and that wait for a retry.
    int deliveriesFailed = 0;
    int deliveriesPending = 0;
    QString error;
};

struct EventColumnsResult
{
    quint64 generation = 0;
    EventColumns columns;
};

// Reads a capture for the timeline off the GUI thread: level of detail, new events and series,
// and the per-column event aggregation. Owns two worker threads, each with its own reader of
// the capture: one for level of detail, one for new events and their columns, so that a live
// commit's events are not queued behind a chart's level of detail (and the two use both cores).
// Every request carries a generation id; a request superseded by a newer one of its kind
// before the worker reached it is skipped, and results come back by queued signal. Lives on
// the GUI thread; the worker, the reader and the event list live on the worker thread.
class TimelineFetcher : public QObject
{
    Q_OBJECT

public:
    // Opens the capture (on the calling thread, so a bad file is reported at once).
    static Result<std::unique_ptr<TimelineFetcher>> open(const std::string &path);
    ~TimelineFetcher() override;

    const std::string &path() const { return m_path; }

    quint64 requestLod(TimeRange range, int columns, std::vector<std::int64_t> seriesIds);
    // Info, series and events committed since the last refresh (all of them the first time).
    void requestRefresh();
    // When the capture's failures recovered, as the incident analysis found: the spans are
    // paired again with them (pairEventSpans) and sent with the events by a refresh.
    void setKnownRecoveries(std::shared_ptr<const KnownRecoveries> recoveries);
    quint64 requestEventColumns(EventList events,
                                std::shared_ptr<const std::vector<EventSpan>> spans,
                                TimeRange range, int columns, LaneMode mode, EventFilter filter);

Q_SIGNALS:
    void lodReady(const eventscope::ui::LodResult &result);
    void refreshed(const eventscope::ui::CaptureSnapshot &snapshot);
    void eventColumnsReady(const eventscope::ui::EventColumnsResult &result);

private:
    class Worker;
    TimelineFetcher(std::string path, std::unique_ptr<CaptureReader> lodReader,
                    std::unique_ptr<CaptureReader> eventReader);

    std::string m_path;
    QThread m_lodThread;
    QThread m_eventThread;
    Worker *m_lodWorker; // lives on m_lodThread, deleted when it finishes
    Worker *m_eventWorker; // lives on m_eventThread
    std::shared_ptr<std::atomic<quint64>> m_latestLod;
    std::shared_ptr<std::atomic<quint64>> m_latestColumns;
    std::shared_ptr<std::atomic<bool>> m_refreshQueued;
    quint64 m_generation = 0;
};

} // namespace eventscope::ui

Q_DECLARE_METATYPE(eventscope::ui::LodResult)
Q_DECLARE_METATYPE(eventscope::ui::CaptureSnapshot)
Q_DECLARE_METATYPE(eventscope::ui::EventColumnsResult)
