#pragma once

#include "connection/connectionprofile.h"
#include "consoleview.h"
#include "model/series.h"
#include "store/queries.h"
#include "store/savedview.h"
#include "theme.h"
#include "timeline/eventcolumns.h"
#include "util/result.h"

#include <QMainWindow>

#include <functional>
#include <memory>
#include <optional>
#include <string>

class QAction;
class QDockWidget;
class QLabel;
class QLineEdit;
class QComboBox;
class QPlainTextEdit;
class QTableView;
class QSystemTrayIcon;
class QTreeView;

namespace eventscope {
namespace analysis {
struct IncidentAnalysis;
}
namespace kafka {
struct IngestStats;
}
} // namespace eventscope

namespace eventscope::ui {

class CaptureTasks;
class IncidentAnalysisFetcher;
class IncidentListFetcher;
class IncidentListModel;
class ComparePanel;
class DeadLettersPanel;
class ImpactPanel;
class AlertsPanel;
class ServiceMapPanel;
class AnalysisPriority;
class OutcomesPanel;
class LogsPanel;
class TracesPanel;
class RootCausePanel;
struct IncidentAnalysisResult;
class EventFilterProxyModel;
class EventTableModel;
class SecretStore;
class SeriesFilterProxyModel;
class SeriesTreeModel;
class TimeRangeBar;
class TimelineFetcher;
class ReportJob;
class TimelineView;
class ViewState;
struct CaptureSnapshot;

// The console window: layout and wiring only. The timeline in the centre with the time range
// bar above it, the event table and the series tree in docks, menus, toolbar, shortcuts and
// the status bar. State lives in ViewState and the models; data comes from TimelineFetcher.
// Window layout, theme, time zone, recent captures and each capture's last view are kept in
// QSettings (never in the capture). Lives on the GUI thread.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Opens a capture. On failure the window keeps what it showed before. `live`: the capture
    // is being written (follow it, do not restore an old range).
    Status openCapture(const std::string &path, bool live = false);
    // The capture was committed to (coalesced by the caller): read what is new.
    void captureCommitted();
    // A second status line for a live source: rates, lag, broker state.
    void setLiveStatus(const QString &text);
    // The same from the ingest's statistics; `error` is the last ingest or write error.
    void setLiveStats(const kafka::IngestStats &stats, const QString &error);
    // The capture's dead letters in their dock, read afresh (the status bar link, View menu).
    void showDeadLetters();
    // The capture's alert deliveries in a dialog (from the status bar link or View menu).
    void showAlertDeliveries();
    // Goes to the failure event with this id: selects it, shows the time around it and its
    // root-cause analysis. What --incident does once the capture is read.
    Status showIncident(const std::string &failureId);
    RootCausePanel &rootCausePanel() const { return *m_rootCause; }
    LogsPanel &logsPanel() const { return *m_logs; }
    TracesPanel &tracesPanel() const { return *m_traces; }
    ComparePanel &comparePanel() const { return *m_compare; }
    DeadLettersPanel &deadLettersPanel() const { return *m_deadLetters; }
    ImpactPanel &impactPanel() const { return *m_impact; }
    AlertsPanel &alertsPanel() const { return *m_alertsPanel; }
    ServiceMapPanel &serviceMapPanel() const { return *m_serviceMap; }
    OutcomesPanel &outcomesPanel() const { return *m_outcomes; }
    IncidentListModel &incidentModel() const { return *m_incidents; }
    QTableView &incidentTable() const { return *m_incidentTable; }
    // Go > Next / Previous Incident (Alt+Down / Alt+Up): from the selected failure's incident,
    // or from the middle of the visible range.
    void stepIncident(int direction);
    // Writes the incident report of the selected failure to `path` (.pdf, .html or .png) in
    // the background; reportFinished tells how it went. What Ctrl+E does after its file dialog.
    Status exportIncidentReport(const QString &path);
    // The timeline as it is on screen: to the clipboard, or to a PNG (pixels) or SVG (shapes
    // and text) file, by the extension.
    void copyTimelineScreenshot();
    Status saveTimelineScreenshot(const QString &path);
    void setTheme(Theme::Kind kind);
    Theme::Kind themeKind() const { return m_theme.kind; }

