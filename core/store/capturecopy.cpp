#include "store/capturecopy.h"

#include "store/capturereader.h"
#include "store/captureschema.h"
#include "store/sqlite.h"
#include "util/timeformat.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>

namespace eventscope {

namespace {

namespace fs = std::filesystem;

void removeDatabaseFiles(const std::string &path)
{
    std::error_code ignored;
    for (const char *suffix : {"", "-journal", "-wal", "-shm"})
        fs::remove(path + suffix, ignored);
}

// Flushes a file (or a folder's entries) to the disk; false with errno set on failure.
bool syncPath(const std::string &path, bool directory)
{
    const int descriptor
        = ::open(path.c_str(), (directory ? O_DIRECTORY : 0) | O_RDONLY | O_CLOEXEC);
    if (descriptor < 0)
        return false;
    const bool synced = ::fsync(descriptor) == 0;
    const int saved = errno;
    ::close(descriptor);
    errno = saved;
    return synced;
}

// Copies page by page through the backup API; false when the callback cancelled.
bool backUp(sqlite::Connection &source, sqlite::Connection &destination, int pagesPerStep,
            const CopyProgressCallback &progress)
{
    sqlite3_backup *backup
        = sqlite3_backup_init(destination.handle(), "main", source.handle(), "main");
    if (!backup)
        destination.throwError(sqlite3_extended_errcode(destination.handle()), "starting the copy");
    bool cancelled = false;
    int rc = SQLITE_OK;
    do {
        rc = sqlite3_backup_step(backup, pagesPerStep);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
            sqlite3_sleep(5); // the destination is ours alone; only a stray lock gets here
            continue;
        }
        if ((rc == SQLITE_OK || rc == SQLITE_DONE) && progress) {
            const CopyProgress step{sqlite3_backup_pagecount(backup)
                                        - sqlite3_backup_remaining(backup),
                                    sqlite3_backup_pagecount(backup)};
            if (!progress(step)) {
                cancelled = true;
                break;
            }
        }
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    const int finished = sqlite3_backup_finish(backup);
    if (cancelled)
        return false;
    if (rc != SQLITE_DONE)
        throw sqlite::Error(rc, sqlite3_errstr(rc));
    if (finished != SQLITE_OK)
        destination.throwError(finished, "finishing the copy");
    return true;
}

} // namespace

Result<CaptureInfo> copyCapture(const std::string &source, const std::string &destination,
                                const CopyOptions &options, const CopyProgressCallback &progress)
{
    using Failure = Result<CaptureInfo>;
    std::error_code error;
    if (fs::exists(destination, error) && fs::equivalent(source, destination, error))
        return Failure::failure(destination
                                + ": is the capture being copied; choose another file name");
    const fs::path folder = fs::absolute(destination, error).parent_path();
    if (!fs::is_directory(folder, error))
        return Failure::failure(destination + ": cannot copy there: folder " + folder.string()
                                + " does not exist");
    if (fs::file_size(destination + "-wal", error) > 0 && !error)
        return Failure::failure(destination
                                + ": is a capture in use (it has a write-ahead log beside it); "
                                  "close what writes it or choose another file name");

    auto reader = CaptureReader::open(source);
    if (!reader)
        return Failure::failure(reader.error());
    const std::string temporary = destination + ".copying";
    removeDatabaseFiles(temporary); // left by a copy that was killed
    sqlite::Connection &from = (*reader)->m_connection;
    CaptureInfo info;
    try {
        // One read transaction from the first count to the last page: the counts and the copy
        // are the same instant, whatever the writer commits meanwhile.
        from.execute("BEGIN");
        auto counted = (*reader)->info();
        if (!counted) {
            from.execute("ROLLBACK");
            return Failure::failure(counted.error());
        }
        info = std::move(*counted);
        bool complete = false;
        {
            sqlite::Connection to(temporary, sqlite::Connection::Mode::ReadWriteCreate);
            complete = backUp(from, to, options.pagesPerStep, progress);
        }
        from.execute("COMMIT");
        if (!complete) {
            removeDatabaseFiles(temporary);
            return Failure::failure(destination + ": copy cancelled; nothing was written");
        }
        {
            sqlite::Connection copy(temporary, sqlite::Connection::Mode::ReadWrite);
            sqlite::Transaction transaction(copy);
            auto set = copy.prepare("INSERT INTO meta(key, value) VALUES (?1, ?2) "
                                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
            const std::string id = capture::newCaptureId();
            const std::string from_ = fs::absolute(source, error).string();
            const std::string at
                = formatTimestamp(std::chrono::duration_cast<std::chrono::microseconds>(
                                      std::chrono::system_clock::now().time_since_epoch())
                                      .count());
            set.bind(1, std::string_view("capture_id")).bind(2, id).run();
            set.bind(1, std::string_view("copied_from")).bind(2, from_).run();
            set.bind(1, std::string_view("copied_at")).bind(2, at).run();
            if (options.view)
                capture::writeView(copy, *options.view);
            transaction.commit();
            info.meta["capture_id"] = id;
            info.meta["copied_from"] = from_;
            info.meta["copied_at"] = at;
        } // the last connection checkpoints the log into the file and removes it
    } catch (const sqlite::Error &e) {
        try {
            from.execute("ROLLBACK");
        } catch (const sqlite::Error &) {
            // no transaction was open
        }
        removeDatabaseFiles(temporary);
        return Failure::failure(destination + ": cannot copy " + source + ": " + e.what());
    }
    if (!syncPath(temporary, false)) {
        const std::string reason = std::strerror(errno);
        removeDatabaseFiles(temporary);
        return Failure::failure(destination + ": cannot write the copy to disk: " + reason);
    }
    fs::rename(temporary, destination, error);
    if (error) {
        removeDatabaseFiles(temporary);
        return Failure::failure(destination + ": cannot put the copy in place: " + error.message());
    }
    syncPath(folder.string(), true);
    std::error_code ignored;
    info.path = destination;
    info.fileBytes = static_cast<std::int64_t>(fs::file_size(destination, ignored));
    return info;
}

} // namespace eventscope
