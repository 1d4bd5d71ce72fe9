// The root-cause signals one at a time (core/analysis): what a metric means, how abnormal one
// series' change is, a service's state from its series, and where in the call graph a problem
// started. Each case states the assumption of the signal's header it checks.

#include "analysis/callgraph.h"
#include "analysis/confidence.h"
#include "analysis/eventlinking.h"
#include "analysis/graphpropagation.h"
#include "analysis/metricmeaning.h"
#include "analysis/seriesanomaly.h"
#include "analysis/serviceanomaly.h"

#include <QTest>

#include <cmath>
#include <random>

using namespace eventscope;
using namespace eventscope::analysis;

namespace {

constexpr TimeUs kMinute = 60 * kMicrosPerSecond;

// `history` samples before the window, then `values` inside it, every `step`.
struct Series
{
    std::vector<Sample> samples;
    ScoringWindow window;
};

Series makeSeries(const std::vector<double> &history, const std::vector<double> &values,
                  TimeUs step)
{
    Series s;
    TimeUs t = 0;
    for (double v : history) {
        s.samples.push_back({t, v});
        t += step;
    }
    s.window.begin = t;
    for (double v : values) {
        s.samples.push_back({t, v});
        t += step;
    }
    s.window.end = t;
    return s;
}

std::vector<double> noisy(int count, double level, double noise, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> normal(0, noise);
    std::vector<double> out;
    for (int i = 0; i < count; ++i)
        out.push_back(level + normal(rng));
    return out;
}

MetricMeaning latencyMeaning()
{
    return metricMeaning(SeriesKey("latency", {{"service", "a"}}), "s");
}

SeriesFinding finding(std::string service, MetricRole role, double probability, TimeUs onset,
                      double changeSeconds = 0, double effect = 0.5)
{
    SeriesFinding f;
    f.service = std::move(service);
    f.series = "m{service=" + f.service + "}";
    f.meaning.role = role;
    f.meaning.badDirection = role == MetricRole::Availability ? -1 : 1;
    f.score.probability = probability;
    f.score.onset = onset;
    f.score.direction = role == MetricRole::Availability ? -1 : 1;
    f.score.sigmas = 10;
    f.score.effect = effect;
    f.changeSeconds = changeSeconds;
    return f;
}

ServiceAnomaly slowService(double symptom, TimeUs onset, double slower, double effect = 0.5)
{
    ServiceAnomaly s;
    s.symptom = symptom;
    s.latencySymptom = symptom;
    s.onset = onset;
    s.slower = slower;
    s.effect = effect;
    return s;
}

PropagationOptions sameMinute()
{
    PropagationOptions options;
    options.sameTime = kMinute;
    return options;
}

int rankOf(const std::vector<ServiceRank> &ranks, const std::string &service)
{
    for (std::size_t i = 0; i < ranks.size(); ++i)
        if (ranks[i].service == service)
            return static_cast<int>(i) + 1;
    return 0;
}

const ServiceRank *find(const std::vector<ServiceRank> &ranks, const std::string &service)
{
    for (const ServiceRank &r : ranks)
        if (r.service == service)
            return &r;
    return nullptr;
}

} // namespace