    // Where the console is on the open capture, and going there (a saved view).
    ConsoleView currentView() const;
    void applyView(const ConsoleView &view);
    // File > Save View: the view and the operator's notes into the open capture, the one
    // write the console makes to a capture it reviews.
    Status saveViewIntoCapture();
    // File > Save Capture As: a copy of the open capture as it is now (while live ingest
    // goes on), carrying the view and notes. Starts it; taskFinished says how it went.
    Status saveCaptureCopy(const QString &path);
    // File > Import NDJSON: into the open capture (not a live one), or into `newCapture`,
    // which is then opened. Starts it; taskFinished says how it went.
    Status importNdjson(const QStringList &files, const QString &newCapture = {});
    // File > Export Visible Range: the records in the visible range as NDJSON or CSV (by the
    // extension). Starts it; taskFinished says how it went.
    Status exportVisibleRange(const QString &path);
    CaptureTasks &captureTasks() const { return *m_tasks; }
    // File > Capture Properties: what the capture is and holds.
    QString capturePropertiesHtml() const;
    QPlainTextEdit &notesEdit() const { return *m_notes; }
    ViewState &viewState() const { return *m_view; }
    TimelineView &timeline() const { return *m_timeline; }
    EventTableModel &eventModel() const { return *m_events; }
    EventFilterProxyModel &eventFilterModel() const { return *m_eventFilter; }
    QTableView &eventTable() const { return *m_eventTable; }
    SeriesTreeModel &seriesModel() const { return *m_series; }
    TimeRangeBar &timeRangeBar() const { return *m_rangeBar; }
    // Calls `ready` once the capture's data is read and the timeline has painted it.
    void whenSettled(std::function<void()> ready);
    bool isSettled() const;
    // The text of the "every key" dialog.
    QString shortcutsText() const;
    // The connection File > Connect to Kafka starts from (the current or last one).
    void setConnectionProfile(const ConnectionProfile &profile) { m_connection = profile; }
    const ConnectionProfile &connectionProfile() const { return m_connection; }
    // Opens the connection dialog; connectRequested when the operator connects.
    void chooseConnection();
    // An alert fired or resolved on the live capture: a desktop notification where the desktop
    // has a tray, and a status bar message in any case.
    void notifyAlert(const Event &alert);
    // A problem the operator must see: a dialog, unless the window renders for a screenshot.
    void showError(const QString &title, const QString &text);

Q_SIGNALS:
    // The operator asked to consume from this cluster (File > Connect to Kafka).
    void connectRequested(const eventscope::ui::ConnectionProfile &profile);
    // An incident report was written to `path`, or not (`error` says why).
    void reportFinished(const QString &path, const QString &error);
    // A capture task (copy, import, export) ended; `error` is empty when it succeeded.
    void taskFinished(const QString &title, const QString &summary, const QString &error);
    // The operator's alert rules changed (Alerts dock) and were saved into the settings: a
    // live session restarts its alerting with them.
    void alertRulesSaved();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void createDocks();
    void chooseCapture();
    void chooseReportFile();
    void chooseScreenshotFile();
    void onRefreshed(const CaptureSnapshot &snapshot);
    // The event types and metric names the Impact panel offers.
    void offerImpactChoices(const CaptureSnapshot &snapshot);
    void onSelectionChanged();
    void onAnalysed(const IncidentAnalysisResult &result);
    // The event with this source id in the capture's events, if it is there.
    const Event *findEvent(const std::string &sourceId) const;
    // The root-cause panel's links.
    void activateCause(const QString &eventId);
    void filterToService(const QString &service);
    void chartSeries(const QString &canonicalKey);
    // The incident's moved metrics in place of the charts: one chart per metric name.
    void chartMovedMetrics(const analysis::IncidentAnalysis &analysis);
    void applyFilter();
    void selectEvent(const Event &event, bool centre);
    void showSelectionInTable();
    void stepEvent(int direction);
    void showStatus(const CaptureInfo &info);
    void showChartsFor(const std::vector<SeriesInfo> &series);
    void chooseCopyFile();
    void chooseImportFiles();
    void chooseExportFile();
    void showCaptureProperties();
    void onTaskFinished(const QString &title, const QString &summary, const QString &error);
    // The last view of each capture, kept in the settings by the capture's identity.
    void saveCaptureView();
    // The newer of the capture's saved view and the settings' last view; false if neither.
    bool restoreCaptureView(const std::optional<SavedView> &inCapture);
    // The view and notes as File > Save View writes them, stamped now.
    SavedView savedViewNow() const;
    void rememberRecent(const QString &path);
    void updateRecentMenu();
    void showShortcuts();
    void showAbout();
    void checkSettled();

