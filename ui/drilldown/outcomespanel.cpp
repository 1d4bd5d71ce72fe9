#include "outcomespanel.h"

#include "numbertext.h"
#include "timeline/viewstate.h"

#include "store/capturereader.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <cmath>

namespace eventscope::ui {

namespace {

enum Column {
    SubjectColumn,
    EventColumn,
    MetricColumn,
    CountColumn,
    ChangeColumn,
    TrendColumn,
    VerdictColumn,
    ColumnCount
};
enum Role { KindRole = Qt::UserRole + 1, IndexRole };
enum RowKind { ScalingRow = 1, ProvisioningRow, RecoveryRow };

// Per-period medians as a line of block characters, highest the slowest; "·" where none
// recovered. Readable in a table cell and in a screenshot.
QString trendLine(const std::vector<analysis::RecoveryPeriod> &periods)
{
    static const QChar kBlocks[] = {QChar(0x2581), QChar(0x2582), QChar(0x2583), QChar(0x2584),
                                    QChar(0x2585), QChar(0x2586), QChar(0x2587), QChar(0x2588)};
    double highest = 0;
    for (const auto &p : periods)
        highest = std::max(highest, p.medianSeconds);
    QString line;
    for (const auto &p : periods) {
        if (p.recovered == 0 || highest <= 0) {
            line += QChar(0x00B7);
            continue;
        }
        const int level
            = std::clamp(static_cast<int>(std::round(p.medianSeconds / highest * 7)), 0, 7);
        line += kBlocks[level];
    }
    return line;
}

} // namespace

OutcomesPanel::OutcomesPanel(ViewState &view, QWidget *parent)
    : QWidget(parent)
    , m_view(view)
    , m_latest(std::make_shared<std::atomic<quint64>>(0))
    , m_cancel(std::make_shared<std::atomic<bool>>(false))
    , m_scopeBox(new QComboBox(this))
    , m_periodBox(new QComboBox(this))
    , m_status(new QLabel(this))
    , m_tree(new QTreeWidget(this))
{
    m_scopeBox->setObjectName(QStringLiteral("OutcomesScope"));
    m_scopeBox->addItems({tr("Whole capture"), tr("Visible range")});
    m_periodBox->setObjectName(QStringLiteral("OutcomesPeriod"));
    m_periodBox->addItems({tr("Recovery by: auto"), tr("by hour"), tr("by day"), tr("by week")});
    m_periodBox->setToolTip(tr("The periods of the recovery trend (auto: the largest that gives "
                               "four in the range)"));
    auto *measure = new QPushButton(tr("&Measure Again"), this);
    m_status->setObjectName(QStringLiteral("OutcomesStatus"));
    m_status->setWordWrap(true);
    auto *top = new QHBoxLayout;
    top->addWidget(m_scopeBox);
    top->addWidget(m_periodBox);
    top->addWidget(measure);
    top->addWidget(m_status, 1);
    m_tree->setObjectName(QStringLiteral("OutcomesTree"));
    m_tree->setColumnCount(ColumnCount);
    m_tree->setHeaderLabels({tr("Question / service"), tr("Events"), tr("Measured"), tr("N"),
                             tr("Change"), tr("Trend"), tr("Verdict")});
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setRootIsDecorated(true);
    m_tree->header()->setStretchLastSection(true);
    m_tree->setColumnWidth(SubjectColumn, 260);
    m_tree->setColumnWidth(EventColumn, 170);
    m_tree->setColumnWidth(MetricColumn, 170);
    m_tree->setColumnWidth(CountColumn, 60);
    m_tree->setColumnWidth(ChangeColumn, 230);
    m_tree->setColumnWidth(TrendColumn, 110);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(m_tree, 1);

    connect(m_scopeBox, &QComboBox::currentIndexChanged, this,
            [this](int index) { setScope(index == 1 ? Scope::VisibleRange : Scope::Capture); });
    connect(m_periodBox, &QComboBox::currentIndexChanged, this, [this] {
        updateRecovery();
        rebuildTree();
    });
    connect(measure, &QPushButton::clicked, this, [this] {
        m_stale = true;
        start();
    });
    connect(&m_view, &ViewState::visibleRangeChanged, this, [this] {
        if (m_scope == Scope::VisibleRange) {
            m_stale = true; // measured again on request or when shown: a pan is not a question
            m_status->setText(tr("The visible range changed: Measure Again for it."));
        }
    });
    connect(m_tree, &QTreeWidget::itemDoubleClicked, this, [this](QTreeWidgetItem *item) {
        const int kind = item->data(0, KindRole).toInt();
        const int index = item->data(0, IndexRole).toInt();
        if ((kind == ScalingRow || kind == ProvisioningRow) && m_outcomes) {
            const auto &rows = kind == ScalingRow ? m_outcomes->scaling : m_outcomes->provisioning;
            if (index < 0 || index >= static_cast<int>(rows.size()))
                return;
            const analysis::OutcomeImpact &o = rows[static_cast<std::size_t>(index)];
            QStringList labels;
            for (const auto &[name, value] : o.query.labels)
                labels << QString::fromStdString(name + "=" + value);
            Q_EMIT impactRequested(QString::fromStdString(o.query.eventType),
                                   QString::fromStdString(o.query.metric),
                                   labels.join(QStringLiteral(", ")));
        } else if (kind == RecoveryRow && index >= 0
                   && index < static_cast<int>(m_recovery.size())) {
            Q_EMIT serviceRequested(
                QString::fromStdString(m_recovery[static_cast<std::size_t>(index)].service));
        }
    });
    rebuildTree();
}

OutcomesPanel::~OutcomesPanel()
{
    m_latest->store(~quint64(0));
    m_cancel->store(true);
    m_worker.reset();
}

Status OutcomesPanel::setCapture(const std::string &path, TimeRange extent)
{
    m_latest->store(++m_generation);
    m_cancel->store(true);
    m_worker.reset();
    m_outcomes.reset();
    m_measuredRange.reset();
    m_analyses.clear();
    m_analysesComplete = false;
    m_recovery.clear();
    m_error.clear();
    m_running = false;
    m_extent = extent;
    m_stale = true;
    if (!path.empty()) {
        auto worker = CaptureWorker::open(path, QStringLiteral("outcomes"));
        if (!worker)
            return Status::failure(worker.error());
        m_worker = std::move(*worker);
    }
    rebuildTree();
    start();
    return {};
}

void OutcomesPanel::setExtent(TimeRange extent)
{
    if (extent == m_extent)
        return;
    const bool first = m_extent.end <= m_extent.begin;
    m_extent = extent;
    if (first) {
        m_stale = true;
        start();
    }
}

void OutcomesPanel::setAnalyses(std::vector<analysis::IncidentAnalysis> analyses, bool complete)
{
    m_analyses = std::move(analyses);
    m_analysesComplete = complete;
    updateRecovery();
    rebuildTree();
}

void OutcomesPanel::setActive(bool active)
{
    m_active = active;
    if (active)
        start();
}

void OutcomesPanel::setScope(Scope scope)
{
    if (scope == m_scope)
        return;
    m_scope = scope;
    {
        const QSignalBlocker block(m_scopeBox);
        m_scopeBox->setCurrentIndex(scope == Scope::VisibleRange ? 1 : 0);
    }
    m_stale = true;
    start();
}

analysis::TrendPeriod OutcomesPanel::periodFor(TimeRange range) const
{
    switch (m_periodBox->currentIndex()) {
    case 1: return analysis::TrendPeriod::Hour;
    case 2: return analysis::TrendPeriod::Day;
    case 3: return analysis::TrendPeriod::Week;
    default: return analysis::periodFor(range);
    }
}

void OutcomesPanel::updateRecovery()
{
    const TimeRange range = m_measuredRange.value_or(scopeRange());
    m_recovery = range.end > range.begin
        ? analysis::recoveryTrends(m_analyses, range, periodFor(range))
        : std::vector<analysis::RecoveryTrend>{};
}

TimeRange OutcomesPanel::scopeRange() const
{
    return m_scope == Scope::VisibleRange ? m_view.visibleRange() : m_extent;
}

void OutcomesPanel::start()
{
    if (!m_active || !m_worker || !m_stale)
        return;
    const TimeRange range = scopeRange();
    if (range.end <= range.begin)
        return;
    m_stale = false;
    m_cancel->store(true);
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    const quint64 generation = ++m_generation;
    m_latest->store(generation);
    m_running = true;
    m_measuredRange = range;
    updateRecovery();
    m_statusText = tr("Measuring…");
    m_status->setText(m_statusText);
    m_worker->post([this, latest = m_latest, cancel = m_cancel, generation,
                    range](CaptureReader &reader) {
        std::optional<analysis::Outcomes> outcomes;
        QString error;
        if (latest->load() == generation) {
            auto measured = analysis::measureOutcomes(
                reader, range, cancel.get(), [this, generation](int done, int total) {
                    QMetaObject::invokeMethod(
                        this,
                        [this, generation, done, total] { showProgress(generation, done, total); },
                        Qt::QueuedConnection);
                });
            if (measured)
                outcomes = std::move(*measured);
            else
                error = QString::fromStdString(measured.error());
        }
        QMetaObject::invokeMethod(
            this,
            [this, generation, outcomes = std::move(outcomes), error]() mutable {
                showOutcomes(generation, std::move(outcomes), error);
            },
            Qt::QueuedConnection);
    });
}

void OutcomesPanel::showProgress(quint64 generation, int done, int total)
{
    if (generation != m_latest->load() || !m_running)
        return;
    m_statusText = tr("Measuring… %1 of %2").arg(done).arg(total);
    m_status->setText(m_statusText);
}

void OutcomesPanel::showOutcomes(quint64 generation, std::optional<analysis::Outcomes> outcomes,
                                 const QString &error)
{
    if (generation != m_latest->load())
        return;
    m_running = false;
    m_error = error;
    m_outcomes = std::move(outcomes);
    rebuildTree();
    Q_EMIT settled();
}

QString OutcomesPanel::scalingAnswer() const
{
    if (!m_outcomes)
        return {};
    int measured = 0, fell = 0, rose = 0;
    for (const auto &o : m_outcomes->scaling) {
        if (!o.impact)
            continue;
        ++measured;
        fell += o.impact->significant && o.impact->medianRelativeChange < 0;
        rose += o.impact->significant && o.impact->medianRelativeChange > 0;
    }
    if (measured == 0)
        return tr("No scaling events on services with latency series.");
    return tr("Latency fell significantly after %1 of %2 (event type, service) pairs, rose after "
              "%3.")
        .arg(fell)
        .arg(measured)
        .arg(rose);
}

QString OutcomesPanel::provisioningAnswer() const
{
    if (!m_outcomes)
        return {};
    int measured = 0, worse = 0;
    for (const auto &o : m_outcomes->provisioning) {
        if (!o.impact)
            continue;
        ++measured;
        const double change = o.impact->medianRelativeChange;
        worse += o.impact->significant && o.badDirection != 0
            && (change > 0 ? 1 : -1) == o.badDirection;
    }
    if (measured == 0)
        return tr("No provisioning or scheduling trouble before job series.");
    return tr("Jobs got significantly worse after %1 of %2 measurements.").arg(worse).arg(measured);
}

QString OutcomesPanel::recoveryAnswer() const
{
    if (m_recovery.empty())
        return m_analysesComplete || !m_worker ? tr("No failures in the range.")
                                               : tr("Waiting for the failures' analyses…");
    const analysis::RecoveryTrend &all = m_recovery.front();
    if (all.earlierCount == 0 || all.laterCount == 0)
        return tr("%1 recovered; too few to compare halves.").arg(all.recovered);
    const QString change
        = tr("median %1 → %2 (%3)")
              .arg(formatDuration(all.earlierMedianSeconds), formatDuration(all.laterMedianSeconds),
                   signedPercent(all.changeFraction));
    if (!all.significant)
        return tr("No clear change: %1; not significant: %2.")
            .arg(change, QString::fromStdString(analysis::whyNotSignificant(all)));
    return (all.changeFraction < 0 ? tr("Faster: %1, p = %2.") : tr("Slower: %1, p = %2."))
        .arg(change, pValueText(all.pValue));
}

void OutcomesPanel::addImpactRows(QTreeWidgetItem *section,
                                  const std::vector<analysis::OutcomeImpact> &rows)
{
    const int kind = section->data(0, KindRole).toInt();
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const analysis::OutcomeImpact &o = rows[i];
        auto *item = new QTreeWidgetItem(section);
        item->setData(0, KindRole, kind);
        item->setData(0, IndexRole, static_cast<int>(i));
        item->setText(SubjectColumn,
                      QString::fromStdString(o.service.empty() ? "(all)" : o.service));
        item->setText(EventColumn, QString::fromStdString(o.query.eventType));
        item->setText(MetricColumn, QString::fromStdString(o.query.metric));
        if (!o.impact) {
            item->setText(VerdictColumn,
                          tr("Not measured: %1").arg(QString::fromStdString(o.error)));
            continue;
        }
        const analysis::ImpactResult &r = *o.impact;
        item->setText(CountColumn, QString::number(r.occurrences.size()));
        item->setTextAlignment(CountColumn, Qt::AlignRight | Qt::AlignVCenter);
        item->setText(ChangeColumn,
                      tr("%1 (background %2)")
                          .arg(signedPercent(r.medianRelativeChange),
                               signedPercent(r.backgroundMedianRelativeChange)));
        item->setText(VerdictColumn,
                      r.significant
                          ? tr("Significant, p = %1").arg(pValueText(r.pValue))
                          : tr("Not significant: %1")
                                .arg(QString::fromStdString(analysis::whyNotSignificant(r))));
        if (r.significant) {
            QFont font = item->font(VerdictColumn);
            font.setBold(true);
            item->setFont(VerdictColumn, font);
        }
        item->setToolTip(VerdictColumn, tr("Double-click: open it in the Impact view"));
        item->setToolTip(SubjectColumn, tr("Double-click: open it in the Impact view"));
    }
}

