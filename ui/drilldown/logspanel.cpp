#include "logspanel.h"

#include "servicechoice.h"

#include "models/logtablemodel.h"
#include "timeline/viewstate.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QScrollBar>
#include <QTableView>
#include <QVBoxLayout>

namespace eventscope::ui {

namespace {
constexpr int kRefreshDelayMs = 200;

QString count(std::size_t n)
{
    return QLocale().toString(static_cast<qulonglong>(n));
}
} // namespace

LogsPanel::LogsPanel(ViewState &view, QWidget *parent)
    : QWidget(parent)
    , m_view(view)
    , m_model(new LogTableModel(this))
    , m_search(new QLineEdit(this))
    , m_level(new QComboBox(this))
    , m_service(new QComboBox(this))
    , m_focusOnly(new QCheckBox(tr("This incident only"), this))
    , m_status(new QLabel(this))
    , m_table(new QTableView(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto *filters = new QHBoxLayout;
    m_search->setObjectName(QStringLiteral("LogSearch"));
    m_search->setPlaceholderText(tr("Search logs: text in the message, service or entity"));
    m_search->setClearButtonEnabled(true);
    m_level->addItem(tr("All levels"), static_cast<int>(Severity::Debug));
    m_level->addItem(tr("Info and above"), static_cast<int>(Severity::Info));
    m_level->addItem(tr("Warnings and above"), static_cast<int>(Severity::Warning));
    m_level->addItem(tr("Errors and above"), static_cast<int>(Severity::Error));
    setupServiceChoice(*m_service);
    m_focusOnly->setEnabled(false);
    m_focusOnly->setToolTip(tr("Select a failure: its services, entities and traces"));
    filters->addWidget(m_search, 1);
    filters->addWidget(m_level);
    filters->addWidget(m_service);
    filters->addWidget(m_focusOnly);
    layout->addLayout(filters);
    m_status->setObjectName(QStringLiteral("LogStatus"));
    layout->addWidget(m_status);
    layout->addWidget(m_table, 1);

    m_table->setObjectName(QStringLiteral("LogTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setWordWrap(false);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    // Fixed row heights: the view computes positions, never measures rows.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 4);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->setColumnWidth(
        LogTableModel::TimeColumn,
        fontMetrics().horizontalAdvance(QStringLiteral("0000-00-00 00:00:00.000 UTC+00:00")));
    m_table->setColumnWidth(LogTableModel::LevelColumn,
                            fontMetrics().horizontalAdvance(QStringLiteral("critical")) + 16);
    m_table->setColumnWidth(LogTableModel::ServiceColumn, 120);
    m_table->setColumnWidth(LogTableModel::EntityColumn, 170);
    m_table->setColumnWidth(LogTableModel::MessageColumn, 600);
    m_table->setColumnWidth(LogTableModel::TraceColumn,
                            fontMetrics().horizontalAdvance(QString(32, QLatin1Char('0'))) + 8);

    m_refresh.setSingleShot(true);
    connect(&m_refresh, &QTimer::timeout, this, &LogsPanel::refreshNow);
    connect(m_search, &QLineEdit::textChanged, this, &LogsPanel::scheduleRefresh);
    connect(m_level, &QComboBox::currentIndexChanged, this, &LogsPanel::refreshNow);
    connect(m_service, &QComboBox::currentIndexChanged, this, &LogsPanel::refreshNow);
    connect(m_focusOnly, &QCheckBox::toggled, this, &LogsPanel::refreshNow);
    connect(&m_view, &ViewState::visibleRangeChanged, this, &LogsPanel::scheduleRefresh);
    connect(&m_view, &ViewState::timeZoneChanged, m_model, &LogTableModel::setTimeZone);
    connect(&m_view, &ViewState::cursorTimeChanged, this, &LogsPanel::followCursor);
    m_model->setTimeZone(m_view.timeZone());

    // Choosing a line puts the crosshair at its time (and the timeline around it).
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (!current.isValid() || m_scrollingToCursor)
                    return;
                const TimeUs time = m_model->timeAt(current.row());
                const TimeRange visible = m_view.visibleRange();
                if (time < visible.begin || time >= visible.end)
                    m_view.centreOn(time);
                m_scrollingToCursor = true;
                m_view.setCursorTime(time);
                m_scrollingToCursor = false;
            });
    updateStatus();
}

LogsPanel::~LogsPanel() = default;

void LogsPanel::setActive(bool active)
{
    m_active = active;
    if (m_active && m_stale)
        refreshNow();
}
Status LogsPanel::setCapture(const std::string &path)
{
    m_fetcher.reset();
    m_model->clear();
    m_waiting = false;
    if (path.empty()) {
        updateStatus();
        return {};
    }
    auto fetcher = LogFetcher::open(path);
    if (!fetcher)
        return Status::failure(fetcher.error());
    m_fetcher = std::move(*fetcher);
    connect(m_fetcher.get(), &LogFetcher::batchReady, this, &LogsPanel::onBatch);
    connect(m_fetcher.get(), &LogFetcher::finished, this, &LogsPanel::onFinished);
    scheduleRefresh();
    return {};
}

void LogsPanel::captureGrew()
{
    // New records lie at the end of the data: read again only if the range shows the end.
    if (m_readRange.end >= m_view.dataExtent().begin
        && m_view.visibleRange().end >= m_readRange.end)
        scheduleRefresh();
}

void LogsPanel::setTheme(const Theme &theme)
{
    m_model->setTheme(theme);
}

void LogsPanel::setServices(const QStringList &services)
{
    offerServices(*m_service, services);
}

QString LogsPanel::service() const
{
    return m_service->currentData().toString();
}

void LogsPanel::setService(const QString &service)
{
    chooseService(*m_service, service);
}

void LogsPanel::setIncidentFocus(std::optional<IncidentFocus> focus)
{
    m_focus = std::move(focus);
    m_focusOnly->setEnabled(m_focus.has_value());
    if (m_focus) {
        QStringList names;
        for (const std::string &service : m_focus->services)
            names << QString::fromStdString(service);
        m_focusOnly->setToolTip(tr("Only the records of %1: the services %2, their entities "
                                   "and %n trace(s) of the incident",
                                   nullptr, static_cast<int>(m_focus->traces.size()))
                                    .arg(m_focus->label, names.join(QStringLiteral(", "))));
    }
    QSignalBlocker blocker(m_focusOnly);
    m_focusOnly->setChecked(m_focus.has_value());
    refreshNow();
}

void LogsPanel::setSearchText(const QString &text)
{
    m_search->setText(text);
    refreshNow();
}

void LogsPanel::setMinimumLevel(Severity level)
{
    m_level->setCurrentIndex(std::max(0, m_level->findData(static_cast<int>(level))));
}

bool LogsPanel::isSettled() const
{
    return !m_waiting && !m_refresh.isActive();
}

void LogsPanel::scheduleRefresh()
{
    m_waiting = m_fetcher != nullptr;
    // Not restarted while pending: a live view that moves every commit still reads, at most
    // every kRefreshDelayMs.
    if (m_fetcher && !m_refresh.isActive())
        m_refresh.start(kRefreshDelayMs);
}

void LogsPanel::refreshNow()
{
    m_refresh.stop();
    if (!m_fetcher)
        return;
    // A panel nobody sees (a dock tab behind another) reads when it is shown: its reads would
    // only compete with the visible ones for the cores.
    if (!m_active) {
        m_stale = true;
        m_waiting = false;
        updateStatus();
        Q_EMIT settled();
        return;
    }
    m_stale = false;
    LogRequest request;
    request.range = m_view.visibleRange();
    request.minLevel = static_cast<Severity>(m_level->currentData().toInt());
    request.text = m_search->text().trimmed().toStdString();
    request.service = m_service->currentData().toString().toStdString();
    if (m_focus && m_focusOnly->isChecked()) {
        request.focusServices = m_focus->services;
        request.focusEntities = m_focus->entities;
        request.focusTraces = m_focus->traces;
    }
    // Where the reader is, to come back there when the new rows arrive.
    const QScrollBar *bar = m_table->verticalScrollBar();
    m_stickToEnd = m_model->rowCount() > 0 && bar->value() == bar->maximum() && bar->maximum() > 0;
    m_keepTop.reset();
    if (const int top = m_table->rowAt(0); top >= 0 && !m_stickToEnd)
        m_keepTop = m_model->timeAt(top);
    m_readRange = request.range;
    m_waiting = true;
    m_generation = m_fetcher->request(std::move(request));
    m_model->clear();
    updateStatus();
}

void LogsPanel::onBatch(quint64 generation, std::shared_ptr<const LogRows> rows)
{
    if (generation != m_generation)
        return;
    m_model->appendBatch(std::move(rows));
    if (m_stickToEnd)
        m_table->scrollToBottom();
    updateStatus();
}

void LogsPanel::onFinished(const LogFetchSummary &summary)
{
    if (summary.generation != m_generation)
        return;
    m_summary = summary;
    m_waiting = false;
    if (m_keepTop && m_model->rowCount() > 0) {
        const int row = std::min(m_model->rowAtOrAfter(*m_keepTop), m_model->rowCount() - 1);
        m_scrollingToCursor = true;
        m_table->scrollTo(m_model->index(row, 0), QAbstractItemView::PositionAtTop);
        m_scrollingToCursor = false;
    }
    if (m_view.cursorTime())
        followCursor();
    updateStatus();
    Q_EMIT settled();
}

void LogsPanel::followCursor()
{
    const std::optional<TimeUs> time = m_view.cursorTime();
    if (!time || m_scrollingToCursor || m_model->rowCount() == 0)
        return;
    const int row = std::min(m_model->rowAtOrAfter(*time), m_model->rowCount() - 1);
    m_scrollingToCursor = true;
    const QModelIndex index = m_model->index(row, LogTableModel::TimeColumn);
    m_table->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->scrollTo(index, QAbstractItemView::PositionAtCenter);
    m_scrollingToCursor = false;
}

void LogsPanel::updateStatus()
{
    QString text;
    if (!m_fetcher)
        text = tr("No capture open");
    else if (m_waiting)
        text = m_model->rowCount() > 0
            ? tr("Reading… %1 records so far")
                  .arg(count(static_cast<std::size_t>(m_model->rowCount())))
            : tr("Reading…");
    else if (!m_summary.error.isEmpty())
        text = tr("Cannot read the logs: %1").arg(m_summary.error);
    else if (m_summary.matched == 0)
        text = tr("No log records in the visible range match");
    else if (m_summary.kept < m_summary.matched)
        text = tr("The first %1 of %2 records in the visible range: zoom in or filter to see "
                  "the rest")
                   .arg(count(m_summary.kept), count(m_summary.matched));
    else
        text = tr("%1 records in the visible range").arg(count(m_summary.matched));
    if (m_focus && m_focusOnly->isChecked())
        text += tr(" · %1 only").arg(m_focus->label);
    m_status->setText(text);
}

QString LogsPanel::statusText() const
{
    return m_status->text();
}

} // namespace eventscope::ui
