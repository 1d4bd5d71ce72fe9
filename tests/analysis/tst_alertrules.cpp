// Alert rules: parsing with clear errors, exact debounced firing and resolution on a known
// series, event-rate and anomaly rules on simulated incidents, and evaluation in pieces giving
// the same alerts (with the same ids) as evaluation at once.

#include "alerting/livealerting.h"
#include "analysis/alertepisodes.h"
#include "analysis/alertrules.h"
#include "simulatedcapture.h"
#include "store/batchcommitter.h"
#include "store/capturereader.h"
#include "store/storewriter.h"
#include "util/timeformat.h"

#include <simdjson.h>

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <mutex>
#include <set>

using namespace eventscope;
using namespace eventscope::analysis;

namespace {

constexpr TimeUs kSecond = kMicrosPerSecond;
const TimeUs kStart = *parseTimestamp("2026-11-24T10:00:00Z");

} // namespace

// Rules with URLs, outside the class: moc reads "//" in a raw string there as a comment.
const char *const kWebhookRule = R"({"name":"hook","kind":"threshold","metric":"m","value":1,
    "deliver":{"kind":"webhook","url":"https://hooks.example/x","token_secret":"t"}})";
const char *const kFtpRule = R"({"rules":[{"name":"n","kind":"threshold","metric":"m","value":1,
    "deliver":{"kind":"webhook","url":"ftp://x"}}]})";
const char *const kDeliverNotAnObject = R"({"rules":[{"name":"n","kind":"threshold",
    "metric":"m","value":1,"deliver":"https://x"}]})";

