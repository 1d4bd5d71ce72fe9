#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>

namespace eventscope::ui {

// The operator's own question before background work. While a foreground analysis runs (the
// Root Cause panel's, for the failure just selected), background analysis (the Incidents list
// working through every failure) waits between its units of work: on two cores the two would
// otherwise halve each other, and the operator waits for the panel, not for the list.
// Shared between threads; all members are thread-safe.
class AnalysisPriority
{
public:
    // Background waits while one of these lives.
    class Foreground
    {
    public:
        explicit Foreground(AnalysisPriority &priority)
            : m_priority(priority)
        {
            const std::lock_guard lock(m_priority.m_mutex);
            ++m_priority.m_foreground;
        }
        ~Foreground()
        {
            {
                const std::lock_guard lock(m_priority.m_mutex);
                --m_priority.m_foreground;
            }
            m_priority.m_idle.notify_all();
        }
        Foreground(const Foreground &) = delete;
        Foreground &operator=(const Foreground &) = delete;

    private:
        AnalysisPriority &m_priority;
    };

    // Returns once no foreground work runs, or when `stopping` is set (checked every 100 ms).
    void waitForForeground(const std::atomic<bool> &stopping)
    {
        std::unique_lock lock(m_mutex);
        while (m_foreground > 0 && !stopping.load())
            m_idle.wait_for(lock, std::chrono::milliseconds(100));
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_idle;
    int m_foreground = 0;
};

} // namespace eventscope::ui
