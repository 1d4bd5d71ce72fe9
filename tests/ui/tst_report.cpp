// Incident reports through the real command (`eventscope report`), in all three formats, read
// back the way their readers see them: the PDF through poppler, the HTML through headless
// Chromium, the PNG as an image.

#include "../analysis/simulatedcapture.h"

#include "analysis/incidentanalyzer.h"
#include "report/incidentreport.h"
#include "store/batchcommitter.h"
#include "store/capturecopy.h"
#include "store/capturereader.h"
#include "util/timeformat.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using namespace eventscope;

namespace {

constexpr auto kHostileMessage = "<script>alert(1)</script><img src=x onerror=alert(2)>";

struct Run
{
    int exitCode = -1;
    QString output;
};

Run runEventscope(const QStringList &arguments)
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("DISPLAY")); // headless: the command must not need one
    environment.remove(QStringLiteral("QT_QPA_PLATFORM"));
    process.setProcessEnvironment(environment);
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(QStringLiteral(EVENTSCOPE_BINARY), arguments);
    if (!process.waitForFinished(120'000))
        return {};
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromUtf8(process.readAll())};
}

QString runTool(const QString &program, const QStringList &arguments, int *exitCode = nullptr)
{
    QProcess process;
    process.start(program, arguments);
    if (!process.waitForStarted(10'000))
        qFatal("cannot start %s (installer/install-deps.sh installs it)", qPrintable(program));
    process.waitForFinished(120'000);
    if (exitCode)
        *exitCode = process.exitCode();
    return QString::fromUtf8(process.readAllStandardOutput());
}

// Distinct colours and the share of pixels unlike the corner's: a picture, not a blank page.
struct Ink
{
    int colours = 0;
    double inked = 0;
};
Ink inkOf(const QImage &source)
{
    const QImage image = source.convertToFormat(QImage::Format_RGB32);
    const QRgb background = image.pixel(0, 0);
    QSet<QRgb> colours;
    qint64 inked = 0;
    for (int y = 0; y < image.height(); ++y) {
        const auto *line = reinterpret_cast<const QRgb *>(image.constScanLine(y));
        for (int x = 0; x < image.width(); ++x) {
            if (colours.size() < 4096)
                colours.insert(line[x]);
            if (line[x] != background)
                ++inked;
        }
    }
    return {static_cast<int>(colours.size()),
            static_cast<double>(inked) / (static_cast<double>(image.width()) * image.height())};
}

} // namespace

class TestReport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void htmlIsSelfContainedEscapedAndTheSameEveryTime();
    void htmlRendersInChromiumWithoutRunningTheData();
    void pdfHasVectorChartsOnPagesThatRender();
    void pdfPageSizeFollowsTheOption();
    void pngIsOnePictureOfTheRequestedSize();
    void hostileTextIsTextInThePdfToo();
    void badRequestsSayWhatIsWrong();
    void criticalPathFollowsTheSpansTheTraceWaitedOn();
    void notesSavedInTheCaptureArePrintedAsText();

private:
    QString reportPath(const QString &name) const { return m_dir.filePath(name); }
    Run report(const QString &incident, const QString &out, const QStringList &extra = {})
    {
        return runEventscope(QStringList{QStringLiteral("report"), QStringLiteral("--db"),
                                         m_capture, QStringLiteral("--incident"), incident,
                                         QStringLiteral("--out"), out}
                             + extra);
    }

    QTemporaryDir m_dir;
    QString m_capture;
    QString m_incident; // a simulated failure whose true cause the analysis ranks first
    QString m_trueCause;
    QString m_hostileIncident;
};

void TestReport::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_capture = m_dir.filePath(QStringLiteral("incidents.capture"));
    sim::SimulatorOptions options;
    options.seed = 7;
    options.start = *parseTimestamp("2026-11-24T06:00:00Z");
    options.duration = 200 * 60 * kMicrosPerSecond;
    options.tracesPerSecond = 0.5;
    const sim::GroundTruth truth = testing::simulateIntoCapture(options, m_capture.toStdString());

    // A failure whose text is hostile HTML, with a log line to match: reports must show both
    // as text.
    const sim::TruthIncident &anchor = truth.incidents.front();
    {
        auto committer = BatchCommitter::open(m_capture.toStdString(), "tst_report");
        QVERIFY2(committer, committer ? "" : committer.error().c_str());
        std::vector<RecordBatch> batch(1);
        Event hostile;
        hostile.sourceId = "evt-hostile";
        hostile.time = truth.end - 20 * 60 * kMicrosPerSecond;
        hostile.type = "failure.crash";
        hostile.category = EventCategory::Failure;
        hostile.severity = Severity::Error;
        hostile.service = anchor.service;
        hostile.entity = "<img src=x onerror=alert(3)>";
        hostile.message = kHostileMessage;
        batch[0].events.push_back(hostile);
        LogRecord log;
        log.time = hostile.time - kMicrosPerSecond;
        log.level = Severity::Error;
        log.service = anchor.service;
        log.message = std::string("upstream said ") + kHostileMessage;
        batch[0].logs.push_back(log);
        (*committer)->commit(batch);
    }
    m_hostileIncident = QStringLiteral("evt-hostile");

    auto reader = CaptureReader::open(m_capture.toStdString());
    QVERIFY(reader);
    analysis::IncidentAnalyzer analyzer(**reader);
    for (const sim::TruthIncident &incident : truth.incidents) {
        if (incident.cause.empty())
            continue;
        auto analysis = analyzer.analyze(incident.id);
        QVERIFY(analysis);
        if (!analysis->causes.empty()
            && analysis->causes.front().event.sourceId == incident.cause) {
            m_incident = QString::fromStdString(incident.id);
            m_trueCause = QString::fromStdString(incident.cause);
            break;
        }
    }
    QVERIFY2(!m_incident.isEmpty(), "no simulated incident with its true cause ranked first");
}

