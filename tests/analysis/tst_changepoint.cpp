// Change detection on its own: robust to outliers and noise, dates onsets, ignores episodes
// that ended, and handles a short history.

#include "analysis/callgraph.h"
#include "analysis/changepoint.h"

#include <QTest>

#include <cmath>
#include <random>

using namespace eventscope;
using namespace eventscope::analysis;

namespace {

constexpr TimeUs kStep = 10 * kMicrosPerSecond;

std::vector<Sample> noisy(int count, double level, double noise, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> normal(0, noise);
    std::vector<Sample> out;
    for (int i = 0; i < count; ++i)
        out.push_back({i * kStep, level + normal(rng)});
    return out;
}

} // namespace

class TestChangePoint : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void flatNoiseWithOutliersIsNoChange()
    {
        auto samples = noisy(360, 100, 3, 1);
        samples[200].value = 170; // single spikes, as real latency has
        samples[260].value = 175;
        QVERIFY(!detectChange(samples, 180 * kStep, 360 * kStep).has_value());
    }

    void stepIsDatedAndSized()
    {
        auto samples = noisy(360, 100, 3, 2);
        for (int i = 250; i < 360; ++i)
            samples[static_cast<std::size_t>(i)].value += 60;
        const auto change = detectChange(samples, 180 * kStep, 360 * kStep);
        QVERIFY(change.has_value());
        QVERIFY(change->ongoing);
        QCOMPARE(change->direction, 1);
        QVERIFY(std::abs(change->onset - 250 * kStep) <= 2 * kStep);
        QVERIFY(change->magnitude > 10);
        QVERIFY(std::abs(change->after - 160) < 5);
    }

    void rampStartsWhereItLeavesTheBaseline()
    {
        auto samples = noisy(360, 50, 1, 3);
        for (int i = 240; i < 360; ++i)
            samples[static_cast<std::size_t>(i)].value += (i - 240) * 0.5;
        const auto change = detectChange(samples, 180 * kStep, 360 * kStep);
        QVERIFY(change.has_value());
        QVERIFY2(change->onset <= 252 * kStep && change->onset >= 236 * kStep,
                 qPrintable(QString::number(change->onset / kStep)));
    }

    void anEpisodeThatEndedIsNotOngoing()
    {
        auto samples = noisy(360, 100, 3, 4);
        for (int i = 200; i < 260; ++i)
            samples[static_cast<std::size_t>(i)].value += 80;
        auto change = detectChange(samples, 180 * kStep, 360 * kStep);
        QVERIFY(change.has_value());
        QVERIFY(!change->ongoing);
        // A second episode at the end is the one reported.
        for (int i = 330; i < 360; ++i)
            samples[static_cast<std::size_t>(i)].value -= 50;
        change = detectChange(samples, 180 * kStep, 360 * kStep);
        QVERIFY(change && change->ongoing);
        QCOMPARE(change->direction, -1);
        QVERIFY(std::abs(change->onset - 330 * kStep) <= 2 * kStep);
    }

    void shortHistoryUsesTheFirstQuarter()
    {
        auto samples = noisy(60, 10, 0.2, 5);
        for (int i = 40; i < 60; ++i)
            samples[static_cast<std::size_t>(i)].value = 20;
        const auto change = detectChange(samples, 0, 60 * kStep);
        QVERIFY(change.has_value());
        QVERIFY(std::abs(change->onset - 40 * kStep) <= kStep);
    }

    void callGraphFromSpans()
    {
        std::vector<Span> spans;
        auto span = [&spans](std::string id, std::string parent, std::string service) {
            Span s;
            s.traceId = "t1";
            s.spanId = std::move(id);
            s.parentSpanId = std::move(parent);
            s.service = std::move(service);
            spans.push_back(s);
        };
        span("a", "", "frontend");
        span("b", "a", "checkout");
        span("c", "b", "payments");
        span("d", "c", "payments"); // internal span: no edge
        span("e", "d", "payments-db");
        CallGraph graph;
        graph.addSpans(spans);
        QCOMPARE(graph.edgeCount(), std::size_t{3});
        QCOMPARE(graph.distanceDown("frontend", "payments-db"), 3);
        QCOMPARE(graph.distanceDown("payments-db", "frontend"), -1);
        QVERIFY(graph.callers("checkout").count("frontend"));
    }
};

QTEST_GUILESS_MAIN(TestChangePoint)
#include "tst_changepoint.moc"
