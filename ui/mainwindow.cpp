#include "mainwindow.h"

#include "alertdeliveriesdialog.h"
#include "alerts/alertspanel.h"
#include "capturetasks.h"
#include "connection/connectiondialog.h"
#include "connection/secretstore.h"
#include "deadletterspanel.h"
#include "drilldown/comparepanel.h"
#include "drilldown/impactpanel.h"
#include "drilldown/incidentanalysisfetcher.h"
#include "drilldown/incidentlist.h"
#include "drilldown/logspanel.h"
#include "drilldown/outcomespanel.h"
#include "drilldown/rootcausepanel.h"
#include "drilldown/servicemappanel.h"
#include "drilldown/tracespanel.h"
#include "models/eventtablemodel.h"
#include "models/overviewseries.h"
#include "models/seriestreemodel.h"
#include "report/reportjob.h"
#include "timeline/eventlanechart.h"
#include "timeline/metricchart.h"
#include "timeline/timelinefetcher.h"
#include "timeline/timelineview.h"
#include "timeline/viewstate.h"
#include "timerangebar.h"

#include "kafka/kafkaingest.h"
#include "store/capturereader.h"
#include "store/captureschema.h"
#include "util/linkedlibraries.h"
#include "util/timeformat.h"

#include <qcustomplot.h>

#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QComboBox>
#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSettings>
#include <QStatusBar>
#include <QSvgGenerator>
#include <QSystemTrayIcon>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

#include <bit>
#include <map>
#include <set>

namespace eventscope::ui {

namespace {
constexpr int kMaxRecent = 10;
constexpr std::size_t kOverviewSeries = 6;
constexpr std::size_t kOverviewCharts = 4;

// A capture's last view in the settings, by the capture's identity (so a moved or renamed
// capture keeps it, and a copy, which has its own identity, carries its view inside).
QString settingsKeyFor(const std::string &identity)
{
    return QStringLiteral("captureViews/")
        + QString::fromLatin1(QCryptographicHash::hash(QByteArray::fromStdString(identity),
                                                       QCryptographicHash::Sha1)
                                  .toHex()
                                  .left(16));
}

QString humanBytes(std::int64_t bytes)
{
    const double value = static_cast<double>(bytes);
    if (bytes >= (1LL << 30))
        return QStringLiteral("%1 GB").arg(value / (1LL << 30), 0, 'f', 2);
    if (bytes >= (1LL << 20))
        return QStringLiteral("%1 MB").arg(value / (1LL << 20), 0, 'f', 1);
    return QStringLiteral("%1 kB").arg(value / 1024.0, 0, 'f', 0);
}
} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_theme(Theme::dark())
    , m_view(new ViewState(this))
    , m_timeline(new TimelineView(*m_view, this))
    , m_rangeBar(new TimeRangeBar(*m_view, this))
    , m_events(new EventTableModel(this))
    , m_eventFilter(new EventFilterProxyModel(this))
    , m_eventTable(new QTableView(this))
    , m_series(new SeriesTreeModel(this))
    , m_seriesFilter(new SeriesFilterProxyModel(this))
    , m_seriesTree(new QTreeView(this))
    , m_statusLabel(new QLabel(this))
    , m_eventsLabel(new QLabel(this))
    , m_liveLabel(new QLabel(this))
    , m_tasks(new CaptureTasks(this))
    , m_secrets(new SecretStore(this))
{
    setObjectName(QStringLiteral("MainWindow"));
    setWindowTitle(tr("EventScope"));
    auto *centre = new QWidget(this);
    auto *layout = new QVBoxLayout(centre);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_rangeBar);
    layout->addWidget(m_timeline, 1);
    setCentralWidget(centre);
    m_timeline->setFocusPolicy(Qt::StrongFocus);

    statusBar()->addWidget(m_statusLabel, 1);
    statusBar()->addPermanentWidget(m_eventsLabel);
    statusBar()->addPermanentWidget(m_liveLabel);
    m_liveLabel->hide();
    m_liveLabel->setTextFormat(Qt::RichText);
    m_statusLabel->setTextFormat(Qt::RichText);
    for (QLabel *label : {m_liveLabel, m_statusLabel})
        connect(label, &QLabel::linkActivated, this, [this](const QString &link) {
            if (link == QLatin1String("dead-letters"))
                showDeadLetters();
            else if (link == QLatin1String("alert-deliveries"))
                showAlertDeliveries();
        });
    m_statusLabel->setText(tr("No capture open: File ▸ Open Capture… (Ctrl+O)"));

    createDocks();
    createActions();

    connect(m_timeline, &TimelineView::eventClicked, this,
            [this](const Event &event) { selectEvent(event, false); });
    connect(m_timeline, &TimelineView::dataPainted, this, &MainWindow::checkSettled);
    connect(m_view, &ViewState::selectionChanged, this, &MainWindow::showSelectionInTable);
    connect(m_view, &ViewState::selectionChanged, this, &MainWindow::onSelectionChanged);
    connect(m_view, &ViewState::timeZoneChanged, m_rootCause, &RootCausePanel::setTimeZone);
    connect(m_view, &ViewState::timeZoneChanged, m_incidents, &IncidentListModel::setTimeZone);
    connect(m_view, &ViewState::timeZoneChanged, m_events, &EventTableModel::setTimeZone);
    connect(m_view, &ViewState::historyChanged, this, [this] {
        m_backAction->setEnabled(m_view->canGoBack());
        m_forwardAction->setEnabled(m_view->canGoForward());
    });

    QSettings settings;
    const auto kind = Theme::parseKind(
        settings.value(QStringLiteral("view/theme"), QStringLiteral("dark")).toString());
    setTheme(kind.value_or(Theme::Kind::Dark));
    m_view->setTimeZone(settings.value(QStringLiteral("view/timeZone")).toString()
                                == QLatin1String("local")
                            ? TimeZoneMode::Local
                            : TimeZoneMode::Utc);
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    updateRecentMenu();
    connect(m_tasks, &CaptureTasks::finished, this, &MainWindow::onTaskFinished);
    // Keyboard first: the timeline's keys (arrows, +, -, F, Space, '.', ',') work at once.
    m_timeline->setFocus();
}

MainWindow::~MainWindow()
{
    m_timeline->setFetcher(nullptr);
}