void TestReport::htmlIsSelfContainedEscapedAndTheSameEveryTime()
{
    const QString first = reportPath(QStringLiteral("first.html"));
    const QString second = reportPath(QStringLiteral("second.html"));
    for (const QString &path : {first, second}) {
        const Run run = report(m_incident, path);
        QVERIFY2(run.exitCode == 0, qPrintable(run.output));
    }
    QFile a(first), b(second);
    QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
    const QByteArray html = a.readAll();
    QVERIFY2(html == b.readAll(), "two reports of the same incident differ");
    QVERIFY(html.contains(m_trueCause.toUtf8()));
    QVERIFY(html.contains(m_incident.toUtf8()));
    // Nothing to fetch: every source and link is inline data, and the page forbids the rest.
    const QString text = QString::fromUtf8(html);
    static const QRegularExpression reference(
        QStringLiteral("\\b(?:src|href|srcset|action|poster)\\s*=\\s*\"([^\"]*)\""));
    int images = 0;
    for (auto it = reference.globalMatch(text); it.hasNext();) {
        const QString target = it.next().captured(1);
        QVERIFY2(target.startsWith(QLatin1String("data:image/png;base64,")),
                 qPrintable(target.left(80)));
        ++images;
    }
    QVERIFY2(images >= 2, "the timeline's charts are missing"); // events, and a moved metric
    QVERIFY(!text.contains(QLatin1String("url(")));
    QVERIFY(!text.contains(QLatin1String("@import")));
    QVERIFY(text.contains(QLatin1String("Content-Security-Policy")));
    QVERIFY(!text.contains(QLatin1String("<script")));
}

