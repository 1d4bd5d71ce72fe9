#include "testcapture.h"

#include "store/captureschema.h"
#include "store/failureindex.h"
#include "store/recordchunk.h"
#include "store/sqlite.h"
#include "store/storewriter.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <sstream>

#include <sys/stat.h>
#include <unistd.h>

using namespace eventscope;
using namespace eventscope::test;

namespace {

constexpr TimeUs kBase = 1'764'000'000LL * kMicrosPerSecond;

// Brute-force LOD with the store's documented semantics.
std::vector<LodBucket> bruteForceLod(const std::vector<Sample> &sorted, TimeRange range, int count)
{
    const TimeUs width = std::max<TimeUs>(1, (range.duration() + count - 1) / count);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    std::vector<LodBucket> out(static_cast<std::size_t>(count));
    std::vector<bool> hasValue(out.size());
    for (int i = 0; i < count; ++i)
        out[static_cast<std::size_t>(i)] = {range.begin + width * i, 0, nan, nan, nan, nan, 0, 0};
    for (const Sample &s : sorted) {
        if (!range.contains(s.time))
            continue;
        const auto b = static_cast<std::size_t>((s.time - range.begin) / width);
        LodBucket &bucket = out[b];
        if (bucket.count == 0) {
            bucket.first = s.value;
            bucket.firstTime = s.time;
        }
        bucket.last = s.value;
        bucket.lastTime = s.time;
        if (!std::isnan(s.value)) {
            if (!hasValue[b] || s.value < bucket.min)
                bucket.min = s.value;
            if (!hasValue[b] || s.value > bucket.max)
                bucket.max = s.value;
            hasValue[b] = true;
        }
        ++bucket.count;
    }
    return out;
}

bool sameDouble(double a, double b)
{
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

QString describe(const LodBucket &b)
{
    return QStringLiteral("begin %1 count %2 min %3 max %4 first %5@%6 last %7@%8")
        .arg(b.begin)
        .arg(b.count)
        .arg(b.min)
        .arg(b.max)
        .arg(b.first)
        .arg(b.firstTime)
        .arg(b.last)
        .arg(b.lastTime);
}

} // namespace

class TestCaptureStore : public QObject
{
    Q_OBJECT

private:
    // This process's POSIX locks on the file, from /proc/locks ("1: POSIX ADVISORY READ pid
    // maj:min:inode start end").
    static int posixLocksHeld(const std::string &path)
    {
        struct stat info
        {
        };
        if (::stat(path.c_str(), &info) != 0)
            return -1;
        const std::string inode = ':' + std::to_string(info.st_ino);
        const std::string pid = std::to_string(::getpid());
        std::ifstream locks("/proc/locks");
        int held = 0;
        for (std::string line; std::getline(locks, line);) {
            std::istringstream fields(line);
            std::string number, kind, advisory, access, owner, device;
            fields >> number >> kind;
            if (kind == "->")
                continue; // a waiter, not a holder
            fields >> advisory >> access >> owner >> device;
            if (kind == "POSIX" && owner == pid && device.ends_with(inode))
                ++held;
        }
        return held;
    }

    QTemporaryDir m_dir;
    int m_counter = 0;
    std::string freshPath()
    {
        return m_dir.filePath(QStringLiteral("c%1.capture").arg(++m_counter)).toStdString();
    }

private Q_SLOTS:
    // A new capture appears complete or not at all: what a creation killed midway left beside
    // it (the half-written schema and its journal) neither blocks the next open nor stays.
    void creationIsAllOrNothing()
    {
        const std::string path = freshPath();
        for (const char *suffix : {".creating", ".creating-journal"}) {
            QFile stale(QString::fromStdString(path + suffix));
            QVERIFY(stale.open(QIODevice::WriteOnly));
            stale.write("half a schema");
        }
        {
            auto committer = BatchCommitter::open(path, "test");
            QVERIFY2(committer.ok(), committer.ok() ? "" : committer.error().c_str());
        }
        QVERIFY(capture::validateFile(path).ok());
        {
            auto reader = CaptureReader::open(path);
            QVERIFY(reader.ok());
            QCOMPARE((*reader)->info()->events, std::int64_t(0));
        }
        const QString name
            = QString::fromStdString(std::filesystem::path(path).filename().string());
        QCOMPARE(QDir(m_dir.path()).entryList({name + QLatin1Char('*')}, QDir::Files),
                 QStringList{name});
    }

    // POSIX record locks belong to the process: closing any descriptor of the capture drops
    // all of them, the writer's included, and a reader in another process may then take the
    // writer for gone, checkpoint and delete the write-ahead log it is still appending to (the
    // live console then showed other readers nothing until it stopped). Opening a reader or
    // checking a file in the writer's process must leave the writer's locks in place.
    void openingAReaderKeepsTheWritersLocks()
    {
        const std::string path = freshPath();
        auto committer = BatchCommitter::open(path, "test");
        QVERIFY2(committer.ok(), committer.ok() ? "" : committer.error().c_str());
        const int held = posixLocksHeld(path);
        QVERIFY2(held > 0, "the writer holds no lock on its capture in WAL mode");
        QVERIFY(capture::validateFile(path).ok());
        QCOMPARE(posixLocksHeld(path), held);
        {
            auto reader = CaptureReader::open(path);
            QVERIFY(reader.ok());
            QCOMPARE((*reader)->info()->events, std::int64_t(0));
        }
        QCOMPARE(posixLocksHeld(path), held);
    }

    void roundTripsEveryRecordType()
    {
        const std::string path = freshPath();
        RecordBatch batch;
        for (int i = 0; i < 50; ++i)
            batch.events.push_back(makeEvent(i, kBase + i * 1000, "scaling_events", i % 2, i));
        const auto cpu = batch.internSeries(
            SeriesKey("cpu", {{"service", "checkout"}, {"node", "n,1=}"}}), "ratio");
        const auto mem = batch.internSeries(SeriesKey("memory", {}), "bytes");
        for (int i = 0; i < 1500; ++i) {
            batch.addSample(cpu, kBase + i * 10'000'000LL,
                            i % 100 == 0 ? std::nan("") : 0.5 + (i % 7) * 0.0125);
            batch.addSample(mem, kBase + i * 10'000'000LL + 3, 1e9 + i * 4096.0);
        }
        for (int i = 0; i < 40; ++i)
            batch.logs.push_back(makeLog(i, kBase + i * 777));
        for (int i = 0; i < 30; ++i)
            batch.spans.push_back(makeSpan(i, kBase + i * 999));
        batch.deadLetters.push_back(
            {kBase, "file.ndjson:3", "malformed JSON: line 1 col 2: x", "{bad", {}});
        batch.advanceOffset("scaling_events", 0, 50);
        batch.advanceOffset("scaling_events", 1, 50);
        const RecordBatch expected = batch;

        auto committer = openCommitter(path);
        std::vector<RecordBatch> batches;
        batches.push_back(std::move(batch));
        const CommitSummary summary = committer->commit(batches);
        QCOMPARE(summary.events, 50);
        QCOMPARE(summary.samples, 3000);
        QCOMPARE(summary.logs, 40);
        QCOMPARE(summary.spans, 30);
        QCOMPARE(summary.deadLetters, 1);
        QCOMPARE(summary.seriesIds.size(), std::size_t(2));
        committer.reset();

        auto reader = openReader(path);
        QCOMPARE(valueOrFail(reader->events({})), expected.events);
        QCOMPARE(valueOrFail(reader->logs({})), expected.logs);
        QCOMPARE(valueOrFail(reader->spans({})), expected.spans);
        const auto letters = valueOrFail(reader->deadLetters(10));
        QCOMPARE(letters.size(), std::size_t(1));
        QCOMPARE(letters[0], expected.deadLetters[0]);
        const auto series = valueOrFail(reader->series());
        QCOMPARE(series.size(), std::size_t(2));
        for (const SeriesInfo &info : series) {
            const auto &definition
                = info.key.name == "cpu" ? expected.series[cpu] : expected.series[mem];
            QCOMPARE(info.key, definition.key);
            QCOMPARE(info.unit, definition.unit);
            QCOMPARE(info.sampleCount, 1500);
            std::vector<Sample> wanted;
            for (const SampleRecord &s : expected.samples) {
                if (expected.series[s.series].key == info.key)
                    wanted.push_back({s.time, s.value});
            }
            QCOMPARE(valueOrFail(reader->samples(info.id, {})), wanted);
            const auto byKey = valueOrFail(reader->seriesByKey(info.key));
            QVERIFY(byKey.has_value());
            QCOMPARE(byKey->id, info.id);
        }
        const auto offsets = valueOrFail(reader->offsets());
        QCOMPARE(offsets.size(), std::size_t(2));
        QCOMPARE(offsets[0], (PartitionOffset{"scaling_events", 0, 50}));
        const auto info = valueOrFail(reader->info());
        QCOMPARE(info.schemaVersion, capture::kSchemaVersion);
        QCOMPARE(info.meta.at("source"), std::string("test"));
        QVERIFY(info.meta.at("created_by").starts_with("EventScope "));
        QCOMPARE(info.span.begin, kBase);
        QCOMPARE(info.samples, 3000);
        const auto bySource = valueOrFail(reader->eventBySourceId("evt-7"));
        QVERIFY(bySource.has_value());
        QCOMPARE(*bySource, expected.events[7]);
        QVERIFY(!valueOrFail(reader->eventBySourceId("evt-missing")).has_value());
    }

