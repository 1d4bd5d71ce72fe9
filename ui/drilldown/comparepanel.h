#pragma once

#include "captureworker.h"
#include "theme.h"

#include "analysis/rangecompare.h"

#include <QWidget>

#include <atomic>
#include <memory>
#include <optional>

class QComboBox;
class QLabel;
class QPushButton;
class QTableView;
class QTreeView;

namespace eventscope::ui {

class CompareEventModel;
class CompareSeriesModel;
class ViewState;

// Compare: the range chosen on the timeline (Shift+drag, or the visible range) against a
// baseline (the range just before, or the same range a day or a week earlier). Every series
// ranked by how much it changed, grouped by service, with baseline and selection sparklines;
// event types over- and under-represented in the selection. Reads on its own worker; a new
// range cancels the comparison running. Lives on the GUI thread.
class ComparePanel : public QWidget
{
    Q_OBJECT

public:
    ComparePanel(ViewState &view, QWidget *parent = nullptr);
    ~ComparePanel() override;

    Status setCapture(const std::string &path);
    void setTheme(const Theme &theme);
    void setBaseline(analysis::BaselineKind kind);
    // Chooses the visible range for Compare.
    void compareVisibleRange();

    CompareSeriesModel &seriesModel() const { return *m_series; }
    CompareEventModel &eventModel() const { return *m_events; }
    QTreeView &seriesView() const { return *m_seriesView; }
    const std::shared_ptr<const analysis::RangeComparison> &comparison() const
    {
        return m_comparison;
    }
    QString statusText() const;
    bool isSettled() const { return !m_running; }
    double lastMilliseconds() const { return m_milliseconds; }

Q_SIGNALS:
    void settled();
    void seriesActivated(const QString &canonicalKey);
    void eventTypeActivated(const QString &type);

private:
    class ShapeDelegate;
    void start();
    void onDone(quint64 generation, std::shared_ptr<const analysis::RangeComparison> result,
                const QString &error, double milliseconds);

    ViewState &m_view;
    std::unique_ptr<CaptureWorker> m_worker;
    std::shared_ptr<std::atomic<quint64>> m_latest;
    quint64 m_generation = 0;
    bool m_running = false;
    double m_milliseconds = 0;
    Theme m_theme = Theme::dark();
    CompareSeriesModel *m_series;
    CompareEventModel *m_events;
    ShapeDelegate *m_shapes;
    QLabel *m_range;
    QComboBox *m_baseline;
    QPushButton *m_visible;
    QPushButton *m_clear;
    QLabel *m_status;
    QTreeView *m_seriesView;
    QTableView *m_eventView;
    std::shared_ptr<const analysis::RangeComparison> m_comparison;
    QString m_error;
};

} // namespace eventscope::ui
