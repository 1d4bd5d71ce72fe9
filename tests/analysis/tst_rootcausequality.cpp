// The ranker scored against the simulator's ground truth: 20 seeds, every incident kind, each
// failure's cause (or the absence of one) and where the problem started. Prints the per-kind
// table; fails below causes 0.93 / 0.96 and suspects 0.96 / 0.98 (top-1 / top-3), or when fewer
// than 90% of failures are paired with their recovery (MTTR).

#include "analysis/confidence.h"
#include "analysis/incidentanalyzer.h"
#include "reliability.h"
#include "sim/simulator.h"
#include "simulatedcapture.h"
#include "store/capturereader.h"
#include "util/timeformat.h"

#include <QTemporaryDir>
#include <QTest>

#include <map>

using namespace eventscope;

namespace {

constexpr int kSeeds = 20;

struct Tally
{
    int incidents = 0;
    int cause1 = 0, cause3 = 0, suspect1 = 0, suspect3 = 0, recovery = 0;
    void add(const Tally &other)
    {
        recovery += other.recovery;
        incidents += other.incidents;
        cause1 += other.cause1;
        cause3 += other.cause3;
        suspect1 += other.suspect1;
        suspect3 += other.suspect3;
    }
};

sim::GroundTruth simulateInto(std::uint64_t seed, const std::string &path, bool traces = true)
{
    sim::SimulatorOptions options;
    options.seed = seed;
    options.start = *parseTimestamp("2026-11-24T06:00:00Z");
    options.duration = 200 * 60 * kMicrosPerSecond; // six incident slots: every kind once
    options.tracesPerSecond = traces ? 0.5 : 0.0;
    return testing::simulateIntoCapture(options, path);
}

bool suspectMatches(const analysis::Suspect &s, const sim::TruthIncident &truth)
{
    return !truth.suspectService.empty() ? s.service == truth.suspectService
                                         : s.entity == truth.suspectEntity;
}

} // namespace

