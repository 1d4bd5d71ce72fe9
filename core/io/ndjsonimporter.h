#pragma once

#include "decode/messagedecoder.h"
#include "store/storewriter.h"
#include "util/result.h"

#include <atomic>
#include <functional>
#include <string>
#include <vector>

namespace eventscope {

struct ImportProgress
{
    std::string path;
    std::int64_t bytesRead = 0;
    std::int64_t totalBytes = -1; // -1 when unknown (stdin, pipes)
    std::int64_t lines = 0;
};

struct ImportSummary
{
    std::int64_t lines = 0; // non-blank lines decoded
    std::int64_t events = 0;
    std::int64_t samples = 0;
    std::int64_t logs = 0;
    std::int64_t spans = 0;
    std::int64_t topologyEdges = 0;
    std::int64_t deadLetters = 0;
    std::vector<std::string> firstReasons; // "file:line: reason", at most kMaxReasons
    static constexpr std::size_t kMaxReasons = 5;
};

// Reads NDJSON files (one message a line, any supported format) through MessageDecoder into a
// StoreWriter. Blank lines are skipped; undecodable lines become dead letters with their file
// and line number. Runs on the calling thread; the writer commits on its own.
class NdjsonImporter
{
public:
    using ProgressCallback = std::function<void(const ImportProgress &)>;

    explicit NdjsonImporter(StoreWriter &writer, ProgressCallback progress = {});

    // Imports one file; "-" reads standard input. Fails only when the file cannot be read or
    // the capture cannot be written; bad lines are dead letters, not failures.
    Status importFile(const std::string &path);
    // Waits for the writer to commit everything imported so far.
    Status finish();
    // Any thread: importFile stops after the block it is reading, keeps what it read and fails
    // saying where it stopped.
    void cancel() { m_cancelled.store(true, std::memory_order_relaxed); }

    const ImportSummary &summary() const { return m_summary; }

private:
    void handleLine(std::string_view line, std::int64_t lineNumber, const std::string &path);
    void addOversizeLine(std::string_view start, std::int64_t bytes, std::int64_t lineNumber,
                         const std::string &path);
    bool submitBatch();
    std::string writeFailure(const std::string &path, std::int64_t lineNumber) const;

    StoreWriter &m_writer;
    ProgressCallback m_progress;
    MessageDecoder m_decoder;
    RecordBatch m_batch;
    ImportSummary m_summary;
    std::string m_source;
    TimeUs m_receivedAt = 0;
    bool m_writeFailed = false;
    std::atomic<bool> m_cancelled{false};
};

} // namespace eventscope