void MainWindow::createDocks()
{
    // Events: filters over the table; the same filter drives the timeline's overlays.
    auto *events = new QWidget(this);
    auto *layout = new QVBoxLayout(events);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    auto *filters = new QHBoxLayout;
    m_filterText = new QLineEdit(events);
    m_filterText->setObjectName(QStringLiteral("EventFilter"));
    m_filterText->setPlaceholderText(tr("Filter events (Ctrl+F): type, service, entity, message"));
    m_filterText->setClearButtonEnabled(true);
    m_filterSeverity = new QComboBox(events);
    m_filterSeverity->addItem(tr("Any severity"));
    for (int i = 1; i < kSeverityCount; ++i)
        m_filterSeverity->addItem(tr("≥ %1").arg(
            QString::fromStdString(std::string(severityName(static_cast<Severity>(i))))));
    m_filterCategory = new QComboBox(events);
    m_filterCategory->addItem(tr("All categories"));
    for (int i = 0; i < kEventCategoryCount; ++i)
        m_filterCategory->addItem(
            QString::fromStdString(std::string(categoryName(static_cast<EventCategory>(i)))));
    m_filterService = new QComboBox(events);
    m_filterService->addItem(tr("All services"));
    m_filterEntity = new QLineEdit(events);
    m_filterEntity->setObjectName(QStringLiteral("EntityFilter"));
    m_filterEntity->setPlaceholderText(tr("Entity (exact)"));
    m_filterEntity->setClearButtonEnabled(true);
    m_filterEntity->setMaximumWidth(220);
    filters->addWidget(m_filterText, 1);
    filters->addWidget(m_filterSeverity);
    filters->addWidget(m_filterCategory);
    filters->addWidget(m_filterService);
    filters->addWidget(m_filterEntity);
    layout->addLayout(filters);
    layout->addWidget(m_eventTable, 1);
    connect(m_filterText, &QLineEdit::textChanged, this, &MainWindow::applyFilter);
    connect(m_filterSeverity, &QComboBox::currentIndexChanged, this, &MainWindow::applyFilter);
    connect(m_filterCategory, &QComboBox::currentIndexChanged, this, &MainWindow::applyFilter);
    connect(m_filterService, &QComboBox::currentIndexChanged, this, &MainWindow::applyFilter);
    connect(m_filterEntity, &QLineEdit::textChanged, this, &MainWindow::applyFilter);

    m_eventFilter->setSourceModel(m_events);
    m_eventTable->setModel(m_eventFilter);
    m_eventTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_eventTable->setSelectionMode(QAbstractItemView::SingleSelection);
    m_eventTable->setAlternatingRowColors(true);
    m_eventTable->setSortingEnabled(true);
    m_eventTable->sortByColumn(EventTableModel::TimeColumn, Qt::AscendingOrder);
    m_eventTable->setWordWrap(false);
    m_eventTable->verticalHeader()->hide();
    m_eventTable->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 4);
    m_eventTable->horizontalHeader()->setStretchLastSection(true);
    m_eventTable->setColumnWidth(
        EventTableModel::TimeColumn,
        fontMetrics().horizontalAdvance(QStringLiteral("0000-00-00 00:00:00.000 UTC+00:00")));
    m_eventTable->setColumnWidth(EventTableModel::SeverityColumn, 70);
    m_eventTable->setColumnWidth(EventTableModel::CategoryColumn, 90);
    m_eventTable->setColumnWidth(EventTableModel::TypeColumn, 190);
    m_eventTable->setColumnWidth(EventTableModel::ServiceColumn, 110);
    m_eventTable->setColumnWidth(EventTableModel::EntityColumn, 170);
    connect(m_eventTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (!current.isValid())
                    return;
                const QModelIndex source = m_eventFilter->mapToSource(current);
                selectEvent(m_events->eventAt(source.row()), true);
            });

    m_eventDock = new QDockWidget(tr("Events"), this);
    m_eventDock->setObjectName(QStringLiteral("EventsDock"));
    m_eventDock->setWidget(events);
    addDockWidget(Qt::BottomDockWidgetArea, m_eventDock);

    // Series: a searchable tree; double-click charts a series (or a whole metric).
    auto *seriesPanel = new QWidget(this);
    auto *seriesLayout = new QVBoxLayout(seriesPanel);
    seriesLayout->setContentsMargins(4, 4, 4, 4);
    auto *search = new QLineEdit(seriesPanel);
    search->setObjectName(QStringLiteral("SeriesSearch"));
    search->setPlaceholderText(tr("Search series: words in name or labels"));
    search->setClearButtonEnabled(true);
    seriesLayout->addWidget(search);
    seriesLayout->addWidget(m_seriesTree, 1);
    m_seriesFilter->setSourceModel(m_series);
    m_seriesTree->setModel(m_seriesFilter);
    m_seriesTree->setUniformRowHeights(true);
    m_seriesTree->header()->setStretchLastSection(false);
    m_seriesTree->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_seriesTree->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_seriesTree->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(search, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_seriesFilter->setSearch(text);
        if (!text.isEmpty())
            m_seriesTree->expandAll();
    });
    connect(m_seriesTree, &QTreeView::doubleClicked, this, [this](const QModelIndex &index) {
        auto series = m_series->seriesUnder(m_seriesFilter->mapToSource(index));
        if (series.size() > 8)
            series.resize(8); // a chart of more is unreadable; the rest via the menu
        if (!series.empty())
            m_timeline->addChart(std::move(series));
    });
    connect(m_seriesTree, &QTreeView::customContextMenuRequested, this, [this](QPoint at) {
        const QModelIndex index = m_seriesFilter->mapToSource(m_seriesTree->indexAt(at));
        const auto series = m_series->seriesUnder(index);
        if (series.empty())
            return;
        QMenu menu;
        menu.addAction(tr("Add to a new chart"), this,
                       [this, series] { m_timeline->addChart(series); });
        for (int i = 0; i < m_timeline->chartCount(); ++i) {
            const QString title = m_timeline->chart(i)->title();
            menu.addAction(tr("Add to chart %1: %2").arg(i + 1).arg(title.left(60)), this,
                           [this, series, i] {
                               for (const SeriesInfo &s : series)
                                   m_timeline->addSeriesToChart(i, s);
                           });
        }
        menu.exec(m_seriesTree->viewport()->mapToGlobal(at));
    });
    m_seriesDock = new QDockWidget(tr("Series"), this);
    m_seriesDock->setObjectName(QStringLiteral("SeriesDock"));
    m_seriesDock->setWidget(seriesPanel);
    addDockWidget(Qt::LeftDockWidgetArea, m_seriesDock);
    resizeDocks({m_seriesDock}, {260}, Qt::Horizontal);
    resizeDocks({m_eventDock}, {260}, Qt::Vertical);

    // Notes: the operator's own words about this capture, saved with its view (File > Save
    // View) and printed in incident reports.
    m_notes = new QPlainTextEdit(this);
    m_notes->setObjectName(QStringLiteral("NotesEdit"));
    m_notes->setPlaceholderText(
        tr("Notes on this capture: what you found, what you ruled out. Saved into the capture "
           "with File ▸ Save View (Ctrl+S); incident reports print them."));
    m_notesDock = new QDockWidget(tr("Notes"), this);
    m_notesDock->setObjectName(QStringLiteral("NotesDock"));
    m_notesDock->setWidget(m_notes);
    addDockWidget(Qt::BottomDockWidgetArea, m_notesDock);
    tabifyDockWidget(m_eventDock, m_notesDock);
    m_eventDock->raise();

    // Root cause: the selected failure's analysis; its links select, filter and chart.
    m_rootCause = new RootCausePanel(this);
    m_rootCauseDock = new QDockWidget(tr("Root Cause"), this);
    m_rootCauseDock->setObjectName(QStringLiteral("RootCauseDock"));
    m_rootCauseDock->setWidget(m_rootCause);
    addDockWidget(Qt::RightDockWidgetArea, m_rootCauseDock);
    resizeDocks({m_rootCauseDock}, {380}, Qt::Horizontal);
    connect(m_rootCause, &RootCausePanel::causeActivated, this, &MainWindow::activateCause);
    connect(m_rootCause, &RootCausePanel::eventActivated, this, [this](const QString &id) {
        if (const Event *event = findEvent(id.toStdString()))
            selectEvent(*event, true);
    });
    connect(m_rootCause, &RootCausePanel::suspectActivated, this,
            [this](const QString &service) { filterToService(service); });
    connect(m_rootCause, &RootCausePanel::seriesActivated, this, &MainWindow::chartSeries);

    // Incidents: the capture's failures grouped; choosing one goes there.
    m_incidents = new IncidentListModel(this);
    m_incidentTable = new QTableView(this);
    m_incidentTable->setObjectName(QStringLiteral("IncidentTable"));
    m_incidentTable->setModel(m_incidents);
    m_incidentTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_incidentTable->setSelectionMode(QAbstractItemView::SingleSelection);
    m_incidentTable->verticalHeader()->hide();
    m_incidentTable->horizontalHeader()->setStretchLastSection(true);
    m_incidentTable->setWordWrap(false);
    m_incidentTable->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 4);
    m_incidentTable->setColumnWidth(
        IncidentListModel::StartColumn,
        fontMetrics().horizontalAdvance(QStringLiteral("0000-00-00 00:00:00.000 UTC+00:00")));
    m_incidentTable->setColumnWidth(IncidentListModel::ServicesColumn, 200);
    m_incidentTable->setColumnWidth(IncidentListModel::FailuresColumn, 70);
    m_incidentTable->setColumnWidth(IncidentListModel::CauseColumn, 340);
    m_incidentTable->setColumnWidth(IncidentListModel::SuspectColumn, 280);
    m_incidentTable->setColumnWidth(IncidentListModel::StateColumn, 90);
    connect(m_incidentTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (!current.isValid())
                    return;
                const std::string id = m_incidents->firstFailure(current.row()).sourceId;
                if (Status shown = showIncident(id); !shown)
                    statusBar()->showMessage(QString::fromStdString(shown.error()), 5000);
            });
    m_incidentDock = new QDockWidget(tr("Incidents"), this);
    m_incidentDock->setObjectName(QStringLiteral("IncidentsDock"));
    m_incidentDock->setWidget(m_incidentTable);
    addDockWidget(Qt::BottomDockWidgetArea, m_incidentDock);
    tabifyDockWidget(m_eventDock, m_incidentDock);

    // Logs: the records of the visible range, linked to the crosshair.
    m_logs = new LogsPanel(*m_view, this);
    connect(m_logs, &LogsPanel::settled, this, &MainWindow::checkSettled);
    m_logsDock = new QDockWidget(tr("Logs"), this);
    m_logsDock->setObjectName(QStringLiteral("LogsDock"));
    m_logsDock->setWidget(m_logs);
    addDockWidget(Qt::BottomDockWidgetArea, m_logsDock);
    m_logs->setActive(false); // until its tab is chosen
    connect(m_logsDock, &QDockWidget::visibilityChanged, m_logs, &LogsPanel::setActive);
    tabifyDockWidget(m_eventDock, m_logsDock);

    // Traces: the visible range's traces, failing first, and the chosen one as a waterfall.
    m_traces = new TracesPanel(*m_view, this);
    connect(m_traces, &TracesPanel::settled, this, &MainWindow::checkSettled);
    m_tracesDock = new QDockWidget(tr("Traces"), this);
    m_tracesDock->setObjectName(QStringLiteral("TracesDock"));
    m_tracesDock->setWidget(m_traces);
    addDockWidget(Qt::BottomDockWidgetArea, m_tracesDock);
    m_traces->setActive(false); // until its tab is chosen
    connect(m_tracesDock, &QDockWidget::visibilityChanged, m_traces, &TracesPanel::setActive);
    tabifyDockWidget(m_eventDock, m_tracesDock);

    // Compare: a chosen range (Shift+drag) against its baseline.
    m_compare = new ComparePanel(*m_view, this);
    connect(m_compare, &ComparePanel::settled, this, &MainWindow::checkSettled);
    connect(m_compare, &ComparePanel::seriesActivated, this, &MainWindow::chartSeries);
    connect(m_compare, &ComparePanel::eventTypeActivated, this, [this](const QString &type) {
        m_filterText->setText(type);
        m_eventDock->show();
        m_eventDock->raise();
    });
    // Impact: what an event type does to a metric.
    m_impact = new ImpactPanel(*m_view, this);
    connect(m_impact, &ImpactPanel::settled, this, &MainWindow::checkSettled);
    connect(m_impact, &ImpactPanel::occurrenceActivated, this, [this](const QString &id) {
        if (const Event *event = findEvent(id.toStdString()))
            selectEvent(Event(*event), true);
    });
    m_impactDock = new QDockWidget(tr("Impact"), this);
    m_impactDock->setObjectName(QStringLiteral("ImpactDock"));
    m_impactDock->setWidget(m_impact);
    addDockWidget(Qt::BottomDockWidgetArea, m_impactDock);
    tabifyDockWidget(m_eventDock, m_impactDock);

    // Dead letters: what could not be decoded, read when the dock is asked for.
    m_deadLetters = new DeadLettersPanel(this);
    m_deadLettersDock = new QDockWidget(tr("Dead Letters"), this);
    m_deadLettersDock->setObjectName(QStringLiteral("DeadLettersDock"));
    m_deadLettersDock->setWidget(m_deadLetters);
    addDockWidget(Qt::BottomDockWidgetArea, m_deadLettersDock);
    tabifyDockWidget(m_eventDock, m_deadLettersDock);
    // Read afresh each time its tab is chosen: a few thousand small rows at most.
    // Whether its tab is the one shown, kept by the panel (it outlives the dock's last
    // signal, emitted while the window is being destroyed).
    connect(m_deadLettersDock, &QDockWidget::visibilityChanged, m_deadLetters,
            &DeadLettersPanel::setShown);
    connect(m_deadLettersDock, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (visible) {
            m_deadLetters->setTimeZone(m_view->timeZone());
            m_deadLetters->load(m_capturePath);
        }
    });

    // Alerts: the capture's alerts and the operator's rules, with the rule editor.
    m_alertsPanel = new AlertsPanel(this);
    m_alertsPanel->setTimeZone(m_view->timeZone());
    connect(m_view, &ViewState::timeZoneChanged, m_alertsPanel, &AlertsPanel::setTimeZone);
    connect(m_alertsPanel, &AlertsPanel::settled, this, &MainWindow::checkSettled);
    connect(m_alertsPanel, &AlertsPanel::rulesSaved, this, &MainWindow::alertRulesSaved);
    connect(m_alertsPanel, &AlertsPanel::alertActivated, this,
            [this](const QString &firingId, qint64 fired) {
                if (const Event *event = findEvent(firingId.toStdString()))
                    selectEvent(Event(*event), true);
                else
                    m_view->centreOn(fired); // evaluated, not stored: its time
            });
    m_alertsDock = new QDockWidget(tr("Alerts"), this);
    m_alertsDock->setObjectName(QStringLiteral("AlertsDock"));
    m_alertsDock->setWidget(m_alertsPanel);
    addDockWidget(Qt::BottomDockWidgetArea, m_alertsDock);
    tabifyDockWidget(m_eventDock, m_alertsDock);

    // Service map: the call graph at the crosshair, services by anomaly, calls by error rate.
    m_serviceMap = new ServiceMapPanel(*m_view, this);
    connect(m_serviceMap, &ServiceMapPanel::settled, this, &MainWindow::checkSettled);
    connect(m_serviceMap, &ServiceMapPanel::serviceActivated, this, [this](const QString &service) {
        // A second click on the service filtered to lifts the filter.
        filterToService(service == m_filteredService ? QString() : service);
    });
    m_serviceMapDock = new QDockWidget(tr("Service Map"), this);
    m_serviceMapDock->setObjectName(QStringLiteral("ServiceMapDock"));
    m_serviceMapDock->setWidget(m_serviceMap);
    addDockWidget(Qt::BottomDockWidgetArea, m_serviceMapDock);
    m_serviceMap->setActive(false); // until its tab is chosen
    connect(m_serviceMapDock, &QDockWidget::visibilityChanged, m_serviceMap,
            &ServiceMapPanel::setActive);
    tabifyDockWidget(m_eventDock, m_serviceMapDock);

    // Outcomes: did scale-outs help, did provisioning trouble hurt jobs, is recovery faster.
    m_outcomes = new OutcomesPanel(*m_view, this);
    connect(m_outcomes, &OutcomesPanel::settled, this, &MainWindow::checkSettled);
    connect(m_outcomes, &OutcomesPanel::impactRequested, this,
            [this](const QString &type, const QString &metric, const QString &labels) {
                m_impactDock->show();
                m_impactDock->raise();
                m_impact->measure(type, metric, labels);
            });
    connect(m_outcomes, &OutcomesPanel::serviceRequested, this, [this](const QString &service) {
        filterToService(service);
        m_incidentDock->show();
        m_incidentDock->raise();
    });
    m_outcomesDock = new QDockWidget(tr("Outcomes"), this);
    m_outcomesDock->setObjectName(QStringLiteral("OutcomesDock"));
    m_outcomesDock->setWidget(m_outcomes);
    addDockWidget(Qt::BottomDockWidgetArea, m_outcomesDock);
    m_outcomes->setActive(false); // until its tab is chosen
    connect(m_outcomesDock, &QDockWidget::visibilityChanged, m_outcomes, &OutcomesPanel::setActive);
    tabifyDockWidget(m_eventDock, m_outcomesDock);

    m_compareDock = new QDockWidget(tr("Compare"), this);
    m_compareDock->setObjectName(QStringLiteral("CompareDock"));
    m_compareDock->setWidget(m_compare);
    addDockWidget(Qt::BottomDockWidgetArea, m_compareDock);
    tabifyDockWidget(m_eventDock, m_compareDock);
    connect(m_view, &ViewState::compareRangeChanged, this, [this] {
        if (m_view->compareRange()) {
            m_compareDock->show();
            m_compareDock->raise();
        }
    });
    m_eventDock->raise();
}

