// Render benchmark: the console's timeline against the plain QCustomPlot way, on one week of
// 50 series at 15 s (about 2M samples) and 100k events, offscreen at 1920x1080.
//
//   cmake --build --preset release --target render_bench eventscope
//   ./build/release/tests/bench/render_bench            # --runs N, --dir D, --quick
//
// Prints, as medians (and p95 for replots) of --runs repetitions:
// - open: from openCapture() to the first painted timeline, in process; and the wall time and
//   peak resident memory of `eventscope --capture FILE --screenshot` as a user runs it (also on
//   a 10M-sample capture for the memory figure);
// - full replot of the timeline (10 charts of 5 series plus the event lanes) at the full week
//   and at a 1-hour zoom, and a crosshair move (its layer only);
// - the same charts drawn the plain QCustomPlot way: every point in QCPGraphs (adaptive
//   sampling on), events as one impulse graph per chart; and the ratio.
// The machine is shared and noisy: compare the columns of one run, not runs with each other.
//
// Profiling aids: --profile-replots N only replots the full week N times and prints the lane
// chart and one metric chart apart; with it, RENDER_BENCH_HIDE=layer,... hides QCustomPlot
// layers (spans, grid, events, main, axes, ...) to see what each costs, and
// RENDER_BENCH_ONE_CHART=lanes|metric replots that one chart 10 N times (for perf record).
#include "mainwindow.h"
#include "models/seriestreemodel.h"
#include "timeline/eventlanechart.h"
#include "timeline/metricchart.h"
#include "timeline/timelineview.h"
#include "timeline/viewstate.h"

#include "store/batchcommitter.h"
#include "store/capturereader.h"

#include <qcustomplot.h>

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>
#include <QVBoxLayout>

#include <sys/resource.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <random>

using namespace eventscope;

namespace {

constexpr TimeUs kStart = 1'764'000'000LL * kMicrosPerSecond;
constexpr TimeUs kWeek = 7 * 24 * 3600 * kMicrosPerSecond;
constexpr int kSeries = 50;
constexpr int kSeriesPerChart = 5;

struct Options
{
    int runs = 15;
    bool quick = false;
    QString dir;
    QString binary;
    int profileReplots = 0; // --profile-replots N: only replot the full week N times (for perf)
};

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values.empty() ? 0 : values[values.size() / 2];
}

double percentile95(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values.empty() ? 0 : values[std::min(values.size() - 1, values.size() * 95 / 100)];
}

