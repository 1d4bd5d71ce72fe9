#pragma once

#include "util/result.h"

#include <QMainWindow>

#include <memory>
#include <string>

class QLabel;
class QTableView;

namespace eventscope {
class CaptureReader;
}

namespace eventscope::ui {

class EventTableModel;
class MetricChart;

// Layout and wiring only: the chart on top, the event table below, capture facts in the status
// bar. Data comes from core through CaptureReader queries. Lives on the GUI thread.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Opens a capture for review. On failure the window keeps what it showed before.
    Status openCapture(const std::string &path);
    // Re-reads the open capture (while live ingest writes to it).
    Status refresh();
    // A second status line for a live source: rates, lag, broker state.
    void setLiveStatus(const QString &text);

private:
    void createMenus();
    void showEmptyState();
    void chooseCapture();
    Status loadView();

    MetricChart *m_chart;
    QTableView *m_eventTable;
    EventTableModel *m_events;
    QLabel *m_statusLabel;
    QLabel *m_liveLabel;
    std::unique_ptr<CaptureReader> m_reader;
};

} // namespace eventscope::ui