void MainWindow::createActions()
{
    QToolBar *toolbar = addToolBar(tr("Navigation"));
    toolbar->setObjectName(QStringLiteral("NavigationToolbar"));
    toolbar->setMovable(false);
    const auto shortcutAction
        = [this](QMenu *menu, const QString &text, const QList<QKeySequence> &keys, auto &&slot) {
              QAction *action = menu->addAction(text);
              action->setShortcuts(keys);
              action->setShortcutContext(Qt::WindowShortcut);
              connect(action, &QAction::triggered, this, slot);
              m_shortcutActions << action;
              return action;
          };

    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *open = shortcutAction(file, tr("&Open Capture…"), {QKeySequence::Open},
                                   [this] { chooseCapture(); });
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    shortcutAction(file, tr("Connect to &Kafka…"), {QKeySequence(Qt::CTRL | Qt::Key_K)},
                   [this] { chooseConnection(); });
    shortcutAction(file, tr("&Save View"), {QKeySequence::Save}, [this] {
        if (Status status = saveViewIntoCapture(); !status)
            showError(tr("Cannot save the view"), QString::fromStdString(status.error()));
    });
    shortcutAction(file, tr("Save Capture &As…"), {}, [this] { chooseCopyFile(); });
    shortcutAction(file, tr("Capture &Properties…"), {QKeySequence(Qt::ALT | Qt::Key_Return)},
                   [this] { showCaptureProperties(); });
    file->addSeparator();
    shortcutAction(file, tr("&Import NDJSON…"), {QKeySequence(Qt::CTRL | Qt::Key_I)},
                   [this] { chooseImportFiles(); });
    shortcutAction(file, tr("E&xport Visible Range…"), {}, [this] { chooseExportFile(); });
    file->addSeparator();
    shortcutAction(file, tr("Export Incident &Report…"), {QKeySequence(Qt::CTRL | Qt::Key_E)},
                   [this] { chooseReportFile(); });
    shortcutAction(file, tr("&Copy Timeline Screenshot"),
                   {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C)},
                   [this] { copyTimelineScreenshot(); });
    shortcutAction(file, tr("&Save Timeline Screenshot…"),
                   {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S)},
                   [this] { chooseScreenshotFile(); });
    file->addSeparator();
    shortcutAction(file, tr("&Quit"), {QKeySequence::Quit}, [this] { close(); });

    QMenu *view = menuBar()->addMenu(tr("&View"));
    shortcutAction(view, tr("&Filter Events"), {QKeySequence::Find}, [this] {
        m_eventDock->show();
        m_eventDock->raise();
        m_filterText->setFocus();
        m_filterText->selectAll();
    });
    view->addSeparator();
    QAction *dark = view->addAction(tr("&Dark Theme"));
    QAction *light = view->addAction(tr("&Light Theme"));
    dark->setCheckable(true);
    light->setCheckable(true);
    auto *themes = new QActionGroup(this);
    themes->addAction(dark);
    themes->addAction(light);
    connect(dark, &QAction::triggered, this, [this] { setTheme(Theme::Kind::Dark); });
    connect(light, &QAction::triggered, this, [this] { setTheme(Theme::Kind::Light); });
    connect(view, &QMenu::aboutToShow, this, [this, dark, light] {
        dark->setChecked(m_theme.kind == Theme::Kind::Dark);
        light->setChecked(m_theme.kind == Theme::Kind::Light);
    });
    QAction *utc = view->addAction(tr("Times in &UTC"));
    utc->setCheckable(true);
    connect(utc, &QAction::toggled, this,
            [this](bool on) { m_view->setTimeZone(on ? TimeZoneMode::Utc : TimeZoneMode::Local); });
    connect(m_view, &ViewState::timeZoneChanged, utc,
            [utc](TimeZoneMode zone) { utc->setChecked(zone == TimeZoneMode::Utc); });
    utc->setChecked(m_view->timeZone() == TimeZoneMode::Utc);
    QAction *lanes = view->addAction(tr("Event Lanes per &Service"));
    lanes->setCheckable(true);
    m_lanesAction = lanes;
    connect(lanes, &QAction::toggled, this, [this](bool on) {
        m_timeline->setLaneMode(on ? LaneMode::Service : LaneMode::Category);
    });
    QAction *labels = shortcutAction(view, tr("Show &Labels on Markers"), {QKeySequence(Qt::Key_L)},
                                     [this](bool on) { m_timeline->setShowLabels(on); });
    labels->setCheckable(true);
    view->addSeparator();
    view->addAction(tr("Dead &Letters"), this, &MainWindow::showDeadLetters);
    view->addAction(tr("Alert &Deliveries…"), this, &MainWindow::showAlertDeliveries);
    view->addSeparator();
    view->addAction(m_eventDock->toggleViewAction());
    view->addAction(m_seriesDock->toggleViewAction());
    view->addAction(m_notesDock->toggleViewAction());
    view->addAction(m_rootCauseDock->toggleViewAction());
    view->addAction(m_incidentDock->toggleViewAction());
    view->addAction(m_logsDock->toggleViewAction());
    view->addAction(m_tracesDock->toggleViewAction());
    view->addAction(m_compareDock->toggleViewAction());
    view->addAction(m_impactDock->toggleViewAction());
    view->addAction(m_alertsDock->toggleViewAction());
    view->addAction(m_serviceMapDock->toggleViewAction());
    view->addAction(m_outcomesDock->toggleViewAction());

    QMenu *go = menuBar()->addMenu(tr("&Go"));
    m_backAction = shortcutAction(go, tr("&Back"), {QKeySequence(Qt::ALT | Qt::Key_Left)},
                                  [this] { m_view->goBack(); });
    m_forwardAction = shortcutAction(go, tr("&Forward"), {QKeySequence(Qt::ALT | Qt::Key_Right)},
                                     [this] { m_view->goForward(); });
    m_backAction->setEnabled(false);
    m_forwardAction->setEnabled(false);
    go->addSeparator();
    QAction *fit = shortcutAction(go, tr("&Fit All"), {QKeySequence(Qt::Key_F)},
                                  [this] { m_view->fitAll(); });
    QAction *zoomIn = shortcutAction(go, tr("Zoom &In"),
                                     {QKeySequence(Qt::Key_Plus), QKeySequence(Qt::Key_Equal)},
                                     [this] { m_view->zoomAroundCentre(0.5); });
    QAction *zoomOut = shortcutAction(go, tr("Zoom &Out"), {QKeySequence(Qt::Key_Minus)},
                                      [this] { m_view->zoomAroundCentre(2.0); });
    shortcutAction(go, tr("Pan &Left"), {QKeySequence(Qt::Key_Left)},
                   [this] { m_view->pan(-0.25); });
    shortcutAction(go, tr("Pan &Right"), {QKeySequence(Qt::Key_Right)},
                   [this] { m_view->pan(0.25); });
    QAction *live = shortcutAction(go, tr("&Live Follow"), {QKeySequence(Qt::Key_Space)},
                                   [this] { m_view->setFollowing(!m_view->isFollowing()); });
    go->addSeparator();
    QAction *nextIncident
        = shortcutAction(go, tr("Next &Incident"), {QKeySequence(Qt::ALT | Qt::Key_Down)},
                         [this] { stepIncident(1); });
    QAction *previousIncident
        = shortcutAction(go, tr("Previous I&ncident"), {QKeySequence(Qt::ALT | Qt::Key_Up)},
                         [this] { stepIncident(-1); });
    shortcutAction(go, tr("&Next Event of This Type"), {QKeySequence(Qt::Key_Period)},
                   [this] { stepEvent(1); });
    shortcutAction(go, tr("&Previous Event of This Type"), {QKeySequence(Qt::Key_Comma)},
                   [this] { stepEvent(-1); });
    shortcutAction(go, tr("&Clear Selection"), {QKeySequence(Qt::Key_Escape)},
                   [this] { m_view->clearSelection(); });
    go->addSeparator();
    shortcutAction(go, tr("Co&mpare Visible Range"), {QKeySequence(Qt::CTRL | Qt::Key_D)},
                   [this] { m_compare->compareVisibleRange(); });

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    shortcutAction(help, tr("&Keyboard Shortcuts"), {QKeySequence(Qt::Key_Question)},
                   [this] { showShortcuts(); });
    help->addAction(tr("&About EventScope"), this, &MainWindow::showAbout);

    // The arrow keys pan the timeline, but an item view or a text field with focus keeps them.
    for (QAction *action : m_shortcutActions) {
        const QKeySequence key = action->shortcut();
        if (key == QKeySequence(Qt::Key_Left) || key == QKeySequence(Qt::Key_Right)
            || key == QKeySequence(Qt::Key_Space) || key == QKeySequence(Qt::Key_Period)
            || key == QKeySequence(Qt::Key_Comma) || key == QKeySequence(Qt::Key_F)
            || key == QKeySequence(Qt::Key_L)) {
            action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
            m_timeline->addAction(action);
        }
    }

    toolbar->addAction(open);
    toolbar->addSeparator();
    toolbar->addAction(m_backAction);
    toolbar->addAction(m_forwardAction);
    toolbar->addAction(zoomIn);
    toolbar->addAction(zoomOut);
    toolbar->addAction(fit);
    toolbar->addAction(live);
    toolbar->addSeparator();
    toolbar->addAction(previousIncident);
    toolbar->addAction(nextIncident);
    for (QAction *action : toolbar->actions()) {
        if (!action->shortcut().isEmpty())
            action->setToolTip(action->text().remove(QLatin1Char('&')) + QStringLiteral(" (")
                               + action->shortcut().toString(QKeySequence::NativeText)
                               + QLatin1Char(')'));
    }
}

