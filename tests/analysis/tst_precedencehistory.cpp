// The capture's history as cause evidence: how often an event type came before a failure type
// (lift against how much of the capture it covers), computed from event_history, and how it
// breaks a tie between candidates that are otherwise alike.

#include "analysis/incidentanalyzer.h"
#include "analysis/precedencehistory.h"
#include "store/batchcommitter.h"
#include "store/capturereader.h"

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace eventscope;
using namespace eventscope::analysis;

namespace {

constexpr TimeUs kMinute = 60 * kMicrosPerSecond;
constexpr TimeUs kStart = 1'795'000'000LL * kMicrosPerSecond; // a whole minute
constexpr TimeUs kWindow = 30 * kMinute;

Event makeEvent(const std::string &id, const std::string &type, TimeUs time,
                const std::string &service)
{
    Event e;
    e.sourceId = id;
    e.type = type;
    e.time = time;
    e.category = inferEventCategory(type);
    e.severity = e.category == EventCategory::Failure ? Severity::Error : Severity::Info;
    e.service = service;
    e.message = type + " on " + service;
    return e;
}

// Per-minute counts from (type, minute) pairs.
EventTypeHistory historyOf(const std::vector<std::pair<std::string, std::int64_t>> &events)
{
    EventTypeHistory history;
    for (const auto &[type, minute] : events) {
        auto &buckets = history.byType[type];
        if (!buckets.empty() && buckets.back().minute == minute)
            ++buckets.back().count;
        else
            buckets.push_back({minute, 1});
    }
    for (auto &[type, buckets] : history.byType)
        std::sort(buckets.begin(), buckets.end(),
                  [](const auto &a, const auto &b) { return a.minute < b.minute; });
    return history;
}

} // namespace