void makeCapture(const std::string &path, TimeUs interval, std::int64_t events)
{
    QFile::remove(QString::fromStdString(path));
    auto committer = BatchCommitter::open(path, "render_bench");
    if (!committer)
        qFatal("%s", committer.error().c_str());
    std::mt19937_64 rng(7);
    std::normal_distribution<double> noise(0, 1);
    const std::int64_t steps = kWeek / interval;
    std::vector<double> state(kSeries, 0);
    RecordBatch batch;
    std::vector<std::uint32_t> ids;
    const auto flush = [&] {
        std::vector<RecordBatch> batches;
        batches.push_back(std::move(batch));
        (*committer)->commit(batches);
        batch = RecordBatch();
        ids.clear();
    };
    static const char *kNames[] = {"cpu_utilization", "latency_p99_ms", "http_requests_per_second",
                                   "memory_usage_bytes", "error_rate"};
    static const char *kUnits[] = {"ratio", "ms", "1/s", "bytes", "ratio"};
    for (std::int64_t step = 0; step < steps; ++step) {
        if (ids.empty()) {
            for (int s = 0; s < kSeries; ++s)
                ids.push_back(batch.internSeries(
                    SeriesKey(kNames[s % 5], {{"service", "svc-" + std::to_string(s / 5)}}),
                    kUnits[s % 5]));
        }
        const double daily = std::sin(static_cast<double>(step * interval) * 2 * M_PI
                                      / (86400.0 * kMicrosPerSecond));
        for (int s = 0; s < kSeries; ++s) {
            state[static_cast<std::size_t>(s)]
                = 0.9 * state[static_cast<std::size_t>(s)] + noise(rng);
            const double value = (s % 5 == 3 ? 5e8 : 100.0)
                * (1 + 0.3 * daily + 0.02 * state[static_cast<std::size_t>(s)]);
            batch.addSample(ids[static_cast<std::size_t>(s)], kStart + step * interval, value);
        }
        if (batch.samples.size() >= 200'000)
            flush();
    }
    static const char *kTypes[]
        = {"scaling.scale_out", "deployment.rollout", "config.changed", "provisioning.pod_created",
           "failure.crash",     "recovery.healthy",   "k8s.Pulled",     "alert.firing"};
    for (std::int64_t n = 0; n < events; ++n) {
        Event e;
        e.sourceId = "evt-" + std::to_string(n);
        e.time = kStart + static_cast<TimeUs>(rng() % static_cast<std::uint64_t>(kWeek));
        e.type = kTypes[rng() % 8];
        e.category = inferEventCategory(e.type);
        e.severity = e.category == EventCategory::Failure
            ? Severity::Error
            : (rng() % 20 == 0 ? Severity::Warning : Severity::Info);
        e.service = "svc-" + std::to_string(rng() % 10);
        e.entity = "pod-" + std::to_string(rng() % 200);
        e.message = "routine change " + std::to_string(n % 50);
        batch.events.push_back(std::move(e));
        if (batch.events.size() >= 50'000)
            flush();
    }
    flush();
    (*committer)->compactEverything(); // the capture at rest, as a finished ingest leaves it
}

// Every chart of the timeline replotted into its buffer and painted, as one frame.
double timeFullReplot(ui::TimelineView &timeline)
{
    QElapsedTimer timer;
    timer.start();
    timeline.replotImmediately();
    return static_cast<double>(timer.nsecsElapsed()) / 1e6;
}

bool waitSettled(ui::MainWindow &window)
{
    bool settled = false;
    window.whenSettled([&settled] { settled = true; });
    return QTest::qWaitFor([&settled] { return settled; }, 60'000);
}

struct ProcessFigures
{
    double seconds = 0;
    double peakMegabytes = 0;
};

// `eventscope --capture FILE --screenshot` as a user runs it: wall time and peak RSS.
ProcessFigures runScreenshot(const Options &options, const QString &capture)
{
    const QString png = options.dir + QStringLiteral("/bench-shot.png");
    QElapsedTimer timer;
    timer.start();
    const pid_t child = fork();
    if (child == 0) {
        const QByteArray binary = options.binary.toLocal8Bit();
        const QByteArray file = capture.toLocal8Bit();
        const QByteArray out = png.toLocal8Bit();
        setenv("QT_QPA_PLATFORM", "offscreen", 1);
        execl(binary.constData(), binary.constData(), "--capture", file.constData(), "--screenshot",
              out.constData(), "--after", "0", "--size", "1920x1080", static_cast<char *>(nullptr));
        _exit(127);
    }
    int status = 0;
    rusage usage{};
    wait4(child, &status, 0, &usage);
    ProcessFigures figures;
    figures.seconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
    figures.peakMegabytes = static_cast<double>(usage.ru_maxrss) / 1024.0;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        std::printf("  (eventscope --screenshot failed with status %d)\n", status);
    return figures;
}

// The plain QCustomPlot way: one QCustomPlot per chart, every sample in a QCPGraph, events as
// an impulse graph.
class PlainCharts : public QWidget
{
public:
    PlainCharts(CaptureReader &reader, const std::vector<SeriesInfo> &series,
                const std::vector<Event> &events)
    {
        auto *layout = new QVBoxLayout(this);
        layout->setContentsMargins(0, 0, 0, 0);
        QVector<double> eventKeys, eventValues;
        for (const Event &e : events) {
            eventKeys << static_cast<double>(e.time) / kMicrosPerSecond;
            eventValues << 1.0;
        }
        for (std::size_t first = 0; first < series.size(); first += kSeriesPerChart) {
            auto *plot = new QCustomPlot(this);
            plot->xAxis->setTicker(QSharedPointer<QCPAxisTickerDateTime>::create());
            plot->yAxis2->setVisible(false);
            for (std::size_t s = first; s < std::min(series.size(), first + kSeriesPerChart); ++s) {
                const auto samples = reader.samples(series[s].id, TimeRange::all());
                QVector<double> keys, values;
                keys.reserve(static_cast<qsizetype>(samples->size()));
                values.reserve(static_cast<qsizetype>(samples->size()));
                for (const Sample &sample : *samples) {
                    keys << static_cast<double>(sample.time) / kMicrosPerSecond;
                    values << sample.value;
                }
                QCPGraph *graph = plot->addGraph();
                graph->setAdaptiveSampling(true);
                graph->setData(keys, values, true);
                graph->setPen(QPen(QColor::fromHsv(static_cast<int>(s * 47 % 360), 200, 220)));
            }
            plot->rescaleAxes();
            QCPGraph *marks = plot->addGraph(plot->xAxis, plot->yAxis2);
            marks->setLineStyle(QCPGraph::lsImpulse);
            marks->setPen(QPen(QColor(200, 80, 80, 120)));
            marks->setData(eventKeys, eventValues, true);
            plot->yAxis2->setRange(0, 1);
            m_plots.push_back(plot);
            layout->addWidget(plot);
        }
    }

    void setRange(TimeRange range)
    {
        for (QCustomPlot *plot : m_plots)
            plot->xAxis->setRange(static_cast<double>(range.begin) / kMicrosPerSecond,
                                  static_cast<double>(range.end) / kMicrosPerSecond);
    }

    double timeReplot()
    {
        QElapsedTimer timer;
        timer.start();
        for (QCustomPlot *plot : m_plots)
            plot->replot(QCustomPlot::rpImmediateRefresh);
        return static_cast<double>(timer.nsecsElapsed()) / 1e6;
    }

private:
    std::vector<QCustomPlot *> m_plots;
};

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication application(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    QApplication::setApplicationName(QStringLiteral("EventScopeRenderBench"));
    Options options;
    options.dir = QDir::tempPath() + QStringLiteral("/eventscope-render-bench");
    options.binary = QStringLiteral(EVENTSCOPE_BINARY);
    const QStringList args = QApplication::arguments();
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--runs") && i + 1 < args.size())
            options.runs = std::max(1, args[++i].toInt());
        else if (args[i] == QLatin1String("--dir") && i + 1 < args.size())
            options.dir = args[++i];
        else if (args[i] == QLatin1String("--profile-replots") && i + 1 < args.size())
            options.profileReplots = args[++i].toInt();
        else if (args[i] == QLatin1String("--quick"))
            options.quick = true;
        else {
            std::fprintf(stderr,
                         "render_bench: unknown argument '%s' (--runs N, --dir D, --quick)\n",
                         qPrintable(args[i]));
            return 2;
        }
    }
    if (options.quick)
        options.runs = 2;
    QDir().mkpath(options.dir);
    QSettings().clear();

    const std::string capture = (options.dir + QStringLiteral("/week.capture")).toStdString();
    const TimeUs interval = (options.quick ? 600 : 15) * kMicrosPerSecond;
    const std::int64_t eventCount = options.quick ? 2000 : 100'000;
    QElapsedTimer timer;
    timer.start();
    makeCapture(capture, interval, eventCount);
    std::printf(
        "capture: %d series x 1 week at %lld s (%lld samples), %lld events, made in %.1f s\n",
        kSeries, static_cast<long long>(interval / kMicrosPerSecond),
        static_cast<long long>(kSeries * (kWeek / interval)), static_cast<long long>(eventCount),
        static_cast<double>(timer.elapsed()) / 1000);

    // Open to first paint, in process.
    std::vector<double> opens;
    for (int run = 0; run < (options.profileReplots ? 0 : std::max(3, options.runs / 3)); ++run) {
        QSettings().clear(); // no remembered view: the overview as a first open shows it
        ui::MainWindow window;
        window.resize(1920, 1080);
        window.show();
        QCoreApplication::processEvents();
        timer.restart();
        if (Status s = window.openCapture(capture); !s)
            qFatal("%s", s.error().c_str());
        if (!waitSettled(window))
            qFatal("the window never settled");
        opens.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
    }
    std::printf("open to first painted timeline (in process): median %.0f ms\n", median(opens));
    std::vector<double> cliSeconds, cliMegabytes;
    for (int run = 0; run < (options.profileReplots ? 0 : 3); ++run) {
        const ProcessFigures figures = runScreenshot(options, QString::fromStdString(capture));
        cliSeconds.push_back(figures.seconds);
        cliMegabytes.push_back(figures.peakMegabytes);
    }
    std::printf("eventscope --capture --screenshot: median %.2f s wall, peak RSS %.0f MB\n",
                median(cliSeconds), median(cliMegabytes));

    // The timeline: 10 charts of 5 series each.
    ui::MainWindow window;
    window.resize(1920, 1080);
    window.show();
    if (Status s = window.openCapture(capture); !s || !waitSettled(window))
        qFatal("cannot open the capture");
    ui::TimelineView &timeline = window.timeline();
    timeline.clearCharts();
    const auto series = window.seriesModel().series();
    std::vector<SeriesInfo> ordered(series.begin(), series.end());
    std::sort(ordered.begin(), ordered.end(),
              [](const SeriesInfo &a, const SeriesInfo &b) { return a.id < b.id; });
    for (std::size_t first = 0; first < ordered.size(); first += kSeriesPerChart)
        timeline.addChart(
            {ordered.begin() + static_cast<long>(first),
             ordered.begin()
                 + static_cast<long>(std::min(ordered.size(), first + kSeriesPerChart))});
    const TimeRange full{kStart, kStart + kWeek};
    const TimeRange hour{kStart + kWeek / 2, kStart + kWeek / 2 + 3600 * kMicrosPerSecond};

    if (options.profileReplots > 0) {
        window.viewState().setVisibleRange(full);
        waitSettled(window);
        // RENDER_BENCH_HIDE=layer,layer hides layers to see what each costs.
        for (const QString &name : qEnvironmentVariable("RENDER_BENCH_HIDE")
                                       .split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            if (QCPLayer *layer = timeline.laneChart()->layer(name))
                layer->setVisible(false);
            for (int i = 0; i < timeline.chartCount(); ++i) {
                if (QCPLayer *layer = timeline.chart(i)->layer(name))
                    layer->setVisible(false);
            }
        }
        std::vector<double> times;
        for (int run = 0; run < options.profileReplots; ++run)
            times.push_back(timeFullReplot(timeline));
        std::printf("full week replot: median %.1f ms over %d (%zu merged spans)\n", median(times),
                    options.profileReplots, timeline.spans().size());
        if (qEnvironmentVariableIsSet("RENDER_BENCH_ONE_CHART")) {
            QCustomPlot *plot
                = qEnvironmentVariable("RENDER_BENCH_ONE_CHART") == QLatin1String("metric")
                ? static_cast<QCustomPlot *>(timeline.chart(0))
                : timeline.laneChart();
            for (int run = 0; run < options.profileReplots * 10; ++run)
                plot->replot(QCustomPlot::rpImmediateRefresh);
            return 0;
        }
        std::vector<double> lanes, chart;
        for (int run = 0; run < options.profileReplots; ++run) {
            QElapsedTimer part;
            part.start();
            timeline.laneChart()->replot(QCustomPlot::rpImmediateRefresh);
            lanes.push_back(static_cast<double>(part.nsecsElapsed()) / 1e6);
            part.restart();
            timeline.chart(0)->replot(QCustomPlot::rpImmediateRefresh);
            chart.push_back(static_cast<double>(part.nsecsElapsed()) / 1e6);
        }
        std::printf("  event lanes %.1f ms, one metric chart %.1f ms (medians)\n", median(lanes),
                    median(chart));
        return 0;
    }
    auto reader = CaptureReader::open(capture);
    const auto events = (*reader)->events({});
    PlainCharts plain(**reader, ordered, *events);
    plain.resize(timeline.size());
    plain.show();

    std::printf("\n%-32s %12s %12s %12s %12s %8s\n", "full replot, 1920x1080", "ours median",
                "ours p95", "plain median", "plain p95", "ratio");
    for (const auto &[name, range] :
         {std::pair{"full week", full}, std::pair{"1-hour zoom", hour}}) {
        window.viewState().setVisibleRange(range);
        waitSettled(window);
        plain.setRange(range);
        std::vector<double> ours, theirs;
        for (int run = 0; run < options.runs; ++run) {
            ours.push_back(timeFullReplot(timeline));
            theirs.push_back(plain.timeReplot());
        }
        QElapsedTimer part;
        part.start();
        timeline.laneChart()->replot(QCustomPlot::rpImmediateRefresh);
        const double lanes = static_cast<double>(part.nsecsElapsed()) / 1e6;
        part.restart();
        timeline.chart(0)->replot(QCustomPlot::rpImmediateRefresh);
        const double oneChart = static_cast<double>(part.nsecsElapsed()) / 1e6;
        std::printf("  (%s: event lanes %.1f ms, one metric chart %.1f ms)\n", name, lanes,
                    oneChart);
        std::printf("%-32s %9.1f ms %9.1f ms %9.1f ms %9.1f ms %7.2fx\n", name, median(ours),
                    percentile95(ours), median(theirs), percentile95(theirs),
                    median(theirs) / median(ours));
    }

    // A crosshair move: every chart's crosshair layer, not the series.
    std::vector<double> moves;
    for (int run = 0; run < options.runs; ++run) {
        QElapsedTimer move;
        move.start();
        window.viewState().setCursorTime(hour.begin + (run + 1) * 60 * kMicrosPerSecond);
        timeline.laneChart()->repaint();
        for (int i = 0; i < timeline.chartCount(); ++i)
            timeline.chart(i)->repaint();
        moves.push_back(static_cast<double>(move.nsecsElapsed()) / 1e6);
    }
    std::printf("%-32s %9.1f ms %9.1f ms\n", "crosshair move (all charts)", median(moves),
                percentile95(moves));

    // Resident memory with a 10M-sample capture open (as a user opens it).
    if (!options.quick) {
        const std::string big = (options.dir + QStringLiteral("/big.capture")).toStdString();
        makeCapture(big, 3 * kMicrosPerSecond, 100'000); // 50 x 201,600 = 10.1M samples
        const ProcessFigures figures = runScreenshot(options, QString::fromStdString(big));
        std::printf("\n10.1M-sample capture: eventscope --capture --screenshot %.2f s wall, peak "
                    "RSS %.0f MB\n",
                    figures.seconds, figures.peakMegabytes);
    }
    return 0;
}
