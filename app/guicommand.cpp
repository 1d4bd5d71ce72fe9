#include "commandline.h"
#include "commands.h"
#include "deliverysecrets.h"
#include "stopsignals.h"

#include "connection/connectionprofile.h"
#include "mainwindow.h"
#include "theme.h"
#include "timedisplay.h"
#include "timeline/viewstate.h"

#include "analysis/alertrules.h"
#include "kafka/livesession.h"
#include "kafka/topics.h"
#include "settings/operatorsettings.h"
#include "sim/demofeed.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>
#include <QTimer>

#include <cstdio>
#include <cstring>

#include <spdlog/spdlog.h>

namespace eventscope::cli {

namespace {

bool hasDisplay()
{
    return qEnvironmentVariableIsSet("QT_QPA_PLATFORM") || qEnvironmentVariableIsSet("DISPLAY")
        || qEnvironmentVariableIsSet("WAYLAND_DISPLAY");
}

// Arguments that need no display: a screenshot renders offscreen, help and version print.
bool needsNoDisplay(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--screenshot") == 0
            || std::strncmp(argv[i], "--screenshot=", 13) == 0 || std::strcmp(argv[i], "-h") == 0
            || std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "--help-all") == 0)
            return true;
    }
    return false;
}

// --demo: the embedded cluster, the simulator producing into it, and live ingest into a demo
// capture that the window follows. The same ingest path as any cluster.
struct DemoSession
{
    std::unique_ptr<sim::DemoFeed> feed;
    std::unique_ptr<kafka::LiveSession> live;
};

Result<DemoSession> startDemo()
{
    DemoSession demo;
    auto feed = sim::DemoFeed::start({});
    if (!feed)
        return Result<DemoSession>::failure("demo: " + feed.error());
    demo.feed = std::move(*feed);

    const QString folder = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
    if (!QDir().mkpath(folder))
        return Result<DemoSession>::failure("demo: cannot create " + folder.toStdString());
    const QString capture = folder + QStringLiteral("/demo.capture");
    for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
        QFile::remove(capture + suffix); // each demo starts afresh; the last one stays for review

    kafka::IngestOptions ingest;
    ingest.bootstrapServers = demo.feed->bootstrapServers();
    for (std::string_view topic : kafka::kDefaultTopics)
        ingest.topics.emplace_back(topic);
    ingest.groupId = "eventscope-demo";
    ingest.autoOffsetReset = "earliest"; // the simulated recent past is part of the demo
    ingest.recordHealth = true;
    auto live = kafka::LiveSession::start(
        ingest, capture.toStdString(), "demo: simulator seed " + std::to_string(demo.feed->seed()));
    if (!live)
        return Result<DemoSession>::failure("demo: " + live.error());
    demo.live = std::move(*live);
    return demo;
}

// The operator's last live connection, from the settings; secrets are never stored there
// (the connection dialog keeps a SASL password in the desktop keyring).
ui::ConnectionProfile lastConnection()
{
    QSettings settings;
    settings.beginGroup(QStringLiteral("connection"));
    return ui::ConnectionProfile::load(settings);
}

void saveLastConnection(const ui::ConnectionProfile &profile)
{
    QSettings settings;
    settings.beginGroup(QStringLiteral("connection"));
    profile.save(settings);
}

// The live console's capture for a cluster: one per bootstrap list, kept, so that the next
// start resumes from its offsets.
QString liveCapturePath(const std::string &bootstrap)
{
    QString name = QString::fromStdString(bootstrap);
    static const QRegularExpression unsafe(QStringLiteral("[^A-Za-z0-9._-]"));
    name.replace(unsafe, QStringLiteral("_"));
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation)
        + QStringLiteral("/live/") + name.left(100) + QStringLiteral(".capture");
}

