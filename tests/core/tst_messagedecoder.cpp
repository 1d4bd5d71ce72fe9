#include "decode/jsonerrorlocator.h"
#include "decode/messagedecoder.h"
#include "testprinters.h"

#include <QTest>

#include <cmath>

using namespace eventscope;

namespace {

RecordBatch decodeOne(const std::string &payload, RecordKind kind = RecordKind::Unknown,
                      bool *ok = nullptr)
{
    MessageDecoder decoder;
    RecordBatch batch;
    Message message;
    message.payload = payload;
    message.topicKind = kind;
    message.origin = {"t", 1, 42};
    const bool decoded = decoder.decode(message, batch);
    if (ok)
        *ok = decoded;
    return batch;
}

} // namespace

class TestMessageDecoder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decodesNativeEventWithEveryField()
    {
        bool ok = false;
        const RecordBatch batch = decodeOne(
            R"({"id":"evt-8f2c","time":"2026-11-24T10:00:00.123Z","type":"scaling.scale_out","category":"scaling",)"
            R"("severity":"info","service":"checkout","entity":"node-7","cluster":"prod-eu","message":"added 2 nodes",)"
            R"("trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","attributes":{"from":4,"to":6}})",
            RecordKind::Unknown, &ok);
        QVERIFY(ok);
        QCOMPARE(batch.events.size(), std::size_t(1));
        const Event &e = batch.events[0];
        QCOMPARE(e.sourceId, std::string("evt-8f2c"));
        QCOMPARE(e.time, 1'795'514'400'123'000LL);
        QCOMPARE(e.type, std::string("scaling.scale_out"));
        QCOMPARE(e.category, EventCategory::Scaling);
        QCOMPARE(e.severity, Severity::Info);
        QCOMPARE(e.service, std::string("checkout"));
        QCOMPARE(e.entity, std::string("node-7"));
        QCOMPARE(e.cluster, std::string("prod-eu"));
        QCOMPARE(e.message, std::string("added 2 nodes"));
        QCOMPARE(e.traceId, std::string("4bf92f3577b34da6a3ce929d0e0e4736"));
        QCOMPARE(e.attributes, std::string(R"({"from":4,"to":6})"));
        QCOMPARE(e.origin, (Origin{"t", 1, 42}));
    }

    void infersCategoryAndSeverityWhenAbsent_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<int>("category");
        QTest::addColumn<int>("severity");
        QTest::newRow("prefix") << "deployment.rollout" << int(EventCategory::Deployment)
                                << int(Severity::Info);
        QTest::newRow("failure defaults to error")
            << "failure.crash" << int(EventCategory::Failure) << int(Severity::Error);
        QTest::newRow("keyword") << "PodCrashLoop" << int(EventCategory::Failure)
                                 << int(Severity::Error);
        QTest::newRow("recovery keyword")
            << "service_recovered" << int(EventCategory::Recovery) << int(Severity::Info);
        QTest::newRow("nothing known")
            << "heartbeat" << int(EventCategory::Other) << int(Severity::Info);
    }
    void infersCategoryAndSeverityWhenAbsent()
    {
        QFETCH(QString, type);
        QFETCH(int, category);
        QFETCH(int, severity);
        const RecordBatch batch
            = decodeOne(R"({"id":"1","time":1764000000,"type":")" + type.toStdString() + R"("})");
        QCOMPARE(batch.events.size(), std::size_t(1));
        QCOMPARE(int(batch.events[0].category), category);
        QCOMPARE(int(batch.events[0].severity), severity);
    }

    void decodesNativeAndPrometheusMetrics_data()
    {
        QTest::addColumn<QString>("payload");
        QTest::addColumn<QString>("series");
        QTest::addColumn<double>("value");
        QTest::addColumn<qint64>("time");
        const qint64 t = 1'764'000'000'000'000LL;
        QTest::newRow("native")
            << R"({"time":"2025-11-24T16:00:00Z","name":"cpu_utilization","labels":{"service":"checkout","node":"node-7"},"value":0.83,"unit":"ratio"})"
            << "cpu_utilization{node=node-7,service=checkout}" << 0.83 << t;
        QTest::newRow("prometheus adapter")
            << R"({"timestamp":"2025-11-24T16:00:00Z","value":"0.83","name":"up","labels":{"__name__":"up","job":"api"}})"
            << "up{job=api}" << 0.83 << t;
        QTest::newRow("string NaN") << R"({"time":1764000000000,"name":"x","value":"NaN"})"
                                    << "x{}" << std::nan("") << t;
        QTest::newRow("string +Inf") << R"({"time":1764000000000000,"name":"x","value":"+Inf"})"
                                     << "x{}" << HUGE_VAL << t;
        QTest::newRow("integer value, ns time")
            << R"({"time":1764000000000000000,"name":"n","value":12})"
            << "n{}" << 12.0 << t;
    }
    void decodesNativeAndPrometheusMetrics()
    {
        QFETCH(QString, payload);
        QFETCH(QString, series);
        QFETCH(double, value);
        QFETCH(qint64, time);
        bool ok = false;
        const RecordBatch batch = decodeOne(payload.toStdString(), RecordKind::Unknown, &ok);
        QVERIFY(ok);
        QCOMPARE(batch.samples.size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(batch.series[batch.samples[0].series].key.canonical()),
                 series);
        const double got = batch.samples[0].value;
        QVERIFY((std::isnan(value) && std::isnan(got)) || got == value);
        QCOMPARE(batch.samples[0].time, time);
        QCOMPARE(batch.sampleOrigins.at(batch.samples[0].origin), (Origin{"t", 1, 42}));
    }

    void decodesNativeLogsAndSpans()
    {
        RecordBatch logBatch = decodeOne(
            R"({"time":"2025-11-24T16:00:00Z","service":"checkout","entity":"pod-3","level":"error","message":"boom","trace_id":"abc"})");
        QCOMPARE(logBatch.logs.size(), std::size_t(1));
        QCOMPARE(logBatch.logs[0].level, Severity::Error);
        QCOMPARE(logBatch.logs[0].traceId, std::string("abc"));
        RecordBatch spanBatch = decodeOne(
            R"({"trace_id":"t1","span_id":"s2","parent_span_id":"s1","name":"GET /pay","service":"payments","kind":2,"start":"2025-11-24T16:00:00Z","end":"2025-11-24T16:00:00.250Z","status":"error"})");
        QCOMPARE(spanBatch.spans.size(), std::size_t(1));
        QCOMPARE(spanBatch.spans[0].duration(), 250'000);
        QCOMPARE(spanBatch.spans[0].status, SpanStatus::Error);
        QCOMPARE(spanBatch.spans[0].parentSpanId, std::string("s1"));
    }

    void badInputBecomesADeadLetterWithAReason_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("reason");
        QTest::newRow("empty") << QByteArray() << 0 << "empty message";
        QTest::newRow("whitespace") << QByteArray("  \n") << 0 << "only whitespace";
        QTest::newRow("missing colon") << QByteArray(R"({"id": "x" "time": 1})") << 0
                                       << "line 1 col 12: expected ',' or '}' in an object";
        QTest::newRow("truncated") << QByteArray(R"({"id":"evt-1","time":"2026-)") << 0
                                   << "malformed JSON: line 1 col 28: unterminated string";
        QTest::newRow("missing time") << QByteArray(R"({"id":"1","type":"x.y"})") << 0
                                      << "event: required field 'time' is missing";
        QTest::newRow("bad time") << QByteArray(R"({"id":"1","type":"x.y","time":"yesterday"})")
                                  << 0 << "event: field 'time' is not a timestamp: \"yesterday\"";
        QTest::newRow("type is object") << QByteArray(R"({"id":"1","type":{},"time":1})") << 0
                                        << "event: field 'type' must be a string, not an object";
        QTest::newRow("metric without value")
            << QByteArray(R"({"name":"cpu","time":1})") << 0 << "metric without value";
        QTest::newRow("metric value word")
            << QByteArray(R"({"name":"cpu","time":1,"value":"high"})") << 0
            << "field 'value' is not a number: \"high\"";
        QTest::newRow("metrics topic, no name")
            << QByteArray(R"({"time":1,"value":3})") << int(RecordKind::Metrics)
            << "metric: required field 'name' is missing";
        QTest::newRow("huge number")
            << QByteArray(R"({"id":"1","type":"a","time":1e999})") << 0 << "number";
        QTest::newRow("array") << QByteArray(R"([1,2,3])") << 0 << "a JSON array";
        QTest::newRow("binary garbage")
            << QByteArray("\x00\x01\xff\xfe garbage", 12) << 0 << "not valid UTF-8 (byte 2)";
        QTest::newRow("invalid UTF-8 in JSON")
            << QByteArray("{\"id\":\"\xc3\x28\",\"time\":1,\"type\":\"a\"}") << 0
            << "not valid UTF-8 (byte 7)";
        QTest::newRow("plain text")
            << QByteArray("hello world") << 0 << "not JSON and no other supported format";
        QTest::newRow("unknown shape")
            << QByteArray(R"({"foo":1})") << 0 << "unrecognised JSON object";
        QTest::newRow("attributes not object")
            << QByteArray(R"({"id":"1","type":"a","time":1,"attributes":[1]})") << 0
            << "field 'attributes' must be an object";
        QTest::newRow("10 MB payload")
            << QByteArray(10 * 1024 * 1024, ' ').prepend('{') << 0 << "bytes, over the 8 MiB limit";
        QTest::newRow("deep nesting") << QByteArray(5000, '[') << 0 << "malformed JSON";
    }
    void badInputBecomesADeadLetterWithAReason()
    {
        QFETCH(QByteArray, payload);
        QFETCH(int, kind);
        QFETCH(QString, reason);
        bool ok = true;
        const RecordBatch batch
            = decodeOne(payload.toStdString(), static_cast<RecordKind>(kind), &ok);
        QVERIFY(!ok);
        QCOMPARE(batch.recordCount(), std::size_t(1));
        QCOMPARE(batch.deadLetters.size(), std::size_t(1));
        const DeadLetter &letter = batch.deadLetters[0];
        QVERIFY2(QString::fromStdString(letter.reason).contains(reason), letter.reason.c_str());
        QVERIFY(letter.payload.size() <= DeadLetter::kMaxPayload);
        QCOMPARE(letter.origin, (Origin{"t", 1, 42}));
    }

    void topicNamesGiveDefaultKinds_data()
    {
        QTest::addColumn<QString>("topic");
        QTest::addColumn<int>("kind");
        QTest::newRow("scaling_events") << "scaling_events" << int(RecordKind::Events);
        QTest::newRow("failure_events") << "failure_events" << int(RecordKind::Events);
        QTest::newRow("resource_provisioning")
            << "resource_provisioning" << int(RecordKind::Events);
        QTest::newRow("metrics") << "metrics" << int(RecordKind::Metrics);
        QTest::newRow("logs") << "logs" << int(RecordKind::Logs);
        QTest::newRow("traces") << "traces" << int(RecordKind::Traces);
        QTest::newRow("otel-spans") << "otel-spans" << int(RecordKind::Traces);
        QTest::newRow("other") << "billing" << int(RecordKind::Unknown);
    }
    void topicNamesGiveDefaultKinds()
    {
        QFETCH(QString, topic);
        QFETCH(int, kind);
        QCOMPARE(int(kindForTopic(topic.toStdString())), kind);
    }

    void jsonErrorLocatorAcceptsValidJson()
    {
        QCOMPARE(locateJsonError(R"({"a":[1,2.5e3,-0,true,null,"x\u00e9\n"],"b":{}})"),
                 std::string());
        QCOMPARE(locateJsonError("{\n  \"a\": 1,\n  \"b\" 2\n}"),
                 std::string("line 3 col 7: expected ':' after an object key, found '2'"));
    }
};

QTEST_APPLESS_MAIN(TestMessageDecoder)
#include "tst_messagedecoder.moc"