void MainWindow::setTheme(Theme::Kind kind)
{
    m_theme = Theme::forKind(kind);
    if (auto *application = qobject_cast<QApplication *>(QCoreApplication::instance()))
        m_theme.applyTo(*application);
    m_timeline->setTheme(m_theme);
    m_events->setSeverityColors(m_theme);
    m_rootCause->setTheme(m_theme);
    m_logs->setTheme(m_theme);
    m_traces->setTheme(m_theme);
    m_compare->setTheme(m_theme);
    m_impact->setTheme(m_theme);
    m_serviceMap->setTheme(m_theme);
    QSettings().setValue(QStringLiteral("view/theme"), Theme::kindName(kind));
}

Status MainWindow::openCapture(const std::string &path, bool live)
{
    auto fetcher = TimelineFetcher::open(path);
    if (!fetcher)
        return Status::failure(fetcher.error());
    if (!m_analysisPriority)
        m_analysisPriority = std::make_shared<AnalysisPriority>();
    auto analysis = IncidentAnalysisFetcher::open(path, m_analysisPriority);
    if (!analysis)
        return Status::failure(analysis.error());
    saveCaptureView();
    auto incidentList = IncidentListFetcher::open(path, m_analysisPriority);
    if (!incidentList)
        return Status::failure(incidentList.error());
    if (Status logs = m_logs->setCapture(path); !logs)
        return logs;
    if (Status traces = m_traces->setCapture(path); !traces)
        return traces;
    if (Status compare = m_compare->setCapture(path); !compare)
        return compare;
    if (Status impact = m_impact->setCapture(path); !impact)
        return impact;
    if (Status map = m_serviceMap->setCapture(path); !map)
        return map;
    if (Status outcomes = m_outcomes->setCapture(path, {0, 0}); !outcomes)
        return outcomes;
    if (Status alerts = m_alertsPanel->setCapture(path); !alerts)
        showError(tr("Alert rules not read"), QString::fromStdString(alerts.error()));
    m_impactTypes.clear();
    m_impactMetrics.clear();
    m_analysis = std::move(*analysis);
    m_incidentList = std::move(*incidentList);
    m_incidents->setList({});
    m_incidentDock->setWindowTitle(tr("Incidents"));
    connect(m_incidentList.get(), &IncidentListFetcher::progressed, this,
            [this](int analysed, int total) {
                m_incidentDock->setWindowTitle(
                    tr("Incidents (analysing %1 of %2 failures…)").arg(analysed).arg(total));
            });
    connect(m_incidentList.get(), &IncidentListFetcher::ready, this,
            [this](const IncidentList &list) {
                const QString selectedId = m_view->selectedEvent()
                    ? QString::fromStdString(m_view->selectedEvent()->sourceId)
                    : QString();
                m_outcomes->setAnalyses(list.analyses, list.complete);
                // Incidents are shaded to the recoveries the analysis found, also those no
                // recovery event announced.
                if (m_fetcher && !list.analyses.empty()) {
                    auto recoveries = std::make_shared<KnownRecoveries>();
                    for (const analysis::IncidentAnalysis &a : list.analyses)
                        recoveries->emplace(a.failure.sourceId, a.recoveryTime);
                    if (!m_knownRecoveries || *m_knownRecoveries != *recoveries) {
                        m_knownRecoveries = recoveries;
                        m_fetcher->setKnownRecoveries(std::move(recoveries));
                    }
                }
                {
                    const QSignalBlocker block(m_incidentTable->selectionModel());
                    m_incidents->setList(list);
                    const int row = m_incidents->rowOfFailure(selectedId.toStdString());
                    if (row >= 0)
                        m_incidentTable->selectRow(row);
                }
                m_incidentDock->setWindowTitle(
                    !list.error.isEmpty() ? tr("Incidents (not all analysed: %1)").arg(list.error)
                                          : tr("Incidents (%1)").arg(m_incidents->rowCount()));
            });
    connect(m_analysis.get(), &IncidentAnalysisFetcher::analysed, this, &MainWindow::onAnalysed);
    m_analysedFailure.clear();
    m_rootCause->clear();
    m_timeline->setFetcher(nullptr);
    m_fetcher = std::move(*fetcher);
    m_capturePath = path;
    m_knownRecoveries.reset();
    m_captureIdentity.clear();
    m_captureInfo = {};
    m_deliveriesFailed = 0;
    m_deliveriesPending = 0;
    m_notes->clear();
    m_live = live;
    m_firstRefresh = true;
    m_seriesChosen = false;
    m_refreshedOnce = false;
    m_timeline->clearCharts();
    m_view->clearSelection();
    m_view->setFollowing(false);
    m_view->setDataExtent({0, 0});
    m_events->setEvents(nullptr);
    m_timeline->setEvents(nullptr, nullptr);
    m_series->setSeries({});
    connect(m_fetcher.get(), &TimelineFetcher::refreshed, this, &MainWindow::onRefreshed);
    m_timeline->setFetcher(m_fetcher.get());
    m_fetcher->requestRefresh();
    setWindowTitle(tr("EventScope — %1").arg(QString::fromStdString(path)));
    m_statusLabel->setText(tr("Reading %1…").arg(QString::fromStdString(path)));
    if (!live)
        rememberRecent(QString::fromStdString(path));
    return {};
}

void MainWindow::captureCommitted()
{
    if (m_fetcher)
        m_fetcher->requestRefresh();
    if (m_analysis)
        m_analysis->captureGrew();
    m_logs->captureGrew();
    m_traces->captureGrew();
    m_alertsPanel->captureGrew();
    m_serviceMap->captureGrew();
}

void MainWindow::onSelectionChanged()
{
    // The panel follows the selected failure; selecting anything else (a cause from the
    // panel) keeps the incident it shows.
    const auto &selected = m_view->selectedEvent();
    if (!m_analysis || !selected || selected->category != EventCategory::Failure
        || selected->sourceId == m_analysedFailure)
        return;
    m_analysedFailure = selected->sourceId;
    m_rootCause->showAnalysing(*selected);
    // Analysed already by the Incidents list (a finished capture does not change): reused.
    // Live, the list analysed it once, maybe before its recovery came: analysed afresh.
    std::optional<analysis::IncidentAnalysis> known;
    if (!m_live) {
        for (const analysis::IncidentAnalysis &a : m_incidents->list().analyses) {
            if (a.failure.sourceId == selected->sourceId) {
                known = a;
                break;
            }
        }
    }
    m_analysis->request(selected->sourceId, std::move(known));
    // The incident it belongs to, marked in the list (without going there again).
    const int row = m_incidents->rowOfFailure(selected->sourceId);
    if (row >= 0 && m_incidentTable->currentIndex().row() != row) {
        const QSignalBlocker block(m_incidentTable->selectionModel());
        m_incidentTable->selectRow(row);
    }
}

void MainWindow::onAnalysed(const IncidentAnalysisResult &result)
{
    if (result.failureId == m_analysedFailure) {
        m_rootCause->showResult(result);
        const auto focus = result.analysis
            ? std::optional(incidentFocus(*result.analysis, m_view->timeZone()))
            : std::nullopt;
        m_logs->setIncidentFocus(focus);
        m_traces->setIncidentFocus(focus);
        if (std::exchange(m_chartIncident, false) && result.analysis)
            chartMovedMetrics(*result.analysis);
    }
    checkSettled();
}

const Event *MainWindow::findEvent(const std::string &sourceId) const
{
    const auto events = m_timeline->events();
    if (!events)
        return nullptr;
    const auto found = std::find_if(events->begin(), events->end(),
                                    [&](const Event &e) { return e.sourceId == sourceId; });
    return found == events->end() ? nullptr : &*found;
}

void MainWindow::activateCause(const QString &eventId)
{
    const Event *cause = findEvent(eventId.toStdString());
    if (!cause) {
        statusBar()->showMessage(tr("%1 is not among the capture's events").arg(eventId), 5000);
        return;
    }
    const Event chosen = *cause; // the list may be replaced by a live refresh
    selectEvent(chosen, true);
    // The metrics that moved on the cause's service (or entity), in one chart.
    const auto &result = m_rootCause->result();
    if (!result || !result->analysis)
        return;
    std::vector<SeriesInfo> moved;
    for (const analysis::MetricAnomaly &anomaly : result->analysis->anomalies) {
        if (anomaly.seriesId == 0 || moved.size() >= 4)
            continue;
        const bool related = (!chosen.service.empty() && anomaly.service == chosen.service)
            || (!chosen.entity.empty() && anomaly.entity == chosen.entity);
        if (!related)
            continue;
        if (const SeriesInfo *info = m_series->findById(anomaly.seriesId))
            moved.push_back(*info);
    }
    if (moved.empty())
        return;
    const auto sameSeries = [&moved](const std::vector<SeriesInfo> &charted) {
        return std::equal(charted.begin(), charted.end(), moved.begin(), moved.end(),
                          [](const SeriesInfo &a, const SeriesInfo &b) { return a.id == b.id; });
    };
    for (int i = 0; i < m_timeline->chartCount(); ++i) {
        if (sameSeries(m_timeline->chart(i)->series()))
            return; // already charted
    }
    m_timeline->addChart(std::move(moved));
}

void MainWindow::filterToService(const QString &service)
{
    m_filteredService = service;
    const int index = service.isEmpty() ? 0 : m_filterService->findText(service);
    if (index >= 0)
        m_filterService->setCurrentIndex(index); // applies the filter
    else
        statusBar()->showMessage(tr("No events of %1: its logs and traces are shown").arg(service),
                                 5000);
    m_logs->setService(service);
    m_traces->setService(service);
    m_serviceMap->setHighlighted(service);
}