void TestReport::htmlRendersInChromiumWithoutRunningTheData()
{
    const QString html = reportPath(QStringLiteral("hostile.html"));
    const Run run
        = report(m_hostileIncident, html, {QStringLiteral("--theme"), QStringLiteral("dark")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.output));
    QFile file(html);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(file.readAll());
    QVERIFY(text.contains(QLatin1String("&lt;script&gt;alert(1)&lt;/script&gt;")));
    QVERIFY(text.contains(QLatin1String("&lt;img src=x onerror=alert(3)&gt;")));
    QVERIFY(!text.contains(QLatin1String("<script")));
    QVERIFY(!text.contains(QLatin1String("<img src=x")));

    const QString chromium = QStandardPaths::findExecutable(QStringLiteral("chromium"));
    QVERIFY2(!chromium.isEmpty(), "chromium is missing (installer/install-deps.sh installs it)");
    const QString profile = m_dir.filePath(QStringLiteral("chromium-profile"));
    const QStringList common{QStringLiteral("--headless"), QStringLiteral("--no-sandbox"),
                             QStringLiteral("--disable-gpu"), QStringLiteral("--no-first-run"),
                             QStringLiteral("--user-data-dir=") + profile,
                             // Any request that did leave the file would go nowhere.
                             QStringLiteral("--host-resolver-rules=MAP * ~NOTFOUND"),
                             QStringLiteral("--proxy-server=127.0.0.1:9")};
    const QString url = QUrl::fromLocalFile(html).toString();
    // The DOM after loading: the hostile text is a text node, no element came of it.
    const QString dom = runTool(chromium, common + QStringList{QStringLiteral("--dump-dom"), url});
    QVERIFY2(dom.contains(QLatin1String("&lt;script&gt;alert(1)&lt;/script&gt;")),
             qPrintable(dom.left(300)));
    QVERIFY(!dom.contains(QLatin1String("<script")));
    QVERIFY(!dom.contains(QLatin1String("onerror=\"")));
    QVERIFY(!dom.contains(QLatin1String("<img src=\"x\"")));

    const QString shot = m_dir.filePath(QStringLiteral("hostile-html.png"));
    runTool(chromium,
            common
                + QStringList{QStringLiteral("--screenshot=") + shot,
                              QStringLiteral("--window-size=1100,1800"), url});
    const QImage picture(shot);
    QVERIFY2(!picture.isNull(), "chromium wrote no screenshot");
    const Ink ink = inkOf(picture);
    QVERIFY2(
        ink.colours > 50 && ink.inked > 0.02,
        qPrintable(
            QStringLiteral("blank page: %1 colours, %2 inked").arg(ink.colours).arg(ink.inked)));
    // The dark theme reached the page.
    QVERIFY(qGray(picture.pixel(5, 5)) < 80);
}

void TestReport::pdfHasVectorChartsOnPagesThatRender()
{
    const QString pdf = reportPath(QStringLiteral("incident.pdf"));
    const Run run = report(m_incident, pdf);
    QVERIFY2(run.exitCode == 0, qPrintable(run.output));
    const QString info = runTool(QStringLiteral("pdfinfo"), {pdf});
    const auto pages = QRegularExpression(QStringLiteral("Pages:\\s+(\\d+)")).match(info);
    QVERIFY2(pages.hasMatch(), qPrintable(info));
    QVERIFY(pages.captured(1).toInt() >= 2);
    QVERIFY2(info.contains(QLatin1String("(A4)")), qPrintable(info));
    // Charts are drawn as vectors: the PDF holds no picture at all.
    const QString images = runTool(QStringLiteral("pdfimages"), {QStringLiteral("-list"), pdf});
    QCOMPARE(images.split(QLatin1Char('\n'), Qt::SkipEmptyParts).size(), 2); // the header only
    const QString text = runTool(QStringLiteral("pdftotext"), {pdf, QStringLiteral("-")});
    // Long ids wrap in narrow columns at their hyphens, which pdftotext then drops: compare
    // without line breaks and hyphens.
    QString unwrapped = text;
    unwrapped.remove(QLatin1Char('\n')).remove(QLatin1Char('-'));
    QVERIFY2(unwrapped.contains(QString(m_trueCause).remove(QLatin1Char('-'))),
             qPrintable(m_trueCause));
    QVERIFY(text.contains(QLatin1String("Ranked causes")));
    QVERIFY(text.contains(QLatin1String("Events")));

    const QString prefix = m_dir.filePath(QStringLiteral("page"));
    int exitCode = -1;
    runTool(QStringLiteral("pdftoppm"),
            {QStringLiteral("-r"), QStringLiteral("60"), QStringLiteral("-png"), pdf, prefix},
            &exitCode);
    QCOMPARE(exitCode, 0);
    const QStringList rendered = QDir(m_dir.path()).entryList({QStringLiteral("page-*.png")});
    QCOMPARE(rendered.size(), pages.captured(1).toInt());
    for (const QString &name : rendered) {
        const Ink ink = inkOf(QImage(m_dir.filePath(name)));
        QVERIFY2(ink.colours > 20 && ink.inked > 0.01,
                 qPrintable(QStringLiteral("%1 looks blank").arg(name)));
    }
}