    Theme m_theme;
    ViewState *m_view;
    TimelineView *m_timeline;
    TimeRangeBar *m_rangeBar;
    EventTableModel *m_events;
    EventFilterProxyModel *m_eventFilter;
    QTableView *m_eventTable;
    SeriesTreeModel *m_series;
    SeriesFilterProxyModel *m_seriesFilter;
    QTreeView *m_seriesTree;
    QDockWidget *m_eventDock = nullptr;
    QDockWidget *m_seriesDock = nullptr;
    QDockWidget *m_notesDock = nullptr;
    QDockWidget *m_rootCauseDock = nullptr;
    QDockWidget *m_incidentDock = nullptr;
    QDockWidget *m_logsDock = nullptr;
    LogsPanel *m_logs = nullptr;
    QDockWidget *m_tracesDock = nullptr;
    TracesPanel *m_traces = nullptr;
    QDockWidget *m_compareDock = nullptr;
    ComparePanel *m_compare = nullptr;
    QDockWidget *m_deadLettersDock = nullptr;
    DeadLettersPanel *m_deadLetters = nullptr;
    QDockWidget *m_impactDock = nullptr;
    ImpactPanel *m_impact = nullptr;
    QDockWidget *m_alertsDock = nullptr;
    AlertsPanel *m_alertsPanel = nullptr;
    QDockWidget *m_serviceMapDock = nullptr;
    QString m_filteredService; // by a suspect or service map link; empty: none
    // The Root Cause panel's analysis before the Incidents list's (shared by their workers).
    std::shared_ptr<AnalysisPriority> m_analysisPriority;
    // The recoveries last given to the timeline (sent again only when they change).
    std::shared_ptr<const KnownRecoveries> m_knownRecoveries;
    ServiceMapPanel *m_serviceMap = nullptr;
    QDockWidget *m_outcomesDock = nullptr;
    OutcomesPanel *m_outcomes = nullptr;
    QStringList m_impactTypes; // what the Impact panel offers
    QStringList m_impactMetrics;
    IncidentListModel *m_incidents = nullptr;
    QTableView *m_incidentTable = nullptr;
    RootCausePanel *m_rootCause = nullptr;
    QPlainTextEdit *m_notes = nullptr;
    QLineEdit *m_filterText = nullptr;
    QLineEdit *m_filterEntity = nullptr;
    QComboBox *m_filterSeverity = nullptr;
    QComboBox *m_filterCategory = nullptr;
    QComboBox *m_filterService = nullptr;
    QLabel *m_statusLabel;
    QLabel *m_eventsLabel;
    QLabel *m_liveLabel;
    QMenu *m_recentMenu = nullptr;
    QAction *m_backAction = nullptr;
    QAction *m_forwardAction = nullptr;
    QAction *m_lanesAction = nullptr;
    QList<QAction *> m_shortcutActions;
    QSystemTrayIcon *m_tray = nullptr; // created at the first alert, where there is a tray
    std::unique_ptr<TimelineFetcher> m_fetcher;
    std::unique_ptr<ReportJob> m_reportJob;
    std::unique_ptr<IncidentAnalysisFetcher> m_analysis;
    std::unique_ptr<IncidentListFetcher> m_incidentList;
    std::string m_analysedFailure; // the failure the root-cause panel shows or waits for
    bool m_chartIncident = false; // showIncident: chart what moved once the analysis is in
    CaptureTasks *m_tasks;
    SecretStore *m_secrets;
    ConnectionProfile m_connection;
    std::string m_capturePath;
    std::string m_captureIdentity; // known from the first refresh
    CaptureInfo m_captureInfo; // as of the last refresh
    int m_deliveriesFailed = 0; // as of the last refresh
    int m_deliveriesPending = 0;
    // The running import's capture, opened when it finishes if it is not the open one.
    std::optional<QString> m_importTarget;
    bool m_live = false;
    bool m_firstRefresh = true;
    bool m_seriesChosen = false;
    std::vector<std::function<void()>> m_settledCallbacks;
    bool m_refreshedOnce = false;
};

} // namespace eventscope::ui
