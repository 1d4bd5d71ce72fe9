#pragma once

#include "model/recordbatch.h"
#include "store/batchcommitter.h"
#include "util/result.h"

#include <QObject>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace eventscope {

struct StoreWriterOptions
{
    std::string sourceDescription; // stored in meta.source when the capture is created
    std::size_t maxQueuedRecords = 1'000'000; // back-pressure: submit() waits beyond this
    std::size_t maxRecordsPerTransaction = 200'000;
    std::chrono::milliseconds linger{5}; // how long a commit waits for more batches
    // Commits start at most this often while batches stream in, unless a transaction's worth
    // is queued or flush() or close() is waiting. Each commit writes every series it touches
    // as a small chunk of its own, so fewer, larger commits cost the writer less.
    std::chrono::milliseconds commitInterval{100};
    RetentionPolicy retention;
    std::chrono::milliseconds retentionInterval{1000};
    // Called on the writer thread after every commit, before the committed() signal.
    std::function<void(const CommitSummary &)> onCommit;
};

// Owns the capture's writer thread. Producers (Kafka ingest, import) hand it RecordBatches;
// the thread groups whatever is queued into one transaction (up to a record count, or after
// `linger` and `commitInterval`), commits it, and announces the commit. A batch is never split
// across commits.
//
// Lives on the thread that created it; the writer thread is internal. submit/trySubmit/flush
// may be called from any thread.
class StoreWriter : public QObject
{
    Q_OBJECT

public:
    static Result<std::unique_ptr<StoreWriter>> open(const std::string &path,
                                                     StoreWriterOptions options = {});
    ~StoreWriter() override;

    // Queues a batch, waiting while the queue is full. False (batch not queued) once the writer
    // is closed, or when the queue is full and commits keep failing (see lastError()).
    bool submit(RecordBatch batch);
    // Queues a batch only if there is room; otherwise leaves it untouched and returns false.
    // The Kafka consumer uses this to pause fetching instead of blocking its poll loop.
    bool trySubmit(RecordBatch &batch);
    // Waits until everything submitted so far is committed. False on timeout, or when a commit
    // fails during the wait after kFailuresBeforeGivingUp failures in a row (see lastError());
    // nothing is dropped then: the batches stay queued and the writer keeps retrying.
    bool flush(std::chrono::milliseconds timeout = std::chrono::hours(1));
    static constexpr int kFailuresBeforeGivingUp = 5;
    // Flushes, stops the thread and checkpoints the WAL into the file.
    void close();

    // Offsets stored in the capture when it was opened plus everything committed since.
    std::vector<PartitionOffset> committedOffsets() const;
    // Grows with every batch committed; tells a producer that there is something new.
    std::uint64_t committedBatches() const;
    std::size_t queuedRecords() const;
    std::string lastError() const;
    const std::string &path() const { return m_path; }

Q_SIGNALS:
    // Emitted on the writer thread; receivers on other threads get it queued.
    void committed(const eventscope::CommitSummary &summary);
    void writeFailed(const QString &message);
    void retentionApplied(qint64 rowsDeleted);

private:
    StoreWriter(std::string path, std::unique_ptr<BatchCommitter> committer,
                StoreWriterOptions options);
    void run();
    // One bounded retention step; whether more is due at once.
    bool retentionStep();

    std::string m_path;
    StoreWriterOptions m_options;
    std::unique_ptr<BatchCommitter> m_committer;

    mutable std::mutex m_mutex;
    std::condition_variable m_queueChanged;
    std::deque<RecordBatch> m_queue;
    // Committed batches, freed by the next submit() on the producer's thread: the producer
    // allocated their strings, and freeing them there keeps the writer (the pipeline's
    // bottleneck) on SQLite work.
    std::vector<RecordBatch> m_spent;
    std::size_t m_queuedRecords = 0;
    std::uint64_t m_submitted = 0; // batches accepted
    std::uint64_t m_committedBatches = 0;
    int m_flushWaiters = 0; // flush() calls waiting: the writer commits without lingering
    std::vector<PartitionOffset> m_offsets;
    std::string m_lastError;
    int m_consecutiveFailures = 0;
    std::uint64_t m_totalFailures = 0;
    bool m_stopping = false;
    bool m_closed = false;
    bool m_threadExited = false;
    std::thread m_thread;
};

} // namespace eventscope

Q_DECLARE_METATYPE(eventscope::CommitSummary)
