#include "alertspanel.h"

#include "numbertext.h"

#include "alertruleeditor.h"

#include "settings/operatorsettings.h"
#include "store/capturereader.h"

#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace eventscope::ui {

namespace {

enum AlertColumn {
    StateColumn,
    RuleColumn,
    SubjectColumn,
    SeverityColumn,
    FiredColumn,
    LastedColumn,
    ValueColumn,
    AlertColumnCount
};
enum RuleColumnIndex {
    RuleNameColumn,
    RuleKindColumn,
    RuleConditionColumn,
    RuleSeverityColumn,
    RuleDeliveryColumn,
    RuleColumnCount
};

QString kindName(analysis::AlertKind kind)
{
    switch (kind) {
    case analysis::AlertKind::Threshold: return QObject::tr("threshold");
    case analysis::AlertKind::EventRate: return QObject::tr("event rate");
    case analysis::AlertKind::Anomaly: return QObject::tr("anomaly");
    }
    return {};
}

QString deliveryText(const analysis::AlertRule &rule)
{
    if (!rule.deliver)
        return QObject::tr("—");
    if (rule.deliver->kind == analysis::DeliveryTarget::Kind::PagerDuty)
        return QObject::tr("PagerDuty (%1)").arg(QString::fromStdString(rule.deliver->secret));
    return QObject::tr("webhook %1").arg(QString::fromStdString(rule.deliver->url));
}

QString operatorRulesOrigin()
{
    return QObject::tr("Your rules (%1): the live console alerts with them, and `eventscope "
                       "alerts` without --rules.")
        .arg(QString::fromStdString(settings::settingsFile()));
}

// Active first, then the newest.
void orderForOperators(std::vector<analysis::AlertEpisode> &episodes)
{
    std::stable_sort(episodes.begin(), episodes.end(),
                     [](const analysis::AlertEpisode &a, const analysis::AlertEpisode &b) {
                         if (a.active() != b.active())
                             return a.active();
                         return a.fired > b.fired;
                     });
}

QTableWidget *makeTable(QWidget *parent, const QStringList &headers)
{
    auto *table = new QTableWidget(parent);
    table->setColumnCount(static_cast<int>(headers.size()));
    table->setHorizontalHeaderLabels(headers);
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setWordWrap(false);
    table->horizontalHeader()->setStretchLastSection(true);
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 4);
    return table;
}

} // namespace

