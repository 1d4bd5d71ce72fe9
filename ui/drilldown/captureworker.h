#pragma once

#include "util/result.h"

#include <QThread>

#include <functional>
#include <memory>
#include <string>

namespace eventscope {
class CaptureReader;
}

namespace eventscope::ui {

// A thread with its own reader of a capture, running jobs one at a time in the order posted:
// what a panel reads the capture on, off the GUI thread. Destroying it waits for the running
// job (a job should check a generation counter and stop early when superseded) and drops the
// rest. Jobs hand results back with QMetaObject::invokeMethod on a GUI-thread object.
class CaptureWorker
{
public:
    static Result<std::unique_ptr<CaptureWorker>> open(const std::string &path,
                                                       const QString &name);
    ~CaptureWorker();
    CaptureWorker(const CaptureWorker &) = delete;
    CaptureWorker &operator=(const CaptureWorker &) = delete;

    void post(std::function<void(CaptureReader &)> job);

private:
    CaptureWorker(std::unique_ptr<CaptureReader> reader, const QString &name);

    QThread m_thread;
    QObject *m_context; // lives on m_thread, owns the reader; deleted when the thread ends
    CaptureReader *m_reader;
};

} // namespace eventscope::ui
