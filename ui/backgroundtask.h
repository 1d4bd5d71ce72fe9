#pragma once

#include "util/result.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QThread>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>

namespace eventscope::ui {

// One long operation of the window (copying a capture, importing, exporting) on a worker
// thread, with progress and cancel. The work reports through Progress, which also tells it
// when the operator cancelled; the task's signals arrive on the GUI thread. Destroying the
// task cancels it and waits for the worker.
class BackgroundTask : public QObject
{
    Q_OBJECT

public:
    // Removes a cancel handler (Progress::onCancel) when it goes out of scope, which is before
    // what the handler refers to does.
    class [[nodiscard]] CancelHook
    {
    public:
        ~CancelHook();
        CancelHook(const CancelHook &) = delete;
        CancelHook &operator=(const CancelHook &) = delete;

    private:
        friend class BackgroundTask;
        explicit CancelHook(BackgroundTask &task)
            : m_task(task)
        { }
        BackgroundTask &m_task;
    };

    // Handed to the work; called on the worker thread.
    class Progress
    {
    public:
        // How far the work is (0 to 1; negative when it cannot tell) and what it is doing. At
        // most about 20 reports a second reach the window. False once cancel was asked.
        bool report(double fraction, const QString &text);
        bool cancelled() const;
        // For work that waits inside a call that cannot ask `cancelled()` (a read from a pipe,
        // an importer between its reports): called on the cancelling thread when cancel is
        // asked, or at once if it was. Keep the hook while the handler's objects live.
        CancelHook onCancel(std::function<void()> handler);

    private:
        friend class BackgroundTask;
        explicit Progress(BackgroundTask &task)
            : m_task(task)
        { }
        BackgroundTask &m_task;
        QElapsedTimer m_sinceReport;
    };

    // `work` returns what went wrong (a cancelled work says it was cancelled), or nothing.
    using Work = std::function<Status(Progress &)>;

    BackgroundTask(QString title, Work work, QObject *parent = nullptr);
    ~BackgroundTask() override;

    const QString &title() const { return m_title; }
    void start();
    // Any thread.
    void cancel();
    bool isRunning() const;

Q_SIGNALS:
    void progressed(double fraction, const QString &text);
    // `error` is empty when the work succeeded.
    void finished(const QString &error);

private:
    QString m_title;
    Work m_work;
    std::atomic<bool> m_cancelled{false};
    std::mutex m_cancelMutex;
    std::function<void()> m_cancelHandler; // guarded by m_cancelMutex
    std::unique_ptr<QThread> m_thread;
    QString m_error; // set by the worker before it finishes, read after
};

} // namespace eventscope::ui