    void rangeAndLevelOfDetailMatchBruteForce_data()
    {
        QTest::addColumn<int>("seed");
        QTest::addColumn<int>("seriesCount");
        QTest::addColumn<int>("perSeries");
        QTest::addColumn<double>("lateShare");
        QTest::addColumn<int>("batchSize");
        QTest::newRow("in order, big batches") << 1 << 3 << 5000 << 0.0 << 4000;
        QTest::newRow("interleaved partitions, small batches") << 2 << 5 << 3000 << 0.05 << 97;
        QTest::newRow("many late samples") << 3 << 2 << 4000 << 0.3 << 500;
        QTest::newRow("one sample per commit") << 4 << 2 << 400 << 0.1 << 1;
        QTest::newRow("irregular and NaN values") << 5 << 4 << 2500 << 0.02 << 1234;
    }
    void rangeAndLevelOfDetailMatchBruteForce()
    {
        QFETCH(int, seed);
        QFETCH(int, seriesCount);
        QFETCH(int, perSeries);
        QFETCH(double, lateShare);
        QFETCH(int, batchSize);
        std::mt19937_64 rng(static_cast<std::uint64_t>(seed));
        std::uniform_real_distribution<double> uniform;

        // Unique, increasing times per series (so first/last are unambiguous), values of mixed
        // kinds.
        std::vector<std::vector<Sample>> truth(static_cast<std::size_t>(seriesCount));
        struct Pending
        {
            int series;
            Sample sample;
        };
        std::vector<Pending> arrival;
        for (int s = 0; s < seriesCount; ++s) {
            TimeUs t = kBase;
            for (int i = 0; i < perSeries; ++i) {
                t += 1 + static_cast<TimeUs>(rng() % (seed == 5 ? 50'000'000 : 10'000'000));
                double v = std::round(uniform(rng) * 1e4) / 100;
                if (seed == 5 && i % 97 == 0)
                    v = std::nan("");
                if (seed == 5 && i % 13 == 0)
                    v = uniform(rng); // full precision: XOR chunks
                truth[static_cast<std::size_t>(s)].push_back({t, v});
                arrival.push_back({s, {t, v}});
            }
        }
        // Interleave series by time, then move a share of samples much later in arrival order.
        std::stable_sort(arrival.begin(), arrival.end(), [](const Pending &a, const Pending &b) {
            return a.sample.time < b.sample.time;
        });
        for (std::size_t i = 0; i < arrival.size(); ++i) {
            if (uniform(rng) < lateShare) {
                const std::size_t to = std::min(arrival.size() - 1, i + rng() % 2000);
                std::swap(arrival[i], arrival[to]);
            }
        }

        const std::string path = freshPath();
        auto committer = openCommitter(path);
        std::vector<RecordBatch> batches(1);
        for (std::size_t i = 0; i < arrival.size(); ++i) {
            RecordBatch &batch = batches.front();
            const auto index
                = batch.internSeries(SeriesKey("m" + std::to_string(arrival[i].series), {}));
            batch.addSample(index, arrival[i].sample.time, arrival[i].sample.value);
            if (batch.samples.size() == static_cast<std::size_t>(batchSize)
                || i + 1 == arrival.size()) {
                committer->commit(batches);
                batches.front() = RecordBatch();
            }
        }

        auto reader = openReader(path);
        const auto series = valueOrFail(reader->series());
        QCOMPARE(series.size(), static_cast<std::size_t>(seriesCount));
        for (const SeriesInfo &info : series) {
            const auto &all = truth[static_cast<std::size_t>(std::stoi(info.key.name.substr(1)))];
            QCOMPARE(info.sampleCount, static_cast<std::int64_t>(all.size()));
            QCOMPARE(valueOrFail(reader->samples(info.id, {})), all);
            for (int q = 0; q < 12; ++q) {
                const TimeUs a = all[rng() % all.size()].time - static_cast<TimeUs>(rng() % 3);
                const TimeUs b = q == 0
                    ? all.back().time + 1
                    : a + 1
                        + static_cast<TimeUs>(
                            rng() % static_cast<std::uint64_t>(all.back().time - all.front().time));
                const TimeRange range{q == 0 ? all.front().time : a, b};
                std::vector<Sample> expected;
                for (const Sample &s : all)
                    if (range.contains(s.time))
                        expected.push_back(s);
                QCOMPARE(valueOrFail(reader->samples(info.id, range)), expected);
                for (const int buckets : {1, 7, 300, 2000}) {
                    const auto lod = valueOrFail(reader->levelOfDetail(info.id, range, buckets));
                    const auto wanted = bruteForceLod(all, range, buckets);
                    QCOMPARE(lod.size(), wanted.size());
                    for (std::size_t k = 0; k < lod.size(); ++k) {
                        const LodBucket &x = lod[k], &y = wanted[k];
                        const bool same = x.begin == y.begin && x.count == y.count
                            && sameDouble(x.min, y.min) && sameDouble(x.max, y.max)
                            && (x.count == 0
                                || (sameDouble(x.first, y.first) && sameDouble(x.last, y.last)
                                    && x.firstTime == y.firstTime && x.lastTime == y.lastTime));
                        if (!same)
                            QFAIL(qPrintable(QStringLiteral("bucket %1 of %2: got %3, want %4")
                                                 .arg(k)
                                                 .arg(buckets)
                                                 .arg(describe(x), describe(y))));
                    }
                }
            }
        }
        QVERIFY(!reader->levelOfDetail(series.front().id, TimeRange::all(), 10).ok());
    }

    void compactionMergesSmallCommitsIntoFullChunks()
    {
        const std::string path = freshPath();
        std::mt19937_64 rng(42);
        std::vector<std::vector<Sample>> truth(20);
        {
            // A sample or two per series per commit, some arriving late: the live-console case.
            auto writer = valueOrFail(StoreWriter::open(path, {}));
            for (int commit = 0; commit < 1500; ++commit) {
                RecordBatch batch;
                for (int s = 0; s < 20; ++s) {
                    const auto index
                        = batch.internSeries(SeriesKey("m", {{"n", std::to_string(s)}}));
                    TimeUs time = kBase + commit * 1'000'000LL + s;
                    if (commit % 97 == 5)
                        time -= 50'000'000; // 50 s late
                    const double value = static_cast<double>(rng() % 1000) / 10;
                    batch.addSample(index, time, value);
                    truth[static_cast<std::size_t>(s)].push_back({time, value});
                }
                QVERIFY(writer->submit(std::move(batch)));
                if (commit % 50 == 0)
                    QVERIFY(writer->flush()); // many separate commits
            }
            writer->close();
        }
        auto reader = openReader(path);
        const auto info = valueOrFail(reader->info());
        QCOMPARE(info.samples, 20 * 1500);
        // 1500 samples per series fit in two chunks; compaction must have merged the small ones.
        QVERIFY2(info.sampleChunks <= 20 * 3, qPrintable(QString::number(info.sampleChunks)));
        for (const SeriesInfo &series : valueOrFail(reader->series())) {
            auto &expected
                = truth[static_cast<std::size_t>(std::stoi(std::string(series.key.label("n"))))];
            std::stable_sort(expected.begin(), expected.end(),
                             [](const Sample &a, const Sample &b) { return a.time < b.time; });
            QCOMPARE(valueOrFail(reader->samples(series.id, {})), expected);
        }
    }