class TestAnalysisSignals : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Signal 0: meaning from the unit first, labels next, names last.
    void meaningFromUnitsLabelsAndNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("statistic");
        QTest::addColumn<QString>("unit");
        QTest::addColumn<int>("role");
        QTest::addColumn<int>("badDirection");
        QTest::addColumn<bool>("bounded");
        QTest::addColumn<bool>("count");

        const auto row = [](const char *tag, const char *name, const char *statistic,
                            const char *unit, MetricRole role, int bad, bool bounded, bool count) {
            QTest::newRow(tag) << QString::fromLatin1(name) << QString::fromLatin1(statistic)
                               << QString::fromLatin1(unit) << static_cast<int>(role) << bad
                               << bounded << count;
        };
        // A duration unit decides whatever the name says.
        row("unit ms", "checkout", "", "ms", MetricRole::Latency, 1, false, false);
        row("unit s on an odd name", "server_time_taken", "", "s", MetricRole::Latency, 1, false,
            false);
        // Real sites' latency names, without a unit.
        row("response_time", "http_response_time", "", "", MetricRole::Latency, 1, false, false);
        row("duration", "grpc_server_duration", "", "", MetricRole::Latency, 1, false, false);
        row("p99 in the name", "api_p99", "", "", MetricRole::Latency, 1, false, false);
        // A quantile label says a statistic of a distribution, i.e. a duration here.
        row("statistic p99", "frontend", "p99", "", MetricRole::Latency, 1, false, false);
        row("errors", "http_errors_total", "", "", MetricRole::Errors, 1, false, true);
        row("availability percent", "availability", "Average", "percent", MetricRole::Availability,
            -1, true, false);
        row("requests count", "requests", "Sum", "count", MetricRole::Load, 0, false, true);
        row("rate unit is load", "ingress", "", "1/s", MetricRole::Load, 0, false, false);
        row("bytes are saturation", "heap", "", "By", MetricRole::Saturation, 1, false, false);
        row("cpu", "container_cpu_usage", "", "", MetricRole::Saturation, 1, false, false);
        row("desired replicas are state", "replicas_desired", "", "", MetricRole::State, 0, false,
            false);
        // A ratio whose name says nothing: bounded, its bad direction left to behaviour.
        row("bare ratio", "widget_share", "", "ratio", MetricRole::Other, 0, true, false);
    }
    void meaningFromUnitsLabelsAndNames()
    {
        QFETCH(QString, name);
        QFETCH(QString, statistic);
        QFETCH(QString, unit);
        QFETCH(int, role);
        QFETCH(int, badDirection);
        QFETCH(bool, bounded);
        QFETCH(bool, count);
        std::vector<Label> labels{{"service", "a"}};
        if (!statistic.isEmpty())
            labels.emplace_back("statistic", statistic.toStdString());
        const MetricMeaning m
            = metricMeaning(SeriesKey(name.toStdString(), labels), unit.toStdString());
        QCOMPARE(static_cast<int>(m.role), role);
        QCOMPARE(m.badDirection, badDirection);
        QCOMPARE(m.bounded, bounded);
        QCOMPARE(m.count, count);
    }

    void secondsPerUnitFromUnitThenName()
    {
        QCOMPARE(secondsPerUnit(SeriesKey("x", {}), "ms"), 1e-3);
        QCOMPARE(secondsPerUnit(SeriesKey("x", {}), "s"), 1.0);
        QCOMPARE(secondsPerUnit(SeriesKey("request_duration_seconds", {}), ""), 1.0);
        QCOMPARE(secondsPerUnit(SeriesKey("latency_ms", {}), ""), 1e-3);
        // A unit that is not a duration is not overridden by the name.
        QCOMPARE(secondsPerUnit(SeriesKey("latency_ms", {}), "widgets"), 0.0);
        QCOMPARE(secondsPerUnit(SeriesKey("latency", {}), ""), 0.0);
    }

    // Signal 1.
    void probabilityRisesWithSigmas()
    {
        QCOMPARE(anomalyProbability(0), 0.0);
        QCOMPARE(anomalyProbability(3), 0.0);
        QVERIFY(std::abs(anomalyProbability(7) - 0.63) < 0.01);
        QVERIFY(std::abs(anomalyProbability(15) - 0.95) < 0.01);
        double previous = 0;
        for (double s = 3; s < 40; s += 0.5) {
            QVERIFY(anomalyProbability(s) >= previous);
            QVERIFY(anomalyProbability(s) < 1.0);
            previous = anomalyProbability(s);
        }
    }

    void flatHistoryDoesNotMakeAWiggleAnomalous()
    {
        // MAD 0 in the history: a plain z-score calls the smallest wiggle hundreds of sigma.
        const Series s = makeSeries(std::vector<double>(40, 0.100),
                                    {0.100, 0.1004, 0.0998, 0.1003, 0.1001, 0.1002}, kMinute);
        const auto score = scoreSeries(s.samples, s.window, latencyMeaning());
        QVERIFY(!score || score->probability == 0.0);
    }

    void flatHistoryStillShowsARealStep()
    {
        const Series s = makeSeries(std::vector<double>(40, 0.100),
                                    {0.100, 0.101, 0.100, 0.450, 0.460, 0.455, 0.470}, kMinute);
        const auto score = scoreSeries(s.samples, s.window, latencyMeaning());
        QVERIFY(score);
        QVERIFY2(score->probability > 0.9, qPrintable(QString::number(score->probability)));
        QVERIFY(score->dated);
        QCOMPARE(score->onset, s.window.begin + 3 * kMinute);
        QCOMPARE(score->direction, 1);
        QVERIFY(score->effect > 3.0);
    }

    void levelShiftBeforeTheWindowIsNotDatedAtItsStart()
    {
        // History recorded at another level (another day, before a restart); inside the window
        // nothing changes. At most the undated half-weight score, never an onset at the start.
        const Series s = makeSeries(noisy(40, 0.100, 0.002, 1), noisy(8, 0.200, 0.002, 2), kMinute);
        const auto score = scoreSeries(s.samples, s.window, latencyMeaning());
        QVERIFY(score);
        QVERIFY(!score->dated);
        QVERIFY(score->probability <= 0.5);
    }

    void aStepAfterALevelShiftIsDatedWhereItHappens()
    {
        std::vector<double> window = noisy(4, 0.200, 0.002, 3);
        for (double v : noisy(5, 0.600, 0.002, 4))
            window.push_back(v);
        const Series s = makeSeries(noisy(40, 0.100, 0.002, 5), window, kMinute);
        const auto score = scoreSeries(s.samples, s.window, latencyMeaning());
        QVERIFY(score);
        QVERIFY(score->dated);
        QCOMPARE(score->onset, s.window.begin + 4 * kMinute);
        QVERIFY(std::abs(score->reference - 0.200) < 0.01);
        QVERIFY(score->probability > 0.9);
    }

    void coarseResolutionAndFewPoints()
    {
        // Five-minute rows, five of them in the window, the change in the fourth.
        constexpr TimeUs kFiveMinutes = 5 * kMinute;
        const Series s = makeSeries(noisy(24, 0.050, 0.002, 6), {0.051, 0.049, 0.050, 0.140, 0.150},
                                    kFiveMinutes);
        const auto score = scoreSeries(s.samples, s.window, latencyMeaning());
        QVERIFY(score);
        QVERIFY(score->dated);
        QCOMPARE(score->onset, s.window.begin + 3 * kFiveMinutes);
        QVERIFY(score->probability > 0.8);
    }

    void noHistoryBorrowsTheWindowsStart()
    {
        std::vector<double> window = noisy(10, 0.100, 0.002, 7);
        for (double v : noisy(10, 0.400, 0.002, 8))
            window.push_back(v);
        const Series s = makeSeries({}, window, kMinute);
        const auto score = scoreSeries(s.samples, s.window, latencyMeaning());
        QVERIFY(score);
        QCOMPARE(score->onset, s.window.begin + 10 * kMinute);
        QVERIFY(score->probability > 0.9);
        // Too few samples to tell anything: no score rather than a guess.
        const Series tiny = makeSeries({}, {0.1, 0.5}, kMinute);
        QVERIFY(!scoreSeries(tiny.samples, tiny.window, latencyMeaning()));
    }

    void theGoodDirectionIsNotAnomalous()
    {
        const Series s
            = makeSeries(noisy(40, 0.300, 0.003, 9), {0.300, 0.302, 0.100, 0.098, 0.101}, kMinute);
        const auto score = scoreSeries(s.samples, s.window, latencyMeaning());
        QVERIFY(!score || score->probability == 0.0);
    }

    void boundedSeriesMeasuredFromItsBound()
    {
        // Availability at 100 % dropping to 97 %: 3 % of the level, but the whole distance from
        // the bound is 0, so the effect is large.
        const MetricMeaning meaning
            = metricMeaning(SeriesKey("availability", {{"service", "a"}}), "percent");
        const Series s = makeSeries(std::vector<double>(30, 100.0),
                                    {100.0, 100.0, 97.0, 96.5, 97.2}, 5 * kMinute);
        const auto score = scoreSeries(s.samples, s.window, meaning);
        QVERIFY(score);
        QCOMPARE(score->direction, -1);
        QVERIFY(score->probability > 0.9);
        QVERIFY(score->effect > 1.0);
        // A ratio of unknown direction sitting near 0 goes bad upward, by behaviour.
        const MetricMeaning share = metricMeaning(SeriesKey("widget_share", {}), "ratio");
        const Series rising = makeSeries(std::vector<double>(30, 0.001),
                                         {0.001, 0.001, 0.200, 0.210, 0.190}, kMinute);
        const auto up = scoreSeries(rising.samples, rising.window, share);
        QVERIFY(up && up->probability > 0.9);
        const Series falling = makeSeries(std::vector<double>(30, 0.200),
                                          {0.200, 0.200, 0.001, 0.001, 0.001}, kMinute);
        const auto down = scoreSeries(falling.samples, falling.window, share);
        QVERIFY(!down || down->probability == 0.0);
    }

    void countsHaveAtLeastPoissonNoise()
    {
        // Errors at 2-3 per period, then 6: within the noise of a count that small.
        const MetricMeaning errors = metricMeaning(SeriesKey("errors_total", {}), "count");
        const Series s = makeSeries({2, 3, 2, 2, 3, 2, 3, 2, 2, 3, 2, 2}, {2, 3, 6, 5, 6}, kMinute);
        const auto score = scoreSeries(s.samples, s.window, errors);
        QVERIFY(!score || score->probability < 0.3);
        // 2 → 60 is not.
        const Series big
            = makeSeries({2, 3, 2, 2, 3, 2, 3, 2, 2, 3, 2, 2}, {2, 3, 60, 58, 61}, kMinute);
        const auto bigScore = scoreSeries(big.samples, big.window, errors);
        QVERIFY(bigScore && bigScore->probability > 0.9);
    }

    void aRampIsDatedWhereItStarted()
    {
        std::vector<double> window(6, 0.100);
        for (int i = 1; i <= 10; ++i)
            window.push_back(0.100 + 0.05 * i);
        const Series s = makeSeries(std::vector<double>(40, 0.100), window, kMinute);
        const auto score = scoreSeries(s.samples, s.window, latencyMeaning());
        QVERIFY(score);
        QVERIFY2(score->onset <= s.window.begin + 7 * kMinute,
                 qPrintable(QString::number((score->onset - s.window.begin) / kMinute)));
    }

    // Signal 2.
    void serviceTakesItsWorstSymptomAndKeepsLoadApart()
    {
        const std::vector<SeriesFinding> findings{
            finding("a", MetricRole::Saturation, 0.9, 3 * kMinute),
            finding("a", MetricRole::Latency, 0.8, 2 * kMinute, 0.25),
            finding("a", MetricRole::Latency, 0.3, 1 * kMinute, 0.05),
            finding("a", MetricRole::Load, 0.95, 1 * kMinute),
            finding("a", MetricRole::State, 0.99, 0),
            finding("b", MetricRole::Availability, 0.7, 4 * kMinute),
            finding("", MetricRole::Errors, 1.0, 0), // no service: not attributed
        };
        const auto services = aggregateByService(findings);
        QCOMPARE(services.size(), std::size_t(2));
        const ServiceAnomaly &a = services.at("a");
        // Latency counts fully, saturation less: 0.8 beats 0.7 × 0.9.
        QCOMPARE(a.symptom, 0.8);
        QCOMPARE(a.onset, 2 * kMinute);
        QCOMPARE(a.latencySymptom, 0.8);
        QVERIFY(std::abs(a.otherSymptom - symptomWeight(MetricRole::Saturation) * 0.9) < 1e-9);
        QCOMPARE(a.errorSymptom, 0.0);
        QCOMPARE(a.slower, 0.25);
        // Load is not a symptom; a desired state is nothing.
        QCOMPARE(a.load, 0.95);
        QCOMPARE(a.loadOnset, 1 * kMinute);
        const ServiceAnomaly &b = services.at("b");
        QCOMPARE(b.errorSymptom, 0.7);
        QCOMPARE(b.symptom, 0.7);
        QCOMPARE(symptomWeight(MetricRole::Load), 0.0);
        QCOMPARE(symptomWeight(MetricRole::State), 0.0);
    }

    // Signal 3.
    void theDeepestAnomalousServiceOfAChainRanksFirst()
    {
        // frontend → api → db, all slower together; db's slowdown accounts for the others'.
        CallGraph graph;
        graph.addEdge("frontend", "api");
        graph.addEdge("api", "db");
        graph.addEdge("frontend", "static");
        std::map<std::string, ServiceAnomaly> services{
            {"frontend", slowService(0.95, 10 * kMinute, 0.52)},
            {"api", slowService(0.95, 10 * kMinute, 0.51)},
            {"db", slowService(0.90, 10 * kMinute, 0.50)},
        };
        const auto ranks = rankServices(graph, "frontend", services, sameMinute());
        QCOMPARE(rankOf(ranks, "db"), 1);
        const ServiceRank *frontend = find(ranks, "frontend");
        QVERIFY(frontend);
        QVERIFY(frontend->score < ranks.front().score);
        QVERIFY(!frontend->explainedBy.empty());
    }

    void aCalleeThatExplainsLittleOfTheSlowdownDoesNotTakeTheBlame()
    {
        // api slows by 2 s, its callee db by 10 ms: db is anomalous but accounts for almost
        // nothing of api's slowdown.
        CallGraph graph;
        graph.addEdge("frontend", "api");
        graph.addEdge("api", "db");
        std::map<std::string, ServiceAnomaly> services{
            {"frontend", slowService(0.95, 10 * kMinute, 2.01)},
            {"api", slowService(0.95, 10 * kMinute, 2.0)},
            {"db", slowService(0.95, 10 * kMinute, 0.01)},
        };
        const auto ranks = rankServices(graph, "frontend", services, sameMinute());
        QCOMPARE(rankOf(ranks, "api"), 1);
    }

    void aLaterCalleeDoesNotExplainAnEarlierCaller()
    {
        CallGraph graph;
        graph.addEdge("frontend", "api");
        graph.addEdge("api", "db");
        std::map<std::string, ServiceAnomaly> services{
            {"frontend", slowService(0.95, 10 * kMinute, 0.5)},
            {"api", slowService(0.95, 10 * kMinute, 0.5)},
            {"db", slowService(0.95, 30 * kMinute, 0.5)}, // twenty minutes after
        };
        const auto ranks = rankServices(graph, "frontend", services, sameMinute());
        QCOMPARE(rankOf(ranks, "api"), 1);
    }

    void loadThatRoseAtACallerIsInherited()
    {
        // A surge enters at the gateway; the backend's load rises with it and it slows down.
        CallGraph graph;
        graph.addEdge("gateway", "backend");
        std::map<std::string, ServiceAnomaly> services;
        ServiceAnomaly gateway = slowService(0.6, 10 * kMinute, 0.05);
        gateway.load = 0.95;
        gateway.loadOnset = 9 * kMinute;
        ServiceAnomaly backend = slowService(0.95, 10 * kMinute, 0.04);
        backend.load = 0.95;
        backend.loadOnset = 9 * kMinute;
        services.emplace("gateway", gateway);
        services.emplace("backend", backend);
        const auto ranks = rankServices(graph, "gateway", services, sameMinute());
        const ServiceRank *g = find(ranks, "gateway");
        const ServiceRank *b = find(ranks, "backend");
        QVERIFY(g && b);
        QVERIFY(g->loadOrigin);
        QVERIFY(!g->inheritedLoad);
        QVERIFY(b->inheritedLoad);
        QVERIFY(!b->loadOrigin);
        QCOMPARE(rankOf(ranks, "gateway"), 1);
    }

    void servicesTheFailingOneDoesNotReachRankBelow()
    {
        // Two equally anomalous leaves; only one is reachable from the failing service.
        CallGraph graph;
        graph.addEdge("frontend", "payments");
        graph.addEdge("reports", "archive");
        std::map<std::string, ServiceAnomaly> services{
            {"frontend", slowService(0.9, 10 * kMinute, 0.3)},
            {"payments", slowService(0.9, 10 * kMinute, 0.3)},
            {"archive", slowService(0.9, 10 * kMinute, 0.3)},
        };
        const auto ranks = rankServices(graph, "frontend", services, sameMinute());
        QVERIFY(rankOf(ranks, "payments") < rankOf(ranks, "archive"));
        const ServiceRank *archive = find(ranks, "archive");
        QVERIFY(archive && archive->score > 0); // the graph may be incomplete: not zero
    }

    void aServiceWithHealthyWatchedCalleesIsSurerThanAnUnseenOne()
    {
        // The caller sees two callees slow alike: a service whose own callees are watched and
        // healthy, and an uninstrumented remote whose insides nobody sees.
        CallGraph graph;
        graph.addEdge("site", "search");
        graph.addEdge("site", "search-remote");
        graph.addEdge("search", "table");
        std::map<std::string, ServiceAnomaly> services{
            {"site", slowService(0.95, 10 * kMinute, 1.0)},
            {"search", slowService(0.95, 10 * kMinute, 1.0)},
            {"search-remote", slowService(0.95, 10 * kMinute, 1.0)},
        };
        PropagationOptions options = sameMinute();
        options.watched = {"site", "search", "table"};
        const auto ranks = rankServices(graph, "site", services, options);
        QCOMPARE(rankOf(ranks, "search"), 1);
        QCOMPARE(rankOf(ranks, "search-remote"), 2);
        QCOMPARE(find(ranks, "search")->confirmed, 1.0);
        QCOMPARE(find(ranks, "search-remote")->confirmed, 0.0);
        // Only a difference among equals: a surer unseen one still ranks first.
        services["search-remote"] = slowService(0.95, 10 * kMinute, 1.0);
        services["search"] = slowService(0.8, 10 * kMinute, 1.0);
        QCOMPARE(rankOf(rankServices(graph, "site", services, options), "search-remote"), 1);
    }

    void withoutAGraphTheSurestSymptomRanksFirst()
    {
        std::map<std::string, ServiceAnomaly> services{
            {"a", slowService(0.5, 10 * kMinute, 0.1)},
            {"b", slowService(0.95, 10 * kMinute, 0.1)},
            {"c", slowService(0.7, 10 * kMinute, 0.1)},
        };
        const auto ranks = rankServices(CallGraph{}, "a", services, sameMinute());
        QCOMPARE(ranks.size(), std::size_t(3));
        QCOMPARE(ranks[0].service, std::string("b"));
        QCOMPARE(ranks[1].service, std::string("c"));
        for (const ServiceRank &r : ranks)
            QVERIFY(r.explainedBy.empty());
    }

    // Signal 4.
    void kubernetesConditionsAreCandidatesOtherFailuresAreNot()
    {
        const auto event = [](std::string type, EventCategory category) {
            Event e;
            e.sourceId = type;
            e.type = std::move(type);
            e.category = category;
            return e;
        };
        const Event failure = event("failure.latency_slo_breach", EventCategory::Failure);
        // Filed as failures by the decoder, causes for another failure.
        for (const char *reason :
             {"k8s.NodeNotReady", "k8s.FailedScheduling", "k8s.BackOff", "k8s.Unhealthy",
              "k8s.Evicted", "k8s.FailedMount", "k8s.OOMKilling"}) {
            const Event condition = event(reason, EventCategory::Failure);
            QVERIFY2(clusterCondition(condition), reason);
            QVERIFY2(isCauseCandidate(condition, failure), reason);
        }
        QCOMPARE(clusterCondition(event("k8s.NodeNotReady", EventCategory::Other))->scope,
                 ClusterCondition::Scope::Node);
        QCOMPARE(clusterCondition(event("k8s.FailedScheduling", EventCategory::Failure))->scope,
                 ClusterCondition::Scope::Workload);
        // Routine lifecycle and other sources' failures are not conditions.
        QVERIFY(!clusterCondition(event("k8s.Scheduled", EventCategory::Provisioning)));
        QVERIFY(!clusterCondition(event("failure.crash", EventCategory::Failure)));
        QVERIFY(!isCauseCandidate(event("failure.crash", EventCategory::Failure), failure));
        QVERIFY(
            !isCauseCandidate(event("recovery.pod_replaced", EventCategory::Recovery), failure));
        QVERIFY(!isCauseCandidate(event("alert.fired", EventCategory::Alert), failure));
        QVERIFY(isCauseCandidate(event("deployment.rollout", EventCategory::Deployment), failure));
        // The same condition elsewhere is the same symptom, and the failure is not its own cause.
        const Event unhealthy = event("k8s.Unhealthy", EventCategory::Failure);
        Event otherPod = unhealthy;
        otherPod.sourceId = "other";
        QVERIFY(!isCauseCandidate(otherPod, unhealthy));
        QVERIFY(!isCauseCandidate(unhealthy, unhealthy));
    }

    void placementFromEventsThatNameANode()
    {
        std::vector<Event> events(3);
        events[0].service = "cart";
        events[0].entity = "Pod/shop/cart-1";
        events[0].attributes = R"({"node":"node-7","count":"1"})";
        events[1].service = "node-7"; // a Node's own event says nothing of what runs on it
        events[1].entity = "Node/node-7";
        events[2].service = "orders"; // no node
        Placement placement;
        placement.addEvents(events);
        placement.add("node-2", "orders");
        QVERIFY(placement.runsOn("cart", "node-7"));
        QVERIFY(!placement.runsOn("node-7", "node-7"));
        QVERIFY(placement.runsOn("orders", "node-2"));
        QVERIFY(!placement.runsOn("orders", "node-7"));
        QCOMPARE(placement.servicesOn("node-9").size(), std::size_t(0));
        QCOMPARE(eventNode(events[0]), std::string("node-7"));
        QCOMPARE(eventNode(events[1]), std::string("node-7"));
        QCOMPARE(entityName("Pod/shop/cart-1"), std::string("cart-1"));
    }

    // Signal 5.
    void causeAnswerIsTheSureCauseOrNone()
    {
        IncidentAnalysis analysis;
        CauseAnswer none = causeAnswer(analysis);
        QVERIFY(!none.cause);
        QCOMPARE(none.confidence, 1.0);
        QVERIFY(none.because.find("none in the window") != std::string::npos);

        RankedCause weak;
        weak.event.sourceId = "flag-1";
        weak.event.type = "config.feature_flag";
        weak.score = kConfidentCauseScore - 0.2;
        analysis.causes.push_back(weak);
        none = causeAnswer(analysis);
        QVERIFY(!none.cause);
        QVERIFY(std::abs(none.confidence - (1.0 - weak.score)) < 1e-12);
        QVERIFY(none.because.find("config.feature_flag") != std::string::npos);

        RankedCause sure;
        sure.event.sourceId = "deploy-7";
        sure.event.type = "deployment.rollout";
        sure.event.service = "payments";
        sure.score = 0.9;
        analysis.causes.insert(analysis.causes.begin(), sure);
        const CauseAnswer answer = causeAnswer(analysis);
        QVERIFY(answer.cause == &analysis.causes.front());
        QCOMPARE(answer.confidence, 0.9);
        QVERIFY(answer.because.find("deployment.rollout on payments caused it")
                != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestAnalysisSignals)
#include "tst_analysissignals.moc"
