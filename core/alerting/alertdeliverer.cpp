#include "alerting/alertdeliverer.h"

#include "alerting/alertpayload.h"

#include "util/timeformat.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QUrl>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <set>

namespace eventscope::alerting {

AlertDeliverer::AlertDeliverer(AlertOutbox &outbox, SecretLookup secrets, DeliveryPolicy policy)
    : m_outbox(outbox)
    , m_secrets(std::move(secrets))
    , m_policy(policy)
    , m_network(std::make_unique<QNetworkAccessManager>())
{
    m_network->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
}

AlertDeliverer::~AlertDeliverer() = default;

AlertDeliverer::Attempt AlertDeliverer::send(const AlertDelivery &delivery)
{
    Attempt attempt;
    std::string body = delivery.body;
    QNetworkRequest request(QUrl(QString::fromStdString(delivery.url)));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("EventScope"));
    request.setTransferTimeout(static_cast<int>(m_policy.timeout / 1000));
    if (!delivery.secret.empty()) {
        auto secret = m_secrets ? m_secrets(delivery.secret)
                                : Result<std::string>::failure("no secret store");
        if (!secret) {
            attempt.error = "secret '" + delivery.secret + "': " + secret.error();
            return attempt;
        }
        if (delivery.targetKind == "pagerduty")
            body = withRoutingKey(body, *secret);
        else
            request.setRawHeader("Authorization", "Bearer " + QByteArray::fromStdString(*secret));
    }
    QNetworkReply *reply = m_network->post(request, QByteArray::fromStdString(body));
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    if (!reply->isFinished())
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray answer = reply->read(300);
    if (status >= 200 && status < 300) {
        attempt.delivered = true;
    } else if (status > 0) {
        attempt.error = "HTTP " + std::to_string(status);
        const QByteArray reason
            = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray();
        if (!reason.isEmpty())
            attempt.error += " " + reason.toStdString();
        if (!answer.trimmed().isEmpty())
            attempt.error += ": " + answer.simplified().toStdString();
        if (status >= 300 && status < 400)
            attempt.error += " (redirected to "
                + reply->header(QNetworkRequest::LocationHeader).toUrl().toString().toStdString()
                + "; point the rule's url there)";
        attempt.permanent = (status >= 300 && status < 500) && status != 408 && status != 429;
        bool ok = false;
        const int retryAfter = reply->rawHeader("Retry-After").trimmed().toInt(&ok);
        if (ok && retryAfter > 0)
            attempt.retryAfter = static_cast<TimeUs>(retryAfter) * kMicrosPerSecond;
    } else {
        attempt.error = reply->errorString().toStdString();
    }
    reply->deleteLater();
    return attempt;
}

Result<std::vector<AlertDelivery>> AlertDeliverer::deliverDue()
{
    using R = Result<std::vector<AlertDelivery>>;
    auto pending = m_outbox.pending();
    if (!pending)
        return R::failure(pending.error());
    std::vector<AlertDelivery> tried;
    std::set<std::string> waiting; // episodes whose firing is not through yet
    for (AlertDelivery &delivery : *pending) {
        const TimeUs now = wallClockNow();
        if (waiting.count(delivery.dedupKey + '\n' + delivery.targetKind + '\n' + delivery.url))
            continue;
        if (delivery.nextAttemptAt > now) {
            waiting.insert(delivery.dedupKey + '\n' + delivery.targetKind + '\n' + delivery.url);
            continue;
        }
        const Attempt attempt = send(delivery);
        const TimeUs after = wallClockNow();
        ++delivery.attempts;
        if (attempt.delivered) {
            delivery.state = AlertDelivery::State::Delivered;
            delivery.deliveredAt = after;
            delivery.lastError.clear();
            spdlog::info("alert {} ({} of {}) delivered to {} after {} attempt(s)",
                         delivery.alertId, delivery.action, delivery.rule, delivery.url,
                         delivery.attempts);
        } else {
            delivery.lastError = attempt.error;
            if (attempt.permanent || delivery.attempts >= m_policy.maxAttempts) {
                delivery.state = AlertDelivery::State::Failed;
                spdlog::error("alert {} ({} of {}) NOT delivered to {}: {} ({}; gave up after {} "
                              "attempt(s))",
                              delivery.alertId, delivery.action, delivery.rule, delivery.url,
                              attempt.error,
                              attempt.permanent ? "the receiver refused it" : "retry limit",
                              delivery.attempts);
            } else {
                TimeUs wait = m_policy.firstRetry;
                for (int i = 1; i < delivery.attempts && wait < m_policy.longestRetry; ++i)
                    wait *= 2;
                wait = std::max(std::min(wait, m_policy.longestRetry), attempt.retryAfter);
                delivery.nextAttemptAt = after + wait;
                waiting.insert(delivery.dedupKey + '\n' + delivery.targetKind + '\n'
                               + delivery.url);
                spdlog::warn("alert {} ({} of {}) not delivered to {}: {}; attempt {} of {}, "
                             "next in {:.1f} s",
                             delivery.alertId, delivery.action, delivery.rule, delivery.url,
                             attempt.error, delivery.attempts, m_policy.maxAttempts,
                             static_cast<double>(wait) / kMicrosPerSecond);
            }
        }
        if (Status recorded = m_outbox.record(delivery); !recorded)
            return R::failure(recorded.error());
        tried.push_back(std::move(delivery));
    }
    return tried;
}

Result<std::optional<TimeUs>> AlertDeliverer::nextDue()
{
    using R = Result<std::optional<TimeUs>>;
    auto pending = m_outbox.pending();
    if (!pending)
        return R::failure(pending.error());
    std::optional<TimeUs> next;
    for (const AlertDelivery &delivery : *pending)
        next = std::min(next.value_or(delivery.nextAttemptAt), delivery.nextAttemptAt);
    return next;
}

} // namespace eventscope::alerting
