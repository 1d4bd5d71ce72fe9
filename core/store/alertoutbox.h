#pragma once

#include "model/timerange.h"
#include "util/result.h"

#include <memory>
#include <string>
#include <vector>

namespace eventscope {

namespace sqlite {
class Connection;
}

// One alert event on its way to a receiver: what is sent (without the secret, which is read
// when sending), where, and how it went. One per alert event: re-evaluating the same alerts
// adds nothing twice.
struct AlertDelivery
{
    enum class State : std::uint8_t { Pending, Delivered, Failed };

    std::string alertId; // the alert event's id
    std::string dedupKey; // one per episode: the firing and its resolution share it
    std::string action; // "trigger" or "resolve"
    std::string rule;
    TimeUs alertTime = 0;
    std::string targetKind; // "webhook" or "pagerduty"
    std::string url;
    std::string secret; // the name of the secret to send with it; empty for none
    std::string body; // JSON
    TimeUs createdAt = 0;
    int attempts = 0;
    TimeUs nextAttemptAt = 0;
    State state = State::Pending;
    std::string lastError;
    TimeUs deliveredAt = 0;
};

std::string_view deliveryStateName(AlertDelivery::State state);

// The deliveries of a capture's alerts, waiting until a receiver acknowledges them: the
// capture's optional alert_outbox table (created on first use; readers that do not know it
// ignore it). Every change is committed before it returns, so a process killed at any instant
// loses no delivery and repeats at most the one it was sending. Its own connection: usable
// beside a live writer of the same capture (it waits for the writer's commits).
class AlertOutbox
{
public:
    static Result<std::unique_ptr<AlertOutbox>> open(const std::string &path);
    ~AlertOutbox();

    // Adds the deliveries whose alert is not in the outbox yet; returns how many it added.
    Result<int> add(const std::vector<AlertDelivery> &deliveries);
    // Pending deliveries, by alert time (a firing before its resolution).
    Result<std::vector<AlertDelivery>> pending();
    // Writes the outcome of an attempt (attempts, state, next attempt, error, delivered at).
    Status record(const AlertDelivery &delivery);

private:
    AlertOutbox(std::string path, std::unique_ptr<sqlite::Connection> connection);
    std::string m_path;
    std::unique_ptr<sqlite::Connection> m_connection;
};

// Every delivery in the capture, by alert time; none when it has no outbox. Read-only.
Result<std::vector<AlertDelivery>> readAlertDeliveries(const std::string &path);

namespace capture {
// The outbox's rows matching `where` (SQL, may be empty), by alert time; none when the capture
// has no outbox. Throws sqlite::Error.
std::vector<AlertDelivery> selectDeliveries(const sqlite::Connection &connection,
                                            std::string_view where);
} // namespace capture

} // namespace eventscope
