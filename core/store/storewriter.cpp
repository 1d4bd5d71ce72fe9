#include "store/storewriter.h"

#include "util/timeformat.h"

#include <QScopeGuard>

#include <spdlog/spdlog.h>

#include <utility>

namespace eventscope {

namespace {
std::size_t weightOf(const RecordBatch &batch)
{
    // Offsets-only batches still take a slot so the queue cannot grow without bound.
    return std::max<std::size_t>(batch.recordCount(), 1);
}
} // namespace

Result<std::unique_ptr<StoreWriter>> StoreWriter::open(const std::string &path,
                                                       StoreWriterOptions options)
{
    qRegisterMetaType<eventscope::CommitSummary>();
    auto committer = BatchCommitter::open(path, options.sourceDescription);
    if (!committer)
        return Result<std::unique_ptr<StoreWriter>>::failure(committer.error());
    return std::unique_ptr<StoreWriter>(
        new StoreWriter(path, std::move(*committer), std::move(options)));
}

StoreWriter::StoreWriter(std::string path, std::unique_ptr<BatchCommitter> committer,
                         StoreWriterOptions options)
    : m_path(std::move(path))
    , m_options(std::move(options))
    , m_committer(std::move(committer))
{
    m_offsets = m_committer->offsets();
    m_thread = std::thread([this] { run(); });
}

StoreWriter::~StoreWriter()
{
    close();
}

namespace {
// Beyond this many committed batches waiting for the producer, the writer frees them itself.
constexpr std::size_t kMaxSpentBatches = 64;
} // namespace

bool StoreWriter::submit(RecordBatch batch)
{
    std::vector<RecordBatch> spent; // destroyed after the lock is released
    std::unique_lock lock(m_mutex);
    spent.swap(m_spent);
    const std::size_t weight = weightOf(batch);
    // A batch larger than the whole queue is admitted once the queue is empty.
    const auto hasRoom = [&] {
        return m_queuedRecords == 0 || m_queuedRecords + weight <= m_options.maxQueuedRecords;
    };
    m_queueChanged.wait(lock, [&] {
        return m_stopping || hasRoom() || m_consecutiveFailures >= kFailuresBeforeGivingUp;
    });
    if (m_stopping || !hasRoom())
        return false;
    m_queuedRecords += weight;
    m_queue.push_back(std::move(batch));
    ++m_submitted;
    m_queueChanged.notify_all();
    return true;
}

bool StoreWriter::trySubmit(RecordBatch &batch)
{
    std::vector<RecordBatch> spent; // destroyed after the lock is released
    std::unique_lock lock(m_mutex);
    spent.swap(m_spent);
    const std::size_t weight = weightOf(batch);
    if (m_stopping)
        return false;
    if (m_queuedRecords != 0 && m_queuedRecords + weight > m_options.maxQueuedRecords)
        return false;
    m_queuedRecords += weight;
    m_queue.push_back(std::exchange(batch, RecordBatch())); // the caller's batch is left empty
    ++m_submitted;
    m_queueChanged.notify_all();
    return true;
}

bool StoreWriter::flush(std::chrono::milliseconds timeout)
{
    std::unique_lock lock(m_mutex);
    const std::uint64_t target = m_submitted;
    const std::uint64_t failuresBefore = m_totalFailures;
    ++m_flushWaiters;
    m_queueChanged.notify_all();
    const auto waiting = qScopeGuard([this] { --m_flushWaiters; });
    m_queueChanged.wait_for(lock, timeout, [&] {
        return m_committedBatches >= target || m_threadExited
            || (m_consecutiveFailures >= kFailuresBeforeGivingUp
                && m_totalFailures > failuresBefore);
    });
    return m_committedBatches >= target;
}

void StoreWriter::close()
{
    {
        std::unique_lock lock(m_mutex);
        if (m_closed)
            return;
        m_stopping = true;
        m_queueChanged.notify_all();
    }
    if (m_thread.joinable())
        m_thread.join();
    try {
        const auto checkpointStart = std::chrono::steady_clock::now();
        m_committer->checkpoint();
        spdlog::debug(
            "{}: checkpoint on close took {:.3f} s", m_path,
            std::chrono::duration<double>(std::chrono::steady_clock::now() - checkpointStart)
                .count());
    } catch (const sqlite::Error &e) {
        spdlog::warn("{}: checkpoint on close failed: {}", m_path, e.what());
    }
    std::unique_lock lock(m_mutex);
    m_closed = true;
}

std::vector<PartitionOffset> StoreWriter::committedOffsets() const
{
    std::unique_lock lock(m_mutex);
    return m_offsets;
}

std::uint64_t StoreWriter::committedBatches() const
{
    std::lock_guard lock(m_mutex);
    return m_committedBatches;
}

std::size_t StoreWriter::queuedRecords() const
{
    std::unique_lock lock(m_mutex);
    return m_queuedRecords;
}

std::string StoreWriter::lastError() const
{
    std::unique_lock lock(m_mutex);
    return m_lastError;
}

bool StoreWriter::retentionStep()
{
    try {
        const RetentionStep step = m_committer->applyRetention(m_options.retention, 20'000);
        if (step.rowsDeleted > 0) {
            spdlog::debug("{}: retention deleted {} rows before {}", m_path, step.rowsDeleted,
                          formatTimestamp(step.cutoff));
            Q_EMIT retentionApplied(step.rowsDeleted);
        }
        return step.moreToDo;
    } catch (const sqlite::Error &e) {
        spdlog::warn("{}: retention step failed: {}", m_path, e.what());
        return false;
    }
}

void StoreWriter::run()
{
    using Clock = std::chrono::steady_clock;
    std::vector<RecordBatch> pending;
    auto nextRetention = Clock::now() + m_options.retentionInterval;
    auto retryDelay = std::chrono::milliseconds(50);
    std::int64_t lastCommitSamples = 0;
    auto lastCommitStart = Clock::time_point::min();

    for (;;) {
        const bool compactionDue = m_committer->hasCompactionWork();
        {
            std::unique_lock lock(m_mutex);
            if (pending.empty()) {
                // Wait for a batch, unless compaction or retention has work to do meanwhile.
                const auto ready = [&] { return m_stopping || !m_queue.empty(); };
                if (!compactionDue) {
                    if (m_options.retention.isActive())
                        m_queueChanged.wait_until(lock, nextRetention, ready);
                    else
                        m_queueChanged.wait(lock, ready);
                }
                // Linger so that the batches of a stream share transactions: briefly after
                // the first one, and until the commit interval has passed since the last
                // commit began.
                if (!m_queue.empty() && !m_stopping) {
                    const auto deadline = std::max(Clock::now() + m_options.linger,
                                                   lastCommitStart + m_options.commitInterval);
                    m_queueChanged.wait_until(lock, deadline, [&] {
                        return m_stopping || m_flushWaiters > 0
                            || m_queuedRecords >= m_options.maxRecordsPerTransaction;
                    });
                }
                std::size_t records = 0;
                while (!m_queue.empty()
                       && (pending.empty()
                           || records + m_queue.front().recordCount()
                               <= m_options.maxRecordsPerTransaction)) {
                    records += m_queue.front().recordCount();
                    pending.push_back(std::move(m_queue.front()));
                    m_queue.pop_front();
                }
                if (pending.empty() && m_stopping && !compactionDue)
                    break;
            }
        }

        if (!pending.empty()) {
            lastCommitStart = Clock::now();
            try {
                const CommitSummary summary = m_committer->commit(pending);
                lastCommitSamples = summary.samples;
                std::size_t weight = 0;
                for (const RecordBatch &batch : pending)
                    weight += weightOf(batch);
                {
                    std::unique_lock lock(m_mutex);
                    m_queuedRecords -= weight;
                    m_committedBatches += pending.size();
                    m_offsets = m_committer->offsets();
                    m_consecutiveFailures = 0;
                    m_queueChanged.notify_all();
                    if (m_spent.size() < kMaxSpentBatches)
                        std::move(pending.begin(), pending.end(), std::back_inserter(m_spent));
                }
                pending.clear();
                retryDelay = std::chrono::milliseconds(50);
                if (m_options.onCommit)
                    m_options.onCommit(summary);
                Q_EMIT committed(summary);
            } catch (const sqlite::Error &e) {
                // Keep the batches and retry: a full disk or a locked file must not lose data.
                const std::string message = m_path + ": cannot commit: " + e.what();
                spdlog::error("{} (retrying in {} ms)", message, retryDelay.count());
                bool giveUp = false;
                {
                    std::unique_lock lock(m_mutex);
                    m_lastError = message;
                    ++m_consecutiveFailures;
                    ++m_totalFailures;
                    m_queueChanged.notify_all();
                    m_queueChanged.wait_for(lock, retryDelay, [&] { return m_stopping; });
                    giveUp = m_stopping;
                }
                retryDelay = std::min<std::chrono::milliseconds>(retryDelay * 2,
                                                                 std::chrono::milliseconds(5000));
                Q_EMIT writeFailed(QString::fromStdString(message));
                if (giveUp) {
                    // Closing while commits fail: say what stays unwritten.
                    std::size_t records = 0;
                    for (const RecordBatch &batch : pending)
                        records += batch.recordCount();
                    spdlog::error("{}: closing with {} batches ({} records) not written", m_path,
                                  pending.size(), records);
                    break;
                }
                continue;
            }
        }

        if (m_committer->hasCompactionWork()) {
            // Keep pace with ingest: rewrite about as many samples as the last commit added.
            try {
                bool stopping = false;
                {
                    std::unique_lock lock(m_mutex);
                    stopping = m_stopping;
                }
                m_committer->compact(std::max<std::int64_t>(50'000, lastCommitSamples), stopping);
            } catch (const sqlite::Error &e) {
                spdlog::warn("{}: compaction step failed, will retry: {}", m_path, e.what());
                std::unique_lock lock(m_mutex);
                m_queueChanged.wait_for(lock, std::chrono::seconds(1), [&] { return m_stopping; });
                if (m_stopping)
                    break; // the small chunks stay as they are; queries read them all the same
            }
        }

        if (m_options.retention.isActive() && Clock::now() >= nextRetention) {
            nextRetention = Clock::now()
                + (retentionStep() ? std::chrono::milliseconds(0) : m_options.retentionInterval);
        }
    }
    // Leave the capture within its retention at rest, and compact: merge what is below the
    // usual thresholds too.
    if (m_options.retention.isActive()) {
        for (int step = 0; step < 1000 && retentionStep(); ++step) { }
    }
    try {
        const auto compactionStart = Clock::now();
        const CompactionStep total = m_committer->compactEverything();
        spdlog::debug("{}: final compaction merged {} series ({} samples) in {:.3f} s", m_path,
                      total.series, total.samples,
                      std::chrono::duration<double>(Clock::now() - compactionStart).count());
    } catch (const sqlite::Error &e) {
        spdlog::warn("{}: final compaction failed: {}", m_path, e.what());
    }
    std::unique_lock lock(m_mutex);
    m_threadExited = true;
    m_queueChanged.notify_all();
}

} // namespace eventscope
