// Compare and Impact in the console, offscreen, on a simulated capture with its ground truth.
// Compare: Shift+drag across a chart around a scheduling contention chooses that range; the
// Compare dock ranks the slowed batch jobs' series first and groups them under their service;
// choosing a series charts it. Impact: the simulated scale-out effect on latency is significant,
// with the size the simulator gave it; a type with no effect is not. Screenshots in both themes.
#include "consoletestdata.h"
#include "drilldown/comparepanel.h"
#include "drilldown/impactpanel.h"
#include "drilldown/outcomespanel.h"
#include "mainwindow.h"
#include "models/comparemodel.h"
#include "timeline/eventlanechart.h"
#include "timeline/timelineview.h"
#include "timeline/viewstate.h"

#include "../analysis/simulatedcapture.h"

#include "util/timeformat.h"

#include <QDockWidget>
#include <QSettings>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <QTreeWidget>

using namespace eventscope;
using namespace eventscope::ui;
using namespace eventscope::testing;

class TestAnalysisViews : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::string m_capture;
    sim::TruthIncident m_contention;
    sim::GroundTruth m_truth;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        m_capture = m_dir.filePath(QStringLiteral("compare.capture")).toStdString();
        sim::SimulatorOptions options;
        options.seed = 21;
        options.start = *parseTimestamp("2026-11-24T00:00:00Z");
        options.duration = 12 * 3600 * kMicrosPerSecond;
        options.tracesPerSecond = 0.2;
        m_truth = testing::simulateIntoCapture(options, m_capture);
        for (const sim::TruthIncident &incident : m_truth.incidents) {
            if (incident.kind == "scheduling_contention") {
                m_contention = incident;
                break;
            }
        }
        QVERIFY2(!m_contention.id.empty(), "no simulated scheduling contention");
    }

    void shiftDragComparesAndRanksTheSlowedJobsFirst()
    {
        MainWindow window;
        window.resize(1600, 1000);
        QVERIFY(window.openCapture(m_capture).ok());
        window.show();
        QVERIFY(waitSettled(window));
        constexpr TimeUs minute = 60 * kMicrosPerSecond;
        window.viewState().setVisibleRange(
            {m_contention.time - 30 * minute, m_contention.time + 15 * minute});
        QVERIFY(waitSettled(window));

        // Shift+drag across the event lanes from two minutes before to three after.
        EventLaneChart *lanes = window.timeline().laneChart();
        const auto xOf = [lanes](TimeUs t) {
            return static_cast<int>(
                lanes->timeAxis()->coordToPixel(static_cast<double>(t) / kMicrosPerSecond));
        };
        const int y = lanes->height() / 2;
        const TimeRange before = window.viewState().visibleRange();
        QTest::mousePress(lanes, Qt::LeftButton, Qt::ShiftModifier,
                          QPoint(xOf(m_contention.time - 2 * minute), y));
        QTest::mouseMove(lanes, QPoint(xOf(m_contention.time), y));
        QTest::mouseRelease(lanes, Qt::LeftButton, Qt::ShiftModifier,
                            QPoint(xOf(m_contention.time + 3 * minute), y));
        QVERIFY(window.viewState().compareRange());
        QCOMPARE(window.viewState().visibleRange(), before); // chosen, not zoomed
        const TimeRange chosen = *window.viewState().compareRange();
        QVERIFY(std::abs(chosen.begin - (m_contention.time - 2 * minute)) < 10 * kMicrosPerSecond);
        QVERIFY(std::abs(chosen.end - (m_contention.time + 3 * minute)) < 10 * kMicrosPerSecond);

        ComparePanel &compare = window.comparePanel();
        QVERIFY(QTest::qWaitFor([&] { return compare.isSettled(); }, 20'000));
        QVERIFY2(compare.comparison(), qPrintable(compare.statusText()));
        CompareSeriesModel &model = compare.seriesModel();
        QVERIFY(model.serviceCount() > 3);
        const QModelIndex service = model.index(0, 0);
        QVERIFY2(service.data().toString().startsWith(QString::fromStdString(m_contention.service)),
                 qPrintable(service.data().toString()));
        const analysis::SeriesChange *top = model.changeAt(model.index(0, 0, service));
        QVERIFY(top);
        QVERIFY2(top->series.key.name == "job_duration_seconds"
                     || top->series.key.name == "jobs_completed_per_minute",
                 top->series.key.canonical().c_str());
        // Every series under a service has that service's label.
        for (int g = 0; g < model.serviceCount(); ++g) {
            const QModelIndex group = model.index(g, 0);
            for (int row = 0; row < model.rowCount(group); ++row) {
                const auto *change = model.changeAt(model.index(row, 0, group));
                QVERIFY(
                    change->service.empty()
                    || group.data().toString().startsWith(QString::fromStdString(change->service)));
            }
        }
        QVERIFY(compare.statusText().contains(QStringLiteral("series compared")));

        // Choosing a series charts it.
        const int charts = window.timeline().chartCount();
        const QModelIndex first = model.index(0, 0, service);
        compare.seriesView().scrollTo(first);
        const QRect cell = compare.seriesView().visualRect(first);
        QVERIFY(compare.seriesView().viewport()->rect().contains(cell.center()));
        QTest::mouseClick(compare.seriesView().viewport(), Qt::LeftButton, {}, cell.center());
        QTest::mouseDClick(compare.seriesView().viewport(), Qt::LeftButton, {}, cell.center());
        QCOMPARE(window.timeline().chartCount(), charts + 1);

        QVERIFY(saveThemeScreenshots(window, QStringLiteral("compare")));

        // Another baseline compares again; clearing the range empties the panel.
        compare.setBaseline(analysis::BaselineKind::DayEarlier);
        QVERIFY(QTest::qWaitFor([&] { return compare.isSettled(); }, 20'000));
        QVERIFY2(compare.statusText().contains(QStringLiteral("No series has samples")),
                 qPrintable(compare.statusText())); // the capture is twelve hours long
        window.viewState().setCompareRange(std::nullopt);
        QCOMPARE(model.serviceCount(), 0);
    }

    void impactIsSignificantForTheSimulatedEffectOnly()
    {
        QVERIFY2(m_truth.effects.size() >= 3, "too few simulated effects to measure");
        QVERIFY(!m_truth.noEffectTypes.empty());
        const sim::TruthEffect &effect = m_truth.effects.front();
        QString labels;
        for (const auto &[name, value] : effect.labels) {
            if (name == "service")
                labels = QStringLiteral("service=%1").arg(QString::fromStdString(value));
        }
        std::vector<double> simulated;
        for (const sim::TruthEffect &e : m_truth.effects) {
            if (e.eventType == effect.eventType && e.metric == effect.metric
                && e.labels == effect.labels)
                simulated.push_back(e.relativeChange());
        }
        std::sort(simulated.begin(), simulated.end());

        MainWindow window;
        window.resize(1600, 1000);
        QVERIFY(window.openCapture(m_capture).ok());
        window.show();
        auto *dock = window.findChild<QDockWidget *>(QStringLiteral("ImpactDock"));
        QVERIFY(dock);
        dock->raise();
        QVERIFY(waitSettled(window));
        ImpactPanel &impact = window.impactPanel();
        impact.measure(QString::fromStdString(effect.eventType),
                       QString::fromStdString(effect.metric), labels);
        QVERIFY(QTest::qWaitFor([&] { return impact.isSettled(); }, 20'000));
        QVERIFY2(impact.result(), qPrintable(impact.errorText()));
        QVERIFY2(impact.result()->significant, qPrintable(impact.verdictText()));
        QVERIFY(impact.verdictText().contains(QStringLiteral("Significant")));
        const double truth = simulated[simulated.size() / 2];
        QVERIFY2(std::abs(impact.result()->medianRelativeChange - truth) <= 0.15 * std::abs(truth),
                 qPrintable(impact.verdictText()));
        QVERIFY(!impact.chart().graph(0)->data()->isEmpty());
        auto *occurrences = impact.findChild<QTableWidget *>(QStringLiteral("ImpactOccurrences"));
        QCOMPARE(occurrences->rowCount(), static_cast<int>(impact.result()->occurrences.size()));

        QVERIFY(saveThemeScreenshots(window, QStringLiteral("impact")));

        // Choosing an occurrence goes to its event.
        occurrences->scrollToTop();
        const QRect cell = occurrences->visualItemRect(occurrences->item(0, 0));
        QTest::mouseClick(occurrences->viewport(), Qt::LeftButton, {}, cell.center());
        QTest::mouseDClick(occurrences->viewport(), Qt::LeftButton, {}, cell.center());
        QCOMPARE(window.viewState().selectedEvent()->sourceId,
                 impact.result()->occurrences.front().eventId);

        // A type the simulator gives no effect: not significant, and the panel says why.
        impact.measure(QString::fromStdString(m_truth.noEffectTypes.front()),
                       QString::fromStdString(effect.metric));
        QVERIFY(QTest::qWaitFor([&] { return impact.isSettled(); }, 20'000));
        QVERIFY2(impact.result(), qPrintable(impact.errorText()));
        QVERIFY2(!impact.result()->significant, qPrintable(impact.verdictText()));
        QVERIFY(impact.verdictText().contains(QStringLiteral("Not significant")));
        QVERIFY(impact.verdictText().contains(QStringLiteral("p = "))
                || impact.verdictText().contains(QStringLiteral("too few")));

        // Bad input says what to do.
        impact.measure(QString::fromStdString(effect.eventType), QStringLiteral("no_such_metric"));
        QVERIFY(QTest::qWaitFor([&] { return impact.isSettled(); }, 20'000));
        QVERIFY(impact.errorText().contains(QStringLiteral("no_such_metric")));
        impact.measure(QString::fromStdString(effect.eventType),
                       QString::fromStdString(effect.metric), QStringLiteral("service"));
        QVERIFY(impact.errorText().contains(QStringLiteral("name=value")));
    }

    void outcomesAnswerTheThreeQuestions()
    {
        const sim::TruthEffect &effect = m_truth.effects.front();
        std::string effectService;
        for (const auto &[name, value] : effect.labels) {
            if (name == "service")
                effectService = value;
        }
        MainWindow window;
        window.resize(1600, 1000);
        QVERIFY(window.openCapture(m_capture).ok());
        window.show();
        auto *dock = window.findChild<QDockWidget *>(QStringLiteral("OutcomesDock"));
        QVERIFY(dock);
        OutcomesPanel &outcomes = window.outcomesPanel();
        QVERIFY(waitSettled(window));
        QVERIFY(!outcomes.outcomes()); // behind its tab, nothing is measured
        dock->raise();
        QVERIFY(
            QTest::qWaitFor([&] { return outcomes.outcomes() && outcomes.isSettled(); }, 60'000));
        // The recovery question waits for the incident list's analyses of every failure.
        QVERIFY(QTest::qWaitFor([&] { return !outcomes.recovery().empty(); }, 120'000));

        // 1. The simulated scale-out effect on latency: measured on its service, significant,
        //    in the simulated direction.
        const analysis::OutcomeImpact *scaleOut = nullptr;
        for (const analysis::OutcomeImpact &o : outcomes.outcomes()->scaling) {
            QVERIFY(!o.query.labels.empty()); // each on its own service
            if (o.query.eventType == effect.eventType && o.query.metric == effect.metric
                && o.service == effectService)
                scaleOut = &o;
        }
        QVERIFY2(scaleOut, (effect.eventType + " on " + effect.metric).c_str());
        QVERIFY(scaleOut->impact);
        QVERIFY(scaleOut->impact->significant);
        QVERIFY((scaleOut->impact->medianRelativeChange < 0) == (effect.relativeChange() < 0));
        QVERIFY2(outcomes.scalingAnswer().contains(QStringLiteral("fell significantly")),
                 qPrintable(outcomes.scalingAnswer()));
        // Types the simulator gives no effect are not significant, and say why.
        for (const analysis::OutcomeImpact &o : outcomes.outcomes()->scaling) {
            if (std::find(m_truth.noEffectTypes.begin(), m_truth.noEffectTypes.end(),
                          o.query.eventType)
                    != m_truth.noEffectTypes.end()
                && o.impact) {
                QVERIFY2(!o.impact->significant, o.query.eventType.c_str());
                QVERIFY(!analysis::whyNotSignificant(*o.impact).empty());
            }
        }

        // 2. Scheduling trouble against the batch jobs: measured for the contended service.
        bool jobs = false;
        for (const analysis::OutcomeImpact &o : outcomes.outcomes()->provisioning) {
            if (o.service == m_contention.service && o.impact)
                jobs = true;
        }
        QVERIFY2(jobs, qPrintable(outcomes.provisioningAnswer()));

        // 3. Recovery: every failure of the capture, per hour of the twelve.
        const analysis::RecoveryTrend &all = outcomes.recovery().front();
        QVERIFY(all.service.empty() && all.type.empty());
        const TimeRange extent = window.viewState().dataExtent();
        constexpr TimeUs hour = 3600 * kMicrosPerSecond;
        QVERIFY(all.periods.size() >= 12); // twelve hours, by the hour
        QVERIFY(all.periods.front().begin <= extent.begin);
        QVERIFY(all.periods.back().begin < extent.end);
        for (std::size_t i = 1; i < all.periods.size(); ++i)
            QCOMPARE(all.periods[i].begin - all.periods[i - 1].begin, hour);
        int failures = 0;
        for (std::size_t i = 1; i < outcomes.recovery().size(); ++i)
            failures += outcomes.recovery()[i].failures;
        QCOMPARE(failures, all.failures);
        QVERIFY(all.recovered > 0 && all.recovered <= all.failures);
        QVERIFY(!outcomes.recoveryAnswer().isEmpty());
        if (!all.significant)
            QVERIFY(outcomes.recoveryAnswer().contains(QStringLiteral("not significant")));

        // A figure opens the view that produced it: the Impact view, with the same numbers.
        QTreeWidget &tree = outcomes.tree();
        QTreeWidgetItem *section = tree.topLevelItem(0);
        QTreeWidgetItem *row = nullptr;
        for (int i = 0; i < section->childCount(); ++i) {
            if (section->child(i)->text(1) == QString::fromStdString(effect.eventType)
                && section->child(i)->text(0) == QString::fromStdString(effectService)
                && section->child(i)->text(2) == QString::fromStdString(effect.metric))
                row = section->child(i);
        }
        QVERIFY(row);
        QVERIFY(row->text(6).startsWith(QStringLiteral("Significant")));
        tree.scrollToItem(row);
        const QRect cell = tree.visualItemRect(row);
        QTest::mouseClick(tree.viewport(), Qt::LeftButton, {}, cell.center());
        QTest::mouseDClick(tree.viewport(), Qt::LeftButton, {}, cell.center());
        ImpactPanel &impact = window.impactPanel();
        QVERIFY(QTest::qWaitFor([&] { return impact.isSettled() && impact.result(); }, 20'000));
        QCOMPARE(impact.result()->query.eventType, effect.eventType);
        QCOMPARE(impact.result()->medianRelativeChange, scaleOut->impact->medianRelativeChange);

        dock->raise();
        QVERIFY(
            saveThemeScreenshots(window, QStringLiteral("outcomes"), [dock] { dock->raise(); }));
    }
};

QTEST_MAIN(TestAnalysisViews)
#include "tst_analysisviews.moc"
