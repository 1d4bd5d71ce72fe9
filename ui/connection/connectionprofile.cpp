#include "connectionprofile.h"

#include <QFileInfo>
#include <QRegularExpression>
#include <QSettings>

namespace eventscope::ui {

namespace {
const char *securityName(ConnectionProfile::Security security)
{
    switch (security) {
    case ConnectionProfile::Security::Plaintext: return "PLAINTEXT";
    case ConnectionProfile::Security::Ssl: return "SSL";
    case ConnectionProfile::Security::SaslPlaintext: return "SASL_PLAINTEXT";
    case ConnectionProfile::Security::SaslSsl: return "SASL_SSL";
    }
    return "PLAINTEXT";
}

const char *mechanismName(ConnectionProfile::Mechanism mechanism)
{
    switch (mechanism) {
    case ConnectionProfile::Mechanism::Plain: return "PLAIN";
    case ConnectionProfile::Mechanism::ScramSha256: return "SCRAM-SHA-256";
    case ConnectionProfile::Mechanism::ScramSha512: return "SCRAM-SHA-512";
    }
    return "PLAIN";
}
} // namespace

QString ConnectionProfile::validate() const
{
    static const QRegularExpression server(QStringLiteral("^[A-Za-z0-9._\\-\\[\\]:]+:[0-9]{1,5}$"));
    if (bootstrap.trimmed().isEmpty())
        return QStringLiteral("Bootstrap servers: give at least one host:port");
    for (const QString &entry : bootstrap.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        if (!server.match(entry.trimmed()).hasMatch())
            return QStringLiteral("Bootstrap servers: '%1' is not host:port").arg(entry.trimmed());
    }
    if (!topicPattern.isEmpty()) {
        if (!topicPattern.startsWith(QLatin1Char('^')))
            return QStringLiteral("Topic pattern: a regex must start with ^ (librdkafka's rule)");
        if (!QRegularExpression(topicPattern).isValid())
            return QStringLiteral("Topic pattern: '%1' is not a valid regular expression")
                .arg(topicPattern);
    } else {
        if (topics.empty())
            return QStringLiteral("Topics: add at least one topic, or give a pattern");
        static const QRegularExpression topicName(QStringLiteral("^[A-Za-z0-9._\\-]{1,249}$"));
        for (const TopicEntry &topic : topics) {
            if (!topicName.match(topic.name).hasMatch())
                return QStringLiteral(
                           "Topics: '%1' is not a Kafka topic name (letters, digits, . _ -)")
                    .arg(topic.name);
        }
    }
    if (usesSasl() && username.isEmpty())
        return QStringLiteral("SASL: a user name is needed with %1")
            .arg(QLatin1String(securityName(security)));
    for (const auto &[label, file] :
         {std::pair{"CA file", &caFile}, std::pair{"Client certificate", &certificateFile},
          std::pair{"Client key", &keyFile}}) {
        if (!file->isEmpty() && !QFileInfo(*file).isReadable())
            return QStringLiteral("%1: cannot read %2").arg(QLatin1String(label), *file);
    }
    for (const QString &property : extraProperties) {
        if (property.trimmed().isEmpty() || property.trimmed().startsWith(QLatin1Char('#')))
            continue;
        if (property.indexOf(QLatin1Char('=')) <= 0)
            return QStringLiteral("Properties: '%1' is not key=value").arg(property.left(60));
    }
    return {};
}

kafka::IngestOptions ConnectionProfile::toIngestOptions() const
{
    kafka::IngestOptions options;
    options.bootstrapServers = bootstrap.trimmed().remove(QLatin1Char(' ')).toStdString();
    if (!topicPattern.isEmpty()) {
        options.topics.push_back(topicPattern.toStdString());
    } else {
        for (const TopicEntry &topic : topics) {
            options.topics.push_back(topic.name.toStdString());
            if (topic.kind != RecordKind::Unknown)
                options.topicKinds[topic.name.toStdString()] = topic.kind;
        }
    }
    options.groupId = groupId.toStdString();
    auto &properties = options.properties;
    properties.emplace_back("security.protocol", securityName(security));
    if (usesSasl()) {
        properties.emplace_back("sasl.mechanisms", mechanismName(mechanism));
        properties.emplace_back("sasl.username", username.toStdString());
        properties.emplace_back("sasl.password", password.toStdString());
    }
    if (usesTls()) {
        if (!caFile.isEmpty())
            properties.emplace_back("ssl.ca.location", caFile.toStdString());
        if (!certificateFile.isEmpty())
            properties.emplace_back("ssl.certificate.location", certificateFile.toStdString());
        if (!keyFile.isEmpty())
            properties.emplace_back("ssl.key.location", keyFile.toStdString());
    }
    for (const QString &property : extraProperties) { // last: they may override the above
        const QString line = property.trimmed();
        const auto equals = line.indexOf(QLatin1Char('='));
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')) || equals <= 0)
            continue;
        properties.emplace_back(line.left(equals).trimmed().toStdString(),
                                line.mid(equals + 1).trimmed().toStdString());
    }
    return options;
}

QString ConnectionProfile::secretKey() const
{
    return QStringLiteral("kafka:%1@%2").arg(username, bootstrap.trimmed());
}

void ConnectionProfile::save(QSettings &settings) const
{
    settings.setValue(QStringLiteral("bootstrap"), bootstrap);
    QStringList names, kinds;
    for (const TopicEntry &topic : topics) {
        names << topic.name;
        kinds << QString::fromUtf8(kindName(topic.kind).data(),
                                   static_cast<qsizetype>(kindName(topic.kind).size()));
    }
    settings.setValue(QStringLiteral("topics"), names);
    settings.setValue(QStringLiteral("topicKinds"), kinds);
    settings.setValue(QStringLiteral("topicPattern"), topicPattern);
    settings.setValue(QStringLiteral("group"), groupId);
    settings.setValue(QStringLiteral("security"), static_cast<int>(security));
    settings.setValue(QStringLiteral("mechanism"), static_cast<int>(mechanism));
    settings.setValue(QStringLiteral("username"), username);
    settings.setValue(QStringLiteral("caFile"), caFile);
    settings.setValue(QStringLiteral("certificateFile"), certificateFile);
    settings.setValue(QStringLiteral("keyFile"), keyFile);
    // Free-form properties: secrets among them stay out of the settings as well.
    QStringList kept;
    for (const QString &property : extraProperties) {
        const QString key = property.section(QLatin1Char('='), 0, 0).trimmed();
        if (!kafka::isSecretProperty(key.toStdString()))
            kept << property;
    }
    settings.setValue(QStringLiteral("properties"), kept);
}

ConnectionProfile ConnectionProfile::load(QSettings &settings)
{
    ConnectionProfile profile;
    profile.bootstrap = settings.value(QStringLiteral("bootstrap")).toString();
    const QStringList names = settings.value(QStringLiteral("topics")).toStringList();
    const QStringList kinds = settings.value(QStringLiteral("topicKinds")).toStringList();
    for (int i = 0; i < names.size(); ++i) {
        TopicEntry entry{names[i], RecordKind::Unknown};
        for (const RecordKind kind :
             {RecordKind::Events, RecordKind::Metrics, RecordKind::Logs, RecordKind::Traces}) {
            if (kinds.value(i)
                == QString::fromUtf8(kindName(kind).data(),
                                     static_cast<qsizetype>(kindName(kind).size())))
                entry.kind = kind;
        }
        profile.topics.push_back(entry);
    }
    profile.topicPattern = settings.value(QStringLiteral("topicPattern")).toString();
    profile.groupId = settings.value(QStringLiteral("group")).toString();
    profile.security = static_cast<Security>(
        std::clamp(settings.value(QStringLiteral("security")).toInt(), 0, 3));
    profile.mechanism = static_cast<Mechanism>(
        std::clamp(settings.value(QStringLiteral("mechanism")).toInt(), 0, 2));
    profile.username = settings.value(QStringLiteral("username")).toString();
    profile.caFile = settings.value(QStringLiteral("caFile")).toString();
    profile.certificateFile = settings.value(QStringLiteral("certificateFile")).toString();
    profile.keyFile = settings.value(QStringLiteral("keyFile")).toString();
    profile.extraProperties = settings.value(QStringLiteral("properties")).toStringList();
    return profile;
}

} // namespace eventscope::ui
