// Failures grouped into incidents: rules on hand-made analyses (overlap in time and a shared
// cause or suspect join; either alone does not), then the simulator's ground truth over
// several seeds: the failures of one true incident (one cause, as a node lost with its pods;
// or, without a cause event, one place where it started) form one incident, and
// incidents of different causes are not mixed. Prints both rates.

#include "analysis/incidentgroups.h"
#include "simulatedcapture.h"
#include "store/capturereader.h"
#include "util/timeformat.h"

#include <QTemporaryDir>
#include <QTest>

#include <map>
#include <set>

using namespace eventscope;
using namespace eventscope::analysis;

namespace {

constexpr TimeUs kMinute = 60 * kMicrosPerSecond;
constexpr TimeUs kBase = 1'764'000'000LL * kMicrosPerSecond;

IncidentAnalysis failure(const std::string &id, TimeUs time, const std::string &service,
                         const std::string &cause, const std::string &suspectEntity,
                         TimeUs recovery = 0)
{
    IncidentAnalysis a;
    a.failure.sourceId = id;
    a.failure.time = time;
    a.failure.service = service;
    if (!cause.empty()) {
        RankedCause c;
        c.event.sourceId = cause;
        c.score = 0.9;
        a.causes.push_back(c);
    }
    Suspect s;
    s.service = service;
    s.entity = suspectEntity;
    s.score = suspectEntity.empty() ? 0.3 : 0.8;
    a.suspects.push_back(s);
    a.recoveryTime = recovery;
    if (recovery > 0)
        a.ttrSeconds = static_cast<double>(recovery - time) / kMicrosPerSecond;
    return a;
}

} // namespace

class TestIncidentGroups : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void overlapAndASharedCauseOrSuspectJoin()
    {
        const std::vector<IncidentAnalysis> analyses{
            // A node lost: three services fail within two minutes, one cause, one node.
            failure("a", kBase, "cart", "node-down", "node-1", kBase + 4 * kMinute),
            failure("b", kBase + 1 * kMinute, "search", "node-down", "node-1", kBase + 5 * kMinute),
            failure("c", kBase + 2 * kMinute, "catalog", "", "node-1", kBase + 6 * kMinute),
            // At the same time, unrelated: another cause, another suspect.
            failure("d", kBase + 2 * kMinute, "payments", "deploy-7", "", kBase + 3 * kMinute),
            // The same cause id again, hours later: a new incident.
            failure("e", kBase + 180 * kMinute, "cart", "node-down", "node-1"),
        };
        const auto groups = groupIncidents(analyses);
        QCOMPARE(groups.size(), std::size_t(3));
        QCOMPARE(groups[0].members, (std::vector<std::size_t>{0, 1, 2}));
        QCOMPARE(groups[0].services, (std::vector<std::string>{"cart", "search", "catalog"}));
        QCOMPARE(groups[0].cause->event.sourceId, std::string("node-down"));
        QCOMPARE(groups[0].suspect->entity, std::string("node-1"));
        QVERIFY(groups[0].recovered);
        QCOMPARE(groups[0].ttrSeconds, 6.0 * 60);
        QCOMPARE(groups[0].end, kBase + 6 * kMinute);
        QCOMPARE(groups[1].members, (std::vector<std::size_t>{3}));
        QCOMPARE(groups[2].members, (std::vector<std::size_t>{4}));
        QVERIFY(!groups[2].recovered);
        QCOMPARE(groups[2].ttrSeconds, -1.0);
    }

    void simulatedCascadesAreOneIncidentEach()
    {
        QTemporaryDir dir;
        int cascades = 0, cascadesWhole = 0, groupsTotal = 0, groupsMixed = 0;
        for (std::uint64_t seed = 1; seed <= 6; ++seed) {
            const std::string path
                = dir.filePath(QStringLiteral("groups%1.capture").arg(seed)).toStdString();
            sim::SimulatorOptions options;
            options.seed = seed;
            options.start = *parseTimestamp("2026-11-24T06:00:00Z");
            options.duration = 200 * 60 * kMicrosPerSecond;
            options.tracesPerSecond = 0.5;
            const sim::GroundTruth truth = testing::simulateIntoCapture(options, path);
            auto reader = CaptureReader::open(path);
            QVERIFY(reader);
            IncidentAnalyzer analyzer(**reader);
            auto analyses = analyzer.analyzeAll();
            QVERIFY2(analyses, analyses ? "" : analyses.error().c_str());
            // The true incidents: failures of one cause, or (no cause event, as a dependency
            // that slows down) of one place where it started, close in time.
            std::map<std::string, std::string> causeOf; // failure id -> true incident
            std::map<std::string, std::pair<TimeUs, std::string>> lastOfKey;
            std::vector<sim::TruthIncident> inTime = truth.incidents;
            std::sort(inTime.begin(), inTime.end(),
                      [](const auto &a, const auto &b) { return a.time < b.time; });
            for (const sim::TruthIncident &incident : inTime) {
                const std::string key = !incident.cause.empty()
                    ? incident.cause
                    : "suspect " + incident.suspectService + "/" + incident.suspectEntity;
                auto &last = lastOfKey[key];
                if (last.second.empty() || incident.time - last.first > 15 * kMinute)
                    last.second = key + " from " + incident.id;
                last.first = incident.time;
                causeOf[incident.id] = last.second;
            }
            const auto groups = groupIncidents(*analyses);
            std::map<std::string, std::size_t> groupOf;
            for (std::size_t g = 0; g < groups.size(); ++g) {
                std::set<std::string> causes;
                for (const std::size_t i : groups[g].members) {
                    const std::string &id = (*analyses)[i].failure.sourceId;
                    groupOf[id] = g;
                    const auto cause = causeOf.find(id);
                    causes.insert(cause == causeOf.end() ? "(unknown) " + id : cause->second);
                }
                ++groupsTotal;
                groupsMixed += causes.size() > 1 ? 1 : 0;
            }
            // The true incidents with several failures.
            std::map<std::string, std::vector<std::string>> byCause;
            for (const sim::TruthIncident &incident : truth.incidents) {
                if (groupOf.count(incident.id))
                    byCause[causeOf[incident.id]].push_back(incident.id);
            }
            for (const auto &[cause, members] : byCause) {
                if (members.size() < 2)
                    continue;
                ++cascades;
                std::set<std::size_t> seen;
                for (const std::string &id : members)
                    seen.insert(groupOf[id]);
                cascadesWhole += seen.size() == 1 ? 1 : 0;
            }
        }
        qInfo("cascades kept whole: %d of %d; groups mixing causes: %d of %d", cascadesWhole,
              cascades, groupsMixed, groupsTotal);
        QVERIFY(cascades > 0);
        QVERIFY2(cascadesWhole >= cascades * 8 / 10, "cascades split into several incidents");
        QVERIFY2(groupsMixed * 10 <= groupsTotal, "incidents of different causes merged");
    }
};

QTEST_GUILESS_MAIN(TestIncidentGroups)
#include "tst_incidentgroups.moc"
