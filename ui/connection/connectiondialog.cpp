#include "connectiondialog.h"

#include "secretstore.h"

#include "kafka/clusterprobe.h"
#include "kafka/topics.h"

#include <QApplication>

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QTableWidget>
#include <QThreadPool>
#include <QVBoxLayout>

namespace eventscope::ui {

namespace {
constexpr RecordKind kKinds[] = {RecordKind::Unknown, RecordKind::Events, RecordKind::Metrics,
                                 RecordKind::Logs, RecordKind::Traces};

QString kindLabel(RecordKind kind)
{
    return kind == RecordKind::Unknown
        ? QStringLiteral("from the name")
        : QString::fromUtf8(kindName(kind).data(), static_cast<qsizetype>(kindName(kind).size()));
}

QLineEdit *fileField(QWidget *parent, QFormLayout *form, const QString &label,
                     const QString &filter)
{
    auto *row = new QWidget(parent);
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *edit = new QLineEdit(row);
    auto *browse = new QPushButton(QObject::tr("Browse…"), row);
    layout->addWidget(edit, 1);
    layout->addWidget(browse);
    QObject::connect(browse, &QPushButton::clicked, edit, [edit, label, filter] {
        const QString file = QFileDialog::getOpenFileName(edit, label, edit->text(), filter);
        if (!file.isEmpty())
            edit->setText(file);
    });
    form->addRow(label, row);
    return edit;
}
} // namespace

ConnectionDialog::ConnectionDialog(const ConnectionProfile &profile, SecretStore &secrets,
                                   QWidget *parent)
    : QDialog(parent)
    , m_secrets(secrets)
{
    setWindowTitle(tr("Connect to Kafka"));
    resize(720, 760);
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    layout->addLayout(form);

    m_bootstrap = new QLineEdit(this);
    m_bootstrap->setObjectName(QStringLiteral("Bootstrap"));
    m_bootstrap->setPlaceholderText(QStringLiteral("broker-1:9092,broker-2:9092"));
    form->addRow(tr("Bootstrap servers"), m_bootstrap);

    m_topics = new QTableWidget(0, 2, this);
    m_topics->setObjectName(QStringLiteral("Topics"));
    m_topics->setHorizontalHeaderLabels({tr("Topic"), tr("Holds")});
    m_topics->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_topics->setColumnWidth(1, 150);
    m_topics->verticalHeader()->hide();
    m_topics->setMinimumHeight(150);
    auto *topicButtons = new QHBoxLayout;
    auto *add = new QPushButton(tr("Add topic"), this);
    auto *remove = new QPushButton(tr("Remove"), this);
    topicButtons->addWidget(add);
    topicButtons->addWidget(remove);
    topicButtons->addStretch(1);
    connect(add, &QPushButton::clicked, this, [this] {
        addTopicRow({});
        m_topics->editItem(m_topics->item(m_topics->rowCount() - 1, 0));
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (m_topics->currentRow() >= 0)
            m_topics->removeRow(m_topics->currentRow());
    });
    auto *topicBox = new QVBoxLayout;
    topicBox->addWidget(m_topics);
    topicBox->addLayout(topicButtons);
    form->addRow(tr("Topics"), topicBox);
    m_usePattern = new QCheckBox(tr("Subscribe by pattern instead"), this);
    m_pattern = new QLineEdit(this);
    m_pattern->setPlaceholderText(QStringLiteral("^prod\\..*"));
    auto *patternRow = new QHBoxLayout;
    patternRow->addWidget(m_usePattern);
    patternRow->addWidget(m_pattern, 1);
    form->addRow(tr("Pattern"), patternRow);
    connect(m_usePattern, &QCheckBox::toggled, this, [this](bool on) {
        m_pattern->setEnabled(on);
        m_topics->setEnabled(!on);
    });

    m_group = new QLineEdit(this);
    m_group->setPlaceholderText(QString::fromStdString(kafka::defaultGroupId()));
    form->addRow(tr("Consumer group"), m_group);

    m_security = new QComboBox(this);
    m_security->addItems({QStringLiteral("PLAINTEXT"), QStringLiteral("SSL"),
                          QStringLiteral("SASL_PLAINTEXT"), QStringLiteral("SASL_SSL")});
    form->addRow(tr("Security"), m_security);
    m_mechanism = new QComboBox(this);
    m_mechanism->addItems({QStringLiteral("PLAIN"), QStringLiteral("SCRAM-SHA-256"),
                           QStringLiteral("SCRAM-SHA-512")});
    form->addRow(tr("SASL mechanism"), m_mechanism);
    m_username = new QLineEdit(this);
    form->addRow(tr("User"), m_username);
    m_password = new QLineEdit(this);
    m_password->setEchoMode(QLineEdit::Password);
    form->addRow(tr("Password"), m_password);
    m_keyringNote = new QLabel(this);
    m_keyringNote->setWordWrap(true);
    form->addRow(QString(), m_keyringNote);
    m_caFile
        = fileField(this, form, tr("CA file"), tr("Certificates (*.pem *.crt);;All files (*)"));
    m_certificateFile = fileField(this, form, tr("Client certificate"),
                                  tr("Certificates (*.pem *.crt);;All files (*)"));
    m_keyFile = fileField(this, form, tr("Client key"), tr("Keys (*.pem *.key);;All files (*)"));
    connect(m_security, &QComboBox::currentIndexChanged, this,
            &ConnectionDialog::updateSecurityFields);
    connect(m_username, &QLineEdit::editingFinished, this, &ConnectionDialog::loadPassword);

    m_properties = new QPlainTextEdit(this);
    m_properties->setPlaceholderText(
        tr("librdkafka properties, one key=value a line (as kcat -X), e.g.\n"
           "fetch.max.bytes=52428800"));
    m_properties->setMaximumHeight(90);
    form->addRow(tr("Properties"), m_properties);

    auto *testRow = new QHBoxLayout;
    m_testButton = new QPushButton(tr("Test connection"), this);
    m_testButton->setObjectName(QStringLiteral("TestConnection"));
    testRow->addWidget(m_testButton);
    testRow->addStretch(1);
    layout->addLayout(testRow);
    connect(m_testButton, &QPushButton::clicked, this, &ConnectionDialog::testConnection);
    m_result = new QLabel(this);
    m_result->setObjectName(QStringLiteral("TestResult"));
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_result);
    m_validation = new QLabel(this);
    m_validation->setWordWrap(true);
    m_validation->setStyleSheet(QStringLiteral("color: #e05050"));
    layout->addWidget(m_validation);
    layout->addStretch(1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Connect"));
    connect(buttons, &QDialogButtonBox::accepted, this, &ConnectionDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    setProfile(profile);
}

void ConnectionDialog::addTopicRow(const ConnectionProfile::TopicEntry &entry)
{
    const int row = m_topics->rowCount();
    m_topics->insertRow(row);
    m_topics->setItem(row, 0, new QTableWidgetItem(entry.name));
    auto *kind = new QComboBox(m_topics);
    for (const RecordKind k : kKinds)
        kind->addItem(kindLabel(k), static_cast<int>(k));
    kind->setCurrentIndex(std::max(0, kind->findData(static_cast<int>(entry.kind))));
    m_topics->setCellWidget(row, 1, kind);
}

void ConnectionDialog::setProfile(const ConnectionProfile &profile)
{
    m_bootstrap->setText(profile.bootstrap);
    m_topics->setRowCount(0);
    for (const auto &topic : profile.topics)
        addTopicRow(topic);
    if (profile.topics.empty() && profile.topicPattern.isEmpty()) {
        for (std::string_view name : kafka::kDefaultTopics)
            addTopicRow({QString::fromUtf8(name.data(), static_cast<qsizetype>(name.size())),
                         RecordKind::Unknown});
    }
    m_usePattern->setChecked(!profile.topicPattern.isEmpty());
    m_pattern->setText(profile.topicPattern);
    m_pattern->setEnabled(!profile.topicPattern.isEmpty());
    m_group->setText(profile.groupId);
    m_security->setCurrentIndex(static_cast<int>(profile.security));
    m_mechanism->setCurrentIndex(static_cast<int>(profile.mechanism));
    m_username->setText(profile.username);
    m_password->setText(profile.password);
    m_caFile->setText(profile.caFile);
    m_certificateFile->setText(profile.certificateFile);
    m_keyFile->setText(profile.keyFile);
    m_properties->setPlainText(profile.extraProperties.join(QLatin1Char('\n')));
    updateSecurityFields();
    if (profile.password.isEmpty())
        loadPassword();
}

ConnectionProfile ConnectionDialog::profile() const
{
    ConnectionProfile profile;
    profile.bootstrap = m_bootstrap->text().trimmed();
    for (int row = 0; row < m_topics->rowCount(); ++row) {
        const QTableWidgetItem *item = m_topics->item(row, 0);
        const QString name = item ? item->text().trimmed() : QString();
        if (name.isEmpty())
            continue;
        const auto *kind = qobject_cast<QComboBox *>(m_topics->cellWidget(row, 1));
        profile.topics.push_back(
            {name,
             kind ? static_cast<RecordKind>(kind->currentData().toInt()) : RecordKind::Unknown});
    }
    if (m_usePattern->isChecked())
        profile.topicPattern = m_pattern->text().trimmed();
    profile.groupId = m_group->text().trimmed();
    profile.security = static_cast<ConnectionProfile::Security>(m_security->currentIndex());
    profile.mechanism = static_cast<ConnectionProfile::Mechanism>(m_mechanism->currentIndex());
    profile.username = m_username->text().trimmed();
    profile.password = m_password->text();
    profile.caFile = m_caFile->text().trimmed();
    profile.certificateFile = m_certificateFile->text().trimmed();
    profile.keyFile = m_keyFile->text().trimmed();
    profile.extraProperties
        = m_properties->toPlainText().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    return profile;
}

void ConnectionDialog::updateSecurityFields()
{
    const auto security = static_cast<ConnectionProfile::Security>(m_security->currentIndex());
    const bool sasl = security == ConnectionProfile::Security::SaslPlaintext
        || security == ConnectionProfile::Security::SaslSsl;
    const bool tls = security == ConnectionProfile::Security::Ssl
        || security == ConnectionProfile::Security::SaslSsl;
    for (QWidget *field : {static_cast<QWidget *>(m_mechanism), static_cast<QWidget *>(m_username),
                           static_cast<QWidget *>(m_password)})
        field->setEnabled(sasl);
    for (QLineEdit *field : {m_caFile, m_certificateFile, m_keyFile})
        field->parentWidget()->setEnabled(tls);
}

void ConnectionDialog::loadPassword()
{
    const ConnectionProfile current = profile();
    if (!current.usesSasl() || current.username.isEmpty() || !m_password->text().isEmpty())
        return;
    QPointer<ConnectionDialog> self(this);
    m_secrets.read(current.secretKey(), [self](const SecretStore::Outcome &outcome) {
        if (!self)
            return;
        if (outcome.ok) {
            self->m_password->setText(outcome.secret);
            self->m_keyringNote->setText(tr("Password from the desktop keyring."));
        } else if (outcome.unavailable) {
            self->m_keyringAvailable = false;
            self->m_keyringNote->setText(
                tr("No desktop keyring (%1): the password is not stored and is asked each time.")
                    .arg(outcome.error));
        } else {
            self->m_keyringNote->setText(tr("The password will be kept in the desktop keyring."));
        }
    });
}

QString ConnectionDialog::validationMessage() const
{
    return m_validation->text();
}

void ConnectionDialog::testConnection()
{
    const ConnectionProfile current = profile();
    if (const QString problem = current.validate(); !problem.isEmpty()) {
        m_validation->setText(problem);
        m_result->clear();
        Q_EMIT testFinished(false);
        return;
    }
    m_validation->clear();
    m_testing = true;
    m_testButton->setEnabled(false);
    m_result->setText(tr("Testing %1…").arg(current.bootstrap.toHtmlEscaped()));
    const quint64 generation = ++m_testGeneration;
    QPointer<ConnectionDialog> self(this);
    const kafka::IngestOptions options = current.toIngestOptions();
    QThreadPool::globalInstance()->start([self, options, generation] {
        auto probe = kafka::probeCluster(options);
        QMetaObject::invokeMethod(
            qApp,
            [self, probe = std::move(probe), generation] {
                if (!self || generation != self->m_testGeneration)
                    return;
                self->m_testing = false;
                self->m_testButton->setEnabled(true);
                if (!probe) {
                    self->m_result->setText(
                        tr("Cannot connect: %1")
                            .arg(QString::fromStdString(probe.error()).toHtmlEscaped()));
                    Q_EMIT self->testFinished(false);
                    return;
                }
                QString text = probe->brokers.size() == 1
                    ? tr("Connected: 1 broker")
                    : tr("Connected: %1 brokers").arg(probe->brokers.size());
                QStringList brokers;
                for (const auto &broker : probe->brokers)
                    brokers << QStringLiteral("%1 (id %2)")
                                   .arg(QString::fromStdString(broker.address))
                                   .arg(broker.id);
                text += QStringLiteral(": ") + brokers.join(QStringLiteral(", ")).toHtmlEscaped();
                QStringList topics;
                for (const auto &topic : probe->topics)
                    topics << (topic.partitions == 1 ? tr("%1 (1 partition)")
                                                     : tr("%1 (%2 partitions)")
                                                           .arg(QStringLiteral("%1"),
                                                                QString::number(topic.partitions)))
                                  .arg(QString::fromStdString(topic.name).toHtmlEscaped());
                text += QStringLiteral("<br>")
                    + tr("Topics: %1")
                          .arg(topics.isEmpty() ? tr("none") : topics.join(QStringLiteral(", ")));
                if (!probe->missingTopics.empty()) {
                    QStringList missing;
                    for (const auto &name : probe->missingTopics)
                        missing << QString::fromStdString(name).toHtmlEscaped();
                    text += QStringLiteral("<br><span style='color:#e0a030'>")
                        + tr("Topic missing: %1").arg(missing.join(QStringLiteral(", ")))
                        + QStringLiteral("</span>");
                }
                self->m_result->setText(text);
                Q_EMIT self->testFinished(probe->missingTopics.empty());
            },
            Qt::QueuedConnection);
    });
}

QString ConnectionDialog::testResult() const
{
    return m_result->text();
}

void ConnectionDialog::accept()
{
    const ConnectionProfile current = profile();
    if (const QString problem = current.validate(); !problem.isEmpty()) {
        m_validation->setText(problem);
        return;
    }
    if (current.usesSasl() && m_keyringAvailable && !current.password.isEmpty())
        m_secrets.write(current.secretKey(), current.password, [](const SecretStore::Outcome &) {});
    QDialog::accept();
}

} // namespace eventscope::ui
