#pragma once

// Signal 3: where in the call graph a problem started.
//
// Assumes a call graph (learned from traces or declared), possibly incomplete, and per-service
// anomalies (signal 2). Latency and errors travel up the graph, from a callee to its callers;
// load travels down, from a caller to its callees. So:
// - a service whose symptoms a callee already shows (at the same time or earlier) is
//   discounted by how surely that callee is anomalous, and for durations by how much of the
//   slowdown the callee's own accounts for (they add up along calls): the deepest anomalous
//   service of a chain keeps its score, those above it lose theirs;
// - a service whose load rose with load rising at a caller inherited it; one whose load rose
//   on its own (no caller's did) is where a surge entered, and its callees' symptoms do not
//   discount it;
// - what the failing service shows decides which symptoms elsewhere can account for it: a
//   slowdown needs one as large below it, failed requests need failures (a slowdown counts
//   half);
// - a cause accounts for the anomalies of the services that depend on it: the larger the share
//   of all the anomaly upstream of a suspect, the likelier it is where it began;
// - a service whose callees are watched and healthy is known to be where it began; a leaf or
//   an uninstrumented remote only may be (what is behind it is unseen): a small difference,
//   for ordering suspects otherwise equal;
// - among suspects equally sure, the larger relative change ranks first;
// - the failing service reaches the others through the graph: a path through anomalous
//   services carries fully, one through healthy services much less (the graph traversal of
//   the RCA literature, softened so that one missed anomaly does not cut a path). Services it
//   does not reach at all keep a small part of their score: the graph may be incomplete.
// Without a graph (no traces, no topology) every service is reached and none explains another.

#include "analysis/callgraph.h"
#include "analysis/serviceanomaly.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace eventscope::analysis {

struct ServiceRank
{
    std::string service;
    double score = 0; // [0, 1]
    double own = 0; // the symptom left once callees and callers explained what they can
    double reach = 0; // how well the failing service reaches it through anomalous services
    bool loadOrigin = false; // load rose here, not at a caller
    bool inheritedLoad = false; // load rose here because it rose at a caller
    std::string explainedBy; // the callee that moved as surely and no later, if any
    double explains = 0; // the share of the other services' anomaly upstream of it
    // How surely nothing below it explains it: its callees are watched and stayed healthy (0
    // when it has no watched callee, so what lies behind it is unseen).
    double confirmed = 0;
};

struct PropagationOptions
{
    TimeUs sameTime = 0; // onsets this close count as simultaneous (about one sample interval)
    // Services with series of their own around the incident, whether they moved or not (those
    // with an anomaly count as watched anyway). A callee outside it is unseen.
    std::set<std::string> watched;
};

// Every service with a symptom or a load change, best first.
std::vector<ServiceRank> rankServices(const CallGraph &graph, const std::string &failingService,
                                      const std::map<std::string, ServiceAnomaly> &services,
                                      const PropagationOptions &options);

} // namespace eventscope::analysis
