#include "tracespanel.h"

#include "servicechoice.h"

#include "models/tracelistmodel.h"
#include "timeline/viewstate.h"
#include "tracewaterfall.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLocale>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace eventscope::ui {

namespace {
constexpr int kRefreshDelayMs = 200;

QString html(const std::string &text)
{
    return QString::fromStdString(text).toHtmlEscaped();
}

QString spanKindName(std::int32_t kind)
{
    switch (kind) {
    case 1: return QStringLiteral("internal");
    case 2: return QStringLiteral("server");
    case 3: return QStringLiteral("client");
    case 4: return QStringLiteral("producer");
    case 5: return QStringLiteral("consumer");
    default: return QStringLiteral("unspecified");
    }
}
} // namespace

TracesPanel::TracesPanel(ViewState &view, QWidget *parent)
    : QWidget(parent)
    , m_view(view)
    , m_model(new TraceListModel(this))
    , m_errorsOnly(new QCheckBox(tr("Failing traces only"), this))
    , m_service(new QComboBox(this))
    , m_focusOnly(new QCheckBox(tr("This incident only"), this))
    , m_status(new QLabel(this))
    , m_table(new QTableView(this))
    , m_waterfall(new TraceWaterfall(this))
    , m_details(new QTextBrowser(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto *filters = new QHBoxLayout;
    setupServiceChoice(*m_service);
    m_focusOnly->setEnabled(false);
    m_focusOnly->setToolTip(tr("Select a failure: the traces through its services"));
    m_status->setObjectName(QStringLiteral("TraceStatus"));
    filters->addWidget(m_status, 1);
    filters->addWidget(m_errorsOnly);
    filters->addWidget(m_service);
    filters->addWidget(m_focusOnly);
    layout->addLayout(filters);

    m_table->setObjectName(QStringLiteral("TraceTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 4);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(
        TraceListModel::StartColumn,
        fontMetrics().horizontalAdvance(QStringLiteral("00:00:00.000 UTC+00:00")));
    m_table->setColumnWidth(TraceListModel::RootColumn, 200);
    m_table->setColumnWidth(TraceListModel::DurationColumn, 70);
    m_table->setColumnWidth(TraceListModel::SpansColumn, 50);
    m_waterfall->setObjectName(QStringLiteral("TraceWaterfall"));
    m_details->setObjectName(QStringLiteral("SpanDetails"));
    m_details->setOpenLinks(false);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_table);
    splitter->addWidget(m_waterfall);
    splitter->addWidget(m_details);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 5);
    splitter->setStretchFactor(2, 2);
    layout->addWidget(splitter, 1);

    m_refresh.setSingleShot(true);
    connect(&m_refresh, &QTimer::timeout, this, &TracesPanel::refreshNow);
    connect(m_errorsOnly, &QCheckBox::toggled, this, &TracesPanel::refreshNow);
    connect(m_service, &QComboBox::currentIndexChanged, this, &TracesPanel::refreshNow);
    connect(m_focusOnly, &QCheckBox::toggled, this, &TracesPanel::refreshNow);
    connect(&m_view, &ViewState::visibleRangeChanged, this, &TracesPanel::scheduleRefresh);
    connect(&m_view, &ViewState::timeZoneChanged, m_model, &TraceListModel::setTimeZone);
    m_model->setTimeZone(m_view.timeZone());
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (current.isValid())
                    showTrace(current.row());
            });
    connect(m_waterfall, &TraceWaterfall::rowSelected, this, &TracesPanel::showSpan);
    updateStatus();
}

TracesPanel::~TracesPanel() = default;

void TracesPanel::setActive(bool active)
{
    m_active = active;
    if (m_active && m_stale)
        refreshNow();
}
Status TracesPanel::setCapture(const std::string &path)
{
    m_fetcher.reset();
    m_model->setTraces({});
    m_waterfall->setTrace(nullptr);
    m_details->clear();
    m_chosenTrace.clear();
    m_listWaiting = m_traceWaiting = false;
    m_list = {};
    if (path.empty()) {
        updateStatus();
        return {};
    }
    auto fetcher = TraceFetcher::open(path);
    if (!fetcher)
        return Status::failure(fetcher.error());
    m_fetcher = std::move(*fetcher);
    connect(m_fetcher.get(), &TraceFetcher::listReady, this, &TracesPanel::onList);
    connect(m_fetcher.get(), &TraceFetcher::traceReady, this, &TracesPanel::onTrace);
    scheduleRefresh();
    return {};
}

