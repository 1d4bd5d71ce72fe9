// The scenario simulator: deterministic, decodable in every format it speaks, and its ground
// truth names events that exist, in the right order, with the effects the metrics show.

#include "../analysis/simulatedcapture.h"
#include "decode/messagedecoder.h"
#include "model/recordbatch.h"
#include "sim/messagesink.h"
#include "sim/simulator.h"
#include "util/timeformat.h"

#include <QTest>

#include <algorithm>
#include <map>
#include <set>

using namespace eventscope;

namespace {

constexpr TimeUs kMinute = 60 * kMicrosPerSecond;

sim::SimulatorOptions optionsFor(std::uint64_t seed, TimeUs duration)
{
    sim::SimulatorOptions options;
    options.seed = seed;
    options.start = *parseTimestamp("2026-11-24T06:00:00Z");
    options.duration = duration;
    options.tracesPerSecond = 0.5; // enough traces to check, fewer to decode
    return options;
}

std::vector<sim::OutgoingMessage> runAll(const sim::SimulatorOptions &options)
{
    sim::Simulator simulator(options);
    std::vector<sim::OutgoingMessage> messages;
    while (simulator.next(messages)) { }
    return messages;
}

// Decodes as Kafka ingest would: payload, headers and the topic's default kind.
struct Decoded
{
    RecordBatch batch;
    std::map<std::string, const Event *> events;
};

void decodeAll(const std::vector<sim::OutgoingMessage> &messages, Decoded &out)
{
    MessageDecoder decoder;
    testing::decodeAsIngest(messages, decoder, out.batch);
    for (const Event &e : out.batch.events)
        out.events[e.sourceId] = &e;
}

} // namespace

