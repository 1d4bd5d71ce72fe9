// Alert delivery as an operator runs it: `eventscope alerts --deliver` against a small HTTP
// receiver on 127.0.0.1 in this process. The documented webhook and PagerDuty v2 payloads for
// a firing and its resolution; a receiver that is down and comes back; a process killed with
// SIGKILL while deliveries are pending, then restarted (each alert arrives once by dedup key);
// a delivery that keeps failing is marked failed; secrets never in the rules.
#include "store/batchcommitter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <map>

using namespace eventscope;

namespace {

constexpr TimeUs kBase = 1'764'000'000LL * kMicrosPerSecond; // 2025-11-24T16:00:00Z

// Two rules on checkout's p99 latency, one to a webhook, one to PagerDuty (%1, %2: their
// URLs; %3: more rules).
const char *const kRules = R"({"rules":[
 {"name":"p99-hook","kind":"threshold","metric":"latency_p99_ms","labels":{"service":"checkout"},
  "op":">","value":500,"for_seconds":60,"severity":"warning",
  "deliver":{"kind":"webhook","url":"%1","token_secret":"hook-token"}},
 {"name":"p99-page","kind":"threshold","metric":"latency_p99_ms","labels":{"service":"checkout"},
  "op":">","value":500,"for_seconds":60,"severity":"critical",
  "deliver":{"kind":"pagerduty","url":"%2","routing_key_secret":"pd-key"}}%3
]})";

const char *const kInlineSecretRules = R"({"rules":[{"name":"p","kind":"threshold",
  "metric":"m","value":1,"deliver":{"kind":"pagerduty","routing_key":"R0123"}}]})";

const char *const kUnreachableRule = R"(,
 {"name":"p99-nowhere","kind":"threshold","metric":"latency_p99_ms","op":">","value":500,
  "deliver":{"kind":"webhook","url":"http://127.0.0.1:1/hook"}})";

struct Request
{
    QByteArray method;
    QByteArray path;
    QMap<QByteArray, QByteArray> headers; // names in lower case
    QByteArray body;
    int answeredWith = 0;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

// Records every POST and answers each with the status set at that moment.
class Receiver : public QObject
{
public:
    Receiver()
    {
        if (!m_server.listen(QHostAddress::LocalHost, 0))
            qFatal("cannot listen on 127.0.0.1: %s", qPrintable(m_server.errorString()));
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }

    QString url(const QString &path) const
    {
        return QStringLiteral("http://127.0.0.1:%1%2").arg(m_server.serverPort()).arg(path);
    }

    int status = 200;
    QList<Request> requests;

    // Requests answered with 2xx, per dedup key and action.
    std::map<QString, int> acknowledged() const
    {
        std::map<QString, int> count;
        for (const Request &r : requests) {
            if (r.answeredWith / 100 != 2)
                continue;
            const QJsonObject json = r.json();
            const QString action = json.contains(QStringLiteral("event_action"))
                ? json.value(QStringLiteral("event_action")).toString()
                : json.value(QStringLiteral("state")).toString();
            ++count[r.path + QLatin1Char(' ') + json.value(QStringLiteral("dedup_key")).toString()
                    + QLatin1Char(' ') + action];
        }
        return count;
    }

private:
    void read(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0)
            return;
        Request request;
        const QList<QByteArray> lines = buffer.left(headerEnd).split('\n');
        const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
        request.method = first.value(0);
        request.path = first.value(1);
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            if (colon > 0)
                request.headers[lines[i].left(colon).trimmed().toLower()]
                    = lines[i].mid(colon + 1).trimmed();
        }
        const qsizetype length = request.headers.value("content-length").toLongLong();
        if (buffer.size() < headerEnd + 4 + length)
            return; // the body is still coming
        request.body = buffer.mid(headerEnd + 4, length);
        m_buffers.remove(socket);
        request.answeredWith = status;
        requests << request;
        const QByteArray answer = status / 100 == 2 ? QByteArray(R"({"status":"success"})")
                                                    : QByteArray("receiver unavailable");
        socket->write("HTTP/1.1 " + QByteArray::number(status)
                      + " Status\r\nContent-Type: "
                        "application/json\r\nContent-Length: "
                      + QByteArray::number(answer.size()) + "\r\nConnection: close\r\n\r\n"
                      + answer);
        socket->disconnectFromHost();
    }

    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