AlertsPanel::AlertsPanel(QWidget *parent)
    : QWidget(parent)
    , m_latest(std::make_shared<std::atomic<quint64>>(0))
    , m_refresh(new QTimer(this))
    , m_sourceBox(new QComboBox(this))
    , m_status(new QLabel(this))
    , m_alerts(makeTable(this,
                         {tr("State"), tr("Rule"), tr("Subject"), tr("Severity"), tr("Fired"),
                          tr("Lasted"), tr("Value")}))
    , m_rulesNote(new QLabel(this))
    , m_ruleTable(makeTable(
          this, {tr("Rule"), tr("Kind"), tr("Condition"), tr("Severity"), tr("Delivery")}))
    , m_edit(new QPushButton(tr("&Edit…"), this))
    , m_duplicate(new QPushButton(tr("D&uplicate"), this))
    , m_remove(new QPushButton(tr("&Remove"), this))
{
    m_sourceBox->setObjectName(QStringLiteral("AlertSource"));
    m_sourceBox->addItems(
        {tr("Alerts stored in the capture"), tr("What my rules fire on this capture")});
    m_status->setObjectName(QStringLiteral("AlertStatus"));
    m_status->setWordWrap(true);
    m_alerts->setObjectName(QStringLiteral("AlertTable"));
    const int timeWidth
        = fontMetrics().horizontalAdvance(QStringLiteral("0000-00-00 00:00:00.000 UTC+00:00"));
    m_alerts->setColumnWidth(StateColumn,
                             fontMetrics().horizontalAdvance(QStringLiteral("● Resolved ")));
    m_alerts->setColumnWidth(RuleColumn, 110);
    m_alerts->setColumnWidth(SubjectColumn, 230);
    m_alerts->setColumnWidth(SeverityColumn, 70);
    m_alerts->setColumnWidth(FiredColumn, timeWidth);
    m_alerts->setColumnWidth(LastedColumn,
                             fontMetrics().horizontalAdvance(QStringLiteral("00 min 00 s")) + 12);

    auto *alertsBox = new QWidget(this);
    auto *alertsLayout = new QVBoxLayout(alertsBox);
    alertsLayout->setContentsMargins(0, 0, 0, 0);
    auto *top = new QHBoxLayout;
    top->addWidget(m_sourceBox);
    top->addWidget(m_status, 1);
    alertsLayout->addLayout(top);
    alertsLayout->addWidget(m_alerts, 1);

    m_rulesNote->setObjectName(QStringLiteral("AlertRulesNote"));
    m_rulesNote->setWordWrap(true);
    m_ruleTable->setObjectName(QStringLiteral("AlertRuleTable"));
    m_ruleTable->setColumnWidth(RuleNameColumn, 120);
    m_ruleTable->setColumnWidth(RuleKindColumn, 80);
    m_ruleTable->setColumnWidth(RuleConditionColumn, 320);
    m_ruleTable->setColumnWidth(RuleSeverityColumn, 70);
    auto *add = new QPushButton(tr("&New…"), this);
    add->setObjectName(QStringLiteral("NewAlertRule"));
    auto *importButton = new QPushButton(tr("&Import…"), this);
    auto *exportButton = new QPushButton(tr("E&xport…"), this);
    auto *buttons = new QHBoxLayout;
    for (QPushButton *button : {add, m_edit, m_duplicate, m_remove})
        buttons->addWidget(button);
    buttons->addStretch(1);
    buttons->addWidget(importButton);
    buttons->addWidget(exportButton);
    auto *rulesBox = new QWidget(this);
    auto *rulesLayout = new QVBoxLayout(rulesBox);
    rulesLayout->setContentsMargins(0, 0, 0, 0);
    rulesLayout->addWidget(m_rulesNote);
    rulesLayout->addWidget(m_ruleTable, 1);
    rulesLayout->addLayout(buttons);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(alertsBox);
    splitter->addWidget(rulesBox);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(splitter);

    m_refresh->setSingleShot(true);
    m_refresh->setInterval(2000);
    connect(m_refresh, &QTimer::timeout, this, &AlertsPanel::load);
    connect(m_sourceBox, &QComboBox::currentIndexChanged, this,
            [this](int index) { setSource(index == 1 ? Source::Evaluated : Source::Stored); });
    connect(m_alerts, &QTableWidget::cellDoubleClicked, this, [this](int row, int) {
        if (row >= 0 && row < static_cast<int>(m_episodes.size())) {
            const analysis::AlertEpisode &e = m_episodes[static_cast<std::size_t>(row)];
            Q_EMIT alertActivated(QString::fromStdString(e.firingId), e.fired);
        }
    });
    connect(add, &QPushButton::clicked, this, [this] { editRule(-1); });
    connect(m_edit, &QPushButton::clicked, this, [this] { editRule(m_ruleTable->currentRow()); });
    connect(m_ruleTable, &QTableWidget::cellDoubleClicked, this,
            [this](int row, int) { editRule(row); });
    connect(m_duplicate, &QPushButton::clicked, this, [this] {
        const int row = m_ruleTable->currentRow();
        if (row < 0 || row >= static_cast<int>(m_rules.size()))
            return;
        analysis::AlertRule copy = m_rules[static_cast<std::size_t>(row)];
        for (int n = 2;; ++n) {
            const std::string name = copy.name + "-" + std::to_string(n);
            if (std::none_of(m_rules.begin(), m_rules.end(),
                             [&name](const analysis::AlertRule &r) { return r.name == name; })) {
                copy.name = name;
                break;
            }
        }
        m_rules.insert(m_rules.begin() + row + 1, std::move(copy));
        if (Status saved = saveRules(); !saved)
            QMessageBox::warning(this, tr("Cannot save the rules"),
                                 QString::fromStdString(saved.error()));
        m_ruleTable->selectRow(row + 1);
    });
    connect(m_remove, &QPushButton::clicked, this, [this] {
        const int row = m_ruleTable->currentRow();
        if (row < 0 || row >= static_cast<int>(m_rules.size()))
            return;
        const QString name = QString::fromStdString(m_rules[static_cast<std::size_t>(row)].name);
        if (QMessageBox::question(this, tr("Remove Alert Rule"),
                                  tr("Remove the rule '%1'? Its alerts already in captures "
                                     "stay.")
                                      .arg(name))
            != QMessageBox::Yes)
            return;
        m_rules.erase(m_rules.begin() + row);
        if (Status saved = saveRules(); !saved)
            QMessageBox::warning(this, tr("Cannot save the rules"),
                                 QString::fromStdString(saved.error()));
    });
    connect(importButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Import Alert Rules"), QString(), tr("Alert rules (*.json);;All files (*)"));
        if (path.isEmpty())
            return;
        if (Status imported = importRules(path); !imported)
            QMessageBox::warning(this, tr("Cannot import the rules"),
                                 QString::fromStdString(imported.error()));
    });
    connect(exportButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export Alert Rules"),
                                                          QStringLiteral("rules.json"),
                                                          tr("Alert rules (*.json)"));
        if (path.isEmpty())
            return;
        if (Status exported = exportRules(path); !exported)
            QMessageBox::warning(this, tr("Cannot export the rules"),
                                 QString::fromStdString(exported.error()));
    });
    connect(m_ruleTable, &QTableWidget::currentCellChanged, this, [this](int row) {
        const bool chosen = row >= 0 && row < static_cast<int>(m_rules.size());
        m_edit->setEnabled(chosen);
        m_duplicate->setEnabled(chosen);
        m_remove->setEnabled(chosen);
    });
    // No capture yet: the operator's rules only. A settings file that cannot be read is
    // reported when a capture is opened (setCapture reads it again).
    static_cast<void>(setCapture({}));
}

