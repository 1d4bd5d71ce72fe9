#pragma once

#include <QObject>

#include <atomic>
#include <csignal>
#include <functional>
#include <thread>

namespace eventscope::cli {

// SIGINT and SIGTERM for a process with an event loop: blocked in every thread (call
// blockStopSignals() before any thread starts), waited for on a thread of their own, and
// handed to `onSignal` on `context`'s thread. The console closes its window on the first one
// (Ctrl+C in the terminal, a logout), as the operator's close does: ingest stops and commits
// what it consumed. A second signal while that close is under way exits at once.
class StopSignalWatcher
{
public:
    StopSignalWatcher(sigset_t watched, QObject *context, std::function<void(int)> onSignal);
    ~StopSignalWatcher();
    StopSignalWatcher(const StopSignalWatcher &) = delete;
    StopSignalWatcher &operator=(const StopSignalWatcher &) = delete;

private:
    void run(sigset_t watched, QObject *context);

    std::function<void(int)> m_onSignal;
    std::atomic<bool> m_done{false};
    std::thread m_thread;
};

} // namespace eventscope::cli
