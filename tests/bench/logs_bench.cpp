// The Logs and Traces panels on large data, offscreen: a capture of one million log records
// (a day, 24 services) and a trace of ten thousand spans.
//
//   ./build/release/tests/bench/logs_bench [--dir DIR] [--records N] [--spans N] [--quick]
//
// Logs: from asking for a range to the first rows shown and to the read finished, over the
// whole day (a million matches, 200k kept) and over one hour; then scrolling the table page by
// page (the time each repaint takes), and the memory the kept rows cost.
// Traces: from choosing the 10k-span trace to its waterfall (target <= 200 ms), and scrolling
// the waterfall.

#include "drilldown/logspanel.h"
#include "drilldown/tracefetcher.h"
#include "drilldown/tracewaterfall.h"
#include "models/logtablemodel.h"
#include "timeline/viewstate.h"

#include "store/batchcommitter.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QScrollBar>
#include <QStandardPaths>
#include <QTableView>

#include <algorithm>
#include <cstdio>
#include <random>

#include <unistd.h>

using namespace eventscope;
using namespace eventscope::ui;

namespace {
constexpr TimeUs kStart = 1'764'000'000LL * kMicrosPerSecond;
constexpr TimeUs kDay = 24 * 3600 * kMicrosPerSecond;

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
        QCoreApplication::processEvents(QEventLoop::AllEvents, 2);
    }
    return true;
}

double residentMegabytes()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.value(1).toDouble() * static_cast<double>(sysconf(_SC_PAGESIZE)) / 1e6;
}

std::string hex(std::mt19937_64 &random, int digits)
{
    static const char *const kDigits = "0123456789abcdef";
    std::string text(static_cast<std::size_t>(digits), '0');
    for (char &c : text)
        c = kDigits[random() & 15];
    return text;
}

