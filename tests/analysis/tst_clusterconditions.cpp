// Kubernetes conditions as causes (signal 4 in the analyzer): a node that stops, pods that
// cannot be placed. Captures built by hand, in the shape another generator or a real cluster
// gives them, each with a routine change elsewhere whose own metric moved, as a competitor.

#include "analysis/incidentanalyzer.h"
#include "store/batchcommitter.h"
#include "store/capturereader.h"

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace eventscope;
using namespace eventscope::analysis;

namespace {

constexpr TimeUs kSecond = kMicrosPerSecond;
constexpr TimeUs kMinute = 60 * kSecond;
constexpr TimeUs kStart = 1'795'000'000LL * kMicrosPerSecond;
constexpr TimeUs kFailure = kStart + 120 * kMinute;

Event makeEvent(const std::string &id, const std::string &type, TimeUs time,
                const std::string &service, const std::string &entity = {},
                const std::string &node = {}, Severity severity = Severity::Info)
{
    Event e;
    e.sourceId = id;
    e.type = type;
    e.time = time;
    e.category = inferEventCategory(type);
    if (type.starts_with("k8s.") && severity >= Severity::Warning)
        e.category = EventCategory::Failure; // as the Kubernetes decoder files them
    e.severity = severity;
    e.service = service;
    e.entity = entity;
    if (!node.empty())
        e.attributes = "{\"node\":\"" + node + "\"}";
    e.message = type + " on " + (service.empty() ? node : service);
    return e;
}

// A minute-resolution latency series for `service` (seconds), stepping from `before` to `after`
// at `step`, with a little deterministic wiggle.
void addLatency(RecordBatch &batch, const std::string &service, TimeUs step, double before,
                double after)
{
    const std::uint32_t series = batch.internSeries(
        SeriesKey("http_request_duration_seconds", {{"service", service}}), "s");
    for (TimeUs t = kStart; t <= kFailure + 5 * kMinute; t += kMinute) {
        const double wiggle = 0.002 * static_cast<double>((t / kMinute) % 3);
        batch.addSample(series, t, (t < step ? before : after) + wiggle);
    }
}

const RankedCause *causeById(const IncidentAnalysis &analysis, const std::string &id, int *rank)
{
    for (std::size_t i = 0; i < analysis.causes.size(); ++i) {
        if (analysis.causes[i].event.sourceId == id) {
            *rank = static_cast<int>(i) + 1;
            return &analysis.causes[i];
        }
    }
    *rank = 0;
    return nullptr;
}

QString ranking(const IncidentAnalysis &analysis)
{
    QString out;
    for (const RankedCause &c : analysis.causes)
        out += QStringLiteral(" | %1 %2 %3")
                   .arg(c.score, 0, 'f', 2)
                   .arg(QString::fromStdString(c.event.type),
                        QString::fromStdString(c.event.sourceId));
    return out;
}

bool mentions(const RankedCause &cause, std::string_view text)
{
    return std::any_of(cause.evidence.begin(), cause.evidence.end(),
                       [text](const std::string &e) { return e.find(text) != std::string::npos; });
}

} // namespace