void MainWindow::chartSeries(const QString &canonicalKey)
{
    const std::string key = canonicalKey.toStdString();
    const auto &known = m_series->series();
    const auto found = std::find_if(known.begin(), known.end(), [&](const SeriesInfo &info) {
        return info.key.canonical() == key;
    });
    if (found == known.end()) {
        statusBar()->showMessage(tr("%1 is not a stored series").arg(canonicalKey), 5000);
        return;
    }
    m_timeline->addChart({*found});
}

void MainWindow::stepIncident(int direction)
{
    const int count = m_incidents->rowCount();
    if (count == 0) {
        statusBar()->showMessage(m_incidentList && m_incidentList->isBusy()
                                     ? tr("The incidents are still being analysed")
                                     : tr("No incidents in this capture"),
                                 3000);
        return;
    }
    const auto &selected = m_view->selectedEvent();
    int row = selected ? m_incidents->rowOfFailure(selected->sourceId) : -1;
    if (row >= 0) {
        row += direction;
    } else {
        const TimeUs reference = selected
            ? selected->time
            : (m_view->visibleRange().begin + m_view->visibleRange().duration() / 2);
        row = m_incidents->rowAfter(reference, direction);
    }
    if (row < 0 || row >= count) {
        statusBar()->showMessage(
            direction > 0 ? tr("No later incident") : tr("No earlier incident"), 3000);
        return;
    }
    m_incidentTable->selectRow(row); // goes there
    m_incidentTable->scrollTo(m_incidents->index(row, 0));
}

void MainWindow::chartMovedMetrics(const analysis::IncidentAnalysis &analysis)
{
    std::vector<std::vector<SeriesInfo>> charts;
    std::map<std::string, std::size_t> byName;
    for (const analysis::MetricAnomaly &anomaly : analysis.anomalies) {
        const SeriesInfo *info
            = anomaly.seriesId != 0 ? m_series->findById(anomaly.seriesId) : nullptr;
        if (!info)
            continue;
        const auto found = byName.find(info->key.name);
        if (found != byName.end()) {
            if (charts[found->second].size() < 4)
                charts[found->second].push_back(*info);
        } else if (charts.size() < kOverviewCharts) {
            byName[info->key.name] = charts.size();
            charts.push_back({*info});
        }
    }
    if (charts.empty())
        return; // nothing stored moved: keep the charts there are
    m_timeline->clearCharts();
    for (auto &chart : charts)
        m_timeline->addChart(std::move(chart));
    m_seriesChosen = true;
}

Status MainWindow::showIncident(const std::string &failureId)
{
    const Event *found = findEvent(failureId);
    if (!found)
        return Status::failure(
            "no event with id '" + failureId + "' in "
            + (m_capturePath.empty() ? std::string("the window") : m_capturePath));
    if (found->category != EventCategory::Failure)
        return Status::failure("'" + failureId + "' is a " + found->type + " event, not a failure");
    const Event failure = *found;
    // The analysis window before it, and a quarter of it after.
    const TimeUs before = 30 * 60 * kMicrosPerSecond;
    m_view->setVisibleRange({failure.time - before, failure.time + before / 2});
    m_chartIncident = true;
    m_analysedFailure.clear(); // analyse again even if it is the one shown
    selectEvent(failure, false);
    if (m_analysedFailure != failure.sourceId) { // it was selected already: no change signal
        m_analysedFailure = failure.sourceId;
        m_rootCause->showAnalysing(failure);
        m_analysis->request(failure.sourceId);
    }
    m_rootCauseDock->show();
    m_rootCauseDock->raise();
    return {};
}

void MainWindow::offerImpactChoices(const CaptureSnapshot &snapshot)
{
    std::set<QString> types;
    std::set<QString> metrics;
    if (snapshot.events) {
        for (const Event &e : *snapshot.events)
            types.insert(QString::fromStdString(e.type));
    }
    for (const SeriesInfo &info : m_series->series())
        metrics.insert(QString::fromStdString(info.key.name));
    QStringList typeList(types.begin(), types.end());
    QStringList metricList(metrics.begin(), metrics.end());
    if (typeList == m_impactTypes && metricList == m_impactMetrics)
        return;
    m_impactTypes = typeList;
    m_impactMetrics = metricList;
    m_impact->setChoices(typeList, metricList);
    m_alertsPanel->setChoices(typeList, metricList);
}

void MainWindow::onRefreshed(const CaptureSnapshot &snapshot)
{
    if (!snapshot.error.isEmpty()) {
        // Keep what is shown; say why it is not newer.
        m_statusLabel->setText(
            tr("Cannot read %1: %2").arg(QString::fromStdString(m_capturePath), snapshot.error));
        return;
    }
    if (snapshot.series)
        m_series->setSeries(*snapshot.series);
    if (snapshot.series || snapshot.events)
        offerImpactChoices(snapshot);
    if (snapshot.events && m_incidentList)
        m_incidentList->refresh(m_live); // new failures (coalesced while one runs)
    if (!snapshot.events && snapshot.spans) // the analysis' recoveries, the same events
        m_timeline->setEvents(m_timeline->events(), snapshot.spans);
    if (snapshot.events) {
        m_events->setEvents(snapshot.events);
        m_timeline->setEvents(snapshot.events, snapshot.spans);
        std::set<std::string> services;
        for (const Event &e : *snapshot.events) {
            if (!e.service.empty())
                services.insert(e.service);
        }
        const QString current
            = m_filterService->currentIndex() > 0 ? m_filterService->currentText() : QString();
        if (static_cast<int>(services.size()) + 1 != m_filterService->count()) {
            QSignalBlocker block(m_filterService);
            m_filterService->clear();
            m_filterService->addItem(tr("All services"));
            for (const std::string &service : services)
                m_filterService->addItem(QString::fromStdString(service));
            m_filterService->setCurrentIndex(std::max(0, m_filterService->findText(current)));
            QStringList names;
            for (const std::string &service : services)
                names << QString::fromStdString(service);
            m_logs->setServices(names);
            m_traces->setServices(names);
        }
    }
    const TimeRange span = snapshot.info.span;
    if (m_firstRefresh) {
        m_firstRefresh = false;
        m_view->setDataExtent(span);
        m_captureIdentity = captureIdentity(snapshot.info);
        if (!snapshot.viewError.isEmpty())
            statusBar()->showMessage(
                tr("The view saved in the capture is not used: %1").arg(snapshot.viewError),
                10'000);
        const bool restored = !m_live && restoreCaptureView(snapshot.savedView);
        if (!restored) {
            m_view->setVisibleRange(span.isEmpty() ? TimeRange{0, kMicrosPerSecond} : span,
                                    ViewState::History::Skip);
            if (m_live)
                m_view->followAll(); // until the operator picks a range
        }
    } else {
        m_view->setDataExtent(span);
        if (m_live && !m_view->isFollowing())
            m_timeline->refreshData(); // new data may land in the range on screen
    }
    // Live, the ingest's own health series arrive a statistics interval before the first data:
    // the first charts wait for the data unless a capture has nothing else.
    const auto &known = m_series->series();
    const bool dataArrived = std::any_of(known.begin(), known.end(), [](const SeriesInfo &info) {
        return !isIngestHealthSeries(info.key);
    });
    if (!m_seriesChosen && !known.empty() && (dataArrived || !m_live)) {
        m_seriesChosen = true;
        if (m_timeline->chartCount() == 0)
            showChartsFor(m_series->series());
    }
    // New dead letters (live): the dock, when shown, reads them again (a few thousand rows).
    if (snapshot.info.deadLetters != m_captureInfo.deadLetters && m_deadLetters->isShown())
        m_deadLetters->load(m_capturePath);
    m_captureInfo = snapshot.info;
    m_outcomes->setExtent(snapshot.info.span);
    if (snapshot.deliveriesFailed > m_deliveriesFailed && !m_firstRefresh)
        statusBar()->showMessage(tr("An alert delivery failed: View ▸ Alert Deliveries"), 15'000);
    m_deliveriesFailed = snapshot.deliveriesFailed;
    m_deliveriesPending = snapshot.deliveriesPending;
    showStatus(snapshot.info);
    m_refreshedOnce = true;
    checkSettled();
}

void MainWindow::showChartsFor(const std::vector<SeriesInfo> &series)
{
    const auto events = m_timeline->events();
    // Golden signals of the service that failed last, grouped one metric per chart.
    const auto chosen = chooseOverviewSeries(series, *events, kOverviewSeries);
    std::vector<std::vector<SeriesInfo>> charts;
    std::map<std::string, std::size_t> byName;
    for (const SeriesInfo &info : chosen) {
        const auto found = byName.find(info.key.name);
        if (found != byName.end()) {
            charts[found->second].push_back(info);
        } else if (charts.size() < kOverviewCharts) {
            byName[info.key.name] = charts.size();
            charts.push_back({info});
        }
    }
    for (auto &chart : charts)
        m_timeline->addChart(std::move(chart));
}

void MainWindow::showStatus(const CaptureInfo &info)
{
    QString text
        = tr("%1 — %2 events, %3 series, %4 samples, %5 logs, %6 spans, %7 dead letters — %8")
              .arg(QFileInfo(QString::fromStdString(info.path)).fileName().toHtmlEscaped())
              .arg(info.events)
              .arg(info.series)
              .arg(info.samples)
              .arg(info.logs)
              .arg(info.spans)
              .arg(info.deadLetters)
              .arg(humanBytes(info.fileBytes));
    if (m_deliveriesFailed > 0 || m_deliveriesPending > 0) {
        const bool failed = m_deliveriesFailed > 0;
        text += QStringLiteral(" — <a href='alert-deliveries' style='color:%1'>%2</a>")
                    .arg(m_theme.severityColor(failed ? Severity::Error : Severity::Warning).name(),
                         failed
                             ? (m_deliveriesFailed == 1
                                    ? tr("1 alert delivery failed")
                                    : tr("%1 alert deliveries failed").arg(m_deliveriesFailed))
                             : (m_deliveriesPending == 1
                                    ? tr("1 alert delivery pending")
                                    : tr("%1 alert deliveries pending").arg(m_deliveriesPending)));
    }
    m_statusLabel->setText(text);
    m_statusLabel->setToolTip(QString::fromStdString(info.path));
    const int shown = m_eventFilter->rowCount();
    m_eventsLabel->setText(
        tr("%1 of %2 events match the filter").arg(shown).arg(m_events->rowCount()));
}

void MainWindow::applyFilter()
{
    EventFilter filter;
    filter.text = m_filterText->text().trimmed();
    filter.minSeverity = static_cast<Severity>(std::max(0, m_filterSeverity->currentIndex()));
    if (m_filterCategory->currentIndex() > 0)
        filter.categories = 1u << (m_filterCategory->currentIndex() - 1);
    if (m_filterService->currentIndex() > 0)
        filter.service = m_filterService->currentText();
    filter.entity = m_filterEntity->text().trimmed();
    m_eventFilter->setFilter(filter);
    m_timeline->setEventFilter(filter);
    m_eventsLabel->setText(tr("%1 of %2 events match the filter")
                               .arg(m_eventFilter->rowCount())
                               .arg(m_events->rowCount()));
}

void MainWindow::selectEvent(const Event &event, bool centre)
{
    m_view->setSelectedEvent(event);
    const TimeRange visible = m_view->visibleRange();
    if (centre && !visible.contains(event.time))
        m_view->centreOn(event.time);
}

void MainWindow::showSelectionInTable()
{
    const auto &selected = m_view->selectedEvent();
    QSignalBlocker block(m_eventTable->selectionModel());
    if (!selected) {
        m_eventTable->clearSelection();
        return;
    }
    const int row = m_events->rowOf(*selected);
    const QModelIndex index = m_eventFilter->mapFromSource(m_events->index(row, 0));
    if (!index.isValid())
        return;
    m_eventTable->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_eventTable->scrollTo(index);
}

void MainWindow::stepEvent(int direction)
{
    const auto &selected = m_view->selectedEvent();
    const auto events = m_timeline->events();
    if (!selected || !events || events->empty())
        return;
    const int row = m_events->rowOf(*selected);
    if (row < 0)
        return;
    const auto &filter = m_eventFilter->filter();
    for (int i = row + direction; i >= 0 && i < static_cast<int>(events->size()); i += direction) {
        const Event &candidate = (*events)[static_cast<std::size_t>(i)];
        if (candidate.type == selected->type && filter.matches(candidate)) {
            selectEvent(candidate, true);
            return;
        }
    }
    statusBar()->showMessage(tr("No %1 event of type %2")
                                 .arg(direction > 0 ? tr("later") : tr("earlier"),
                                      QString::fromStdString(selected->type)),
                             3000);
}

void MainWindow::setLiveStatus(const QString &text)
{
    m_liveLabel->setText(text);
    m_liveLabel->setVisible(!text.isEmpty());
}

void MainWindow::setLiveStats(const kafka::IngestStats &stats, const QString &error)
{
    std::int64_t lag = 0;
    bool lagKnown = false;
    for (const kafka::PartitionLag &partition : stats.lag) {
        if (partition.lag >= 0) {
            lag += partition.lag;
            lagKnown = true;
        }
    }
    const QColor good = m_theme.severityColor(Severity::Info);
    const QColor bad = m_theme.severityColor(Severity::Error);
    const QString broker
        = stats.brokerState.empty() ? tr("connecting") : QString::fromStdString(stats.brokerState);
    QString text = QStringLiteral("<span style='color:%1'>●</span> %2")
                       .arg((stats.brokersUp ? good : bad).name(), broker.toHtmlEscaped());
    text += tr(" · %1 msg/s").arg(stats.messagesPerSecond, 0, 'f', 0);
    text += lagKnown ? tr(" · lag %1").arg(lag) : tr(" · lag unknown");
    if (stats.deadLetters > 0)
        text += QStringLiteral(" · <a href='dead-letters' style='color:%1'>%2</a>")
                    .arg(m_theme.severityColor(Severity::Warning).name(),
                         stats.deadLetters == 1 ? tr("1 dead letter")
                                                : tr("%1 dead letters").arg(stats.deadLetters));
    if (stats.paused)
        text += tr(" · paused (the store is behind)");
    if (!error.isEmpty())
        text += QStringLiteral(" · <span style='color:%1'>%2</span>")
                    .arg(bad.name(), error.toHtmlEscaped());
    setLiveStatus(text);
}

void MainWindow::showDeadLetters()
{
    if (m_capturePath.empty()) {
        statusBar()->showMessage(tr("No capture open"), 3000);
        return;
    }
    m_deadLetters->setTimeZone(m_view->timeZone());
    m_deadLetters->load(m_capturePath);
    const bool wasHidden = m_deadLettersDock->isHidden();
    m_deadLettersDock->show();
    m_deadLettersDock->raise();
    // A hidden dock shown again rejoins its tab group once the layout has run: raise it then.
    if (wasHidden)
        QTimer::singleShot(0, m_deadLettersDock, &QDockWidget::raise);
}

void MainWindow::showAlertDeliveries()
{
    if (m_capturePath.empty()) {
        statusBar()->showMessage(tr("No capture open"), 3000);
        return;
    }
    AlertDeliveriesDialog dialog(m_capturePath, m_view->timeZone(), m_theme, this);
    dialog.exec();
}

void MainWindow::whenSettled(std::function<void()> ready)
{
    if (isSettled()) {
        ready();
        return;
    }
    m_settledCallbacks.push_back(std::move(ready));
}

bool MainWindow::isSettled() const
{
    return !m_fetcher
        || (m_refreshedOnce && !m_timeline->isFetching() && !(m_analysis && m_analysis->isBusy())
            && m_logs->isSettled() && m_traces->isSettled() && m_compare->isSettled()
            && m_impact->isSettled() && m_alertsPanel->isSettled() && m_serviceMap->isSettled()
            && m_outcomes->isSettled());
}

void MainWindow::checkSettled()
{
    // One at a time: a callback that changes the view (a range to show) makes the window
    // unsettled again, and the next waits for that to be painted.
    while (isSettled() && !m_settledCallbacks.empty()) {
        m_timeline->replotImmediately(); // charts replot lazily; a grab must see the data
        auto callback = std::move(m_settledCallbacks.front());
        m_settledCallbacks.erase(m_settledCallbacks.begin());
        callback();
    }
}

void MainWindow::chooseCapture()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open Capture"), {},
        tr("EventScope captures (*.capture *.db *.sqlite);;All files (*)"));
    if (path.isEmpty())
        return;
    if (Status status = openCapture(path.toStdString()); !status)
        QMessageBox::warning(this, tr("Cannot open capture"),
                             QString::fromStdString(status.error()));
}

