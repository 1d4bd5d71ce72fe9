// The Root Cause panel on a day-sized capture, in the console (offscreen, 1600x1000): the time
// from selecting a failure to its panel complete (analysis, sparklines, rendered), and how late
// a 10 ms timer on the GUI thread fires meanwhile. Uses analyze_bench's day capture:
//
//   ./build/release/tests/bench/analyze_bench --keep --dir DIR --no-all
//   ./build/release/tests/bench/drilldown_bench --db DIR/day.capture [--failures N]
//
// Target (issue 13): panel complete <= 300 ms after selecting a failure; GUI thread never
// blocked > 50 ms meanwhile. Then Compare: an hour against the hour before, <= 1 s. As for an
// operator who just opened the capture, the Incidents dock analyses every failure on its own worker
// during the measurement.

#include "drilldown/comparepanel.h"
#include "drilldown/rootcausepanel.h"
#include "mainwindow.h"
#include "timeline/timelineview.h"
#include "timeline/viewstate.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QStandardPaths>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <random>

using namespace eventscope;
using namespace eventscope::ui;

namespace {

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, static_cast<std::size_t>(p * values.size()))];
}

bool waitUntil(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    }
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication application(argc, argv);
    QStandardPaths::setTestModeEnabled(true); // the operator's settings stay untouched
    QString db;
    int count = 30;
    const QStringList args = QCoreApplication::arguments();
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--db") && i + 1 < args.size())
            db = args[++i];
        else if (args[i] == QLatin1String("--failures") && i + 1 < args.size())
            count = args[++i].toInt();
        else {
            std::fprintf(stderr,
                         "drilldown_bench: unknown argument '%s' (--db FILE, "
                         "--failures N)\n",
                         qPrintable(args[i]));
            return 2;
        }
    }
    if (db.isEmpty()) {
        std::fprintf(stderr,
                     "drilldown_bench: --db is required (analyze_bench --keep --dir DIR "
                     "--no-all writes DIR/day.capture)\n");
        return 2;
    }

    MainWindow window;
    window.resize(1600, 1000);
    if (Status opened = window.openCapture(db.toStdString()); !opened) {
        std::fprintf(stderr, "%s\n", opened.error().c_str());
        return 1;
    }
    window.show();
    if (!waitUntil([&] { return window.isSettled(); }, 120'000)) {
        std::fprintf(stderr, "the capture did not settle within 2 minutes\n");
        return 1;
    }
    std::vector<Event> failures;
    for (const Event &e : *window.timeline().events()) {
        if (e.category == EventCategory::Failure)
            failures.push_back(e);
    }
    std::mt19937 rng(13);
    std::shuffle(failures.begin(), failures.end(), rng);
    failures.resize(std::min<std::size_t>(failures.size(), static_cast<std::size_t>(count)));

    // The GUI thread's stalls while the panels are worked out.
    std::vector<double> lateness;
    bool measuring = false;
    QElapsedTimer tick;
    tick.start();
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(10);
    QObject::connect(&probe, &QTimer::timeout, &window, [&] {
        const double late = static_cast<double>(tick.nsecsElapsed()) / 1e6 - 10.0;
        tick.restart();
        if (measuring)
            lateness.push_back(std::max(0.0, late));
    });
    probe.start();

    std::vector<double> panel, analysis;
    std::vector<double> panelAnalysed; // those not answered from the Incidents list
    int reused = 0;
    for (const Event &failure : failures) {
        QElapsedTimer timer;
        measuring = true;
        timer.start();
        window.viewState().setSelectedEvent(failure);
        const bool done = waitUntil(
            [&] {
                const auto &result = window.rootCausePanel().result();
                return result && result->failureId == failure.sourceId;
            },
            30'000);
        window.rootCausePanel().repaint(); // the rendered panel, not only the model
        const double ms = static_cast<double>(timer.nsecsElapsed()) / 1e6;
        measuring = false;
        if (!done) {
            std::fprintf(stderr, "no analysis of %s within 30 s\n", failure.sourceId.c_str());
            return 1;
        }
        panel.push_back(ms);
        if (window.rootCausePanel().result()->reused) {
            ++reused;
        } else {
            analysis.push_back(window.rootCausePanel().result()->milliseconds);
            panelAnalysed.push_back(ms);
        }
        waitUntil([] { return false; }, 50); // let the probe settle between selections
    }

    // Compare: one hour against the hour before it, at a few places in the day, the GUI
    // thread probed meanwhile.
    std::vector<double> compare, compareWorker;
    std::vector<double> compareLateness;
    const TimeRange extent = window.viewState().dataExtent();
    constexpr TimeUs hour = 3600 * kMicrosPerSecond;
    ComparePanel &comparePanel = window.comparePanel();
    for (int i = 0; i < 7; ++i) {
        const TimeUs begin = extent.begin + 2 * hour + (extent.duration() - 4 * hour) * i / 7;
        lateness.clear();
        measuring = true;
        QElapsedTimer timer;
        timer.start();
        window.viewState().setCompareRange(TimeRange{begin, begin + hour});
        const bool done = waitUntil(
            [&] { return comparePanel.isSettled() && comparePanel.comparison(); }, 60'000);
        comparePanel.repaint();
        const double ms = static_cast<double>(timer.nsecsElapsed()) / 1e6;
        measuring = false;
        if (!done) {
            std::fprintf(stderr, "compare did not finish within 60 s: %s\n",
                         qPrintable(comparePanel.statusText()));
            return 1;
        }
        compare.push_back(ms);
        compareWorker.push_back(comparePanel.lastMilliseconds());
        compareLateness.insert(compareLateness.end(), lateness.begin(), lateness.end());
        waitUntil([] { return false; }, 50);
    }
    probe.stop();
    const std::size_t compared
        = comparePanel.comparison() ? comparePanel.comparison()->seriesCompared : 0;
    std::printf("drilldown_bench: %zu failures of %s, window 1600x1000 offscreen\n", panel.size(),
                qPrintable(db));
    std::printf("select to panel complete: median %.0f ms, p90 %.0f ms, max %.0f ms "
                "(target <= 300 ms)\n",
                percentile(panel, 0.5), percentile(panel, 0.9),
                panel.empty() ? 0.0 : *std::max_element(panel.begin(), panel.end()));
    if (!panel.empty())
        std::printf("  the first selection: %.0f ms\n", panel.front());
    std::printf("  %d answered from the Incidents list's analyses; the %zu analysed on selection: "
                "median %.0f ms, p90 %.0f ms, max %.0f ms\n",
                reused, panelAnalysed.size(), percentile(panelAnalysed, 0.5),
                percentile(panelAnalysed, 0.9),
                panelAnalysed.empty()
                    ? 0.0
                    : *std::max_element(panelAnalysed.begin(), panelAnalysed.end()));
    std::printf("of which the analysis on its worker: median %.0f ms, max %.0f ms\n",
                percentile(analysis, 0.5),
                analysis.empty() ? 0.0 : *std::max_element(analysis.begin(), analysis.end()));
    std::printf("GUI thread, a 10 ms timer late by: p99 %.1f ms, max %.1f ms (target: never "
                "blocked > 50 ms)\n",
                percentile(lateness, 0.99),
                lateness.empty() ? 0.0 : *std::max_element(lateness.begin(), lateness.end()));
    std::printf("compare one hour with the hour before (%zu series, 7 places in the day): "
                "median %.0f ms, max %.0f ms (target <= 1000 ms); on its worker median %.0f ms; "
                "GUI thread late by max %.1f ms\n",
                compared, percentile(compare, 0.5),
                *std::max_element(compare.begin(), compare.end()), percentile(compareWorker, 0.5),
                compareLateness.empty()
                    ? 0.0
                    : *std::max_element(compareLateness.begin(), compareLateness.end()));
    return 0;
}
