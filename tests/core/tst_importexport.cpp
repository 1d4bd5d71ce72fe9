#include "testcapture.h"

#include "io/csvformat.h"
#include "io/ndjsonexporter.h"
#include "io/ndjsonimporter.h"
#include "store/storewriter.h"
#include "util/timeformat.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>

using namespace eventscope;
using namespace eventscope::test;

namespace {

// Every native shape with the awkward cases: escapes, unicode, NaN/Inf, many decimals, offsets
// in times, integer and full-precision values, empty optional fields.
QByteArray sampleNdjson()
{
    QByteArray out;
    for (int i = 0; i < 300; ++i) {
        out += QStringLiteral(
                   R"({"id":"evt-%1","time":"2026-11-24T10:%2:00.%3+01:00","type":"%4","service":"svc-%5","entity":"pod-%6","message":"line \"%1\" \u00e9\\n","attributes":{"n":%1,"nested":{"a":[1,2]}}})")
                   .arg(i)
                   .arg(i % 60, 2, 10, QLatin1Char('0'))
                   .arg(i % 1000, 3, 10, QLatin1Char('0'))
                   .arg(i % 2 ? QStringLiteral("scaling.scale_out")
                              : QStringLiteral("failure.oom_killed"))
                   .arg(i % 5)
                   .arg(i % 9)
                   .toUtf8()
            + '\n';
        out += QStringLiteral(
                   R"({"time":%1,"name":"cpu_utilization","labels":{"service":"svc-%2","node":"n-%3"},"value":%4,"unit":"ratio"})")
                   .arg(1'764'000'000LL + i * 10)
                   .arg(i % 3)
                   .arg(i % 2)
                   .arg(0.1 * (i % 10) + 0.0001 * i, 0, 'g', 17)
                   .toUtf8()
            + '\n';
        out += QStringLiteral(
                   R"({"timestamp":"2026-11-24T10:00:%1Z","value":"%2","name":"up","labels":{"__name__":"up","job":"api"}})")
                   .arg(i % 60, 2, 10, QLatin1Char('0'))
                   .arg(i % 50 == 0 ? QStringLiteral("NaN")
                                    : (i % 77 == 0 ? QStringLiteral("+Inf") : QString::number(i)))
                   .toUtf8()
            + '\n';
        if (i % 3 == 0)
            out += QStringLiteral(
                       R"({"time":"2026-11-24T10:00:00.%1Z","service":"svc-1","entity":"pod-2","level":"%2","message":"log %1","trace_id":"t%3","span_id":"s%1"})")
                       .arg(i, 6, 10, QLatin1Char('0'))
                       .arg(i % 2 ? QStringLiteral("warn") : QStringLiteral("error"))
                       .arg(i / 3)
                       .toUtf8()
                + '\n';
        if (i % 4 == 0)
            out += QStringLiteral(
                       R"({"trace_id":"t%1","span_id":"s%2","parent_span_id":"%3","name":"GET /x","service":"svc-%4","kind":2,"start":"2026-11-24T10:00:00Z","end":"2026-11-24T10:00:00.%5Z","status":"%6","attributes":{"http.status":500}})")
                       .arg(i / 8)
                       .arg(i)
                       .arg(i % 8 ? QStringLiteral("s%1").arg(i - 4) : QString())
                       .arg(i % 3)
                       .arg(i % 1000, 3, 10, QLatin1Char('0'))
                       .arg(i % 3 ? QStringLiteral("ok") : QStringLiteral("error"))
                       .toUtf8()
                + '\n';
        if (i % 100 == 0)
            out += "\n"; // blank lines are skipped
    }
    out += "{\"id\": \"broken\" \"time\": 1}\n";
    // The declared topology: a repeated edge keeps the earliest time it was known.
    out += R"({"kind":"topology","caller":"svc-0","callee":"svc-1","time":"2026-11-24T10:00:00Z","attributes":{"protocol":"http"}})"
           "\n";
    out += R"({"kind":"topology","caller":"svc-1","callee":"svc-2"})"
           "\n";
    out += R"({"kind":"topology","caller":"svc-0","callee":"svc-1","time":"2026-11-24T09:00:00Z"})"
           "\n";
    return out;
}

struct CaptureContent
{
    std::vector<Event> events;
    std::vector<std::pair<SeriesKey, std::vector<Sample>>> series;
    std::vector<LogRecord> logs;
    std::vector<Span> spans;
    std::vector<TopologyEdge> topology;
};

CaptureContent readAll(const std::string &path)
{
    auto reader = openReader(path);
    CaptureContent content;
    content.events = valueOrFail(reader->events({}));
    for (const SeriesInfo &info : valueOrFail(reader->series()))
        content.series.emplace_back(info.key, valueOrFail(reader->samples(info.id, {})));
    content.logs = valueOrFail(reader->logs({}));
    content.spans = valueOrFail(reader->spans({}));
    content.topology = valueOrFail(reader->topology());
    for (auto &edge : content.topology)
        edge.origin = {};
    for (auto &e : content.events)
        e.origin = {};
    return content;
}

ImportSummary importFiles(const std::string &capture, const QStringList &files)
{
    auto writer = valueOrFail(StoreWriter::open(capture, {}));
    NdjsonImporter importer(*writer);
    for (const QString &file : files) {
        Status status = importer.importFile(file.toStdString());
        if (!status)
            qFatal("%s", status.error().c_str());
    }
    Status finished = importer.finish();
    if (!finished)
        qFatal("%s", finished.error().c_str());
    writer->close();
    return importer.summary();
}

} // namespace