void MainWindow::chooseReportFile()
{
    const auto &selected = m_view->selectedEvent();
    if (m_capturePath.empty() || !selected || selected->category != EventCategory::Failure) {
        showError(tr("No incident selected"),
                  tr("Select a failure event (in the lanes or the event table), then export its "
                     "report."));
        return;
    }
    QSettings settings;
    const QString folder
        = settings.value(QStringLiteral("reportFolder"), QDir::homePath()).toString();
    QString name = QString::fromStdString(selected->sourceId);
    name.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]")), QStringLiteral("_"));
    QString filter;
    QString path = QFileDialog::getSaveFileName(
        this, tr("Export Incident Report"),
        folder + QStringLiteral("/incident-") + name + QStringLiteral(".pdf"),
        tr("PDF document (*.pdf);;Web page, one file (*.html);;PNG picture (*.png)"), &filter);
    if (path.isEmpty())
        return;
    if (!reportFormatForPath(path)) // no extension typed: the chosen filter's
        path += filter.contains(QLatin1String("html")) ? QStringLiteral(".html")
            : filter.contains(QLatin1String("png"))    ? QStringLiteral(".png")
                                                       : QStringLiteral(".pdf");
    settings.setValue(QStringLiteral("reportFolder"), QFileInfo(path).absolutePath());
    if (Status status = exportIncidentReport(path); !status)
        showError(tr("Cannot export the report"), QString::fromStdString(status.error()));
}

Status MainWindow::exportIncidentReport(const QString &path)
{
    const auto &selected = m_view->selectedEvent();
    if (m_capturePath.empty() || !selected || selected->category != EventCategory::Failure)
        return Status::failure("select a failure event first");
    const auto format = reportFormatForPath(path);
    if (!format)
        return Status::failure(path.toStdString() + ": the name must end in .pdf, .html or .png");
    if (m_reportJob)
        return Status::failure("a report is still being written: "
                               + m_reportJob->output().path.toStdString());
    ReportOutput output;
    output.path = path;
    output.format = *format;
    // Paper is white; a picture or a page on screen follows the console.
    output.theme = *format == ReportFormat::Pdf ? Theme::Kind::Light : m_theme.kind;
    output.page = QLocale().measurementSystem() == QLocale::ImperialUSSystem ? QPageSize::Letter
                                                                             : QPageSize::A4;
    m_reportJob = std::make_unique<ReportJob>(
        m_capturePath, selected->sourceId, output, report::ReportOptions{},
        "EventScope " + QCoreApplication::applicationVersion().toStdString(), this);
    m_reportJob->setObjectName(QStringLiteral("reportJob"));
    m_reportJob->setNotes(m_notes->toPlainText().toStdString());
    connect(m_reportJob.get(), &ReportJob::finished, this, [this](const QString &error) {
        const QString written = m_reportJob->output().path;
        // Deleted once this signal has returned: the job is still on the stack.
        QMetaObject::invokeMethod(
            this, [this] { m_reportJob.reset(); }, Qt::QueuedConnection);
        QApplication::restoreOverrideCursor();
        if (error.isEmpty())
            statusBar()->showMessage(tr("Report written to %1").arg(written), 10'000);
        else
            showError(tr("Cannot export the report"), error);
        Q_EMIT reportFinished(written, error);
    });
    QApplication::setOverrideCursor(Qt::BusyCursor);
    statusBar()->showMessage(
        tr("Writing the report of %1…").arg(QString::fromStdString(selected->sourceId)));
    m_reportJob->start();
    return {};
}

void MainWindow::copyTimelineScreenshot()
{
    m_timeline->replotImmediately();
    QGuiApplication::clipboard()->setImage(m_timeline->grab().toImage());
    statusBar()->showMessage(tr("Timeline copied to the clipboard"), 3000);
}

void MainWindow::chooseScreenshotFile()
{
    QSettings settings;
    const QString folder
        = settings.value(QStringLiteral("reportFolder"), QDir::homePath()).toString();
    QString filter;
    QString path = QFileDialog::getSaveFileName(
        this, tr("Save Timeline Screenshot"), folder + QStringLiteral("/timeline.png"),
        tr("PNG picture (*.png);;SVG drawing (*.svg)"), &filter);
    if (path.isEmpty())
        return;
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix != QLatin1String("png") && suffix != QLatin1String("svg"))
        path += filter.contains(QLatin1String("svg")) ? QStringLiteral(".svg")
                                                      : QStringLiteral(".png");
    settings.setValue(QStringLiteral("reportFolder"), QFileInfo(path).absolutePath());
    if (Status status = saveTimelineScreenshot(path); !status)
        showError(tr("Cannot save the screenshot"), QString::fromStdString(status.error()));
}

