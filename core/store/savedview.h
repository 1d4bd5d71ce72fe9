#pragma once

#include "model/timerange.h"
#include "store/queries.h"
#include "util/result.h"

#include <optional>
#include <string>

namespace eventscope {

// Where a console left a capture: the state the console writes (charts, series, range, filters,
// selection; JSON owned by the console) and the operator's notes (plain text, which reports
// print). Kept in the capture's optional `views` table, one row per name; the console writes
// the row named "" (the capture's view). Readers that do not know the table ignore it, so it
// needs no schema version.
struct SavedView
{
    std::string name;
    TimeUs savedAt = 0; // microseconds since the epoch
    std::string savedBy; // "EventScope 0.1.0"
    std::string notes;
    std::string state;
};

// Writes (replaces) the view named view.name into the capture at `path`: the one write the
// console makes to a capture, and only when the operator asks. Waits for a writer that holds
// the capture (a live ingest) rather than failing at once.
Status saveView(const std::string &path, const SavedView &view);

// A capture's identity: its capture_id (captures made from this version on, and every copy),
// else a digest of when, by what and from what it was created. Stays with the file when it is
// moved or renamed; what the console keys a capture's last view by in its settings.
std::string captureIdentity(const CaptureInfo &info);

} // namespace eventscope