void TestReport::pdfPageSizeFollowsTheOption()
{
    const QString pdf = reportPath(QStringLiteral("letter.pdf"));
    const Run run = report(m_incident, pdf, {QStringLiteral("--page"), QStringLiteral("letter")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.output));
    const QString info = runTool(QStringLiteral("pdfinfo"), {pdf});
    QVERIFY2(info.contains(QLatin1String("612 x 792 pts")), qPrintable(info));
}

void TestReport::pngIsOnePictureOfTheRequestedSize()
{
    for (const QString &theme : {QStringLiteral("light"), QStringLiteral("dark")}) {
        const QString png = reportPath(QStringLiteral("incident-%1.png").arg(theme));
        const Run run = report(m_incident, png,
                               {QStringLiteral("--size"), QStringLiteral("1280x800"),
                                QStringLiteral("--theme"), theme});
        QVERIFY2(run.exitCode == 0, qPrintable(run.output));
        const QImage image(png);
        QCOMPARE(image.size(), QSize(1280, 800));
        const Ink ink = inkOf(image);
        QVERIFY2(ink.colours > 50 && ink.inked > 0.05,
                 qPrintable(QStringLiteral("%1: %2 colours, %3 inked")
                                .arg(theme)
                                .arg(ink.colours)
                                .arg(ink.inked)));
        const int background = qGray(image.pixel(2, 2));
        QVERIFY(theme == QLatin1String("dark") ? background < 80 : background > 180);
    }
}

void TestReport::hostileTextIsTextInThePdfToo()
{
    const QString pdf = reportPath(QStringLiteral("hostile.pdf"));
    const Run run = report(m_hostileIncident, pdf);
    QVERIFY2(run.exitCode == 0, qPrintable(run.output));
    const QString text = runTool(QStringLiteral("pdftotext"), {pdf, QStringLiteral("-")});
    QVERIFY2(text.contains(QLatin1String("<script>alert(1)</script>")), qPrintable(text.left(400)));
}

void TestReport::badRequestsSayWhatIsWrong()
{
    Run run = report(QStringLiteral("evt-no-such"), reportPath(QStringLiteral("x.pdf")));
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.output.contains(QLatin1String("evt-no-such")), qPrintable(run.output));
    QVERIFY(!QFile::exists(reportPath(QStringLiteral("x.pdf"))));

    run = report(m_incident, reportPath(QStringLiteral("x.txt")));
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.output.contains(QLatin1String(".pdf, .html or .png")), qPrintable(run.output));

    run = report(m_incident, reportPath(QStringLiteral("x.png")),
                 {QStringLiteral("--size"), QStringLiteral("big")});
    QCOMPARE(run.exitCode, 2);
    QVERIFY(run.output.contains(QLatin1String("--size")));

    run = runEventscope({QStringLiteral("report"), QStringLiteral("--db"),
                         reportPath(QStringLiteral("missing.capture")),
                         QStringLiteral("--incident"), m_incident, QStringLiteral("--out"),
                         reportPath(QStringLiteral("y.html"))});
    QCOMPARE(run.exitCode, 1);
    QVERIFY(run.output.contains(QLatin1String("missing.capture")));
    QVERIFY(!QFile::exists(reportPath(QStringLiteral("y.html"))));
}

