#pragma once

#include "store/savedview.h"
#include "store/sqlite.h"
#include "util/result.h"

#include <cstdint>
#include <string>

namespace eventscope::capture {

// 'EVSC' in the SQLite header's application_id: tells a capture from any other SQLite file
// without running SQL on it.
constexpr std::int32_t kApplicationId = 0x45565343;
// Stored as PRAGMA user_version and in meta.schema_version.
// Version 2 added event_history; older captures are upgraded when opened for writing and read
// as they are otherwise.
// Version 6 added the declared topology.
constexpr int kSchemaVersion = 6;

// Checks a file before it is queried: exists, not empty, an SQLite database, a capture, a
// schema this build reads, not truncated. The message names the file and the problem. Safe
// while this process has the capture open for writing (the header is read through SQLite).
Status validateFile(const std::string &path);

// Creates the schema in an empty database. Runs in rollback-journal mode so that the header
// (application id, schema version) is in the main file before WAL is switched on.
void createSchema(sqlite::Connection &connection, const std::string &sourceDescription);

// Brings a capture written by an older EventScope to the current schema in one transaction.
// Returns whether anything changed.
bool upgradeSchema(sqlite::Connection &connection);

// Pragmas for the single writer connection and for read connections.
void configureWriter(sqlite::Connection &connection);
void configureReader(sqlite::Connection &connection);

// "EventScope 0.1.0"
std::string createdByString();

// 32 random hex digits: a new capture's (or copy's) meta capture_id.
std::string newCaptureId();

// Creates the optional views table if needed and writes (replaces) one view, inside the
// caller's transaction.
void writeView(sqlite::Connection &connection, const SavedView &view);

} // namespace eventscope::capture
