#pragma once

#include "decode/message.h"
#include "kafka/kafkaingest.h"

#include <QString>
#include <QStringList>

#include <vector>

class QSettings;

namespace eventscope::ui {

// A Kafka connection as the operator describes it in the connection dialog: servers, topics
// with their kinds (or one regex), group, security and free-form librdkafka properties. The
// password is never written to the settings: it goes to the keyring (SecretStore). GUI-free.
struct ConnectionProfile
{
    enum class Security { Plaintext, Ssl, SaslPlaintext, SaslSsl };
    enum class Mechanism { Plain, ScramSha256, ScramSha512 };
    struct TopicEntry
    {
        QString name;
        RecordKind kind = RecordKind::Unknown; // Unknown: guessed from the name
        friend bool operator==(const TopicEntry &, const TopicEntry &) = default;
    };

    QString bootstrap;
    std::vector<TopicEntry> topics;
    QString topicPattern; // "^..." instead of the list when set
    QString groupId;
    Security security = Security::Plaintext;
    Mechanism mechanism = Mechanism::Plain;
    QString username;
    QString password; // in memory only
    QString caFile;
    QString certificateFile;
    QString keyFile;
    QStringList extraProperties; // key=value, as kcat's -X

    bool usesSasl() const
    {
        return security == Security::SaslPlaintext || security == Security::SaslSsl;
    }
    bool usesTls() const { return security == Security::Ssl || security == Security::SaslSsl; }

    // Empty when the profile can be used, else what is wrong, naming the field.
    QString validate() const;
    kafka::IngestOptions toIngestOptions() const;

    // The keyring entry for this profile's password: user and servers.
    QString secretKey() const;

    void save(QSettings &settings) const; // without the password
    static ConnectionProfile load(QSettings &settings);

    friend bool operator==(const ConnectionProfile &, const ConnectionProfile &) = default;
};

} // namespace eventscope::ui
