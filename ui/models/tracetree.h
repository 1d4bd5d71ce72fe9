#pragma once

#include "model/span.h"

#include <cstdint>
#include <string>
#include <vector>

namespace eventscope::ui {

// One trace as a waterfall draws it: spans depth first from the root, children by start time,
// each with its depth and whether it lies on the critical path (the chain of spans that
// decides the trace's end: from the root, at each level the child that ends last).
struct TraceTree
{
    struct Row
    {
        std::size_t span = 0; // index in spans
        int depth = 0;
        int parent = -1; // row of the parent; -1 for a root (or a span whose parent is missing)
        bool critical = false;
        bool error = false; // this span failed
        bool errorBelow = false; // a span under it failed
    };

    std::vector<Span> spans;
    std::vector<Row> rows;
    TimeUs start = 0;
    TimeUs end = 0;
    int errors = 0;
    int maxDepth = 0;

    // Spans may come in any order and from several services; duplicates (the same span id
    // read twice) are kept once.
    static TraceTree build(std::vector<Span> spans);
    const Span &spanAt(int row) const { return spans[rows[static_cast<std::size_t>(row)].span]; }
    // Where the failure began: the first failing span (depth first) with no failing span
    // under it; -1 when none failed.
    int errorOriginRow() const;
};

} // namespace eventscope::ui