    // The closing compaction (one pass over all small chunks) stores what the per-series one
    // stores: the same samples in the same order, equal times in storage order, at most one
    // small chunk per series. A damaged chunk sends it to the per-series path, which keeps it.
    void closingCompactionMatchesPerSeriesCompaction()
    {
        const auto fill = [](const std::string &path) {
            auto committer = openCommitter(path);
            for (int commit = 0; commit < 40; ++commit) {
                std::vector<RecordBatch> batches(1);
                for (int s = 0; s < 30; ++s) {
                    const auto index
                        = batches[0].internSeries(SeriesKey("m", {{"n", std::to_string(s)}}));
                    for (int i = 0; i < s + 1; ++i) // series 29 fills more than a chunk
                        batches[0].addSample(index, kBase + (commit % 7) * 1000 + i,
                                             commit * 100 + i);
                }
                committer->commit(batches);
            }
        };
        const auto contents = [](const std::string &path) {
            auto reader = openReader(path);
            std::map<std::string, std::vector<Sample>> out;
            for (const SeriesInfo &series : valueOrFail(reader->series()))
                out[series.key.canonical()] = valueOrFail(reader->samples(series.id, {}));
            return out;
        };
        const auto smallChunksPerSeries = [](const std::string &path) {
            sqlite::Connection raw(path, sqlite::Connection::Mode::ReadOnly);
            return raw.queryInt("SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM "
                                "recent_chunks GROUP BY series_id)");
        };

        const std::string onePass = freshPath();
        const std::string perSeries = freshPath();
        fill(onePass);
        fill(perSeries);
        const auto before = contents(onePass);
        QCOMPARE(smallChunksPerSeries(onePass), std::int64_t(40));
        QCOMPARE(openCommitter(onePass)->compactEverything().series, 30);
        QVERIFY(openCommitter(perSeries)->compactEverything(10).series >= 30); // over the limit
        QCOMPARE(contents(onePass), before);
        QCOMPARE(contents(perSeries), before);
        QCOMPARE(smallChunksPerSeries(onePass), std::int64_t(1));
        QCOMPARE(smallChunksPerSeries(perSeries), std::int64_t(1));
        QCOMPARE(openCommitter(onePass)->compactEverything().series, 0); // nothing left to do

        // One damaged small chunk: it stays, the rest is merged around it.
        const std::string damaged = freshPath();
        fill(damaged);
        std::int64_t damagedId = 0;
        {
            sqlite::Connection raw(damaged, sqlite::Connection::Mode::ReadWrite);
            damagedId = raw.queryInt("SELECT min(id) FROM recent_chunks WHERE series_id = "
                                     "(SELECT id FROM series WHERE key = 'm{n=3}')");
            raw.execute("UPDATE recent_chunks SET data = x'0102' WHERE id = "
                        + std::to_string(damagedId));
        }
        QVERIFY(openCommitter(damaged)->compactEverything().series >= 29);
        sqlite::Connection raw(damaged, sqlite::Connection::Mode::ReadOnly);
        QCOMPARE(raw.queryInt("SELECT count(*) FROM recent_chunks WHERE id = "
                              + std::to_string(damagedId)),
                 std::int64_t(1));
        QCOMPARE(raw.queryInt("SELECT count(*) FROM recent_chunks WHERE series_id = "
                              "(SELECT id FROM series WHERE key = 'm{n=4}')"),
                 std::int64_t(1));
    }

    void eventQueriesFilterLikeTheirFields()
    {
        const std::string path = freshPath();
        std::vector<RecordBatch> batches(1);
        std::vector<Event> all;
        for (int i = 0; i < 600; ++i) {
            Event e = makeEvent(i, kBase + (i * 7919) % 600 * 1000);
            all.push_back(e);
            batches[0].events.push_back(std::move(e));
        }
        openCommitter(path)->commit(batches);
        std::stable_sort(all.begin(), all.end(),
                         [](const Event &a, const Event &b) { return a.time < b.time; });
        auto reader = openReader(path);

        auto check = [&](const EventQuery &query, auto predicate) {
            std::vector<Event> expected;
            for (const Event &e : all)
                if (query.range.contains(e.time) && predicate(e))
                    expected.push_back(e);
            if (query.newestFirst)
                std::reverse(expected.begin(), expected.end());
            if (query.limit && expected.size() > query.limit)
                expected.resize(query.limit);
            const auto got = valueOrFail(reader->events(query));
            QCOMPARE(got.size(), expected.size());
            for (std::size_t i = 0; i < got.size(); ++i)
                QCOMPARE(got[i].time, expected[i].time);
        };
        EventQuery q;
        q.range = {kBase + 100'000, kBase + 400'000};
        check(q, [](const Event &) { return true; });
        q.categories = EventQuery::categoryBit(EventCategory::Failure)
            | EventQuery::categoryBit(EventCategory::Deployment);
        check(q, [](const Event &e) {
            return e.category == EventCategory::Failure || e.category == EventCategory::Deployment;
        });
        q = {};
        q.minSeverity = Severity::Error;
        check(q, [](const Event &e) { return e.severity >= Severity::Error; });
        q = {};
        q.service = "svc-2";
        q.entity = "pod-3";
        check(q, [](const Event &e) { return e.service == "svc-2" && e.entity == "pod-3"; });
        q = {};
        q.text = "NUMBER 12";
        check(q, [](const Event &e) { return e.message.starts_with("event number 12"); });
        q = {};
        q.text = "50%";
        check(q, [](const Event &) { return false; });
        q = {};
        q.newestFirst = true;
        q.limit = 25;
        check(q, [](const Event &) { return true; });
    }

    // Events are chunks of a commit each. Commits with times in random order give chunks whose
    // spans overlap; reads merge them in time order, both ways.
    void eventsOfRowsAndOverlappingChunksComeInTimeOrder()
    {
        const std::string path = freshPath();
        std::vector<Event> all;
        {
            auto committer = openCommitter(path);
            std::mt19937 rng(5);
            for (int commit = 0; commit < 30; ++commit) {
                std::vector<RecordBatch> batches(1);
                for (int i = 0; i < 150; ++i) {
                    const int n = commit * 150 + i;
                    Event e = makeEvent(n, kBase + static_cast<TimeUs>(rng() % 5000) * 1000);
                    all.push_back(e);
                    batches[0].events.push_back(std::move(e));
                }
                committer->commit(batches);
            }
        }
        auto reader = openReader(path);
        QCOMPARE(valueOrFail(reader->info()).events, std::int64_t(all.size()));
        const auto timesOf = [](const std::vector<Event> &events) {
            std::vector<TimeUs> times;
            for (const Event &e : events)
                times.push_back(e.time);
            return times;
        };
        const auto idsOf = [](const std::vector<Event> &events) {
            std::multiset<std::string> ids;
            for (const Event &e : events)
                ids.insert(e.sourceId);
            return ids;
        };
        EventQuery query;
        query.range = {kBase + 1'000'000, kBase + 4'000'000};
        std::vector<Event> expected;
        for (const Event &e : all)
            if (query.range.contains(e.time))
                expected.push_back(e);
        std::stable_sort(expected.begin(), expected.end(),
                         [](const Event &a, const Event &b) { return a.time < b.time; });
        auto got = valueOrFail(reader->events(query));
        QCOMPARE(timesOf(got), timesOf(expected));
        QCOMPARE(idsOf(got), idsOf(expected));
        for (const Event &e : got) { // every field survives the chunk
            const auto original = std::find_if(
                all.begin(), all.end(), [&](const Event &a) { return a.sourceId == e.sourceId; });
            QCOMPARE(e, *original);
        }

        query.newestFirst = true;
        got = valueOrFail(reader->events(query));
        std::reverse(expected.begin(), expected.end());
        QCOMPARE(timesOf(got), timesOf(expected));
        QCOMPARE(idsOf(got), idsOf(expected));

        query.limit = 40;
        got = valueOrFail(reader->events(query));
        expected.resize(40);
        QCOMPARE(timesOf(got), timesOf(expected));

        // A producer id found among the chunks, and among the failure rows.
        QCOMPARE(valueOrFail(reader->eventBySourceId("evt-3001"))->sourceId,
                 std::string("evt-3001"));
        QCOMPARE(valueOrFail(reader->eventBySourceId("evt-3000"))->category,
                 EventCategory::Failure);
        QVERIFY(!valueOrFail(reader->eventBySourceId("evt-999999")).has_value());
    }