// A day of logs from 24 services, and one trace of `spans` spans (a fan-out under a root, each
// call with a few children) an hour into the day.
void makeCapture(const std::string &path, int records, int spans)
{
    auto committer = BatchCommitter::open(path, "logs_bench");
    if (!committer) {
        std::fprintf(stderr, "%s\n", committer.error().c_str());
        std::exit(1);
    }
    std::mt19937_64 random(5);
    const char *const messages[] = {"GET /api/orders/%d 200 in 12 ms",
                                    "cache miss for key user:%d, loading from store",
                                    "payment authorised for order %d",
                                    "retrying idempotent request %d once",
                                    "connection pool at 80% (%d of 50 in use)",
                                    "upstream timed out after 2000 ms (attempt %d)"};
    std::vector<RecordBatch> batches(1);
    const int perBatch = 20'000;
    for (int i = 0; i < records; ++i) {
        LogRecord log;
        log.time = kStart + static_cast<TimeUs>(static_cast<double>(i) / records * kDay);
        const int service = static_cast<int>(random() % 24);
        log.service = "service-" + std::to_string(service);
        log.entity = log.service + "-pod-" + std::to_string(random() % 6);
        const auto kind = random() % 100;
        log.level = kind < 2
            ? Severity::Error
            : (kind < 10 ? Severity::Warning : (kind < 40 ? Severity::Debug : Severity::Info));
        char text[160];
        std::snprintf(text, sizeof text, messages[random() % 6],
                      static_cast<int>(random() % 100000));
        log.message = text;
        if (random() % 2 == 0) {
            log.traceId = hex(random, 32);
            log.spanId = hex(random, 16);
        }
        batches[0].logs.push_back(std::move(log));
        if (batches[0].logs.size() >= perBatch) {
            (*committer)->commit(batches);
            batches[0] = RecordBatch();
        }
    }
    const std::string trace(32, 'a');
    const TimeUs traceStart = kStart + 3600 * kMicrosPerSecond;
    std::vector<std::string> ids;
    for (int i = 0; i < spans; ++i) {
        Span span;
        span.traceId = trace;
        span.spanId = hex(random, 16);
        // Span i's parent: the root for the first 50, else one of the earlier spans.
        if (i > 0)
            span.parentSpanId = ids[i <= 50 ? 0 : static_cast<std::size_t>(random() % i)];
        span.service = "service-" + std::to_string(i % 24);
        span.name = "call " + std::to_string(i % 40);
        span.start = traceStart + static_cast<TimeUs>(i) * 150;
        span.end = span.start + 1000 + static_cast<TimeUs>(random() % 400'000);
        span.status = i % 997 == 0 ? SpanStatus::Error : SpanStatus::Ok;
        ids.push_back(span.spanId);
        batches[0].spans.push_back(std::move(span));
        if (batches[0].spans.size() >= 5'000) {
            (*committer)->commit(batches);
            batches[0] = RecordBatch();
        }
    }
    (*committer)->commit(batches);
}

struct ReadTimes
{
    double firstRows = 0;
    double finished = 0;
    int rows = 0;
};

ReadTimes timeRead(LogsPanel &panel, ViewState &view, TimeRange range)
{
    ReadTimes times;
    QElapsedTimer timer;
    timer.start();
    view.setVisibleRange(range);
    panel.refreshNow();
    waitUntil([&] { return panel.model().rowCount() > 0 || panel.isSettled(); }, 60'000);
    times.firstRows = static_cast<double>(timer.nsecsElapsed()) / 1e6;
    waitUntil([&] { return panel.isSettled(); }, 120'000);
    times.finished = static_cast<double>(timer.nsecsElapsed()) / 1e6;
    times.rows = panel.model().rowCount();
    return times;
}
} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication application(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    QString dir = QDir::tempPath() + QStringLiteral("/eventscope-logs-bench");
    int records = 1'000'000;
    int spans = 10'000;
    const QStringList args = QCoreApplication::arguments();
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--dir") && i + 1 < args.size())
            dir = args[++i];
        else if (args[i] == QLatin1String("--records") && i + 1 < args.size())
            records = args[++i].toInt();
        else if (args[i] == QLatin1String("--spans") && i + 1 < args.size())
            spans = args[++i].toInt();
        else if (args[i] == QLatin1String("--quick")) {
            records = 20'000;
            spans = 1'000;
        } else {
            std::fprintf(stderr,
                         "logs_bench: unknown argument '%s' (--dir DIR, --records N, --spans N, "
                         "--quick)\n",
                         qPrintable(args[i]));
            return 2;
        }
    }
    QDir().mkpath(dir);
    const std::string path = (dir + QStringLiteral("/logs.capture")).toStdString();
    QFile::remove(QString::fromStdString(path));
    QElapsedTimer made;
    made.start();
    makeCapture(path, records, spans);
    std::printf("logs_bench: %d log records over a day, a trace of %d spans (capture written in "
                "%.1f s)\n",
                records, spans, static_cast<double>(made.elapsed()) / 1000);

    const double before = residentMegabytes();
    ViewState view;
    view.setDataExtent({kStart, kStart + kDay});
    LogsPanel panel(view);
    panel.resize(1600, 600);
    panel.show();
    if (Status opened = panel.setCapture(path); !opened) {
        std::fprintf(stderr, "%s\n", opened.error().c_str());
        return 1;
    }
    waitUntil([&] { return panel.isSettled(); }, 120'000);
    std::vector<double> dayFirst, dayDone, hourFirst, hourDone;
    int dayRows = 0;
    int hourRows = 0;
    for (int run = 0; run < 3; ++run) {
        const ReadTimes day = timeRead(panel, view, {kStart, kStart + kDay});
        dayFirst.push_back(day.firstRows);
        dayDone.push_back(day.finished);
        dayRows = day.rows;
        const TimeUs hour = kStart + (run + 5) * 3600 * kMicrosPerSecond;
        const ReadTimes one = timeRead(panel, view, {hour, hour + 3600 * kMicrosPerSecond});
        hourFirst.push_back(one.firstRows);
        hourDone.push_back(one.finished);
        hourRows = one.rows;
    }
    timeRead(panel, view, {kStart, kStart + kDay});
    const double after = residentMegabytes();
    std::printf("logs, whole day: first rows median %.0f ms, read finished median %.0f ms "
                "(%d rows kept: %s)\n",
                percentile(dayFirst, 0.5), percentile(dayDone, 0.5), dayRows,
                qPrintable(panel.statusText()));
    std::printf("logs, one hour: first rows median %.0f ms, read finished median %.0f ms (%d "
                "rows)\n",
                percentile(hourFirst, 0.5), percentile(hourDone, 0.5), hourRows);
    const double rowBytes = static_cast<double>(panel.model().bytes());
    std::printf("logs, memory: the %d rows hold %.1f MB (%.0f bytes a row with its texts); the "
                "process is resident at %.0f MB (%.0f before the panel: the allocator keeps what "
                "the reads decoded)\n",
                dayRows, rowBytes / 1e6, dayRows > 0 ? rowBytes / dayRows : 0.0, after, before);

    // Scrolling: a page at a time through the first 200 pages, each repaint timed.
    QTableView &table = panel.table();
    std::vector<double> scroll;
    for (int page = 0; page < 200; ++page) {
        QElapsedTimer timer;
        timer.start();
        table.verticalScrollBar()->setValue(table.verticalScrollBar()->value()
                                            + table.verticalScrollBar()->pageStep());
        table.viewport()->repaint();
        scroll.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
    }
    // And jumps anywhere in the rows, as dragging the scroll bar does.
    std::mt19937 random(3);
    for (int jump = 0; jump < 100; ++jump) {
        QElapsedTimer timer;
        timer.start();
        table.verticalScrollBar()->setValue(static_cast<int>(
            random() % static_cast<unsigned>(table.verticalScrollBar()->maximum() + 1)));
        table.viewport()->repaint();
        scroll.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
    }
    std::printf("logs, scrolling 200 pages and 100 jumps: repaint median %.2f ms, p99 %.2f ms, "
                "max %.2f ms\n",
                percentile(scroll, 0.5), percentile(scroll, 0.99),
                *std::max_element(scroll.begin(), scroll.end()));

    // The large trace: choose it, time to the waterfall set; then scroll it.
    auto fetcher = TraceFetcher::open(path);
    if (!fetcher) {
        std::fprintf(stderr, "%s\n", fetcher.error().c_str());
        return 1;
    }
    TraceWaterfall waterfall;
    waterfall.resize(1000, 600);
    waterfall.show();
    std::vector<double> open, onWorker;
    std::size_t spanCount = 0;
    QObject::connect(fetcher->get(), &TraceFetcher::traceReady, &waterfall,
                     [&](const TraceDetail &detail) {
                         waterfall.setTrace(detail.tree);
                         waterfall.viewport()->repaint();
                         onWorker.push_back(detail.milliseconds);
                         spanCount = detail.tree ? detail.tree->rows.size() : 0;
                     });
    const TimeUs traceStart = kStart + 3600 * kMicrosPerSecond;
    for (int run = 0; run < 5; ++run) {
        const std::size_t answered = onWorker.size();
        QElapsedTimer timer;
        timer.start();
        (*fetcher)->requestTrace(std::string(32, 'a'),
                                 {traceStart, traceStart + 2 * kMicrosPerSecond});
        waitUntil([&] { return onWorker.size() > answered; }, 30'000);
        open.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
    }
    std::vector<double> trace;
    for (int page = 0; page < 200; ++page) {
        QElapsedTimer timer;
        timer.start();
        waterfall.verticalScrollBar()->setValue(waterfall.verticalScrollBar()->value()
                                                + waterfall.verticalScrollBar()->pageStep());
        waterfall.viewport()->repaint();
        trace.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
    }
    std::printf("traces, a trace of %zu spans: chosen to waterfall drawn median %.0f ms, max %.0f "
                "ms (target <= 200 ms), of which reading and building on the worker median %.0f "
                "ms\n",
                spanCount, percentile(open, 0.5), *std::max_element(open.begin(), open.end()),
                percentile(onWorker, 0.5));
    std::printf("traces, scrolling the waterfall 200 pages: repaint median %.2f ms, max %.2f ms\n",
                percentile(trace, 0.5), *std::max_element(trace.begin(), trace.end()));
    return 0;
}
