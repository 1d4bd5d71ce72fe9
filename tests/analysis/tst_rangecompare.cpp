// Compare (a selected range against its baseline): on hand-made series, a degraded series ranks
// above a single spike and a replica count's one-step move; a type whose rate rose is
// significant and a steady one is not. On the simulator: around each scheduling contention, the
// slowed jobs' duration or throughput ranks first among every series of the capture.

#include "analysis/rangecompare.h"
#include "model/recordbatch.h"
#include "simulatedcapture.h"
#include "store/batchcommitter.h"
#include "store/capturereader.h"
#include "util/timeformat.h"

#include <QTemporaryDir>
#include <QTest>

#include <random>

using namespace eventscope;
using namespace eventscope::analysis;

namespace {
constexpr TimeUs kStart = 1'764'000'000LL * kMicrosPerSecond;
constexpr TimeUs kMinute = 60 * kMicrosPerSecond;
} // namespace

class TestRangeCompare : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void baselines()
    {
        const TimeRange selection{kStart + 60 * kMinute, kStart + 120 * kMinute};
        QCOMPARE(baselineFor(selection, BaselineKind::JustBefore),
                 (TimeRange{kStart, kStart + 60 * kMinute}));
        QCOMPARE(baselineFor(selection, BaselineKind::DayEarlier).end,
                 selection.end - 24 * 60 * kMinute);
        QCOMPARE(baselineFor(selection, BaselineKind::WeekEarlier).begin,
                 selection.begin - 7 * 24 * 60 * kMinute);
    }

    void binomialPValues()
    {
        // Even split of 20 in equal halves: nothing unusual.
        QVERIFY(binomialTwoSidedP(10, 20, 0.5) > 0.99);
        // 18 of 20 in one half: p = 2 * P(X >= 18) = 0.000402.
        QVERIFY(std::abs(binomialTwoSidedP(18, 20, 0.5) - 0.000402) < 1e-5);
        // The normal approximation agrees for large counts.
        QVERIFY(binomialTwoSidedP(5'000, 10'000, 0.5) > 0.9);
        QVERIFY(binomialTwoSidedP(5'300, 10'000, 0.5) < 1e-6);
    }

    void degradedSeriesRanksAboveSpikesAndSteps()
    {
        const std::string path = m_dir.filePath(QStringLiteral("made.capture")).toStdString();
        auto committer = BatchCommitter::open(path, "test");
        QVERIFY(committer);
        std::vector<RecordBatch> batches(1);
        RecordBatch &batch = batches[0];
        std::mt19937 random(7);
        std::normal_distribution<double> noise(0, 1);
        // 20 quiet series, one degraded by 6 sigma in the selection, one with a single huge
        // spike there, one integer count that steps up by one.
        std::vector<std::uint32_t> quiet;
        for (int i = 0; i < 20; ++i)
            quiet.push_back(batch.internSeries(
                SeriesKey("latency_p99_ms", {{"service", "svc" + std::to_string(i)}}), "ms"));
        const auto degraded
            = batch.internSeries(SeriesKey("latency_p99_ms", {{"service", "payments"}}), "ms");
        const auto spiky
            = batch.internSeries(SeriesKey("latency_p99_ms", {{"service", "search"}}), "ms");
        const auto replicas = batch.internSeries(SeriesKey("replicas", {{"service", "cart"}}), "");
        for (int s = 0; s < 120 * 4; ++s) { // 15 s samples for two hours
            const TimeUs t = kStart + s * 15 * kMicrosPerSecond;
            const bool selected = t >= kStart + 60 * kMinute;
            for (auto id : quiet)
                batch.addSample(id, t, 100 + 10 * noise(random));
            batch.addSample(degraded, t, 100 + 10 * noise(random) + (selected ? 60 : 0));
            batch.addSample(spiky, t, 100 + 10 * noise(random) + (s == 300 ? 100'000 : 0));
            batch.addSample(replicas, t, selected ? 4 : 3);
        }
        // Events: 20 deploys in the selection against 2 before; config changes steady.
        for (int i = 0; i < 22; ++i) {
            Event e;
            e.sourceId = "d" + std::to_string(i);
            e.type = "deployment.rollout";
            e.category = EventCategory::Deployment;
            e.time = i < 2 ? kStart + (10 + i * 20) * kMinute : kStart + (61 + i * 2) * kMinute;
            batch.events.push_back(e);
        }
        for (int i = 0; i < 24; ++i) {
            Event e;
            e.sourceId = "c" + std::to_string(i);
            e.type = "config.feature_flag";
            e.category = EventCategory::Config;
            e.time = kStart + (2 + i * 5) * kMinute;
            batch.events.push_back(e);
        }
        (*committer)->commit(batches);
        auto reader = CaptureReader::open(path);
        QVERIFY(reader);

        const TimeRange selection{kStart + 60 * kMinute, kStart + 120 * kMinute};
        auto result
            = compareRanges(**reader, selection, baselineFor(selection, BaselineKind::JustBefore));
        QVERIFY2(result, result ? "" : result.error().c_str());
        QCOMPARE(result->seriesCompared, std::size_t(23));
        QCOMPARE(result->series.front().series.key.canonical(),
                 std::string("latency_p99_ms{service=payments}"));
        const SeriesChange &top = result->series.front();
        QVERIFY(top.effect > 4);
        QVERIFY(std::abs(top.relativeChange - 0.6) < 0.1);
        QCOMPARE(top.worse, 1); // slower is worse
        QVERIFY(!top.baselineShape.empty() && !top.selectionShape.empty());
        // The spike and the one-replica step are below it.
        for (std::size_t i = 1; i < result->series.size(); ++i)
            QVERIFY(std::abs(result->series[i].effect) < top.effect);
        const auto find = [&](const std::string &key) {
            return *std::find_if(
                result->series.begin(), result->series.end(),
                [&](const SeriesChange &c) { return c.series.key.canonical() == key; });
        };
        QVERIFY(std::abs(find("latency_p99_ms{service=search}").effect) < 1);
        QCOMPARE(find("replicas{service=cart}").effect, 1.0); // one step of its resolution
        QCOMPARE(result->events.front().type, std::string("deployment.rollout"));
        QVERIFY(result->events.front().pValue < 0.001);
        QVERIFY(result->events.front().rateRatio > 5);
        QVERIFY(result->events.back().pValue > 0.5);

        // A baseline that overlaps the selection is refused with the reason.
        auto overlap = compareRanges(**reader, selection,
                                     {selection.begin - kMinute, selection.begin + kMinute});
        QVERIFY(!overlap);
        QVERIFY(QString::fromStdString(overlap.error()).contains(QStringLiteral("overlaps")));
        // Cancelling stops it.
        auto stopped
            = compareRanges(**reader, selection, baselineFor(selection, BaselineKind::JustBefore),
                            {}, [] { return true; });
        QVERIFY(!stopped);
    }

    void simulatedContentionRanksTheSlowedJobsFirst()
    {
        // Scheduling contention slows the batch jobs down: with the minutes around each
        // FailedScheduling selected, the jobs' duration or throughput is what changed most,
        // among every series of the capture (services, pods, nodes).
        sim::SimulatorOptions options;
        options.seed = 21;
        options.start = *parseTimestamp("2026-11-24T00:00:00Z");
        options.duration = 8 * 3600 * kMicrosPerSecond;
        options.tracesPerSecond = 0.2;
        const std::string path = m_dir.filePath(QStringLiteral("sim.capture")).toStdString();
        const sim::GroundTruth truth = testing::simulateIntoCapture(options, path);
        auto reader = CaptureReader::open(path);
        QVERIFY(reader);
        int checked = 0;
        for (const sim::TruthIncident &incident : truth.incidents) {
            if (incident.kind != "scheduling_contention")
                continue;
            const TimeRange selection{incident.time - 2 * kMinute, incident.time + 3 * kMinute};
            auto result = compareRanges(**reader, selection,
                                        baselineFor(selection, BaselineKind::JustBefore));
            QVERIFY2(result, result ? "" : result.error().c_str());
            QVERIFY(result->seriesCompared > 50);
            const SeriesChange &top = result->series.front();
            const std::string name = top.series.key.name;
            QVERIFY2((name == "job_duration_seconds" || name == "jobs_completed_per_minute")
                         && top.service == incident.service,
                     top.series.key.canonical().c_str());
            if (name == "job_duration_seconds")
                QCOMPARE(top.worse, 1); // slower jobs are worse
            ++checked;
        }
        QVERIFY(checked >= 3);
    }
};

QTEST_MAIN(TestRangeCompare)
#include "tst_rangecompare.moc"
