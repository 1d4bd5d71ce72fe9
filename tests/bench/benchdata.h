#pragma once

// Realistic noisy metric and event data for the store benchmark: what JSON producers write
// (fixed decimals, integer counters, millisecond-jittered scrape times), deterministic per seed.

#include "model/recordbatch.h"

#include <cmath>
#include <random>
#include <string>
#include <vector>

namespace eventscope::bench {

constexpr TimeUs kStart = 1'764'000'000LL * kMicrosPerSecond; // 2025-11-24T16:00:00Z
constexpr TimeUs kInterval = 10 * kMicrosPerSecond;

inline double roundTo(double value, double scale)
{
    return std::round(value * scale) / scale;
}

struct SeriesGenerator
{
    SeriesKey key;
    std::string unit;
    int shape = 0; // 0 ratio, 1 latency ms, 2 counter, 3 bytes
    double state = 0;
};

inline std::vector<SeriesGenerator> makeSeries(int count)
{
    static const char *kNames[]
        = {"cpu_utilization", "p99_latency_ms", "requests_total", "memory_usage_bytes"};
    static const char *kUnits[] = {"ratio", "ms", "requests", "bytes"};
    std::vector<SeriesGenerator> out;
    for (int i = 0; i < count; ++i) {
        SeriesGenerator g;
        g.shape = i % 4;
        g.key = SeriesKey(kNames[g.shape],
                          {{"service", "svc-" + std::to_string(i / 40)},
                           {"node", "node-" + std::to_string(i / 4 % 10)},
                           {"pod", "pod-" + std::to_string(i)}});
        g.unit = kUnits[g.shape];
        g.state = g.shape == 3 ? 5e8 : 0;
        out.push_back(std::move(g));
    }
    return out;
}

inline double nextValue(SeriesGenerator &g, std::size_t step, std::mt19937_64 &rng)
{
    std::normal_distribution<double> noise(0.0, 1.0);
    const double diurnal = std::sin(static_cast<double>(step) * 2 * M_PI / 8640.0);
    switch (g.shape) {
    case 0: return roundTo(std::clamp(0.45 + 0.2 * diurnal + 0.03 * noise(rng), 0.0, 1.0), 1e4);
    case 1: return roundTo(std::max(1.0, 120 + 40 * diurnal + 8 * noise(rng)), 1e2);
    case 2:
        g.state += std::floor(std::max(0.0, 500 + 200 * diurnal + 30 * noise(rng)));
        return g.state;
    default:
        g.state = std::max(1e8, g.state + std::round(4096 * noise(rng)) * 1024);
        return g.state;
    }
}

// `total` samples over `series`, interleaved the way a Kafka topic delivers them, cut into
// batches of `batchSize` records.
inline std::vector<RecordBatch> makeSampleBatches(int seriesCount, std::int64_t total,
                                                  std::size_t batchSize, std::uint64_t seed = 1)
{
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<int> jitterMs(-20, 20);
    auto series = makeSeries(seriesCount);
    std::vector<RecordBatch> batches;
    RecordBatch batch;
    std::vector<std::uint32_t> index(series.size(), UINT32_MAX);
    for (std::int64_t n = 0; n < total; ++n) {
        const auto s = static_cast<std::size_t>(n % seriesCount);
        const auto step = static_cast<std::size_t>(n / seriesCount);
        if (index[s] == UINT32_MAX)
            index[s] = batch.internSeries(series[s].key, series[s].unit);
        const TimeUs time = kStart + static_cast<TimeUs>(step) * kInterval + jitterMs(rng) * 1000;
        batch.addSample(index[s], time, nextValue(series[s], step, rng));
        if (batch.samples.size() == batchSize) {
            batches.push_back(std::move(batch));
            batch = RecordBatch();
            std::fill(index.begin(), index.end(), UINT32_MAX);
        }
    }
    if (!batch.samples.empty())
        batches.push_back(std::move(batch));
    return batches;
}

inline std::vector<RecordBatch> makeEventBatches(std::int64_t total, std::size_t batchSize,
                                                 std::uint64_t seed = 2)
{
    static const char *kTypes[]
        = {"scaling.scale_out", "deployment.rollout", "config.change", "provisioning.pod_created",
           "failure.crash",     "recovery.restarted", "k8s.Pulled",    "k8s.Scheduled"};
    std::mt19937_64 rng(seed);
    std::vector<RecordBatch> batches;
    RecordBatch batch;
    for (std::int64_t n = 0; n < total; ++n) {
        Event e;
        const auto t = rng() % 8;
        e.sourceId = "evt-" + std::to_string(rng() % 100'000'000'000ULL);
        e.time = kStart + n * 86'400 + static_cast<TimeUs>(rng() % 1000);
        e.type = kTypes[t];
        e.category = inferEventCategory(e.type);
        e.severity = e.category == EventCategory::Failure ? Severity::Error : Severity::Info;
        e.service = "svc-" + std::to_string(rng() % 25);
        e.entity = "pod-" + std::to_string(rng() % 1000);
        e.cluster = "prod-eu";
        e.message = "routine change " + std::to_string(n) + " applied by the controller";
        e.attributes = R"({"from":4,"to":6})";
        e.origin = {"scaling_events", static_cast<std::int32_t>(n % 6), n / 6};
        batch.events.push_back(std::move(e));
        if (batch.events.size() == batchSize) {
            batches.push_back(std::move(batch));
            batch = RecordBatch();
        }
    }
    if (!batch.events.empty())
        batches.push_back(std::move(batch));
    return batches;
}

} // namespace eventscope::bench