class TestAlertRules : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void parsesRulesAndExplainsMistakes()
    {
        const auto rules = parseAlertRules(R"({"rules":[
            {"name":"p99","kind":"threshold","metric":"latency_p99_ms","labels":{"service":"a"},
             "op":">","value":500,"for_seconds":120,"severity":"error"},
            {"name":"storm","kind":"event_rate","category":"failure","count":3,"within_seconds":600},
            {"name":"odd","kind":"anomaly","metric":"error_rate","sigma":8,
             "deliver":{"kind":"pagerduty","routing_key_secret":"pd-odd"}},
            )" + std::string(kWebhookRule) + "]}");
        QVERIFY2(rules.ok(), rules.error().c_str());
        QCOMPARE(rules->size(), std::size_t{4});
        QVERIFY(!(*rules)[0].deliver);
        QCOMPARE((*rules)[2].deliver,
                 (DeliveryTarget{DeliveryTarget::Kind::PagerDuty, std::string(kPagerDutyEventsUrl),
                                 "pd-odd"}));
        QCOMPARE((*rules)[3].deliver,
                 (DeliveryTarget{DeliveryTarget::Kind::Webhook, "https://hooks.example/x", "t"}));
        QCOMPARE((*rules)[0].holdFor, 120 * kSecond);
        QCOMPARE((*rules)[0].severity, Severity::Error);
        QCOMPARE((*rules)[1].holdFor, TimeUs{0});
        const auto again = parseAlertRules(alertRulesToJson(*rules));
        QVERIFY(again.ok());
        QCOMPARE(alertRulesToJson(*again), alertRulesToJson(*rules));
        QCOMPARE((*again)[2].deliver, (*rules)[2].deliver);

        struct Bad
        {
            const char *json;
            const char *message;
        };
        for (const Bad &bad :
             {Bad{"[1,2", "not valid JSON"}, Bad{R"({"x":1})", "expected {\"rules\":[...]}"},
              Bad{R"({"rules":[{"kind":"threshold"}]})", "\"name\" is missing"},
              Bad{R"({"rules":[{"name":"n","kind":"sometimes"}]})", "unknown kind 'sometimes'"},
              Bad{R"({"rules":[{"name":"n","kind":"threshold","metric":"m"}]})",
                  "\"value\" is missing"},
              Bad{R"({"rules":[{"name":"n","kind":"event_rate","count":2}]})",
                  "give \"event_type\" or \"category\""},
              Bad{R"({"rules":[{"name":"n","kind":"threshold","metric":"m","value":1,
                  "deliver":{"kind":"email"}}]})",
                  "deliver: unknown kind 'email' (webhook, pagerduty)"},
              Bad{R"({"rules":[{"name":"n","kind":"threshold","metric":"m","value":1,
                  "deliver":{"kind":"webhook"}}]})",
                  "deliver: \"url\" is missing"},
              Bad{kFtpRule, "\"url\" must start with http:// or https://"},
              Bad{R"({"rules":[{"name":"n","kind":"threshold","metric":"m","value":1,
                  "deliver":{"kind":"pagerduty"}}]})",
                  "\"routing_key_secret\" is missing"},
              Bad{kDeliverNotAnObject, "\"deliver\" must be an object"}}) {
            const auto parsed = parseAlertRules(bad.json);
            QVERIFY(!parsed.ok());
            QVERIFY2(parsed.error().find(bad.message) != std::string::npos, parsed.error().c_str());
        }
    }

    // The README's rules file is what a new user copies first: it must be valid as written.
    void theReadmeExampleParses()
    {
        QFile readme(QStringLiteral(EVENTSCOPE_README));
        QVERIFY(readme.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(readme.readAll());
        const qsizetype start = text.indexOf(QStringLiteral("```json\n{\"rules\""));
        QVERIFY2(start >= 0, "no rules example in the README");
        const qsizetype end = text.indexOf(QStringLiteral("```"), start + 7);
        const std::string json = text.mid(start + 8, end - start - 8).toStdString();
        const auto rules = parseAlertRules(json);
        QVERIFY2(rules.ok(), rules.ok() ? "" : rules.error().c_str());
        QCOMPARE(rules->size(), std::size_t{3});
        QVERIFY((*rules)[0].deliver && (*rules)[1].deliver && !(*rules)[2].deliver);
    }

    // Alerting beside a writer: the episode's firing and resolution are added to the capture
    // once each, and announced once each, however many passes see them.
    void liveAlertingRaisesEachAlertOnce()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("live.capture")).toStdString();
        auto writer = StoreWriter::open(path);
        QVERIFY(writer);
        const TimeUs base = *parseTimestamp("2026-11-24T10:00:00Z");
        RecordBatch batch;
        const auto p99 = batch.internSeries(SeriesKey("latency_p99_ms", {{"service", "a"}}), "ms");
        for (int second = 0; second < 1800; second += 10)
            batch.addSample(p99, base + second * kSecond,
                            second >= 600 && second < 900 ? 900.0 : 100.0);
        QVERIFY((*writer)->submit(std::move(batch)));
        QVERIFY((*writer)->flush());

        alerting::LiveAlertingOptions options;
        auto rules = parseAlertRules(
            R"({"rules":[{"name":"p99","kind":"threshold","metric":"latency_p99_ms","value":500}]})");
        QVERIFY(rules);
        options.rules = *rules;
        options.interval = std::chrono::milliseconds(20);
        options.lateness = 0;
        std::vector<std::string> announced;
        std::mutex mutex;
        options.onAlert = [&](const Event &alert) {
            const std::lock_guard lock(mutex);
            announced.push_back(alert.type);
        };
        auto alerting = alerting::LiveAlerting::start(**writer, std::move(options));
        QVERIFY(alerting);
        QVERIFY(QTest::qWaitFor([&] { return (*alerting)->stats().alerts == 2; }, 10'000));
        QTest::qWait(100); // several more passes over the same data
        (*alerting)->stop();
        QCOMPARE((*alerting)->stats().alerts, std::int64_t(2));
        QCOMPARE(announced, (std::vector<std::string>{"alert.firing", "alert.resolved"}));
        QVERIFY((*alerting)->stats().lastError.empty());
        (*writer)->close();
        auto reader = CaptureReader::open(path);
        QVERIFY(reader);
        EventQuery query;
        query.categories = EventQuery::categoryBit(EventCategory::Alert);
        const auto stored = (*reader)->events(query);
        QVERIFY(stored);
        QCOMPARE(stored->size(), std::size_t(2));
    }

    // A known series: quiet, a 30 s blip, five minutes high, quiet again.
    void thresholdIsDebouncedBothWays()
    {
        const std::string path = m_dir.filePath(QStringLiteral("known.capture")).toStdString();
        {
            auto committer = BatchCommitter::open(path, "test");
            QVERIFY(committer.ok());
            std::vector<RecordBatch> batch(1);
            const auto series = batch[0].internSeries(SeriesKey("queue_depth", {{"service", "q"}}));
            for (int i = 0; i < 180; ++i) {
                const bool blip = i >= 30 && i < 33;
                const bool high = i >= 60 && i < 90;
                batch[0].addSample(series, kStart + i * 10 * kSecond, blip || high ? 100.0 : 1.0);
            }
            (*committer)->commit(batch);
        }
        auto reader = CaptureReader::open(path);
        QVERIFY(reader.ok());
        const auto rules = parseAlertRules(
            R"({"rules":[{"name":"deep","kind":"threshold","metric":"queue_depth","value":50,"for_seconds":60}]})");
        QVERIFY(rules.ok());
        const auto alerts = evaluateAlerts(**reader, *rules, {kStart, kStart + 3600 * kSecond});
        QVERIFY2(alerts.ok(), alerts.error().c_str());
        QCOMPARE(alerts->size(), std::size_t{2}); // the blip did not fire
        QCOMPARE((*alerts)[0].type, std::string("alert.firing"));
        QCOMPARE((*alerts)[0].time, kStart + 66 * 10 * kSecond); // 60 s after it went high
        QCOMPARE((*alerts)[0].category, EventCategory::Alert);
        QCOMPARE((*alerts)[0].service, std::string("q"));
        QCOMPARE((*alerts)[1].type, std::string("alert.resolved"));
        QCOMPARE((*alerts)[1].time, kStart + 96 * 10 * kSecond); // 60 s after it went low
    }

    void simulatedIncidentsFireAndResolve()
    {
        sim::SimulatorOptions options;
        options.seed = 4;
        options.start = kStart;
        options.duration = 200 * 60 * kSecond;
        options.scenarios = {sim::Scenario::Failures};
        options.tracesPerSecond = 0.2;
        const std::string path = m_dir.filePath(QStringLiteral("sim.capture")).toStdString();
        const sim::GroundTruth truth = testing::simulateIntoCapture(options, path);
        auto reader = CaptureReader::open(path);
        QVERIFY(reader.ok());
        const auto rules = parseAlertRules(R"({"rules":[
            {"name":"frontend-errors","kind":"threshold","metric":"error_rate",
             "labels":{"service":"frontend"},"value":0.02,"for_seconds":60},
            {"name":"failure-storm","kind":"event_rate","category":"failure","count":2,
             "within_seconds":600},
            {"name":"latency-anomaly","kind":"anomaly","metric":"latency_p99_ms","sigma":10,
             "for_seconds":60}]})");
        QVERIFY(rules.ok());
        const TimeRange all{options.start, options.start + options.duration};
        const auto alerts = evaluateAlerts(**reader, *rules, all);
        QVERIFY2(alerts.ok(), alerts.error().c_str());

        std::map<std::string, int> firings;
        std::map<std::string, bool> open; // per rule and subject
        simdjson::dom::parser parser;
        for (const Event &alert : *alerts) {
            simdjson::dom::element attributes;
            QCOMPARE(parser.parse(alert.attributes).get(attributes), simdjson::SUCCESS);
            std::string_view rule, subject;
            QCOMPARE(attributes["rule"].get(rule), simdjson::SUCCESS);
            QCOMPARE(attributes["subject"].get(subject), simdjson::SUCCESS);
            const std::string id = std::string(rule) + "|" + std::string(subject);
            const bool firing = alert.type == "alert.firing";
            QVERIFY2(open[id] != firing, id.c_str()); // firing and resolved alternate
            open[id] = firing;
            firings[std::string(rule)] += firing ? 1 : 0;
        }
        qInfo("firings: storm %d, frontend errors %d, latency anomaly %d", firings["failure-storm"],
              firings["frontend-errors"], firings["latency-anomaly"]);
        // Every incident failed at frontend or had a cascade; the storm rule saw them, the
        // frontend error-rate rule saw the dependency and provider incidents.
        QVERIFY(firings["failure-storm"] >= 1);
        // A storm fires at a failure that has another on its service less than 10 min before.
        for (const Event &alert : *alerts) {
            if (alert.type != "alert.firing" || alert.message.rfind("failure-storm", 0) != 0)
                continue;
            bool explained = false;
            for (const sim::TruthIncident &a : truth.incidents) {
                for (const sim::TruthIncident &b : truth.incidents) {
                    explained |= a.service == alert.service && b.service == alert.service
                        && b.time == alert.time && a.time < b.time
                        && b.time - a.time <= 600 * kSecond;
                }
            }
            QVERIFY2(explained, alert.message.c_str());
        }
        QVERIFY(firings["frontend-errors"] >= 1);
        QVERIFY(firings["latency-anomaly"] >= 2);
        for (const sim::TruthIncident &incident : truth.incidents) {
            if (incident.kind != "dependency_timeout" && incident.kind != "external_dependency")
                continue;
            if (incident.service != "frontend")
                continue;
            bool near = false;
            for (const Event &alert : *alerts) {
                near |= alert.type == "alert.firing" && alert.service == "frontend"
                    && std::abs(alert.time - incident.time) < 5 * 60 * kSecond;
            }
            QVERIFY2(near, incident.id.c_str());
        }

        // In pieces, the same alerts with the same ids.
        const TimeUs middle = options.start + 97 * 60 * kSecond;
        auto first = evaluateAlerts(**reader, *rules, {all.begin, middle});
        auto second = evaluateAlerts(**reader, *rules, {middle, all.end});
        QVERIFY(first.ok() && second.ok());
        std::multiset<std::string> whole, pieces;
        for (const Event &e : *alerts)
            whole.insert(e.sourceId);
        for (const Event &e : *first)
            pieces.insert(e.sourceId);
        for (const Event &e : *second)
            pieces.insert(e.sourceId);
        QCOMPARE(pieces, whole);
    }

    // Firings and resolutions pair into episodes by their alert key, in any order; a second
    // copy of a firing and a resolution without its firing add nothing.
    void alertEventsPairIntoEpisodes()
    {
        const auto alert = [](const std::string &id, TimeUs t, bool firing, const std::string &key,
                              const std::string &rule = "p99-high") {
            Event e;
            e.sourceId = id;
            e.time = t * kMicrosPerSecond;
            e.type = firing ? "alert.firing" : "alert.resolved";
            e.category = EventCategory::Alert;
            e.severity = firing ? Severity::Error : Severity::Info;
            e.service = "checkout";
            e.message = rule + (firing ? " firing: x" : " resolved: x");
            e.attributes = "{\"rule\":\"" + rule + "\",\"subject\":\"s\",\"value\":"
                + std::to_string(t) + (key.empty() ? "" : ",\"alert_key\":\"" + key + "\"") + "}";
            return e;
        };
        const std::vector<Event> events{
            alert("r1", 200, false, "k1"), // resolution listed before its firing
            alert("f1", 100, true, "k1"),
            alert("f1-again", 100, true, "k1"),
            alert("f2", 300, true, "k2"), // still firing
            alert("r0", 50, false, "k0"), // its firing is before the range
            alert("f3", 400, true, "", "old-tool"), // no key: by rule and subject
            alert("r3", 460, false, "", "old-tool"),
        };
        const auto episodes = analysis::alertEpisodes(events);
        QCOMPARE(episodes.size(), std::size_t(3));
        QCOMPARE(episodes[0].firingId, std::string("f1"));
        QCOMPARE(episodes[0].resolvedId, std::string("r1"));
        QCOMPARE(*episodes[0].resolved, 200 * kMicrosPerSecond);
        QCOMPARE(episodes[0].value, 100.0);
        QCOMPARE(episodes[0].severity, Severity::Error);
        QVERIFY(episodes[1].active());
        QCOMPARE(episodes[1].key, std::string("k2"));
        QCOMPARE(episodes[2].rule, std::string("old-tool"));
        QCOMPARE(*episodes[2].resolved, 460 * kMicrosPerSecond);
    }

    void rulesDescribeThemselves()
    {
        auto rules = analysis::parseAlertRules(
            R"({"rules":[{"name":"a","kind":"threshold","metric":"latency_p99_ms","labels":{"service":"checkout"},"op":">","value":500,"for_seconds":120},
                         {"name":"b","kind":"event_rate","category":"failure","count":3,"within_seconds":600},
                         {"name":"c","kind":"anomaly","metric":"error_rate","sigma":6,"for_seconds":60,"baseline_seconds":1800}]})");
        QVERIFY(rules);
        QCOMPARE(analysis::describeAlertRule((*rules)[0]),
                 std::string("latency_p99_ms{service=checkout} > 500 for 2 min"));
        QCOMPARE(analysis::describeAlertRule((*rules)[1]),
                 std::string("3 × category failure per service within 10 min"));
        QCOMPARE(analysis::describeAlertRule((*rules)[2]),
                 std::string("error_rate 6σ off its last 30 min for 1 min"));
    }
};

QTEST_GUILESS_MAIN(TestAlertRules)
#include "tst_alertrules.moc"
