#pragma once

#include "store/alertoutbox.h"
#include "util/result.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

class QNetworkAccessManager;

namespace eventscope::alerting {

// How hard to try: the first retry after `firstRetry`, each next one twice as late up to
// `longestRetry` (a receiver's Retry-After, when longer, wins); after `maxAttempts` attempts
// the delivery is failed. A receiver that refuses the alert itself (HTTP 4xx other than 408
// and 429) fails it at once: sending it again would not help.
struct DeliveryPolicy
{
    TimeUs firstRetry = 2 * kMicrosPerSecond;
    TimeUs longestRetry = 5 * 60 * kMicrosPerSecond;
    int maxAttempts = 10;
    TimeUs timeout = 10 * kMicrosPerSecond; // per request
};

// The value of a named secret (a webhook token, a PagerDuty routing key).
using SecretLookup = std::function<Result<std::string>(const std::string &name)>;

// Sends an outbox's pending deliveries by HTTP POST and records each outcome in it before the
// next. Needs a Qt event dispatcher on the calling thread (the application's, or a QThread's);
// waits for each request (at most the policy's timeout).
class AlertDeliverer
{
public:
    AlertDeliverer(AlertOutbox &outbox, SecretLookup secrets, DeliveryPolicy policy = {});
    ~AlertDeliverer();

    // Tries every pending delivery that is due now, oldest alert first; a resolution waits
    // until its firing is delivered or failed. Returns the deliveries it tried, as they are
    // after the attempt.
    Result<std::vector<AlertDelivery>> deliverDue();
    // When the next pending delivery is due; none when nothing is pending.
    Result<std::optional<TimeUs>> nextDue();

private:
    struct Attempt
    {
        bool delivered = false;
        bool permanent = false; // the receiver refused it: do not retry
        std::string error;
        TimeUs retryAfter = 0;
    };
    Attempt send(const AlertDelivery &delivery);

    AlertOutbox &m_outbox;
    SecretLookup m_secrets;
    DeliveryPolicy m_policy;
    std::unique_ptr<QNetworkAccessManager> m_network;
};

} // namespace eventscope::alerting
