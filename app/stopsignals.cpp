#include "stopsignals.h"

#include "commandline.h"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <ctime>

namespace eventscope::cli {

StopSignalWatcher::StopSignalWatcher(sigset_t watched, QObject *context,
                                     std::function<void(int)> onSignal)
    : m_onSignal(std::move(onSignal))
    , m_thread([this, watched, context] { run(watched, context); })
{ }

StopSignalWatcher::~StopSignalWatcher()
{
    m_done = true;
    m_thread.join();
}

void StopSignalWatcher::run(sigset_t watched, QObject *context)
{
    int received = 0;
    while (!m_done) {
        // A short wait, so that the destructor never waits long for the thread.
        const timespec wait{0, 200'000'000};
        const int signal = sigtimedwait(&watched, nullptr, &wait);
        if (signal <= 0)
            continue;
        if (++received > 1) {
            spdlog::warn("{} again while stopping: exiting without waiting", strsignal(signal));
            std::_Exit(kExitFailure);
        }
        spdlog::info("{}: closing", strsignal(signal));
        QMetaObject::invokeMethod(
            context, [this, signal] { m_onSignal(signal); }, Qt::QueuedConnection);
    }
}

} // namespace eventscope::cli