Status MainWindow::saveTimelineScreenshot(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    m_timeline->replotImmediately();
    QSaveFile file(path);
    if (suffix != QLatin1String("png") && suffix != QLatin1String("svg"))
        return Status::failure(path.toStdString() + ": the name must end in .png or .svg");
    if (!file.open(QIODevice::WriteOnly))
        return Status::failure(path.toStdString() + ": " + file.errorString().toStdString());
    if (suffix == QLatin1String("png")) {
        if (!m_timeline->grab().save(&file, "PNG"))
            return Status::failure(path.toStdString() + ": cannot encode the PNG");
    } else {
        QSvgGenerator svg;
        svg.setOutputDevice(&file);
        svg.setSize(m_timeline->size());
        svg.setViewBox(QRect(QPoint(0, 0), m_timeline->size()));
        svg.setTitle(tr("EventScope timeline"));
        svg.setDescription(QStringLiteral("%1 to %2")
                               .arg(formatTime(m_view->visibleRange().begin, m_view->timeZone()),
                                    formatTime(m_view->visibleRange().end, m_view->timeZone())));
        QCPPainter painter;
        if (!painter.begin(&svg))
            return Status::failure(path.toStdString() + ": cannot draw the SVG");
        painter.setMode(QCPPainter::pmVectorized);
        painter.setMode(QCPPainter::pmNoCaching);
        m_timeline->drawCharts(painter);
        painter.end();
    }
    if (!file.commit())
        return Status::failure(path.toStdString() + ": " + file.errorString().toStdString());
    statusBar()->showMessage(tr("Timeline saved to %1").arg(path), 5000);
    return {};
}

void MainWindow::chooseConnection()
{
    ConnectionDialog dialog(m_connection, *m_secrets, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_connection = dialog.profile();
    Q_EMIT connectRequested(m_connection);
}

void MainWindow::notifyAlert(const Event &alert)
{
    const bool firing = alert.type == "alert.firing";
    const QString text = QString::fromStdString(alert.message);
    m_alertsPanel->captureGrew();
    statusBar()->showMessage((firing ? tr("Alert: %1") : tr("Resolved: %1")).arg(text), 30'000);
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return;
    if (!m_tray) {
        m_tray = new QSystemTrayIcon(windowIcon(), this);
        m_tray->setToolTip(tr("EventScope"));
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
            showNormal();
            raise();
            activateWindow();
        });
        m_tray->show();
    }
    m_tray->showMessage(firing ? tr("EventScope: alert firing") : tr("EventScope: alert resolved"),
                        text,
                        firing && alert.severity >= Severity::Error ? QSystemTrayIcon::Critical
                            : firing                                ? QSystemTrayIcon::Warning
                                                                    : QSystemTrayIcon::Information,
                        10'000);
}

void MainWindow::showError(const QString &title, const QString &text)
{
    statusBar()->showMessage(title + QStringLiteral(": ") + text, 10'000);
    if (QGuiApplication::platformName() != QLatin1String("offscreen"))
        QMessageBox::warning(this, title, text);
}

void MainWindow::rememberRecent(const QString &path)
{
    QSettings settings;
    QStringList recent = settings.value(QStringLiteral("recentCaptures")).toStringList();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    recent.removeAll(absolute);
    recent.prepend(absolute);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    settings.setValue(QStringLiteral("recentCaptures"), recent);
    updateRecentMenu();
}

void MainWindow::updateRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = QSettings().value(QStringLiteral("recentCaptures")).toStringList();
    for (const QString &path : recent) {
        m_recentMenu->addAction(path, this, [this, path] {
            if (Status status = openCapture(path.toStdString()); !status)
                QMessageBox::warning(this, tr("Cannot open capture"),
                                     QString::fromStdString(status.error()));
        });
    }
    m_recentMenu->setEnabled(!recent.isEmpty());
}

SavedView MainWindow::savedViewNow() const
{
    SavedView saved;
    saved.savedAt = QDateTime::currentDateTimeUtc().toMSecsSinceEpoch() * 1000;
    saved.savedBy = "EventScope " + QCoreApplication::applicationVersion().toStdString();
    saved.notes = m_notes->toPlainText().toStdString();
    saved.state = currentView().toJson().toStdString();
    return saved;
}

void MainWindow::saveCaptureView()
{
    if (m_capturePath.empty() || m_live || m_firstRefresh || m_captureIdentity.empty())
        return;
    const SavedView saved = savedViewNow();
    QSettings settings;
    settings.beginGroup(settingsKeyFor(m_captureIdentity));
    settings.setValue(QStringLiteral("path"), QString::fromStdString(m_capturePath));
    settings.setValue(QStringLiteral("savedAt"), QVariant::fromValue<qint64>(saved.savedAt));
    settings.setValue(QStringLiteral("view"), QString::fromStdString(saved.state));
    settings.setValue(QStringLiteral("notes"), QString::fromStdString(saved.notes));
    settings.endGroup();
}

bool MainWindow::restoreCaptureView(const std::optional<SavedView> &inCapture)
{
    struct Candidate
    {
        TimeUs savedAt = 0;
        QByteArray state;
        QString notes;
        QString from;
    };
    std::vector<Candidate> candidates;
    if (inCapture)
        candidates.push_back({inCapture->savedAt, QByteArray::fromStdString(inCapture->state),
                              QString::fromStdString(inCapture->notes),
                              tr("the view saved in the capture")});
    QSettings settings;
    settings.beginGroup(settingsKeyFor(m_captureIdentity));
    if (settings.contains(QStringLiteral("view")))
        candidates.push_back({settings.value(QStringLiteral("savedAt")).toLongLong(),
                              settings.value(QStringLiteral("view")).toString().toUtf8(),
                              settings.value(QStringLiteral("notes")).toString(),
                              tr("the last view of this capture")});
    settings.endGroup();
    // The newer wins: a colleague's capture opens where they left it, and the operator's own
    // later changes (kept in the settings on close) win over an older saved view.
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const Candidate &a, const Candidate &b) { return a.savedAt > b.savedAt; });
    QStringList problems;
    for (const Candidate &candidate : candidates) {
        QString error;
        const auto view = ConsoleView::fromJson(candidate.state, &error);
        if (!view) {
            problems << candidate.from + QStringLiteral(": ") + error;
            continue;
        }
        applyView(*view);
        m_notes->setPlainText(candidate.notes);
        m_notes->document()->setModified(false);
        return true;
    }
    if (!problems.isEmpty())
        statusBar()->showMessage(tr("Not restored: %1").arg(problems.join(QStringLiteral("; "))),
                                 10'000);
    return false;
}

ConsoleView MainWindow::currentView() const
{
    ConsoleView view;
    view.range = m_view->visibleRange();
    view.serviceLanes = m_timeline->laneMode() == LaneMode::Service;
    for (int i = 0; i < m_timeline->chartCount(); ++i) {
        ConsoleView::Chart chart;
        for (const SeriesInfo &info : m_timeline->chart(i)->series())
            chart.seriesKeys << QString::fromStdString(info.key.canonical());
        chart.categoryMask = m_timeline->chart(i)->categoryMask();
        view.charts.push_back(std::move(chart));
    }
    view.filter = m_eventFilter->filter();
    if (const auto &selected = m_view->selectedEvent()) {
        view.selectedEventId = QString::fromStdString(selected->sourceId);
        view.selectedEventTime = selected->time;
    }
    return view;
}

