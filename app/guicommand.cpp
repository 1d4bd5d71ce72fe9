#include "commandline.h"
#include "commands.h"

#include "mainwindow.h"

#include <QApplication>
#include <QDir>
#include <QFileInfo>
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

bool wantsScreenshot(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--screenshot") == 0
            || std::strncmp(argv[i], "--screenshot=", 13) == 0)
            return true;
    }
    return false;
}

} // namespace

int runGui(int argc, char **argv)
{
    // Qt aborts without a display; a screenshot needs none, anything else gets a clear message.
    if (!hasDisplay()) {
        if (wantsScreenshot(argc, argv)) {
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
    parser.addOption({QStringLiteral("screenshot"),
                      QStringLiteral("Render the main window to a PNG and exit."),
                      QStringLiteral("FILE.png")});
    parser.addOption({QStringLiteral("after"),
                      QStringLiteral("Seconds to wait before the screenshot (default 1)."),
                      QStringLiteral("SECONDS"), QStringLiteral("1")});
    parser.addOption({QStringLiteral("size"), QStringLiteral("Window size, e.g. 1400x900."),
                      QStringLiteral("WxH"), QStringLiteral("1400x900")});
    if (auto exit = parseOrExit(parser, QApplication::arguments(), command))
        return *exit;
    if (!parser.positionalArguments().isEmpty())
        return usageError(
            command,
            QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first()));

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

    ui::MainWindow window;
    window.resize(width, height);
    if (parser.isSet(QStringLiteral("capture"))) {
        const std::string path = parser.value(QStringLiteral("capture")).toStdString();
        if (Status status = window.openCapture(path); !status)
            return runtimeError(command, status.error());
    }
    window.show();

    if (!screenshot.isEmpty()) {
        QTimer::singleShot(static_cast<int>(after * 1000), &window, [&window, screenshot] {
            const bool saved = window.grab().save(screenshot, "PNG");
            if (!saved) {
                spdlog::error("cannot write screenshot {}", screenshot.toStdString());
                QApplication::exit(kExitFailure);
                return;
            }
            QApplication::exit(kExitOk);
        });
    }
    return QApplication::exec();
}

} // namespace eventscope::cli
