#pragma once

#include "incidentfocus.h"
#include "theme.h"
#include "tracefetcher.h"

#include <QTimer>
#include <QWidget>

#include <memory>
#include <optional>
#include <string>

class QCheckBox;
class QComboBox;
class QLabel;
class QTableView;
class QTextBrowser;

namespace eventscope::ui {

class TraceListModel;
class TraceWaterfall;
class ViewState;

// The traces of the visible range, failing ones first; the chosen one as a waterfall with its
// critical path, and the chosen span's details and logs. Filters: failing traces only, one
// service, the selected incident's services. Choosing a span puts the crosshair at its start.
// Reads on its own worker (TraceFetcher). Lives on the GUI thread.
class TracesPanel : public QWidget
{
    Q_OBJECT

public:
    TracesPanel(ViewState &view, QWidget *parent = nullptr);
    ~TracesPanel() override;

    Status setCapture(const std::string &path);
    void captureGrew();
    void setTheme(const Theme &theme);
    void setServices(const QStringList &services);
    void setService(const QString &service);
    // The service the panel is filtered to; empty for all.
    QString service() const;
    void setIncidentFocus(std::optional<IncidentFocus> focus);
    void setErrorsOnly(bool on);
    // Opens a trace of the list (as choosing its row does).
    void showTrace(int row);

    TraceListModel &model() const { return *m_model; }
    QTableView &table() const { return *m_table; }
    TraceWaterfall &waterfall() const { return *m_waterfall; }
    QString detailsText() const;
    QString statusText() const;
    bool isSettled() const;
    // Whether the operator can see the panel (its dock is shown and its tab current). An
    // inactive panel reads nothing, so it does not compete with the visible ones for the
    // cores; it reads when it becomes active.
    void setActive(bool active);
    void refreshNow();

Q_SIGNALS:
    void settled();

private:
    void scheduleRefresh();
    void onList(const TraceListResult &result);
    void onTrace(const TraceDetail &detail);
    void showSpan(int row);
    void updateStatus();

    ViewState &m_view;
    std::unique_ptr<TraceFetcher> m_fetcher;
    TraceListModel *m_model;
    QCheckBox *m_errorsOnly;
    QComboBox *m_service;
    QCheckBox *m_focusOnly;
    QLabel *m_status;
    QTableView *m_table;
    TraceWaterfall *m_waterfall;
    QTextBrowser *m_details;
    QTimer m_refresh;
    bool m_active = true;
    bool m_stale = false; // a read was skipped while inactive
    std::optional<IncidentFocus> m_focus;
    quint64 m_listGeneration = 0;
    quint64 m_traceGeneration = 0;
    bool m_listWaiting = false;
    bool m_traceWaiting = false;
    TraceListResult m_list; // the last list shown (without its traces)
    TraceDetail m_trace; // the trace shown
    std::string m_chosenTrace;
    TimeRange m_readRange{0, 0};
};

} // namespace eventscope::ui
