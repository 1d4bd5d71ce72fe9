// The connection dialog and its profile: what it validates, the librdkafka properties it
// produces, what it keeps out of the settings, and its Test button against the embedded
// cluster (brokers and partition counts, a missing topic, an unreachable broker).
#include "connection/connectiondialog.h"
#include "connection/connectionprofile.h"
#include "connection/secretstore.h"

#include "kafka/embeddedcluster.h"

#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryFile>
#include <QTest>

using namespace eventscope;
using namespace eventscope::ui;

namespace {
std::string propertyValue(const kafka::IngestOptions &options, const std::string &key)
{
    std::string value;
    for (const auto &[k, v] : options.properties) {
        if (k == key)
            value = v; // the last one wins, as librdkafka applies them
    }
    return value;
}

ConnectionProfile plainProfile(const QString &bootstrap)
{
    ConnectionProfile profile;
    profile.bootstrap = bootstrap;
    profile.topics = {{QStringLiteral("scaling_events"), RecordKind::Unknown},
                      {QStringLiteral("app_metrics"), RecordKind::Metrics}};
    return profile;
}
} // namespace

class TestConnectionDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void profilesAreValidated_data()
    {
        QTest::addColumn<QString>("bootstrap");
        QTest::addColumn<QString>("topic");
        QTest::addColumn<int>("security");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("property");
        QTest::addColumn<QString>("error");
        QTest::newRow("fine") << "kafka-1:9092,kafka-2:9092"
                              << "events" << 0 << ""
                              << ""
                              << "";
        QTest::newRow("no servers") << ""
                                    << "events" << 0 << ""
                                    << ""
                                    << "Bootstrap servers: give at least one host:port";
        QTest::newRow("no port") << "kafka-1"
                                 << "events" << 0 << ""
                                 << ""
                                 << "Bootstrap servers: 'kafka-1' is not host:port";
        QTest::newRow("bad topic")
            << "k:9092"
            << "my topic" << 0 << ""
            << ""
            << "Topics: 'my topic' is not a Kafka topic name (letters, digits, . _ -)";
        QTest::newRow("sasl without user") << "k:9092"
                                           << "events" << 3 << ""
                                           << ""
                                           << "SASL: a user name is needed with SASL_SSL";
        QTest::newRow("bad property") << "k:9092"
                                      << "events" << 0 << ""
                                      << "fetch.max.bytes"
                                      << "Properties: 'fetch.max.bytes' is not key=value";
    }

    void profilesAreValidated()
    {
        QFETCH(QString, bootstrap);
        QFETCH(QString, topic);
        QFETCH(int, security);
        QFETCH(QString, user);
        QFETCH(QString, property);
        QFETCH(QString, error);
        ConnectionProfile profile;
        profile.bootstrap = bootstrap;
        profile.topics = {{topic, RecordKind::Unknown}};
        profile.security = static_cast<ConnectionProfile::Security>(security);
        profile.username = user;
        if (!property.isEmpty())
            profile.extraProperties = {property};
        QCOMPARE(profile.validate(), error);
    }

    void profileBecomesLibrdkafkaProperties()
    {
        ConnectionProfile profile = plainProfile(QStringLiteral("k1:9093, k2:9093"));
        profile.groupId = QStringLiteral("ops");
        profile.security = ConnectionProfile::Security::SaslSsl;
        profile.mechanism = ConnectionProfile::Mechanism::ScramSha512;
        profile.username = QStringLiteral("alice");
        profile.password = QStringLiteral("s3cret");
        profile.caFile = QStringLiteral("/etc/ssl/ca.pem");
        profile.extraProperties
            = {QStringLiteral("# a comment"), QStringLiteral("fetch.max.bytes = 1048576")};
        const kafka::IngestOptions options = profile.toIngestOptions();
        QCOMPARE(options.bootstrapServers, std::string("k1:9093,k2:9093"));
        QCOMPARE(options.groupId, std::string("ops"));
        QCOMPARE(options.topics, (std::vector<std::string>{"scaling_events", "app_metrics"}));
        QCOMPARE(options.topicKinds.at("app_metrics"), RecordKind::Metrics);
        QVERIFY(!options.topicKinds.contains("scaling_events")); // guessed from the name
        QCOMPARE(propertyValue(options, "security.protocol"), std::string("SASL_SSL"));
        QCOMPARE(propertyValue(options, "sasl.mechanisms"), std::string("SCRAM-SHA-512"));
        QCOMPARE(propertyValue(options, "sasl.username"), std::string("alice"));
        QCOMPARE(propertyValue(options, "sasl.password"), std::string("s3cret"));
        QCOMPARE(propertyValue(options, "ssl.ca.location"), std::string("/etc/ssl/ca.pem"));
        QCOMPARE(propertyValue(options, "fetch.max.bytes"), std::string("1048576"));

        ConnectionProfile pattern = plainProfile(QStringLiteral("k:9092"));
        pattern.topicPattern = QStringLiteral("^prod\\\\..*");
        QCOMPARE(pattern.toIngestOptions().topics, (std::vector<std::string>{"^prod\\\\..*"}));
    }

    void passwordsNeverReachTheSettings()
    {
        ConnectionProfile profile = plainProfile(QStringLiteral("k:9092"));
        profile.security = ConnectionProfile::Security::SaslPlaintext;
        profile.username = QStringLiteral("alice");
        profile.password = QStringLiteral("s3cret-in-field");
        profile.extraProperties = {QStringLiteral("sasl.password=s3cret-in-property"),
                                   QStringLiteral("fetch.max.bytes=1048576")};
        QTemporaryFile file;
        QVERIFY(file.open());
        {
            QSettings settings(file.fileName(), QSettings::IniFormat);
            profile.save(settings);
        }
        QFile written(file.fileName());
        QVERIFY(written.open(QIODevice::ReadOnly));
        const QByteArray text = written.readAll();
        QVERIFY(!text.contains("s3cret"));
        QVERIFY(text.contains("fetch.max.bytes"));
        QSettings settings(file.fileName(), QSettings::IniFormat);
        const ConnectionProfile loaded = ConnectionProfile::load(settings);
        QCOMPARE(loaded.username, QStringLiteral("alice"));
        QVERIFY(loaded.password.isEmpty());
        QCOMPARE(loaded.topics, profile.topics);
        QCOMPARE(loaded.extraProperties, QStringList{QStringLiteral("fetch.max.bytes=1048576")});
    }

    void testButtonReportsBrokersTopicsAndAMissingTopic()
    {
        kafka::EmbeddedClusterOptions clusterOptions;
        clusterOptions.partitions = 3;
        clusterOptions.topics = {"ops_events"};
        auto cluster = kafka::EmbeddedCluster::start(clusterOptions);
        QVERIFY2(cluster.ok(), cluster.ok() ? "" : cluster.error().c_str());
        SecretStore secrets;
        ConnectionProfile profile
            = plainProfile(QString::fromStdString((*cluster)->bootstrapServers()));
        profile.topics = {{QStringLiteral("ops_events"), RecordKind::Events},
                          {QStringLiteral("no_such_topic"), RecordKind::Unknown}};
        ConnectionDialog dialog(profile, secrets);
        QSignalSpy finished(&dialog, &ConnectionDialog::testFinished);
        dialog.findChild<QPushButton *>(QStringLiteral("TestConnection"))->click();
        QVERIFY(finished.wait(20'000));
        QCOMPARE(finished.takeFirst().at(0).toBool(), false); // a topic is missing
        const QString result = dialog.testResult();
        QVERIFY2(result.contains(QStringLiteral("Connected:")), qPrintable(result));
        QVERIFY2(result.contains(QStringLiteral("ops_events (3 partitions)")), qPrintable(result));
        QVERIFY2(result.contains(QStringLiteral("Topic missing: no_such_topic")),
                 qPrintable(result));
        QDir().mkpath(QStringLiteral("screenshots"));
        QVERIFY(dialog.grab().save(QStringLiteral("screenshots/connection-dialog.png")));
    }

    void testButtonSaysWhyItCannotConnect()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close();
        SecretStore secrets;
        ConnectionDialog dialog(plainProfile(QStringLiteral("127.0.0.1:%1").arg(port)), secrets);
        QSignalSpy finished(&dialog, &ConnectionDialog::testFinished);
        dialog.testConnection();
        QVERIFY(finished.wait(30'000));
        QCOMPARE(finished.takeFirst().at(0).toBool(), false);
        QVERIFY2(
            dialog.testResult().startsWith(
                QStringLiteral("Cannot connect: unreachable: no broker answered at 127.0.0.1:%1")
                    .arg(port))
                || dialog.testResult().startsWith(
                    QStringLiteral("Cannot connect: no broker answered at 127.0.0.1:%1").arg(port)),
            qPrintable(dialog.testResult()));

        // Invalid input is said before anything is tried.
        auto *bootstrap = dialog.findChild<QLineEdit *>(QStringLiteral("Bootstrap"));
        bootstrap->setText(QStringLiteral("no-port"));
        dialog.testConnection();
        QCOMPARE(dialog.validationMessage(),
                 QStringLiteral("Bootstrap servers: 'no-port' is not host:port"));
        dialog.accept();
        QVERIFY(dialog.result() != QDialog::Accepted);
    }
};

QTEST_MAIN(TestConnectionDialog)
#include "tst_connectiondialog.moc"
