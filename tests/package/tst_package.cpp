// The .deb as an operator meets it: cpack builds it from this tree; its metadata passes
// lintian, desktop-file-validate and appstreamcli; the capture file type is recognised by
// content; then it is installed with apt-get, the installed eventscope runs headless and
// renders a screenshot without a display, and removing it leaves no file behind.

#include <QDir>
#include <QFile>
#include <QImage>
#include <QMimeDatabase>
#include <QProcess>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

Run run(const QString &program, const QStringList &arguments,
        const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment(),
        int timeoutMs = 300'000)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(program, arguments);
    if (!process.waitForStarted())
        return {-1, {}, program + QStringLiteral(": cannot start (is it installed?)")};
    process.closeWriteChannel();
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        return {-1, {}, program + QStringLiteral(" did not finish")};
    }
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromUtf8(process.readAllStandardOutput()),
            QString::fromUtf8(process.readAllStandardError())};
}

QString describe(const Run &r)
{
    return QStringLiteral("exit %1\n%2\n%3").arg(r.exitCode).arg(r.out, r.err);
}

// An environment with no display and no platform chosen: what a server or a CI job has.
QProcessEnvironment headless()
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
        environment.remove(QString::fromLatin1(name));
    return environment;
}

} // namespace

class TestPackage : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_package;
    QString m_extracted;

    QString path(const QString &name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // Where this process's QMimeDatabase looks first once it is used (it loads lazily):
        // the package's MIME type goes there in captureFileTypeIsRecognisedByContent. Qt 6.4
        // reads it from the XML, not the binary mime.cache: with one cache per folder, the
        // last folder's magic match (here the system's plain SQLite rule) replaces a match of
        // higher priority from an earlier one. Installed, update-mime-database merges the rules
        // into one cache ordered by priority, as the XML reader does here.
        qputenv("XDG_DATA_HOME", path(QStringLiteral("share")).toLocal8Bit());
        qputenv("QT_NO_MIME_CACHE", "1");
        const Run packed
            = run(QStringLiteral(EVENTSCOPE_CPACK),
                  {QStringLiteral("-G"), QStringLiteral("DEB"), QStringLiteral("-B"), m_dir.path(),
                   QStringLiteral("--config"), QStringLiteral(EVENTSCOPE_CPACK_CONFIG)});
        QVERIFY2(packed.exitCode == 0, qPrintable(describe(packed)));
        m_package = path(QStringLiteral("eventscope_%1_amd64.deb")
                             .arg(QStringLiteral(EVENTSCOPE_PACKAGE_VERSION)));
        QVERIFY2(QFile::exists(m_package),
                 qPrintable(m_package + QStringLiteral(" missing\n") + describe(packed)));
        m_extracted = path(QStringLiteral("extracted"));
        const Run extracted
            = run(QStringLiteral("dpkg-deb"), {QStringLiteral("-x"), m_package, m_extracted});
        QVERIFY2(extracted.exitCode == 0, qPrintable(describe(extracted)));
    }

    void installsWhatADesktopNeeds()
    {
        for (const char *file :
             {"usr/bin/eventscope", "usr/share/applications/org.eventscope.EventScope.desktop",
              "usr/share/metainfo/org.eventscope.EventScope.metainfo.xml",
              "usr/share/mime/packages/eventscope.xml",
              "usr/share/icons/hicolor/scalable/apps/eventscope.svg",
              "usr/share/icons/hicolor/16x16/apps/eventscope.png",
              "usr/share/icons/hicolor/48x48/apps/eventscope.png",
              "usr/share/icons/hicolor/256x256/apps/eventscope.png",
              "usr/share/man/man1/eventscope.1.gz", "usr/share/doc/eventscope/copyright",
              "usr/share/doc/eventscope/changelog.gz"})
            QVERIFY2(QFile::exists(m_extracted + QLatin1Char('/') + QLatin1String(file)), file);
        const QImage icon(m_extracted
                          + QStringLiteral("/usr/share/icons/hicolor/48x48/apps/eventscope.png"));
        QCOMPARE(icon.size(), QSize(48, 48));
        QVERIFY(icon.pixelColor(24, 24).alpha() > 0); // drawn, not an empty canvas

        // Depends is computed from what the binary links.
        const Run depends = run(QStringLiteral("dpkg-deb"),
                                {QStringLiteral("-f"), m_package, QStringLiteral("Depends")});
        QCOMPARE(depends.exitCode, 0);
        for (const char *library : {"libqt6widgets6", "libqcustomplot2.1-qt6", "librdkafka1",
                                    "libsqlite3-0", "libspdlog", "libqt6keychain1", "libjemalloc2"})
            QVERIFY2(depends.out.contains(QLatin1String(library)), qPrintable(depends.out));
        // The man page is the commands' help.
        const Run man = run(
            QStringLiteral("sh"),
            {QStringLiteral("-c"),
             QStringLiteral("zcat '%1/usr/share/man/man1/eventscope.1.gz'").arg(m_extracted)});
        QCOMPARE(man.exitCode, 0);
        for (const char *section : {".SH SYNOPSIS", ".SS \\fBimport\\fR", ".SS \\fBanalyze\\fR",
                                    ".SS \\fBreport\\fR", "\\-\\-bootstrap"})
            QVERIFY2(man.out.contains(QLatin1String(section)), section);
    }

    void metadataPassesTheDebianChecks()
    {
        const Run lintian = run(QStringLiteral("lintian"),
                                {QStringLiteral("--fail-on"), QStringLiteral("error"), m_package});
        QVERIFY2(lintian.exitCode == 0, qPrintable(describe(lintian)));
        QVERIFY2(!lintian.out.contains(QLatin1String("E: ")), qPrintable(lintian.out));
        const Run desktop
            = run(QStringLiteral("desktop-file-validate"),
                  {m_extracted
                   + QStringLiteral("/usr/share/applications/org.eventscope.EventScope.desktop")});
        QVERIFY2(desktop.exitCode == 0 && desktop.out.trimmed().isEmpty(),
                 qPrintable(describe(desktop)));
        const Run appstream = run(
            QStringLiteral("appstreamcli"),
            {QStringLiteral("validate"), QStringLiteral("--no-net"),
             m_extracted
                 + QStringLiteral("/usr/share/metainfo/org.eventscope.EventScope.metainfo.xml")});
        QVERIFY2(appstream.exitCode == 0, qPrintable(describe(appstream)));
    }

    // The file type, as a file manager sees it: a capture by its content (the SQLite header
    // and EventScope's application id), whatever its name; another SQLite file is not one.
    void captureFileTypeIsRecognisedByContent()
    {
        const QString share = path(QStringLiteral("share"));
        QVERIFY(QDir().mkpath(share + QStringLiteral("/mime/packages")));
        QVERIFY(QFile::copy(m_extracted + QStringLiteral("/usr/share/mime/packages/eventscope.xml"),
                            share + QStringLiteral("/mime/packages/eventscope.xml")));
        const Run updated
            = run(QStringLiteral("update-mime-database"), {share + QStringLiteral("/mime")});
        QVERIFY2(updated.exitCode == 0, qPrintable(describe(updated)));

        const QString capture = path(QStringLiteral("named-anyhow.dat"));
        const Run imported = run(QStringLiteral(EVENTSCOPE_BINARY),
                                 {QStringLiteral("import"), QStringLiteral("--db"), capture,
                                  QStringLiteral("/dev/null")},
                                 headless());
        QVERIFY2(imported.exitCode == 0, qPrintable(describe(imported)));
        const QString other = path(QStringLiteral("other.dat"));
        const Run sqlite
            = run(QStringLiteral("sqlite3"),
                  {other, QStringLiteral("CREATE TABLE t(x); INSERT INTO t VALUES(1);")});
        QVERIFY2(sqlite.exitCode == 0, qPrintable(describe(sqlite)));

        QMimeDatabase database;
        QCOMPARE(database.mimeTypeForFile(capture, QMimeDatabase::MatchContent).name(),
                 QStringLiteral("application/x-eventscope-capture"));
        QVERIFY(database.mimeTypeForFile(other, QMimeDatabase::MatchContent).name()
                != QStringLiteral("application/x-eventscope-capture"));
        QCOMPARE(database
                     .mimeTypeForFile(path(QStringLiteral("empty.capture")),
                                      QMimeDatabase::MatchExtension)
                     .name(),
                 QStringLiteral("application/x-eventscope-capture"));
    }

    void installsRunsAndRemovesCleanly()
    {
        QStringList asRoot;
        if (::geteuid() != 0) {
            if (run(QStringLiteral("sudo"), {QStringLiteral("-n"), QStringLiteral("true")}).exitCode
                != 0)
                QSKIP("installing needs root or password-less sudo");
            asRoot = {QStringLiteral("sudo"), QStringLiteral("-n")};
        }
        const auto asAdmin = [&asRoot](QStringList command) {
            const QStringList full = asRoot + command;
            QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
            environment.insert(QStringLiteral("DEBIAN_FRONTEND"), QStringLiteral("noninteractive"));
            return run(full.first(), full.mid(1), environment);
        };
        if (run(QStringLiteral("dpkg-query"), {QStringLiteral("-W"), QStringLiteral("eventscope")})
                .exitCode
            == 0)
            QSKIP("an eventscope package is already installed here; the test does not replace it");

        const Run installed = asAdmin({QStringLiteral("apt-get"), QStringLiteral("install"),
                                       QStringLiteral("-y"), QStringLiteral("-qq"), m_package});
        QVERIFY2(installed.exitCode == 0, qPrintable(describe(installed)));
        const Run listed
            = run(QStringLiteral("dpkg"), {QStringLiteral("-L"), QStringLiteral("eventscope")});
        QStringList files;
        for (const QString &line : listed.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            if (QFileInfo(line).isFile())
                files << line;
        }
        const auto removePackage = qScopeGuard([&asAdmin] {
            asAdmin({QStringLiteral("apt-get"), QStringLiteral("remove"), QStringLiteral("--purge"),
                     QStringLiteral("-y"), QStringLiteral("-qq"), QStringLiteral("eventscope")});
        });
        QVERIFY(files.contains(QStringLiteral("/usr/bin/eventscope")));

        const QString installedBinary = QStringLiteral("/usr/bin/eventscope");
        const Run version = run(installedBinary, {QStringLiteral("--version")}, headless());
        QCOMPARE(version.out.trimmed(),
                 QStringLiteral("eventscope %1").arg(QStringLiteral(EVENTSCOPE_PACKAGE_VERSION)));

        // A small capture, analysed headless and shown without a display.
        const QString capture = path(QStringLiteral("installed.capture"));
        QFile lines(path(QStringLiteral("installed.ndjson")));
        QVERIFY(lines.open(QIODevice::WriteOnly));
        for (int i = 0; i < 120; ++i)
            lines.write(QStringLiteral("{\"time\":%1,\"name\":\"latency_p99_ms\","
                                       "\"labels\":{\"service\":\"checkout\"},\"value\":%2}\n")
                            .arg(1764000000 + i * 15)
                            .arg(i > 80 ? 400 : 20 + i % 5)
                            .toUtf8());
        lines.write(
            R"({"id":"deploy-1","time":1764001150,"type":"deployment.rollout","service":"checkout"}
{"id":"crash-1","time":1764001300,"type":"failure.crash","service":"checkout"}
)");
        lines.close();
        const Run imported
            = run(installedBinary,
                  {QStringLiteral("import"), QStringLiteral("--db"), capture, lines.fileName()},
                  headless());
        QVERIFY2(imported.exitCode == 0, qPrintable(describe(imported)));
        const Run analyzed = run(installedBinary,
                                 {QStringLiteral("analyze"), QStringLiteral("--db"), capture,
                                  QStringLiteral("--incident"), QStringLiteral("crash-1"),
                                  QStringLiteral("--json")},
                                 headless());
        QVERIFY2(analyzed.exitCode == 0 && analyzed.out.contains(QLatin1String("\"crash-1\"")),
                 qPrintable(describe(analyzed)));
        // The installed headless report, with no display; it names the version that made it.
        const QString pdf = path(QStringLiteral("installed-report.pdf"));
        const Run reported = run(installedBinary,
                                 {QStringLiteral("report"), QStringLiteral("--db"), capture,
                                  QStringLiteral("--incident"), QStringLiteral("crash-1"),
                                  QStringLiteral("--out"), pdf},
                                 headless());
        QVERIFY2(reported.exitCode == 0, qPrintable(describe(reported)));
        const Run pdfText = run(QStringLiteral("pdftotext"), {pdf, QStringLiteral("-")});
        QVERIFY2(pdfText.out.contains(QLatin1String("crash-1"))
                     && pdfText.out.contains(QStringLiteral("EventScope %1")
                                                 .arg(QStringLiteral(EVENTSCOPE_PACKAGE_VERSION))),
                 qPrintable(describe(pdfText)));
        const QString png = path(QStringLiteral("installed.png"));
        QProcessEnvironment screenshotEnvironment = headless();
        screenshotEnvironment.insert(QStringLiteral("XDG_CONFIG_HOME"),
                                     path(QStringLiteral("config")));
        const Run shot
            = run(installedBinary,
                  {capture, QStringLiteral("--screenshot"), png, QStringLiteral("--size"),
                   QStringLiteral("900x600"), QStringLiteral("--after"), QStringLiteral("0.3")},
                  screenshotEnvironment);
        QVERIFY2(shot.exitCode == 0, qPrintable(describe(shot)));
        QCOMPARE(QImage(png).size(), QSize(900, 600));
        const Run desktop
            = run(QStringLiteral("desktop-file-validate"),
                  {QStringLiteral("/usr/share/applications/org.eventscope.EventScope.desktop")});
        QVERIFY2(desktop.exitCode == 0, qPrintable(describe(desktop)));

        const Run removed = asAdmin({QStringLiteral("apt-get"), QStringLiteral("remove"),
                                     QStringLiteral("--purge"), QStringLiteral("-y"),
                                     QStringLiteral("-qq"), QStringLiteral("eventscope")});
        QVERIFY2(removed.exitCode == 0, qPrintable(describe(removed)));
        for (const QString &file : files)
            QVERIFY2(!QFileInfo::exists(file), qPrintable(file + QStringLiteral(" left behind")));
        const Run status = run(
            QStringLiteral("dpkg-query"),
            {QStringLiteral("-W"), QStringLiteral("-f=${Status}"), QStringLiteral("eventscope")});
        QVERIFY2(!status.out.contains(QLatin1String("install ok")), qPrintable(status.out));
    }
};

QTEST_GUILESS_MAIN(TestPackage)
#include "tst_package.moc"
