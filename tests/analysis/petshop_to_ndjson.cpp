// One PetShop issue as EventScope NDJSON, to import and review like any capture:
//   petshop_to_ndjson DATASET SCENARIO SPLIT ISSUE OUT.ndjson
//   eventscope import --db issue.capture OUT.ndjson && eventscope --capture issue.capture
// Prints the failure event's id (for --incident) and the labelled root cause.

#include "petshopdataset.h"

#include <cstdio>
#include <string>

int main(int argc, char **argv)
{
    if (argc != 6) {
        std::fprintf(stderr,
                     "usage: %s DATASET SCENARIO SPLIT ISSUE OUT.ndjson\n"
                     "  e.g. %s ../shared/testdata/rca/petshop/dataset low_traffic test "
                     "issue_0 issue0.ndjson\n",
                     argv[0], argv[0]);
        return 2;
    }
    using namespace eventscope::testing::petshop;
    auto issues = listIssues(argv[1]);
    if (!issues) {
        std::fprintf(stderr, "petshop_to_ndjson: %s\n", issues.error().c_str());
        return 1;
    }
    for (const Issue &issue : *issues) {
        if (issue.scenario != argv[2] || issue.split != argv[3] || issue.name != argv[4])
            continue;
        if (auto status = writeIssueNdjson(argv[1], issue, argv[5]); !status) {
            std::fprintf(stderr, "petshop_to_ndjson: %s\n", status.error().c_str());
            return 1;
        }
        std::printf("failure %s\nroot cause (label) %s\n", issue.failureId.c_str(),
                    issue.rootCause.c_str());
        return 0;
    }
    std::fprintf(stderr, "petshop_to_ndjson: no issue %s/%s/%s under %s\n", argv[2], argv[3],
                 argv[4], argv[1]);
    return 1;
}