AlertsPanel::~AlertsPanel()
{
    m_latest->store(~quint64(0));
    m_worker.reset();
}

Status AlertsPanel::setCapture(const std::string &path)
{
    m_latest->store(++m_generation);
    m_worker.reset();
    m_path = path;
    m_episodes.clear();
    // The operator's rules; a capture's own are offered when there are none.
    m_rules.clear();
    m_rulesOrigin.clear();
    Status status;
    if (auto saved = settings::alertRulesJson(); !saved) {
        status = Status::failure(saved.error());
    } else if (!saved->empty()) {
        if (auto parsed = analysis::parseAlertRules(*saved)) {
            m_rules = std::move(*parsed);
            m_rulesOrigin = operatorRulesOrigin();
        } else {
            status = Status::failure(settings::settingsFile() + ": alert rules: " + parsed.error());
        }
    }
    if (m_rulesOrigin.isEmpty())
        m_rulesOrigin = tr("No alert rules yet: New… writes one (checked on the open capture "
                           "as you type), Import… reads a rules file.");
    showRules();
    if (!path.empty()) {
        auto worker = CaptureWorker::open(path, QStringLiteral("alerts"));
        if (!worker)
            return Status::failure(worker.error());
        m_worker = std::move(*worker);
    }
    load();
    return status;
}

void AlertsPanel::setTimeZone(TimeZoneMode zone)
{
    m_zone = zone;
    fillAlertTable(); // the times again; a read under way is not settled by this
}

void AlertsPanel::setChoices(const QStringList &eventTypes, const QStringList &metrics)
{
    m_metrics = metrics;
    m_eventTypes = eventTypes;
}

void AlertsPanel::captureGrew()
{
    if (!m_refresh->isActive())
        m_refresh->start();
}

void AlertsPanel::setSource(Source source)
{
    if (m_source == source)
        return;
    m_source = source;
    const QSignalBlocker block(m_sourceBox);
    m_sourceBox->setCurrentIndex(source == Source::Evaluated ? 1 : 0);
    load();
}

void AlertsPanel::load()
{
    const quint64 generation = ++m_generation;
    m_latest->store(generation);
    if (!m_worker) {
        showAlerts(generation, {}, {});
        return;
    }
    m_running = true;
    m_status->setText(m_source == Source::Stored ? tr("Reading the alerts…")
                                                 : tr("Evaluating your rules on the capture…"));
    const bool evaluate = m_source == Source::Evaluated;
    m_worker->post(
        [this, latest = m_latest, generation, evaluate, rules = m_rules](CaptureReader &reader) {
            std::vector<Event> events;
            QString error;
            std::string captureRules;
            if (latest->load() == generation) {
                auto info = reader.info();
                if (info) {
                    if (const auto kept = info->meta.find("alert_rules"); kept != info->meta.end())
                        captureRules = kept->second;
                }
                if (!info) {
                    error = QString::fromStdString(info.error());
                } else if (evaluate) {
                    auto alerts = analysis::evaluateAlerts(reader, rules, info->span);
                    if (alerts)
                        events = std::move(*alerts);
                    else
                        error = QString::fromStdString(alerts.error());
                } else {
                    EventQuery query;
                    query.range = info->span;
                    query.categories = EventQuery::categoryBit(EventCategory::Alert);
                    if (Status read = reader.forEachEvent(query,
                                                          [&events](Event &&e) {
                                                              events.push_back(std::move(e));
                                                              return true;
                                                          });
                        !read)
                        error = QString::fromStdString(read.error());
                }
            }
            auto episodes = analysis::alertEpisodes(events);
            orderForOperators(episodes);
            QMetaObject::invokeMethod(
                this,
                [this, generation, episodes = std::move(episodes), error, captureRules]() mutable {
                    if (generation == m_latest->load())
                        offerCaptureRules(captureRules);
                    showAlerts(generation, std::move(episodes), error);
                },
                Qt::QueuedConnection);
        });
}

