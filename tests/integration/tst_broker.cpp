// `eventscope broker` as an outside client sees it: kcat (an independent Kafka client) lists the
// default topics, produces and consumes over real Kafka protocol on 127.0.0.1, and the broker
// stops cleanly on SIGTERM.

#include <QProcess>
#include <QStandardPaths>
#include <QTest>

#include <csignal>

namespace {

QString kcat()
{
    const QString path = QStandardPaths::findExecutable(QStringLiteral("kcat"));
    if (path.isEmpty())
        qFatal("kcat not found: run installer/install-deps.sh");
    return path;
}

QByteArray runKcat(const QStringList &arguments, const QByteArray &input = {})
{
    QProcess process;
    process.start(kcat(), arguments);
    process.waitForStarted();
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(30'000) || process.exitCode() != 0)
        qFatal("kcat %s failed: %s", qPrintable(arguments.join(QLatin1Char(' '))),
               process.readAllStandardError().constData());
    return process.readAllStandardOutput();
}

} // namespace

class TestBroker : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void servesKafkaProtocolOnLoopbackAndStopsOnSigterm()
    {
        QProcess broker;
        broker.setProcessChannelMode(QProcess::SeparateChannels);
        broker.start(QStringLiteral(EVENTSCOPE_BINARY),
                     {QStringLiteral("broker"), QStringLiteral("--brokers"), QStringLiteral("2"),
                      QStringLiteral("--partitions"), QStringLiteral("4")});
        QVERIFY(broker.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(broker.canReadLine(), 10'000);
        const QString bootstrap = QString::fromUtf8(broker.readLine()).trimmed();
        QVERIFY2(
            QRegularExpression(QStringLiteral("^127\\.0\\.0\\.1:\\d+(,127\\.0\\.0\\.1:\\d+)*$"))
                .match(bootstrap)
                .hasMatch(),
            qPrintable(bootstrap));
        QCOMPARE(bootstrap.count(QLatin1Char(',')), 1); // two brokers

        const QString metadata
            = QString::fromUtf8(runKcat({QStringLiteral("-b"), bootstrap, QStringLiteral("-L")}));
        for (const char *topic : {"scaling_events", "failure_events", "resource_provisioning",
                                  "metrics", "logs", "traces"})
            QVERIFY2(
                metadata.contains(
                    QStringLiteral("topic \"%1\" with 4 partitions").arg(QLatin1String(topic))),
                qPrintable(metadata));

        QByteArray lines;
        for (int i = 0; i < 20; ++i)
            lines += QStringLiteral("k%1\t{\"n\":%1}\n").arg(i).toUtf8();
        runKcat({QStringLiteral("-b"), bootstrap, QStringLiteral("-t"), QStringLiteral("logs"),
                 QStringLiteral("-P"), QStringLiteral("-K"), QStringLiteral("\t")},
                lines);
        const QByteArray consumed
            = runKcat({QStringLiteral("-b"), bootstrap, QStringLiteral("-t"),
                       QStringLiteral("logs"), QStringLiteral("-C"), QStringLiteral("-e"),
                       QStringLiteral("-o"), QStringLiteral("beginning"), QStringLiteral("-q"),
                       QStringLiteral("-f"), QStringLiteral("%k %s\\n")});
        QCOMPARE(consumed.count('\n'), 20);
        QVERIFY(consumed.contains("k7 {\"n\":7}"));

        ::kill(static_cast<pid_t>(broker.processId()), SIGTERM);
        QVERIFY(broker.waitForFinished(10'000));
        QCOMPARE(broker.exitStatus(), QProcess::NormalExit);
        QCOMPARE(broker.exitCode(), 0);
        QVERIFY(broker.readAllStandardError().contains("stopping the embedded cluster (SIGTERM)"));
    }

    void badArgumentsExitTwo()
    {
        QProcess broker;
        broker.start(QStringLiteral(EVENTSCOPE_BINARY),
                     {QStringLiteral("broker"), QStringLiteral("--brokers"), QStringLiteral("0")});
        QVERIFY(broker.waitForFinished(10'000));
        QCOMPARE(broker.exitCode(), 2);
        QVERIFY(
            broker.readAllStandardError().contains("--brokers: '0' is not a number from 1 to 16"));
    }
};

QTEST_GUILESS_MAIN(TestBroker)
#include "tst_broker.moc"
