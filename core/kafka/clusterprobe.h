#pragma once

#include "kafka/kafkaingest.h"
#include "util/result.h"

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace eventscope::kafka {

// What a cluster said when asked for its metadata with a connection's settings.
struct ClusterProbe
{
    struct Broker
    {
        std::int32_t id = 0;
        std::string address; // host:port
    };
    struct Topic
    {
        std::string name;
        int partitions = 0;
    };

    std::vector<Broker> brokers;
    std::vector<Topic> topics; // the ones asked for that exist (all topics for a regex)
    std::vector<std::string> missingTopics; // asked for by name, not on the cluster
};

// Connects with `options` (bootstrap servers, security and other -X properties), reads the
// cluster's metadata and closes again, within `timeout`. Failure is one sentence an operator
// can act on: unreachable, authentication failed, TLS failed, or a bad property, naming the
// servers. A topic that does not exist is not a failure: it is listed in missingTopics.
// Blocks the calling thread (the GUI runs it off its thread).
Result<ClusterProbe> probeCluster(const IngestOptions &options,
                                  std::chrono::milliseconds timeout = std::chrono::seconds(8));

} // namespace eventscope::kafka
