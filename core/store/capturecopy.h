#pragma once

#include "store/queries.h"
#include "store/savedview.h"
#include "util/result.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace eventscope {

struct CopyProgress
{
    std::int64_t pagesCopied = 0;
    std::int64_t pageCount = 0;
};
// Called after each step of a copy; returning false cancels it.
using CopyProgressCallback = std::function<bool(const CopyProgress &)>;

struct CopyOptions
{
    // Written into the copy before it appears at its destination.
    std::optional<SavedView> view;
    // Pages per step: the grain of progress and cancelling (8 MB at the capture's page size).
    int pagesPerStep = 1024;
};

// Copies the capture at `source` to `destination` as it was at one instant, while a writer
// (a live ingest, in this process or another) keeps committing to it: SQLite's online backup
// runs inside one read transaction of the source, so the copy is exactly the capture at that
// transaction's start. Returns the source's counts at that instant, which are also the copy's.
// The copy is written beside `destination` and renamed over it when complete: cancelled or
// failed, nothing is left there and an existing file is untouched. The copy gets a new
// capture_id (it is a capture of its own from now on).
Result<CaptureInfo> copyCapture(const std::string &source, const std::string &destination,
                                const CopyOptions &options = {},
                                const CopyProgressCallback &progress = {});

} // namespace eventscope