    // A chunk decoded for some categories gives exactly those events of a full decode, in
    // order, and a damaged chunk is refused whatever is asked for.
    // A writer killed during a checkpoint leaves a file shorter than the size in its header (the
    // checkpoint wrote page 1 first) next to the log that completes it. Such a capture opens and
    // reads in full; without its log it is refused as truncated.
    // What a live view reads after each commit: exactly the events committed since its last
    // read, failures included, whatever their times; reading again finds nothing new.
    void eventsCommittedAfterACursorAreReadOnce()
    {
        const std::string path = freshPath();
        auto committer = openCommitter(path);
        auto reader = openReader(path);
        EventCursor cursor;
        std::vector<Event> seen;
        const auto readNew = [&] {
            const Status status = reader->forEachEventCommittedAfter(
                cursor, [&seen](Event &&e) { seen.push_back(std::move(e)); });
            QVERIFY2(status.ok(), status.error().c_str());
        };
        readNew();
        QVERIFY(seen.empty());
        std::vector<Event> committed;
        for (int commit = 0; commit < 4; ++commit) {
            std::vector<RecordBatch> batches(1);
            for (int i = 0; i < 700; ++i) {
                const int n = commit * 700 + i;
                // Later commits also carry earlier times: the cursor is by commit, not by time.
                Event e = makeEvent(n, kBase + static_cast<TimeUs>((n * 7919) % 5000) * 1000);
                committed.push_back(e);
                batches[0].events.push_back(std::move(e));
            }
            committer->commit(batches);
            const std::size_t before = seen.size();
            readNew();
            QCOMPARE(seen.size() - before, std::size_t(700));
        }
        readNew();
        QCOMPARE(seen.size(), committed.size());
        const auto byId = [](const Event &a, const Event &b) { return a.sourceId < b.sourceId; };
        std::sort(seen.begin(), seen.end(), byId);
        std::sort(committed.begin(), committed.end(), byId);
        QCOMPARE(seen, committed);
    }

    void captureKilledDuringCheckpointOpens()
    {
        const std::string path = freshPath();
        const std::string copy = freshPath();
        auto committer = openCommitter(path);
        for (int commit = 0; commit < 20; ++commit) {
            std::vector<RecordBatch> batches(1);
            for (int i = 0; i < 200; ++i)
                batches[0].events.push_back(
                    makeEvent(commit * 200 + i, kBase + (commit * 200 + i) * 1000));
            committer->commit(batches);
        }
        // The files as a kill would leave them, while the writer still has them open.
        for (const char *suffix : {"", "-wal", "-shm"}) {
            if (std::filesystem::exists(path + suffix))
                std::filesystem::copy_file(path + suffix, copy + suffix);
        }
        QVERIFY(std::filesystem::file_size(copy + "-wal") > 0);
        {
            // Page 1 as the checkpoint wrote it: the grown size, change counters that agree.
            std::fstream file(copy, std::ios::in | std::ios::out | std::ios::binary);
            const auto pages = static_cast<std::uint32_t>(std::filesystem::file_size(copy) / 8192);
            const std::uint32_t claimed = pages + 40;
            char header[100];
            file.read(header, sizeof header);
            const unsigned char bigEndian[4]
                = {static_cast<unsigned char>(claimed >> 24),
                   static_cast<unsigned char>(claimed >> 16),
                   static_cast<unsigned char>(claimed >> 8), static_cast<unsigned char>(claimed)};
            file.seekp(28);
            file.write(reinterpret_cast<const char *>(bigEndian), 4);
            file.seekp(92);
            file.write(header + 24, 4);
        }
        const std::string alone = freshPath();
        std::filesystem::copy_file(copy, alone);
        const Status withoutLog = capture::validateFile(alone);
        QVERIFY(!withoutLog);
        QVERIFY2(withoutLog.error().find("file is truncated") != std::string::npos,
                 withoutLog.error().c_str());

        QVERIFY2(capture::validateFile(copy), capture::validateFile(copy).error().c_str());
        auto reader = openReader(copy);
        QCOMPARE(valueOrFail(reader->events({})).size(), std::size_t(4000));
    }

    void eventChunkDecodesOnlyTheCategoriesAsked()
    {
        std::vector<Event> events;
        for (int n = 0; n < 500; ++n) {
            Event e = makeEvent(n, kBase + n * 17, "scaling_events", n % 3, n);
            e.category = static_cast<EventCategory>(n % kEventCategoryCount);
            events.push_back(std::move(e));
        }
        std::vector<const Event *> pointers;
        for (const Event &e : events)
            pointers.push_back(&e);
        RecordChunkSummary summary;
        const std::string blob = encodeChunk(pointers, summary);
        std::vector<Event> all;
        std::string error;
        QVERIFY2(decodeChunk(blob, all, error), error.c_str());
        QCOMPARE(all, events);
        for (std::uint32_t mask = 0; mask < (1U << kEventCategoryCount); mask += 5) {
            std::vector<Event> some, expected;
            QVERIFY2(decodeChunk(blob, some, error, mask), error.c_str());
            for (const Event &e : all) {
                if (mask & EventQuery::categoryBit(e.category))
                    expected.push_back(e);
            }
            QCOMPARE(some, expected);
        }
        std::vector<Event> none;
        QVERIFY(!decodeChunk(std::string_view(blob).substr(0, blob.size() - 7), none, error,
                             EventQuery::categoryBit(EventCategory::Failure)));
    }

    void failureIndexListsHoldExactlyTheirHashes()
    {
        std::vector<Event> events;
        for (int n = 0; n < 300; ++n)
            events.push_back(makeEvent(n, kBase + n));
        std::vector<const Event *> pointers;
        for (const Event &e : events)
            pointers.push_back(&e);
        const std::string list = failureindex::encode(pointers);
        QCOMPARE(list.size(), std::size_t(100 * 8)); // makeEvent: every third is a failure
        for (const Event &e : events) {
            QCOMPARE(failureindex::contains(list, failureindex::sourceIdHash(e.sourceId)),
                     e.category == EventCategory::Failure);
        }
        QVERIFY(failureindex::encode(std::span(pointers).subspan(1, 2)).empty());
        // The hash is stored in captures: it must stay FNV-1a.
        QCOMPARE(failureindex::sourceIdHash(""), 0xcbf29ce484222325ULL);
        QCOMPARE(failureindex::sourceIdHash("a"), 0xaf63dc4c8601ec8cULL);
        QVERIFY(!failureindex::contains(list.substr(0, list.size() - 3),
                                        failureindex::sourceIdHash("evt-0")));
    }

