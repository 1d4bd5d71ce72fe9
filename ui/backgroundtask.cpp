#include "backgroundtask.h"

namespace eventscope::ui {

bool BackgroundTask::Progress::report(double fraction, const QString &text)
{
    if (!m_sinceReport.isValid() || m_sinceReport.elapsed() >= 50 || fraction >= 1.0) {
        m_sinceReport.start();
        QMetaObject::invokeMethod(
            &m_task, [task = &m_task, fraction, text] { Q_EMIT task->progressed(fraction, text); },
            Qt::QueuedConnection);
    }
    return !cancelled();
}

bool BackgroundTask::Progress::cancelled() const
{
    return m_task.m_cancelled.load();
}

BackgroundTask::CancelHook BackgroundTask::Progress::onCancel(std::function<void()> handler)
{
    const std::lock_guard lock(m_task.m_cancelMutex);
    if (m_task.m_cancelled.load())
        handler();
    else
        m_task.m_cancelHandler = std::move(handler);
    return CancelHook(m_task);
}

BackgroundTask::CancelHook::~CancelHook()
{
    const std::lock_guard lock(m_task.m_cancelMutex);
    m_task.m_cancelHandler = nullptr;
}

void BackgroundTask::cancel()
{
    const std::lock_guard lock(m_cancelMutex);
    m_cancelled.store(true);
    if (m_cancelHandler)
        m_cancelHandler();
}

BackgroundTask::BackgroundTask(QString title, Work work, QObject *parent)
    : QObject(parent)
    , m_title(std::move(title))
    , m_work(std::move(work))
{ }

BackgroundTask::~BackgroundTask()
{
    if (m_thread) {
        cancel();
        m_thread->wait();
    }
}

void BackgroundTask::start()
{
    m_thread.reset(QThread::create([this] {
        Progress progress(*this);
        Status status = m_work(progress);
        if (!status)
            m_error = QString::fromStdString(status.error());
    }));
    connect(
        m_thread.get(), &QThread::finished, this, [this] { Q_EMIT finished(m_error); },
        Qt::QueuedConnection);
    m_thread->start();
}

bool BackgroundTask::isRunning() const
{
    return m_thread && !m_thread->isFinished();
}

} // namespace eventscope::ui