QString kcat()
{
    const QString path = QStandardPaths::findExecutable(QStringLiteral("kcat"));
    if (path.isEmpty())
        qFatal("kcat not found: run installer/install-deps.sh");
    return path;
}

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

} // namespace

class TestAlertDelivery : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_captures = 0;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    // p99 latency of checkout: 100 ms, 900 ms for five minutes from 16:10, then 100 ms again.
    QString makeCapture()
    {
        const QString capture = path(QStringLiteral("alerts%1.capture").arg(++m_captures));
        auto committer = BatchCommitter::open(capture.toStdString(), "tst_alertdelivery");
        if (!committer)
            qFatal("%s", committer.error().c_str());
        std::vector<RecordBatch> batches(1);
        const auto latency
            = batches[0].internSeries(SeriesKey("latency_p99_ms", {{"service", "checkout"}}), "ms");
        for (int second = 0; second < 1800; second += 10)
            batches[0].addSample(latency, kBase + second * kMicrosPerSecond,
                                 second >= 600 && second < 900 ? 900.0 : 100.0);
        (*committer)->commit(batches);
        return capture;
    }

    QString writeRules(const Receiver &receiver, const QString &extra = {})
    {
        const QString rules = path(QStringLiteral("rules%1.json").arg(m_captures));
        QFile file(rules);
        if (!file.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(rules));
        file.write(QString::fromUtf8(kRules)
                       .arg(receiver.url(QStringLiteral("/hook")),
                            receiver.url(QStringLiteral("/v2/enqueue")), extra)
                       .toUtf8());
        return rules;
    }

    QProcessEnvironment environment() const
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        environment.insert(QStringLiteral("XDG_CONFIG_HOME"), path(QStringLiteral("config")));
        environment.insert(QStringLiteral("XDG_RUNTIME_DIR"), m_dir.path());
        environment.insert(QStringLiteral("EVENTSCOPE_SECRET_HOOK_TOKEN"),
                           QStringLiteral("tok-123"));
        environment.insert(QStringLiteral("EVENTSCOPE_SECRET_PD_KEY"), QStringLiteral("rk-456"));
        // Proxies configured for this shell must not see the loopback traffic.
        for (const char *proxy : {"http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"})
            environment.remove(QLatin1String(proxy));
        return environment;
    }

    void start(QProcess &process, const QStringList &arguments) const
    {
        process.setProcessEnvironment(environment());
        process.start(QStringLiteral(EVENTSCOPE_BINARY), arguments);
        if (!process.waitForStarted())
            qFatal("cannot start %s", EVENTSCOPE_BINARY);
    }

    // Runs eventscope while this thread's event loop serves the receiver.
    Run run(const QStringList &arguments) const
    {
        QProcess process;
        start(process, arguments);
        if (!QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, 120'000))
            qFatal("eventscope %s did not finish", qPrintable(arguments.join(QLatin1Char(' '))));
        return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
                QString::fromUtf8(process.readAllStandardOutput()),
                QString::fromUtf8(process.readAllStandardError())};
    }

    QJsonArray deliveries(const QString &capture) const
    {
        const Run listed = run({QStringLiteral("alerts"), QStringLiteral("--db"), capture,
                                QStringLiteral("--deliveries"), QStringLiteral("--json")});
        if (listed.exitCode != 0)
            qFatal("--deliveries failed: %s", qPrintable(listed.err));
        return QJsonDocument::fromJson(listed.out.toUtf8())
            .object()
            .value(QStringLiteral("deliveries"))
            .toArray();
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void firingAndResolutionArriveWithTheDocumentedPayloads()
    {
        Receiver receiver;
        const QString capture = makeCapture();
        const Run r = run({QStringLiteral("alerts"), QStringLiteral("--db"), capture,
                           QStringLiteral("--rules"), writeRules(receiver),
                           QStringLiteral("--deliver"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject summary = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(summary.value(QStringLiteral("deliveries")).toObject(),
                 (QJsonObject{{QStringLiteral("queued"), 4},
                              {QStringLiteral("delivered"), 4},
                              {QStringLiteral("failed"), 0}}));
        QCOMPARE(receiver.requests.size(), 4);

        QList<Request> hook, pager;
        for (const Request &request : receiver.requests) {
            QCOMPARE(request.method, QByteArray("POST"));
            QCOMPARE(request.headers.value("content-type"), QByteArray("application/json"));
            (request.path == "/hook" ? hook : pager) << request;
        }
        QCOMPARE(hook.size(), 2);
        QCOMPARE(pager.size(), 2);

        // The webhook: state, one dedup key for the episode, the facts, a bearer token.
        const QJsonObject fired = hook[0].json();
        const QJsonObject resolved = hook[1].json();
        QCOMPARE(hook[0].headers.value("authorization"), QByteArray("Bearer tok-123"));
        QCOMPARE(fired.value(QStringLiteral("version")).toInt(), 1);
        QCOMPARE(fired.value(QStringLiteral("source")).toString(), QStringLiteral("EventScope"));
        QCOMPARE(fired.value(QStringLiteral("state")).toString(), QStringLiteral("firing"));
        QCOMPARE(resolved.value(QStringLiteral("state")).toString(), QStringLiteral("resolved"));
        QVERIFY(fired.value(QStringLiteral("dedup_key"))
                    .toString()
                    .startsWith(QStringLiteral("eventscope-")));
        QCOMPARE(resolved.value(QStringLiteral("dedup_key")),
                 fired.value(QStringLiteral("dedup_key")));
        QCOMPARE(fired.value(QStringLiteral("rule")).toString(), QStringLiteral("p99-hook"));
        QCOMPARE(fired.value(QStringLiteral("severity")).toString(), QStringLiteral("warning"));
        QCOMPARE(fired.value(QStringLiteral("service")).toString(), QStringLiteral("checkout"));
        QCOMPARE(fired.value(QStringLiteral("subject")).toString(),
                 QStringLiteral("latency_p99_ms{service=checkout}"));
        QCOMPARE(fired.value(QStringLiteral("value")).toDouble(), 900.0);
        QCOMPARE(fired.value(QStringLiteral("time")).toString(),
                 QStringLiteral("2025-11-24T16:11:00Z")); // held from 16:10:00 for 60 s
        QVERIFY(fired.value(QStringLiteral("summary"))
                    .toString()
                    .contains(QStringLiteral("p99-hook firing")));
        QVERIFY(fired.value(QStringLiteral("alert_id"))
                    .toString()
                    .startsWith(QStringLiteral("alert-")));

        // PagerDuty Events API v2: routing key, trigger with its payload, resolve by dedup key.
        const QJsonObject trigger = pager[0].json();
        const QJsonObject resolve = pager[1].json();
        QVERIFY(!pager[0].headers.contains("authorization"));
        QCOMPARE(trigger.value(QStringLiteral("routing_key")).toString(), QStringLiteral("rk-456"));
        QCOMPARE(trigger.value(QStringLiteral("event_action")).toString(),
                 QStringLiteral("trigger"));
        QCOMPARE(resolve.value(QStringLiteral("routing_key")).toString(), QStringLiteral("rk-456"));
        QCOMPARE(resolve.value(QStringLiteral("event_action")).toString(),
                 QStringLiteral("resolve"));
        QCOMPARE(resolve.value(QStringLiteral("dedup_key")),
                 trigger.value(QStringLiteral("dedup_key")));
        QVERIFY(trigger.value(QStringLiteral("dedup_key"))
                != fired.value(QStringLiteral("dedup_key")));
        const QJsonObject payload = trigger.value(QStringLiteral("payload")).toObject();
        QVERIFY(payload.value(QStringLiteral("summary"))
                    .toString()
                    .contains(QStringLiteral("p99-page firing")));
        QCOMPARE(payload.value(QStringLiteral("source")).toString(), QStringLiteral("checkout"));
        QCOMPARE(payload.value(QStringLiteral("severity")).toString(), QStringLiteral("critical"));
        QCOMPARE(payload.value(QStringLiteral("timestamp")).toString(),
                 QStringLiteral("2025-11-24T16:11:00Z"));
        QCOMPARE(payload.value(QStringLiteral("class")).toString(), QStringLiteral("p99-page"));
        const QJsonObject details = payload.value(QStringLiteral("custom_details")).toObject();
        QCOMPARE(details.value(QStringLiteral("rule")).toString(), QStringLiteral("p99-page"));
        QCOMPARE(details.value(QStringLiteral("value")).toDouble(), 900.0);

        // Nothing twice: a second run over the same capture sends nothing.
        const Run again = run({QStringLiteral("alerts"), QStringLiteral("--db"), capture,
                               QStringLiteral("--deliver")});
        QVERIFY2(again.exitCode == 0, qPrintable(again.err));
        QCOMPARE(receiver.requests.size(), 4);
        for (const QJsonValue delivery : deliveries(capture))
            QCOMPARE(delivery.toObject().value(QStringLiteral("state")).toString(),
                     QStringLiteral("delivered"));
    }

    void aReceiverThatIsDownGetsThemWhenItIsBack()
    {
        Receiver receiver;
        receiver.status = 503;
        const QString capture = makeCapture();
        QProcess process;
        start(process,
              {QStringLiteral("alerts"), QStringLiteral("--db"), capture, QStringLiteral("--rules"),
               writeRules(receiver), QStringLiteral("--deliver"), QStringLiteral("--first-retry"),
               QStringLiteral("0.1")});
        // Refused twice at least (a retry happened), then the receiver recovers.
        QVERIFY(QTest::qWaitFor([&] { return receiver.requests.size() >= 3; }, 60'000));
        receiver.status = 200;
        QVERIFY(QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, 60'000));
        const QString log = QString::fromUtf8(process.readAllStandardError());
        QVERIFY2(process.exitCode() == 0, qPrintable(log));
        const auto acknowledged = receiver.acknowledged();
        QCOMPARE(acknowledged.size(), std::size_t(4));
        for (const auto &[key, count] : acknowledged)
            QVERIFY2(count == 1, qPrintable(key));
        // Retries were logged with the receiver's answer.
        QVERIFY2(log.contains(QStringLiteral("not delivered to %1: HTTP 503")
                                  .arg(receiver.url(QStringLiteral("/hook")))),
                 qPrintable(log));
    }

    void killedWhilePendingDeliversExactlyOnceAfterRestart()
    {
        Receiver receiver;
        receiver.status = 503;
        const QString capture = makeCapture();
        {
            QProcess process;
            start(process,
                  {QStringLiteral("alerts"), QStringLiteral("--db"), capture,
                   QStringLiteral("--rules"), writeRules(receiver), QStringLiteral("--deliver"),
                   QStringLiteral("--first-retry"), QStringLiteral("0.1")});
            QVERIFY(QTest::qWaitFor([&] { return !receiver.requests.isEmpty(); }, 60'000));
            process.kill(); // SIGKILL, with deliveries pending
            QVERIFY(process.waitForFinished());
            QCOMPARE(process.exitStatus(), QProcess::CrashExit);
        }
        for (const QJsonValue delivery : deliveries(capture))
            QCOMPARE(delivery.toObject().value(QStringLiteral("state")).toString(),
                     QStringLiteral("pending"));

        receiver.status = 200;
        // Restarted without the rules file: the capture kept the rules and the outbox.
        const Run restarted = run({QStringLiteral("alerts"), QStringLiteral("--db"), capture,
                                   QStringLiteral("--deliver")});
        QVERIFY2(restarted.exitCode == 0, qPrintable(restarted.err));
        QVERIFY2(restarted.out.contains(QStringLiteral("queued 0 new alert deliveries; "
                                                       "delivered 4, failed 0")),
                 qPrintable(restarted.out));
        const auto acknowledged = receiver.acknowledged();
        QCOMPARE(acknowledged.size(), std::size_t(4));
        for (const auto &[key, count] : acknowledged)
            QVERIFY2(count == 1, qPrintable(key));
        const Run third = run({QStringLiteral("alerts"), QStringLiteral("--db"), capture,
                               QStringLiteral("--deliver")});
        QCOMPARE(third.exitCode, 0);
        QCOMPARE(receiver.acknowledged(), acknowledged);
    }

    void aDeliveryThatKeepsFailingIsMarkedFailed()
    {
        Receiver receiver;
        const QString capture = makeCapture();
        // Nothing listens on port 1: every attempt is refused.
        const QString extra = QString::fromUtf8(kUnreachableRule);
        const Run r
            = run({QStringLiteral("alerts"), QStringLiteral("--db"), capture,
                   QStringLiteral("--rules"), writeRules(receiver, extra),
                   QStringLiteral("--deliver"), QStringLiteral("--retry-limit"),
                   QStringLiteral("3"), QStringLiteral("--first-retry"), QStringLiteral("0.05")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("2 alert deliveries failed; see `eventscope "
                                               "alerts --db ")),
                 qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("NOT delivered to http://127.0.0.1:1/hook")),
                 qPrintable(r.err));
        int failed = 0;
        for (const QJsonValue value : deliveries(capture)) {
            const QJsonObject delivery = value.toObject();
            if (delivery.value(QStringLiteral("rule")).toString() != QLatin1String("p99-nowhere")) {
                QCOMPARE(delivery.value(QStringLiteral("state")).toString(),
                         QStringLiteral("delivered"));
                continue;
            }
            ++failed;
            QCOMPARE(delivery.value(QStringLiteral("state")).toString(), QStringLiteral("failed"));
            QCOMPARE(delivery.value(QStringLiteral("attempts")).toInt(), 3);
            QVERIFY2(delivery.value(QStringLiteral("last_error"))
                         .toString()
                         .contains(QStringLiteral("refused"), Qt::CaseInsensitive),
                     qPrintable(delivery.value(QStringLiteral("last_error")).toString()));
        }
        QCOMPARE(failed, 2);

        // A receiver that refuses the alert itself (400) fails it at once.
        Receiver refusing;
        refusing.status = 400;
        const QString second = makeCapture();
        const Run refused
            = run({QStringLiteral("alerts"), QStringLiteral("--db"), second,
                   QStringLiteral("--rules"), writeRules(refusing), QStringLiteral("--deliver")});
        QCOMPARE(refused.exitCode, 1);
        QCOMPARE(refusing.requests.size(), 4); // each once: retrying would not help
        for (const QJsonValue value : deliveries(second))
            QCOMPARE(value.toObject().value(QStringLiteral("attempts")).toInt(), 1);
    }

    // `ingest --rules`: the rules run as data arrives from Kafka (here produced by kcat into
    // the embedded cluster), the alerts land in the capture and are delivered.
    void liveIngestDeliversAsDataArrives()
    {
        Receiver receiver;
        QProcess broker;
        broker.start(QStringLiteral(EVENTSCOPE_BINARY), {QStringLiteral("broker")});
        QVERIFY(broker.waitForStarted());
        QVERIFY(QTest::qWaitFor([&] { return broker.canReadLine(); }, 30'000));
        const QString bootstrap = QString::fromUtf8(broker.readLine()).trimmed();
        QVERIFY2(bootstrap.startsWith(QStringLiteral("127.0.0.1:")), qPrintable(bootstrap));

        QByteArray lines;
        for (int second = 0; second < 1800; second += 10)
            lines += QStringLiteral(R"({"time":%1,"name":"latency_p99_ms",)"
                                    R"("labels":{"service":"checkout"},"value":%2,"unit":"ms"})")
                         .arg(kBase + second * kMicrosPerSecond)
                         .arg(second >= 600 && second < 900 ? 900 : 100)
                         .toUtf8()
                + '\n';
        QProcess producer;
        producer.start(kcat(),
                       {QStringLiteral("-b"), bootstrap, QStringLiteral("-t"),
                        QStringLiteral("metrics"), QStringLiteral("-P")});
        QVERIFY(producer.waitForStarted());
        producer.write(lines);
        producer.closeWriteChannel();
        QVERIFY(producer.waitForFinished(30'000));
        QVERIFY2(producer.exitCode() == 0, producer.readAllStandardError().constData());

        ++m_captures;
        const QString capture = path(QStringLiteral("live.capture"));
        const Run r
            = run({QStringLiteral("ingest"), QStringLiteral("--bootstrap"), bootstrap,
                   QStringLiteral("--db"), capture, QStringLiteral("--rules"), writeRules(receiver),
                   QStringLiteral("--until-idle"), QStringLiteral("2"), QStringLiteral("--json")});
        broker.terminate();
        broker.waitForFinished();
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject summary = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(summary.value(QStringLiteral("samples")).toInt(), 180);
        QCOMPARE(summary.value(QStringLiteral("alerts")).toObject(),
                 (QJsonObject{{QStringLiteral("raised"), 4},
                              {QStringLiteral("delivered"), 4},
                              {QStringLiteral("failed"), 0},
                              {QStringLiteral("pending"), 0}}));
        const auto acknowledged = receiver.acknowledged();
        QCOMPARE(acknowledged.size(), std::size_t(4));
        for (const auto &[key, count] : acknowledged)
            QVERIFY2(count == 1, qPrintable(key));
        // The alert events are in the capture, as `alerts` would have stored them.
        const Run listed = run({QStringLiteral("export"), QStringLiteral("--db"), capture,
                                QStringLiteral("--out"), QStringLiteral("-"),
                                QStringLiteral("--kind"), QStringLiteral("events")});
        QCOMPARE(listed.out.count(QStringLiteral("\"category\":\"alert\"")), 4);
    }

    void secretsAreNamedNeverWritten()
    {
        Receiver receiver;
        const QString capture = makeCapture();
        const QString rules = path(QStringLiteral("inline-secret.json"));
        QFile file(rules);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(kInlineSecretRules);
        file.close();
        const Run inlined = run({QStringLiteral("alerts"), QStringLiteral("--db"), capture,
                                 QStringLiteral("--rules"), rules, QStringLiteral("--deliver")});
        QCOMPARE(inlined.exitCode, 1);
        QVERIFY2(inlined.err.contains(QStringLiteral("\"routing_key\" would put a secret in the "
                                                     "rules; store it with `eventscope alerts "
                                                     "--set-secret NAME`")),
                 qPrintable(inlined.err));

        // A secret that is nowhere: the error says where to put it.
        const QString missing = writeRules(receiver);
        QFile rewritten(missing);
        QVERIFY(rewritten.open(QIODevice::ReadOnly));
        QByteArray text = rewritten.readAll();
        rewritten.close();
        text.replace("hook-token", "no-such-secret");
        QVERIFY(rewritten.open(QIODevice::WriteOnly | QIODevice::Truncate));
        rewritten.write(text);
        rewritten.close();
        const Run r = run({QStringLiteral("alerts"), QStringLiteral("--db"), capture,
                           QStringLiteral("--rules"), missing, QStringLiteral("--deliver"),
                           QStringLiteral("--retry-limit"), QStringLiteral("1")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("secret 'no-such-secret'")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("EVENTSCOPE_SECRET_NO_SUCH_SECRET")),
                 qPrintable(r.err));
        // The capture holds the rules without any secret value.
        QFile stored(capture);
        QVERIFY(stored.open(QIODevice::ReadOnly));
        const QByteArray bytes = stored.readAll();
        QVERIFY(!bytes.contains("rk-456"));
        QVERIFY(!bytes.contains("tok-123"));
    }
};

QTEST_GUILESS_MAIN(TestAlertDelivery)
#include "tst_alertdelivery.moc"
