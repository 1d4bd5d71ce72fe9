#pragma once

#include "incidentfocus.h"
#include "logfetcher.h"
#include "theme.h"

#include <QTimer>
#include <QWidget>

#include <memory>
#include <optional>
#include <string>
#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace eventscope::ui {

class LogTableModel;
class ViewState;

// The log records of the visible range: level colours, search, level and service filters, and
// an incident's focus. Linked to time both ways: choosing a line puts the crosshair at its
// time, and moving the crosshair scrolls the logs to that moment. Rows stream in from a
// LogFetcher as it reads; the table is virtual (a row costs 32 bytes and only visible rows
// are drawn). Lives on the GUI thread.
class LogsPanel : public QWidget
{
    Q_OBJECT

public:
    LogsPanel(ViewState &view, QWidget *parent = nullptr);
    ~LogsPanel() override;

    // The capture to read (opened again on its own worker); empty closes.
    Status setCapture(const std::string &path);
    // The capture grew (live): read again if the visible range reaches the new data.
    void captureGrew();
    void setTheme(const Theme &theme);
    void setServices(const QStringList &services);
    // Only this service's records (a suspect was chosen); empty: any.
    void setService(const QString &service);
    // The service the panel is filtered to; empty for all.
    QString service() const;
    // The selected incident's focus, applied while "this incident only" is on (it is turned on
    // by a new focus); nullopt when no incident is selected.
    void setIncidentFocus(std::optional<IncidentFocus> focus);
    void setSearchText(const QString &text);
    void setMinimumLevel(Severity level);

    LogTableModel &model() const { return *m_model; }
    QTableView &table() const { return *m_table; }
    QString statusText() const;
    // No read is waiting or running.
    bool isSettled() const;
    // Whether the operator can see the panel (its dock is shown and its tab current). An
    // inactive panel reads nothing, so it does not compete with the visible ones for the
    // cores; it reads when it becomes active.
    void setActive(bool active);
    // Reads again now (not after the usual short delay).
    void refreshNow();

Q_SIGNALS:
    // A read finished (tests and --screenshot wait for it).
    void settled();

private:
    void scheduleRefresh();
    void onBatch(quint64 generation, std::shared_ptr<const LogRows> rows);
    void onFinished(const LogFetchSummary &summary);
    void followCursor();
    void updateStatus();

    ViewState &m_view;
    std::unique_ptr<LogFetcher> m_fetcher;
    LogTableModel *m_model;
    QLineEdit *m_search;
    QComboBox *m_level;
    QComboBox *m_service;
    QCheckBox *m_focusOnly;
    QLabel *m_status;
    QTableView *m_table;
    QTimer m_refresh;
    bool m_active = true;
    bool m_stale = false; // a read was skipped while inactive
    std::optional<IncidentFocus> m_focus;
    quint64 m_generation = 0; // the request whose rows the model shows
    LogFetchSummary m_summary; // of the last read that finished
    bool m_waiting = false; // a request is scheduled or running
    bool m_stickToEnd = false; // the last read was scrolled to its end: stay there
    std::optional<TimeUs> m_keepTop; // else the time of the top row, to scroll back to
    bool m_scrollingToCursor = false;
    TimeRange m_readRange{0, 0};
};

} // namespace eventscope::ui