Result<std::unique_ptr<kafka::LiveSession>> startLive(kafka::IngestOptions options)
{
    const QString capture = liveCapturePath(options.bootstrapServers);
    if (!QDir().mkpath(QFileInfo(capture).absolutePath()))
        return Result<std::unique_ptr<kafka::LiveSession>>::failure(
            "live: cannot create " + QFileInfo(capture).absolutePath().toStdString());
    if (options.topics.empty()) {
        for (std::string_view topic : kafka::kDefaultTopics)
            options.topics.emplace_back(topic);
    }
    options.autoOffsetReset = "latest"; // a console starts at now; the capture's offsets win
    options.recordHealth = true; // consumer lag and rates chart beside everything else
    spdlog::info("live: capture {}", capture.toStdString());
    return kafka::LiveSession::start(options, capture.toStdString(),
                                     "live: " + options.bootstrapServers);
}

// The operator's alert rules (saved by `alerts --save-rules`) on a live capture: alerts are
// added as they fire and delivered to the rules' targets. None saved: nothing to do.
Status startLiveAlerting(kafka::LiveSession &live, ui::MainWindow &window)
{
    auto json = settings::alertRulesJson();
    if (!json)
        return Status::failure(json.error());
    if (json->empty())
        return {};
    auto rules = analysis::parseAlertRules(*json);
    if (!rules)
        return Status::failure(settings::settingsFile() + ": alert rules: " + rules.error());
    alerting::LiveAlertingOptions options;
    options.rules = std::move(*rules);
    options.secrets = readDeliverySecret;
    // The window hears of each alert on its own thread. It outlives every live session (they
    // stop before it goes), and a queued call to a deleted window would be dropped anyway.
    ui::MainWindow *notified = &window;
    options.onAlert = [notified](const Event &alert) {
        QMetaObject::invokeMethod(
            notified, [notified, alert] { notified->notifyAlert(alert); }, Qt::QueuedConnection);
    };
    spdlog::info("live: {} alert rule(s) from {}", options.rules.size(), settings::settingsFile());
    return live.startAlerting(std::move(options));
}

} // namespace

