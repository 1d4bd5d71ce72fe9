#include "store/samplechunk.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <random>

using namespace eventscope;

namespace {

// Encodes `samples` into as many chunks as it takes and decodes them back.
std::vector<Sample> roundTrip(const std::vector<Sample> &samples, int *chunks = nullptr)
{
    std::vector<Sample> out;
    std::size_t i = 0;
    int count = 0;
    while (i < samples.size()) {
        ChunkEncoder encoder(std::span<const Sample>(samples).subspan(
            i, std::min<std::size_t>(64, samples.size() - i)));
        ++i;
        while (i < samples.size() && encoder.tryAppend(samples[i].time, samples[i].value))
            ++i;
        ++count;
        if (!decodeChunk(encoder.blob(), out))
            return {};
    }
    if (chunks)
        *chunks = count;
    return out;
}

} // namespace

class TestSampleChunk : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTripsExactly_data()
    {
        QTest::addColumn<int>("kind");
        QTest::newRow("decimal gauge, ms jitter") << 0;
        QTest::newRow("integer counter") << 1;
        QTest::newRow("full-precision doubles (XOR)") << 2;
        QTest::newRow("special values: NaN, inf, -0, huge") << 3;
        QTest::newRow("microsecond timestamps, irregular") << 4;
        QTest::newRow("constant value, regular seconds") << 5;
        QTest::newRow("duplicate timestamps") << 6;
        QTest::newRow("negative times and values") << 7;
    }
    void roundTripsExactly()
    {
        QFETCH(int, kind);
        std::mt19937_64 rng(static_cast<std::uint64_t>(kind) + 11);
        std::normal_distribution<double> noise;
        std::vector<Sample> samples;
        TimeUs t = 1'764'000'000'000'000LL;
        double counter = 0;
        for (int i = 0; i < 3000; ++i) {
            double v = 0;
            switch (kind) {
            case 0:
                t += 10'000'000 + static_cast<TimeUs>(rng() % 41) * 1000 - 20'000;
                v = std::round((0.5 + 0.1 * noise(rng)) * 1e4) / 1e4;
                break;
            case 1:
                t += 15'000'000;
                counter += static_cast<double>(rng() % 1000);
                v = counter;
                break;
            case 2:
                t += 1'000'000;
                v = noise(rng) * 1e3;
                break;
            case 3: {
                t += 1'000'000;
                const double specials[] = {std::numeric_limits<double>::quiet_NaN(),
                                           std::numeric_limits<double>::infinity(),
                                           -std::numeric_limits<double>::infinity(),
                                           -0.0,
                                           1e300,
                                           -1e-300,
                                           0.1 + 0.2,
                                           42.0};
                v = specials[rng() % 8];
                break;
            }
            case 4:
                t += static_cast<TimeUs>(rng() % 5'000'000);
                v = std::round(noise(rng) * 100) / 100;
                break;
            case 5:
                t += 1'000'000;
                v = 7.25;
                break;
            case 6:
                t += (i % 3 == 0) ? 1000 : 0;
                v = static_cast<double>(i % 7);
                break;
            case 7:
                t = -1'000'000'000LL + i * 333;
                v = -std::round(std::fabs(noise(rng)) * 1e6) / 1e3;
                break;
            }
            samples.push_back({t, v});
        }
        int chunks = 0;
        const std::vector<Sample> back = roundTrip(samples, &chunks);
        QCOMPARE(back.size(), samples.size());
        for (std::size_t i = 0; i < samples.size(); ++i) {
            if (!(back[i] == samples[i]))
                QFAIL(qPrintable(QStringLiteral("sample %1: %2@%3 came back as %4@%5")
                                     .arg(i)
                                     .arg(samples[i].value, 0, 'g', 17)
                                     .arg(samples[i].time)
                                     .arg(back[i].value, 0, 'g', 17)
                                     .arg(back[i].time)));
        }
    }

    void summaryMatchesTheSamples()
    {
        const std::vector<Sample> samples
            = {{100, 3.5}, {200, std::nan("")}, {300, -1.25}, {300, 9.0}, {400, 2.0}};
        ChunkEncoder encoder(samples);
        for (std::size_t i = 1; i < samples.size(); ++i)
            QVERIFY(encoder.tryAppend(samples[i].time, samples[i].value));
        const ChunkSummary &s = encoder.summary();
        QCOMPARE(s.count, 5);
        QCOMPARE(s.minTime, 100);
        QCOMPARE(s.maxTime, 400);
        QCOMPARE(s.minValue, -1.25);
        QCOMPARE(s.maxValue, 9.0);
        QCOMPARE(s.firstValue, 3.5);
        QCOMPARE(s.lastValue, 2.0);
    }

    void refusesSamplesThatCannotContinueTheChunk()
    {
        const std::vector<Sample> start = {{1'000'000, 1.5}, {2'000'000, 2.25}};
        ChunkEncoder encoder(start);
        QVERIFY(encoder.tryAppend(2'000'000, 2.25));
        QVERIFY2(!encoder.tryAppend(1'500'000, 1.0), "earlier than the last sample");
        QVERIFY2(!encoder.tryAppend(3'000'001, 1.0), "not whole seconds in a seconds-unit chunk");
        QVERIFY2(!encoder.tryAppend(4'000'000, 0.1 + 0.2),
                 "more digits than the chunk's decimal scale");
        QCOMPARE(encoder.count(), 2);
        std::vector<Sample> out;
        QVERIFY(decodeChunk(encoder.blob(), out));
        QCOMPARE(out.size(), std::size_t(2));
    }

    void realisticGaugesTakeFewBytes()
    {
        std::mt19937_64 rng(5);
        std::normal_distribution<double> noise;
        std::vector<Sample> samples;
        TimeUs t = 1'764'000'000'000'000LL;
        for (int i = 0; i < 512; ++i) {
            t += 10'000'000 + static_cast<TimeUs>(rng() % 41) * 1000 - 20'000;
            samples.push_back({t, std::round((0.45 + 0.03 * noise(rng)) * 1e4) / 1e4});
        }
        ChunkEncoder encoder(samples);
        for (std::size_t i = 1; i < samples.size(); ++i)
            QVERIFY(encoder.tryAppend(samples[i].time, samples[i].value));
        const double bytesPerSample = static_cast<double>(encoder.blob().size()) / 512.0;
        qInfo("noisy 4-decimal gauge, 10 s +- 20 ms: %.2f bytes/sample", bytesPerSample);
        QVERIFY(bytesPerSample < 4.0);
    }

    void bucketSegmentsMatchBruteForce_data()
    {
        QTest::addColumn<bool>("decimal");
        QTest::addColumn<int>("count");
        QTest::newRow("decimal, 16 blocks") << true << 1024;
        QTest::newRow("XOR with NaN, 16 blocks") << false << 1024;
        QTest::newRow("decimal, partial last block") << true << 200;
        QTest::newRow("XOR, one block") << false << 40;
    }
    void bucketSegmentsMatchBruteForce()
    {
        QFETCH(bool, decimal);
        QFETCH(int, count);
        std::mt19937_64 rng(static_cast<std::uint64_t>(count) + (decimal ? 1 : 2));
        std::normal_distribution<double> noise;
        std::vector<Sample> samples;
        TimeUs t = 1'000'000'000;
        for (int i = 0; i < count; ++i) {
            t += 1 + static_cast<TimeUs>(rng() % 3000) * (i % 50 == 0 ? 0 : 1); // some equal times
            double v = decimal ? std::round(noise(rng) * 1e3) / 1e2 : noise(rng);
            if (!decimal && i % 37 == 0)
                v = std::nan("");
            samples.push_back({t, v});
        }
        ChunkEncoder encoder(samples);
        for (std::size_t i = 1; i < samples.size(); ++i)
            QVERIFY(encoder.tryAppend(samples[i].time, samples[i].value));
        const std::string blob = encoder.blob();

        for (int round = 0; round < 300; ++round) {
            const TimeUs a = samples.front().time - 5
                + static_cast<TimeUs>(rng()
                                      % static_cast<std::uint64_t>(t - samples.front().time + 10));
            const TimeUs b = a + 1
                + static_cast<TimeUs>(rng()
                                      % static_cast<std::uint64_t>(t - samples.front().time + 10));
            const TimeRange range{round == 0 ? samples.front().time : a, round == 0 ? t + 1 : b};
            const TimeUs width = 1
                + static_cast<TimeUs>(rng()
                                      % static_cast<std::uint64_t>(std::max<TimeUs>(
                                          2, range.duration() / (1 + rng() % 40))));
            // Brute force: merge per bucket.
            std::map<std::size_t, BucketSegment> expected;
            for (const Sample &sample : samples) {
                if (!range.contains(sample.time))
                    continue;
                const auto bucket = static_cast<std::size_t>((sample.time - range.begin) / width);
                auto [it, fresh] = expected.try_emplace(bucket);
                BucketSegment &e = it->second;
                if (fresh) {
                    e = {bucket, 0, std::nan(""), std::nan(""), sample.time, sample.value, 0, 0};
                }
                if (!std::isnan(sample.value)) {
                    e.min = std::isnan(e.min) ? sample.value : std::min(e.min, sample.value);
                    e.max = std::isnan(e.max) ? sample.value : std::max(e.max, sample.value);
                }
                e.lastTime = sample.time;
                e.last = sample.value;
                ++e.count;
            }
            std::map<std::size_t, BucketSegment> got;
            QVERIFY(forEachBucketSegment(blob, range, width, [&](const BucketSegment &segment) {
                auto [it, fresh] = got.try_emplace(segment.bucket, segment);
                if (fresh)
                    return;
                BucketSegment &g = it->second; // segments of one bucket arrive in time order
                QVERIFY(segment.firstTime >= g.lastTime);
                if (!std::isnan(segment.min)) {
                    g.min = std::isnan(g.min) ? segment.min : std::min(g.min, segment.min);
                    g.max = std::isnan(g.max) ? segment.max : std::max(g.max, segment.max);
                }
                g.count += segment.count;
                g.lastTime = segment.lastTime;
                g.last = segment.last;
            }));
            QCOMPARE(got.size(), expected.size());
            for (const auto &[bucket, e] : expected) {
                const BucketSegment &g = got.at(bucket);
                const auto same
                    = [](double x, double y) { return (std::isnan(x) && std::isnan(y)) || x == y; };
                QVERIFY2(g.count == e.count && same(g.min, e.min) && same(g.max, e.max)
                             && g.firstTime == e.firstTime && same(g.first, e.first)
                             && g.lastTime == e.lastTime && same(g.last, e.last),
                         qPrintable(QStringLiteral("round %1 bucket %2").arg(round).arg(bucket)));
            }
        }
    }

    void corruptBlobsAreRejectedNotCrashed()
    {
        std::mt19937_64 rng(99);
        std::vector<Sample> samples;
        for (int i = 0; i < 300; ++i)
            samples.push_back({i * 1000LL + static_cast<TimeUs>(rng() % 500),
                               static_cast<double>(rng() % 100) / 10});
        std::sort(samples.begin(), samples.end(),
                  [](const Sample &a, const Sample &b) { return a.time < b.time; });
        ChunkEncoder encoder(samples);
        for (std::size_t i = 1; i < samples.size(); ++i)
            QVERIFY(encoder.tryAppend(samples[i].time, samples[i].value));
        const std::string good = encoder.blob();
        int rejected = 0;
        for (int round = 0; round < 2000; ++round) {
            std::string bad = good;
            if (round % 2)
                bad.resize(rng() % bad.size());
            else
                for (int k = 0; k < 4; ++k)
                    bad[rng() % bad.size()] = static_cast<char>(rng());
            std::vector<Sample> out;
            if (!decodeChunk(bad, out))
                ++rejected;
            QVERIFY(out.size() <= 1 + bad.size() * 8);
            std::int64_t segments = 0;
            (void)forEachBucketSegment(bad, {0, 300'000}, 1000,
                                       [&](const BucketSegment &) { ++segments; });
            QVERIFY(segments <= 300);
        }
        QVERIFY(rejected > 0);
        std::vector<Sample> out;
        QVERIFY(!decodeChunk({}, out));
        QVERIFY(!decodeChunk(std::string(1, '\x07'), out));
    }
};

QTEST_APPLESS_MAIN(TestSampleChunk)
#include "tst_samplechunk.moc"
