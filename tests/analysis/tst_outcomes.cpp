// Outcomes, question 3: time to recover per service and failure type, per period, and the
// first half of the range against the second. Hand-made analyses with known times: a clear
// speed-up is significant with its size; a handful is "too few", said so; the periods tile
// the range; failures outside it do not count. And the reasons "not significant" gives for an
// impact.
#include "analysis/outcomes.h"

#include <QTest>

using namespace eventscope;
using namespace eventscope::analysis;

namespace {

constexpr TimeUs kHour = 3600 * kMicrosPerSecond;
constexpr TimeUs kStart
    = 1'764'000'000LL * kMicrosPerSecond - 1'764'000'000LL % 3600 * kMicrosPerSecond;

IncidentAnalysis failure(const std::string &service, const std::string &type, TimeUs time,
                         double ttrSeconds)
{
    IncidentAnalysis a;
    a.failure.sourceId = service + type + std::to_string(time);
    a.failure.service = service;
    a.failure.type = type;
    a.failure.time = time;
    a.ttrSeconds = ttrSeconds;
    return a;
}

} // namespace

class TestOutcomes : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void recoveryThatGotFasterIsSignificant()
    {
        std::vector<IncidentAnalysis> analyses;
        // Twelve hours: checkout crashes every hour, recovering in about 10 min in the first
        // six hours and about 2 min in the last six; search fails twice, once unrecovered.
        for (int h = 0; h < 12; ++h) {
            const double ttr = (h < 6 ? 600 : 120) + 7 * (h % 3);
            analyses.push_back(
                failure("checkout", "failure.crash", kStart + h * kHour + kHour / 4, ttr));
        }
        analyses.push_back(failure("search", "failure.timeout", kStart + 2 * kHour, 300));
        analyses.push_back(failure("search", "failure.timeout", kStart + 9 * kHour, -1));
        analyses.push_back(failure("checkout", "failure.crash", kStart + 13 * kHour, 1)); // after
        const TimeRange range{kStart, kStart + 12 * kHour};
        QCOMPARE(periodFor(range), TrendPeriod::Hour);
        const auto trends = recoveryTrends(analyses, range, TrendPeriod::Hour);
        QCOMPARE(trends.size(), std::size_t(3)); // all, checkout crash, search timeout

        const RecoveryTrend &all = trends[0];
        QVERIFY(all.service.empty() && all.type.empty());
        QCOMPARE(all.failures, 14);
        QCOMPARE(all.recovered, 13);
        QCOMPARE(all.periods.size(), std::size_t(12));
        QCOMPARE(all.periods.front().begin, kStart);

        const RecoveryTrend &checkout = trends[1];
        QCOMPARE(checkout.service, std::string("checkout"));
        QCOMPARE(checkout.failures, 12);
        QCOMPARE(checkout.earlierCount, 6);
        QCOMPARE(checkout.laterCount, 6);
        QVERIFY(checkout.significant);
        QVERIFY(checkout.pValue < 0.01);
        QVERIFY(std::abs(checkout.changeFraction - (127.0 / 607.0 - 1)) < 0.02);
        QVERIFY(whyNotSignificant(checkout).empty());
        for (int h = 0; h < 12; ++h) {
            QCOMPARE(checkout.periods[static_cast<std::size_t>(h)].recovered, 1);
            QCOMPARE(checkout.periods[static_cast<std::size_t>(h)].begin, kStart + h * kHour);
        }

        const RecoveryTrend &search = trends[2];
        QCOMPARE(search.failures, 2);
        QCOMPARE(search.recovered, 1);
        QVERIFY(!search.significant);
        QVERIFY2(whyNotSignificant(search).find("too few recoveries") != std::string::npos,
                 whyNotSignificant(search).c_str());
    }

    void noChangeIsNotSignificantWithItsPValue()
    {
        std::vector<IncidentAnalysis> analyses;
        for (int h = 0; h < 12; ++h)
            analyses.push_back(
                failure("cart", "failure.crash", kStart + h * kHour, 300 + 40 * ((h * 7) % 5)));
        const auto trends
            = recoveryTrends(analyses, {kStart, kStart + 12 * kHour}, TrendPeriod::Hour);
        QVERIFY(!trends[1].significant);
        QVERIFY2(whyNotSignificant(trends[1]).find("p = ") == 0,
                 whyNotSignificant(trends[1]).c_str());
        // Periods: a week-long range goes by day, a two-month one by week.
        QCOMPARE(periodFor({kStart, kStart + 7 * 24 * kHour}), TrendPeriod::Day);
        QCOMPARE(periodFor({kStart, kStart + 60 * 24 * kHour}), TrendPeriod::Week);
    }

    void impactReasonsSayWhy()
    {
        ImpactResult impact;
        impact.occurrences.resize(2);
        QVERIFY(whyNotSignificant(impact).find("too few occurrences (2") == 0);
        impact.occurrences.resize(5);
        impact.backgroundWindows = 40;
        impact.pValue = 0.41;
        QCOMPARE(whyNotSignificant(impact),
                 std::string("p = 0.410: a change this size happens by chance"));
        impact.significant = true;
        QVERIFY(whyNotSignificant(impact).empty());
    }
};

QTEST_GUILESS_MAIN(TestOutcomes)
#include "tst_outcomes.moc"