class TestClusterConditions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // A node is lost: the pods on it fail on two services, one failure naming the node, the
    // other a pod whose events say where it ran. The node's NotReady is the first cause of
    // both, above a deployment on another service whose latency rose after it.
    void lostNodeIsTheCauseOfItsPodsFailures()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("node.capture")).toStdString();
        {
            auto committer = BatchCommitter::open(path, "cluster conditions test");
            QVERIFY(committer.ok());
            std::vector<RecordBatch> batches(1);
            auto &events = batches[0].events;
            // Where the pods run, as the scheduler said when it placed them.
            events.push_back(makeEvent("sched-cart", "k8s.Scheduled", kStart + 5 * kMinute, "cart",
                                       "Pod/shop/cart-5f7d-a1", "node-7"));
            events.push_back(makeEvent("sched-orders", "k8s.Scheduled", kStart + 6 * kMinute,
                                       "orders", "Pod/shop/orders-9c2e-b4", "node-7"));
            events.push_back(makeEvent("deploy-billing", "deployment.rollout",
                                       kFailure - 6 * kMinute, "billing"));
            events.push_back(
                makeEvent("flag-search", "config.feature_flag", kFailure - 12 * kMinute, "search"));
            events.push_back(makeEvent("notready", "k8s.NodeNotReady", kFailure - 70 * kSecond, "",
                                       "Node/node-7", "node-7"));
            events.push_back(makeEvent("unhealthy-orders", "k8s.Unhealthy", kFailure - 20 * kSecond,
                                       "orders", "Pod/shop/orders-9c2e-b4", "node-7",
                                       Severity::Warning));
            Event crash = makeEvent("crash-cart", "failure.crash", kFailure, "cart",
                                    "Pod/shop/cart-5f7d-a1", "node-7", Severity::Error);
            events.push_back(crash);
            addLatency(batches[0], "billing", kFailure - 5 * kMinute, 0.100, 0.600);
            addLatency(batches[0], "cart", kFailure + 10 * kMinute, 0.05, 0.05);
            (*committer)->commit(batches);
        }
        auto reader = CaptureReader::open(path);
        QVERIFY(reader.ok());
        IncidentAnalyzer analyzer(**reader);

        for (const char *failure : {"crash-cart", "unhealthy-orders"}) {
            auto analysis = analyzer.analyze(std::string(failure));
            QVERIFY2(analysis.ok(), analysis.ok() ? "" : analysis.error().c_str());
            int rank = 0;
            const RankedCause *node = causeById(*analysis, "notready", &rank);
            QVERIFY2(node && rank == 1,
                     qPrintable(QString::fromLatin1(failure) + ranking(*analysis)));
            QVERIFY(isConfidentCause(*node));
            QVERIFY2(mentions(*node, "NodeNotReady: the node stopped"),
                     qPrintable(QString::fromStdString(node->evidence.front())));
        }
        // For the cart crash, the orders pod's probe failure is the node's doing, not a cause.
        auto cart = analyzer.analyze(std::string("crash-cart"));
        QVERIFY(cart.ok());
        int rank = 0;
        if (const RankedCause *pod = causeById(*cart, "unhealthy-orders", &rank))
            QVERIFY2(mentions(*pod, "follows k8s.NodeNotReady"), qPrintable(ranking(*cart)));
        // The failure's own kind elsewhere is the same symptom: the orders probe failure is not a
        // candidate for itself, and no Unhealthy is a cause of another Unhealthy.
        auto orders = analyzer.analyze(std::string("unhealthy-orders"));
        QVERIFY(orders.ok());
        for (const RankedCause &c : orders->causes)
            QVERIFY(c.event.type != "k8s.Unhealthy");
    }

    // A service scales out and its new pods cannot be placed: the scheduler's Warning is the
    // cause of its latency breach, above a deployment elsewhere whose own latency rose.
    void scaleOutThatCannotScheduleIsTheCause()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("schedule.capture")).toStdString();
        {
            auto committer = BatchCommitter::open(path, "cluster conditions test");
            QVERIFY(committer.ok());
            std::vector<RecordBatch> batches(1);
            auto &events = batches[0].events;
            events.push_back(makeEvent("deploy-reviews", "deployment.rollout",
                                       kFailure - 9 * kMinute, "reviews"));
            events.push_back(makeEvent("scale-checkout", "scaling.scale_out",
                                       kFailure - 7 * kMinute, "checkout"));
            for (int i = 0; i < 3; ++i)
                events.push_back(makeEvent("pending-" + std::to_string(i), "k8s.FailedScheduling",
                                           kFailure - (6 - i) * kMinute, "checkout",
                                           "Pod/shop/checkout-7d9f-p" + std::to_string(i), {},
                                           Severity::Warning));
            events.push_back(makeEvent("breach", "failure.latency_slo_breach", kFailure, "checkout",
                                       {}, {}, Severity::Error));
            addLatency(batches[0], "reviews", kFailure - 8 * kMinute, 0.080, 0.400);
            addLatency(batches[0], "checkout", kFailure - 5 * kMinute, 0.200, 0.900);
            (*committer)->commit(batches);
        }
        auto reader = CaptureReader::open(path);
        QVERIFY(reader.ok());
        IncidentAnalyzer analyzer(**reader);
        auto analysis = analyzer.analyze(std::string("breach"));
        QVERIFY2(analysis.ok(), analysis.ok() ? "" : analysis.error().c_str());
        QVERIFY(!analysis->causes.empty());
        QVERIFY2(analysis->causes.front().event.type == "k8s.FailedScheduling",
                 qPrintable(ranking(*analysis)));
        QVERIFY(mentions(analysis->causes.front(), "pods could not be placed"));
        int deployRank = 0;
        causeById(*analysis, "deploy-reviews", &deployRank);
        QVERIFY2(deployRank == 0 || deployRank > 2, qPrintable(ranking(*analysis)));
    }
};

QTEST_GUILESS_MAIN(TestClusterConditions)
#include "tst_clusterconditions.moc"