void MainWindow::applyView(const ConsoleView &view)
{
    m_view->setVisibleRange(view.range, ViewState::History::Skip);
    m_lanesAction->setChecked(view.serviceLanes);
    m_timeline->setLaneMode(view.serviceLanes ? LaneMode::Service : LaneMode::Category);

    // Series by their canonical key: ids differ between a capture and a re-import of it.
    std::map<std::string, const SeriesInfo *, std::less<>> byKey;
    for (const SeriesInfo &info : m_series->series())
        byKey.emplace(info.key.canonical(), &info);
    m_timeline->clearCharts();
    int missing = 0;
    for (const ConsoleView::Chart &chart : view.charts) {
        std::vector<SeriesInfo> series;
        for (const QString &key : chart.seriesKeys) {
            const auto found = byKey.find(key.toStdString());
            if (found != byKey.end())
                series.push_back(*found->second);
            else
                ++missing;
        }
        if (!series.empty())
            m_timeline->addChart(std::move(series), chart.categoryMask);
    }
    // An empty list of charts is a choice too (the operator closed them all).
    m_seriesChosen = true;

    {
        const QSignalBlocker blockText(m_filterText);
        const QSignalBlocker blockSeverity(m_filterSeverity);
        const QSignalBlocker blockCategory(m_filterCategory);
        const QSignalBlocker blockService(m_filterService);
        const QSignalBlocker blockEntity(m_filterEntity);
        m_filterText->setText(view.filter.text);
        m_filterEntity->setText(view.filter.entity);
        m_filterSeverity->setCurrentIndex(std::clamp(static_cast<int>(view.filter.minSeverity), 0,
                                                     m_filterSeverity->count() - 1));
        // The combo chooses one category or all; a view of several shows as all.
        const std::uint32_t categories = view.filter.categories;
        const bool single = categories != 0 && (categories & (categories - 1)) == 0;
        m_filterCategory->setCurrentIndex(single ? std::countr_zero(categories) + 1 : 0);
        m_filterService->setCurrentIndex(
            view.filter.service.isEmpty()
                ? 0
                : std::max(0, m_filterService->findText(view.filter.service)));
    }
    applyFilter();

    m_view->clearSelection();
    if (const auto events = m_timeline->events(); events && !view.selectedEventId.isEmpty()) {
        const std::string id = view.selectedEventId.toStdString();
        const Event *chosen = nullptr;
        for (const Event &event : *events) {
            if (event.sourceId != id)
                continue;
            chosen = &event;
            if (event.time == view.selectedEventTime)
                break; // ids repeat across producers at worst; the time settles it
        }
        if (chosen)
            selectEvent(*chosen, false);
    }
    if (missing > 0)
        statusBar()->showMessage(
            tr("%n series of the saved view are not in this capture", nullptr, missing), 10'000);
}

Status MainWindow::saveViewIntoCapture()
{
    if (m_capturePath.empty())
        return Status::failure("no capture is open");
    if (m_firstRefresh)
        return Status::failure("the capture is still being read; save the view once it shows");
    const SavedView saved = savedViewNow();
    if (Status status = saveView(m_capturePath, saved); !status)
        return status;
    m_notes->document()->setModified(false);
    saveCaptureView();
    statusBar()->showMessage(
        tr("View and notes saved into %1").arg(QString::fromStdString(m_capturePath)), 5000);
    return {};
}

Status MainWindow::saveCaptureCopy(const QString &path)
{
    if (m_capturePath.empty())
        return Status::failure("no capture is open");
    std::optional<SavedView> view;
    if (!m_firstRefresh)
        view = savedViewNow();
    return m_tasks->copyCapture(m_capturePath, path, std::move(view));
}

Status MainWindow::importNdjson(const QStringList &files, const QString &newCapture)
{
    if (files.isEmpty())
        return Status::failure("choose at least one NDJSON file to import");
    std::string target;
    if (!newCapture.isEmpty()) {
        target = newCapture.toStdString();
    } else if (m_capturePath.empty()) {
        return Status::failure("no capture is open: import into a new capture");
    } else if (m_live) {
        return Status::failure("the open capture is being written by the Kafka ingest: import "
                               "into a new capture, or stop the ingest first");
    } else {
        target = m_capturePath;
    }
    if (Status status = m_tasks->importFiles(files, target); !status)
        return status;
    m_importTarget = QString::fromStdString(target);
    return {};
}

Status MainWindow::exportVisibleRange(const QString &path)
{
    if (m_capturePath.empty())
        return Status::failure("no capture is open");
    return m_tasks->exportRange(m_capturePath, path, m_view->visibleRange());
}

void MainWindow::onTaskFinished(const QString &title, const QString &summary, const QString &error)
{
    if (error.isEmpty())
        statusBar()->showMessage(summary, 15'000);
    else
        showError(tr("%1 did not finish").arg(title),
                  summary.isEmpty() ? error : error + QStringLiteral("\n\n") + summary);
    if (const auto target = std::exchange(m_importTarget, std::nullopt)) {
        // What was read is committed, also after a cancel or a bad line: show it.
        if (target->toStdString() == m_capturePath) {
            captureCommitted();
        } else if (QFileInfo::exists(*target)) {
            if (Status status = openCapture(target->toStdString()); !status)
                showError(tr("Cannot open capture"), QString::fromStdString(status.error()));
        }
    }
    Q_EMIT taskFinished(title, summary, error);
}

QString MainWindow::capturePropertiesHtml() const
{
    if (m_capturePath.empty())
        return tr("<p>No capture is open.</p>");
    const CaptureInfo &info = m_captureInfo;
    const auto row = [](const QString &name, const QString &value) {
        return QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
            .arg(name.toHtmlEscaped(), value.toHtmlEscaped());
    };
    const auto meta = [&](const char *key) {
        const auto found = info.meta.find(key);
        return found == info.meta.end() ? tr("unknown") : QString::fromStdString(found->second);
    };
    const QLocale locale;
    const auto count = [&](std::int64_t n) { return locale.toString(static_cast<qlonglong>(n)); };
    QString html = QStringLiteral("<table cellpadding=3>");
    html += row(tr("File"), QFileInfo(QString::fromStdString(m_capturePath)).absoluteFilePath());
    html += row(tr("Size"), humanBytes(info.fileBytes));
    html += row(tr("Source"), meta("source"));
    html += row(tr("Identity"), QString::fromStdString(m_captureIdentity));
    html += row(tr("Created"), meta("created_at"));
    html += row(tr("Created by"), meta("created_by"));
    if (info.meta.count("copied_from"))
        html += row(tr("Copied from"), tr("%1 at %2").arg(meta("copied_from"), meta("copied_at")));
    html += row(tr("Schema version"), QString::number(info.schemaVersion));
    if (info.span.isEmpty()) {
        html += row(tr("Time span"), tr("no records"));
    } else {
        html += row(tr("From"),
                    formatTime(info.span.begin, TimeZoneMode::Utc) + QStringLiteral(" · ")
                        + formatTime(info.span.begin, TimeZoneMode::Local));
        html += row(tr("To"),
                    formatTime(info.span.end - 1, TimeZoneMode::Utc) + QStringLiteral(" · ")
                        + formatTime(info.span.end - 1, TimeZoneMode::Local));
    }
    html += row(tr("Events"), count(info.events));
    html += row(tr("Series"), count(info.series));
    html += row(tr("Samples"), count(info.samples));
    html += row(tr("Logs"), count(info.logs));
    html += row(tr("Spans"), count(info.spans));
    html += row(tr("Dead letters"), count(info.deadLetters));
    html += row(tr("Topology edges"), count(info.topologyEdges));
    // Which topics and how far: a short read of the capture's offsets table.
    if (auto reader = CaptureReader::open(m_capturePath)) {
        if (auto offsets = (*reader)->offsets(); offsets && !offsets->empty()) {
            std::map<std::string, QStringList> byTopic;
            for (const PartitionOffset &offset : *offsets)
                byTopic[offset.topic] << tr("%1 → %2").arg(offset.partition).arg(offset.nextOffset);
            QStringList topics;
            for (const auto &[topic, partitions] : byTopic)
                topics << QString::fromStdString(topic) + QStringLiteral(" (")
                        + partitions.join(QStringLiteral(", ")) + QLatin1Char(')');
            html += row(tr("Topics (partition → next offset)"), topics.join(QStringLiteral("; ")));
        }
    }
    html += QStringLiteral("</table>");
    return html;
}

void MainWindow::showCaptureProperties()
{
    if (m_capturePath.empty()) {
        statusBar()->showMessage(tr("No capture open"), 3000);
        return;
    }
    QMessageBox box(QMessageBox::NoIcon, tr("Capture Properties"), capturePropertiesHtml(),
                    QMessageBox::Close, this);
    box.setTextFormat(Qt::RichText);
    box.setTextInteractionFlags(Qt::TextSelectableByMouse);
    box.exec();
}

void MainWindow::chooseCopyFile()
{
    if (m_capturePath.empty()) {
        showError(tr("Cannot save a copy"), tr("No capture is open."));
        return;
    }
    const QFileInfo current(QString::fromStdString(m_capturePath));
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save Capture As"),
        current.absolutePath() + QLatin1Char('/') + current.completeBaseName()
            + QStringLiteral("-copy.capture"),
        tr("EventScope captures (*.capture *.db *.sqlite);;All files (*)"));
    if (path.isEmpty())
        return;
    if (Status status = saveCaptureCopy(path); !status)
        showError(tr("Cannot save a copy"), QString::fromStdString(status.error()));
}

void MainWindow::chooseImportFiles()
{
    QSettings settings;
    const QString folder
        = settings.value(QStringLiteral("importFolder"), QDir::homePath()).toString();
    const QStringList files = QFileDialog::getOpenFileNames(
        this, tr("Import NDJSON"), folder,
        tr("NDJSON files (*.ndjson *.jsonl *.json);;All files (*)"));
    if (files.isEmpty())
        return;
    settings.setValue(QStringLiteral("importFolder"), QFileInfo(files.first()).absolutePath());
    QString newCapture;
    if (m_capturePath.empty() || m_live) {
        newCapture = QFileDialog::getSaveFileName(
            this, tr("Import Into a New Capture"),
            QFileInfo(files.first()).absolutePath() + QLatin1Char('/')
                + QFileInfo(files.first()).completeBaseName() + QStringLiteral(".capture"),
            tr("EventScope captures (*.capture *.db *.sqlite)"));
        if (newCapture.isEmpty())
            return;
    } else {
        QMessageBox ask(QMessageBox::Question, tr("Import NDJSON"),
                        tr("Import %n file(s) into the open capture, or into a new one?", nullptr,
                           int(files.size())),
                        QMessageBox::Cancel, this);
        QPushButton *intoOpen = ask.addButton(tr("Into the Open Capture"), QMessageBox::AcceptRole);
        QPushButton *intoNew = ask.addButton(tr("Into a New Capture…"), QMessageBox::ActionRole);
        ask.setDefaultButton(intoOpen);
        ask.exec();
        if (ask.clickedButton() == intoNew) {
            newCapture = QFileDialog::getSaveFileName(
                this, tr("Import Into a New Capture"), QFileInfo(files.first()).absolutePath(),
                tr("EventScope captures (*.capture *.db *.sqlite)"));
            if (newCapture.isEmpty())
                return;
        } else if (ask.clickedButton() != intoOpen) {
            return;
        }
    }
    if (Status status = importNdjson(files, newCapture); !status)
        showError(tr("Cannot import"), QString::fromStdString(status.error()));
}

void MainWindow::chooseExportFile()
{
    if (m_capturePath.empty()) {
        showError(tr("Cannot export"), tr("No capture is open."));
        return;
    }
    QSettings settings;
    const QString folder
        = settings.value(QStringLiteral("reportFolder"), QDir::homePath()).toString();
    QString filter;
    QString path = QFileDialog::getSaveFileName(this, tr("Export Visible Range"),
                                                folder + QStringLiteral("/export.ndjson"),
                                                tr("NDJSON (*.ndjson);;CSV (*.csv)"), &filter);
    if (path.isEmpty())
        return;
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix != QLatin1String("ndjson") && suffix != QLatin1String("csv")
        && suffix != QLatin1String("jsonl"))
        path += filter.contains(QLatin1String("csv")) ? QStringLiteral(".csv")
                                                      : QStringLiteral(".ndjson");
    settings.setValue(QStringLiteral("reportFolder"), QFileInfo(path).absolutePath());
    if (Status status = exportVisibleRange(path); !status)
        showError(tr("Cannot export"), QString::fromStdString(status.error()));
}

QString MainWindow::shortcutsText() const
{
    QString text;
    for (const QAction *action : m_shortcutActions) {
        QStringList keys;
        for (const QKeySequence &key : action->shortcuts())
            keys << key.toString(QKeySequence::NativeText);
        text += QStringLiteral("%1\t%2\n")
                    .arg(keys.join(QStringLiteral(", ")), action->text().remove(QLatin1Char('&')));
    }
    text += tr("Wheel\tZoom around the cursor\nShift+Wheel\tPan\nDrag\tZoom to the dragged range\n"
               "Shift+Drag\tCompare the dragged range with its baseline\n"
               "Ctrl+Drag, middle drag\tPan\nClick a marker\tSelect the event\nRight click\tChart "
               "and lane options\n");
    return text;
}

void MainWindow::showShortcuts()
{
    QString html = QStringLiteral("<table cellpadding=3>");
    for (const QString &line : shortcutsText().split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        const QStringList parts = line.split(QLatin1Char('\t'));
        html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
                    .arg(parts.value(0).toHtmlEscaped(), parts.value(1).toHtmlEscaped());
    }
    html += QStringLiteral("</table>");
    QMessageBox box(QMessageBox::NoIcon, tr("Keyboard Shortcuts"), html, QMessageBox::Close, this);
    box.setTextFormat(Qt::RichText);
    box.exec();
}

void MainWindow::showAbout()
{
    QString libraries;
    auto linked = coreLibraries();
    linked.push_back({"QCustomPlot", "2.1", "GPL-3.0"});
    for (const LinkedLibrary &library : linked)
        libraries += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td></tr>")
                         .arg(QString::fromStdString(library.name).toHtmlEscaped(),
                              QString::fromStdString(library.version).toHtmlEscaped(),
                              QString::fromStdString(library.licence).toHtmlEscaped());
    QMessageBox::about(
        this, tr("About EventScope"),
        tr("<h3>EventScope %1</h3><p>Desktop observability console: Kafka events, "
           "metrics, logs and traces.</p><p>Built with:</p><table cellpadding=2>%2</table>")
            .arg(QCoreApplication::applicationVersion().toHtmlEscaped(), libraries));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveCaptureView();
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("view/timeZone"),
                      m_view->timeZone() == TimeZoneMode::Local ? QStringLiteral("local")
                                                                : QStringLiteral("utc"));
    QMainWindow::closeEvent(event);
}

} // namespace eventscope::ui
