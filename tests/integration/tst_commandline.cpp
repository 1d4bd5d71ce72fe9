// The command line contract of CLI.md, run as a user would: exit codes, one-line errors naming
// the argument, summaries, stdin and stdout, and the GUI's --screenshot.

#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <thread>

#include <pty.h>
#include <unistd.h>

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

Run run(const QStringList &arguments, const QByteArray &input = {}, int timeoutMs = 60'000)
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    static QTemporaryDir runtimeDir; // Qt warns on stderr without one
    environment.insert(QStringLiteral("XDG_RUNTIME_DIR"), runtimeDir.path());
    static QTemporaryDir configDir; // the operator's settings: never the real ones
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), configDir.path());
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(EVENTSCOPE_BINARY), arguments);
    if (!process.waitForStarted())
        qFatal("cannot start %s", EVENTSCOPE_BINARY);
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(timeoutMs))
        qFatal("eventscope %s did not finish", qPrintable(arguments.join(QLatin1Char(' '))));
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromUtf8(process.readAllStandardOutput()),
            QString::fromUtf8(process.readAllStandardError())};
}

const QByteArray kLines
    = R"({"id":"evt-1","time":"2026-11-24T10:00:00Z","type":"failure.crash","service":"payments"}
{"time":"2026-11-24T10:00:00Z","name":"cpu","labels":{"service":"payments"},"value":0.5}
{"time":"2026-11-24T10:00:01Z","service":"payments","level":"error","message":"boom"}
not json at all
)";

} // namespace

