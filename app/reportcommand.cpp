#include "commandline.h"
#include "commands.h"

#include "report/reportwriter.h"
#include "theme.h"

#include "report/incidentreport.h"
#include "store/capturereader.h"

#include <QElapsedTimer>
#include <QRegularExpression>

#include <cstdio>

#include <spdlog/spdlog.h>

namespace eventscope::cli {

int runReport(const QStringList &arguments)
{
    const QString command = QStringLiteral("eventscope report");
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Write an incident report for one failure: what failed and when, time to recover, the "
        "timeline with its events and the metrics that moved, the ranked causes and suspects "
        "with their evidence, the key log lines, the failing trace's critical path, the "
        "analysis parameters and the capture it came from. PDF (vector charts, paginated), "
        "HTML (one self-contained file) or PNG (one picture), by the extension of --out. Needs "
        "no display."));
    parser.addOption(
        {QStringLiteral("db"), QStringLiteral("Capture file."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("incident"),
                      QStringLiteral("The failure event, by its source id (analyze --all lists "
                                     "them)."),
                      QStringLiteral("ID")});
    parser.addOption({QStringLiteral("out"),
                      QStringLiteral("Report file: FILE.pdf, FILE.html or FILE.png. Written "
                                     "whole or not at all."),
                      QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("window"),
                      QStringLiteral("How far before the failure to look for causes; the "
                                     "timeline starts there (default 1800)."),
                      QStringLiteral("SEC"), QStringLiteral("1800")});
    parser.addOption({QStringLiteral("theme"), QStringLiteral("light (default) or dark."),
                      QStringLiteral("THEME"), QStringLiteral("light")});
    parser.addOption({QStringLiteral("page"),
                      QStringLiteral("PDF page size: a4 (default) or letter."),
                      QStringLiteral("SIZE"), QStringLiteral("a4")});
    parser.addOption({QStringLiteral("size"),
                      QStringLiteral("PNG size in pixels, WIDTHxHEIGHT (default 1600x1000)."),
                      QStringLiteral("WxH"), QStringLiteral("1600x1000")});
    if (auto exit = parseOrExit(parser, arguments, command))
        return *exit;
    for (const char *required : {"db", "incident", "out"}) {
        if (!parser.isSet(QLatin1String(required)))
            return usageError(command,
                              QStringLiteral("--%1 is required").arg(QLatin1String(required)));
    }
    ui::ReportOutput output;
    output.path = parser.value(QStringLiteral("out"));
    const auto format = ui::reportFormatForPath(output.path);
    if (!format)
        return usageError(command,
                          QStringLiteral("--out %1: the name must end in .pdf, .html or "
                                         ".png (the format)")
                              .arg(output.path));
    output.format = *format;
    const auto theme = ui::Theme::parseKind(parser.value(QStringLiteral("theme")));
    if (!theme)
        return usageError(command,
                          QStringLiteral("--theme: expected light or dark, got '%1'")
                              .arg(parser.value(QStringLiteral("theme"))));
    output.theme = *theme;
    const QString page = parser.value(QStringLiteral("page")).toLower();
    if (page == QLatin1String("a4"))
        output.page = QPageSize::A4;
    else if (page == QLatin1String("letter"))
        output.page = QPageSize::Letter;
    else
        return usageError(command,
                          QStringLiteral("--page: expected a4 or letter, got '%1'")
                              .arg(parser.value(QStringLiteral("page"))));
    const auto size = QRegularExpression(QStringLiteral("^(\\d{2,5})x(\\d{2,5})$"))
                          .match(parser.value(QStringLiteral("size")));
    if (!size.hasMatch() || size.captured(1).toInt() < 640 || size.captured(2).toInt() < 400
        || size.captured(1).toInt() > 8000 || size.captured(2).toInt() > 8000)
        return usageError(command,
                          QStringLiteral("--size: expected WIDTHxHEIGHT from 640x400 to "
                                         "8000x8000, got '%1'")
                              .arg(parser.value(QStringLiteral("size"))));
    output.pictureSize = {size.captured(1).toInt(), size.captured(2).toInt()};
    report::ReportOptions options;
    if (auto exit = parseSecondsOption(parser, command, QStringLiteral("window"), 0, 7 * 86400,
                                       options.analysis.window))
        return *exit;
    if (auto exit = setUpLogging(parser, command))
        return *exit;

    QElapsedTimer timer;
    timer.start();
    auto reader = CaptureReader::open(parser.value(QStringLiteral("db")).toStdString());
    if (!reader)
        return runtimeError(command, reader.error());
    const std::string generator
        = "EventScope " + QCoreApplication::applicationVersion().toStdString();
    auto report = report::buildIncidentReport(
        **reader, parser.value(QStringLiteral("incident")).toStdString(), options, generator);
    if (!report)
        return runtimeError(command, report.error());
    spdlog::debug("report: analysis, logs and trace read in {} ms", timer.elapsed());
    if (Status status = ui::writeIncidentReport(**reader, *report, output); !status)
        return runtimeError(command, status.error());
    std::fprintf(stderr, "eventscope report: wrote %s in %lld ms\n", qPrintable(output.path),
                 static_cast<long long>(timer.elapsed()));
    return kExitOk;
}

} // namespace eventscope::cli
