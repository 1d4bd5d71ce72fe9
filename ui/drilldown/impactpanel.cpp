#include "impactpanel.h"

#include "labelfilter.h"
#include "numbertext.h"
#include "timedisplay.h"
#include "timeline/viewstate.h"

#include <qcustomplot.h>

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

namespace eventscope::ui {

ImpactPanel::ImpactPanel(ViewState &view, QWidget *parent)
    : QWidget(parent)
    , m_view(view)
    , m_latest(std::make_shared<std::atomic<quint64>>(0))
    , m_type(new QComboBox(this))
    , m_metric(new QComboBox(this))
    , m_labels(new QLineEdit(this))
    , m_window(new QSpinBox(this))
    , m_verdict(new QLabel(this))
    , m_chart(new QCustomPlot(this))
    , m_occurrences(new QTableWidget(this))
{
    auto *form = new QFormLayout;
    m_type->setObjectName(QStringLiteral("ImpactEventType"));
    m_metric->setObjectName(QStringLiteral("ImpactMetric"));
    m_type->setEditable(true);
    m_metric->setEditable(true);
    m_type->setInsertPolicy(QComboBox::NoInsert);
    m_metric->setInsertPolicy(QComboBox::NoInsert);
    m_labels->setPlaceholderText(tr("service=frontend (optional)"));
    m_labels->setClearButtonEnabled(true);
    m_window->setRange(1, 120);
    m_window->setValue(5);
    m_window->setSuffix(tr(" min"));
    m_window->setToolTip(tr("How long before and after each occurrence to compare"));
    form->addRow(tr("Event type"), m_type);
    form->addRow(tr("Metric"), m_metric);
    form->addRow(tr("Labels"), m_labels);
    form->addRow(tr("Window"), m_window);
    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addLayout(form);
    m_verdict->setObjectName(QStringLiteral("ImpactVerdict"));
    m_verdict->setWordWrap(true);
    m_verdict->setTextFormat(Qt::RichText);
    m_verdict->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    // The verdict scrolls rather than being cut off in a short dock.
    auto *verdictArea = new QScrollArea(left);
    verdictArea->setWidget(m_verdict);
    verdictArea->setWidgetResizable(true);
    verdictArea->setFrameShape(QFrame::NoFrame);
    leftLayout->addWidget(verdictArea, 1);

    m_chart->setObjectName(QStringLiteral("ImpactChart"));
    m_chart->setMinimumSize(240, 120);
    m_occurrences->setObjectName(QStringLiteral("ImpactOccurrences"));
    m_occurrences->setColumnCount(5);
    m_occurrences->setHorizontalHeaderLabels(
        {tr("Time"), tr("Service"), tr("Before"), tr("After"), tr("Change")});
    m_occurrences->verticalHeader()->hide();
    m_occurrences->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_occurrences->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_occurrences->horizontalHeader()->setStretchLastSection(true);
    m_occurrences->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 4);
    m_occurrences->setColumnWidth(
        0, fontMetrics().horizontalAdvance(QStringLiteral("0000-00-00 00:00:00.000 UTC")));

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(left);
    splitter->addWidget(m_chart);
    splitter->addWidget(m_occurrences);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setStretchFactor(2, 3);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(splitter);

    connect(m_type, &QComboBox::currentTextChanged, this, &ImpactPanel::start);
    connect(m_metric, &QComboBox::currentTextChanged, this, &ImpactPanel::start);
    connect(m_labels, &QLineEdit::editingFinished, this, &ImpactPanel::start);
    connect(m_window, &QSpinBox::valueChanged, this, &ImpactPanel::start);
    connect(m_occurrences, &QTableWidget::cellDoubleClicked, this, [this](int row, int) {
        if (m_result && row < static_cast<int>(m_result->occurrences.size()))
            Q_EMIT occurrenceActivated(QString::fromStdString(
                m_result->occurrences[static_cast<std::size_t>(row)].eventId));
    });
    setTheme(m_theme);
    showResult(0, std::nullopt, {});
}

ImpactPanel::~ImpactPanel()
{
    m_latest->store(~quint64(0));
    m_worker.reset();
}

