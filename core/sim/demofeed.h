#pragma once

#include "kafka/embeddedcluster.h"
#include "sim/simulator.h"
#include "util/result.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace eventscope::sim {

struct DemoFeedOptions
{
    int partitions = 3;
    TimeUs history = 45 * 60 * kMicrosPerSecond; // produced at once, before live traffic
    std::uint64_t seed = 0; // 0: a different demo each time
};

// What `eventscope --demo` consumes: librdkafka's mock cluster on loopback with the default
// topics, and the simulator producing all scenarios into it from a background thread. The
// recent past arrives at once; after that, traffic follows the wall clock. Consumers connect
// through bootstrapServers() like to any cluster, so the demo runs the real ingest path.
class DemoFeed
{
public:
    static Result<std::unique_ptr<DemoFeed>> start(const DemoFeedOptions &options);
    ~DemoFeed();
    DemoFeed(const DemoFeed &) = delete;
    DemoFeed &operator=(const DemoFeed &) = delete;

    std::string bootstrapServers() const { return m_cluster->bootstrapServers(); }
    std::uint64_t seed() const { return m_seed; }
    // Empty while the simulator runs; its failure otherwise.
    std::string error() const;
    void stop();

private:
    DemoFeed() = default;
    void run(SimulatorOptions options, TimeUs liveFrom);

    std::unique_ptr<kafka::EmbeddedCluster> m_cluster;
    std::uint64_t m_seed = 0;
    std::atomic<bool> m_stop{false};
    mutable std::mutex m_mutex;
    std::string m_error;
    std::thread m_thread;
};

} // namespace eventscope::sim
