// Live analysis follows a capture as it grows, commit by commit, and ends up with exactly what
// analysing the finished capture gives: the same failures, ranked the same, the same alerts.

#include "analysis/liveanalysis.h"
#include "decode/messagedecoder.h"
#include "sim/simulator.h"
#include "simulatedcapture.h"
#include "store/batchcommitter.h"
#include "store/capturereader.h"
#include "util/timeformat.h"

#include <QTemporaryDir>
#include <QTest>

#include <map>
#include <set>

using namespace eventscope;
using namespace eventscope::analysis;

class TestLiveAnalysis : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void stepByStepEqualsAllAtOnce()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("live.capture")).toStdString();
        sim::SimulatorOptions options;
        options.seed = 6;
        options.start = *parseTimestamp("2026-11-24T06:00:00Z");
        options.duration = 150 * 60 * kMicrosPerSecond;
        options.tracesPerSecond = 0.3;
        sim::Simulator simulator(options);
        auto committer = BatchCommitter::open(path, "live test");
        QVERIFY(committer.ok());
        auto reader = CaptureReader::open(path);
        QVERIFY(reader.ok());
        auto rules = parseAlertRules(R"({"rules":[
            {"name":"errors","kind":"threshold","metric":"error_rate","value":0.05,"for_seconds":60},
            {"name":"failures","kind":"event_rate","category":"failure","count":2,"within_seconds":600},
            {"name":"latency","kind":"anomaly","metric":"latency_p99_ms","sigma":10}]})");
        QVERIFY(rules.ok());
        LiveAnalysis live(**reader, *rules);

        std::vector<IncidentAnalysis> incidents;
        std::vector<Event> alerts;
        auto collect = [&](TimeUs until) {
            auto update = live.advance(until);
            QVERIFY2(update.ok(), update.error().c_str());
            for (IncidentAnalysis &a : update->incidents)
                incidents.push_back(std::move(a));
            for (Event &e : update->alerts)
                alerts.push_back(std::move(e));
        };

        MessageDecoder decoder;
        std::vector<sim::OutgoingMessage> messages;
        std::vector<RecordBatch> batch(1);
        int ticks = 0;
        while (simulator.next(messages)) {
            testing::decodeAsIngest(messages, decoder, batch[0]);
            messages.clear();
            if (++ticks % 30 == 0) { // a commit every five simulated minutes
                (*committer)->commit(batch);
                batch[0] = RecordBatch();
                collect(simulator.now());
            }
        }
        (*committer)->commit(batch);
        const TimeUs end = options.start + options.duration;
        collect(end);
        collect(end + LiveAnalysis::kSettle + 1); // the last failures become final

        IncidentAnalyzer analyzer(**reader);
        auto all = analyzer.analyzeAll();
        QVERIFY(all.ok());
        QVERIFY(all->size() >= 4);
        QCOMPARE(incidents.size(), all->size());
        for (std::size_t i = 0; i < all->size(); ++i) {
            const IncidentAnalysis &batchResult = (*all)[i];
            const IncidentAnalysis &liveResult = incidents[i];
            QCOMPARE(liveResult.failure.sourceId, batchResult.failure.sourceId);
            QCOMPARE(liveResult.causes.size(), batchResult.causes.size());
            if (!batchResult.causes.empty())
                QCOMPARE(liveResult.causes[0].event.sourceId, batchResult.causes[0].event.sourceId);
            QCOMPARE(liveResult.suspects.front().service, batchResult.suspects.front().service);
            QCOMPARE(liveResult.suspects.front().entity, batchResult.suspects.front().entity);
        }

        auto whole = evaluateAlerts(**reader, *rules, {options.start, end});
        QVERIFY(whole.ok());
        QVERIFY(!whole->empty());
        std::multiset<std::string> expected, got;
        for (const Event &e : *whole)
            expected.insert(e.sourceId);
        for (const Event &e : alerts)
            got.insert(e.sourceId);
        QCOMPARE(got, expected);
    }
};

QTEST_GUILESS_MAIN(TestLiveAnalysis)
#include "tst_liveanalysis.moc"
