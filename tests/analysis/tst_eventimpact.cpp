// Impact of an event type on a metric, against the simulator: the surges' scale-outs lower
// frontend p99 latency by what the truth says; feature flags change nothing.

#include "analysis/eventimpact.h"
#include "simulatedcapture.h"
#include "store/capturereader.h"
#include "util/timeformat.h"

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace eventscope;

class TestEventImpact : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::string m_path;
    sim::GroundTruth m_truth;
    std::unique_ptr<CaptureReader> m_reader;

private Q_SLOTS:
    void initTestCase()
    {
        sim::SimulatorOptions options;
        options.seed = 3;
        options.start = *parseTimestamp("2026-11-24T00:00:00Z");
        options.duration = 12 * 3600 * kMicrosPerSecond;
        options.scenarios = {sim::Scenario::Scaling};
        options.tracesPerSecond = 0.2;
        m_path = m_dir.filePath(QStringLiteral("surges.capture")).toStdString();
        m_truth = testing::simulateIntoCapture(options, m_path);
        auto reader = CaptureReader::open(m_path);
        QVERIFY2(reader.ok(), reader.error().c_str());
        m_reader = std::move(*reader);
    }

    void scaleOutEffectMatchesTheSimulatedOne()
    {
        QVERIFY(m_truth.effects.size() >= 10);
        std::vector<double> simulated;
        for (const sim::TruthEffect &e : m_truth.effects)
            simulated.push_back(e.relativeChange());
        std::sort(simulated.begin(), simulated.end());
        const double truth = simulated[simulated.size() / 2];

        analysis::ImpactQuery query;
        query.eventType = "scaling.scale_out";
        query.metric = "latency_p99_ms";
        query.labels = {{"service", "frontend"}};
        auto result = analysis::measureImpact(*m_reader, query);
        QVERIFY2(result.ok(), result.error().c_str());
        QCOMPARE(result->occurrences.size(), m_truth.effects.size());
        QVERIFY2(std::abs(result->medianRelativeChange - truth) <= 0.1 * std::abs(truth),
                 qPrintable(QStringLiteral("measured %1, simulated %2")
                                .arg(result->medianRelativeChange)
                                .arg(truth)));
        QVERIFY(result->significant);
        // Each occurrence on its own, too.
        for (const analysis::ImpactOccurrence &o : result->occurrences) {
            const auto effect
                = std::find_if(m_truth.effects.begin(), m_truth.effects.end(),
                               [&o](const sim::TruthEffect &e) { return e.event == o.eventId; });
            QVERIFY(effect != m_truth.effects.end());
            QVERIFY2(std::abs(o.relativeChange() - effect->relativeChange())
                         <= 0.1 * std::abs(effect->relativeChange()),
                     qPrintable(QString::fromStdString(o.eventId)));
        }
        // The superposed epoch: flat before, the drop after.
        QVERIFY(!result->epoch.empty());
        QVERIFY(std::abs(result->epoch.front().mean - 1.0) < 0.25);
        QVERIFY(result->epoch.back().mean < 0.8);
    }

    void anEventWithoutEffectIsNotSignificant()
    {
        QCOMPARE(m_truth.noEffectTypes, std::vector<std::string>{"config.feature_flag"});
        analysis::ImpactQuery query;
        query.eventType = "config.feature_flag";
        query.metric = "latency_p99_ms";
        auto result = analysis::measureImpact(*m_reader, query);
        QVERIFY2(result.ok(), result.error().c_str());
        QVERIFY(result->occurrences.size() >= 20);
        QVERIFY2(!result->significant, qPrintable(QString::number(result->pValue)));
        QVERIFY(std::abs(result->medianRelativeChange) < 0.05);
    }

    void clearErrors()
    {
        analysis::ImpactQuery query;
        query.eventType = "scaling.scale_out";
        query.metric = "no_such_metric";
        auto missing = analysis::measureImpact(*m_reader, query);
        QVERIFY(!missing.ok());
        QVERIFY(missing.error().find("no series named 'no_such_metric'") != std::string::npos);
        query.metric = "latency_p99_ms";
        query.eventType = "nothing.like.this";
        auto none = analysis::measureImpact(*m_reader, query);
        QVERIFY(!none.ok());
        QVERIFY(none.error().find("no 'nothing.like.this' events") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestEventImpact)
#include "tst_eventimpact.moc"