    // Failures are stored in event chunks like other events and found by id through the
    // chunks' hash lists: the earliest of repeated ids, none of those retention removed.
    void failuresInChunksAreFoundByIdAndLeaveWithRetention()
    {
        const std::string path = freshPath();
        auto committer = openCommitter(path);
        const TimeUs hour = 3600 * kMicrosPerSecond;
        for (int h = 0; h < 6; ++h) {
            std::vector<RecordBatch> batches(1);
            for (int i = 0; i < 3000; ++i) // three chunks per commit
                batches[0].events.push_back(
                    makeEvent(h * 3000 + i, kBase + h * hour + i * kMicrosPerSecond));
            committer->commit(batches);
        }
        {
            // The same producer id again, earlier than the first: the earliest is the one found.
            std::vector<RecordBatch> batches(1);
            Event again = makeEvent(4500, kBase - kMicrosPerSecond);
            batches[0].events.push_back(again);
            committer->commit(batches);
        }
        auto reader = openReader(path);
        std::mt19937 rng(11);
        for (int check = 0; check < 200; ++check) {
            const int n = static_cast<int>(rng() % 18000) / 3 * 3 + 3; // a failure, not 4500
            if (n == 4500 || n >= 18000)
                continue;
            const auto found = valueOrFail(reader->eventBySourceId("evt-" + std::to_string(n)));
            QVERIFY(found.has_value());
            QCOMPARE(*found, makeEvent(n, kBase + n / 3000 * hour + n % 3000 * kMicrosPerSecond));
        }
        QCOMPARE(valueOrFail(reader->eventBySourceId("evt-4500"))->time, kBase - kMicrosPerSecond);
        QCOMPARE(valueOrFail(reader->eventBySourceId("evt-4501"))->sourceId,
                 std::string("evt-4501")); // not a failure: found by a scan
        QVERIFY(!valueOrFail(reader->eventBySourceId("evt-18000")).has_value());

        const auto chunksWithFailures = [&] {
            sqlite::Connection raw(path, sqlite::Connection::Mode::ReadOnly);
            return raw.queryInt("SELECT count(*) FROM event_chunks WHERE categories & 4");
        };
        // -1 when a list belongs to no chunk.
        const auto failureLists = [&] {
            sqlite::Connection raw(path, sqlite::Connection::Mode::ReadOnly);
            if (raw.queryInt("SELECT count(*) FROM event_chunk_failures WHERE chunk_id NOT IN "
                             "(SELECT id FROM event_chunks)")
                != 0)
                return std::int64_t(-1);
            return raw.queryInt("SELECT count(*) FROM event_chunk_failures");
        };
        QCOMPARE(failureLists(), chunksWithFailures());
        QCOMPARE(failureLists(), std::int64_t(6 * 3 + 1));

        // Keep the last 2.5 hours: whole chunks go, one straddling chunk is rewritten.
        RetentionPolicy policy;
        policy.maxAge = 2 * hour + hour / 2;
        int steps = 0;
        while (committer->applyRetention(policy, 100'000).moreToDo)
            QVERIFY2(++steps < 100, "retention keeps reporting more to do");
        const TimeUs cutoff = kBase + 5 * hour + 2999 * kMicrosPerSecond - policy.maxAge;
        QCOMPARE(failureLists(), chunksWithFailures());
        reader = openReader(path);
        for (int n = 0; n < 18000; n += 3) {
            const TimeUs time = kBase + n / 3000 * hour + n % 3000 * kMicrosPerSecond;
            const auto found = valueOrFail(reader->eventBySourceId("evt-" + std::to_string(n)));
            QVERIFY2(found.has_value() == (time >= cutoff), std::to_string(n).c_str());
        }
    }

    // Logs and spans are chunks of a commit each; commits with times in random order give
    // chunks whose spans overlap. Reads come in time order with every field, filters apply.
    void logsAndSpansOfOverlappingChunksComeInTimeOrder()
    {
        const std::string path = freshPath();
        std::vector<LogRecord> logs;
        std::vector<Span> spans;
        {
            auto committer = openCommitter(path);
            std::mt19937 rng(9);
            for (int commit = 0; commit < 20; ++commit) {
                std::vector<RecordBatch> batches(1);
                for (int i = 0; i < 100; ++i) {
                    const int n = commit * 100 + i;
                    logs.push_back(makeLog(n, kBase + static_cast<TimeUs>(rng() % 3000) * 1000));
                    spans.push_back(makeSpan(n, kBase + static_cast<TimeUs>(rng() % 3000) * 1000));
                    batches[0].logs.push_back(logs.back());
                    batches[0].spans.push_back(spans.back());
                }
                committer->commit(batches);
            }
        }
        const auto byTime
            = [](const auto &a, const auto &b) { return recordTime(a) < recordTime(b); };
        std::stable_sort(logs.begin(), logs.end(), byTime);
        std::stable_sort(spans.begin(), spans.end(), byTime);
        auto reader = openReader(path);
        const auto info = valueOrFail(reader->info());
        QCOMPARE(info.logs, std::int64_t(logs.size()));
        QCOMPARE(info.spans, std::int64_t(spans.size()));

        LogQuery logQuery;
        logQuery.range = {kBase + 500'000, kBase + 2'500'000};
        logQuery.minLevel = Severity::Warning;
        logQuery.text = "LINE 1";
        std::vector<LogRecord> expectedLogs;
        for (const LogRecord &log : logs)
            if (logQuery.range.contains(log.time) && log.level >= Severity::Warning
                && log.message.starts_with("log line 1"))
                expectedLogs.push_back(log);
        const auto gotLogs = valueOrFail(reader->logs(logQuery));
        QCOMPARE(gotLogs.size(), expectedLogs.size());
        QVERIFY(std::is_sorted(gotLogs.begin(), gotLogs.end(), byTime));
        for (const LogRecord &log : gotLogs)
            QVERIFY(std::find(expectedLogs.begin(), expectedLogs.end(), log) != expectedLogs.end());

        SpanQuery spanQuery;
        spanQuery.traceId = "trace-100";
        const auto gotSpans = valueOrFail(reader->spans(spanQuery));
        QCOMPARE(gotSpans.size(), std::size_t(3));
        for (const Span &span : gotSpans)
            QVERIFY(std::find(spans.begin(), spans.end(), span) != spans.end());
        spanQuery = {};
        spanQuery.errorsOnly = true;
        spanQuery.limit = 30;
        const auto errors = valueOrFail(reader->spans(spanQuery));
        QCOMPARE(errors.size(), std::size_t(30));
        std::vector<TimeUs> expectedTimes;
        for (const Span &span : spans)
            if (span.status == SpanStatus::Error && expectedTimes.size() < 30)
                expectedTimes.push_back(span.start);
        for (std::size_t i = 0; i < errors.size(); ++i)
            QCOMPARE(errors[i].start, expectedTimes[i]);
    }

    // A damaged event chunk gives an error that names it, not a crash or a silent gap.
    void damagedEventChunkIsReported()
    {
        const std::string path = freshPath();
        {
            std::vector<RecordBatch> batches(1);
            for (int i = 1; i < 50; i += 3)
                batches[0].events.push_back(makeEvent(i, kBase + i * 1000));
            openCommitter(path)->commit(batches);
        }
        {
            sqlite::Connection raw(path, sqlite::Connection::Mode::ReadWrite);
            raw.execute("UPDATE event_chunks SET data = substr(data, 1, length(data) / 2)");
        }
        auto reader = openReader(path);
        const auto events = reader->events({});
        QVERIFY(!events);
        QVERIFY2(events.error().find("event chunk") != std::string::npos, events.error().c_str());
        QVERIFY2(events.error().find("damaged") != std::string::npos, events.error().c_str());
    }

    // A capture from before schema version 3 keeps all events, logs and spans as rows: it reads
    // as before, and once a writer upgrades it, new ones go to chunks and both read together.
    void captureWithEventsAsRowsReadsAndUpgrades()
    {
        const std::string path = freshPath();
        {
            std::vector<RecordBatch> batches(1);
            for (int i = 0; i < 60; ++i)
                batches[0].events.push_back(makeEvent(i, kBase + i * 1000));
            openCommitter(path)->commit(batches);
        }
        {
            // Turn it into a version 2 capture: chunked events become rows, no chunk table.
            auto reader = openReader(path);
            const auto events = valueOrFail(reader->events({}));
            sqlite::Connection raw(path, sqlite::Connection::Mode::ReadWrite);
            sqlite::Transaction transaction(raw);
            raw.execute("DELETE FROM events");
            auto insert = raw.prepare(
                "INSERT INTO events(source_id, time, type, category, severity, service, entity, "
                "cluster, message, trace_id, attributes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
                "?9, ?10, ?11)");
            for (const Event &e : events) {
                insert.bind(1, e.sourceId)
                    .bind(2, e.time)
                    .bind(3, e.type)
                    .bind(4, static_cast<int>(e.category))
                    .bind(5, static_cast<int>(e.severity))
                    .bind(6, e.service)
                    .bind(7, e.entity)
                    .bind(8, e.cluster)
                    .bind(9, e.message)
                    .bind(10, e.traceId)
                    .bind(11,
                          e.attributes.empty() ? std::string_view("{}")
                                               : std::string_view(e.attributes));
                insert.run();
            }
            // Logs and spans as rows, as version 2 wrote them.
            for (int i = 0; i < 20; ++i) {
                const LogRecord log = makeLog(i, kBase + i * 2000);
                auto addLog = raw.prepare("INSERT INTO logs(time, level, service, entity, message, "
                                          "trace_id, span_id, attributes) VALUES (?1, ?2, ?3, ?4, "
                                          "?5, ?6, ?7, '{}')");
                addLog.bind(1, log.time)
                    .bind(2, static_cast<int>(log.level))
                    .bind(3, log.service)
                    .bind(4, log.entity)
                    .bind(5, log.message)
                    .bind(6, log.traceId)
                    .bind(7, log.spanId);
                addLog.run();
                auto addSpan = raw.prepare(
                    "INSERT INTO spans(trace_id, span_id, parent_span_id, name, service, entity, "
                    "kind, start_time, end_time, status, attributes) VALUES (?1, ?2, '', 'op', "
                    "'svc', 'pod', 1, ?3, ?4, 1, '{}')");
                const std::string spanId = "span-" + std::to_string(i);
                addSpan.bind(1, std::string_view("trace-old"))
                    .bind(2, spanId)
                    .bind(3, kBase + i * 2000)
                    .bind(4, kBase + i * 2000 + 10);
                addSpan.run();
            }
            raw.execute("DROP TABLE event_chunks; DROP TABLE log_chunks; DROP TABLE span_chunks; "
                        "PRAGMA user_version=2");
            transaction.commit();
        }
        {
            auto reader = openReader(path);
            QCOMPARE(valueOrFail(reader->events({})).size(), std::size_t(60));
            QCOMPARE(valueOrFail(reader->info()).events, std::int64_t(60));
            QCOMPARE(valueOrFail(reader->logs({})).size(), std::size_t(20));
            QCOMPARE(valueOrFail(reader->spans({})).size(), std::size_t(20));
        }
        {
            auto committer = openCommitter(path);
            std::vector<RecordBatch> batches(1);
            for (int i = 60; i < 90; ++i) {
                batches[0].events.push_back(makeEvent(i, kBase + (i - 45) * 1000));
                batches[0].logs.push_back(makeLog(i, kBase + (i - 50) * 1000));
                batches[0].spans.push_back(makeSpan(i, kBase + (i - 50) * 1000));
            }
            // Failures with the ids of failure rows: one earlier than its row, one later.
            batches[0].events.push_back(makeEvent(6, kBase - 5000));
            batches[0].events.push_back(makeEvent(9, kBase + 100'000));
            committer->commit(batches);
        }
        auto reader = openReader(path);
        const auto events = valueOrFail(reader->events({}));
        QCOMPARE(events.size(), std::size_t(92));
        // Failures are found among the rows and the chunks, the earliest of both.
        QCOMPARE(valueOrFail(reader->eventBySourceId("evt-3"))->time, kBase + 3000);
        QCOMPARE(valueOrFail(reader->eventBySourceId("evt-63"))->time, kBase + 18'000);
        QCOMPARE(valueOrFail(reader->eventBySourceId("evt-6"))->time, kBase - 5000);
        QCOMPARE(valueOrFail(reader->eventBySourceId("evt-9"))->time, kBase + 9000);
        const auto byTime
            = [](const auto &a, const auto &b) { return recordTime(a) < recordTime(b); };
        QVERIFY(std::is_sorted(events.begin(), events.end(), byTime));
        const auto logs = valueOrFail(reader->logs({}));
        QCOMPARE(logs.size(), std::size_t(50));
        QVERIFY(std::is_sorted(logs.begin(), logs.end(), byTime));
        const auto spans = valueOrFail(reader->spans({}));
        QCOMPARE(spans.size(), std::size_t(50));
        QVERIFY(std::is_sorted(spans.begin(), spans.end(), byTime));
        QCOMPARE(valueOrFail(reader->info()).schemaVersion, capture::kSchemaVersion);
    }

    void logAndSpanQueriesFilterByTraceServiceAndTime()
    {
        const std::string path = freshPath();
        std::vector<RecordBatch> batches(1);
        for (int i = 0; i < 300; ++i) {
            batches[0].logs.push_back(makeLog(i, kBase + i * 1000));
            batches[0].spans.push_back(makeSpan(i, kBase + i * 1000));
        }
        openCommitter(path)->commit(batches);
        auto reader = openReader(path);
        LogQuery logs;
        logs.traceId = "trace-10";
        auto gotLogs = valueOrFail(reader->logs(logs));
        QCOMPARE(gotLogs.size(), std::size_t(1));
        QCOMPARE(gotLogs[0].message, std::string("log line 21"));
        logs = {};
        logs.minLevel = Severity::Error;
        logs.service = "svc-1";
        logs.range = {kBase, kBase + 100'000};
        for (const LogRecord &log : valueOrFail(reader->logs(logs))) {
            QVERIFY(log.level >= Severity::Error);
            QCOMPARE(log.service, std::string("svc-1"));
            QVERIFY(log.time < kBase + 100'000);
        }
        SpanQuery spans;
        spans.traceId = "trace-4";
        QCOMPARE(valueOrFail(reader->spans(spans)).size(), std::size_t(3));
        spans = {};
        spans.errorsOnly = true;
        const auto errors = valueOrFail(reader->spans(spans));
        QCOMPARE(errors.size(), std::size_t(28));
        for (const Span &s : errors)
            QCOMPARE(s.status, SpanStatus::Error);
    }

    void reinsertingKafkaRecordsStoresThemOnce()
    {
        const std::string path = freshPath();
        auto makeBatch = [](int firstOffset, int lastOffset) {
            RecordBatch batch;
            const auto series = batch.internSeries(SeriesKey("lag", {}));
            for (int offset = firstOffset; offset < lastOffset; ++offset) {
                batch.events.push_back(
                    makeEvent(offset, kBase + offset, "failure_events", 0, offset));
                const Origin origin{"metrics", 2, offset};
                batch.addSample(series, kBase + offset * 1000, offset,
                                batch.internSampleOrigin(origin));
            }
            batch.advanceOffset("failure_events", 0, lastOffset);
            batch.advanceOffset("metrics", 2, lastOffset);
            return batch;
        };
        {
            auto committer = openCommitter(path);
            std::vector<RecordBatch> batches;
            batches.push_back(makeBatch(0, 100));
            QCOMPARE(committer->commit(batches).events, 100);
            batches.clear();
            batches.push_back(makeBatch(0, 100)); // redelivered whole
            const CommitSummary again = committer->commit(batches);
            QCOMPARE(again.events, 0);
            QCOMPARE(again.samples, 0);
            QCOMPARE(again.duplicatesSkipped, 200);
        }
        {
            // After reopening, an overlapping redelivery adds only the new tail, even within
            // one transaction holding two overlapping batches.
            auto committer = openCommitter(path);
            std::vector<RecordBatch> batches;
            batches.push_back(makeBatch(50, 150));
            batches.push_back(makeBatch(120, 180));
            const CommitSummary summary = committer->commit(batches);
            QCOMPARE(summary.events, 80);
            QCOMPARE(summary.samples, 80);
        }
        auto reader = openReader(path);
        const auto events = valueOrFail(reader->events({}));
        QCOMPARE(events.size(), std::size_t(180));
        std::set<std::int64_t> offsets;
        for (const Event &e : events)
            offsets.insert(e.origin.offset);
        QCOMPARE(offsets.size(), std::size_t(180));
        const auto series = valueOrFail(reader->series());
        QCOMPARE(series.front().sampleCount, 180);
        const auto stored = valueOrFail(reader->offsets());
        QCOMPARE(stored,
                 (std::vector<PartitionOffset>{{"failure_events", 0, 180}, {"metrics", 2, 180}}));
    }

    void offsetsCommitInTheSameTransactionAsRows()
    {
        const std::string path = freshPath();
        auto committer = openCommitter(path);
        {
            // A trigger makes the transaction fail after the events went in.
            sqlite::Connection side(path, sqlite::Connection::Mode::ReadWrite);
            side.execute("CREATE TRIGGER poison BEFORE INSERT ON log_chunks WHEN "
                         "instr(NEW.data, 'poison') > 0 BEGIN SELECT RAISE(ABORT, 'poisoned log'); "
                         "END");
        }
        RecordBatch batch;
        for (int i = 0; i < 10; ++i)
            batch.events.push_back(makeEvent(i, kBase + i, "failure_events", 0, i));
        const auto series = batch.internSeries(SeriesKey("new_series", {}));
        batch.addSample(series, kBase, 1.0);
        LogRecord poison = makeLog(1, kBase);
        poison.message = "poison";
        batch.logs.push_back(poison);
        batch.advanceOffset("failure_events", 0, 10);
        std::vector<RecordBatch> batches;
        batches.push_back(batch);
        QVERIFY_THROWS_EXCEPTION(sqlite::Error, committer->commit(batches));
        QVERIFY(committer->offsets().empty() || committer->offsets().front().nextOffset <= 0);
        {
            auto reader = openReader(path);
            QCOMPARE(valueOrFail(reader->events({})).size(), std::size_t(0));
            QCOMPARE(valueOrFail(reader->offsets()).size(), std::size_t(0));
            QCOMPARE(valueOrFail(reader->series()).size(), std::size_t(0));
        }
        {
            sqlite::Connection side(path, sqlite::Connection::Mode::ReadWrite);
            side.execute("DROP TRIGGER poison");
        }
        // The same batch commits once the cause is gone: nothing was half-remembered.
        const CommitSummary retried = committer->commit(batches);
        QCOMPARE(retried.events, 10);
        QCOMPARE(retried.samples, 1);
        auto reader = openReader(path);
        QCOMPARE(valueOrFail(reader->events({})).size(), std::size_t(10));
        QCOMPARE(valueOrFail(reader->offsets()),
                 (std::vector<PartitionOffset>{{"failure_events", 0, 10}}));
        QCOMPARE(valueOrFail(reader->series()).front().sampleCount, 1);
    }

    void retentionByAgeDropsOldDataOnly()
    {
        const std::string path = freshPath();
        auto committer = openCommitter(path);
        const TimeUs hour = 3600 * kMicrosPerSecond;
        for (int h = 0; h < 10; ++h) {
            std::vector<RecordBatch> batches(1);
            RecordBatch &batch = batches[0];
            const auto series = batch.internSeries(SeriesKey("cpu", {}));
            for (int i = 0; i < 360; ++i) {
                const TimeUs t = kBase + h * hour + i * 10 * kMicrosPerSecond;
                batch.addSample(series, t, i % 10);
                if (i % 10 == 0) {
                    batch.events.push_back(makeEvent(h * 1000 + i, t));
                    batch.logs.push_back(makeLog(i, t));
                    batch.spans.push_back(makeSpan(i, t));
                }
            }
            committer->commit(batches);
        }
        RetentionPolicy policy;
        policy.maxAge = 2 * hour;
        RetentionStep step;
        int steps = 0;
        do {
            step = committer->applyRetention(policy, 50);
            ++steps;
        } while (step.moreToDo && steps < 1000);
        QVERIFY(steps > 1); // bounded steps, not one big delete
        const TimeUs newest = kBase + 9 * hour + 359 * 10 * kMicrosPerSecond;
        const TimeUs cutoff = newest - 2 * hour;
        QCOMPARE(step.cutoff, cutoff);
        auto reader = openReader(path);
        for (const Event &e : valueOrFail(reader->events({})))
            QVERIFY(e.time >= cutoff);
        for (const LogRecord &l : valueOrFail(reader->logs({})))
            QVERIFY(l.time >= cutoff);
        for (const Span &s : valueOrFail(reader->spans({})))
            QVERIFY(s.start >= cutoff);
        const auto events = valueOrFail(reader->events({}));
        QVERIFY(events.size() >= 2 * 36);
        QCOMPARE(events.back().time, kBase + 9 * hour + 350 * 10 * kMicrosPerSecond);
        const auto series = valueOrFail(reader->series());
        const auto samples = valueOrFail(reader->samples(series.front().id, {}));
        // Whole chunks go: what remains starts at most one chunk before the cutoff.
        QVERIFY(samples.front().time
                >= cutoff - BatchCommitter::kChunkSamples * 10 * kMicrosPerSecond);
        QCOMPARE(samples.back().time, newest);
        QVERIFY(samples.size() < 3600 / 2);
    }

    // event_history always equals counting the events table: after inserts in several commits
    // (with duplicates skipped), after retention, and when an old capture without it is read
    // and then upgraded.
    void eventHistoryFollowsTheEvents()
    {
        const std::string path = freshPath();
        const auto bruteForce = [&path] {
            std::map<std::string, std::vector<std::pair<std::int64_t, std::int64_t>>> counted;
            auto reader = openReader(path);
            const auto events = valueOrFail(reader->events({}));
            for (const Event &e : events) {
                auto &buckets = counted[e.type];
                const std::int64_t minute = e.time / kEventHistoryBucket;
                if (buckets.empty() || buckets.back().first != minute)
                    buckets.emplace_back(minute, 0);
                ++buckets.back().second;
            }
            // The capture's span, as a type of its own.
            counted["(span)"] = {{events.front().time / kEventHistoryBucket,
                                  events.back().time / kEventHistoryBucket}};
            return counted;
        };
        const auto stored = [&path] {
            std::map<std::string, std::vector<std::pair<std::int64_t, std::int64_t>>> out;
            auto reader = openReader(path);
            const auto history = valueOrFail(reader->eventHistory(
                {"failure.crash", "scaling.scale_out", "deployment.rollout", "no.such_type"}));
            for (const auto &[type, buckets] : history.byType) {
                if (buckets.empty() && type == "no.such_type")
                    continue; // asked for, and there
                for (const EventTypeHistory::Bucket &b : buckets)
                    out[type].emplace_back(b.minute, b.count);
            }
            out["(span)"] = {{history.firstMinute, history.lastMinute}};
            return out;
        };
        {
            auto committer = openCommitter(path);
            std::mt19937 rng(11);
            for (int commit = 0; commit < 20; ++commit) {
                std::vector<RecordBatch> batches(2);
                for (int i = 0; i < 200; ++i) {
                    const int n = commit * 200 + i;
                    const TimeUs t
                        = kBase + static_cast<TimeUs>(rng() % (180 * 60)) * kMicrosPerSecond;
                    batches[i % 2].events.push_back(makeEvent(n, t, "failure_events", 0, n));
                }
                // A message seen again (a Kafka redelivery) is skipped, and not counted twice.
                batches[1].events.push_back(batches[0].events.front());
                committer->commit(batches);
            }
        }
        QCOMPARE(stored(), bruteForce());
        QCOMPARE(stored().size(), std::size_t(4));

        {
            auto committer = openCommitter(path);
            RetentionPolicy policy;
            policy.maxAge = 60 * 60 * kMicrosPerSecond;
            for (int steps = 0; steps < 100 && committer->applyRetention(policy, 500).moreToDo;)
                ++steps;
        }
        QVERIFY(bruteForce().begin()->second.size() < 100);
        QCOMPARE(stored(), bruteForce());

        // A capture from schema version 1: no event_history.
        {
            sqlite::Connection raw(path, sqlite::Connection::Mode::ReadWrite);
            raw.execute("DROP TRIGGER event_history_on_delete; DROP TABLE event_history; "
                        "PRAGMA user_version=1");
        }
        QCOMPARE(stored(), bruteForce()); // computed from the events
        {
            auto committer = openCommitter(path); // upgrades
            std::vector<RecordBatch> batches(1);
            batches[0].events.push_back(makeEvent(99'999, kBase + 179 * 60 * kMicrosPerSecond));
            committer->commit(batches);
        }
        auto reader = openReader(path);
        QCOMPARE(valueOrFail(reader->info()).schemaVersion, capture::kSchemaVersion);
        QCOMPARE(stored(), bruteForce());
    }

    void retentionBySizeKeepsTheNewestData()
    {
        const std::string path = freshPath();
        auto committer = openCommitter(path);
        for (int round = 0; round < 40; ++round) {
            std::vector<RecordBatch> batches(1);
            for (int i = 0; i < 500; ++i)
                batches[0].events.push_back(
                    makeEvent(round * 1000 + i, kBase + (round * 500 + i) * kMicrosPerSecond));
            committer->commit(batches);
        }
        const std::int64_t before = committer->usedBytes();
        RetentionPolicy policy;
        policy.maxBytes = before / 3;
        RetentionStep step;
        int steps = 0;
        do {
            step = committer->applyRetention(policy, 2000);
            ++steps;
        } while (step.moreToDo && steps < 200);
        QVERIFY2(
            committer->usedBytes() <= policy.maxBytes,
            qPrintable(QStringLiteral("%1 > %2").arg(committer->usedBytes()).arg(policy.maxBytes)));
        auto reader = openReader(path);
        const auto events = valueOrFail(reader->events({}));
        QVERIFY(!events.empty());
        QCOMPARE(events.back().sourceId, std::string("evt-39499"));
        QVERIFY(events.size() < 20'000 / 2);
    }

    void writerAnnouncesEachCommit()
    {
        const std::string path = freshPath();
        std::atomic<std::int64_t> fromCallback{0};
        StoreWriterOptions options;
        options.onCommit = [&](const CommitSummary &s) { fromCallback += s.records(); };
        auto writer = valueOrFail(StoreWriter::open(path, options));
        QSignalSpy spy(writer.get(), &StoreWriter::committed);
        for (int b = 0; b < 20; ++b) {
            RecordBatch batch;
            const auto series = batch.internSeries(SeriesKey("s" + std::to_string(b % 3), {}));
            for (int i = 0; i < 100; ++i) {
                batch.addSample(series, kBase + (b * 100 + i) * 1000, i);
                batch.events.push_back(makeEvent(b * 100 + i, kBase + (b * 100 + i) * 1000));
            }
            QVERIFY(writer->submit(std::move(batch)));
        }
        QVERIFY(writer->flush());
        const auto announced = [&spy] {
            std::int64_t total = 0;
            for (const auto &arguments : spy)
                total += arguments.at(0).value<CommitSummary>().records();
            return total;
        };
        QTRY_COMPARE(announced(), std::int64_t(4000));
        std::int64_t records = 0;
        std::uint64_t lastSequence = 0;
        TimeUs earliest = std::numeric_limits<TimeUs>::max(), latest = 0;
        std::set<std::int64_t> series;
        for (const auto &arguments : spy) {
            const auto summary = arguments.at(0).value<CommitSummary>();
            QCOMPARE(summary.sequence, lastSequence + 1);
            lastSequence = summary.sequence;
            records += summary.records();
            earliest = std::min(earliest, summary.span.begin);
            latest = std::max(latest, summary.span.end);
            series.insert(summary.seriesIds.begin(), summary.seriesIds.end());
        }
        QCOMPARE(records, 4000);
        QCOMPARE(fromCallback.load(), 4000);
        QCOMPARE(earliest, kBase);
        QCOMPARE(latest, kBase + 1999 * 1000 + 1);
        QCOMPARE(series.size(), std::size_t(3));
    }

    void streamedBatchesShareCommitsAndFlushDoesNotWait()
    {
        const std::string path = freshPath();
        StoreWriterOptions options;
        options.commitInterval = std::chrono::hours(1); // only flush() and close() end a wait
        auto writer = valueOrFail(StoreWriter::open(path, options));
        QSignalSpy spy(writer.get(), &StoreWriter::committed);
        const auto submitBatches = [&](int first, int count) {
            for (int b = first; b < first + count; ++b) {
                RecordBatch batch;
                batch.events.push_back(makeEvent(b, kBase + b));
                QVERIFY(writer->submit(std::move(batch)));
            }
        };
        submitBatches(0, 1);
        QVERIFY(writer->flush(std::chrono::seconds(30))); // the first commit: nothing before it
        QTRY_COMPARE(spy.count(), 1);
        submitBatches(1, 10);
        QTest::qWait(50);
        QCOMPARE(spy.count(), 1); // within the interval: the batches wait for each other
        QElapsedTimer timer;
        timer.start();
        QVERIFY(writer->flush(std::chrono::seconds(30)));
        QVERIFY(timer.elapsed() < 20'000); // ended by flush, not by the hour-long interval
        QTRY_COMPARE(spy.count(), 2);
        QCOMPARE(spy.at(1).at(0).value<CommitSummary>().batches, std::int64_t(10));
        submitBatches(11, 3);
        writer->close(); // close does not wait out the interval either
        QCOMPARE(valueOrFail(openReader(path)->events({})).size(), std::size_t(14));
    }

    void failingCommitsAreReportedAndRetriedWithoutLoss()
    {
        const std::string path = freshPath();
        auto writer = valueOrFail(StoreWriter::open(path, {}));
        QSignalSpy failures(writer.get(), &StoreWriter::writeFailed);
        {
            sqlite::Connection side(path, sqlite::Connection::Mode::ReadWrite);
            side.execute("CREATE TRIGGER full_disk BEFORE INSERT ON event_chunks "
                         "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END");
        }
        for (int b = 0; b < 3; ++b) {
            RecordBatch batch;
            for (int i = 0; i < 10; ++i)
                batch.events.push_back(makeEvent(b * 10 + i, kBase + b * 10 + i));
            QVERIFY(writer->submit(std::move(batch)));
        }
        QElapsedTimer timer;
        timer.start();
        QVERIFY(!writer->flush(std::chrono::seconds(60))); // reports instead of hanging
        QVERIFY(timer.elapsed() < 20'000);
        QVERIFY2(writer->lastError().find("cannot commit: database or disk is full")
                     != std::string::npos,
                 writer->lastError().c_str());
        QTRY_VERIFY(failures.count() >= StoreWriter::kFailuresBeforeGivingUp);
        {
            sqlite::Connection side(path, sqlite::Connection::Mode::ReadWrite);
            side.execute("DROP TRIGGER full_disk");
        }
        QVERIFY(writer->flush(std::chrono::seconds(30))); // the queued batches went in after all
        writer->close();
        QCOMPARE(valueOrFail(openReader(path)->events({})).size(), std::size_t(30));
    }

    void fullQueueRefusesInsteadOfDropping()
    {
        const std::string path = freshPath();
        std::mutex mutex;
        std::condition_variable released;
        bool open = false;
        StoreWriterOptions options;
        options.maxQueuedRecords = 1000;
        options.onCommit = [&](const CommitSummary &) {
            std::unique_lock lock(mutex);
            released.wait(lock, [&] { return open; }); // a deliberately stuck writer
        };
        auto writer = valueOrFail(StoreWriter::open(path, options));
        int accepted = 0, refused = 0;
        for (int b = 0; b < 50; ++b) {
            RecordBatch batch;
            for (int i = 0; i < 100; ++i)
                batch.events.push_back(makeEvent(b * 100 + i, kBase + b * 100 + i));
            if (writer->trySubmit(batch)) {
                ++accepted;
                QVERIFY(batch.events.empty());
            } else {
                ++refused;
                QCOMPARE(batch.events.size(), std::size_t(100)); // handed back untouched
            }
            QTest::qWait(2);
        }
        QVERIFY(refused > 0);
        QVERIFY(writer->queuedRecords() <= 1000 + 100);
        {
            std::unique_lock lock(mutex);
            open = true;
        }
        released.notify_all();
        QVERIFY(writer->flush());
        writer->close();
        auto reader = openReader(path);
        QCOMPARE(valueOrFail(reader->events({})).size(), static_cast<std::size_t>(accepted * 100));
    }
};

QTEST_GUILESS_MAIN(TestCaptureStore)
#include "tst_capturestore.moc"
