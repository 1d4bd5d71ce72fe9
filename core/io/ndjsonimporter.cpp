#include "io/ndjsonimporter.h"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

namespace eventscope {

namespace {

constexpr std::size_t kReadBlock = 1 << 20;
constexpr std::size_t kRecordsPerBatch = 20'000;

struct FileCloser
{
    void operator()(std::FILE *file) const
    {
        if (file && file != stdin)
            std::fclose(file);
    }
};

TimeUs nowUs()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace

NdjsonImporter::NdjsonImporter(StoreWriter &writer, ProgressCallback progress)
    : m_writer(writer)
    , m_progress(std::move(progress))
{ }

void NdjsonImporter::handleLine(std::string_view line, std::int64_t lineNumber,
                                const std::string &path)
{
    if (!line.empty() && line.back() == '\r')
        line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos)
        return;
    ++m_summary.lines;
    m_source.assign(path);
    m_source += ':';
    m_source += std::to_string(lineNumber);

    Message message;
    message.payload = line;
    message.source = m_source;
    message.receivedAt = m_receivedAt;
    const std::size_t deadBefore = m_batch.deadLetters.size();
    if (!m_decoder.decode(message, m_batch)
        && m_summary.firstReasons.size() < ImportSummary::kMaxReasons
        && m_batch.deadLetters.size() > deadBefore)
        m_summary.firstReasons.push_back(m_source + ": " + m_batch.deadLetters.back().reason);
    if (m_batch.recordCount() >= kRecordsPerBatch)
        submitBatch();
}

bool NdjsonImporter::submitBatch()
{
    if (m_batch.isEmpty())
        return true;
    m_summary.events += static_cast<std::int64_t>(m_batch.events.size());
    m_summary.samples += static_cast<std::int64_t>(m_batch.samples.size());
    m_summary.logs += static_cast<std::int64_t>(m_batch.logs.size());
    m_summary.spans += static_cast<std::int64_t>(m_batch.spans.size());
    m_summary.topologyEdges += static_cast<std::int64_t>(m_batch.topology.size());
    m_summary.deadLetters += static_cast<std::int64_t>(m_batch.deadLetters.size());
    if (!m_writer.submit(std::move(m_batch)))
        m_writeFailed = true;
    m_batch = RecordBatch();
    return !m_writeFailed;
}

void NdjsonImporter::addOversizeLine(std::string_view start, std::int64_t bytes,
                                     std::int64_t lineNumber, const std::string &path)
{
    ++m_summary.lines;
    DeadLetter letter;
    letter.receivedAt = m_receivedAt;
    letter.source = path + ":" + std::to_string(lineNumber);
    letter.reason = "line is " + std::to_string(bytes) + " bytes, over the "
        + std::to_string(MessageDecoder::kMaxMessageBytes >> 20) + " MiB limit";
    letter.payload = std::string(start.substr(0, DeadLetter::kMaxPayload));
    if (m_summary.firstReasons.size() < ImportSummary::kMaxReasons)
        m_summary.firstReasons.push_back(letter.source + ": " + letter.reason);
    m_batch.deadLetters.push_back(std::move(letter));
}

Status NdjsonImporter::importFile(const std::string &path)
{
    const bool isStdin = path == "-";
    const std::string name = isStdin ? std::string("stdin") : path;
    std::unique_ptr<std::FILE, FileCloser> file(isStdin ? stdin : std::fopen(path.c_str(), "rb"));
    if (!file)
        return Status::failure(path + ": cannot open: " + std::strerror(errno));

    ImportProgress progress;
    progress.path = name;
    if (!isStdin) {
        std::error_code error;
        const auto size = std::filesystem::file_size(path, error);
        if (!error)
            progress.totalBytes = static_cast<std::int64_t>(size);
        if (std::filesystem::is_directory(path, error))
            return Status::failure(path + ": is a directory; give NDJSON files");
    }

    std::vector<char> block(kReadBlock);
    std::string carry; // a line that spans blocks
    bool carryOverflow = false;
    std::int64_t carryBytes = 0;
    std::int64_t lineNumber = 0;
    auto lastReport = std::chrono::steady_clock::now();

    for (;;) {
        const std::size_t got = std::fread(block.data(), 1, block.size(), file.get());
        if (got == 0) {
            if (std::ferror(file.get()))
                return Status::failure(name + ": read error after "
                                       + std::to_string(progress.bytesRead)
                                       + " bytes: " + std::strerror(errno));
            break;
        }
        m_receivedAt = nowUs();
        progress.bytesRead += static_cast<std::int64_t>(got);
        std::string_view data(block.data(), got);
        while (!data.empty()) {
            const std::size_t newline = data.find('\n');
            const std::string_view piece = data.substr(0, newline);
            if (newline == std::string_view::npos) {
                // Keep at most the limit plus one byte: enough for the decoder to reject it.
                carryBytes += static_cast<std::int64_t>(piece.size());
                if (carry.size() + piece.size() <= MessageDecoder::kMaxMessageBytes + 1)
                    carry.append(piece);
                else
                    carryOverflow = true;
                break;
            }
            ++lineNumber;
            if (carry.empty() && !carryOverflow) {
                handleLine(piece, lineNumber, name);
            } else {
                carryBytes += static_cast<std::int64_t>(piece.size());
                if (!carryOverflow
                    && carry.size() + piece.size() <= MessageDecoder::kMaxMessageBytes + 1)
                    carry.append(piece);
                else
                    carryOverflow = true;
                if (carryOverflow) {
                    addOversizeLine(carry, carryBytes, lineNumber, name);
                } else {
                    handleLine(carry, lineNumber, name);
                }
                carry.clear();
                carryOverflow = false;
                carryBytes = 0;
            }
            data.remove_prefix(newline + 1);
        }
        progress.lines = lineNumber;
        if (m_writeFailed)
            return Status::failure(writeFailure(name, lineNumber));
        if (m_cancelled.load(std::memory_order_relaxed)) {
            // The records of the lines read so far are kept: a cancel stops, it does not undo.
            if (!submitBatch())
                return Status::failure(writeFailure(name, lineNumber));
            return Status::failure("import of " + name + " cancelled after line "
                                   + std::to_string(lineNumber)
                                   + "; the lines before it are in the capture");
        }
        const auto now = std::chrono::steady_clock::now();
        if (m_progress && now - lastReport > std::chrono::milliseconds(100)) {
            m_progress(progress);
            lastReport = now;
        }
    }
    if (!carry.empty() || carryOverflow) {
        ++lineNumber;
        if (carryOverflow) {
            addOversizeLine(carry, carryBytes, lineNumber, name);
        } else {
            handleLine(carry, lineNumber, name);
        }
    }
    progress.lines = lineNumber;
    if (m_progress)
        m_progress(progress);
    if (!submitBatch())
        return Status::failure(writeFailure(name, lineNumber));
    return {};
}

std::string NdjsonImporter::writeFailure(const std::string &path, std::int64_t lineNumber) const
{
    const std::string cause = m_writer.lastError().empty() ? m_writer.path() + ": capture closed"
                                                           : m_writer.lastError();
    return cause + " (import of " + path + " stopped near line " + std::to_string(lineNumber)
        + "; what was committed before stays in the capture)";
}

Status NdjsonImporter::finish()
{
    if (!submitBatch() || !m_writer.flush())
        return Status::failure(m_writer.lastError().empty()
                                   ? m_writer.path() + ": could not commit the import"
                                   : m_writer.lastError());
    return {};
}

} // namespace eventscope
