#include "util/timeformat.h"

#include <QTest>

using namespace eventscope;

class TestTimeFormat : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesEveryListedForm_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("expected");
        const qint64 base = 1'764'000'000LL * 1'000'000; // 2025-11-24T16:00:00Z
        QTest::newRow("rfc3339 Z") << "2025-11-24T16:00:00Z" << base;
        QTest::newRow("rfc3339 millis") << "2025-11-24T16:00:00.123Z" << base + 123'000;
        QTest::newRow("rfc3339 micros") << "2025-11-24T16:00:00.123456Z" << base + 123'456;
        QTest::newRow("rfc3339 nanos truncated")
            << "2025-11-24T16:00:00.123456789Z" << base + 123'456;
        QTest::newRow("positive offset") << "2025-11-24T18:00:00+02:00" << base;
        QTest::newRow("negative offset") << "2025-11-24T11:30:00-04:30" << base;
        QTest::newRow("lowercase t and z") << "2025-11-24t16:00:00z" << base;
        QTest::newRow("space separator") << "2025-11-24 16:00:00Z" << base;
        QTest::newRow("epoch seconds") << "1764000000" << base;
        QTest::newRow("epoch millis") << "1764000000123" << base + 123'000;
        QTest::newRow("epoch micros") << "1764000000123456" << base + 123'456;
        QTest::newRow("epoch nanos (OTLP)") << "1764000000123456789" << base + 123'456;
        QTest::newRow("fractional seconds") << "1764000000.5" << base + 500'000;
        QTest::newRow("leap day") << "2024-02-29T00:00:00Z" << 1'709'164'800LL * 1'000'000;
        QTest::newRow("before epoch") << "1969-12-31T23:59:59Z" << -1'000'000LL;
    }
    void parsesEveryListedForm()
    {
        QFETCH(QString, text);
        QFETCH(qint64, expected);
        const auto parsed = parseTimestamp(text.toStdString());
        QVERIFY2(parsed.has_value(), qPrintable(text));
        QCOMPARE(*parsed, expected);
    }

    void rejectsWhatIsNotATime_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("empty") << "";
        QTest::newRow("words") << "yesterday";
        QTest::newRow("no zone") << "2025-11-24T16:00:00";
        QTest::newRow("month 13") << "2025-13-24T16:00:00Z";
        QTest::newRow("hour 24") << "2025-11-24T24:00:00Z";
        QTest::newRow("trailing junk") << "2025-11-24T16:00:00Zjunk";
        QTest::newRow("empty fraction") << "2025-11-24T16:00:00.Z";
        QTest::newRow("digits and letters") << "17640000x";
    }
    void rejectsWhatIsNotATime()
    {
        QFETCH(QString, text);
        QVERIFY(!parseTimestamp(text.toStdString()).has_value());
    }

    void formatsTheShortestExactFraction_data()
    {
        QTest::addColumn<qint64>("time");
        QTest::addColumn<QString>("expected");
        const qint64 base = 1'764'000'000LL * 1'000'000;
        QTest::newRow("whole seconds") << base << "2025-11-24T16:00:00Z";
        QTest::newRow("millis") << base + 123'000 << "2025-11-24T16:00:00.123Z";
        QTest::newRow("micros") << base + 123'456 << "2025-11-24T16:00:00.123456Z";
        QTest::newRow("before epoch") << qint64(-1) << "1969-12-31T23:59:59.999999Z";
    }
    void formatsTheShortestExactFraction()
    {
        QFETCH(qint64, time);
        QFETCH(QString, expected);
        QCOMPARE(QString::fromStdString(formatTimestamp(time)), expected);
    }

    void formatThenParseIsIdentity()
    {
        // Years 0001 to 9999: what RFC 3339 can write.
        const qint64 first = -62'135'596'800LL * 1'000'000, last = 253'402'300'799LL * 1'000'000;
        for (qint64 t = first; t < last; t += 7'777'777'777'777LL + t % 1'000'003) {
            const auto back = parseTimestamp(formatTimestamp(t));
            QVERIFY2(back.has_value(), formatTimestamp(t).c_str());
            QCOMPARE(*back, t);
        }
    }
};

QTEST_APPLESS_MAIN(TestTimeFormat)
#include "tst_timeformat.moc"
