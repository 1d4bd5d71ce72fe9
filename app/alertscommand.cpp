#include "commandline.h"
#include "commands.h"

#include "deliverysecrets.h"

#include "alerting/alertdeliverer.h"
#include "alerting/alertpayload.h"
#include "analysis/alertrules.h"
#include "settings/operatorsettings.h"
#include "store/alertoutbox.h"
#include "store/batchcommitter.h"
#include "store/capturereader.h"
#include "util/jsonwriter.h"
#include "util/timeformat.h"

#include <QFile>

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <set>
#include <thread>

namespace eventscope::cli {

namespace {

int setSecret(const QString &command, const std::string &name)
{
    if (!isValidSecretName(name))
        return usageError(command,
                          QStringLiteral("--set-secret: '%1' is not a secret name "
                                         "(letters, digits, '.', '_', '-')")
                              .arg(QString::fromStdString(name)));
    std::string value;
    std::getline(std::cin, value);
    while (!value.empty() && (value.back() == '\r' || value.back() == ' '))
        value.pop_back();
    if (value.empty())
        return usageError(command,
                          QStringLiteral("--set-secret reads the secret from stdin; it was empty"));
    if (Status stored = storeDeliverySecret(name, value); !stored)
        return runtimeError(command, stored.error());
    std::printf("stored the secret '%s' in the keyring\n", name.c_str());
    return kExitOk;
}

int listDeliveries(const QString &command, const std::string &path, bool asJson)
{
    auto deliveries = readAlertDeliveries(path);
    if (!deliveries)
        return runtimeError(command, deliveries.error());
    if (asJson) {
        std::string out = "{\"deliveries\":[";
        for (const AlertDelivery &d : *deliveries) {
            if (out.back() != '[')
                out += ',';
            out += '{';
            json::appendKey(out, "alert_id");
            json::appendString(out, d.alertId);
            json::appendKey(out, "dedup_key");
            json::appendString(out, d.dedupKey);
            json::appendKey(out, "action");
            json::appendString(out, d.action);
            json::appendKey(out, "rule");
            json::appendString(out, d.rule);
            json::appendKey(out, "target");
            json::appendString(out, d.targetKind);
            json::appendKey(out, "url");
            json::appendString(out, d.url);
            json::appendKey(out, "state");
            json::appendString(out, deliveryStateName(d.state));
            json::appendKey(out, "attempts");
            json::appendInteger(out, d.attempts);
            json::appendKey(out, "last_error");
            json::appendString(out, d.lastError);
            if (d.state == AlertDelivery::State::Delivered) {
                json::appendKey(out, "delivered_at");
                json::appendString(out, formatTimestamp(d.deliveredAt));
            } else if (d.state == AlertDelivery::State::Pending) {
                json::appendKey(out, "next_attempt_at");
                json::appendString(out, formatTimestamp(d.nextAttemptAt));
            }
            out += '}';
        }
        out += "]}\n";
        std::fwrite(out.data(), 1, out.size(), stdout);
        return kExitOk;
    }
    if (deliveries->empty())
        std::printf("no alert deliveries in %s\n", path.c_str());
    for (const AlertDelivery &d : *deliveries)
        std::printf("%-9s %-7s %-20s %-9s attempts %d  %s%s%s\n",
                    std::string(deliveryStateName(d.state)).c_str(), d.action.c_str(),
                    d.rule.c_str(), d.targetKind.c_str(), d.attempts, d.url.c_str(),
                    d.lastError.empty() ? "" : "  last error: ", d.lastError.c_str());
    return kExitOk;
}

struct DeliveryRun
{
    int queued = 0;
    int delivered = 0;
    int failed = 0;
};

// Queues the deliveries of `alerts` and sends every pending one of the capture until each is
// delivered or failed, waiting out the retries.
Result<DeliveryRun> deliver(const std::string &path, const std::vector<Event> &alerts,
                            const std::vector<analysis::AlertRule> &rules,
                            const alerting::DeliveryPolicy &policy)
{
    using R = Result<DeliveryRun>;
    DeliveryRun run;
    auto outbox = AlertOutbox::open(path);
    if (!outbox)
        return R::failure(outbox.error());
    auto deliveries = alerting::deliveriesFor(alerts, rules, wallClockNow());
    if (!deliveries)
        return R::failure(deliveries.error());
    auto added = (*outbox)->add(*deliveries);
    if (!added)
        return R::failure(added.error());
    run.queued = *added;
    alerting::AlertDeliverer deliverer(**outbox, readDeliverySecret, policy);
    for (;;) {
        auto tried = deliverer.deliverDue();
        if (!tried)
            return R::failure(tried.error());
        for (const AlertDelivery &d : *tried) {
            run.delivered += d.state == AlertDelivery::State::Delivered ? 1 : 0;
            run.failed += d.state == AlertDelivery::State::Failed ? 1 : 0;
        }
        auto next = deliverer.nextDue();
        if (!next)
            return R::failure(next.error());
        if (!*next)
            return run;
        const TimeUs wait = std::max<TimeUs>(0, **next - wallClockNow());
        std::this_thread::sleep_for(std::chrono::microseconds(wait));
    }
}

} // namespace

int runAlerts(const QStringList &arguments)
{
    const QString command = QStringLiteral("eventscope alerts");
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Evaluate alert rules (metric thresholds held for a time, event rates, anomalies) over a "
        "capture. Each firing and resolution is an alert event; --store adds them to the capture "
        "(nothing twice) and keeps the rules in it. Without --rules: the capture's rules, else the "
        "operator's (the console's settings, where --save-rules puts them).\n\n"
        "Rules file: {\"rules\":[RULE, ...]}, one rule of each kind:\n"
        "  {\"name\":\"p99-high\",\"kind\":\"threshold\",\"metric\":\"latency_p99_ms\",\n"
        "   \"labels\":{\"service\":\"checkout\"},\"op\":\">\",\"value\":500,\"for_seconds\":120,\n"
        "   \"severity\":\"error\"}\n"
        "  {\"name\":\"crash-storm\",\"kind\":\"event_rate\",\"category\":\"failure\",\n"
        "   \"group_by\":\"service\",\"count\":3,\"within_seconds\":600}\n"
        "  {\"name\":\"errors-odd\",\"kind\":\"anomaly\",\"metric\":\"error_rate\",\"sigma\":6,\n"
        "   \"for_seconds\":60,\"baseline_seconds\":1800}\n"
        "Fields: name, kind (required); severity (debug..critical, default warning); "
        "for_seconds (held this long to fire and to resolve; default 60, 0 for event_rate); "
        "threshold: metric, labels, op (> or <), value (required); anomaly: metric, labels, sigma "
        "(6), baseline_seconds (1800); event_rate: event_type or category, group_by (service or "
        "entity), count (3), within_seconds (600).\n"
        "Delivery, on any rule: \"deliver\":{\"kind\":\"webhook\",\"url\":\"https://...\","
        "\"token_secret\":\"NAME\"} or {\"kind\":\"pagerduty\",\"routing_key_secret\":\"NAME\"}; "
        "secret values come from EVENTSCOPE_SECRET_<NAME> or the keyring (--set-secret)."));
    parser.addOption(
        {QStringLiteral("db"), QStringLiteral("Capture file."), QStringLiteral("FILE")});
    parser.addOption(
        {QStringLiteral("rules"), QStringLiteral("Rules JSON file."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("from"), QStringLiteral("Start (default: the capture's)."),
                      QStringLiteral("TIME")});
    parser.addOption({QStringLiteral("to"), QStringLiteral("End (default: the capture's)."),
                      QStringLiteral("TIME")});
    parser.addOption({QStringLiteral("store"),
                      QStringLiteral("Write the alert events and the rules into the capture.")});
    parser.addOption(
        {QStringLiteral("save-rules"),
         QStringLiteral(
             "Also save the rules in the operator's settings (the console uses them).")});
    parser.addOption({QStringLiteral("deliver"),
                      QStringLiteral("Also deliver the alerts of rules with a \"deliver\" target "
                                     "(webhook, pagerduty), and any still pending in the capture: "
                                     "queued in the capture (implies --store), sent until each is "
                                     "acknowledged or has failed. Exit code 1 if any failed.")});
    parser.addOption({QStringLiteral("deliveries"),
                      QStringLiteral("List the capture's alert deliveries and their state.")});
    parser.addOption({QStringLiteral("retry-limit"),
                      QStringLiteral("Attempts per delivery before it fails (default 10)."),
                      QStringLiteral("N")});
    parser.addOption({QStringLiteral("first-retry"),
                      QStringLiteral("Seconds before the first retry; each next waits twice as "
                                     "long, at most 5 minutes (default 2)."),
                      QStringLiteral("SEC")});
    parser.addOption({QStringLiteral("set-secret"),
                      QStringLiteral("Store a delivery secret (a webhook token, a PagerDuty "
                                     "routing key) read from stdin in the desktop keyring under "
                                     "NAME, for rules to name."),
                      QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print the alerts as JSON.")});
    if (auto exit = parseOrExit(parser, arguments, command))
        return *exit;
    if (parser.isSet(QStringLiteral("set-secret")))
        return setSecret(command, parser.value(QStringLiteral("set-secret")).toStdString());
    alerting::DeliveryPolicy policy;
    if (parser.isSet(QStringLiteral("retry-limit"))) {
        bool ok = false;
        policy.maxAttempts = parser.value(QStringLiteral("retry-limit")).toInt(&ok);
        if (!ok || policy.maxAttempts < 1)
            return usageError(command,
                              QStringLiteral("--retry-limit: '%1' is not a positive "
                                             "number of attempts")
                                  .arg(parser.value(QStringLiteral("retry-limit"))));
    }
    if (parser.isSet(QStringLiteral("first-retry"))) {
        bool ok = false;
        const double seconds = parser.value(QStringLiteral("first-retry")).toDouble(&ok);
        if (!ok || seconds <= 0 || seconds > 3600)
            return usageError(command,
                              QStringLiteral("--first-retry: '%1' is not a number of "
                                             "seconds (more than 0, at most 3600)")
                                  .arg(parser.value(QStringLiteral("first-retry"))));
        policy.firstRetry = static_cast<TimeUs>(seconds * kMicrosPerSecond);
    }
    if (!parser.isSet(QStringLiteral("db")))
        return usageError(command, QStringLiteral("--db is required"));
    std::optional<TimeUs> from, to;
    for (const auto &[name, target] : {std::pair{"from", &from}, std::pair{"to", &to}}) {
        if (!parser.isSet(QLatin1String(name)))
            continue;
        *target = parseTimeArgument(parser.value(QLatin1String(name)));
        if (!*target)
            return usageError(command,
                              QStringLiteral("--%1: '%2' is not a time")
                                  .arg(QLatin1String(name), parser.value(QLatin1String(name))));
    }
    if (auto exit = setUpLogging(parser, command))
        return *exit;

    const std::string path = parser.value(QStringLiteral("db")).toStdString();
    if (parser.isSet(QStringLiteral("deliveries")))
        return listDeliveries(command, path, parser.isSet(QStringLiteral("json")));
    const bool delivering = parser.isSet(QStringLiteral("deliver"));
    auto reader = CaptureReader::open(path);
    if (!reader)
        return runtimeError(command, reader.error());
    auto info = (*reader)->info();
    if (!info)
        return runtimeError(command, info.error());
    std::string rulesJson;
    std::string rulesFrom;
    if (parser.isSet(QStringLiteral("rules"))) {
        rulesFrom = "file";
        QFile file(parser.value(QStringLiteral("rules")));
        if (!file.open(QIODevice::ReadOnly))
            return runtimeError(
                command, file.fileName().toStdString() + ": " + file.errorString().toStdString());
        rulesJson = file.readAll().toStdString();
    } else if (const auto stored = info->meta.find("alert_rules"); stored != info->meta.end()) {
        rulesFrom = "capture";
        rulesJson = stored->second;
    } else {
        auto saved = settings::alertRulesJson();
        if (!saved)
            return runtimeError(command, saved.error());
        if (saved->empty())
            return usageError(command,
                              QStringLiteral("--rules is required: neither the capture nor the "
                                             "settings (%1) have alert rules")
                                  .arg(QString::fromStdString(settings::settingsFile())));
        rulesFrom = "settings";
        rulesJson = std::move(*saved);
    }
    auto rules = analysis::parseAlertRules(rulesJson);
    if (!rules)
        return runtimeError(command,
                            rulesFrom == "settings"
                                ? settings::settingsFile() + ": alert rules: " + rules.error()
                                : rules.error());
    if (parser.isSet(QStringLiteral("save-rules"))) {
        if (Status saved = settings::setAlertRulesJson(analysis::alertRulesToJson(*rules)); !saved)
            return runtimeError(command, saved.error());
        spdlog::info("saved {} alert rule(s) in {}", rules->size(), settings::settingsFile());
    }
    const TimeRange range{from.value_or(info->span.begin), to.value_or(info->span.end)};
    auto alerts = analysis::evaluateAlerts(**reader, *rules, range);
    if (!alerts)
        return runtimeError(command, alerts.error());

    std::size_t stored = 0;
    if (parser.isSet(QStringLiteral("store")) || delivering) {
        // Alerts already in the capture (an earlier run over an overlapping range) stay once.
        std::set<std::string> existing;
        EventQuery query;
        query.range = range;
        query.categories = EventQuery::categoryBit(EventCategory::Alert);
        if (Status status = (*reader)->forEachEvent(query,
                                                    [&existing](Event &&e) {
                                                        existing.insert(e.sourceId);
                                                        return true;
                                                    });
            !status)
            return runtimeError(command, status.error());
        reader->reset();
        auto committer = BatchCommitter::open(path, "alerts");
        if (!committer)
            return runtimeError(command, committer.error());
        std::vector<RecordBatch> batch(1);
        for (const Event &alert : *alerts) {
            if (!existing.count(alert.sourceId))
                batch[0].events.push_back(alert);
        }
        stored = batch[0].events.size();
        try {
            (*committer)->commit(batch);
            (*committer)->setMeta("alert_rules", analysis::alertRulesToJson(*rules));
        } catch (const std::exception &error) {
            return runtimeError(command, error.what());
        }
    }

    DeliveryRun delivery;
    if (delivering) {
        reader->reset();
        auto run = deliver(path, *alerts, *rules, policy);
        if (!run)
            return runtimeError(command, run.error());
        delivery = *run;
    }

    if (parser.isSet(QStringLiteral("json"))) {
        std::string out = "{\"alerts\":[";
        for (const Event &a : *alerts) {
            if (out.back() != '[')
                out += ',';
            out += '{';
            json::appendKey(out, "id");
            json::appendString(out, a.sourceId);
            json::appendKey(out, "type");
            json::appendString(out, a.type);
            json::appendKey(out, "time");
            json::appendString(out, formatTimestamp(a.time));
            json::appendKey(out, "service");
            json::appendString(out, a.service);
            json::appendKey(out, "attributes");
            out += a.attributes; // already JSON
            out += '}';
        }
        out += "],\"stored\":" + std::to_string(stored);
        json::appendKey(out, "rules_from");
        json::appendString(out, rulesFrom);
        if (delivering)
            out += ",\"deliveries\":{\"queued\":" + std::to_string(delivery.queued)
                + ",\"delivered\":" + std::to_string(delivery.delivered)
                + ",\"failed\":" + std::to_string(delivery.failed) + '}';
        out += "}\n";
        std::fwrite(out.data(), 1, out.size(), stdout);
    } else {
        for (const Event &a : *alerts)
            std::printf("%s  %-15s %s\n", formatTimestamp(a.time).c_str(), a.type.c_str(),
                        a.message.c_str());
        if (parser.isSet(QStringLiteral("store")) || delivering)
            std::printf("stored %zu new alert events in %s\n", stored, path.c_str());
        if (delivering)
            std::printf("queued %d new alert deliveries; delivered %d, failed %d\n",
                        delivery.queued, delivery.delivered, delivery.failed);
    }
    if (delivery.failed > 0)
        return runtimeError(command,
                            std::to_string(delivery.failed)
                                + " alert deliveries failed; see `eventscope alerts --db " + path
                                + " --deliveries`");
    return kExitOk;
}

} // namespace eventscope::cli
