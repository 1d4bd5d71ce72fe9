#pragma once

// The public PetShop root-cause dataset (Hardt et al., CLeaR 2024; CC-BY-4.0) as EventScope
// input. Each issue becomes native NDJSON an operator could import:
// - the scenario's normal operation (noissue/metrics.csv; the temporal scenarios, which have
//   none, borrow low_traffic's), moved by whole days to end at least a day before the
//   incident's rows (it was recorded months later; a gap says so);
// - the incident's rows;
// - one failure event on the observed component, at the dataset's breach time, naming the
//   metric that breached;
// - the call graph (graph.csv, row calls column) as topology lines.
// Metrics are CloudWatch's: `latency` (seconds; label statistic Average, p50, p90, p95, p99),
// `requests` (count per period, statistic Sum), `availability` (percent, statistic Average);
// label `service` is the component. Samples are stamped with their period's start.
// The label (target.json's root_cause) is returned for scoring and never written.

#include "util/result.h"

#include <string>
#include <vector>

namespace eventscope::testing::petshop {

struct Issue
{
    std::string scenario; // low_traffic, high_traffic, temporal_traffic1, temporal_traffic2
    std::string split; // train, test
    std::string name; // issue_N
    std::string directory;
    std::string failureId; // the failure event's id in the NDJSON
    std::string rootCause; // the label: for scoring only
};

// Every issue under `datasetRoot` (the folder holding the scenarios), in a stable order.
Result<std::vector<Issue>> listIssues(const std::string &datasetRoot);

// Writes the issue as NDJSON to `outputPath`: its history, then its incident.
Status writeIssueNdjson(const std::string &datasetRoot, const Issue &issue,
                        const std::string &outputPath);

// The same in two parts, so that issues whose history is the same (same normal period, moved
// by the same days) can share one import of it: the history's identity, the history alone,
// and what follows it (incident rows, failure, topology).
Result<std::string> historyKey(const std::string &datasetRoot, const Issue &issue);
Status writeHistoryNdjson(const std::string &datasetRoot, const Issue &issue,
                          const std::string &outputPath);
Status writeIncidentNdjson(const std::string &datasetRoot, const Issue &issue,
                           const std::string &outputPath);

} // namespace eventscope::testing::petshop
