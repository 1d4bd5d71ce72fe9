#pragma once

#include "model/origin.h"
#include "model/timerange.h"

#include <string>

namespace eventscope {

// A declared service dependency (FORMATS.md, "Topology"): `caller` calls `callee`. Sites
// without tracing declare their call graph this way; the analysis uses it beside the graph
// it learns from spans.
struct TopologyEdge
{
    std::string caller;
    std::string callee;
    TimeUs time = 0; // when the edge was known; 0 when not said
    std::string attributes; // a JSON object, or empty
    Origin origin;

    friend bool operator==(const TopologyEdge &, const TopologyEdge &) = default;
};

} // namespace eventscope