void OutcomesPanel::rebuildTree()
{
    m_tree->clear();
    const bool running = m_running;
    if (!m_error.isEmpty())
        m_statusText = tr("Cannot measure: %1").arg(m_error);
    else if (!m_worker)
        m_statusText = tr("No capture open.");
    else if (running)
        m_statusText = tr("Measuring…");
    else if (m_measuredRange)
        m_statusText
            = tr("%1 to %2; recovery by %3. Double-click a row to open what produced it.")
                  .arg(formatTime(m_measuredRange->begin, m_view.timeZone()),
                       formatTime(m_measuredRange->end, m_view.timeZone()),
                       QString::fromUtf8(analysis::periodName(periodFor(*m_measuredRange)).data()));
    else
        m_statusText = tr("Shown, it measures the capture.");
    m_status->setText(m_statusText);

    QFont bold = m_tree->font();
    bold.setBold(true);
    const auto section = [&](const QString &question, const QString &answer, int kind) {
        auto *item = new QTreeWidgetItem(m_tree);
        item->setText(SubjectColumn, question);
        item->setText(VerdictColumn, answer);
        item->setData(0, KindRole, kind);
        item->setData(0, IndexRole, -1);
        for (int c = 0; c < ColumnCount; ++c)
            item->setFont(c, bold);
        item->setExpanded(true);
        return item;
    };
    QTreeWidgetItem *scaling = section(tr("Did scale-outs reduce latency?"),
                                       running ? tr("measuring…") : scalingAnswer(), ScalingRow);
    QTreeWidgetItem *provisioning
        = section(tr("Did provisioning trouble slow jobs down?"),
                  running ? tr("measuring…") : provisioningAnswer(), ProvisioningRow);
    QTreeWidgetItem *recovery
        = section(tr("Is recovery getting faster?"), recoveryAnswer(), RecoveryRow);
    if (m_outcomes) {
        addImpactRows(scaling, m_outcomes->scaling);
        addImpactRows(provisioning, m_outcomes->provisioning);
    }
    for (std::size_t i = 0; i < m_recovery.size(); ++i) {
        const analysis::RecoveryTrend &t = m_recovery[i];
        auto *item = new QTreeWidgetItem(recovery);
        item->setData(0, KindRole, RecoveryRow);
        item->setData(0, IndexRole, static_cast<int>(i));
        const bool all = t.service.empty() && t.type.empty();
        item->setText(SubjectColumn, all ? tr("All failures") : QString::fromStdString(t.service));
        item->setText(EventColumn, all ? QString() : QString::fromStdString(t.type));
        item->setText(MetricColumn, tr("time to recover"));
        item->setText(CountColumn, QStringLiteral("%1/%2").arg(t.recovered).arg(t.failures));
        item->setTextAlignment(CountColumn, Qt::AlignRight | Qt::AlignVCenter);
        if (t.earlierCount > 0 && t.laterCount > 0)
            item->setText(ChangeColumn,
                          tr("%1 (%2 → %3)")
                              .arg(signedPercent(t.changeFraction),
                                   formatDuration(t.earlierMedianSeconds),
                                   formatDuration(t.laterMedianSeconds)));
        item->setText(TrendColumn, trendLine(t.periods));
        QStringList perPeriod;
        for (const analysis::RecoveryPeriod &p : t.periods)
            perPeriod << tr("%1: %2").arg(
                formatTime(p.begin, m_view.timeZone()),
                p.recovered > 0
                    ? tr("median %1 (%2)").arg(formatDuration(p.medianSeconds)).arg(p.recovered)
                    : tr("none recovered"));
        item->setToolTip(TrendColumn, perPeriod.join(QLatin1Char('\n')));
        item->setText(VerdictColumn,
                      t.significant
                          ? (t.changeFraction < 0 ? tr("Faster, p = %1") : tr("Slower, p = %1"))
                                .arg(pValueText(t.pValue))
                          : tr("Not significant: %1")
                                .arg(QString::fromStdString(analysis::whyNotSignificant(t))));
        if (!all)
            item->setToolTip(SubjectColumn,
                             tr("Double-click: filter the console to %1")
                                 .arg(QString::fromStdString(t.service)));
    }
}

} // namespace eventscope::ui
