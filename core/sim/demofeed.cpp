#include "sim/demofeed.h"

#include "sim/messagesink.h"

#include <spdlog/spdlog.h>

#include <chrono>

namespace eventscope::sim {

Result<std::unique_ptr<DemoFeed>> DemoFeed::start(const DemoFeedOptions &options)
{
    kafka::EmbeddedClusterOptions clusterOptions;
    clusterOptions.partitions = options.partitions;
    auto cluster = kafka::EmbeddedCluster::start(clusterOptions);
    if (!cluster)
        return Result<std::unique_ptr<DemoFeed>>::failure(cluster.error());
    std::unique_ptr<DemoFeed> feed(new DemoFeed());
    feed->m_cluster = std::move(*cluster);

    const TimeUs now = std::chrono::duration_cast<std::chrono::microseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
    SimulatorOptions simulation;
    simulation.seed = options.seed != 0 ? options.seed : static_cast<std::uint64_t>(now);
    simulation.start = now - options.history;
    simulation.start -= simulation.start % simulation.tickInterval;
    simulation.duration = 0; // until stopped
    feed->m_seed = simulation.seed;
    feed->m_thread
        = std::thread([raw = feed.get(), simulation, now] { raw->run(simulation, now); });
    spdlog::info("demo: embedded cluster at {}, simulator seed {}", feed->bootstrapServers(),
                 simulation.seed);
    return feed;
}

DemoFeed::~DemoFeed()
{
    stop();
}

void DemoFeed::stop()
{
    m_stop = true;
    if (m_thread.joinable())
        m_thread.join();
}

std::string DemoFeed::error() const
{
    std::lock_guard lock(m_mutex);
    return m_error;
}

void DemoFeed::run(SimulatorOptions options, TimeUs liveFrom)
{
    auto sink = KafkaSink::create(m_cluster->bootstrapServers());
    Status status;
    if (!sink) {
        status = Status::failure(sink.error());
    } else {
        Simulator simulator(options);
        RunOptions run;
        run.speed = 1.0;
        run.liveFrom = liveFrom;
        run.stop = &m_stop;
        status = runSimulation(simulator, **sink, run);
    }
    if (!status) {
        spdlog::error("demo simulator stopped: {}", status.error());
        std::lock_guard lock(m_mutex);
        m_error = status.error();
    }
}

} // namespace eventscope::sim
