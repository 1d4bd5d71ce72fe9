#include "alertruleeditor.h"

#include "numbertext.h"

#include "labelfilter.h"

#include "store/capturereader.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <set>

namespace eventscope::ui {

namespace {

constexpr int kPreviewRows = 200; // episodes listed; the summary counts them all

analysis::AlertKind kindAt(int index)
{
    return index == 1 ? analysis::AlertKind::EventRate
        : index == 2  ? analysis::AlertKind::Anomaly
                      : analysis::AlertKind::Threshold;
}

int indexOf(analysis::AlertKind kind)
{
    return kind == analysis::AlertKind::EventRate ? 1
        : kind == analysis::AlertKind::Anomaly    ? 2
                                                  : 0;
}

// What one evaluation of the rule on the capture found.
struct PreviewResult
{
    std::vector<analysis::AlertEpisode> episodes;
    std::size_t matchedSeries = 0;
    QString error;
};

} // namespace

AlertRuleEditor::AlertRuleEditor(const std::string &capturePath, Choices choices, TimeZoneMode zone,
                                 QWidget *parent)
    : QDialog(parent)
    , m_choices(std::move(choices))
    , m_zone(zone)
    , m_latest(std::make_shared<std::atomic<quint64>>(0))
    , m_debounce(new QTimer(this))
    , m_name(new QLineEdit(this))
    , m_kind(new QComboBox(this))
    , m_severity(new QComboBox(this))
    , m_hold(new QSpinBox(this))
    , m_form(new QFormLayout)
    , m_metric(new QComboBox(this))
    , m_labels(new QLineEdit(this))
    , m_op(new QComboBox(this))
    , m_value(new QLineEdit(this))
    , m_sigma(new QDoubleSpinBox(this))
    , m_baseline(new QSpinBox(this))
    , m_eventType(new QComboBox(this))
    , m_category(new QComboBox(this))
    , m_groupBy(new QComboBox(this))
    , m_count(new QSpinBox(this))
    , m_within(new QSpinBox(this))
    , m_deliverKind(new QComboBox(this))
    , m_deliverUrl(new QLineEdit(this))
    , m_deliverSecret(new QLineEdit(this))
    , m_message(new QLabel(this))
    , m_json(new QPlainTextEdit(this))
    , m_previewSummary(new QLabel(this))
    , m_previewTable(new QTableWidget(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Alert Rule"));
    setObjectName(QStringLiteral("AlertRuleEditor"));
    if (!capturePath.empty()) {
        if (auto worker = CaptureWorker::open(capturePath, QStringLiteral("alert preview")))
            m_worker = std::move(*worker);
        else
            m_captureError = QString::fromStdString(worker.error());
    }

    // What every kind has.
    m_name->setObjectName(QStringLiteral("RuleName"));
    m_name->setPlaceholderText(tr("p99-high (unique; names its alerts)"));
    m_kind->setObjectName(QStringLiteral("RuleKind"));
    m_kind->addItems({tr("Threshold: a metric above or below a value"),
                      tr("Event rate: too many events"),
                      tr("Anomaly: a metric far off its recent past")});
    for (int s = 0; s < kSeverityCount; ++s)
        m_severity->addItem(QString::fromUtf8(severityName(static_cast<Severity>(s)).data()));
    m_severity->setCurrentIndex(static_cast<int>(Severity::Warning));
    m_hold->setObjectName(QStringLiteral("RuleHold"));
    m_hold->setRange(0, 24 * 3600);
    m_hold->setSuffix(tr(" s"));
    m_hold->setValue(60);
    m_hold->setToolTip(tr("The condition must hold this long to fire, and be gone this long "
                          "to resolve"));
    m_form->addRow(tr("Name"), m_name);
    m_form->addRow(tr("Kind"), m_kind);
    m_form->addRow(tr("Severity"), m_severity);
    m_form->addRow(tr("Held for"), m_hold);

    // Threshold and anomaly: the series.
    m_metric->setObjectName(QStringLiteral("RuleMetric"));
    m_metric->setEditable(true);
    m_metric->setInsertPolicy(QComboBox::NoInsert);
    m_metric->addItems(m_choices.metrics);
    m_metric->setCurrentIndex(-1);
    m_labels->setObjectName(QStringLiteral("RuleLabels"));
    m_labels->setPlaceholderText(tr("service=checkout (optional; each matching series alerts "
                                    "on its own)"));
    m_op->setObjectName(QStringLiteral("RuleOp"));
    m_op->addItems({QStringLiteral(">"), QStringLiteral("<")});
    m_op->setToolTip(tr("> fires above the value, < below it"));
    m_value->setObjectName(QStringLiteral("RuleValue"));
    m_value->setPlaceholderText(tr("500"));
    auto *condition = new QHBoxLayout;
    condition->addWidget(m_op);
    condition->addWidget(m_value, 1);
    m_sigma->setRange(1, 100);
    m_sigma->setDecimals(1);
    m_sigma->setValue(6);
    m_sigma->setSuffix(QStringLiteral(" σ"));
    m_sigma->setToolTip(tr("Robust deviations (median and MAD) off the baseline"));
    m_baseline->setRange(1, 7 * 24 * 60);
    m_baseline->setValue(30);
    m_baseline->setSuffix(tr(" min"));
    m_eventType->setObjectName(QStringLiteral("RuleEventType"));
    m_eventType->setEditable(true);
    m_eventType->setInsertPolicy(QComboBox::NoInsert);
    m_eventType->addItem(QString());
    m_eventType->addItems(m_choices.eventTypes);
    m_category->setObjectName(QStringLiteral("RuleCategory"));
    m_category->addItem(tr("(any)"));
    for (int c = 0; c < kEventCategoryCount; ++c)
        m_category->addItem(QString::fromUtf8(categoryName(static_cast<EventCategory>(c)).data()));
    m_groupBy->addItems({tr("service"), tr("entity")});
    m_count->setRange(1, 100000);
    m_count->setValue(3);
    m_within->setRange(1, 7 * 24 * 3600);
    m_within->setValue(600);
    m_within->setSuffix(tr(" s"));
    auto *countRow = new QHBoxLayout;
    countRow->addWidget(m_count);
    countRow->addWidget(new QLabel(tr("events within"), this));
    countRow->addWidget(m_within, 1);
    // One form, its rows shown for the kind chosen (updateRule), so the labels line up.
    m_form->addRow(tr("Metric"), m_metric);
    m_form->addRow(tr("Labels"), m_labels);
    m_form->addRow(tr("Fires when"), condition);
    m_form->addRow(tr("Off by"), m_sigma);
    m_form->addRow(tr("Baseline"), m_baseline);
    m_form->addRow(tr("Event type"), m_eventType);
    m_form->addRow(tr("or category"), m_category);
    m_form->addRow(tr("Counted per"), m_groupBy);
    m_form->addRow(tr("Fires at"), countRow);
    m_seriesRows = {m_metric, m_labels};
    m_thresholdRows = {condition};
    m_anomalyRows = {m_sigma, m_baseline};
    m_rateWidgets = {m_eventType, m_category, m_groupBy};
    m_rateRows = {countRow};

    // Delivery.
    m_deliverKind->setObjectName(QStringLiteral("RuleDeliverKind"));
    m_deliverKind->addItems({tr("Not delivered"), tr("Webhook (JSON)"), tr("PagerDuty Events v2")});
    m_deliverUrl->setPlaceholderText(QStringLiteral("https://hooks.example.com/eventscope"));
    m_deliverSecret->setPlaceholderText(tr("secret name (value: alerts --set-secret NAME)"));
    auto *delivery = new QGroupBox(tr("Delivery"), this);
    auto *deliveryForm = new QFormLayout(delivery);
    deliveryForm->addRow(tr("Send to"), m_deliverKind);
    deliveryForm->addRow(tr("URL"), m_deliverUrl);
    deliveryForm->addRow(tr("Secret"), m_deliverSecret);

    auto *ruleBox = new QGroupBox(tr("Rule"), this);
    auto *ruleLayout = new QVBoxLayout(ruleBox);
    ruleLayout->addLayout(m_form);
    ruleLayout->addStretch(1);

    m_message->setObjectName(QStringLiteral("RuleMessage"));
    m_message->setWordWrap(true);
    m_message->setTextFormat(Qt::PlainText);
    m_json->setObjectName(QStringLiteral("RuleJson"));
    m_json->setReadOnly(true);
    m_json->setMaximumHeight(fontMetrics().height() * 5);
    m_json->setToolTip(tr("The rules file `eventscope alerts --rules` reads, with this rule"));

    auto *left = new QVBoxLayout;
    left->addWidget(ruleBox);
    left->addWidget(delivery);
    left->addWidget(m_message);
    left->addWidget(new QLabel(tr("As JSON (what `eventscope alerts --rules` reads):"), this));
    left->addWidget(m_json);
    left->addStretch(1);

    // Would it have fired?
    m_previewSummary->setObjectName(QStringLiteral("RulePreviewSummary"));
    m_previewSummary->setWordWrap(true);
    m_previewTable->setObjectName(QStringLiteral("RulePreviewTable"));
    m_previewTable->setColumnCount(4);
    m_previewTable->setHorizontalHeaderLabels(
        {tr("Fired"), tr("Lasted"), tr("Subject"), tr("Value")});
    m_previewTable->verticalHeader()->hide();
    m_previewTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_previewTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_previewTable->horizontalHeader()->setStretchLastSection(true);
    m_previewTable->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 4);
    m_previewTable->setColumnWidth(
        0, fontMetrics().horizontalAdvance(QStringLiteral("0000-00-00 00:00:00 UTC+00:00")));
    m_previewTable->setColumnWidth(
        1, fontMetrics().horizontalAdvance(QStringLiteral("00 min 00 s")) + 12);
    m_previewTable->setColumnWidth(2, 240);
    auto *preview = new QGroupBox(tr("On the open capture"), this);
    auto *previewLayout = new QVBoxLayout(preview);
    previewLayout->addWidget(m_previewSummary);
    previewLayout->addWidget(m_previewTable, 1);

    auto *columns = new QHBoxLayout;
    columns->addLayout(left, 3);
    columns->addWidget(preview, 4);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(columns, 1);
    layout->addWidget(m_buttons);
    resize(1100, 620);

    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        if (m_rule)
            accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(400); // typing a value is not a preview per key
    connect(m_debounce, &QTimer::timeout, this, &AlertRuleEditor::startPreview);

    const auto changed = [this] { updateRule(); };
    connect(m_name, &QLineEdit::textChanged, this, changed);
    connect(m_kind, &QComboBox::currentIndexChanged, this, changed);
    connect(m_severity, &QComboBox::currentIndexChanged, this, changed);
    connect(m_hold, &QSpinBox::valueChanged, this, changed);
    connect(m_metric, &QComboBox::currentTextChanged, this, changed);
    connect(m_labels, &QLineEdit::textChanged, this, changed);
    connect(m_op, &QComboBox::currentIndexChanged, this, changed);
    connect(m_value, &QLineEdit::textChanged, this, changed);
    connect(m_sigma, &QDoubleSpinBox::valueChanged, this, changed);
    connect(m_baseline, &QSpinBox::valueChanged, this, changed);
    connect(m_eventType, &QComboBox::currentTextChanged, this, changed);
    connect(m_category, &QComboBox::currentIndexChanged, this, changed);
    connect(m_groupBy, &QComboBox::currentIndexChanged, this, changed);
    connect(m_count, &QSpinBox::valueChanged, this, changed);
    connect(m_within, &QSpinBox::valueChanged, this, changed);
    connect(m_deliverKind, &QComboBox::currentIndexChanged, this, changed);
    connect(m_deliverUrl, &QLineEdit::textChanged, this, changed);
    connect(m_deliverSecret, &QLineEdit::textChanged, this, changed);
    updateRule();
}

AlertRuleEditor::~AlertRuleEditor()
{
    m_latest->store(~quint64(0));
    m_worker.reset();
}

void AlertRuleEditor::setRule(const analysis::AlertRule &rule)
{
    // One update at the end, not one per field.
    const QList<QWidget *> fields{m_name,        m_kind,       m_severity,     m_hold,  m_metric,
                                  m_labels,      m_op,         m_value,        m_sigma, m_baseline,
                                  m_eventType,   m_category,   m_groupBy,      m_count, m_within,
                                  m_deliverKind, m_deliverUrl, m_deliverSecret};
    for (QWidget *field : fields)
        field->blockSignals(true);
    m_name->setText(QString::fromStdString(rule.name));
    m_kind->setCurrentIndex(indexOf(rule.kind));
    m_severity->setCurrentIndex(static_cast<int>(rule.severity));
    m_hold->setValue(static_cast<int>(rule.holdFor / kMicrosPerSecond));
    m_metric->setCurrentText(QString::fromStdString(rule.metric));
    m_labels->setText(labelFilterText(rule.labels));
    m_op->setCurrentIndex(rule.above ? 0 : 1);
    m_value->setText(rule.kind == analysis::AlertKind::Threshold
                         ? QString::number(rule.value, 'g', 12)
                         : QString());
    m_sigma->setValue(rule.sigma);
    m_baseline->setValue(static_cast<int>(rule.baselineWindow / (60 * kMicrosPerSecond)));
    m_eventType->setCurrentText(QString::fromStdString(rule.eventType));
    m_category->setCurrentIndex(rule.category ? static_cast<int>(*rule.category) + 1 : 0);
    m_groupBy->setCurrentIndex(rule.groupByEntity ? 1 : 0);
    m_count->setValue(rule.count);
    m_within->setValue(static_cast<int>(rule.within / kMicrosPerSecond));
    m_deliverKind->setCurrentIndex(
        !rule.deliver                                                       ? 0
            : rule.deliver->kind == analysis::DeliveryTarget::Kind::Webhook ? 1
                                                                            : 2);
    m_deliverUrl->setText(rule.deliver ? QString::fromStdString(rule.deliver->url) : QString());
    m_deliverSecret->setText(rule.deliver ? QString::fromStdString(rule.deliver->secret)
                                          : QString());
    for (QWidget *field : fields)
        field->blockSignals(false);
    updateRule();
}

analysis::AlertRule AlertRuleEditor::ruleFromFields(QString &problem) const
{
    analysis::AlertRule rule;
    rule.name = m_name->text().trimmed().toStdString();
    rule.kind = kindAt(m_kind->currentIndex());
    rule.severity = static_cast<Severity>(m_severity->currentIndex());
    rule.holdFor = static_cast<TimeUs>(m_hold->value()) * kMicrosPerSecond;
    if (rule.name.empty())
        problem = tr("Give the rule a name: its alerts are called by it.");
    else if (m_choices.takenNames.contains(QString::fromStdString(rule.name)))
        problem = tr("Another rule is named '%1': names must be unique (they identify the "
                     "rule's alerts).")
                      .arg(QString::fromStdString(rule.name));
    if (rule.kind == analysis::AlertKind::EventRate) {
        rule.eventType = m_eventType->currentText().trimmed().toStdString();
        if (m_category->currentIndex() > 0)
            rule.category = static_cast<EventCategory>(m_category->currentIndex() - 1);
        rule.groupByEntity = m_groupBy->currentIndex() == 1;
        rule.count = m_count->value();
        rule.within = static_cast<TimeUs>(m_within->value()) * kMicrosPerSecond;
        if (problem.isEmpty() && rule.eventType.empty() && !rule.category)
            problem = tr("Choose the events to count: an event type, or a category.");
    } else {
        rule.metric = m_metric->currentText().trimmed().toStdString();
        if (problem.isEmpty() && rule.metric.empty())
            problem = tr("Choose the metric the rule watches.");
        QString labelError;
        if (auto labels = parseLabelFilter(m_labels->text(), labelError))
            rule.labels = std::move(*labels);
        else if (problem.isEmpty())
            problem = tr("Labels: %1.").arg(labelError);
        if (rule.kind == analysis::AlertKind::Threshold) {
            rule.above = m_op->currentIndex() == 0;
            bool ok = false;
            rule.value = m_value->text().trimmed().toDouble(&ok);
            if (problem.isEmpty() && m_value->text().trimmed().isEmpty())
                problem = tr("Give the value the metric is compared with.");
            else if (problem.isEmpty() && (!ok || !std::isfinite(rule.value)))
                problem = tr("The value '%1' is not a number.").arg(m_value->text().trimmed());
        } else {
            rule.sigma = m_sigma->value();
            rule.baselineWindow = static_cast<TimeUs>(m_baseline->value()) * 60 * kMicrosPerSecond;
        }
    }
    if (m_deliverKind->currentIndex() > 0) {
        analysis::DeliveryTarget target;
        target.kind = m_deliverKind->currentIndex() == 1
            ? analysis::DeliveryTarget::Kind::Webhook
            : analysis::DeliveryTarget::Kind::PagerDuty;
        target.url = m_deliverUrl->text().trimmed().toStdString();
        if (target.url.empty() && target.kind == analysis::DeliveryTarget::Kind::PagerDuty)
            target.url = std::string(analysis::kPagerDutyEventsUrl);
        target.secret = m_deliverSecret->text().trimmed().toStdString();
        rule.deliver = std::move(target);
    }
    return rule;
}

void AlertRuleEditor::updateRule()
{
    const int kind = m_kind->currentIndex();
    for (QWidget *row : m_seriesRows)
        m_form->setRowVisible(row, kind != 1);
    for (QLayout *row : m_thresholdRows)
        m_form->setRowVisible(row, kind == 0);
    for (QWidget *row : m_anomalyRows)
        m_form->setRowVisible(row, kind == 2);
    for (QWidget *row : m_rateWidgets)
        m_form->setRowVisible(row, kind == 1);
    for (QLayout *row : m_rateRows)
        m_form->setRowVisible(row, kind == 1);
    m_deliverUrl->setEnabled(m_deliverKind->currentIndex() > 0);
    m_deliverSecret->setEnabled(m_deliverKind->currentIndex() > 0);

    QString problem;
    analysis::AlertRule rule = ruleFromFields(problem);
    m_warning.clear();
    m_rule.reset();
    const std::string text = analysis::alertRulesToJson({rule});
    m_json->setPlainText(QString::fromStdString(text));
    if (problem.isEmpty()) {
        // The JSON read back as `alerts --rules` reads it: what it refuses, this refuses.
        auto parsed = analysis::parseAlertRules(text);
        if (!parsed)
            problem = QString::fromStdString(parsed.error());
        else
            m_rule = parsed->front();
    }
    m_problem = problem;
    if (m_rule && m_rule->kind != analysis::AlertKind::EventRate && !m_choices.metrics.isEmpty()
        && !m_choices.metrics.contains(QString::fromStdString(m_rule->metric)))
        m_warning = tr("This capture has no metric named '%1': the rule cannot fire on it "
                       "(it may on others).")
                        .arg(QString::fromStdString(m_rule->metric));
    m_message->setText(!m_problem.isEmpty()       ? m_problem
                           : !m_warning.isEmpty() ? m_warning
                                                  : tr("The rule is valid: %1.")
                                                        .arg(QString::fromStdString(
                                                            analysis::describeAlertRule(*m_rule))));
    QPalette palette = m_message->palette();
    palette.setColor(QPalette::WindowText,
                     !m_problem.isEmpty()       ? QColor(0xe5, 0x48, 0x4d)
                         : !m_warning.isEmpty() ? QColor(0xd9, 0x8e, 0x04)
                                                : palette.color(QPalette::Text));
    m_message->setPalette(palette);
    m_buttons->button(QDialogButtonBox::Save)->setEnabled(m_rule.has_value());

    // The preview follows, a moment after the typing stops.
    m_latest->store(++m_generation);
    m_previewPending = m_rule.has_value() && m_worker;
    if (m_previewPending) {
        m_previewSummary->setText(tr("Evaluating on the open capture…"));
        m_debounce->start();
    } else {
        m_debounce->stop();
        showPreview(m_generation, {}, {});
    }
}

void AlertRuleEditor::startPreview()
{
    if (!m_rule || !m_worker)
        return;
    m_previewPending = false;
    m_previewRunning = true;
    const quint64 generation = m_generation;
    m_worker->post([this, latest = m_latest, generation, rule = *m_rule](CaptureReader &reader) {
        PreviewResult result;
        if (latest->load() == generation) {
            auto info = reader.info();
            auto alerts = info ? analysis::evaluateAlerts(reader, {rule}, info->span)
                               : Result<std::vector<Event>>::failure(info.error());
            if (alerts)
                result.episodes = analysis::alertEpisodes(*alerts);
            else
                result.error = QString::fromStdString(alerts.error());
            if (rule.kind != analysis::AlertKind::EventRate) {
                if (auto series = reader.series()) {
                    for (const SeriesInfo &s : *series) {
                        result.matchedSeries += s.key.name == rule.metric
                            && std::all_of(rule.labels.begin(), rule.labels.end(),
                                           [&s](const Label &l) {
                                               return s.key.label(l.first) == l.second;
                                           });
                    }
                }
            }
        }
        QMetaObject::invokeMethod(
            this,
            [this, generation, result = std::move(result)]() mutable {
                m_capturePreview = true;
                if (generation == m_latest->load() && result.error.isEmpty()
                    && m_rule->kind != analysis::AlertKind::EventRate && result.matchedSeries == 0)
                    result.error = tr("no series of this capture matches %1")
                                       .arg(QString::fromStdString(m_rule->metric
                                                                   + (m_rule->labels.empty()
                                                                          ? std::string()
                                                                          : " with these labels")));
                showPreview(generation, std::move(result.episodes), result.error);
            },
            Qt::QueuedConnection);
    });
}

void AlertRuleEditor::showPreview(quint64 generation, std::vector<analysis::AlertEpisode> episodes,
                                  const QString &error)
{
    if (generation != m_latest->load())
        return;
    m_previewRunning = false;
    m_episodes = std::move(episodes);
    m_previewError = error;
    m_previewTable->setRowCount(0);
    m_previewSummary->setText(previewText());
    const int rows = std::min<int>(static_cast<int>(m_episodes.size()), kPreviewRows);
    m_previewTable->setRowCount(rows);
    for (int row = 0; row < rows; ++row) {
        const analysis::AlertEpisode &e = m_episodes[static_cast<std::size_t>(row)];
        const QStringList cells{
            formatTime(e.fired, m_zone),
            e.resolved
                ? formatDuration(static_cast<double>(*e.resolved - e.fired) / kMicrosPerSecond)
                : tr("still firing"),
            QString::fromStdString(e.subject), QString::number(e.value, 'g', 5)};
        for (int column = 0; column < cells.size(); ++column) {
            auto *item = new QTableWidgetItem(cells[column]);
            item->setToolTip(QString::fromStdString(e.message));
            m_previewTable->setItem(row, column, item);
        }
    }
    if (!m_previewPending)
        Q_EMIT previewSettled();
}

QString AlertRuleEditor::previewText() const
{
    if (!m_worker)
        return m_captureError.isEmpty()
            ? tr("No capture is open: open one to see when the rule would have fired.")
            : tr("Cannot read the capture: %1").arg(m_captureError);
    if (!m_rule)
        return tr("When the rule is valid, this shows when it would have fired on the open "
                  "capture.");
    if (!m_previewError.isEmpty())
        return tr("Would not fire here: %1.").arg(m_previewError);
    if (!m_capturePreview)
        return tr("Evaluating on the open capture…");
    if (m_episodes.empty())
        return tr("Would not have fired on this capture.");
    std::set<std::string> subjects;
    TimeUs longest = 0;
    int active = 0;
    for (const analysis::AlertEpisode &e : m_episodes) {
        subjects.insert(e.subject);
        if (e.resolved)
            longest = std::max(longest, *e.resolved - e.fired);
        else
            ++active;
    }
    QString text
        = tr("Would have fired %1 for %2")
              .arg(counted(static_cast<qint64>(m_episodes.size()), tr("time"), tr("times")),
                   counted(static_cast<qint64>(subjects.size()), tr("subject"), tr("subjects")));
    if (longest > 0)
        text += tr("; the longest lasted %1")
                    .arg(formatDuration(static_cast<double>(longest) / kMicrosPerSecond));
    if (active > 0)
        text += tr("; %1 still firing at the end").arg(active);
    if (m_episodes.size() > static_cast<std::size_t>(kPreviewRows))
        text += tr(" (the first %1 listed)").arg(kPreviewRows);
    return text + QLatin1Char('.');
}

QString AlertRuleEditor::json() const
{
    return m_json->toPlainText();
}

} // namespace eventscope::ui