void TestReport::criticalPathFollowsTheSpansTheTraceWaitedOn()
{
    // root 0..100 calls a (0..30) and b (20..90, in parallel with a); b calls c (25..40) and d
    // (45..85). Working back from the end: root waited on b from 20 to 90 and on a before
    // that (a's last 10 us overlap b, which ended later); b waited on d, then c.
    const auto span = [](const char *id, const char *parent, TimeUs start, TimeUs end) {
        Span s;
        s.traceId = "t";
        s.spanId = id;
        s.parentSpanId = parent;
        s.name = id;
        s.start = start;
        s.end = end;
        return s;
    };
    const std::vector<Span> spans{span("c", "b", 25, 40), span("root", "", 0, 100),
                                  span("a", "root", 0, 30), span("d", "b", 45, 85),
                                  span("b", "root", 20, 90)};
    const auto path = report::criticalPath(spans);
    QStringList names;
    QList<TimeUs> self;
    for (const auto &step : path) {
        names << QString::fromStdString(step.span.spanId);
        self << step.selfTime;
    }
    QCOMPARE(names,
             (QStringList{QStringLiteral("root"), QStringLiteral("a"), QStringLiteral("b"),
                          QStringLiteral("c"), QStringLiteral("d")}));
    // root: 100 minus b's 70 and a's 20 = 10; a: 0 to 20; b: 70 minus d's 40 and c's 15 = 15.
    QCOMPARE(self, (QList<TimeUs>{10, 20, 15, 15, 40}));
    QCOMPARE(path[0].depth, 0);
    QCOMPARE(path[2].depth, 1);
    QCOMPARE(path[4].depth, 2);

    // A span that names itself as parent, or a parent outside the set, is a root; no loops.
    const std::vector<Span> odd{span("x", "x", 0, 10), span("y", "missing", 2, 5)};
    QCOMPARE(report::criticalPath(odd).size(), std::size_t(1));
}

// The operator's notes saved with the capture's view (File > Save View) appear in the HTML and
// the PDF as text, after the summary.
void TestReport::notesSavedInTheCaptureArePrintedAsText()
{
    const QString capture = reportPath(QStringLiteral("with-notes.capture"));
    CopyOptions options;
    options.view = SavedView{};
    options.view->notes = "Rolled back deploy 42 at 06:12.\n\nRuled out: <b>DNS</b> & the "
                          "<script>alert(2)</script> cache.";
    options.view->state = "{}";
    const auto copied = copyCapture(m_capture.toStdString(), capture.toStdString(), options);
    QVERIFY2(copied, copied ? "" : copied.error().c_str());
    const auto reportOf = [&](const QString &out) {
        return runEventscope({QStringLiteral("report"), QStringLiteral("--db"), capture,
                              QStringLiteral("--incident"), m_incident, QStringLiteral("--out"),
                              out});
    };
    const QString html = reportPath(QStringLiteral("notes.html"));
    Run run = reportOf(html);
    QVERIFY2(run.exitCode == 0, qPrintable(run.output));
    QFile file(html);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(file.readAll());
    const qsizetype notes = text.indexOf(QStringLiteral("Operator's notes"));
    QVERIFY2(notes > 0, "no notes section");
    QVERIFY(text.indexOf(QStringLiteral("Rolled back deploy 42 at 06:12.")) > notes);
    QVERIFY(text.contains(QStringLiteral("Ruled out: &lt;b&gt;DNS&lt;/b&gt; &amp; the "
                                         "&lt;script&gt;alert(2)&lt;/script&gt; cache.")));

    const QString pdf = reportPath(QStringLiteral("notes.pdf"));
    run = reportOf(pdf);
    QVERIFY2(run.exitCode == 0, qPrintable(run.output));
    const QString pdfText = runTool(QStringLiteral("pdftotext"), {pdf, QStringLiteral("-")});
    QVERIFY2(pdfText.contains(QLatin1String("Operator's notes")), qPrintable(pdfText.left(600)));
    QVERIFY(
        pdfText.contains(QLatin1String("Ruled out: <b>DNS</b> & the <script>alert(2)</script>")));
}

QTEST_GUILESS_MAIN(TestReport)
#include "tst_report.moc"
