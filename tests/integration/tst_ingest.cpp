// `eventscope ingest` against the embedded cluster, fed by kcat (an outside client): what was
// produced is what the capture holds, in every wire format, and nothing twice.

#include "kafka/embeddedcluster.h"
#include "store/capturereader.h"
#include "util/timeformat.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <set>

using namespace eventscope;

namespace {

void kcatProduce(const QString &bootstrap, const QStringList &extra, const QByteArray &input)
{
    QProcess process;
    process.start(QStandardPaths::findExecutable(QStringLiteral("kcat")),
                  QStringList{QStringLiteral("-b"), bootstrap, QStringLiteral("-P")} + extra);
    if (!process.waitForStarted())
        qFatal("kcat not found: run installer/install-deps.sh");
    process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(30'000) || process.exitCode() != 0)
        qFatal("kcat failed: %s", process.readAllStandardError().constData());
}

QJsonObject ingest(const QString &bootstrap, const QString &capture, const QStringList &extra = {})
{
    QProcess process;
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process.start(QStringLiteral(EVENTSCOPE_BINARY),
                  QStringList{QStringLiteral("ingest"), QStringLiteral("--bootstrap"), bootstrap,
                              QStringLiteral("--db"), capture, QStringLiteral("--until-idle"),
                              QStringLiteral("1"), QStringLiteral("--json"),
                              QStringLiteral("--log-level"), QStringLiteral("warn")}
                      + extra);
    if (!process.waitForFinished(120'000) || process.exitCode() != 0)
        qFatal("ingest failed (exit %d)", process.exitCode());
    return QJsonDocument::fromJson(process.readAllStandardOutput()).object();
}

} // namespace

class TestIngest : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<kafka::EmbeddedCluster> m_cluster;
    QString m_bootstrap;
    QTemporaryDir m_dir;
    std::set<std::string> m_producedIds;
    int m_produced = 0;

private Q_SLOTS:
    void initTestCase()
    {
        kafka::EmbeddedClusterOptions options;
        options.partitions = 3;
        auto cluster = kafka::EmbeddedCluster::start(options);
        QVERIFY2(cluster.ok(), cluster.error().c_str());
        m_cluster = std::move(*cluster);
        m_bootstrap = QString::fromStdString(m_cluster->bootstrapServers());

        QByteArray events;
        for (int i = 0; i < 300; ++i) {
            events += QStringLiteral("k%1|{\"id\":\"evt-%1\",\"time\":%2,\"type\":\"scaling.scale_"
                                     "out\",\"service\":\"s%3\"}\n")
                          .arg(i)
                          .arg(1'764'000'000 + i)
                          .arg(i % 7)
                          .toUtf8();
            m_producedIds.insert("evt-" + std::to_string(i));
        }
        kcatProduce(m_bootstrap,
                    {QStringLiteral("-t"), QStringLiteral("scaling_events"), QStringLiteral("-K"),
                     QStringLiteral("|")},
                    events);
        m_produced += 300;
        // CloudEvents binary mode: the event is in the headers.
        for (int i = 0; i < 5; ++i) {
            kcatProduce(m_bootstrap,
                        {QStringLiteral("-t"), QStringLiteral("failure_events"),
                         QStringLiteral("-k"), QStringLiteral("c%1").arg(i), QStringLiteral("-H"),
                         QStringLiteral("ce_specversion=1.0"), QStringLiteral("-H"),
                         QStringLiteral("ce_id=ce-%1").arg(i), QStringLiteral("-H"),
                         QStringLiteral("ce_type=failure.crash"), QStringLiteral("-H"),
                         QStringLiteral("ce_source=/shop/payments"), QStringLiteral("-H"),
                         QStringLiteral("ce_time=2026-11-24T10:05:0%1Z").arg(i),
                         QStringLiteral("-H"), QStringLiteral("content-type=application/json")},
                        "{\"message\":\"crash\",\"entity\":\"pod-3\"}\n");
            m_producedIds.insert("ce-" + std::to_string(i));
        }
        m_produced += 5;
        kcatProduce(m_bootstrap,
                    {QStringLiteral("-t"), QStringLiteral("metrics"), QStringLiteral("-k"),
                     QStringLiteral("m"), QStringLiteral("-D"), QStringLiteral("\\0")},
                    QByteArray("cpu,host=n1 usage=0.5,idle=49i 1764000000000000000\ncpu,host=n2 "
                               "usage=0.7 1764000000000000000\n"));
        kcatProduce(m_bootstrap,
                    {QStringLiteral("-t"), QStringLiteral("logs"), QStringLiteral("-k"),
                     QStringLiteral("bad")},
                    QByteArray("{\"time\": oops}\n"));
        m_produced += 2;
    }

    void ingestStoresExactlyWhatWasProduced()
    {
        const QString capture = m_dir.filePath(QStringLiteral("all.capture"));
        const QJsonObject summary
            = ingest(m_bootstrap, capture, {QStringLiteral("--group"), QStringLiteral("all")});
        QCOMPARE(summary.value(QStringLiteral("messages")).toInt(), m_produced);
        QCOMPARE(summary.value(QStringLiteral("events")).toInt(), 305);
        QCOMPARE(summary.value(QStringLiteral("samples")).toInt(), 3);
        QCOMPARE(summary.value(QStringLiteral("dead_letters")).toInt(), 1);

        auto reader = CaptureReader::open(capture.toStdString());
        QVERIFY(reader.ok());
        std::set<std::string> stored;
        for (const Event &e : *(*reader)->events({})) {
            QVERIFY2(stored.insert(e.sourceId).second, e.sourceId.c_str()); // nothing twice
            QVERIFY(e.origin.isValid());
        }
        QCOMPARE(stored, m_producedIds);
        const auto crash = *(*reader)->eventBySourceId("ce-2");
        QVERIFY(crash.has_value());
        QCOMPARE(crash->service, std::string("payments"));
        QCOMPARE(crash->entity, std::string("pod-3"));
        const auto letters = *(*reader)->deadLetters(10);
        QCOMPARE(letters.size(), std::size_t(1));
        QCOMPARE(letters[0].origin.topic, std::string("logs"));
        QVERIFY2(letters[0].reason.find("malformed JSON: line 1 col 10") != std::string::npos,
                 letters[0].reason.c_str());

        // Running again on the same capture, even as another group, adds nothing.
        const QJsonObject again
            = ingest(m_bootstrap, capture, {QStringLiteral("--group"), QStringLiteral("again")});
        QCOMPARE(again.value(QStringLiteral("messages")).toInt(), 0);
    }

    // Neither the capture nor the group knows an offset: auto.offset.reset decides, as set
    // with -X. "latest" skips what the topics already hold; the default reads it all
    // (ingestStoresExactlyWhatWasProduced).
    void offsetResetDecidesWhenNothingIsKnown()
    {
        const QString capture = m_dir.filePath(QStringLiteral("latest.capture"));
        const QJsonObject latest
            = ingest(m_bootstrap, capture,
                     {QStringLiteral("--group"), QStringLiteral("latest"), QStringLiteral("-X"),
                      QStringLiteral("auto.offset.reset=latest")});
        QCOMPARE(latest.value(QStringLiteral("messages")).toInt(), 0);
        const QJsonObject smallest
            = ingest(m_bootstrap, m_dir.filePath(QStringLiteral("smallest.capture")),
                     {QStringLiteral("--group"), QStringLiteral("smallest"), QStringLiteral("-X"),
                      QStringLiteral("auto.offset.reset=smallest")});
        QCOMPARE(smallest.value(QStringLiteral("messages")).toInt(), m_produced);
    }

    void secretsNeverReachLogsOrErrors()
    {
        const QString secret = QStringLiteral("hunter2-do-not-print");
        const QString capture = m_dir.filePath(QStringLiteral("secret.capture"));
        QProcess process;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        QTemporaryDir state;
        environment.insert(QStringLiteral("XDG_STATE_HOME"), state.path());
        process.setProcessEnvironment(environment);
        // debug=conf makes librdkafka log its whole configuration.
        process.start(QStringLiteral(EVENTSCOPE_BINARY),
                      {QStringLiteral("ingest"), QStringLiteral("--bootstrap"), m_bootstrap,
                       QStringLiteral("--db"), capture, QStringLiteral("--group"),
                       QStringLiteral("secret"), QStringLiteral("--max-messages"),
                       QStringLiteral("5"), QStringLiteral("--log-level"), QStringLiteral("debug"),
                       QStringLiteral("-X"), QStringLiteral("debug=conf"), QStringLiteral("-X"),
                       QStringLiteral("sasl.password=") + secret, QStringLiteral("-X"),
                       QStringLiteral("ssl.key.password=") + secret});
        QVERIFY(process.waitForFinished(60'000));
        const QByteArray output = process.readAllStandardOutput() + process.readAllStandardError();
        QVERIFY2(process.exitCode() == 0, output.right(600).constData());
        QVERIFY2(output.contains("CONF"),
                 "librdkafka's configuration dump did not happen"); // else the test proves nothing
        QVERIFY2(!output.contains(secret.toUtf8()), "a secret reached stderr");
        QFile log(state.filePath(QStringLiteral("eventscope/eventscope.log")));
        QVERIFY(log.open(QIODevice::ReadOnly));
        QVERIFY2(!log.readAll().contains(secret.toUtf8()), "a secret reached the log file");

        // A bad value for a secret property: the error names the property, not the value.
        QProcess bad;
        bad.start(QStringLiteral(EVENTSCOPE_BINARY),
                  {QStringLiteral("ingest"), QStringLiteral("--bootstrap"), m_bootstrap,
                   QStringLiteral("--db"), capture, QStringLiteral("-X"),
                   QStringLiteral("ssl.key.password.bogus=") + secret});
        QVERIFY(bad.waitForFinished(30'000));
        QCOMPARE(bad.exitCode(), 1);
        const QByteArray error = bad.readAllStandardError();
        QVERIFY2(error.contains("ssl.key.password.bogus"), error.constData());
        QVERIFY2(!error.contains(secret.toUtf8()), error.constData());
    }

    void maxMessagesStopsAndTheNextRunContinues()
    {
        const QString capture = m_dir.filePath(QStringLiteral("parts.capture"));
        const QJsonObject first = ingest(m_bootstrap, capture,
                                         {QStringLiteral("--group"), QStringLiteral("parts"),
                                          QStringLiteral("--max-messages"), QStringLiteral("40")});
        QCOMPARE(first.value(QStringLiteral("messages")).toInt(), 40);
        const QJsonObject rest
            = ingest(m_bootstrap, capture, {QStringLiteral("--group"), QStringLiteral("parts2")});
        QCOMPARE(rest.value(QStringLiteral("messages")).toInt(), m_produced - 40);
        auto reader = CaptureReader::open(capture.toStdString());
        std::set<std::string> stored;
        for (const Event &e : *(*reader)->events({}))
            QVERIFY(stored.insert(e.sourceId).second);
        QCOMPARE(stored, m_producedIds);
    }

    // The simulator as the producer: what it sends through Kafka (every format, binary
    // CloudEvents in headers) is what the capture holds, and equals its NDJSON output.
    void simulatorTrafficArrivesWhole()
    {
        kafka::EmbeddedClusterOptions options;
        options.partitions = 4;
        auto cluster = kafka::EmbeddedCluster::start(options);
        QVERIFY2(cluster.ok(), cluster.error().c_str());
        const QString bootstrap = QString::fromStdString((*cluster)->bootstrapServers());
        const QStringList simulation
            = {QStringLiteral("--seed"),     QStringLiteral("8"),
               QStringLiteral("--duration"), QStringLiteral("2400"),
               QStringLiteral("--rate"),     QStringLiteral("0.5"),
               QStringLiteral("--start"),    QStringLiteral("2026-11-24T09:00:00Z"),
               QStringLiteral("--speed"),    QStringLiteral("max")};
        QProcess produce;
        produce.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        produce.start(QStringLiteral(EVENTSCOPE_BINARY),
                      QStringList{QStringLiteral("simulate"), QStringLiteral("--bootstrap"),
                                  bootstrap, QStringLiteral("--json")}
                          + simulation);
        QVERIFY(produce.waitForFinished(120'000));
        QCOMPARE(produce.exitCode(), 0);
        const QJsonObject produced
            = QJsonDocument::fromJson(produce.readAllStandardOutput()).object();
        QVERIFY(produced.value(QStringLiteral("messages")).toInt() > 1000);

        const QString fromKafka = m_dir.filePath(QStringLiteral("sim-kafka.capture"));
        const QJsonObject summary
            = ingest(bootstrap, fromKafka, {QStringLiteral("--group"), QStringLiteral("sim")});
        QCOMPARE(summary.value(QStringLiteral("messages")).toInt(),
                 produced.value(QStringLiteral("messages")).toInt());
        QCOMPARE(summary.value(QStringLiteral("dead_letters")).toInt(), 0);

        const QString ndjson = m_dir.filePath(QStringLiteral("sim.ndjson"));
        const QString fromFile = m_dir.filePath(QStringLiteral("sim-file.capture"));
        QProcess write;
        write.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        write.start(QStringLiteral(EVENTSCOPE_BINARY),
                    QStringList{QStringLiteral("simulate"), QStringLiteral("--out"), ndjson}
                        + simulation);
        QVERIFY(write.waitForFinished(120'000));
        QCOMPARE(write.exitCode(), 0);
        QProcess import;
        import.start(QStringLiteral(EVENTSCOPE_BINARY),
                     {QStringLiteral("import"), QStringLiteral("--db"), fromFile, ndjson});
        QVERIFY(import.waitForFinished(120'000));
        QCOMPARE(import.exitCode(), 0);

        auto viaKafka = CaptureReader::open(fromKafka.toStdString());
        auto viaFile = CaptureReader::open(fromFile.toStdString());
        QVERIFY(viaKafka.ok() && viaFile.ok());
        std::set<std::string> kafkaIds, fileIds;
        for (const Event &e : *(*viaKafka)->events({}))
            QVERIFY2(kafkaIds.insert(e.sourceId).second, e.sourceId.c_str());
        for (const Event &e : *(*viaFile)->events({}))
            fileIds.insert(e.sourceId);
        QVERIFY(kafkaIds.size() > 20);
        QCOMPARE(kafkaIds, fileIds);
        const CaptureInfo a = *(*viaKafka)->info();
        const CaptureInfo b = *(*viaFile)->info();
        QCOMPARE(a.samples, b.samples);
        QCOMPARE(a.logs, b.logs);
        QCOMPARE(a.spans, b.spans);
        QCOMPARE(a.series, b.series);

        // The same 40 simulated minutes with --retention-age 10m: only the newest ten minutes
        // (and the chunk a cut falls in) stay.
        const QString recent = m_dir.filePath(QStringLiteral("sim-recent.capture"));
        const QJsonObject recentSummary
            = ingest(bootstrap, recent,
                     {QStringLiteral("--group"), QStringLiteral("sim-recent"),
                      QStringLiteral("--retention-age"), QStringLiteral("10m")});
        auto kept = CaptureReader::open(recent.toStdString());
        QVERIFY(kept.ok());
        const CaptureInfo c = *(*kept)->info();
        const TimeUs cutoff = a.span.end - 1 - 10 * 60 * kMicrosPerSecond;
        const auto events = *(*kept)->events({});
        // Said on failure: what that ingest consumed, and what the capture kept of its span.
        const QByteArray context = QJsonDocument(recentSummary).toJson(QJsonDocument::Compact)
            + " kept span " + QByteArray::fromStdString(formatTimestamp(c.span.begin)) + " .. "
            + QByteArray::fromStdString(formatTimestamp(c.span.end)) + ", full capture until "
            + QByteArray::fromStdString(formatTimestamp(a.span.end));
        QVERIFY2(!events.empty(), context.constData());
        QVERIFY2(events.front().time >= cutoff, "an event older than the retention age stayed");
        QVERIFY(events.size() < kafkaIds.size() / 2);
        QVERIFY(c.logs < a.logs / 2);
        QVERIFY(c.spans < a.spans / 2);
        QCOMPARE(events.back().time, (*(*viaKafka)->events({})).back().time);
    }
};

QTEST_GUILESS_MAIN(TestIngest)
#include "tst_ingest.moc"