int runGui(int argc, char **argv)
{
    // Qt aborts without a display; a screenshot needs none, anything else gets a clear message.
    if (!hasDisplay()) {
        if (needsNoDisplay(argc, argv)) {
            qputenv("QT_QPA_PLATFORM", "offscreen");
        } else {
            std::fprintf(
                stderr,
                "eventscope: no display (DISPLAY and WAYLAND_DISPLAY are unset): run it in a "
                "desktop session, add --screenshot FILE.png, or use a headless command "
                "(eventscope help)\n");
            return kExitFailure;
        }
    }
    // Before Qt or librdkafka start a thread: every thread inherits the mask, and the stop
    // signals reach the watcher below instead of ending the process mid-write.
    const sigset_t stopSignals = blockStopSignals();
    QApplication application(argc, argv);
    QApplication::setApplicationName(QStringLiteral("EventScope"));
    QApplication::setOrganizationName(QStringLiteral("EventScope"));
    QApplication::setApplicationVersion(QStringLiteral(EVENTSCOPE_VERSION));
    const QString command = QStringLiteral("eventscope");

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("EventScope console: event timelines over metric charts."));
    parser.addOption({QStringLiteral("capture"), QStringLiteral("Review a capture file offline."),
                      QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("demo"),
                      QStringLiteral("Live console on the embedded Kafka cluster, fed by the "
                                     "simulator (all scenarios).")});
    parser.addOption({QStringLiteral("screenshot"),
                      QStringLiteral("Render the main window to a PNG and exit."),
                      QStringLiteral("FILE.png")});
    parser.addOption({QStringLiteral("after"),
                      QStringLiteral("Seconds to wait before the screenshot (default 1)."),
                      QStringLiteral("SECONDS"), QStringLiteral("1")});
    parser.addOption({QStringLiteral("size"), QStringLiteral("Window size, e.g. 1400x900."),
                      QStringLiteral("WxH"), QStringLiteral("1400x900")});
    parser.addOption(
        {QStringLiteral("bootstrap"),
         QStringLiteral("Live from this Kafka cluster (default: the last connection)."),
         QStringLiteral("SERVERS")});
    addKafkaConsumerOptions(parser);
    parser.addOption({QStringLiteral("theme"),
                      QStringLiteral("Colour theme: dark or light (default: the last one used)."),
                      QStringLiteral("dark|light")});
    parser.addOption({QStringLiteral("range"),
                      QStringLiteral("Visible time range, FROM,TO as ISO 8601 (times without an "
                                     "offset are UTC)."),
                      QStringLiteral("FROM,TO")});
    parser.addOption({QStringLiteral("incident"),
                      QStringLiteral("Open on this failure (its source id): the time around it "
                                     "and its root-cause analysis. With --screenshot, the picture "
                                     "waits for the analysis."),
                      QStringLiteral("ID")});
    parser.addPositionalArgument(
        QStringLiteral("FILE"),
        QStringLiteral("A capture to review, as with --capture (what a file manager passes)."),
        QStringLiteral("[FILE]"));
    if (auto exit = parseOrExit(parser, QApplication::arguments(), command, Positional::Accepted))
        return *exit;
    const QStringList files = parser.positionalArguments();
    if (files.size() > 1)
        return usageError(command,
                          QStringLiteral("one capture at a time (got %1 files)").arg(files.size()));
    if (!files.isEmpty() && parser.isSet(QStringLiteral("capture")))
        return usageError(command,
                          QStringLiteral("give the capture as FILE or with --capture, "
                                         "not both"));
    const bool reviewAsked = parser.isSet(QStringLiteral("capture")) || !files.isEmpty();
    const QString capturePath
        = files.isEmpty() ? parser.value(QStringLiteral("capture")) : files.first();

    bool afterOk = false;
    const double after = parser.value(QStringLiteral("after")).toDouble(&afterOk);
    if (!afterOk || after < 0)
        return usageError(command,
                          QStringLiteral("--after: '%1' is not a number of seconds")
                              .arg(parser.value(QStringLiteral("after"))));
    const QStringList size = parser.value(QStringLiteral("size")).split(QLatin1Char('x'));
    bool widthOk = false, heightOk = false;
    const int width = size.value(0).toInt(&widthOk);
    const int height = size.value(1).toInt(&heightOk);
    if (size.size() != 2 || !widthOk || !heightOk || width < 200 || height < 150)
        return usageError(command,
                          QStringLiteral("--size: '%1' is not WIDTHxHEIGHT (at least 200x150)")
                              .arg(parser.value(QStringLiteral("size"))));
    QString screenshot;
    if (parser.isSet(QStringLiteral("screenshot"))) {
        screenshot = parser.value(QStringLiteral("screenshot"));
        if (!screenshot.endsWith(QLatin1String(".png"), Qt::CaseInsensitive))
            return usageError(
                command, QStringLiteral("--screenshot: '%1' must end in .png").arg(screenshot));
        if (!QFileInfo(QFileInfo(screenshot).absolutePath()).isDir())
            return usageError(
                command,
                QStringLiteral("--screenshot: folder of '%1' does not exist").arg(screenshot));
    }
    if (auto exit = setUpLogging(parser, command))
        return *exit;

    const bool liveAsked = parser.isSet(QStringLiteral("bootstrap"))
        || parser.isSet(QStringLiteral("topics")) || parser.isSet(QStringLiteral("group"))
        || parser.isSet(QStringLiteral("X"));
    if (int modes = int(parser.isSet(QStringLiteral("demo"))) + int(reviewAsked) + int(liveAsked);
        modes > 1)
        return usageError(command,
                          QStringLiteral("--demo, --capture and a live connection (--bootstrap, "
                                         "--topics, --group, -X) exclude each other"));
    std::optional<ui::ConnectionProfile> liveProfile;
    if (liveAsked || (!parser.isSet(QStringLiteral("demo")) && !reviewAsked)) {
        ui::ConnectionProfile profile = lastConnection();
        if (parser.isSet(QStringLiteral("bootstrap")))
            profile.bootstrap = parser.value(QStringLiteral("bootstrap"));
        if (parser.isSet(QStringLiteral("topics"))) {
            const QString topics = parser.value(QStringLiteral("topics"));
            profile.topics.clear();
            profile.topicPattern.clear();
            if (topics.startsWith(QLatin1Char('^')))
                profile.topicPattern = topics;
            else
                for (const QString &topic : topics.split(QLatin1Char(','), Qt::SkipEmptyParts))
                    profile.topics.push_back({topic.trimmed(), RecordKind::Unknown});
        }
        if (parser.isSet(QStringLiteral("group")))
            profile.groupId = parser.value(QStringLiteral("group"));
        if (parser.isSet(QStringLiteral("X"))) {
            std::vector<std::pair<std::string, std::string>> properties;
            if (auto exit = parseKafkaProperties(parser, command, properties))
                return *exit;
            profile.extraProperties.clear();
            for (const auto &[key, value] : properties)
                profile.extraProperties << QString::fromStdString(key + "=" + value);
        }
        if (liveAsked && profile.bootstrap.isEmpty())
            return usageError(
                command, QStringLiteral("--bootstrap is required (no last connection is saved)"));
        if (profile.topics.empty() && profile.topicPattern.isEmpty()) {
            for (std::string_view topic : kafka::kDefaultTopics)
                profile.topics.push_back(
                    {QString::fromUtf8(topic.data(), static_cast<qsizetype>(topic.size())),
                     RecordKind::Unknown});
        }
        if (!profile.bootstrap.isEmpty()) {
            if (const QString problem = profile.validate(); !problem.isEmpty())
                return usageError(command, problem);
            liveProfile = std::move(profile);
        }
    }
    std::optional<ui::Theme::Kind> theme;
    if (parser.isSet(QStringLiteral("theme"))) {
        theme = ui::Theme::parseKind(parser.value(QStringLiteral("theme")));
        if (!theme)
            return usageError(command,
                              QStringLiteral("--theme: '%1' is not dark or light")
                                  .arg(parser.value(QStringLiteral("theme"))));
    }
    std::optional<TimeRange> range;
    if (parser.isSet(QStringLiteral("range"))) {
        const ui::ParsedRange parsed
            = ui::parseTimeRangeText(parser.value(QStringLiteral("range")), ui::TimeZoneMode::Utc);
        if (!parsed.error.isEmpty())
            return usageError(command, QStringLiteral("--range: ") + parsed.error);
        range = parsed.range;
    }

    ui::MainWindow window;
    window.resize(width, height);
    if (theme)
        window.setTheme(*theme);
    DemoSession demo;
    QTimer statusTimer;
    std::string writeError;
    // Live (demo or any cluster): commits are announced coalesced (at most 25 a second) and
    // the window reads what is new off the GUI thread, one read at a time.
    const auto follow
        = [&](kafka::LiveSession &live, const QString &connecting) -> std::optional<int> {
        if (Status status = window.openCapture(live.capturePath(), true); !status)
            return runtimeError(command, status.error());
        if (Status alerting = startLiveAlerting(live, window); !alerting)
            window.showError(QObject::tr("Alert rules not running"),
                             QString::fromStdString(alerting.error()));
        QObject::disconnect(&statusTimer, nullptr, nullptr, nullptr); // a previous session's
        QObject::connect(&live, &kafka::LiveSession::dataCommitted, &window,
                         &ui::MainWindow::captureCommitted);
        QObject::connect(&live, &kafka::LiveSession::writeFailed, &window,
                         [&writeError](const QString &message) {
                             writeError = "cannot write the capture: " + message.toStdString();
                         });
        statusTimer.setInterval(1000);
        QObject::connect(&statusTimer, &QTimer::timeout, &window,
                         [&window, &demo, &live, &writeError] {
                             std::string error = writeError;
                             if (error.empty() && demo.feed)
                                 error = demo.feed->error();
                             if (error.empty())
                                 error = live.lastError();
                             window.setLiveStats(live.stats(), QString::fromStdString(error));
                         });
        statusTimer.start();
        window.setLiveStatus(connecting);
        return std::nullopt;
    };
    if (parser.isSet(QStringLiteral("demo"))) {
        auto started = startDemo();
        if (!started)
            return runtimeError(command, started.error());
        demo = std::move(*started);
        if (auto exit = follow(*demo.live,
                               QStringLiteral("connecting to the embedded cluster at ")
                                   + QString::fromStdString(demo.feed->bootstrapServers())))
            return *exit;
    } else if (liveProfile) {
        auto started = startLive(liveProfile->toIngestOptions());
        if (!started)
            return runtimeError(command, started.error());
        demo.live = std::move(*started);
        if (auto exit
            = follow(*demo.live, QStringLiteral("connecting to ") + liveProfile->bootstrap))
            return *exit;
        saveLastConnection(*liveProfile);
    } else if (reviewAsked) {
        const std::string path = capturePath.toStdString();
        if (Status status = window.openCapture(path); !status)
            return runtimeError(command, status.error());
    }
    // File > Connect to Kafka: the window asks, the session changes here (the app owns it).
    QObject::connect(
        &window, &ui::MainWindow::connectRequested, &window,
        [&](const ui::ConnectionProfile &profile) {
            statusTimer.stop();
            if (demo.live)
                demo.live->stop();
            auto started = startLive(profile.toIngestOptions());
            if (!started) {
                window.showError(QStringLiteral("Cannot connect"),
                                 QString::fromStdString(started.error()));
                return;
            }
            demo.live = std::move(*started);
            writeError.clear();
            if (follow(*demo.live, QStringLiteral("connecting to ") + profile.bootstrap))
                return; // the capture did not open: the window said why
            saveLastConnection(profile);
        });
    // Rules changed in the Alerts dock: a live session alerts with them from now on.
    QObject::connect(&window, &ui::MainWindow::alertRulesSaved, &window, [&] {
        if (!demo.live)
            return;
        if (Status alerting = startLiveAlerting(*demo.live, window); !alerting)
            window.showError(QObject::tr("Alert rules not running"),
                             QString::fromStdString(alerting.error()));
        else
            spdlog::info("live: alerting restarted with the saved rules");
    });
    window.setConnectionProfile(liveProfile ? *liveProfile : lastConnection());
    if (range)
        window.whenSettled([&window, range] { window.viewState().setVisibleRange(*range); });
    if (parser.isSet(QStringLiteral("incident"))) {
        const std::string incident = parser.value(QStringLiteral("incident")).toStdString();
        const bool headless = !screenshot.isEmpty();
        window.whenSettled([&window, incident, headless, command] {
            if (Status shown = window.showIncident(incident); !shown) {
                if (headless) {
                    runtimeError(command, "--incident: " + shown.error());
                    QApplication::exit(kExitFailure);
                } else {
                    window.showError(QObject::tr("Cannot show the incident"),
                                     QString::fromStdString(shown.error()));
                }
            }
        });
    }
    window.show();

    if (!screenshot.isEmpty()) {
        // After the wait, once what the window shows has been read and painted.
        const QSize asked(width, height);
        QTimer::singleShot(static_cast<int>(after * 1000), &window, [&window, screenshot, asked] {
            window.whenSettled([&window, screenshot, asked] {
                const QPixmap picture = window.grab();
                if (picture.size() != asked)
                    spdlog::warn("--size {}x{}: the window cannot be that small; the screenshot "
                                 "is {}x{}",
                                 asked.width(), asked.height(), picture.width(), picture.height());
                const bool saved = picture.save(screenshot, "PNG");
                if (!saved) {
                    spdlog::error("cannot write screenshot {}", screenshot.toStdString());
                    QApplication::exit(kExitFailure);
                    return;
                }
                QApplication::exit(kExitOk);
            });
        });
    }
    // A stop signal closes every window (dialogs included) as the operator would, then leaves.
    const StopSignalWatcher stopWatcher(stopSignals, &window, [](int) {
        QApplication::closeAllWindows();
        QApplication::quit();
    });
    const int exitCode = QApplication::exec();
    statusTimer.stop();
    if (demo.live) {
        // Commit what was consumed before the cluster goes away; a broker that is down does
        // not hold this up (offset commits give up within the stop's bound).
        QElapsedTimer stopping;
        stopping.start();
        demo.live->stop();
        spdlog::info("ingest stopped in {} ms; everything consumed is in {}", stopping.elapsed(),
                     demo.live->capturePath());
    }
    if (demo.feed)
        demo.feed->stop();
    return exitCode;
}

} // namespace eventscope::cli