class TestCommandLine : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void printsItsVersion()
    {
        const Run r = run({QStringLiteral("--version")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out.trimmed(), QStringLiteral("eventscope " EVENTSCOPE_VERSION));
    }

    void badArgumentsExitTwoNamingTheArgument_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("named");
        QTest::newRow("import without --db")
            << QStringList{QStringLiteral("import"), QStringLiteral("x.ndjson")} << "--db";
        QTest::newRow("import without paths")
            << QStringList{QStringLiteral("import"), QStringLiteral("--db"),
                           QStringLiteral("x.capture")}
            << "PATH";
        QTest::newRow("unknown option")
            << QStringList{QStringLiteral("import"), QStringLiteral("--bogus")} << "bogus";
        QTest::newRow("export without --out")
            << QStringList{QStringLiteral("export"), QStringLiteral("--db"), QStringLiteral("x")}
            << "--out";
        QTest::newRow("export bad kind")
            << QStringList{QStringLiteral("export"),      QStringLiteral("--db"),
                           QStringLiteral("x"),           QStringLiteral("--out"),
                           QStringLiteral("y"),           QStringLiteral("--kind"),
                           QStringLiteral("events,bogus")}
            << "--kind: 'bogus'";
        QTest::newRow("export bad time") << QStringList{
            QStringLiteral("export"), QStringLiteral("--db"), QStringLiteral("x"),
            QStringLiteral("--out"),  QStringLiteral("y"),    QStringLiteral("--from"),
            QStringLiteral("noon")} << "--from: 'noon'";
        QTest::newRow("bad log level")
            << QStringList{QStringLiteral("import"),      QStringLiteral("--db"),
                           QStringLiteral("x"),           QStringLiteral("y"),
                           QStringLiteral("--log-level"), QStringLiteral("loud")}
            << "--log-level";
        QTest::newRow("unknown command")
            << QStringList{QStringLiteral("frobnicate")} << "unknown command 'frobnicate'";
        QTest::newRow("simulate without a destination")
            << QStringList{QStringLiteral("simulate")} << "--bootstrap or --out";
        QTest::newRow("simulate bad scenario")
            << QStringList{QStringLiteral("simulate"), QStringLiteral("--out"), QStringLiteral("-"),
                           QStringLiteral("--scenario"), QStringLiteral("scaling,outage")}
            << "--scenario: unknown scenario 'outage'";
        QTest::newRow("simulate bad speed")
            << QStringList{QStringLiteral("simulate"), QStringLiteral("--out"), QStringLiteral("-"),
                           QStringLiteral("--speed"), QStringLiteral("0")}
            << "--speed: '0'";
        QTest::newRow("simulate endless at max speed")
            << QStringList{QStringLiteral("simulate"), QStringLiteral("--out"), QStringLiteral("-"),
                           QStringLiteral("--duration"), QStringLiteral("0")}
            << "--duration 0";
        QTest::newRow("analyze without --db")
            << QStringList{QStringLiteral("analyze"), QStringLiteral("--all")} << "--db";
        QTest::newRow("analyze both selections")
            << QStringList{QStringLiteral("analyze"),    QStringLiteral("--db"),
                           QStringLiteral("x"),          QStringLiteral("--all"),
                           QStringLiteral("--incident"), QStringLiteral("e")}
            << "either --incident ID or --all";
        QTest::newRow("analyze bad window")
            << QStringList{QStringLiteral("analyze"),  QStringLiteral("--db"),
                           QStringLiteral("x"),        QStringLiteral("--all"),
                           QStringLiteral("--window"), QStringLiteral("-5")}
            << "--window: '-5'";
        QTest::newRow("impact without --metric")
            << QStringList{QStringLiteral("impact"), QStringLiteral("--db"), QStringLiteral("x"),
                           QStringLiteral("--event-type"), QStringLiteral("t")}
            << "--metric";
        QTest::newRow("impact bad labels")
            << QStringList{QStringLiteral("impact"), QStringLiteral("--db"),
                           QStringLiteral("x"),      QStringLiteral("--event-type"),
                           QStringLiteral("t"),      QStringLiteral("--metric"),
                           QStringLiteral("m"),      QStringLiteral("--labels"),
                           QStringLiteral("service")}
            << "--labels: 'service'";
        QTest::newRow("alerts without --db") << QStringList{QStringLiteral("alerts")} << "--db";
        QTest::newRow("alerts bad time")
            << QStringList{QStringLiteral("alerts"), QStringLiteral("--db"), QStringLiteral("x"),
                           QStringLiteral("--from"), QStringLiteral("soon")}
            << "--from: 'soon'";
        for (const char *age : {"soon", "10", "-5m", "0h"})
            QTest::newRow(qPrintable(QStringLiteral("ingest bad retention age %1").arg(age)))
                << QStringList{QStringLiteral("ingest"),
                               QStringLiteral("--bootstrap"),
                               QStringLiteral("127.0.0.1:9"),
                               QStringLiteral("--db"),
                               QStringLiteral("x"),
                               QStringLiteral("--retention-age"),
                               QLatin1String(age)}
                << QStringLiteral("--retention-age: '%1'").arg(QLatin1String(age));
        for (const char *size : {"huge", "10K", "-1G"})
            QTest::newRow(qPrintable(QStringLiteral("ingest bad retention size %1").arg(size)))
                << QStringList{QStringLiteral("ingest"),
                               QStringLiteral("--bootstrap"),
                               QStringLiteral("127.0.0.1:9"),
                               QStringLiteral("--db"),
                               QStringLiteral("x"),
                               QStringLiteral("--retention-size"),
                               QLatin1String(size)}
                << QStringLiteral("--retention-size: '%1'").arg(QLatin1String(size));
        QTest::newRow("gui bad size")
            << QStringList{QStringLiteral("--size"), QStringLiteral("big")} << "--size";
    }
    void badArgumentsExitTwoNamingTheArgument()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, named);
        const Run r = run(arguments);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(named), qPrintable(r.err));
        QCOMPARE(r.err.trimmed().count(QLatin1Char('\n')), 0);
    }

    void runtimeFailuresExitOneWithTheCause()
    {
        QFile garbage(path(QStringLiteral("garbage.capture")));
        QVERIFY(garbage.open(QIODevice::WriteOnly));
        garbage.write(QByteArray(5000, 'z'));
        garbage.close();
        const Run r = run({QStringLiteral("export"), QStringLiteral("--db"), garbage.fileName(),
                           QStringLiteral("--out"), path(QStringLiteral("o.ndjson"))});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("not an EventScope capture")), qPrintable(r.err));
        QVERIFY(!QFile::exists(path(QStringLiteral("o.ndjson"))));

        const Run missing
            = run({QStringLiteral("import"), QStringLiteral("--db"),
                   path(QStringLiteral("m.capture")), path(QStringLiteral("nope.ndjson"))});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY2(missing.err.contains(QStringLiteral("nope.ndjson: cannot open")),
                 qPrintable(missing.err));
    }

    // Export shows its progress on a terminal and keeps a pipe (or a log file) to the summary.
    void exportShowsProgressOnATerminalOnly()
    {
        const QString capture = path(QStringLiteral("progress.capture"));
        QByteArray lines;
        for (int i = 0; i < 20'000; ++i)
            lines += QStringLiteral(R"({"time":%1,"name":"cpu","labels":{"pod":"p%2"},"value":%3})"
                                    "\n")
                         .arg(1'764'000'000'000'000LL + i * 1'000'000LL)
                         .arg(i % 7)
                         .arg(i % 100)
                         .toUtf8();
        QCOMPARE(
            run({QStringLiteral("import"), QStringLiteral("--db"), capture, QStringLiteral("-")},
                lines)
                .exitCode,
            0);
        const QStringList arguments{QStringLiteral("export"),
                                    QStringLiteral("--db"),
                                    capture,
                                    QStringLiteral("--out"),
                                    path(QStringLiteral("progress.csv")),
                                    QStringLiteral("--format"),
                                    QStringLiteral("csv")};

        // stderr on a pseudo-terminal, as in an operator's shell.
        int master = -1;
        int terminal = -1;
        QVERIFY(::openpty(&master, &terminal, nullptr, nullptr, nullptr) == 0);
        QProcess process;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        process.setProcessEnvironment(environment);
        process.setChildProcessModifier([terminal] { ::dup2(terminal, STDERR_FILENO); });
        process.start(QStringLiteral(EVENTSCOPE_BINARY), arguments);
        ::close(terminal); // the child has its own: reading ends when the child exits
        // Read while it runs: a terminal holds little, and a full one would block the child.
        QByteArray shown;
        std::thread reader([master, &shown] {
            char buffer[4096];
            for (ssize_t got; (got = ::read(master, buffer, sizeof buffer)) > 0;)
                shown.append(buffer, got);
        });
        const bool finished = process.waitForFinished(60'000);
        if (!finished)
            process.kill();
        process.waitForFinished();
        reader.join();
        QVERIFY(finished);
        ::close(master);
        QCOMPARE(process.exitCode(), 0);
        QVERIFY2(shown.contains("exporting"), shown.constData());
        QVERIFY2(shown.contains("records written (100%)"), shown.constData());
        QVERIFY2(shown.contains("\r\033[K"), shown.constData()); // the line is cleared after
        QVERIFY(QString::fromUtf8(process.readAllStandardOutput())
                    .contains(QStringLiteral("exported 0 events, 20000 samples")));

        // A pipe: the summary alone.
        const Run piped = run(arguments);
        QCOMPARE(piped.exitCode, 0);
        QVERIFY2(!piped.err.contains(QStringLiteral("exporting")), qPrintable(piped.err));
        QVERIFY2(piped.out.contains(QStringLiteral("exported 0 events, 20000 samples")),
                 qPrintable(piped.out));
    }

    void importsFromStdinAndExportsToStdout()
    {
        const QString capture = path(QStringLiteral("stdin.capture"));
        const Run imported
            = run({QStringLiteral("import"), QStringLiteral("--db"), capture, QStringLiteral("-")},
                  kLines);
        QCOMPARE(imported.exitCode, 0);
        QVERIFY2(imported.out.contains(QStringLiteral("imported 4 lines into")),
                 qPrintable(imported.out));
        QVERIFY2(imported.out.contains(
                     QStringLiteral("1 events, 1 samples, 1 logs, 0 spans, 1 dead letters")),
                 qPrintable(imported.out));
        QVERIFY2(imported.out.contains(
                     QStringLiteral("stdin:4: not JSON and no other supported format")),
                 qPrintable(imported.out));

        const Run exported = run({QStringLiteral("export"), QStringLiteral("--db"), capture,
                                  QStringLiteral("--out"), QStringLiteral("-")});
        QCOMPARE(exported.exitCode, 0);
        const QStringList lines = exported.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 3);
        QVERIFY(lines[0].startsWith(QStringLiteral(
            R"({"id":"evt-1","time":"2026-11-24T10:00:00Z","type":"failure.crash")")));
        QVERIFY2(exported.err.contains(
                     QStringLiteral("exported 1 events, 1 samples, 1 logs, 0 spans to stdout")),
                 qPrintable(exported.err));

        const Run kinds = run({QStringLiteral("export"), QStringLiteral("--db"), capture,
                               QStringLiteral("--out"), path(QStringLiteral("logs.ndjson")),
                               QStringLiteral("--kind"), QStringLiteral("logs")});
        QCOMPARE(kinds.exitCode, 0);
        QFile logs(path(QStringLiteral("logs.ndjson")));
        QVERIFY(logs.open(QIODevice::ReadOnly));
        QCOMPARE(logs.readAll().count('\n'), 1);
    }

    // NDJSON mode: deterministic for a seed and start, importable without a dead letter, and
    // the truth names failures the capture holds.
    void simulatesToAFileWithItsTruth()
    {
        const QStringList options = {QStringLiteral("simulate"),
                                     QStringLiteral("--seed"),
                                     QStringLiteral("4"),
                                     QStringLiteral("--duration"),
                                     QStringLiteral("3000"),
                                     QStringLiteral("--rate"),
                                     QStringLiteral("0.5"),
                                     QStringLiteral("--start"),
                                     QStringLiteral("2026-11-24T10:00:00Z")};
        const QString first = path(QStringLiteral("sim1.ndjson"));
        const QString truth = path(QStringLiteral("truth.json"));
        const Run a
            = run(options
                  + QStringList{QStringLiteral("--out"), first, QStringLiteral("--truth"), truth});
        QVERIFY2(a.exitCode == 0, qPrintable(a.err));
        const Run b = run(options + QStringList{QStringLiteral("--out"), QStringLiteral("-")});
        QCOMPARE(b.exitCode, 0);
        QFile file(first);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), b.out.toUtf8());

        const QString capture = path(QStringLiteral("sim.capture"));
        const Run imported
            = run({QStringLiteral("import"), QStringLiteral("--db"), capture, first});
        QCOMPARE(imported.exitCode, 0);
        QVERIFY2(imported.out.contains(QStringLiteral(" 0 dead letters")),
                 qPrintable(imported.out));

        QFile truthFile(truth);
        QVERIFY(truthFile.open(QIODevice::ReadOnly));
        const QJsonObject root = QJsonDocument::fromJson(truthFile.readAll()).object();
        QCOMPARE(root.value(QStringLiteral("seed")).toInt(), 4);
        const QJsonArray incidents = root.value(QStringLiteral("incidents")).toArray();
        QVERIFY(!incidents.isEmpty());
        const Run events = run({QStringLiteral("export"), QStringLiteral("--db"), capture,
                                QStringLiteral("--out"), QStringLiteral("-"),
                                QStringLiteral("--kind"), QStringLiteral("events")});
        QCOMPARE(events.exitCode, 0);
        for (const QJsonValue &incident : incidents) {
            const QString id = incident.toObject().value(QStringLiteral("incident")).toString();
            QVERIFY2(events.out.contains(QStringLiteral("\"id\":\"%1\"").arg(id)), qPrintable(id));
            QVERIFY(incident.toObject().contains(QStringLiteral("cause")));
            QVERIFY(incident.toObject().contains(QStringLiteral("kind")));
        }

        // analyze --all: CLI.md's shape, one entry per failure, scores in [0, 1], best first.
        const Run analyzed = run({QStringLiteral("analyze"), QStringLiteral("--db"), capture,
                                  QStringLiteral("--all"), QStringLiteral("--json")});
        QVERIFY2(analyzed.exitCode == 0, qPrintable(analyzed.err));
        const QJsonArray analyses = QJsonDocument::fromJson(analyzed.out.toUtf8())
                                        .object()
                                        .value(QStringLiteral("incidents"))
                                        .toArray();
        QCOMPARE(analyses.size(), incidents.size());
        for (const QJsonValue &value : analyses) {
            const QJsonObject analysis = value.toObject();
            for (const char *field : {"id", "type", "time", "service", "entity", "causes",
                                      "suspects", "anomalies", "recovery", "ttr_seconds"})
                QVERIFY2(analysis.contains(QLatin1String(field)), field);
            double previous = 1.0;
            for (const QJsonValue &cause : analysis.value(QStringLiteral("causes")).toArray()) {
                const double score = cause.toObject().value(QStringLiteral("score")).toDouble();
                QVERIFY(score >= 0 && score <= previous);
                previous = score;
                QVERIFY(!cause.toObject().value(QStringLiteral("evidence")).toArray().isEmpty());
            }
            QVERIFY(!analysis.value(QStringLiteral("suspects")).toArray().isEmpty());
            // The answer about causes: the first cause when it is sure enough, else null (no
            // change event explains it), with a confidence.
            const QJsonObject answer = analysis.value(QStringLiteral("cause_answer")).toObject();
            const double confidence = answer.value(QStringLiteral("confidence")).toDouble(-1);
            QVERIFY(confidence >= 0 && confidence <= 1);
            const QJsonValue answered = answer.value(QStringLiteral("cause"));
            QVERIFY(answered.isNull() || answered.isString());
            if (answered.isString())
                QCOMPARE(answered.toString(),
                         analysis.value(QStringLiteral("causes"))
                             .toArray()
                             .first()
                             .toObject()
                             .value(QStringLiteral("id"))
                             .toString());
        }
        const QString failure = analyses.first().toObject().value(QStringLiteral("id")).toString();
        const Run one = run({QStringLiteral("analyze"), QStringLiteral("--db"), capture,
                             QStringLiteral("--incident"), failure});
        QCOMPARE(one.exitCode, 0);
        QVERIFY2(one.out.startsWith(failure) && one.out.contains(QStringLiteral("suspect 1"))
                     && one.out.contains(QStringLiteral("  answer: ")),
                 qPrintable(one.out));
        const Run impact = run({QStringLiteral("impact"), QStringLiteral("--db"), capture,
                                QStringLiteral("--event-type"),
                                QStringLiteral("config.feature_flag"), QStringLiteral("--metric"),
                                QStringLiteral("latency_p99_ms"), QStringLiteral("--json")});
        QVERIFY2(impact.exitCode == 0, qPrintable(impact.err));
        const QJsonObject effect = QJsonDocument::fromJson(impact.out.toUtf8()).object();
        QVERIFY(effect.value(QStringLiteral("occurrences")).toInt() > 0);
        for (const char *field : {"median_relative_change", "spread", "p_value", "significant",
                                  "per_occurrence", "epoch"})
            QVERIFY2(effect.contains(QLatin1String(field)), field);

        // Alert rules: evaluated, stored once, kept in the capture for the next run, and in the
        // operator's settings for captures that have none.
        const QString other = path(QStringLiteral("no-rules.capture"));
        QVERIFY(QFile::copy(capture, other));
        const Run noRules = run({QStringLiteral("alerts"), QStringLiteral("--db"), other});
        QCOMPARE(noRules.exitCode, 2);
        QVERIFY2(noRules.err.contains(QStringLiteral("settings")), qPrintable(noRules.err));
        QFile rules(path(QStringLiteral("rules.json")));
        QVERIFY(rules.open(QIODevice::WriteOnly));
        rules.write(R"({"rules":[{"name":"latency-anomaly","kind":"anomaly",
            "metric":"latency_p99_ms","sigma":10,"for_seconds":60},
            {"name":"failures","kind":"event_rate","category":"failure","count":1}]})");
        rules.close();
        const QStringList alerts = {QStringLiteral("alerts"), QStringLiteral("--db"), capture,
                                    QStringLiteral("--store"), QStringLiteral("--json")};
        const Run stored = run(alerts
                               + QStringList{QStringLiteral("--rules"), rules.fileName(),
                                             QStringLiteral("--save-rules")});
        QVERIFY2(stored.exitCode == 0, qPrintable(stored.err));
        const QJsonObject firstRun = QJsonDocument::fromJson(stored.out.toUtf8()).object();
        QVERIFY(firstRun.value(QStringLiteral("stored")).toInt() >= incidents.size());
        QCOMPARE(firstRun.value(QStringLiteral("rules_from")).toString(), QStringLiteral("file"));
        const Run fromSettings = run(
            {QStringLiteral("alerts"), QStringLiteral("--db"), other, QStringLiteral("--json")});
        QVERIFY2(fromSettings.exitCode == 0, qPrintable(fromSettings.err));
        const QJsonObject settingsRun = QJsonDocument::fromJson(fromSettings.out.toUtf8()).object();
        QCOMPARE(settingsRun.value(QStringLiteral("rules_from")).toString(),
                 QStringLiteral("settings"));
        QCOMPARE(settingsRun.value(QStringLiteral("alerts")).toArray().size(),
                 firstRun.value(QStringLiteral("alerts")).toArray().size());
        const Run again = run(alerts); // the rules now come from the capture
        QVERIFY2(again.exitCode == 0, qPrintable(again.err));
        const QJsonObject secondRun = QJsonDocument::fromJson(again.out.toUtf8()).object();
        QCOMPARE(secondRun.value(QStringLiteral("alerts")).toArray().size(),
                 firstRun.value(QStringLiteral("alerts")).toArray().size());
        QCOMPARE(secondRun.value(QStringLiteral("stored")).toInt(), 0);
        QCOMPARE(secondRun.value(QStringLiteral("rules_from")).toString(),
                 QStringLiteral("capture"));

        const Run unknown = run({QStringLiteral("analyze"), QStringLiteral("--db"), capture,
                                 QStringLiteral("--incident"), QStringLiteral("evt-nope")});
        QCOMPARE(unknown.exitCode, 1);
        QVERIFY2(unknown.err.contains(QStringLiteral("no event with id 'evt-nope'")),
                 qPrintable(unknown.err));
    }

    // --demo runs the whole pipeline: embedded cluster, simulator, Kafka ingest into a demo
    // capture, and the window following it.
    void demoShowsLiveDataFromTheEmbeddedCluster()
    {
        QProcess process;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("XDG_DATA_HOME"), path(QStringLiteral("data")));
        environment.insert(QStringLiteral("XDG_STATE_HOME"), path(QStringLiteral("state")));
        environment.insert(QStringLiteral("XDG_CONFIG_HOME"), path(QStringLiteral("config")));
        environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        process.setProcessEnvironment(environment);
        const QString png = path(QStringLiteral("demo.png"));
        process.start(QStringLiteral(EVENTSCOPE_BINARY),
                      {QStringLiteral("--demo"), QStringLiteral("--screenshot"), png,
                       QStringLiteral("--after"), QStringLiteral("8")});
        QVERIFY(process.waitForFinished(120'000));
        QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
        QCOMPARE(QImage(png).size(), QSize(1400, 900));

        const QString capture = path(QStringLiteral("data/EventScope/EventScope/demo.capture"));
        QVERIFY2(QFile::exists(capture), qPrintable(capture));
        const Run exported = run({QStringLiteral("export"), QStringLiteral("--db"), capture,
                                  QStringLiteral("--out"), QStringLiteral("-"),
                                  QStringLiteral("--kind"), QStringLiteral("events,metrics")});
        QCOMPARE(exported.exitCode, 0);
        // Forty-five simulated minutes of history arrive at once: a failure and thousands of
        // samples at least.
        QVERIFY2(exported.out.contains(QStringLiteral("\"category\":\"failure\"")),
                 qPrintable(exported.err));
        QVERIFY(exported.out.count(QLatin1Char('\n')) > 5000);
    }

    // A headless ingest pointed at a port nobody listens on ends after the idle time, with
    // exit 1 and the reason, rather than running until killed.
    void ingestAgainstABrokerThatNeverAnswersEndsAfterTheIdleTime()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close(); // refused from now on
        QElapsedTimer timer;
        timer.start();
        const Run r = run({QStringLiteral("ingest"), QStringLiteral("--bootstrap"),
                           QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("--db"),
                           path(QStringLiteral("nobroker.capture")), QStringLiteral("--until-idle"),
                           QStringLiteral("2")},
                          {}, 30'000);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("no broker answered")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("nothing consumed from 127.0.0.1:%1").arg(port)),
                 qPrintable(r.err));
        // The idle time plus the stop, not the 60 s join timeout (a bound, not a speed target).
        QVERIFY2(timer.elapsed() < 20'000, qPrintable(QString::number(timer.elapsed())));
    }

    // The console live from any cluster: --bootstrap consumes into the cluster's live capture
    // and is remembered, so the next start without arguments connects to it again.
    void guiFollowsAClusterAndRemembersTheConnection()
    {
        QProcess broker;
        broker.start(QStringLiteral(EVENTSCOPE_BINARY), {QStringLiteral("broker")});
        QVERIFY(broker.waitForReadyRead(30'000));
        const QString bootstrap = QString::fromUtf8(broker.readLine()).trimmed();
        QVERIFY(bootstrap.startsWith(QStringLiteral("127.0.0.1:")));
        const Run simulated = run({QStringLiteral("simulate"), QStringLiteral("--bootstrap"),
                                   bootstrap, QStringLiteral("--speed"), QStringLiteral("max"),
                                   QStringLiteral("--duration"), QStringLiteral("1800")});
        QCOMPARE(simulated.exitCode, 0);

        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        environment.insert(QStringLiteral("XDG_DATA_HOME"), path(QStringLiteral("live-data")));
        environment.insert(QStringLiteral("XDG_CONFIG_HOME"), path(QStringLiteral("live-config")));
        environment.insert(QStringLiteral("XDG_STATE_HOME"), path(QStringLiteral("live-state")));
        const auto gui = [&](const QStringList &arguments) {
            QProcess process;
            process.setProcessEnvironment(environment);
            process.start(QStringLiteral(EVENTSCOPE_BINARY), arguments);
            process.waitForFinished(120'000);
            return std::pair{process.exitCode(), QString::fromUtf8(process.readAllStandardError())};
        };
        const QString png = path(QStringLiteral("live.png"));
        const auto first
            = gui({QStringLiteral("--bootstrap"), bootstrap, QStringLiteral("--screenshot"), png,
                   QStringLiteral("--after"), QStringLiteral("1")});
        QVERIFY2(first.first == 0, qPrintable(first.second));
        QCOMPARE(QImage(png).size(), QSize(1400, 900));
        QVERIFY2(first.second.contains(QStringLiteral("consuming")), qPrintable(first.second));
        QString name = bootstrap;
        name.replace(QLatin1Char(':'), QLatin1Char('_'));
        const QString capture
            = path(QStringLiteral("live-data/EventScope/EventScope/live/%1.capture").arg(name));
        QVERIFY2(QFile::exists(capture), qPrintable(capture));

        // No arguments: the last connection.
        const auto again = gui({QStringLiteral("--screenshot"), png, QStringLiteral("--after"),
                                QStringLiteral("0.5")});
        QVERIFY2(again.first == 0, qPrintable(again.second));
        QVERIFY2(again.second.contains(QStringLiteral("consuming"))
                     && again.second.contains(bootstrap),
                 qPrintable(again.second));
        broker.terminate();
        QVERIFY(broker.waitForFinished(30'000));
    }

    // A stop signal (Ctrl+C in the console's terminal, a logout) closes the window as the
    // operator's close does: the window saves its layout, a live session commits what it
    // consumed (the same stop as closing; its bound is tested in tst_ingestfaults), exit 0.
    // Once blocked (before any thread starts), a signal that arrives during startup waits for
    // the event loop instead of killing the process.
    void guiClosesOnAStopSignal()
    {
        const QString capture = path(QStringLiteral("signal.capture"));
        const Run imported
            = run({QStringLiteral("import"), QStringLiteral("--db"), capture, QStringLiteral("-")},
                  QByteArrayLiteral("{\"id\":\"e1\",\"time\":1764000000,"
                                    "\"type\":\"config.change\"}\n"));
        QCOMPARE(imported.exitCode, 0);
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        environment.insert(QStringLiteral("XDG_CONFIG_HOME"),
                           path(QStringLiteral("signal-config")));
        environment.insert(QStringLiteral("XDG_STATE_HOME"), path(QStringLiteral("signal-state")));
        QProcess console;
        console.setProcessEnvironment(environment);
        console.start(QStringLiteral(EVENTSCOPE_BINARY), {QStringLiteral("--capture"), capture});
        QVERIFY(console.waitForStarted());
        // Its first step blocks the stop signals (a signal sent before that, while the
        // process is still starting, ends it as any program): wait until its mask says so.
        const auto blocksStopSignals = [&console] {
            QFile status(QStringLiteral("/proc/%1/status").arg(console.processId()));
            if (!status.open(QIODevice::ReadOnly))
                return false;
            for (const QByteArray &line : status.readAll().split('\n')) {
                if (line.startsWith("SigBlk:")) {
                    bool ok = false;
                    const qulonglong mask = line.mid(7).trimmed().toULongLong(&ok, 16);
                    return ok && (mask & (1ULL << (SIGTERM - 1))) != 0;
                }
            }
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(blocksStopSignals(), 30'000);
        ::kill(static_cast<pid_t>(console.processId()), SIGTERM);
        QVERIFY(console.waitForFinished(30'000));
        const QString log = QString::fromUtf8(console.readAllStandardError());
        QVERIFY2(console.exitStatus() == QProcess::NormalExit && console.exitCode() == 0,
                 qPrintable(log));
        QVERIFY2(log.contains(QStringLiteral("closing")), qPrintable(log));
        // The window's close ran: its layout is in the settings.
        QFile settings(path(QStringLiteral("signal-config/EventScope/EventScope.conf")));
        QVERIFY2(settings.open(QIODevice::ReadOnly), qPrintable(settings.fileName()));
        QVERIFY(settings.readAll().contains("geometry"));
    }

    void guiRendersAScreenshotOfACapture()
    {
        const QString capture = path(QStringLiteral("gui.capture"));
        QCOMPARE(
            run({QStringLiteral("import"), QStringLiteral("--db"), capture, QStringLiteral("-")},
                kLines)
                .exitCode,
            0);
        const QString png = path(QStringLiteral("shot.png"));
        const Run r = run({QStringLiteral("--capture"), capture, QStringLiteral("--screenshot"),
                           png, QStringLiteral("--after"), QStringLiteral("0.2"),
                           QStringLiteral("--size"), QStringLiteral("1000x700")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QImage image(png);
        QCOMPARE(image.size(), QSize(1000, 700));

        const Run bad = run({QStringLiteral("--capture"), path(QStringLiteral("missing.capture")),
                             QStringLiteral("--screenshot"), png});
        QCOMPARE(bad.exitCode, 1);
        QVERIFY2(bad.err.contains(QStringLiteral("missing.capture: no such file")),
                 qPrintable(bad.err));

        // As a file manager opens it (the desktop entry's Exec=eventscope %f).
        const QString positional = path(QStringLiteral("positional.png"));
        const Run opened = run({capture, QStringLiteral("--screenshot"), positional,
                                QStringLiteral("--after"), QStringLiteral("0.2")});
        QVERIFY2(opened.exitCode == 0, qPrintable(opened.err));
        QVERIFY(!QImage(positional).isNull());
        const Run two = run({capture, capture, QStringLiteral("--screenshot"), positional});
        QCOMPARE(two.exitCode, 2);
        const Run both = run({capture, QStringLiteral("--capture"), capture,
                              QStringLiteral("--screenshot"), positional});
        QCOMPARE(both.exitCode, 2);

        // --incident: on that failure, with its analysis, before the picture is taken.
        const QString incident = path(QStringLiteral("incident.png"));
        const Run onIncident
            = run({QStringLiteral("--capture"), capture, QStringLiteral("--incident"),
                   QStringLiteral("evt-1"), QStringLiteral("--screenshot"), incident,
                   QStringLiteral("--after"), QStringLiteral("0")});
        QVERIFY2(onIncident.exitCode == 0, qPrintable(onIncident.err));
        QVERIFY(!QImage(incident).isNull());
        const Run noIncident
            = run({QStringLiteral("--capture"), capture, QStringLiteral("--incident"),
                   QStringLiteral("evt-nope"), QStringLiteral("--screenshot"), incident});
        QCOMPARE(noIncident.exitCode, 1);
        QVERIFY2(noIncident.err.contains(QStringLiteral("--incident: no event with id 'evt-nope'")),
                 qPrintable(noIncident.err));
    }

    // Help needs no display: it is what someone types on a server, and what the man page is
    // made of.
    void guiHelpPrintsWithoutADisplay()
    {
        QProcess process;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
            environment.remove(QString::fromLatin1(name));
        process.setProcessEnvironment(environment);
        process.start(QStringLiteral(EVENTSCOPE_BINARY), {QStringLiteral("--help")});
        QVERIFY(process.waitForFinished(30'000));
        const QString out = QString::fromUtf8(process.readAllStandardOutput());
        QCOMPARE(process.exitCode(), 0);
        QVERIFY2(out.contains(QStringLiteral("--capture <FILE>")), qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("[FILE]")), qPrintable(out));
    }
};

QTEST_GUILESS_MAIN(TestCommandLine)
#include "tst_commandline.moc"
