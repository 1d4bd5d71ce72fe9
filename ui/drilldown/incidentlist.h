#pragma once

#include "analysispriority.h"

#include "analysis/incidentgroups.h"
#include "timedisplay.h"
#include "util/result.h"

#include <QAbstractTableModel>
#include <QObject>
#include <QThread>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

namespace eventscope {
class CaptureReader;
}

namespace eventscope::ui {

// The capture's failures grouped into incidents, with the analyses they were grouped by.
struct IncidentList
{
    std::vector<analysis::IncidentAnalysis> analyses;
    std::vector<analysis::IncidentGroup> groups; // by first failure
    QString error;
    bool complete = true; // false while failures wait for data after them (live)
};

// Analyses every failure of a capture and groups them into incidents, off the GUI thread, on
// its own reader (so that the Root Cause panel's analysis never waits behind it). Keeps each
// failure's analysis: a refresh (a live capture grew) analyses only the new failures, once
// the data after them has arrived (LiveAnalysis::kSettle). Progress and the list arrive by
// queued signal. Lives on the GUI thread.
class IncidentListFetcher : public QObject
{
    Q_OBJECT

public:
    // `priority` (optional): the list's analyses are background work, waiting for foreground.
    static Result<std::unique_ptr<IncidentListFetcher>>
    open(const std::string &path, std::shared_ptr<AnalysisPriority> priority = {});
    ~IncidentListFetcher() override;

    // Reads new failures and regroups; coalesced while one runs. `live`: the newest failures
    // wait for the data after them.
    void refresh(bool live);
    bool isBusy() const { return m_running || m_queued; }

Q_SIGNALS:
    void progressed(int analysed, int total);
    void ready(const eventscope::ui::IncidentList &list);

private:
    class Worker;
    IncidentListFetcher(std::unique_ptr<CaptureReader> reader,
                        std::shared_ptr<AnalysisPriority> priority);
    void start(bool live);

    QThread m_thread;
    Worker *m_worker;
    std::shared_ptr<std::atomic<bool>> m_stopping;
    bool m_running = false;
    bool m_queued = false;
    bool m_queuedLive = false;
};

// The incidents as a table: start, services, failures, top cause, top suspect, state, time
// to recover.
class IncidentListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        StartColumn,
        ServicesColumn,
        FailuresColumn,
        CauseColumn,
        SuspectColumn,
        StateColumn,
        RecoverColumn,
        ColumnCount
    };

    explicit IncidentListModel(QObject *parent = nullptr);
    void setList(IncidentList list);
    void setTimeZone(TimeZoneMode zone);
    const IncidentList &list() const { return m_list; }
    // The first failure of the incident in `row`.
    const Event &firstFailure(int row) const;
    // The incident whose failures include `failureId`; -1 if none.
    int rowOfFailure(const std::string &failureId) const;
    // The incident after (or before) `time` by its start; -1 if none.
    int rowAfter(TimeUs time, int direction) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    IncidentList m_list;
    TimeZoneMode m_zone = TimeZoneMode::Utc;
};

} // namespace eventscope::ui

Q_DECLARE_METATYPE(eventscope::ui::IncidentList)
