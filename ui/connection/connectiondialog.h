#pragma once

#include "connectionprofile.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;

namespace eventscope::ui {

class SecretStore;

// Connect to Kafka: bootstrap servers, topics with their kinds (or one regex), group,
// security (PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL; PLAIN, SCRAM-SHA-256/512; CA file,
// client certificate and key), free-form librdkafka properties, and Test connection, which
// lists brokers and topics with partition counts or says in one sentence why it could not.
// The password goes to the keyring when there is one; when there is none, the dialog says
// so and the password is asked each time. GUI thread; the test runs on a pool thread.
class ConnectionDialog : public QDialog
{
    Q_OBJECT

public:
    ConnectionDialog(const ConnectionProfile &profile, SecretStore &secrets,
                     QWidget *parent = nullptr);

    ConnectionProfile profile() const;
    void setProfile(const ConnectionProfile &profile);
    // Runs the test (as the button does); the result shows in testResult().
    void testConnection();
    QString testResult() const;
    bool isTesting() const { return m_testing; }
    QString validationMessage() const;

    // Connect: validates, keeps the password in the keyring, closes. Stays open on bad input.
    void accept() override;

Q_SIGNALS:
    void testFinished(bool ok);

private:
    void updateSecurityFields();
    void addTopicRow(const ConnectionProfile::TopicEntry &entry);
    void loadPassword();

    SecretStore &m_secrets;
    QLineEdit *m_bootstrap;
    QTableWidget *m_topics;
    QCheckBox *m_usePattern;
    QLineEdit *m_pattern;
    QLineEdit *m_group;
    QComboBox *m_security;
    QComboBox *m_mechanism;
    QLineEdit *m_username;
    QLineEdit *m_password;
    QLabel *m_keyringNote;
    QLineEdit *m_caFile;
    QLineEdit *m_certificateFile;
    QLineEdit *m_keyFile;
    QPlainTextEdit *m_properties;
    QPushButton *m_testButton;
    QLabel *m_result;
    QLabel *m_validation;
    bool m_testing = false;
    bool m_keyringAvailable = true;
    quint64 m_testGeneration = 0;
};

} // namespace eventscope::ui
