#pragma once

#include "alerting/alertdeliverer.h"
#include "analysis/alertrules.h"
#include "util/result.h"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

class QThread;

namespace eventscope {
class StoreWriter;
}

namespace eventscope::alerting {

struct LiveAlertingOptions
{
    std::vector<analysis::AlertRule> rules;
    std::chrono::milliseconds interval{2000};
    // Records this close to the newest may still arrive (other partitions, late producers):
    // the rules see them on a later pass.
    TimeUs lateness = 10 * kMicrosPerSecond;
    // When alerting starts on a capture that already holds data, alerts older than this
    // (before its newest record) are not evaluated: a restart does not page for old news.
    TimeUs lookBack = 60 * 60 * kMicrosPerSecond;
    DeliveryPolicy policy;
    SecretLookup secrets;
    // Each alert event added to the capture (a firing or a resolution), on the alerting thread:
    // what a console notifies the operator of.
    std::function<void(const Event &)> onAlert;
};

// Alert rules on a capture while it is written, on a thread of their own: every interval the
// rules run over the data that is complete; each new firing and resolution is added to the
// capture (through its writer) as an alert event, and those of rules with a delivery target
// are queued in the capture's outbox and delivered, with the outbox's retries. Deliveries left
// pending by an earlier run (a restart, a kill) are sent as well. Idempotent: alert ids are
// deterministic and the outbox keeps one delivery per alert.
class LiveAlerting
{
public:
    struct Stats
    {
        std::int64_t alerts = 0; // alert events added to the capture
        std::int64_t delivered = 0;
        std::int64_t failed = 0;
        std::int64_t pending = 0; // after the last pass
        std::string lastError;
    };

    // `writer` must outlive it.
    static Result<std::unique_ptr<LiveAlerting>> start(StoreWriter &writer,
                                                       LiveAlertingOptions options);
    ~LiveAlerting();
    LiveAlerting(const LiveAlerting &) = delete;
    LiveAlerting &operator=(const LiveAlerting &) = delete;

    // A last pass over all the data (nothing held back for lateness) that waits for the
    // writer's queue, then stops. Deliveries still pending stay in the outbox. Idempotent.
    void stop();
    Stats stats() const;

private:
    LiveAlerting(StoreWriter &writer, LiveAlertingOptions options);
    void run();

    StoreWriter &m_writer;
    LiveAlertingOptions m_options;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    Stats m_stats;
    std::unique_ptr<QThread> m_thread;
};

} // namespace eventscope::alerting
