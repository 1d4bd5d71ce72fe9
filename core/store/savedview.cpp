#include "store/savedview.h"

#include "store/captureschema.h"
#include "store/failureindex.h"
#include "store/sqlite.h"

#include <cstdio>

namespace eventscope {

namespace {

constexpr const char *kViewsSchema = R"sql(
CREATE TABLE IF NOT EXISTS views (
    name TEXT PRIMARY KEY,
    saved_at INTEGER NOT NULL,
    saved_by TEXT NOT NULL,
    notes TEXT NOT NULL,
    state TEXT NOT NULL
) WITHOUT ROWID;
)sql";

} // namespace

namespace capture {

void writeView(sqlite::Connection &connection, const SavedView &view)
{
    connection.execute(kViewsSchema);
    auto insert = connection.prepare(
        "INSERT INTO views(name, saved_at, saved_by, notes, state) VALUES (?1, ?2, ?3, ?4, ?5) "
        "ON CONFLICT(name) DO UPDATE SET saved_at = excluded.saved_at, "
        "saved_by = excluded.saved_by, notes = excluded.notes, state = excluded.state");
    insert.bind(1, std::string_view(view.name))
        .bind(2, static_cast<std::int64_t>(view.savedAt))
        .bind(3, std::string_view(view.savedBy))
        .bind(4, std::string_view(view.notes))
        .bind(5, std::string_view(view.state))
        .run();
}

} // namespace capture

Status saveView(const std::string &path, const SavedView &view)
{
    if (Status valid = capture::validateFile(path); !valid)
        return valid;
    try {
        sqlite::Connection connection(path, sqlite::Connection::Mode::ReadWrite);
        if (sqlite3_db_readonly(connection.handle(), "main") == 1)
            return Status::failure(path
                                   + ": the capture file is read-only; save the view into a copy "
                                     "(File ▸ Save Capture As)");
        sqlite::Transaction transaction(connection);
        capture::writeView(connection, view);
        transaction.commit();
        return {};
    } catch (const sqlite::Error &e) {
        const int primary = e.code() & 0xff;
        if (primary == SQLITE_READONLY || primary == SQLITE_CANTOPEN || primary == SQLITE_PERM)
            return Status::failure(path + ": cannot write the view into the capture (" + e.what()
                                   + "); save it into a copy (File ▸ Save Capture As)");
        return Status::failure(path + ": cannot save the view: " + e.what());
    }
}

std::string captureIdentity(const CaptureInfo &info)
{
    if (const auto id = info.meta.find("capture_id"); id != info.meta.end() && !id->second.empty())
        return id->second;
    std::string basis;
    for (const char *key : {"created_at", "created_by", "source"}) {
        const auto found = info.meta.find(key);
        basis += found == info.meta.end() ? std::string() : found->second;
        basis += '\n';
    }
    char digest[17];
    // The failure index's FNV-1a: stable across builds, unlike std::hash.
    std::snprintf(digest, sizeof digest, "%016llx",
                  static_cast<unsigned long long>(failureindex::sourceIdHash(basis)));
    return std::string("created-") + digest;
}

} // namespace eventscope