class TestSimulator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sameSeedSameTraffic()
    {
        const auto a = runAll(optionsFor(11, 90 * kMinute));
        const auto b = runAll(optionsFor(11, 90 * kMinute));
        QCOMPARE(a.size(), b.size());
        for (std::size_t i = 0; i < a.size(); ++i) {
            QCOMPARE(a[i].topic, b[i].topic);
            QCOMPARE(a[i].key, b[i].key);
            QCOMPARE(a[i].value, b[i].value);
            QCOMPARE(a[i].headers, b[i].headers);
        }
        const auto c = runAll(optionsFor(12, 90 * kMinute));
        std::size_t same = 0;
        for (std::size_t i = 0; i < std::min(a.size(), c.size()); ++i)
            same += a[i].value == c[i].value ? 1 : 0;
        QVERIFY2(same < a.size() / 100, "another seed must give other traffic");
    }

    void messagesAreTimeOrderedAndUseEveryFormat()
    {
        const auto messages = runAll(optionsFor(3, 3 * 60 * kMinute));
        QVERIFY(messages.size() > 20000);
        std::set<std::string> formats;
        std::set<std::string> topics;
        for (std::size_t i = 0; i < messages.size(); ++i) {
            const auto &m = messages[i];
            if (i > 0)
                QVERIFY2(messages[i - 1].time <= m.time + 10 * kMicrosPerSecond,
                         "messages go out roughly in time order");
            topics.insert(m.topic);
            const std::string &v = m.value;
            if (!m.headers.empty() && m.headers.front().first == "ce_specversion")
                formats.insert("cloudevents-binary");
            else if (v.starts_with("{\"specversion\""))
                formats.insert("cloudevents-structured");
            else if (v.starts_with("{\"apiVersion\":\"v1\",\"kind\":\"Event\""))
                formats.insert("kubernetes");
            else if (v.starts_with("node_stats,"))
                formats.insert("influx");
            else if (v.starts_with("{\"resourceMetrics\""))
                formats.insert("otlp-metrics");
            else if (v.starts_with("{\"resourceLogs\""))
                formats.insert("otlp-logs");
            else if (v.starts_with("{\"resourceSpans\""))
                formats.insert("otlp-traces");
            else if (v.find("\"__name__\"") != std::string::npos)
                formats.insert("prometheus");
            else if (m.topic == "metrics")
                formats.insert("native-metric");
            else if (m.topic == "logs")
                formats.insert("native-log");
            else
                formats.insert("native-event");
        }
        QCOMPARE(formats.size(), std::size_t{11});
        QCOMPARE(topics.size(), std::size_t{6});
    }

    void everythingDecodesAndTheTruthHolds()
    {
        // Six incident slots fit in 200 minutes after the warm-up; a shuffled cycle of the six
        // kinds puts each kind in one of them.
        const auto options = optionsFor(5, 200 * kMinute);
        sim::Simulator simulator(options);
        std::vector<sim::OutgoingMessage> messages;
        while (simulator.next(messages)) { }
        Decoded decoded;
        decodeAll(messages, decoded);
        for (const DeadLetter &dead : decoded.batch.deadLetters)
            QFAIL(qPrintable(QString::fromStdString("dead letter: " + dead.reason)));
        QVERIFY(!decoded.batch.samples.empty());
        QVERIFY(!decoded.batch.logs.empty());
        QVERIFY(!decoded.batch.spans.empty());

        const sim::GroundTruth &truth = simulator.truth();
        QVERIFY(truth.incidents.size() >= 6);
        std::set<std::string> kinds;
        std::set<std::string> truthIds;
        for (const sim::TruthIncident &incident : truth.incidents) {
            kinds.insert(incident.kind);
            truthIds.insert(incident.id);
            const auto found = decoded.events.find(incident.id);
            QVERIFY2(found != decoded.events.end(), incident.id.c_str());
            const Event &failure = *found->second;
            QCOMPARE(failure.category, EventCategory::Failure);
            QCOMPARE(failure.type, incident.type);
            QCOMPARE(failure.time, incident.time);
            QVERIFY(!incident.suspectService.empty() || !incident.suspectEntity.empty());
            if (!incident.cause.empty()) {
                const auto cause = decoded.events.find(incident.cause);
                QVERIFY2(cause != decoded.events.end(), incident.cause.c_str());
                QCOMPARE(cause->second->type, incident.causeType);
                QVERIFY(cause->second->time < failure.time);
                QVERIFY(failure.time - cause->second->time < 30 * kMinute);
                QVERIFY(cause->second->category != EventCategory::Failure);
            }
            QVERIFY2(!incident.recovery.empty(), incident.id.c_str());
            const auto recovery = decoded.events.find(incident.recovery);
            QVERIFY(recovery != decoded.events.end());
            QVERIFY(recovery->second->time > failure.time);
        }
        // Every failure the simulator emitted is in the truth: nothing unexplained.
        for (const Event &e : decoded.batch.events) {
            if (e.category == EventCategory::Failure)
                QVERIFY2(truthIds.count(e.sourceId) == 1, e.type.c_str());
        }
        QCOMPARE(kinds.size(), std::size_t{6}); // all kinds within three hours
    }

    void scenarioFilterLimitsIncidentKinds()
    {
        auto options = optionsFor(9, 3 * 60 * kMinute);
        options.scenarios = {sim::Scenario::Scaling};
        sim::Simulator simulator(options);
        std::vector<sim::OutgoingMessage> messages;
        while (simulator.next(messages)) { }
        QVERIFY(!simulator.truth().incidents.empty());
        for (const auto &incident : simulator.truth().incidents)
            QCOMPARE(incident.kind, std::string("traffic_surge"));
        QCOMPARE(simulator.truth().effects.size(), simulator.truth().incidents.size());

        QVERIFY(!sim::parseScenarios("scaling,bogus"));
        QVERIFY(sim::parseScenarios("failures,scaling")->size() == 2);
    }

    // The call graph a trace shows is the fleet's: frontend calls checkout and search,
    // checkout calls payments, inventory and cart, and so on down to the databases.
    void tracesFollowTheCallGraph()
    {
        const auto messages = runAll(optionsFor(2, 60 * kMinute));
        Decoded decoded;
        decodeAll(messages, decoded);
        std::map<std::string, const Span *> bySpanId;
        for (const Span &s : decoded.batch.spans)
            bySpanId[s.spanId] = &s;
        std::set<std::pair<std::string, std::string>> edges;
        for (const Span &s : decoded.batch.spans) {
            if (s.parentSpanId.empty())
                continue;
            const auto parent = bySpanId.find(s.parentSpanId);
            QVERIFY(parent != bySpanId.end());
            edges.insert({parent->second->service, s.service});
            QVERIFY(s.start >= parent->second->start);
        }
        const std::set<std::pair<std::string, std::string>> expected
            = {{"frontend", "checkout"},    {"frontend", "search"},       {"checkout", "payments"},
               {"checkout", "inventory"},   {"checkout", "cart"},         {"search", "catalog"},
               {"payments", "payments-db"}, {"inventory", "inventory-db"}};
        QCOMPARE(edges, expected);
    }

    // The surge's scale-out changes frontend p99 latency by what the truth says, measured
    // the way an operator would: medians of five minutes before and after, from noisy data.
    void scaleOutEffectShowsInTheMetrics()
    {
        auto options = optionsFor(21, 3 * 60 * kMinute);
        options.scenarios = {sim::Scenario::Scaling};
        sim::Simulator simulator(options);
        std::vector<sim::OutgoingMessage> messages;
        while (simulator.next(messages)) { }
        Decoded decoded;
        decodeAll(messages, decoded);
        std::int64_t latency = -1;
        for (std::size_t i = 0; i < decoded.batch.series.size(); ++i) {
            if (decoded.batch.series[i].key.canonical() == "latency_p99_ms{service=frontend}")
                latency = static_cast<std::int64_t>(i);
        }
        QVERIFY(latency >= 0);
        QVERIFY(!simulator.truth().effects.empty());
        for (const sim::TruthEffect &effect : simulator.truth().effects) {
            std::vector<double> before, after;
            for (const auto &s : decoded.batch.samples) {
                if (static_cast<std::int64_t>(s.series) != latency)
                    continue;
                if (s.time >= effect.time - 5 * kMinute && s.time < effect.time)
                    before.push_back(s.value);
                else if (s.time > effect.time && s.time <= effect.time + 5 * kMinute)
                    after.push_back(s.value);
            }
            auto median = [](std::vector<double> v) {
                std::sort(v.begin(), v.end());
                return v[v.size() / 2];
            };
            QVERIFY(before.size() >= 25 && after.size() >= 25);
            const double measured = median(after) / median(before) - 1.0;
            QVERIFY2(std::abs(measured - effect.relativeChange())
                         <= 0.1 * std::abs(effect.relativeChange()),
                     qPrintable(QStringLiteral("measured %1, truth %2")
                                    .arg(measured)
                                    .arg(effect.relativeChange())));
            QVERIFY(effect.relativeChange() < -0.3);
        }
    }

    void ndjsonLinesDecodeLikeKafkaMessages()
    {
        const auto messages = runAll(optionsFor(4, 40 * kMinute));
        Decoded viaKafka;
        decodeAll(messages, viaKafka);
        RecordBatch viaFile;
        MessageDecoder decoder;
        std::int64_t lines = 0;
        for (const sim::OutgoingMessage &m : messages) {
            const std::string text = sim::NdjsonSink::toLines(m);
            std::string_view rest = text;
            while (!rest.empty()) {
                const auto newline = rest.find('\n');
                Message message;
                message.payload = rest.substr(0, newline);
                message.receivedAt = m.time;
                ++lines;
                QVERIFY2(decoder.decode(message, viaFile),
                         viaFile.deadLetters.empty() ? ""
                                                     : viaFile.deadLetters.back().reason.c_str());
                rest = newline == std::string_view::npos ? std::string_view()
                                                         : rest.substr(newline + 1);
            }
        }
        QVERIFY(lines > static_cast<std::int64_t>(messages.size()));
        QCOMPARE(viaFile.events.size(), viaKafka.batch.events.size());
        for (std::size_t i = 0; i < viaFile.events.size(); ++i) {
            QCOMPARE(viaFile.events[i].sourceId, viaKafka.batch.events[i].sourceId);
            QCOMPARE(viaFile.events[i].type, viaKafka.batch.events[i].type);
            QCOMPARE(viaFile.events[i].service, viaKafka.batch.events[i].service);
            QCOMPARE(viaFile.events[i].entity, viaKafka.batch.events[i].entity);
            QCOMPARE(viaFile.events[i].time, viaKafka.batch.events[i].time);
        }
        QCOMPARE(viaFile.samples.size(), viaKafka.batch.samples.size());
        QCOMPARE(viaFile.spans.size(), viaKafka.batch.spans.size());
        QCOMPARE(viaFile.logs.size(), viaKafka.batch.logs.size());
    }

    void truthJsonIsValid()
    {
        auto options = optionsFor(6, 60 * kMinute);
        sim::Simulator simulator(options);
        std::vector<sim::OutgoingMessage> messages;
        while (simulator.next(messages)) { }
        const std::string json = simulator.truth().toJson();
        simdjson::dom::parser parser;
        simdjson::dom::element root;
        QCOMPARE(parser.parse(json).get(root), simdjson::SUCCESS);
        simdjson::dom::array incidents;
        QCOMPARE(root["incidents"].get(incidents), simdjson::SUCCESS);
        QCOMPARE(incidents.size(), simulator.truth().incidents.size());
        std::int64_t seed = 0;
        QCOMPARE(root["seed"].get(seed), simdjson::SUCCESS);
        QCOMPARE(seed, 6);
    }
};

QTEST_GUILESS_MAIN(TestSimulator)
#include "tst_simulator.moc"