// RFC 4180 rows: quoted fields may hold commas, doubled quotes and line breaks.
std::vector<std::vector<std::string>> parseCsv(const QByteArray &data)
{
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string field;
    bool quoted = false;
    for (qsizetype i = 0; i < data.size(); ++i) {
        const char c = data[i];
        if (quoted) {
            if (c == '"' && i + 1 < data.size() && data[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            row.push_back(std::move(field));
            field.clear();
        } else if (c == '\r' && i + 1 < data.size() && data[i + 1] == '\n') {
            row.push_back(std::move(field));
            field.clear();
            rows.push_back(std::move(row));
            row.clear();
            ++i;
        } else {
            field += c;
        }
    }
    return rows;
}

class TestImportExport : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void importThenExportIsLossless()
    {
        QFile input(path(QStringLiteral("in.ndjson")));
        QVERIFY(input.open(QIODevice::WriteOnly));
        input.write(sampleNdjson());
        input.close();

        const ImportSummary first
            = importFiles(path(QStringLiteral("a.capture")).toStdString(), {input.fileName()});
        QCOMPARE(first.events, 300);
        QCOMPARE(first.samples, 600);
        QCOMPARE(first.logs, 100);
        QCOMPARE(first.spans, 75);
        QCOMPARE(first.topologyEdges, 3);
        QCOMPARE(first.deadLetters, 1);
        QCOMPARE(first.firstReasons.size(), std::size_t(1));
        QVERIFY2(QString::fromStdString(first.firstReasons[0])
                     .endsWith(QStringLiteral("in.ndjson:1079: malformed JSON: line 1 col 17: "
                                              "expected ',' or '}' in an object, found '\"'")),
                 first.firstReasons[0].c_str());

        auto reader = openReader(path(QStringLiteral("a.capture")).toStdString());
        const auto summary = valueOrFail(
            exportNdjson(*reader, path(QStringLiteral("out.ndjson")).toStdString(), {}));
        QCOMPARE(summary.events, 300);
        QCOMPARE(summary.samples, 600);
        QCOMPARE(summary.logs, 100);
        QCOMPARE(summary.spans, 75);
        QCOMPARE(summary.topologyEdges, 2); // the repeat is one edge
        QVERIFY(!QFile::exists(path(QStringLiteral("out.ndjson.partial"))));

        const ImportSummary second = importFiles(path(QStringLiteral("b.capture")).toStdString(),
                                                 {path(QStringLiteral("out.ndjson"))});
        QCOMPARE(second.deadLetters, 0);
        const CaptureContent a = readAll(path(QStringLiteral("a.capture")).toStdString());
        const CaptureContent b = readAll(path(QStringLiteral("b.capture")).toStdString());
        QCOMPARE(b.events, a.events);
        QCOMPARE(b.logs, a.logs);
        QCOMPARE(b.spans, a.spans);
        QCOMPARE(b.topology, a.topology);
        QCOMPARE(a.topology.size(), std::size_t(2));
        QCOMPARE(a.topology[0].caller, std::string("svc-0"));
        QCOMPARE(a.topology[0].callee, std::string("svc-1"));
        QCOMPARE(a.topology[0].time, *parseTimestamp("2026-11-24T09:00:00Z"));
        QCOMPARE(a.topology[0].attributes, std::string(R"({"protocol":"http"})"));
        QCOMPARE(a.topology[1].time, TimeUs{0});
        QCOMPARE(b.series.size(), a.series.size());
        for (std::size_t i = 0; i < a.series.size(); ++i) {
            QCOMPARE(b.series[i].first, a.series[i].first);
            QCOMPARE(b.series[i].second,
                     a.series[i].second); // bitwise values: NaN and +Inf included
        }
        // And the capture holds what the lines said, not just something self-consistent.
        const Event &e7 = a.events[static_cast<std::size_t>(
            std::find_if(a.events.begin(), a.events.end(),
                         [](const Event &e) { return e.sourceId == "evt-7"; })
            - a.events.begin())];
        QCOMPARE(e7.message, std::string("line \"7\" \u00e9\\n"));
        QCOMPARE(e7.attributes, std::string(R"({"n":7,"nested":{"a":[1,2]}})"));
        QCOMPARE(e7.time, 1'795'511'220'007'000LL); // 10:07:00.007+01:00
    }

    void exportHonoursTimeRangeAndKinds()
    {
        QFile input(path(QStringLiteral("range.ndjson")));
        QVERIFY(input.open(QIODevice::WriteOnly));
        input.write(sampleNdjson());
        input.close();
        importFiles(path(QStringLiteral("range.capture")).toStdString(), {input.fileName()});
        auto reader = openReader(path(QStringLiteral("range.capture")).toStdString());
        ExportOptions options;
        options.metrics = options.logs = options.traces = false;
        options.range
            = {1'795'510'800'000'000LL, 1'795'510'800'000'000LL + 10 * 60 * kMicrosPerSecond};
        const auto summary = valueOrFail(
            exportNdjson(*reader, path(QStringLiteral("range.out")).toStdString(), options));
        QCOMPARE(summary.samples + summary.logs + summary.spans, std::int64_t(0));
        std::int64_t expected = 0;
        for (const Event &e : valueOrFail(reader->events({})))
            expected += options.range.contains(e.time) ? 1 : 0;
        QVERIFY(expected > 0);
        QCOMPARE(summary.events, expected);
    }

    // Progress climbs to 1 through the kinds in order; a cancel leaves no file and an existing
    // one as it was.
    void exportReportsProgressAndCancelsWithoutAFile()
    {
        QFile input(path(QStringLiteral("progress.ndjson")));
        QVERIFY(input.open(QIODevice::WriteOnly));
        input.write(sampleNdjson());
        input.close();
        importFiles(path(QStringLiteral("progress.capture")).toStdString(), {input.fileName()});
        auto reader = openReader(path(QStringLiteral("progress.capture")).toStdString());

        std::vector<ExportProgress> steps;
        ExportOptions options;
        options.progress = [&steps](const ExportProgress &step) {
            steps.push_back(step);
            return true;
        };
        const QString out = path(QStringLiteral("progress.out"));
        const auto summary = valueOrFail(exportNdjson(*reader, out.toStdString(), options));
        QVERIFY(steps.size() >= 4);
        for (std::size_t i = 1; i < steps.size(); ++i) {
            QVERIFY2(steps[i].fraction >= steps[i - 1].fraction,
                     qPrintable(QStringLiteral("%1 after %2 at step %3")
                                    .arg(steps[i].fraction)
                                    .arg(steps[i - 1].fraction)
                                    .arg(i)));
            QVERIFY(steps[i].records >= steps[i - 1].records);
        }
        QCOMPARE(steps.back().fraction, 1.0);
        QCOMPARE(steps.back().records,
                 summary.events + summary.samples + summary.logs + summary.spans
                     + summary.topologyEdges);
        const auto startOf = [&steps](std::string_view kind) {
            const auto found = std::find_if(steps.begin(), steps.end(),
                                            [&](const auto &step) { return kind == step.kind; });
            return found == steps.end() ? -1.0 : found->fraction;
        };
        // Each kind starts where the ones before it, weighted by their counts, end.
        QVERIFY(startOf("events") == 0.0);
        QVERIFY(startOf("samples") > 0.0 && startOf("samples") < startOf("logs"));
        QVERIFY(startOf("logs") < startOf("spans") && startOf("spans") < 1.0);

        QFile before(out);
        QVERIFY(before.open(QIODevice::ReadOnly));
        const QByteArray kept = before.readAll();
        before.close();
        options.progress
            = [](const ExportProgress &step) { return std::string_view(step.kind) != "logs"; };
        const auto cancelled = exportNdjson(*reader, out.toStdString(), options);
        QVERIFY(!cancelled);
        QVERIFY2(
            QString::fromStdString(cancelled.error())
                .endsWith(QStringLiteral("progress.out: export cancelled; nothing was written")),
            cancelled.error().c_str());
        QFile after(out);
        QVERIFY(after.open(QIODevice::ReadOnly));
        QCOMPARE(after.readAll(), kept);
        QCOMPARE(QDir(m_dir.path()).entryList({QStringLiteral("progress.out*")}),
                 QStringList{QStringLiteral("progress.out")});
    }

    void csvExportHasARowPerRecordAndAHeaderPerKind()
    {
        QFile input(path(QStringLiteral("csv.ndjson")));
        QVERIFY(input.open(QIODevice::WriteOnly));
        input.write(sampleNdjson());
        input.close();
        importFiles(path(QStringLiteral("csv.capture")).toStdString(), {input.fileName()});
        auto reader = openReader(path(QStringLiteral("csv.capture")).toStdString());
        ExportOptions options;
        options.format = ExportFormat::Csv;
        const auto summary = valueOrFail(
            exportNdjson(*reader, path(QStringLiteral("out.csv")).toStdString(), options));

        QFile file(path(QStringLiteral("out.csv")));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const auto rows = parseCsv(file.readAll());
        std::map<std::string, std::int64_t> counts;
        std::vector<std::string> headerKinds; // the record kind of the row after each header
        for (std::size_t i = 0; i < rows.size(); ++i) {
            QVERIFY(!rows[i].empty());
            if (rows[i][0] == "record") {
                QVERIFY(i + 1 < rows.size());
                headerKinds.push_back(rows[i + 1][0]);
                continue;
            }
            ++counts[rows[i][0]];
        }
        QCOMPARE(headerKinds,
                 (std::vector<std::string>{"event", "sample", "log", "span", "topology"}));
        QCOMPARE(counts["event"], summary.events);
        QCOMPARE(counts["sample"], summary.samples);
        QCOMPARE(counts["log"], summary.logs);
        QCOMPARE(counts["span"], summary.spans);
        QCOMPARE(counts["topology"], summary.topologyEdges);
        // Every row as wide as its header; quotes, backslashes and non-ASCII survive.
        std::size_t width = 0;
        bool sawEvent7 = false;
        for (const auto &row : rows) {
            if (row[0] == "record") {
                width = row.size();
                continue;
            }
            QCOMPARE(row.size(), width);
            if (row[0] == "event" && row[2] == "evt-7") {
                QCOMPARE(row[1], std::string("2026-11-24T09:07:00.007Z"));
                QCOMPARE(row[9], std::string("line \"7\" \u00e9\\n"));
                QCOMPARE(row[11], std::string(R"({"n":7,"nested":{"a":[1,2]}})"));
                sawEvent7 = true;
            }
        }
        QVERIFY(sawEvent7);

        // A message a spreadsheet would run as a formula stays text; a negative number does not
        // change.
        std::string field;
        csv::appendField(field, "=HYPERLINK(\"http://x\")");
        QCOMPARE(field, std::string("\"'=HYPERLINK(\"\"http://x\"\")\""));
        field.clear();
        csv::appendField(field, "-12.5");
        QCOMPARE(field, std::string("-12.5"));
        field.clear();
        csv::appendField(field, "a,b\nc");
        QCOMPARE(field, std::string("\"a,b\nc\""));
    }

    void oversizedLinesAreDeadLettersAndTheRestImports()
    {
        QFile input(path(QStringLiteral("big.ndjson")));
        QVERIFY(input.open(QIODevice::WriteOnly));
        input.write(R"({"id":"a","time":1764000000,"type":"x.y"})"
                    "\n");
        input.write("{\"message\":\"" + QByteArray(9 * 1024 * 1024, 'x') + "\"}\n");
        input.write(R"({"id":"b","time":1764000001,"type":"x.y"})"
                    "\n");
        input.write(R"({"id":"c","time":1764000002,"type":"x.y"})"); // no final newline
        input.close();
        const ImportSummary summary
            = importFiles(path(QStringLiteral("big.capture")).toStdString(), {input.fileName()});
        QCOMPARE(summary.events, 3);
        QCOMPARE(summary.deadLetters, 1);
        QVERIFY2(QString::fromStdString(summary.firstReasons.at(0))
                     .contains(QStringLiteral(
                         "big.ndjson:2: line is 9437198 bytes, over the 8 MiB limit")),
                 summary.firstReasons.at(0).c_str());
        auto reader = openReader(path(QStringLiteral("big.capture")).toStdString());
        const auto letters = valueOrFail(reader->deadLetters(10));
        QCOMPARE(letters.size(), std::size_t(1));
        QCOMPARE(letters[0].payload.size(), DeadLetter::kMaxPayload);
    }

    void unreadableInputIsAnErrorNamingIt()
    {
        auto writer
            = valueOrFail(StoreWriter::open(path(QStringLiteral("e.capture")).toStdString(), {}));
        NdjsonImporter importer(*writer);
        const Status status
            = importer.importFile(path(QStringLiteral("missing.ndjson")).toStdString());
        QVERIFY(!status.ok());
        QVERIFY2(QString::fromStdString(status.error())
                     .contains(QStringLiteral("missing.ndjson: cannot open")),
                 status.error().c_str());
    }
};

QTEST_GUILESS_MAIN(TestImportExport)
#include "tst_importexport.moc"
