#include "alerting/livealerting.h"

#include "alerting/alertpayload.h"
#include "store/alertoutbox.h"
#include "store/capturereader.h"
#include "store/storewriter.h"

#include "util/timeformat.h"

#include <QThread>

#include <spdlog/spdlog.h>

#include <set>

namespace eventscope::alerting {

LiveAlerting::LiveAlerting(StoreWriter &writer, LiveAlertingOptions options)
    : m_writer(writer)
    , m_options(std::move(options))
{ }

Result<std::unique_ptr<LiveAlerting>> LiveAlerting::start(StoreWriter &writer,
                                                          LiveAlertingOptions options)
{
    using R = Result<std::unique_ptr<LiveAlerting>>;
    // Fail now, on the caller's thread, if the capture cannot hold an outbox.
    if (auto outbox = AlertOutbox::open(writer.path()); !outbox)
        return R::failure(outbox.error());
    std::unique_ptr<LiveAlerting> alerting(new LiveAlerting(writer, std::move(options)));
    alerting->m_thread.reset(QThread::create([raw = alerting.get()] { raw->run(); }));
    alerting->m_thread->setObjectName(QStringLiteral("alerting"));
    alerting->m_thread->start();
    return alerting;
}

LiveAlerting::~LiveAlerting()
{
    stop();
}

void LiveAlerting::stop()
{
    {
        const std::lock_guard lock(m_mutex);
        if (!m_thread)
            return;
        m_stopping = true;
    }
    m_wake.notify_all();
    m_thread->wait();
    m_thread.reset();
}

LiveAlerting::Stats LiveAlerting::stats() const
{
    const std::lock_guard lock(m_mutex);
    return m_stats;
}

void LiveAlerting::run()
{
    const std::string &path = m_writer.path();
    auto outbox = AlertOutbox::open(path);
    auto reader = CaptureReader::open(path);
    if (!outbox || !reader) {
        const std::lock_guard lock(m_mutex);
        m_stats.lastError = !outbox ? outbox.error() : reader.error();
        spdlog::error("alerting stopped: {}", m_stats.lastError);
        return;
    }
    AlertDeliverer deliverer(**outbox, m_options.secrets, m_options.policy);
    TimeUs evaluatedUntil = 0; // alerts before this are evaluated

    // One pass; `final`: evaluate all the data, after the writer has committed its queue.
    const auto pass = [&](bool final) -> Status {
        if (final)
            m_writer.flush(std::chrono::seconds(30));
        auto info = (*reader)->info();
        if (!info)
            return Status::failure(info.error());
        if (!info->span.isEmpty() && !m_options.rules.empty()) {
            const TimeUs completeUntil
                = final ? info->span.end : info->span.end - m_options.lateness;
            if (evaluatedUntil == 0)
                evaluatedUntil = std::max(info->span.begin, info->span.end - m_options.lookBack);
            if (completeUntil > evaluatedUntil) {
                const TimeRange range{evaluatedUntil, completeUntil};
                auto alerts = analysis::evaluateAlerts(**reader, m_options.rules, range);
                if (!alerts)
                    return Status::failure(alerts.error());
                std::set<std::string> stored;
                EventQuery query;
                query.range = range;
                query.categories = EventQuery::categoryBit(EventCategory::Alert);
                if (Status status = (*reader)->forEachEvent(query,
                                                            [&stored](Event &&e) {
                                                                stored.insert(e.sourceId);
                                                                return true;
                                                            });
                    !status)
                    return status;
                RecordBatch batch;
                for (const Event &alert : *alerts) {
                    if (!stored.count(alert.sourceId)) {
                        spdlog::info("alert: {}", alert.message);
                        batch.events.push_back(alert);
                    }
                }
                const auto added = static_cast<std::int64_t>(batch.events.size());
                if (m_options.onAlert) {
                    for (const Event &alert : batch.events)
                        m_options.onAlert(alert);
                }
                if (added > 0 && !m_writer.submit(std::move(batch)))
                    return Status::failure("cannot add alert events to the capture: "
                                           + m_writer.lastError());
                auto deliveries = deliveriesFor(*alerts, m_options.rules, wallClockNow());
                if (!deliveries)
                    return Status::failure(deliveries.error());
                if (auto queued = (*outbox)->add(*deliveries); !queued)
                    return Status::failure(queued.error());
                evaluatedUntil = completeUntil;
                const std::lock_guard lock(m_mutex);
                m_stats.alerts += added;
            }
        }
        auto tried = deliverer.deliverDue();
        if (!tried)
            return Status::failure(tried.error());
        auto pending = (*outbox)->pending();
        if (!pending)
            return Status::failure(pending.error());
        const std::lock_guard lock(m_mutex);
        for (const AlertDelivery &d : *tried) {
            m_stats.delivered += d.state == AlertDelivery::State::Delivered ? 1 : 0;
            m_stats.failed += d.state == AlertDelivery::State::Failed ? 1 : 0;
        }
        m_stats.pending = static_cast<std::int64_t>(pending->size());
        return {};
    };

    for (;;) {
        bool stopping = false;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait_for(lock, m_options.interval, [this] { return m_stopping; });
            stopping = m_stopping;
        }
        if (Status status = pass(stopping); !status) {
            spdlog::error("alerting: {}", status.error());
            const std::lock_guard lock(m_mutex);
            m_stats.lastError = status.error();
        }
        if (stopping)
            break;
    }
}

} // namespace eventscope::alerting