Status ImpactPanel::setCapture(const std::string &path)
{
    m_latest->store(++m_generation);
    m_worker.reset();
    m_result.reset();
    if (!path.empty()) {
        auto worker = CaptureWorker::open(path, QStringLiteral("impact"));
        if (!worker)
            return Status::failure(worker.error());
        m_worker = std::move(*worker);
    }
    start();
    return {};
}

void ImpactPanel::setTheme(const Theme &theme)
{
    m_theme = theme;
    m_chart->setBackground(theme.base);
    for (QCPAxis *axis : m_chart->axisRect()->axes()) {
        axis->setBasePen(QPen(theme.axis));
        axis->setTickPen(QPen(theme.axis));
        axis->setSubTickPen(QPen(theme.axis));
        axis->setTickLabelColor(theme.mutedText);
        axis->setLabelColor(theme.mutedText);
        axis->grid()->setPen(QPen(theme.grid, 1, Qt::DotLine));
    }
    plot();
}

void ImpactPanel::setChoices(const QStringList &eventTypes, const QStringList &metrics)
{
    const QSignalBlocker typeBlocker(m_type);
    const QSignalBlocker metricBlocker(m_metric);
    const QString type = m_type->currentText();
    const QString metric = m_metric->currentText();
    m_type->clear();
    m_type->addItems(eventTypes);
    m_metric->clear();
    m_metric->addItems(metrics);
    m_type->setCurrentText(type);
    m_metric->setCurrentText(metric);
}

void ImpactPanel::measure(const QString &eventType, const QString &metric, const QString &labels)
{
    const QSignalBlocker typeBlocker(m_type);
    const QSignalBlocker metricBlocker(m_metric);
    m_type->setCurrentText(eventType);
    m_metric->setCurrentText(metric);
    m_labels->setText(labels);
    start();
}

void ImpactPanel::start()
{
    const quint64 generation = ++m_generation;
    m_latest->store(generation);
    const QString type = m_type->currentText().trimmed();
    const QString metric = m_metric->currentText().trimmed();
    if (!m_worker || type.isEmpty() || metric.isEmpty()) {
        showResult(generation, std::nullopt, {});
        return;
    }
    QString error;
    const auto labels = parseLabelFilter(m_labels->text(), error);
    if (!labels) {
        showResult(generation, std::nullopt, error);
        return;
    }
    analysis::ImpactQuery query;
    query.eventType = type.toStdString();
    query.metric = metric.toStdString();
    query.labels = *labels;
    query.window = m_window->value() * 60 * kMicrosPerSecond;
    m_running = true;
    m_verdict->setText(tr("Measuring…"));
    m_worker->post([this, latest = m_latest, generation, query](CaptureReader &reader) {
        std::optional<analysis::ImpactResult> result;
        QString failure;
        if (latest->load() == generation) {
            auto measured = analysis::measureImpact(reader, query);
            if (measured)
                result = std::move(*measured);
            else
                failure = QString::fromStdString(measured.error());
        }
        QMetaObject::invokeMethod(
            this, [this, generation, result, failure] { showResult(generation, result, failure); },
            Qt::QueuedConnection);
    });
}

void ImpactPanel::showResult(quint64 generation, std::optional<analysis::ImpactResult> result,
                             const QString &error)
{
    if (generation != m_latest->load())
        return;
    m_running = false;
    m_result = std::move(result);
    m_error = error;
    m_occurrences->setRowCount(0);
    if (!error.isEmpty()) {
        m_verdict->setText(tr("<b>Cannot measure:</b> %1").arg(error.toHtmlEscaped()));
    } else if (!m_result) {
        m_verdict->setText(
            m_worker ? tr("Choose an event type and a metric: how the metric moved around every "
                          "occurrence, and whether that is more than chance.")
                     : tr("No capture open"));
    } else {
        m_verdict->setText(verdictText());
        const TimeZoneMode zone = m_view.timeZone();
        m_occurrences->setRowCount(static_cast<int>(m_result->occurrences.size()));
        for (int row = 0; row < m_occurrences->rowCount(); ++row) {
            const analysis::ImpactOccurrence &o
                = m_result->occurrences[static_cast<std::size_t>(row)];
            const QStringList cells{formatTime(o.time, zone), QString::fromStdString(o.service),
                                    QString::number(o.before, 'g', 4),
                                    QString::number(o.after, 'g', 4),
                                    signedPercent(o.relativeChange())};
            for (int column = 0; column < cells.size(); ++column) {
                auto *item = new QTableWidgetItem(cells[column]);
                item->setToolTip(QString::fromStdString(o.series));
                if (column >= 2)
                    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
                m_occurrences->setItem(row, column, item);
            }
        }
    }
    plot();
    Q_EMIT settled();
}