void TracesPanel::captureGrew()
{
    if (m_view.visibleRange().end >= m_readRange.end)
        scheduleRefresh();
}

void TracesPanel::setTheme(const Theme &theme)
{
    m_model->setTheme(theme);
    m_waterfall->setTheme(theme);
}

void TracesPanel::setServices(const QStringList &services)
{
    offerServices(*m_service, services);
}

QString TracesPanel::service() const
{
    return m_service->currentData().toString();
}

void TracesPanel::setService(const QString &service)
{
    chooseService(*m_service, service);
}

void TracesPanel::setIncidentFocus(std::optional<IncidentFocus> focus)
{
    m_focus = std::move(focus);
    m_focusOnly->setEnabled(m_focus.has_value());
    QSignalBlocker blocker(m_focusOnly);
    m_focusOnly->setChecked(m_focus.has_value());
    m_chosenTrace.clear(); // the incident's first failing trace is shown
    refreshNow();
}

void TracesPanel::setErrorsOnly(bool on)
{
    m_errorsOnly->setChecked(on);
}

bool TracesPanel::isSettled() const
{
    return !m_listWaiting && !m_traceWaiting && !m_refresh.isActive();
}

void TracesPanel::scheduleRefresh()
{
    m_listWaiting = m_fetcher != nullptr;
    if (m_fetcher && !m_refresh.isActive())
        m_refresh.start(kRefreshDelayMs);
}

void TracesPanel::refreshNow()
{
    m_refresh.stop();
    if (!m_fetcher)
        return;
    // A panel nobody sees (a dock tab behind another) reads when it is shown: its reads would
    // only compete with the visible ones for the cores.
    if (!m_active) {
        m_stale = true;
        m_listWaiting = false;
        updateStatus();
        Q_EMIT settled();
        return;
    }
    m_stale = false;
    TraceListRequest request;
    request.range = m_view.visibleRange();
    request.errorsOnly = m_errorsOnly->isChecked();
    request.service = m_service->currentData().toString().toStdString();
    if (m_focus && m_focusOnly->isChecked())
        request.focusServices = m_focus->services;
    m_readRange = request.range;
    m_listWaiting = true;
    m_listGeneration = m_fetcher->requestList(std::move(request));
    updateStatus();
}

void TracesPanel::onList(const TraceListResult &result)
{
    if (result.generation != m_listGeneration)
        return;
    m_listWaiting = false;
    m_list = result;
    m_list.traces.clear();
    {
        const QSignalBlocker blocker(m_table->selectionModel());
        m_model->setTraces(result.traces);
    }
    // Keep the chosen trace if it is still listed, else open the first (failing first).
    int row = m_chosenTrace.empty() ? -1 : m_model->rowOf(m_chosenTrace);
    if (row < 0 && m_model->rowCount() > 0)
        row = 0;
    if (row >= 0) {
        const QSignalBlocker blocker(m_table->selectionModel());
        m_table->selectRow(row);
        if (m_model->traceAt(row).traceId != m_trace.traceId || !m_trace.tree)
            showTrace(row);
    } else {
        m_chosenTrace.clear();
        m_trace = {};
        m_waterfall->setTrace(nullptr);
        m_details->clear();
    }
    updateStatus();
    if (isSettled())
        Q_EMIT settled();
}

void TracesPanel::showTrace(int row)
{
    if (!m_fetcher || row < 0 || row >= m_model->rowCount())
        return;
    const TraceSummary &trace = m_model->traceAt(row);
    m_chosenTrace = trace.traceId;
    if (m_table->currentIndex().row() != row) {
        const QSignalBlocker blocker(m_table->selectionModel());
        m_table->selectRow(row);
    }
    m_traceWaiting = true;
    m_traceGeneration = m_fetcher->requestTrace(trace.traceId, {trace.start, trace.end});
    updateStatus();
}

void TracesPanel::onTrace(const TraceDetail &detail)
{
    if (detail.generation != m_traceGeneration)
        return;
    m_traceWaiting = false;
    m_trace = detail;
    m_waterfall->setTrace(detail.tree);
    if (!detail.error.isEmpty())
        m_details->setHtml(
            tr("<p>Cannot read the trace: %1</p>").arg(detail.error.toHtmlEscaped()));
    else if (detail.tree)
        // Where the failure began: what an operator opens a failing trace for.
        m_waterfall->selectRow(std::max(0, detail.tree->errorOriginRow()));
    updateStatus();
    if (isSettled())
        Q_EMIT settled();
}