void AlertsPanel::showAlerts(quint64 generation, std::vector<analysis::AlertEpisode> episodes,
                             const QString &error)
{
    if (generation != m_latest->load())
        return;
    m_running = false;
    m_episodes = std::move(episodes);
    m_error = error;
    m_status->setText(statusText());
    fillAlertTable();
    Q_EMIT settled();
}

void AlertsPanel::fillAlertTable()
{
    const int current = m_alerts->currentRow();
    m_alerts->setRowCount(static_cast<int>(m_episodes.size()));
    const bool stored = m_source == Source::Stored;
    for (int row = 0; row < m_alerts->rowCount(); ++row) {
        const analysis::AlertEpisode &e = m_episodes[static_cast<std::size_t>(row)];
        const QString state = e.active() ? (stored ? tr("● Firing") : tr("● Would fire"))
                                         : (stored ? tr("Resolved") : tr("Would have"));
        const QStringList cells{state,
                                QString::fromStdString(e.rule),
                                QString::fromStdString(e.subject),
                                QString::fromUtf8(severityName(e.severity).data()),
                                formatTime(e.fired, m_zone),
                                e.resolved ? formatDuration(
                                    static_cast<double>(*e.resolved - e.fired) / kMicrosPerSecond)
                                           : tr("ongoing"),
                                QString::number(e.value, 'g', 5)};
        for (int column = 0; column < AlertColumnCount; ++column) {
            auto *item = new QTableWidgetItem(cells[column]);
            item->setToolTip(QString::fromStdString(e.message));
            if (e.active()) {
                QFont font = item->font();
                font.setBold(true);
                item->setFont(font);
            }
            if (column == ValueColumn)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_alerts->setItem(row, column, item);
        }
    }
    if (current >= 0 && current < m_alerts->rowCount())
        m_alerts->selectRow(current);
}

void AlertsPanel::offerCaptureRules(const std::string &json)
{
    if (!m_rules.empty() || json.empty())
        return;
    if (auto parsed = analysis::parseAlertRules(json); parsed && !parsed->empty()) {
        m_rules = std::move(*parsed);
        m_rulesOrigin = tr("The rules this capture was alerted with (you have none saved): a "
                           "change saves them as yours.");
        showRules();
    }
}

int AlertsPanel::activeCount() const
{
    return static_cast<int>(std::count_if(m_episodes.begin(), m_episodes.end(),
                                          [](const auto &e) { return e.active(); }));
}

QString AlertsPanel::statusText() const
{
    if (!m_error.isEmpty())
        return tr("Cannot read the alerts: %1").arg(m_error);
    if (!m_worker)
        return tr("No capture open.");
    const int total = static_cast<int>(m_episodes.size());
    if (m_source == Source::Evaluated) {
        if (m_rules.empty())
            return tr("You have no rules to evaluate.");
        return total == 0
            ? tr("Your %1 would not fire on this capture.")
                  .arg(counted(static_cast<qint64>(m_rules.size()), tr("rule"), tr("rules")))
            : tr("Your rules would fire %1 here (not stored; `eventscope alerts --store` "
                 "stores them).")
                  .arg(counted(total, tr("time"), tr("times")));
    }
    if (total == 0)
        return tr("No alerts in this capture. \"What my rules fire\" evaluates your rules on it.");
    return tr("%1 firing, %2 in all.").arg(activeCount()).arg(total);
}

