#pragma once

#include "captureworker.h"
#include "timedisplay.h"

#include "analysis/outcomes.h"

#include <QWidget>

#include <atomic>
#include <memory>
#include <optional>

class QComboBox;
class QLabel;
class QTreeWidget;
class QTreeWidgetItem;

namespace eventscope::ui {

class ViewState;

// Outcomes: the three questions on one page, for the whole capture or the visible range.
// Did scale-outs reduce latency, did provisioning trouble slow jobs down (each an Impact
// measurement per event type and service, opened in the Impact view by a double-click), and is
// recovery getting faster (time to recover per service and failure type, per period, first half
// against second; a double-click filters the console to that service). "Not significant"
// always says why. Measured on its own worker, only while shown.
class OutcomesPanel : public QWidget
{
    Q_OBJECT

public:
    enum class Scope { Capture, VisibleRange };

    explicit OutcomesPanel(ViewState &view, QWidget *parent = nullptr);
    ~OutcomesPanel() override;

    Status setCapture(const std::string &path, TimeRange extent);
    void setExtent(TimeRange extent); // the capture grew
    // The failures' analyses (the Incidents list's), for the recovery question.
    void setAnalyses(std::vector<analysis::IncidentAnalysis> analyses, bool complete);
    void setActive(bool active);
    void setScope(Scope scope);

    const std::optional<analysis::Outcomes> &outcomes() const { return m_outcomes; }
    const std::vector<analysis::RecoveryTrend> &recovery() const { return m_recovery; }
    QTreeWidget &tree() const { return *m_tree; }
    QString statusText() const { return m_statusText; }
    bool isSettled() const { return !m_running; }
    // The one-line answer of each question (what the section's header says).
    QString scalingAnswer() const;
    QString provisioningAnswer() const;
    QString recoveryAnswer() const;

Q_SIGNALS:
    void settled();
    // Open the Impact view on this measurement ("service=x" labels).
    void impactRequested(const QString &eventType, const QString &metric, const QString &labels);
    void serviceRequested(const QString &service);

private:
    TimeRange scopeRange() const;
    // The recovery trend's period: chosen, or the largest that gives four in `range`.
    analysis::TrendPeriod periodFor(TimeRange range) const;
    void updateRecovery();
    void start();
    void showOutcomes(quint64 generation, std::optional<analysis::Outcomes> outcomes,
                      const QString &error);
    void showProgress(quint64 generation, int done, int total);
    void rebuildTree();
    void addImpactRows(QTreeWidgetItem *section, const std::vector<analysis::OutcomeImpact> &rows);

    ViewState &m_view;
    std::unique_ptr<CaptureWorker> m_worker;
    std::shared_ptr<std::atomic<quint64>> m_latest;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    quint64 m_generation = 0;
    bool m_active = true;
    bool m_running = false;
    bool m_stale = true; // what is shown is not for the current scope
    TimeRange m_extent{0, 0};
    std::optional<TimeRange> m_measuredRange;
    Scope m_scope = Scope::Capture;
    QComboBox *m_scopeBox;
    QComboBox *m_periodBox;
    QLabel *m_status;
    QTreeWidget *m_tree;
    std::optional<analysis::Outcomes> m_outcomes;
    QString m_error;
    QString m_statusText;
    std::vector<analysis::IncidentAnalysis> m_analyses;
    bool m_analysesComplete = false;
    std::vector<analysis::RecoveryTrend> m_recovery;
};

} // namespace eventscope::ui