class TestPrecedenceHistory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void liftComparesPrecedingWithCoverage()
    {
        // 1000 minutes; a failure every 100 minutes from minute 50. "change" 10 minutes before
        // 8 of the 10 failures; "tick" every minute; "other" only far from failures.
        std::vector<std::pair<std::string, std::int64_t>> events;
        for (std::int64_t m = 0; m < 1000; ++m)
            events.emplace_back("tick", m);
        for (int i = 0; i < 10; ++i) {
            const std::int64_t failure = 50 + 100 * i;
            events.emplace_back("failure.latency", failure);
            if (i < 8)
                events.emplace_back("change", failure - 10);
            events.emplace_back("other", failure + 40);
        }
        const PrecedenceHistory history(historyOf(events));
        const TimeUs firstFailure = 50 * kMinute;

        // The failure analysed is left out: 9 other incidents, 7 of them preceded by a change.
        const Precedence change
            = history.precedence("change", "failure.latency", firstFailure, kWindow);
        QCOMPARE(change.incidents, 9);
        QCOMPARE(change.preceded, 7);
        // 8 changes, each covering itself and the 30 minutes after: 248 of 1000 minutes.
        QCOMPARE(change.coverage, 0.248);
        QVERIFY2(change.lift > 2.5, qPrintable(QString::number(change.lift)));

        // Present all the time: precedes every failure, and says nothing.
        const Precedence tick
            = history.precedence("tick", "failure.latency", firstFailure, kWindow);
        QCOMPARE(tick.preceded, 9);
        QCOMPARE(tick.coverage, 1.0);
        QCOMPARE(tick.lift, 1.0);

        // Around, but never within the window before a failure.
        const Precedence other
            = history.precedence("other", "failure.latency", firstFailure, kWindow);
        QCOMPARE(other.preceded, 0);
        QVERIFY(other.coverage > 0.2);
        QVERIFY2(other.lift < 0.6, qPrintable(QString::number(other.lift)));

        // A failure the capture does not have (live data past the history): nothing left out.
        QCOMPARE(history.precedence("change", "failure.latency", 5000 * kMinute, kWindow).incidents,
                 10);
        // Unknown types: no history, lift 1.
        const Precedence unknown = history.precedence("nothing", "failure.latency", 0, kWindow);
        QCOMPARE(unknown.lift, 1.0);
        QCOMPARE(unknown.coverage, 0.0);
    }

    void fewFailuresStayNearOne()
    {
        // One earlier failure, preceded by the change: suggestive, not conclusive.
        const PrecedenceHistory history(historyOf({{"change", 100},
                                                   {"failure.oom", 105},
                                                   {"noise", 0},
                                                   {"noise", 999},
                                                   {"change", 500},
                                                   {"failure.oom", 505}}));
        const Precedence p = history.precedence("change", "failure.oom", 505 * kMinute, kWindow);
        QCOMPARE(p.incidents, 1);
        QCOMPARE(p.preceded, 1);
        QVERIFY(p.lift > 1.0);
        // A cascade (several failures of the type, none a window apart) is one incident: left
        // out as a whole when one of its failures is analysed, counted once otherwise.
        const PrecedenceHistory cascade(historyOf({{"change", 100},
                                                   {"failure.oom", 105},
                                                   {"failure.oom", 107},
                                                   {"failure.oom", 112},
                                                   {"noise", 999}}));
        QCOMPARE(cascade.precedence("change", "failure.oom", 107 * kMinute, kWindow).incidents, 0);
        QCOMPARE(cascade.precedence("change", "failure.oom", 107 * kMinute, kWindow).lift, 1.0);
        QCOMPARE(cascade.precedence("change", "failure.oom", 900 * kMinute, kWindow).incidents, 1);
        QCOMPARE(cascade.precedence("change", "failure.oom", 900 * kMinute, kWindow).preceded, 1);
        // With only the analysed failure itself there is no history at all.
        const PrecedenceHistory single(historyOf({{"change", 100}, {"failure.oom", 105}}));
        QCOMPARE(single.precedence("change", "failure.oom", 105 * kMinute, kWindow).lift, 1.0);
        // The window reaches back whole minutes and no further.
        QCOMPARE(history.precedence("change", "failure.oom", 505 * kMinute, 4 * kMinute).preceded,
                 0);
        QCOMPARE(history.precedence("change", "failure.oom", 505 * kMinute, 5 * kMinute).preceded,
                 1);
    }

    // Two candidates alike in every other way (same service, same kind of event, same distance,
    // no metrics): the one that came before the earlier failures of this type ranks first, and
    // says why.
    void historyBreaksATieBetweenLikeCandidates()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("history.capture")).toStdString();
        {
            auto committer = BatchCommitter::open(path, "history test");
            QVERIFY(committer.ok());
            std::vector<RecordBatch> batches(1);
            auto &events = batches[0].events;
            for (int i = 0; i < 12; ++i) {
                const TimeUs failure = kStart + (60 + 120 * i) * kMinute;
                const std::string n = std::to_string(i);
                // Before each failure, at the same distance: a config change and a feature flag.
                // Config changes also come at other times, flags only before failures.
                events.push_back(
                    makeEvent("cfg-" + n, "config.change", failure - 10 * kMinute, "api"));
                events.push_back(
                    makeEvent("flag-" + n, "config.feature_flag", failure - 10 * kMinute, "api"));
                events.push_back(
                    makeEvent("cfg-x" + n, "config.change", failure + 50 * kMinute, "api"));
                events.push_back(makeEvent("fail-" + n, "failure.latency", failure, "api"));
            }
            (*committer)->commit(batches);
        }
        auto reader = CaptureReader::open(path);
        QVERIFY(reader.ok());
        IncidentAnalyzer analyzer(**reader);
        auto analysis = analyzer.analyze(std::string("fail-11"));
        QVERIFY2(analysis.ok(), analysis.ok() ? "" : analysis.error().c_str());
        QVERIFY(analysis->causes.size() >= 2);
        const RankedCause &first = analysis->causes[0];
        const RankedCause &second = analysis->causes[1];
        QCOMPARE(QString::fromStdString(first.event.sourceId), QStringLiteral("flag-11"));
        QCOMPARE(QString::fromStdString(second.event.sourceId), QStringLiteral("cfg-11"));
        QVERIFY(first.score > second.score);
        const auto mentionsHistory = [](const RankedCause &cause) {
            return std::any_of(cause.evidence.begin(), cause.evidence.end(),
                               [](const std::string &e) { return e.rfind("history: ", 0) == 0; });
        };
        QVERIFY(mentionsHistory(first));
        QVERIFY(mentionsHistory(second));
    }
};

QTEST_GUILESS_MAIN(TestPrecedenceHistory)
#include "tst_precedencehistory.moc"