QString ImpactPanel::verdictText() const
{
    if (!m_result)
        return {};
    const analysis::ImpactResult &r = *m_result;
    const int n = static_cast<int>(r.occurrences.size());
    QString text
        = tr("<p><b>%1</b> on <b>%2</b>: median change <b>%3</b> (quartiles %4 to %5) "
             "over %6")
              .arg(QString::fromStdString(r.query.eventType).toHtmlEscaped(),
                   QString::fromStdString(r.query.metric).toHtmlEscaped(),
                   signedPercent(r.medianRelativeChange), signedPercent(r.lowerQuartile),
                   signedPercent(r.upperQuartile), counted(n, tr("occurrence"), tr("occurrences")));
    if (r.skipped > 0)
        text += tr(" (%1 more without data on both sides)").arg(r.skipped);
    text += tr(".</p><p>At %1 away from them the metric moved %2.</p>")
                .arg(counted(r.backgroundWindows, tr("background time"), tr("background times")),
                     signedPercent(r.backgroundMedianRelativeChange));
    if (r.significant)
        text += tr("<p><b>Significant</b>: p = %1 (permutation test against the background).</p>")
                    .arg(pValueText(r.pValue));
    else if (n < 3)
        text += tr("<p><b>Not significant</b>: too few occurrences (%1; at least 3 are "
                   "needed).</p>")
                    .arg(n);
    else
        text += tr("<p><b>Not significant</b>: p = %1 (0.05 or more: a change this size happens "
                   "by chance).</p>")
                    .arg(pValueText(r.pValue));
    return text;
}

void ImpactPanel::plot()
{
    m_chart->clearGraphs();
    m_chart->clearItems();
    m_chart->xAxis->setLabel(tr("minutes from the event"));
    m_chart->yAxis->setLabel(tr("× level before"));
    if (m_result && !m_result->epoch.empty()) {
        QVector<double> x, mean, low, high;
        for (const analysis::EpochPoint &p : m_result->epoch) {
            x << static_cast<double>(p.offset) / (60.0 * kMicrosPerSecond);
            mean << p.mean;
            low << p.low;
            high << p.high;
        }
        const QColor colour = m_result->significant ? m_theme.seriesColor(0) : m_theme.mutedText;
        QCPGraph *lower = m_chart->addGraph();
        lower->setData(x, low, true);
        lower->setPen(Qt::NoPen);
        QCPGraph *upper = m_chart->addGraph();
        upper->setData(x, high, true);
        upper->setPen(Qt::NoPen);
        QColor band = colour;
        band.setAlpha(60);
        upper->setBrush(band);
        upper->setChannelFillGraph(lower);
        QCPGraph *line = m_chart->addGraph();
        line->setData(x, mean, true);
        line->setPen(QPen(colour, 2));
        auto *zero = new QCPItemStraightLine(m_chart);
        zero->point1->setCoords(0, 0);
        zero->point2->setCoords(0, 1);
        zero->setPen(QPen(m_theme.severityColor(Severity::Warning), 1, Qt::DashLine));
        auto *unchanged = new QCPItemStraightLine(m_chart);
        unchanged->point1->setCoords(0, 1);
        unchanged->point2->setCoords(1, 1);
        unchanged->setPen(QPen(m_theme.axis, 1, Qt::DotLine));
        m_chart->rescaleAxes();
        const QCPRange y = m_chart->yAxis->range();
        const double pad = std::max(0.05, y.size() * 0.1);
        m_chart->yAxis->setRange(std::min(y.lower, 1.0) - pad, std::max(y.upper, 1.0) + pad);
    }
    m_chart->replot();
}

} // namespace eventscope::ui
