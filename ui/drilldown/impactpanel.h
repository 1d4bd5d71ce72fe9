#pragma once

#include "captureworker.h"
#include "theme.h"

#include "analysis/eventimpact.h"

#include <QWidget>

#include <atomic>
#include <memory>
#include <optional>

class QCustomPlot;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTableWidget;

namespace eventscope::ui {

class ViewState;

// Impact: what an event type does to a metric. Choose the type and the metric (with label
// filters such as service=frontend): the superposed-epoch chart (every occurrence's series
// relative to its own level before, their mean and spread), the before/after statistics with
// their significance (or why not significant: too few occurrences, or the p-value), and the
// occurrences, each a link to its time. "Did scale-out reduce p99 latency, and by how much?"
// Measured on its own worker. Lives on the GUI thread.
class ImpactPanel : public QWidget
{
    Q_OBJECT

public:
    ImpactPanel(ViewState &view, QWidget *parent = nullptr);
    ~ImpactPanel() override;

    Status setCapture(const std::string &path);
    void setTheme(const Theme &theme);
    // The event types and metric names to offer (from the capture's events and series).
    void setChoices(const QStringList &eventTypes, const QStringList &metrics);
    // Chooses a question and measures it.
    void measure(const QString &eventType, const QString &metric, const QString &labels = {});

    const std::optional<analysis::ImpactResult> &result() const { return m_result; }
    QString verdictText() const;
    QString errorText() const { return m_error; }
    bool isSettled() const { return !m_running; }
    QCustomPlot &chart() const { return *m_chart; }

Q_SIGNALS:
    void settled();
    // An occurrence was chosen: the event with this id.
    void occurrenceActivated(const QString &eventId);

private:
    void start();
    void showResult(quint64 generation, std::optional<analysis::ImpactResult> result,
                    const QString &error);
    void plot();

    ViewState &m_view;
    std::unique_ptr<CaptureWorker> m_worker;
    std::shared_ptr<std::atomic<quint64>> m_latest;
    quint64 m_generation = 0;
    bool m_running = false;
    Theme m_theme = Theme::dark();
    QComboBox *m_type;
    QComboBox *m_metric;
    QLineEdit *m_labels;
    QSpinBox *m_window;
    QLabel *m_verdict;
    QCustomPlot *m_chart;
    QTableWidget *m_occurrences;
    std::optional<analysis::ImpactResult> m_result;
    QString m_error;
};

} // namespace eventscope::ui
