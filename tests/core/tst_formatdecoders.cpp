// Every wire format of FORMATS.md through the one decoder entry point, with the public
// conformance data in ../shared/testdata/conformance where it is present.

#include "decode/messagedecoder.h"
#include "testprinters.h"
#include "util/timeformat.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cmath>
#include <map>

using namespace eventscope;

namespace {

const QString kConformance = QStringLiteral(EVENTSCOPE_CONFORMANCE_DIR);

struct Decoded
{
    bool ok = false;
    RecordBatch batch;
    std::string reason() const
    {
        return batch.deadLetters.empty() ? std::string() : batch.deadLetters[0].reason;
    }
};

Decoded decode(const QByteArray &payload,
               std::vector<std::pair<std::string, std::string>> headers = {},
               RecordKind kind = RecordKind::Unknown)
{
    static MessageDecoder decoder;
    std::vector<MessageHeader> views;
    for (const auto &[name, value] : headers)
        views.push_back({name, value});
    Message message;
    message.payload
        = std::string_view(payload.constData(), static_cast<std::size_t>(payload.size()));
    message.headers = views;
    message.topicKind = kind;
    message.receivedAt = 1'700'000'000'000'000LL;
    Decoded result;
    result.ok = decoder.decode(message, result.batch);
    return result;
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return file.readAll();
}

std::string attribute(const Event &event, const char *key)
{
    const QJsonObject object
        = QJsonDocument::fromJson(QByteArray::fromStdString(event.attributes)).object();
    const QJsonValue value = object.value(QLatin1String(key));
    return value.isString() ? value.toString().toStdString()
                            : QJsonDocument(QJsonArray{value})
                                  .toJson(QJsonDocument::Compact)
                                  .mid(1)
                                  .chopped(1)
                                  .toStdString();
}

std::map<std::string, double> samplesByName(const RecordBatch &batch)
{
    std::map<std::string, double> out;
    for (const SampleRecord &s : batch.samples)
        out[batch.series[s.series].key.canonical()] = s.value;
    return out;
}

} // namespace

