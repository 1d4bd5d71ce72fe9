#pragma once

#include "analysispriority.h"

#include "analysis/incidentanalyzer.h"
#include "util/result.h"

#include <QObject>
#include <QString>
#include <QThread>

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace eventscope {
class CaptureReader;
}

namespace eventscope::ui {

// One moved metric's samples around the incident, for a sparkline.
struct Sparkline
{
    std::vector<TimeUs> times;
    std::vector<double> values;
};

struct IncidentAnalysisResult
{
    quint64 generation = 0;
    std::string failureId;
    std::optional<analysis::IncidentAnalysis> analysis;
    // Aligned with analysis->anomalies; empty for a metric derived from logs or spans.
    std::vector<Sparkline> sparklines;
    TimeRange sparklineRange{0, 0};
    double milliseconds = 0; // how long the analysis took on the worker
    bool reused = false; // the Incidents list's analysis: only the sparklines were read
    QString error;
};

// Root-cause analysis of one failure at a time, off the GUI thread: a worker thread with its own
// reader of the capture and an IncidentAnalyzer that keeps its caches between incidents. Each
// request carries a generation id; a request superseded before the worker reached it is
// skipped, and a result that is no longer the latest is not delivered. Lives on the GUI thread.
class IncidentAnalysisFetcher : public QObject
{
    Q_OBJECT

public:
    // `priority` (optional): analyses run as foreground work, background waits for them.
    static Result<std::unique_ptr<IncidentAnalysisFetcher>>
    open(const std::string &path, std::shared_ptr<AnalysisPriority> priority = {});
    ~IncidentAnalysisFetcher() override;

    // Analyses the failure event with this source id; `analysed` brings the result. `known`:
    // its analysis, done already (the Incidents list's): only the sparklines are read.
    quint64 request(const std::string &failureId,
                    std::optional<analysis::IncidentAnalysis> known = std::nullopt);
    // The capture grew (live): the next analysis reads it afresh.
    void captureGrew() { m_grew->store(true); }
    bool isBusy() const { return m_pending > 0; }

Q_SIGNALS:
    void analysed(const eventscope::ui::IncidentAnalysisResult &result);

private:
    class Worker;
    IncidentAnalysisFetcher(std::unique_ptr<CaptureReader> reader,
                            std::shared_ptr<AnalysisPriority> priority);

    QThread m_thread;
    Worker *m_worker; // lives on m_thread, deleted when it finishes
    std::shared_ptr<std::atomic<quint64>> m_latest;
    std::shared_ptr<std::atomic<bool>> m_grew;
    std::shared_ptr<AnalysisPriority> m_priority;
    quint64 m_generation = 0;
    int m_pending = 0; // requests not answered yet (GUI thread)
};

} // namespace eventscope::ui

Q_DECLARE_METATYPE(eventscope::ui::IncidentAnalysisResult)
