#pragma once

#include "backgroundtask.h"

#include "model/timerange.h"
#include "store/savedview.h"

#include <QObject>
#include <QPointer>
#include <QStringList>

#include <memory>
#include <optional>
#include <string>

class QProgressDialog;
class QWidget;

namespace eventscope::ui {

// The window's long file operations on captures: Save Capture As (a consistent copy, also of a
// live capture), Import NDJSON and Export Range. One at a time, on a worker thread, with a
// progress dialog whose Cancel stops it. GUI thread.
class CaptureTasks : public QObject
{
    Q_OBJECT

public:
    explicit CaptureTasks(QWidget *window);
    ~CaptureTasks() override;

    bool isBusy() const { return m_task != nullptr; }
    BackgroundTask *current() const { return m_task.get(); }

    // Copies `source` to `destination` as it is now, with `view` written into the copy.
    Status copyCapture(const std::string &source, const QString &destination,
                       std::optional<SavedView> view);
    // Imports NDJSON files (any supported format) into `capture`, creating it if needed.
    Status importFiles(const QStringList &files, const std::string &capture);
    // Exports `range` of `capture` as NDJSON or CSV, by the extension of `path`.
    Status exportRange(const std::string &capture, const QString &path, TimeRange range);

Q_SIGNALS:
    // `summary` says what was done; `error` is empty on success.
    void finished(const QString &title, const QString &summary, const QString &error);

private:
    Status run(const QString &title, BackgroundTask::Work work);

    QWidget *m_window;
    std::unique_ptr<BackgroundTask> m_task;
    std::unique_ptr<BackgroundTask> m_spent; // the one that just finished, until it returns
    QPointer<QProgressDialog> m_dialog;
    QString m_summary; // written by the worker before it finishes
};

} // namespace eventscope::ui