class TestFormatDecoders : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // CloudEvents JSON format conformance suite: valid-events.json must decode.
    void cloudEventsValidConformance()
    {
        const QString path = kConformance
            + QStringLiteral("/cloudevents-conformance/format/json/valid-events.json");
        if (!QFile::exists(path))
            QSKIP(qPrintable(
                QStringLiteral("conformance data not found at %1 (../shared/testdata)").arg(path)));
        const QJsonArray tests = QJsonDocument::fromJson(readFile(path))
                                     .object()
                                     .value(QLatin1String("tests"))
                                     .toArray();
        QCOMPARE(tests.size(), 10);
        for (const QJsonValue &test : tests) {
            const QJsonObject event = test.toObject().value(QLatin1String("event")).toObject();
            const QString name = test.toObject().value(QLatin1String("id")).toString();
            const Decoded d = decode(QJsonDocument(event).toJson(QJsonDocument::Compact));
            QVERIFY2(d.ok,
                     qPrintable(name + QStringLiteral(": ") + QString::fromStdString(d.reason())));
            QCOMPARE(d.batch.events.size(), std::size_t(1));
            const Event &e = d.batch.events[0];
            QCOMPARE(QString::fromStdString(e.sourceId),
                     event.value(QLatin1String("id")).toString());
            QCOMPARE(QString::fromStdString(e.type), event.value(QLatin1String("type")).toString());
            if (event.value(QLatin1String("time")).isString())
                QCOMPARE(formatTimestamp(e.time), std::string("2018-04-05T17:31:00Z"));
            QCOMPARE(QString::fromStdString(attribute(e, "source")),
                     event.value(QLatin1String("source")).toString());
            if (name == QLatin1String("validAllExtensionTypes")) {
                QCOMPARE(attribute(e, "extinteger"), std::string("10"));
                QCOMPARE(attribute(e, "extboolean"), std::string("true"));
                QCOMPARE(attribute(e, "exturiref"), std::string("//authority/path"));
            }
            if (name == QLatin1String("validSimpleTextData"))
                QCOMPARE(e.message, std::string("Simple text"));
        }
    }

    // ... and every one of invalid-events.json must be rejected, with a CloudEvent reason.
    void cloudEventsInvalidConformance()
    {
        const QString path = kConformance
            + QStringLiteral("/cloudevents-conformance/format/json/invalid-events.json");
        if (!QFile::exists(path))
            QSKIP(qPrintable(
                QStringLiteral("conformance data not found at %1 (../shared/testdata)").arg(path)));
        const QJsonArray tests = QJsonDocument::fromJson(readFile(path))
                                     .object()
                                     .value(QLatin1String("tests"))
                                     .toArray();
        QCOMPARE(tests.size(), 25);
        for (const QJsonValue &test : tests) {
            const QJsonObject event = test.toObject().value(QLatin1String("event")).toObject();
            const QString name = test.toObject().value(QLatin1String("id")).toString();
            const Decoded d = decode(QJsonDocument(event).toJson(QJsonDocument::Compact));
            QVERIFY2(!d.ok, qPrintable(name + QStringLiteral(" was accepted")));
            QVERIFY2(d.batch.events.empty(), qPrintable(name));
            QVERIFY2(QString::fromStdString(d.reason()).startsWith(QStringLiteral("CloudEvent")),
                     qPrintable(name + QStringLiteral(": ") + QString::fromStdString(d.reason())));
        }
    }

    // features/kafka-protocol-binding.feature
    void cloudEventsKafkaBinaryMode()
    {
        const Decoded d = decode(R"({"message": "Hello World!"})",
                                 {{"ce_specversion", "1.0"},
                                  {"ce_id", "1234-1234-1234"},
                                  {"ce_type", "com.example.someevent"},
                                  {"ce_source", "/mycontext/subcontext"},
                                  {"ce_time", "2018-04-05T03:56:24Z"},
                                  {"content-type", "application/json"}});
        QVERIFY2(d.ok, d.reason().c_str());
        const Event &e = d.batch.events.at(0);
        QCOMPARE(e.sourceId, std::string("1234-1234-1234"));
        QCOMPARE(e.type, std::string("com.example.someevent"));
        QCOMPARE(formatTimestamp(e.time), std::string("2018-04-05T03:56:24Z"));
        QCOMPARE(attribute(e, "source"), std::string("/mycontext/subcontext"));
        QCOMPARE(attribute(e, "datacontenttype"), std::string("application/json"));
        QCOMPARE(attribute(e, "data"), std::string(R"({"message":"Hello World!"})"));
        QCOMPARE(e.message, std::string("Hello World!")); // native field in data
        QCOMPARE(e.service, std::string("subcontext")); // last segment of source
    }

    void cloudEventsKafkaStructuredMode_data()
    {
        QTest::addColumn<QString>("contentType");
        QTest::newRow("plain") << "application/cloudevents+json";
        QTest::newRow("charset") << "application/cloudevents+json; charset=utf-8";
    }
    void cloudEventsKafkaStructuredMode()
    {
        QFETCH(QString, contentType);
        const Decoded d = decode(
            R"({"specversion": "1.0", "type": "com.example.someevent", "time": "2018-04-05T03:56:24Z",
                                    "id": "1234-1234-1234", "source": "/mycontext/subcontext", "datacontenttype": "application/json",
                                    "data": {"message": "Hello World!"}})",
            {{"content-type", contentType.toStdString()}});
        QVERIFY2(d.ok, d.reason().c_str());
        const Event &e = d.batch.events.at(0);
        QCOMPARE(e.sourceId, std::string("1234-1234-1234"));
        QCOMPARE(formatTimestamp(e.time), std::string("2018-04-05T03:56:24Z"));
        QCOMPARE(attribute(e, "datacontenttype"), std::string("application/json"));
        QCOMPARE(attribute(e, "data"), std::string(R"({"message":"Hello World!"})"));
    }

    void cloudEventsBinaryRejectsWhatIsMissing_data()
    {
        QTest::addColumn<QString>("drop");
        QTest::addColumn<QString>("reason");
        QTest::newRow("no id") << "ce_id"
                               << "required attribute 'id' is missing";
        QTest::newRow("no source") << "ce_source"
                                   << "required attribute 'source' is missing";
        QTest::newRow("bad time") << "ce_time=lunchtime"
                                  << "ce_time \"lunchtime\" is not an RFC 3339 timestamp";
        QTest::newRow("bad json data") << "payload"
                                       << "the value is not valid JSON";
    }
    void cloudEventsBinaryRejectsWhatIsMissing()
    {
        QFETCH(QString, drop);
        QFETCH(QString, reason);
        std::vector<std::pair<std::string, std::string>> headers
            = {{"ce_specversion", "1.0"},
               {"ce_id", "1"},
               {"ce_type", "t.x"},
               {"ce_source", "/s"},
               {"content-type", "application/json"}};
        if (drop.contains(QLatin1Char('=')))
            headers.emplace_back(drop.section(QLatin1Char('='), 0, 0).toStdString(),
                                 drop.section(QLatin1Char('='), 1).toStdString());
        else
            std::erase_if(headers, [&](const auto &h) { return h.first == drop.toStdString(); });
        const Decoded d = decode(
            drop == QLatin1String("payload") ? QByteArray("{broken") : QByteArray("{}"), headers);
        QVERIFY(!d.ok);
        QVERIFY2(QString::fromStdString(d.reason()).contains(reason), d.reason().c_str());
    }

    // A real capture from a kind cluster: every Event decodes, other objects are rejected.
    void kubernetesEventsFromKspanCapture()
    {
        const QString path = QStringLiteral(KSPAN_EVENTS_NDJSON);
        if (!QFile::exists(path))
            QSKIP("kspan conformance data not found (../shared/testdata); nothing converted");
        int events = 0, others = 0;
        std::map<std::string, int> types;
        for (const QByteArray &line : readFile(path).split('\n')) {
            if (line.isEmpty())
                continue;
            const bool isEvent
                = QJsonDocument::fromJson(line).object().value(QLatin1String("kind")).toString()
                == QLatin1String("Event");
            const Decoded d = decode(line);
            if (!isEvent) {
                QVERIFY2(!d.ok, line.left(120).constData()); // a ReplicaSet or Pod is not an event
                ++others;
                continue;
            }
            QVERIFY2(d.ok, d.reason().c_str());
            ++events;
            const Event &e = d.batch.events.at(0);
            ++types[e.type];
            QVERIFY(e.type.starts_with("k8s."));
            QVERIFY(!e.sourceId.empty());
            QVERIFY(e.time > 1'621'000'000'000'000LL);
            if (e.type == "k8s.ScalingReplicaSet") {
                QCOMPARE(e.category, EventCategory::Scaling);
                QCOMPARE(e.entity, std::string("Deployment/default/px"));
                QCOMPARE(e.service, std::string("px"));
                QCOMPARE(attribute(e, "component"), std::string("deployment-controller"));
            }
            if (e.type == "k8s.Scheduled") {
                QCOMPARE(e.category, EventCategory::Provisioning);
                QVERIFY(e.entity.starts_with("Pod/default/px-"));
                QCOMPARE(e.service, std::string("px")); // pod name minus its hashes
            }
            if (e.type == "k8s.Killing")
                QCOMPARE(e.category, EventCategory::Other);
        }
        QCOMPARE(events, 19);
        QVERIFY(others > 0);
        for (const char *reason :
             {"k8s.ScalingReplicaSet", "k8s.SuccessfulCreate", "k8s.Scheduled", "k8s.Pulling",
              "k8s.Pulled", "k8s.Created", "k8s.Started", "k8s.Killing"})
            QVERIFY2(types.count(reason), reason);
    }

    void kubernetesEventsK8sIoV1AndLists()
    {
        const Decoded v1 = decode(
            R"({"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"uid":"u-1","name":"n"},
            "eventTime":"2026-11-24T10:00:00.123456Z","reason":"OOMKilling","note":"Memory cgroup out of memory",
            "type":"Warning","regarding":{"kind":"Pod","namespace":"shop","name":"payments-6b7f9c4d8-q2w3e"},
            "deprecatedSource":{"host":"node-7"},"reportingController":"kubelet","series":{"count":3,"lastObservedTime":"2026-11-24T10:05:00Z"}})");
        QVERIFY2(v1.ok, v1.reason().c_str());
        const Event &e = v1.batch.events.at(0);
        QCOMPARE(e.type, std::string("k8s.OOMKilling"));
        QCOMPARE(e.category, EventCategory::Failure);
        QCOMPARE(e.severity, Severity::Error);
        QCOMPARE(e.entity, std::string("Pod/shop/payments-6b7f9c4d8-q2w3e"));
        QCOMPARE(e.service, std::string("payments"));
        QCOMPARE(e.message, std::string("Memory cgroup out of memory"));
        QCOMPARE(formatTimestamp(e.time),
                 std::string("2026-11-24T10:05:00Z")); // latest observation
        QCOMPARE(attribute(e, "node"), std::string("node-7"));
        QCOMPARE(attribute(e, "count"), std::string("3"));
        QCOMPARE(attribute(e, "component"), std::string("kubelet"));

        const Decoded list = decode(R"({"kind":"EventList","items":[
            {"metadata":{"uid":"a"},"reason":"Pulled","involvedObject":{"kind":"Pod","name":"x-1"},"lastTimestamp":"2026-11-24T10:00:00Z","type":"Normal"},
            {"metadata":{"uid":"b"},"reason":"BackOff","involvedObject":{"kind":"Pod","name":"x-1"},"lastTimestamp":"2026-11-24T10:01:00Z","type":"Warning"}]})");
        QVERIFY2(list.ok, list.reason().c_str());
        QCOMPARE(list.batch.events.size(), std::size_t(2));
        const Decoded bad = decode(
            R"({"kind":"EventList","items":[{"metadata":{"uid":"a"},"reason":"Pulled","involvedObject":{"kind":"Pod"}},
            {"metadata":{},"reason":"X","involvedObject":{"kind":"Pod"}}]})");
        QVERIFY(!bad.ok);
        QCOMPARE(bad.batch.events.size(), std::size_t(0)); // whole list or nothing
        QVERIFY2(bad.reason().starts_with("item 1: "), bad.reason().c_str());
    }

    void influxLineProtocol_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QString>("expected"); // "series=value;..." or "!reason"
        QTest::newRow("telegraf default") << QByteArray(
            "cpu,host=node-7,service=checkout usage_user=12.5,usage_system=3i 1764000000000000000")
                                          << "cpu.usage_system{host=node-7,service=checkout}=3;cpu."
                                             "usage_user{host=node-7,service=checkout}=12.5";
        QTest::newRow("escapes")
            << QByteArray(
                   R"(disk\ io,path=/var\,lib,dev=sd\=a read=1u,ok=t,label="a, b=c" 1764000000)")
            << R"(disk io.ok{dev=sd\=a,path=/var\,lib}=1;disk io.read{dev=sd\=a,path=/var\,lib}=1)";
        QTest::newRow("many lines and comments")
            << QByteArray("# telegraf\nmem used=5i 1764000000000\n\nmem free=7.5e3 1764000000000\n")
            << "mem.free{}=7500;mem.used{}=5";
        QTest::newRow("no timestamp") << QByteArray("net,if=eth0 rx=10i") << "net.rx{if=eth0}=10";
        QTest::newRow("bad integer")
            << QByteArray("cpu a=12xi 1")
            << "!Influx line protocol, line 1: field 'a': '12xi' is not an integer";
        QTest::newRow("no fields")
            << QByteArray("cpu,host=a") << "!not JSON and no other supported format";
        QTest::newRow("only strings")
            << QByteArray("app msg=\"hello world\"") << "!no numeric fields";
        QTest::newRow("bad second line")
            << QByteArray("m a=1\nm b=x") << "!line 2: field 'b': 'x' is not a number";
    }
    void influxLineProtocol()
    {
        QFETCH(QByteArray, payload);
        QFETCH(QString, expected);
        const Decoded d = decode(payload);
        if (expected.startsWith(QLatin1Char('!'))) {
            QVERIFY(!d.ok);
            QVERIFY(d.batch.samples.empty());
            QVERIFY2(QString::fromStdString(d.reason()).contains(expected.mid(1)),
                     d.reason().c_str());
            return;
        }
        QVERIFY2(d.ok, d.reason().c_str());
        QStringList got;
        for (const auto &[series, value] : samplesByName(d.batch))
            got << QString::fromStdString(series) + QLatin1Char('=')
                    + QString::number(value, 'g', 17);
        QCOMPARE(got.join(QLatin1Char(';')), expected);
        if (payload.startsWith("cpu,host"))
            QCOMPARE(formatTimestamp(d.batch.samples[0].time), std::string("2025-11-24T16:00:00Z"));
        if (payload.startsWith("net"))
            QCOMPARE(d.batch.samples[0].time, 1'700'000'000'000'000LL); // the message's arrival
    }

    void otlpMetricsExample()
    {
        const QString path
            = kConformance + QStringLiteral("/otlp-json-examples/examples/metrics.json");
        if (!QFile::exists(path))
            QSKIP(qPrintable(QStringLiteral("conformance data not found at %1").arg(path)));
        const Decoded d = decode(readFile(path));
        QVERIFY2(d.ok, d.reason().c_str());
        const auto samples = samplesByName(d.batch);
        QCOMPARE(samples.at("my.counter{my.counter.attr=some value,service=my.service}"), 5.0);
        QCOMPARE(samples.at("my.gauge{my.gauge.attr=some value,service=my.service}"), 10.0);
        QCOMPARE(samples.at("my.histogram.count{my.histogram.attr=some value,service=my.service}"),
                 2.0);
        QCOMPARE(samples.at("my.histogram.sum{my.histogram.attr=some value,service=my.service}"),
                 2.0);
        QVERIFY(samples.count("my.exponential.histogram.count{my.exponential.histogram.attr=some "
                              "value,service=my.service}"));
        QCOMPARE(formatTimestamp(d.batch.samples[0].time), std::string("2018-12-13T14:51:00.300Z"));
        QCOMPARE(d.batch.series[d.batch.samples[0].series].unit, std::string("1"));
    }

    void otlpLogsAndEventsExamples()
    {
        const QString path
            = kConformance + QStringLiteral("/otlp-json-examples/examples/logs.json");
        if (!QFile::exists(path))
            QSKIP(qPrintable(QStringLiteral("conformance data not found at %1").arg(path)));
        const Decoded d = decode(readFile(path));
        QVERIFY2(d.ok, d.reason().c_str());
        const LogRecord &log = d.batch.logs.at(0);
        QCOMPARE(log.message, std::string("Example log record"));
        QCOMPARE(log.level, Severity::Info);
        QCOMPARE(log.service, std::string("my.service"));
        QCOMPARE(log.traceId, std::string("5b8efff798038103d269b633813fc60c"));
        QCOMPARE(log.spanId, std::string("eee19b7ec3c1b174"));
        QVERIFY2(log.attributes.find(R"("int.attribute":10)") != std::string::npos,
                 log.attributes.c_str());
        QVERIFY2(log.attributes.find(R"("array.attribute":["many","values"])") != std::string::npos,
                 log.attributes.c_str());
        QVERIFY2(log.attributes.find(R"("map.attribute":{"some.map.key":"some value"})")
                     != std::string::npos,
                 log.attributes.c_str());

        const Decoded events = decode(
            readFile(kConformance + QStringLiteral("/otlp-json-examples/examples/events.json")));
        QVERIFY2(events.ok, events.reason().c_str());
        QVERIFY2(events.batch.logs.at(0).message.find("\"url\":\"https://www.guidgenerator.com")
                     != std::string::npos,
                 events.batch.logs.at(0).message.c_str()); // a map body as JSON
    }

    void otlpTraceExample()
    {
        const QString path
            = kConformance + QStringLiteral("/otlp-json-examples/examples/trace.json");
        if (!QFile::exists(path))
            QSKIP(qPrintable(QStringLiteral("conformance data not found at %1").arg(path)));
        const Decoded d = decode(readFile(path));
        QVERIFY2(d.ok, d.reason().c_str());
        const Span &span = d.batch.spans.at(0);
        QCOMPARE(span.traceId, std::string("5b8efff798038103d269b633813fc60c"));
        QCOMPARE(span.parentSpanId, std::string("eee19b7ec3c1b173"));
        QCOMPARE(span.kind, 2);
        QCOMPARE(span.duration(), 1'000'000);
        QCOMPARE(span.service, std::string("my.service"));
        QCOMPARE(span.name, std::string("I'm a server span"));

        const Decoded error
            = decode(R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"AB","spanId":"CD",
            "startTimeUnixNano":"1764000000000000000","endTimeUnixNano":"1764000000500000000","status":{"code":2}}]}]}]})");
        QVERIFY2(error.ok, error.reason().c_str());
        QCOMPARE(error.batch.spans.at(0).status, SpanStatus::Error);
        const Decoded broken = decode(
            R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"AB","spanId":"CD"}]}]}]})");
        QVERIFY(!broken.ok);
        QVERIFY2(broken.reason().find("startTimeUnixNano and endTimeUnixNano are required")
                     != std::string::npos,
                 broken.reason().c_str());
    }

    // OTLP items, data points and attributes that are not objects are read without throwing
    // (simdjson's implicit conversion to an object throws): each decodes or fails with a reason.
    void otlpItemsThatAreNotObjects()
    {
        const Decoded log = decode(R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[5]}]}]})");
        QVERIFY2(log.ok, log.reason().c_str());
        QCOMPARE(log.batch.logs.size(), std::size_t(1));
        const Decoded point = decode(
            R"({"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"m","gauge":{"dataPoints":[7,{"asDouble":2,"attributes":[1,{"key":"k","value":{"intValue":"3"}}]}]}}]}]}]})");
        QVERIFY2(point.ok, point.reason().c_str());
        QCOMPARE(point.batch.samples.size(), std::size_t(1));
        QCOMPARE(point.batch.series.at(0).key.canonical(), std::string("m{k=3}"));
        const Decoded span
            = decode(R"({"resourceSpans":[{"scopeSpans":[{"spans":["not a span"]}]}]})");
        QVERIFY(!span.ok);
        QVERIFY2(span.reason().find("OTLP span is not an object") != std::string::npos,
                 span.reason().c_str());
    }

    // FORMATS.md, "Topology": one declared edge per line.
    void topologyEdges()
    {
        const Decoded edge = decode(
            R"({"kind":"topology","caller":"frontend","callee":"checkout","time":"2026-11-24T10:00:00Z","attributes":{"protocol":"http"}})");
        QVERIFY2(edge.ok, edge.reason().c_str());
        QCOMPARE(edge.batch.topology.size(), std::size_t(1));
        QCOMPARE(edge.batch.topology[0].caller, std::string("frontend"));
        QCOMPARE(edge.batch.topology[0].callee, std::string("checkout"));
        QCOMPARE(edge.batch.topology[0].time, 1'795'514'400'000'000LL);
        QCOMPARE(edge.batch.topology[0].attributes, std::string(R"({"protocol":"http"})"));
        QCOMPARE(edge.batch.recordCount(), std::size_t(1));

        const Decoded timeless = decode(R"({"kind":"topology","caller":"a","callee":"b"})");
        QVERIFY2(timeless.ok, timeless.reason().c_str());
        QCOMPARE(timeless.batch.topology.at(0).time, TimeUs{0});

        const Decoded noCallee = decode(R"({"kind":"topology","caller":"a"})");
        QVERIFY(!noCallee.ok);
        QVERIFY2(noCallee.reason().find("'callee'") != std::string::npos,
                 noCallee.reason().c_str());
        const Decoded empty = decode(R"({"kind":"topology","caller":"a","callee":""})");
        QVERIFY(!empty.ok);
        QVERIFY2(empty.reason().find("'callee' is empty") != std::string::npos,
                 empty.reason().c_str());
        // A native span's numeric kind is still a span.
        const Decoded span = decode(
            R"({"trace_id":"t","span_id":"s","kind":2,"start":"2026-11-24T10:00:00Z","end":"2026-11-24T10:00:01Z"})");
        QVERIFY2(span.ok, span.reason().c_str());
        QCOMPARE(span.batch.spans.size(), std::size_t(1));
        QVERIFY(span.batch.topology.empty());
    }
};

QTEST_APPLESS_MAIN(TestFormatDecoders)
#include "tst_formatdecoders.moc"
