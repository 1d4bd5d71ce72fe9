#pragma once

#include "drilldown/captureworker.h"
#include "timedisplay.h"

#include "analysis/alertepisodes.h"
#include "analysis/alertrules.h"

#include <QDialog>

#include <atomic>
#include <memory>
#include <optional>

class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;
class QFormLayout;
class QLayout;
class QTableWidget;
class QTimer;

namespace eventscope::ui {

// Writes one alert rule: a form per rule kind (threshold held for a duration, event rate,
// anomaly) and an optional delivery target. It checks the rule as it is typed (saying what is
// missing or wrong), shows the exact JSON `eventscope alerts --rules` reads, and, with a
// capture open, when the rule would have fired on it (evaluated on a worker thread, the latest
// edit winning). Accepting is possible only with a valid rule.
class AlertRuleEditor : public QDialog
{
    Q_OBJECT

public:
    struct Choices
    {
        QStringList metrics; // metric names in the capture
        QStringList eventTypes;
        QStringList takenNames; // other rules' names (a name must be unique)
    };

    AlertRuleEditor(const std::string &capturePath, Choices choices, TimeZoneMode zone,
                    QWidget *parent = nullptr);
    ~AlertRuleEditor() override;

    void setRule(const analysis::AlertRule &rule);
    // The rule as written, when it is valid.
    const std::optional<analysis::AlertRule> &rule() const { return m_rule; }
    // What stops the rule from being saved; empty when it can be.
    QString problem() const { return m_problem; }
    // A remark that does not stop it (the metric is not in this capture).
    QString warning() const { return m_warning; }
    // The rules file with this one rule, as `alerts --rules` reads it.
    QString json() const;

    // Field access for tests and callers that prefill a rule (QObject names are set too).
    QLineEdit &nameEdit() const { return *m_name; }
    QComboBox &kindBox() const { return *m_kind; }
    QComboBox &metricBox() const { return *m_metric; }
    QLineEdit &labelsEdit() const { return *m_labels; }
    QComboBox &opBox() const { return *m_op; }
    QLineEdit &valueEdit() const { return *m_value; }
    QSpinBox &holdSpin() const { return *m_hold; }

    // The would-have-fired preview: settled when the latest rule has been evaluated.
    bool isPreviewSettled() const { return !m_previewRunning && !m_previewPending; }
    const std::vector<analysis::AlertEpisode> &previewEpisodes() const { return m_episodes; }
    QString previewText() const;

Q_SIGNALS:
    void previewSettled();

private:
    void updateRule();
    void startPreview();
    void showPreview(quint64 generation, std::vector<analysis::AlertEpisode> episodes,
                     const QString &error);
    analysis::AlertRule ruleFromFields(QString &problem) const;

    Choices m_choices;
    TimeZoneMode m_zone;
    std::unique_ptr<CaptureWorker> m_worker;
    std::shared_ptr<std::atomic<quint64>> m_latest;
    quint64 m_generation = 0;
    bool m_previewRunning = false;
    bool m_previewPending = false;
    QTimer *m_debounce;

    QLineEdit *m_name;
    QComboBox *m_kind;
    QComboBox *m_severity;
    QSpinBox *m_hold;
    QFormLayout *m_form; // every field; the rows of other kinds hidden
    std::vector<QWidget *> m_seriesRows; // threshold and anomaly
    std::vector<QLayout *> m_thresholdRows;
    std::vector<QWidget *> m_anomalyRows;
    std::vector<QWidget *> m_rateWidgets;
    std::vector<QLayout *> m_rateRows;
    QComboBox *m_metric;
    QLineEdit *m_labels;
    QComboBox *m_op;
    QLineEdit *m_value;
    QDoubleSpinBox *m_sigma;
    QSpinBox *m_baseline;
    QComboBox *m_eventType;
    QComboBox *m_category;
    QComboBox *m_groupBy;
    QSpinBox *m_count;
    QSpinBox *m_within;
    QComboBox *m_deliverKind;
    QLineEdit *m_deliverUrl;
    QLineEdit *m_deliverSecret;
    QLabel *m_message;
    QPlainTextEdit *m_json;
    QLabel *m_previewSummary;
    QTableWidget *m_previewTable;
    QDialogButtonBox *m_buttons;

    std::optional<analysis::AlertRule> m_rule;
    QString m_problem;
    QString m_warning;
    std::vector<analysis::AlertEpisode> m_episodes;
    QString m_previewError; // why the latest preview has nothing to show
    QString m_captureError; // the capture could not be opened for previews
    bool m_capturePreview = false;
};

} // namespace eventscope::ui
