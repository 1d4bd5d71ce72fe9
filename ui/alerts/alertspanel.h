#pragma once

#include "drilldown/captureworker.h"
#include "timedisplay.h"

#include "analysis/alertepisodes.h"
#include "analysis/alertrules.h"

#include <QWidget>

#include <atomic>
#include <memory>

class QComboBox;
class QLabel;
class QPushButton;
class QTableWidget;
class QTimer;

namespace eventscope::ui {

class AlertRuleEditor;

// Alerts: the capture's alerts, active first, then past, newest first (each a link to its
// firing on the timeline); or, on request, what the rules would fire on this capture. Beside
// them, the operator's alert rules (the settings file the live console and `eventscope alerts`
// read): new, edit, duplicate, remove, import and export a rules file. Every change is saved
// at once and announced (rulesSaved), so a live console can restart its alerting. Reads on
// its own worker thread. Lives on the GUI thread.
class AlertsPanel : public QWidget
{
    Q_OBJECT

public:
    enum class Source { Stored, Evaluated };

    explicit AlertsPanel(QWidget *parent = nullptr);
    ~AlertsPanel() override;

    // The capture whose alerts are shown (empty: none). When the operator has no rules, the
    // capture's own (those `alerts --store` kept in it) are shown instead.
    Status setCapture(const std::string &path);
    void setTimeZone(TimeZoneMode zone);
    // The event types and metric names the rule editor offers (as ImpactPanel::setChoices).
    void setChoices(const QStringList &eventTypes, const QStringList &metrics);
    // Re-read the alerts (the capture grew); coalesced to one read every two seconds.
    void captureGrew();
    void setSource(Source source);
    Source source() const { return m_source; }

    // The operator's rules as shown and saved.
    const std::vector<analysis::AlertRule> &rules() const { return m_rules; }
    // Replaces the rules and saves them.
    Status setRules(std::vector<analysis::AlertRule> rules);
    const std::vector<analysis::AlertEpisode> &episodes() const { return m_episodes; }
    int activeCount() const;
    QString statusText() const;
    bool isSettled() const { return !m_running; }
    QTableWidget &alertTable() const { return *m_alerts; }
    QTableWidget &ruleTable() const { return *m_ruleTable; }

    // A rule editor for a new rule (row < 0) or the rule at `row`, with this capture's
    // preview; the caller runs it (exec or open) and passes it to acceptEditor.
    std::unique_ptr<AlertRuleEditor> makeEditor(int row);
    // Takes the editor's rule in (replacing the one at `row`, or added) and saves.
    Status acceptEditor(const AlertRuleEditor &editor, int row);
    // Writes the rules as a file `eventscope alerts --rules` reads.
    Status exportRules(const QString &path) const;
    Status importRules(const QString &path);

Q_SIGNALS:
    void settled();
    // An alert was chosen: its firing event (shown on the timeline when it is stored).
    void alertActivated(const QString &firingEventId, qint64 firedUs);
    // The rules changed and were saved into the settings.
    void rulesSaved();

private:
    void load();
    void showAlerts(quint64 generation, std::vector<analysis::AlertEpisode> episodes,
                    const QString &error);
    void offerCaptureRules(const std::string &json);
    void fillAlertTable();
    void showRules();
    void editRule(int row);
    Status saveRules();

    std::unique_ptr<CaptureWorker> m_worker;
    std::shared_ptr<std::atomic<quint64>> m_latest;
    quint64 m_generation = 0;
    bool m_running = false;
    std::string m_path;
    TimeZoneMode m_zone = TimeZoneMode::Local;
    Source m_source = Source::Stored;
    QStringList m_metrics;
    QStringList m_eventTypes;
    QTimer *m_refresh;

    QComboBox *m_sourceBox;
    QLabel *m_status;
    QTableWidget *m_alerts;
    QLabel *m_rulesNote;
    QTableWidget *m_ruleTable;
    QPushButton *m_edit;
    QPushButton *m_duplicate;
    QPushButton *m_remove;

    std::vector<analysis::AlertEpisode> m_episodes;
    QString m_error;
    std::vector<analysis::AlertRule> m_rules;
    QString m_rulesOrigin;
};

} // namespace eventscope::ui
