// Store benchmark (issue 2): sample and event insert rates, level-of-detail query times and bytes
// per sample, side by side with a naive one-row-per-sample SQLite table in the same run.
//
//   cmake --build --preset release --target store_bench && ./build/release/tests/bench/store_bench
//
// --quick runs 1/100 of the sizes (CI smoke run; figures meaningless). --dir sets the scratch
// folder.
// --only events|lod runs one part alone (for profiling); --keep leaves the scratch captures.

#include "benchdata.h"

#include "store/capturereader.h"
#include "store/sqlite.h"
#include "store/storewriter.h"

#include <QCoreApplication>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

using namespace eventscope;
using Clock = std::chrono::steady_clock;

namespace {

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

std::int64_t fileBytes(const std::string &path)
{
    std::error_code error;
    const auto size = std::filesystem::file_size(path, error);
    return error ? 0 : static_cast<std::int64_t>(size);
}

struct WriteResult
{
    double seconds = 0;
    std::int64_t records = 0;
    double rate() const { return static_cast<double>(records) / seconds; }
};

WriteResult writeThroughStore(const std::string &path, std::vector<RecordBatch> batches)
{
    std::filesystem::remove(path);
    WriteResult result;
    for (const auto &b : batches)
        result.records += static_cast<std::int64_t>(b.recordCount());
    auto writer = StoreWriter::open(path, {});
    if (!writer) {
        std::fprintf(stderr, "%s\n", writer.error().c_str());
        std::exit(1);
    }
    const auto start = Clock::now();
    for (auto &batch : batches)
        (*writer)->submit(std::move(batch));
    // Until closed: includes the compaction of small chunks and the final WAL checkpoint.
    (*writer)->close();
    result.seconds = secondsSince(start);
    return result;
}

// The baseline the issue names: rowid, series id, time, value, index on (series, time).
WriteResult writeNaive(const std::string &path, const std::vector<RecordBatch> &batches,
                       std::size_t perTransaction)
{
    std::filesystem::remove(path);
    sqlite::Connection db(path, sqlite::Connection::Mode::ReadWriteCreate);
    db.execute(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;"
        "CREATE TABLE samples(id INTEGER PRIMARY KEY, series_id INTEGER, time INTEGER, value REAL);"
        "CREATE INDEX samples_by_series_time ON samples(series_id, time);");
    auto insert = db.prepare("INSERT INTO samples(series_id, time, value) VALUES (?1, ?2, ?3)");
    WriteResult result;
    const auto start = Clock::now();
    std::size_t inTransaction = 0;
    db.execute("BEGIN");
    for (const RecordBatch &batch : batches) {
        for (const SampleRecord &s : batch.samples) {
            // Series ids: the batch-local index is stable across batches in benchdata.
            insert.bind(1, static_cast<std::int64_t>(s.series)).bind(2, s.time).bind(3, s.value);
            insert.run();
            ++result.records;
            if (++inTransaction == perTransaction) {
                db.execute("COMMIT; BEGIN");
                inTransaction = 0;
            }
        }
    }
    db.execute("COMMIT");
    result.seconds = secondsSince(start);
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    return result;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication application(argc, argv);
    const bool quick = application.arguments().contains(QStringLiteral("--quick"));
    std::string dir = (std::filesystem::temp_directory_path() / "eventscope-bench").string();
    const auto dirIndex = application.arguments().indexOf(QStringLiteral("--dir"));
    if (dirIndex > 0 && dirIndex + 1 < application.arguments().size())
        dir = application.arguments().at(dirIndex + 1).toStdString();
    std::filesystem::create_directories(dir);

    const auto onlyIndex = application.arguments().indexOf(QStringLiteral("--only"));
    const QString only = onlyIndex > 0 && onlyIndex + 1 < application.arguments().size()
        ? application.arguments().at(onlyIndex + 1)
        : QString();
    const std::int64_t scale = quick ? 100 : 1;
    const std::int64_t samplesTotal = 10'000'000 / scale;
    const std::int64_t eventsTotal = 1'000'000 / scale;
    const std::int64_t naiveSamples = 1'000'000 / scale;
    const int buckets = 2000;
    const int lodRuns = quick ? 3 : 9;

    std::printf("EventScope store benchmark%s (scratch: %s)\n\n",
                quick ? " [quick: 1/100 sizes]" : "", dir.c_str());
    if (only == QLatin1String("events")) {
        const WriteResult events = writeThroughStore(dir + "/events.capture",
                                                     bench::makeEventBatches(eventsTotal, 5'000));
        std::printf("events/s %.0f\n", events.rate());
        return 0;
    }
    if (only == QLatin1String("lod")) {
        const std::string onePath = dir + "/one-series.capture";
        if (!std::filesystem::exists(onePath))
            writeThroughStore(onePath, bench::makeSampleBatches(1, samplesTotal, 10'000));
        auto reader = CaptureReader::open(onePath);
        const SeriesInfo single = (*reader)->series()->front();
        std::vector<double> times;
        for (int run = 0; run < 50; ++run) {
            const auto start = Clock::now();
            (void)(*reader)->levelOfDetail(single.id, {single.firstTime, single.lastTime + 1},
                                           buckets);
            times.push_back(secondsSince(start) * 1000);
        }
        std::printf("LOD one series: median %.2f ms (kept %s for reruns)\n", median(times),
                    onePath.c_str());
        return 0;
    }

    // 1. Samples over 1,000 interleaved series.
    const std::string manyPath = dir + "/many-series.capture";
    auto manyBatches = bench::makeSampleBatches(1000, samplesTotal, 10'000);
    const WriteResult many = writeThroughStore(manyPath, std::move(manyBatches));
    const double bytesPerSample
        = static_cast<double>(fileBytes(manyPath)) / static_cast<double>(many.records);

    // 2. Events.
    const std::string eventsPath = dir + "/events.capture";
    const WriteResult events
        = writeThroughStore(eventsPath, bench::makeEventBatches(eventsTotal, 5'000));

    // 3. One series holding all samples, for the single-series LOD query.
    const std::string onePath = dir + "/one-series.capture";
    const WriteResult one
        = writeThroughStore(onePath, bench::makeSampleBatches(1, samplesTotal, 10'000));

    auto oneReader = CaptureReader::open(onePath);
    auto oneSeries = (*oneReader)->series();
    const SeriesInfo &single = oneSeries->front();
    const TimeRange singleSpan{single.firstTime, single.lastTime + 1};
    std::vector<double> lodOne;
    std::int64_t lodCount = 0;
    for (int run = 0; run < lodRuns; ++run) {
        const auto start = Clock::now();
        auto lod = (*oneReader)->levelOfDetail(single.id, singleSpan, buckets);
        lodOne.push_back(secondsSince(start) * 1000);
        lodCount = 0;
        for (const LodBucket &b : *lod)
            lodCount += b.count;
    }
    std::vector<double> lodWindow;
    const TimeRange window{singleSpan.begin + singleSpan.duration() / 3,
                           singleSpan.begin + singleSpan.duration() / 3
                               + singleSpan.duration() / 50};
    for (int run = 0; run < lodRuns; ++run) {
        const auto start = Clock::now();
        auto lod = (*oneReader)->levelOfDetail(single.id, window, buckets);
        lodWindow.push_back(secondsSince(start) * 1000);
    }

    // 4. LOD of every one of the 1,000 series.
    auto manyReader = CaptureReader::open(manyPath);
    auto manySeries = (*manyReader)->series();
    std::vector<double> lodAll;
    for (int run = 0; run < std::max(1, lodRuns / 3); ++run) {
        const auto start = Clock::now();
        for (const SeriesInfo &s : *manySeries)
            (void)(*manyReader)->levelOfDetail(s.id, {s.firstTime, s.lastTime + 1}, buckets);
        lodAll.push_back(secondsSince(start) * 1000);
    }

    // 5. The naive table, same data shape.
    const std::string naivePath = dir + "/naive.sqlite";
    const WriteResult naive1000
        = writeNaive(naivePath, bench::makeSampleBatches(1000, naiveSamples, 10'000), 200'000);
    const double naiveBytes
        = static_cast<double>(fileBytes(naivePath)) / static_cast<double>(naive1000.records);
    const WriteResult naive10
        = writeNaive(naivePath, bench::makeSampleBatches(10, naiveSamples, 10'000), 200'000);
    const std::string naiveOnePath = dir + "/naive-one.sqlite";
    const std::int64_t naiveLodSamples = 200'000 / scale;
    (void)writeNaive(naiveOnePath, bench::makeSampleBatches(1, naiveLodSamples, 10'000), 200'000);
    std::vector<double> lodNaive;
    {
        sqlite::Connection db(naiveOnePath, sqlite::Connection::Mode::ReadOnly);
        const TimeUs first = db.queryInt("SELECT min(time) FROM samples");
        const TimeUs last = db.queryInt("SELECT max(time) FROM samples");
        const TimeUs width = (last + 1 - first + buckets - 1) / buckets;
        auto query = db.prepare(
            "SELECT (time - ?1) / ?2 AS b, count(*), min(value), max(value) FROM samples "
            "WHERE series_id = 0 AND time >= ?1 AND time <= ?3 GROUP BY b");
        for (int run = 0; run < lodRuns; ++run) {
            const auto start = Clock::now();
            query.bind(1, first).bind(2, width).bind(3, last);
            while (query.step()) { }
            query.reset();
            lodNaive.push_back(secondsSince(start) * 1000);
        }
    }

    const double lodOneMs = median(lodOne);
    const double naiveLodMs = median(lodNaive);
    const double naivePerSample = naiveLodMs / static_cast<double>(naiveLodSamples);
    std::printf("%-58s %14s %14s %9s\n", "measure", "EventScope", "naive table", "ratio");
    std::printf("%-58s %14.0f %14.0f %8.1fx\n", "samples/s, 1,000 interleaved series", many.rate(),
                naive1000.rate(), many.rate() / naive1000.rate());
    std::printf("%-58s %14.0f %14.0f %8.1fx\n",
                "samples/s, 1 series (EventScope) / 10 series (naive)", one.rate(), naive10.rate(),
                one.rate() / naive10.rate());
    std::printf("%-58s %14.2f %14.2f %8.1fx\n", "bytes on disk per sample (realistic noisy data)",
                bytesPerSample, naiveBytes, naiveBytes / bytesPerSample);
    std::printf("%-58s %14.0f %14s\n", "events/s", events.rate(), "-");
    char label[96];
    std::snprintf(label, sizeof label, "LOD %d buckets, one series of %lld samples, ms (median)",
                  buckets, static_cast<long long>(lodCount));
    std::printf("%-58s %14.2f %14s\n", label, lodOneMs, "-");
    std::snprintf(label, sizeof label, "naive GROUP BY over %lld samples, ms (median)",
                  static_cast<long long>(naiveLodSamples));
    std::printf("%-58s %14s %14.2f\n", label, "-", naiveLodMs);
    std::snprintf(label, sizeof label, "  naive extrapolated to %lld samples, ms",
                  static_cast<long long>(lodCount));
    std::printf("%-58s %14s %14.0f %8.1fx\n", label, "-",
                naivePerSample * static_cast<double>(lodCount),
                naivePerSample * static_cast<double>(lodCount) / lodOneMs);
    std::printf("%-58s %14.2f %14s\n", "LOD 2000 buckets, 2% window of that series, ms (median)",
                median(lodWindow), "-");
    std::snprintf(label, sizeof label, "LOD 2000 buckets for each of %zu series, total ms",
                  manySeries->size());
    std::printf("%-58s %14.1f %14s\n", label, median(lodAll), "-");
    std::printf("\ntargets: >= 1.5M samples/s (1,000 series), >= 300k events/s, one-series LOD "
                "over 10M <= 20 ms, "
                "<= 6 bytes/sample\n");
    if (!application.arguments().contains(QStringLiteral("--keep")))
        std::filesystem::remove_all(dir);
    return 0;
}