class TestRootCauseQuality : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rankerFindsCausesAndSuspects()
    {
        QTemporaryDir dir;
        std::map<std::string, Tally> perKind;
        Reliability suspectConfidence; // the top suspect's score against its being right
        Reliability causeConfidence; // the cause answer's confidence against its being right
        for (int seed = 1; seed <= kSeeds; ++seed) {
            const std::string path
                = dir.filePath(QStringLiteral("seed%1.capture").arg(seed)).toStdString();
            const sim::GroundTruth truth = simulateInto(static_cast<std::uint64_t>(seed), path);
            auto reader = CaptureReader::open(path);
            QVERIFY2(reader.ok(), reader.error().c_str());
            analysis::IncidentAnalyzer analyzer(**reader);
            auto all = analyzer.analyzeAll();
            QVERIFY2(all.ok(), all.error().c_str());
            std::map<std::string, const analysis::IncidentAnalysis *> byId;
            for (const analysis::IncidentAnalysis &a : *all)
                byId[a.failure.sourceId] = &a;
            QCOMPARE(byId.size(), truth.incidents.size()); // every failure analysed, no other

            for (const sim::TruthIncident &incident : truth.incidents) {
                const auto found = byId.find(incident.id);
                QVERIFY2(found != byId.end(), incident.id.c_str());
                const analysis::IncidentAnalysis &a = *found->second;
                Tally &t = perKind[incident.kind];
                ++t.incidents;
                if (incident.cause.empty()) {
                    // No cause event: right when nothing is claimed as one.
                    const bool none = a.causes.empty() || !analysis::isConfidentCause(a.causes[0]);
                    t.cause1 += none;
                    t.cause3 += none;
                    if (!none)
                        qInfo("cause miss: seed %d %s %s on %s: no cause, but %.2f %s %s", seed,
                              incident.kind.c_str(), a.failure.type.c_str(),
                              a.failure.service.c_str(), a.causes[0].score,
                              a.causes[0].event.type.c_str(), a.causes[0].event.service.c_str());
                } else {
                    for (std::size_t i = 0; i < a.causes.size() && i < 3; ++i) {
                        if (a.causes[i].event.sourceId == incident.cause) {
                            t.cause1 += i == 0;
                            t.cause3 += 1;
                        }
                    }
                    if (a.causes.empty() || a.causes[0].event.sourceId != incident.cause) {
                        // A miss, with what ranked instead: the first thing to read when the
                        // table drops.
                        QString ranked;
                        for (std::size_t i = 0; i < a.causes.size() && i < 3; ++i)
                            ranked += QStringLiteral(" | %1 %2 %3 %4")
                                          .arg(a.causes[i].score, 0, 'f', 2)
                                          .arg(QString::fromStdString(a.causes[i].event.type),
                                               QString::fromStdString(a.causes[i].event.service),
                                               a.causes[i].event.sourceId == incident.cause
                                                   ? QStringLiteral("(truth)")
                                                   : QString());
                        qInfo("cause miss: seed %d %s %s on %s:%s", seed, incident.kind.c_str(),
                              a.failure.type.c_str(), a.failure.service.c_str(),
                              qPrintable(ranked));
                    }
                }
                // MTTR pairs the failure with the recovery the simulator emitted for it.
                if (a.recovery && a.recovery->sourceId == incident.recovery) {
                    ++t.recovery;
                    QCOMPARE(a.ttrSeconds,
                             static_cast<double>(incident.recoveryTime - incident.time)
                                 / kMicrosPerSecond);
                }
                const analysis::CauseAnswer answer = analysis::causeAnswer(a);
                causeConfidence.add(answer.confidence,
                                    answer.cause ? answer.cause->event.sourceId == incident.cause
                                                 : incident.cause.empty());
                if (!a.suspects.empty())
                    suspectConfidence.add(a.suspects[0].score,
                                          suspectMatches(a.suspects[0], incident));
                for (std::size_t i = 0; i < a.suspects.size() && i < 3; ++i) {
                    if (suspectMatches(a.suspects[i], incident)) {
                        t.suspect1 += i == 0;
                        t.suspect3 += 1;
                        break;
                    }
                }
            }
        }

        Tally total;
        QString table = QStringLiteral("\n%1 %2 %3 %4 %5 %6 %7\n")
                            .arg(QStringLiteral("kind"), -24)
                            .arg(QStringLiteral("n"), 5)
                            .arg(QStringLiteral("cause@1"), 8)
                            .arg(QStringLiteral("cause@3"), 8)
                            .arg(QStringLiteral("susp@1"), 8)
                            .arg(QStringLiteral("susp@3"), 8)
                            .arg(QStringLiteral("recovery"), 9);
        auto row = [&table](const QString &name, const Tally &t) {
            const double n = t.incidents;
            table += QStringLiteral("%1 %2 %3 %4 %5 %6 %7\n")
                         .arg(name, -24)
                         .arg(t.incidents, 5)
                         .arg(t.cause1 / n, 8, 'f', 2)
                         .arg(t.cause3 / n, 8, 'f', 2)
                         .arg(t.suspect1 / n, 8, 'f', 2)
                         .arg(t.suspect3 / n, 8, 'f', 2)
                         .arg(t.recovery / n, 9, 'f', 2);
        };
        for (const auto &[kind, t] : perKind) {
            row(QString::fromStdString(kind), t);
            total.add(t);
        }
        row(QStringLiteral("all"), total);
        qInfo().noquote() << table;
        qInfo().noquote() << suspectConfidence.table(QStringLiteral("top suspect's score"));
        qInfo().noquote() << causeConfidence.table(
            QStringLiteral("cause answer's confidence (the top cause, or none)"));

        QCOMPARE(perKind.size(), std::size_t{6}); // every kind was exercised
        const double n = total.incidents;
        QVERIFY2(total.cause1 / n >= 0.97, "cause top-1 below 0.97");
        QVERIFY2(total.cause3 / n >= 0.99, "cause top-3 below 0.99");
        QVERIFY2(total.suspect1 / n >= 0.96, "suspect top-1 below 0.96");
        QVERIFY2(total.suspect3 / n >= 0.98, "suspect top-3 below 0.98");
        QVERIFY2(total.recovery / n >= 0.9, "recovery pairing below 0.9");
        // Scores read as probabilities: measured, not fitted. The simulator is easier than
        // real incidents, so its middle scores are right more often than they say (the
        // calibration error is underconfidence); they must never claim more than they deliver.
        QVERIFY2(suspectConfidence.overconfidence() <= 0.03,
                 "the top suspect's score claims more than it delivers");
        QVERIFY2(causeConfidence.overconfidence() <= 0.03,
                 "the cause answer's confidence claims more than it delivers");
        QVERIFY2(suspectConfidence.expectedCalibrationError() <= 0.13,
                 "the top suspect's score no longer reads as a probability (ECE above 0.13)");
        QVERIFY2(causeConfidence.expectedCalibrationError() <= 0.19,
                 "the cause answer's confidence no longer reads as a probability (ECE above 0.19)");
    }

    // Many real incident datasets have metrics and events only: no traces, so no call graph.
    // The suspects must still point at where it started.
    void suspectsFromMetricsAlone()
    {
        QTemporaryDir dir;
        int incidents = 0, top1 = 0, top3 = 0;
        for (int seed = 1; seed <= 8; ++seed) {
            const std::string path
                = dir.filePath(QStringLiteral("metrics%1.capture").arg(seed)).toStdString();
            const sim::GroundTruth truth
                = simulateInto(static_cast<std::uint64_t>(seed), path, false);
            auto reader = CaptureReader::open(path);
            QVERIFY(reader.ok());
            QCOMPARE((*reader)->info()->spans, std::int64_t{0});
            analysis::IncidentAnalyzer analyzer(**reader);
            auto all = analyzer.analyzeAll();
            QVERIFY2(all.ok(), all.error().c_str());
            std::map<std::string, const analysis::IncidentAnalysis *> byId;
            for (const analysis::IncidentAnalysis &a : *all)
                byId[a.failure.sourceId] = &a;
            for (const sim::TruthIncident &incident : truth.incidents) {
                const analysis::IncidentAnalysis &a = *byId.at(incident.id);
                ++incidents;
                for (std::size_t i = 0; i < a.suspects.size() && i < 3; ++i) {
                    if (suspectMatches(a.suspects[i], incident)) {
                        top1 += i == 0;
                        ++top3;
                        break;
                    }
                }
            }
        }
        qInfo("metrics only: %d failures, suspects top-1 %.2f, top-3 %.2f", incidents,
              double(top1) / incidents, double(top3) / incidents);
        QVERIFY(double(top1) / incidents >= 0.85);
        QVERIFY(double(top3) / incidents >= 0.97);
    }
};

QTEST_GUILESS_MAIN(TestRootCauseQuality)
#include "tst_rootcausequality.moc"