void TracesPanel::showSpan(int row)
{
    const TraceTree *tree = m_waterfall->trace();
    if (!tree || row < 0) {
        m_details->clear();
        return;
    }
    const Span &span = tree->spanAt(row);
    const TimeZoneMode zone = m_view.timeZone();
    QString text = QStringLiteral("<p><b>%1</b> %2").arg(html(span.service), html(span.name));
    if (span.status == SpanStatus::Error)
        text += tr(" — <b>failed</b>");
    text += QStringLiteral("</p><table cellspacing=2>");
    const auto line = [&text](const QString &name, const QString &value) {
        text += QStringLiteral("<tr><td>%1</td><td>%2</td></tr>").arg(name, value);
    };
    line(tr("Entity"), html(span.entity));
    line(tr("Kind"), spanKindName(span.kind));
    line(tr("Start"), formatTime(span.start, zone));
    line(tr("After trace start"),
         formatDuration(static_cast<double>(span.start - tree->start) / kMicrosPerSecond));
    line(tr("Duration"), formatDuration(static_cast<double>(span.duration()) / kMicrosPerSecond));
    line(tr("Status"), QString::fromLatin1(spanStatusName(span.status)));
    line(tr("On the critical path"),
         tree->rows[static_cast<std::size_t>(row)].critical ? tr("yes") : tr("no"));
    line(tr("Span"), html(span.spanId));
    line(tr("Parent"), span.parentSpanId.empty() ? tr("none (root)") : html(span.parentSpanId));
    line(tr("Trace"), html(span.traceId));
    text += QStringLiteral("</table>");
    if (!span.attributes.empty()) {
        const QJsonDocument attributes
            = QJsonDocument::fromJson(QByteArray::fromStdString(span.attributes));
        text += tr("<p><b>Attributes</b></p><pre>%1</pre>")
                    .arg(attributes.isObject()
                             ? QString::fromUtf8(attributes.toJson(QJsonDocument::Indented))
                                   .toHtmlEscaped()
                             : html(span.attributes));
    }
    int logs = 0;
    QString logLines;
    for (const LogRecord &log : m_trace.logs) {
        if (log.spanId != span.spanId)
            continue;
        ++logs;
        logLines += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td></tr>")
                        .arg(formatTime(log.time, zone, false),
                             QString::fromLatin1(severityName(log.level)), html(log.message));
    }
    text += logs == 0
        ? tr("<p>No log records of this span (%n of the trace).</p>", nullptr,
             static_cast<int>(m_trace.logs.size()))
        : tr("<p><b>Logs of this span</b></p><table cellspacing=2>%1</table>").arg(logLines);
    m_details->setHtml(text);
    // The crosshair at the span's start, so the charts show what the system did then.
    m_view.setCursorTime(span.start);
}

QString TracesPanel::detailsText() const
{
    return m_details->toPlainText();
}

QString TracesPanel::statusText() const
{
    return m_status->text();
}

void TracesPanel::updateStatus()
{
    QString text;
    const QLocale locale;
    if (!m_fetcher)
        text = tr("No capture open");
    else if (m_listWaiting)
        text = tr("Reading traces…");
    else if (!m_list.error.isEmpty())
        text = tr("Cannot read the traces: %1").arg(m_list.error);
    else if (m_list.matched == 0)
        text = tr("No traces in the visible range match");
    else if (static_cast<std::size_t>(m_model->rowCount()) < m_list.matched)
        text = tr("%1 of %2 traces (failing first, then the longest)")
                   .arg(locale.toString(m_model->rowCount()),
                        locale.toString(static_cast<qulonglong>(m_list.matched)));
    else
        text = tr("%1 traces in the visible range").arg(locale.toString(m_model->rowCount()));
    if (m_focus && m_focusOnly->isChecked())
        text += tr(" · %1 only").arg(m_focus->label);
    if (m_trace.tree && m_trace.error.isEmpty())
        text += tr(" · trace read in %1 ms").arg(m_trace.milliseconds, 0, 'f', 0);
    m_status->setText(text);
}

} // namespace eventscope::ui