void AlertsPanel::showRules()
{
    m_rulesNote->setText(m_rulesOrigin);
    const int current = m_ruleTable->currentRow();
    m_ruleTable->setRowCount(static_cast<int>(m_rules.size()));
    for (int row = 0; row < m_ruleTable->rowCount(); ++row) {
        const analysis::AlertRule &rule = m_rules[static_cast<std::size_t>(row)];
        const QStringList cells{QString::fromStdString(rule.name), kindName(rule.kind),
                                QString::fromStdString(analysis::describeAlertRule(rule)),
                                QString::fromUtf8(severityName(rule.severity).data()),
                                deliveryText(rule)};
        for (int column = 0; column < RuleColumnCount; ++column)
            m_ruleTable->setItem(row, column, new QTableWidgetItem(cells[column]));
    }
    m_ruleTable->setCurrentCell(std::min(current, m_ruleTable->rowCount() - 1), 0);
    const bool chosen = m_ruleTable->currentRow() >= 0;
    m_edit->setEnabled(chosen);
    m_duplicate->setEnabled(chosen);
    m_remove->setEnabled(chosen);
}

std::unique_ptr<AlertRuleEditor> AlertsPanel::makeEditor(int row)
{
    AlertRuleEditor::Choices choices;
    choices.metrics = m_metrics;
    choices.eventTypes = m_eventTypes;
    for (int i = 0; i < static_cast<int>(m_rules.size()); ++i) {
        if (i != row)
            choices.takenNames << QString::fromStdString(m_rules[static_cast<std::size_t>(i)].name);
    }
    auto editor = std::make_unique<AlertRuleEditor>(m_path, std::move(choices), m_zone, this);
    if (row >= 0 && row < static_cast<int>(m_rules.size()))
        editor->setRule(m_rules[static_cast<std::size_t>(row)]);
    editor->setWindowTitle(row >= 0 ? tr("Edit Alert Rule") : tr("New Alert Rule"));
    return editor;
}

Status AlertsPanel::acceptEditor(const AlertRuleEditor &editor, int row)
{
    if (!editor.rule())
        return Status::failure(editor.problem().toStdString());
    if (row >= 0 && row < static_cast<int>(m_rules.size())) {
        m_rules[static_cast<std::size_t>(row)] = *editor.rule();
    } else {
        m_rules.push_back(*editor.rule());
        row = static_cast<int>(m_rules.size()) - 1;
    }
    Status saved = saveRules();
    m_ruleTable->selectRow(row);
    return saved;
}

void AlertsPanel::editRule(int row)
{
    if (row >= static_cast<int>(m_rules.size()))
        return;
    auto editor = makeEditor(row);
    if (editor->exec() != QDialog::Accepted)
        return;
    if (Status saved = acceptEditor(*editor, row); !saved)
        QMessageBox::warning(this, tr("Cannot save the rules"),
                             QString::fromStdString(saved.error()));
}

Status AlertsPanel::setRules(std::vector<analysis::AlertRule> rules)
{
    m_rules = std::move(rules);
    return saveRules();
}

Status AlertsPanel::saveRules()
{
    Status saved = settings::setAlertRulesJson(analysis::alertRulesToJson(m_rules));
    if (saved)
        m_rulesOrigin = operatorRulesOrigin();
    showRules();
    if (saved)
        Q_EMIT rulesSaved();
    if (m_source == Source::Evaluated)
        load();
    return saved;
}

Status AlertsPanel::exportRules(const QString &path) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Status::failure(path.toStdString() + ": " + file.errorString().toStdString());
    const std::string json = analysis::alertRulesToJson(m_rules) + "\n";
    file.write(json.data(), static_cast<qint64>(json.size()));
    if (!file.commit())
        return Status::failure(path.toStdString() + ": " + file.errorString().toStdString());
    return {};
}

Status AlertsPanel::importRules(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Status::failure(path.toStdString() + ": " + file.errorString().toStdString());
    auto parsed = analysis::parseAlertRules(file.readAll().toStdString());
    if (!parsed)
        return Status::failure(path.toStdString() + ": " + parsed.error());
    // Imported rules replace those of the same name and join the others.
    for (analysis::AlertRule &rule : *parsed) {
        const auto same = std::find_if(m_rules.begin(), m_rules.end(),
                                       [&rule](const auto &r) { return r.name == rule.name; });
        if (same != m_rules.end())
            *same = std::move(rule);
        else
            m_rules.push_back(std::move(rule));
    }
    return saveRules();
}

} // namespace eventscope::ui
