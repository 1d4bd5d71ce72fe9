#include "reportwriter.h"

#include "reportcharts.h"
#include "timedisplay.h"

#include "analysis/incidentanalyzer.h"
#include "util/timeformat.h"

#include <QAbstractTextDocumentLayout>
#include <QBuffer>
#include <QFileInfo>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextDocumentFragment>
#include <QTextObjectInterface>

#include <qcustomplot.h>

#include <cmath>

namespace eventscope::ui {

namespace {

QString esc(const std::string &text)
{
    return QString::fromStdString(text).toHtmlEscaped();
}

QString number(double value, int decimals)
{
    return QString::number(value, 'f', decimals);
}

QString durationUs(TimeUs us)
{
    return formatDuration(static_cast<double>(us) / kMicrosPerSecond);
}

QString bothZones(TimeUs time)
{
    return formatTime(time, TimeZoneMode::Utc) + QStringLiteral(" (")
        + formatTime(time, TimeZoneMode::Local) + QLatin1Char(')');
}

QString place(const std::string &service, const std::string &entity)
{
    if (entity.empty())
        return esc(service.empty() ? std::string("(no service)") : service);
    if (service.empty())
        return esc(entity);
    return esc(service) + QStringLiteral(" / ") + esc(entity);
}

QString title(const report::IncidentReport &report)
{
    const Event &failure = report.analysis.failure;
    return QObject::tr("Incident: %1 on %2")
        .arg(esc(failure.type), place(failure.service, failure.entity));
}

// The two places the markup goes: a browser (full CSS, charts as embedded PNGs) and Qt's
// rich text for the PDF (its CSS subset, charts and score bars as vector objects).
enum class Flavour { Browser, RichText };

// The user object types the PDF's text layout draws itself.
constexpr int kChartObject = QTextFormat::UserObject + 1;
constexpr int kBarObject = QTextFormat::UserObject + 2;
constexpr int kObjectIndex = QTextFormat::UserProperty + 1;
constexpr int kObjectScore = QTextFormat::UserProperty + 2;

class Markup
{
public:
    Markup(const report::IncidentReport &report, const ReportCharts &charts, const Theme &theme,
           Flavour flavour)
        : m_report(report)
        , m_charts(charts)
        , m_theme(theme)
        , m_flavour(flavour)
    { }

    QString document()
    {
        head();
        summary();
        notes();
        timeline();
        causes();
        suspects();
        metrics();
        logs();
        trace();
        parameters();
        source();
        m_out += QStringLiteral("</body></html>\n");
        return m_out;
    }

private:
    bool browser() const { return m_flavour == Flavour::Browser; }

    void head()
    {
        const QString text = m_theme.text.name();
        const QString muted = m_theme.mutedText.name();
        const QString page = m_theme.base.name();
        const QString rule = m_theme.grid.name();
        const QString stripe = m_theme.alternateBase.name();
        m_out += QStringLiteral(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n");
        if (browser()) {
            // Nothing may be fetched: the report is read offline, perhaps attached to a ticket.
            m_out
                += QStringLiteral(
                       "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                       "img-src data:; style-src 'unsafe-inline'\">\n"
                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                       "<meta name=\"generator\" content=\"%1\">\n")
                       .arg(esc(m_report.generator));
        }
        m_out += QStringLiteral("<title>%1</title>\n<style>\n").arg(title(m_report));
        if (browser()) {
            m_out += QStringLiteral(
                         "body{font-family:'DejaVu Sans',sans-serif;font-size:14px;color:%1;"
                         "background:%2;max-width:1040px;margin:24px auto;padding:0 16px}\n"
                         "h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;"
                         "border-bottom:1px solid %3;padding-bottom:4px}\n"
                         ".muted{color:%4}table{border-collapse:collapse;width:100%%}\n"
                         "td,th{text-align:left;vertical-align:top;padding:4px 6px;"
                         "border-bottom:1px solid %3}th{color:%4;font-weight:600}\n"
                         "tr:nth-child(even) td{background:%5}ul{margin:0;padding-left:18px}\n"
                         "figure{margin:12px 0}figcaption{color:%4;margin-bottom:4px}\n"
                         "figure img{width:100%%;height:auto;display:block}\n"
                         ".bar{display:inline-block;width:80px;height:9px;background:%3;"
                         "margin-right:6px}.bar span{display:block;height:9px}\n"
                         ".weak{color:%4;font-style:italic}.error{color:%6;font-weight:600}\n"
                         ".warn{color:%7}.mono{font-family:'DejaVu Sans Mono',monospace;"
                         "font-size:12px;white-space:pre-wrap;word-break:break-word}\n")
                         .arg(text, page, rule, muted, stripe,
                              m_theme.severityColor(Severity::Error).name(),
                              m_theme.severityColor(Severity::Warning).name());
        } else {
            m_out += QStringLiteral(
                         "h1{font-size:16pt;margin-bottom:2pt}h2{font-size:12pt;margin-top:14pt;"
                         "margin-bottom:4pt}\n.muted{color:%1}th{color:%1;text-align:left}\n"
                         ".weak{color:%1;font-style:italic}.error{color:%2;font-weight:bold}\n"
                         ".warn{color:%3}.mono{font-family:'DejaVu Sans Mono';font-size:7.5pt}\n")
                         .arg(muted, m_theme.severityColor(Severity::Error).name(),
                              m_theme.severityColor(Severity::Warning).name());
        }
        m_out += QStringLiteral("</style></head>\n<body>\n");
        m_out += QStringLiteral("<h1>%1</h1>\n").arg(title(m_report));
        const Event &failure = m_report.analysis.failure;
        m_out += QStringLiteral("<p class=\"muted\">%1 %2 · %3</p>\n")
                     .arg(QObject::tr("Failure event"), esc(failure.sourceId),
                          esc(failure.message.empty() ? failure.type : failure.message));
    }

    void notes()
    {
        if (QString::fromStdString(m_report.notes).trimmed().isEmpty())
            return;
        section(QObject::tr("Operator's notes"));
        for (const QString &paragraph : QString::fromStdString(m_report.notes)
                                            .split(QStringLiteral("\n\n"), Qt::SkipEmptyParts))
            m_out += QStringLiteral("<p>%1</p>\n")
                         .arg(paragraph.trimmed().toHtmlEscaped().replace(QLatin1Char('\n'),
                                                                          QStringLiteral("<br>")));
    }

    QString tableStart(const QStringList &headers = {}) const
    {
        QString html = browser()
            ? QStringLiteral("<table>")
            : QStringLiteral("<table width=\"100%\" cellspacing=\"0\" cellpadding=\"3\" "
                             "border=\"0\">");
        if (!headers.isEmpty()) {
            html += QStringLiteral("<tr>");
            for (const QString &header : headers)
                html += QStringLiteral("<th>%1</th>").arg(header);
            html += QStringLiteral("</tr>");
        }
        return html + QLatin1Char('\n');
    }

    void row(const QStringList &cells)
    {
        const bool stripe = !browser() && (m_rows++ % 2 == 1);
        m_out += stripe ? QStringLiteral("<tr bgcolor=\"%1\">").arg(m_theme.alternateBase.name())
                        : QStringLiteral("<tr>");
        for (const QString &cell : cells)
            m_out += QStringLiteral("<td>%1</td>").arg(cell);
        m_out += QStringLiteral("</tr>\n");
    }

    void keyValue(const QString &key, const QString &value)
    {
        row({QStringLiteral("<b>%1</b>").arg(key), value});
    }

    void section(const QString &heading)
    {
        // Qt's rich text drops a heading's top margin after a table: a small empty line
        // stands in for it.
        if (!browser())
            m_out += QStringLiteral("<p style=\"font-size:6pt\">&nbsp;</p>\n");
        m_out += QStringLiteral("<h2>%1</h2>\n").arg(heading);
        m_rows = 0;
    }

    QString bar(double score)
    {
        const double clamped = std::clamp(score, 0.0, 1.0);
        const QColor colour
            = clamped >= analysis::kConfidentCauseScore ? m_theme.highlight : m_theme.mutedText;
        if (browser())
            return QStringLiteral("<span class=\"bar\"><span style=\"width:%1%;background:%2\">"
                                  "</span></span>%3")
                .arg(std::lround(clamped * 100))
                .arg(colour.name(), number(score, 2));
        return QStringLiteral("<img src=\"bar:%1\" width=\"60\" height=\"8\"> %1")
            .arg(number(score, 2));
    }

    QString evidence(const std::vector<std::string> &lines)
    {
        if (lines.empty())
            return {};
        QString html = QStringLiteral("<ul>");
        for (const std::string &line : lines)
            html += QStringLiteral("<li>%1</li>").arg(esc(line));
        return html + QStringLiteral("</ul>");
    }

    void summary()
    {
        const analysis::IncidentAnalysis &a = m_report.analysis;
        m_out += tableStart();
        keyValue(QObject::tr("Started"), bothZones(a.failure.time));
        if (a.recoveryTime > 0) {
            const QString how = a.recovery
                ? QObject::tr("recovery event %1 (%2)")
                      .arg(esc(a.recovery->sourceId), esc(a.recovery->type))
                : QObject::tr("%1 back to its baseline").arg(esc(a.recoveryMetric));
            keyValue(QObject::tr("Recovered"),
                     bothZones(a.recoveryTime) + QStringLiteral("<br><span class=\"muted\">") + how
                         + QStringLiteral("</span>"));
            keyValue(QObject::tr("Time to recover"), formatDuration(a.ttrSeconds));
        } else {
            keyValue(QObject::tr("Recovered"),
                     QObject::tr("not within %1 after the failure, or not in the capture")
                         .arg(durationUs(m_report.options.analysis.recoveryHorizon)));
        }
        QStringList services;
        for (const std::string &service : m_report.services)
            services << esc(service);
        QStringList entities;
        for (const std::string &entity : m_report.entities)
            entities << esc(entity);
        keyValue(QObject::tr("Services"),
                 services.isEmpty() ? QStringLiteral("—") : services.join(QStringLiteral(", ")));
        keyValue(QObject::tr("Entities"),
                 entities.isEmpty() ? QStringLiteral("—") : entities.join(QStringLiteral(", ")));
        if (!a.causes.empty() && analysis::isConfidentCause(a.causes.front())) {
            const Event &cause = a.causes.front().event;
            keyValue(QObject::tr("Most likely cause"),
                     QStringLiteral("%1 on %2, %3")
                         .arg(esc(cause.type), place(cause.service, cause.entity),
                              formatRelative(cause.time, a.failure.time)));
        } else {
            keyValue(QObject::tr("Most likely cause"),
                     QObject::tr("no change event explains this failure"));
        }
        if (!a.suspects.empty())
            keyValue(QObject::tr("Where it started"),
                     place(a.suspects.front().service, a.suspects.front().entity));
        m_out += QStringLiteral("</table>\n");
    }

    void timeline()
    {
        section(QObject::tr("Timeline"));
        m_out += QStringLiteral("<p class=\"muted\">%1 to %2 (UTC). %3</p>\n")
                     .arg(formatTime(m_report.timeline.begin, TimeZoneMode::Utc),
                          formatTime(m_report.timeline.end, TimeZoneMode::Utc),
                          QObject::tr("This failure is ringed and marked by a line; shading "
                                      "runs from each failure to its recovery."));
        for (int i = 0; i < m_charts.count(); ++i) {
            const QSize size = m_charts.logicalSize(i);
            if (browser()) {
                QByteArray png;
                QBuffer buffer(&png);
                buffer.open(QIODevice::WriteOnly);
                m_charts.image(i, 2.0).save(&buffer, "PNG");
                m_out += QStringLiteral("<figure><figcaption>%1</figcaption><img alt=\"%1\" "
                                        "width=\"%2\" height=\"%3\" src=\"data:image/png;base64,")
                             .arg(m_charts.caption(i).toHtmlEscaped())
                             .arg(size.width())
                             .arg(size.height());
                m_out += QString::fromLatin1(png.toBase64());
                m_out += QStringLiteral("\"></figure>\n");
            } else {
                m_out += QStringLiteral("<p><img src=\"chart:%1\"></p>\n").arg(i);
            }
        }
    }

    void causes()
    {
        const analysis::IncidentAnalysis &a = m_report.analysis;
        section(QObject::tr("Ranked causes"));
        if (a.causes.empty()) {
            m_out += QStringLiteral("<p>%1</p>\n")
                         .arg(QObject::tr("No change event explains this: none in the %1 before "
                                          "the failure is related to it.")
                                  .arg(durationUs(m_report.options.analysis.window)));
            return;
        }
        if (!analysis::isConfidentCause(a.causes.front()))
            m_out += QStringLiteral("<p>%1</p>\n")
                         .arg(QObject::tr("No change event explains this failure: the best "
                                          "candidate scores %1, below %2. The candidates below are "
                                          "weak.")
                                  .arg(number(a.causes.front().score, 2),
                                       number(analysis::kConfidentCauseScore, 2)));
        m_out += tableStart({QStringLiteral("#"), QObject::tr("Score"), QObject::tr("Change"),
                             QObject::tr("When"), QObject::tr("Evidence")});
        int rank = 0;
        for (const analysis::RankedCause &cause : a.causes) {
            QString what
                = QStringLiteral("<b>%1</b> on %2")
                      .arg(esc(cause.event.type), place(cause.event.service, cause.event.entity));
            if (!cause.event.message.empty())
                what += QStringLiteral("<br><span class=\"muted\">%1</span>")
                            .arg(esc(cause.event.message));
            what += QStringLiteral("<br><span class=\"muted\">%1</span>")
                        .arg(esc(cause.event.sourceId));
            QString score = bar(cause.score);
            if (!analysis::isConfidentCause(cause))
                score += QStringLiteral(" <span class=\"weak\">%1</span>").arg(QObject::tr("weak"));
            row({QString::number(++rank), score, what,
                 formatRelative(cause.event.time, a.failure.time), evidence(cause.evidence)});
        }
        m_out += QStringLiteral("</table>\n");
    }

    void suspects()
    {
        const analysis::IncidentAnalysis &a = m_report.analysis;
        section(QObject::tr("Where it started"));
        if (a.suspects.empty()) {
            m_out += QStringLiteral("<p>%1</p>\n")
                         .arg(QObject::tr("No service's metrics point to where it started."));
            return;
        }
        m_out += tableStart({QStringLiteral("#"), QObject::tr("Score"),
                             QObject::tr("Service / entity"), QObject::tr("Evidence")});
        int rank = 0;
        for (const analysis::Suspect &suspect : a.suspects)
            row({QString::number(++rank), bar(suspect.score),
                 place(suspect.service, suspect.entity), evidence(suspect.evidence)});
        m_out += QStringLiteral("</table>\n");
    }

    void metrics()
    {
        const analysis::IncidentAnalysis &a = m_report.analysis;
        section(QObject::tr("Metrics that moved"));
        if (a.anomalies.empty()) {
            m_out += QStringLiteral("<p>%1</p>\n")
                         .arg(QObject::tr("No metric of the related services moved abnormally."));
            return;
        }
        m_out += tableStart({QObject::tr("Series"), QObject::tr("Onset"), QObject::tr("Change"),
                             QObject::tr("Strength")});
        for (const analysis::MetricAnomaly &anomaly : a.anomalies) {
            const QString change
                = QStringLiteral("%1 %2 → %3")
                      .arg(anomaly.direction >= 0 ? QStringLiteral("↑") : QStringLiteral("↓"),
                           QString::number(anomaly.baseline, 'g', 4),
                           QString::number(anomaly.after, 'g', 4));
            row({QStringLiteral("<span class=\"mono\">%1</span>").arg(esc(anomaly.series)),
                 formatRelative(anomaly.onset, a.failure.time), change,
                 QObject::tr("%1 σ").arg(number(anomaly.score, 1))});
        }
        m_out += QStringLiteral("</table>\n");
    }

    void logs()
    {
        section(QObject::tr("Key log lines"));
        if (m_report.keyLogs.empty()) {
            m_out += QStringLiteral("<p>%1</p>\n")
                         .arg(QObject::tr(
                             "No warning or error logged by these services around the failure."));
            return;
        }
        m_out += tableStart({QObject::tr("Time (UTC)"), QObject::tr("Level"),
                             QObject::tr("Service / entity"), QObject::tr("Message")});
        for (const report::KeyLogLine &line : m_report.keyLogs) {
            const LogRecord &record = line.first;
            const QString level
                = QString::fromLatin1(severityName(record.level).data(),
                                      static_cast<qsizetype>(severityName(record.level).size()));
            const QString levelClass = record.level >= Severity::Error ? QStringLiteral("error")
                : record.level == Severity::Warning                    ? QStringLiteral("warn")
                                                                       : QString();
            QString message
                = QStringLiteral("<span class=\"mono\">%1</span>").arg(esc(record.message));
            if (line.count > 1)
                message += QStringLiteral(" <span class=\"muted\">×%1 until %2</span>")
                               .arg(line.count)
                               .arg(formatTime(line.lastTime, TimeZoneMode::Utc, false));
            row({formatTime(record.time, TimeZoneMode::Utc, false),
                 QStringLiteral("<span class=\"%1\">%2</span>").arg(levelClass, level),
                 place(record.service, record.entity), message});
        }
        m_out += QStringLiteral("</table>\n");
    }

    void trace()
    {
        section(QObject::tr("Failing trace"));
        if (!m_report.trace) {
            m_out += QStringLiteral("<p>%1</p>\n")
                         .arg(QObject::tr(
                             "No error span of these services within 5 min of the failure."));
            return;
        }
        const report::FailingTrace &t = *m_report.trace;
        m_out += QStringLiteral("<p>%1</p>\n")
                     .arg(QObject::tr("Trace <span class=\"mono\">%1</span>: %2 spans, %3 with an "
                                      "error, %4 from %5. Its critical path:")
                              .arg(esc(t.traceId))
                              .arg(t.spanCount)
                              .arg(t.errorSpans)
                              .arg(durationUs(t.end - t.start),
                                   formatTime(t.start, TimeZoneMode::Utc)));
        m_out += tableStart({QObject::tr("Operation"), QObject::tr("Service / entity"),
                             QObject::tr("Starts"), QObject::tr("Duration"),
                             QObject::tr("Own time"), QObject::tr("Status")});
        for (const report::FailingTrace::Step &step : t.criticalPath) {
            const QString indent
                = QString(QStringLiteral("&nbsp;&nbsp;")).repeated(std::min(step.depth, 12));
            const bool failed = step.span.status == SpanStatus::Error;
            row({indent + esc(step.span.name), place(step.span.service, step.span.entity),
                 QStringLiteral("+%1").arg(durationUs(step.span.start - t.start)),
                 durationUs(step.span.duration()), durationUs(step.selfTime),
                 failed
                     ? QStringLiteral("<span class=\"error\">%1</span>").arg(QObject::tr("error"))
                     : QObject::tr("ok")});
        }
        m_out += QStringLiteral("</table>\n");
    }

    void parameters()
    {
        const analysis::AnalysisOptions &o = m_report.options.analysis;
        section(QObject::tr("Analysis parameters"));
        m_out += tableStart();
        keyValue(QObject::tr("Cause window"),
                 QObject::tr("%1 before the failure").arg(durationUs(o.window)));
        keyValue(QObject::tr("Baseline"),
                 QObject::tr("%1 before the window").arg(durationUs(o.baseline)));
        keyValue(QObject::tr("Recovery horizon"), durationUs(o.recoveryHorizon));
        keyValue(QObject::tr("Confident cause"),
                 QObject::tr("score ≥ %1").arg(number(analysis::kConfidentCauseScore, 2)));
        keyValue(QObject::tr("Shown at most"),
                 QObject::tr("%1 causes, %2 suspects, %3 metrics, %4 log lines")
                     .arg(o.maxCauses)
                     .arg(o.maxSuspects)
                     .arg(o.maxAnomalies)
                     .arg(m_report.options.maxLogLines));
        m_out += QStringLiteral("</table>\n");
    }

    void source()
    {
        const report::ReportProvenance &p = m_report.provenance;
        const CaptureInfo &info = p.capture;
        section(QObject::tr("Source"));
        m_out += tableStart();
        keyValue(QObject::tr("Capture"),
                 QStringLiteral("<span class=\"mono\">%1</span>").arg(esc(p.capturePath)));
        const auto meta = [&](const char *key) {
            auto found = info.meta.find(key);
            return found == info.meta.end() ? QStringLiteral("—") : esc(found->second);
        };
        keyValue(QObject::tr("Recorded from"), meta("source"));
        keyValue(QObject::tr("Created by"), meta("created_by"));
        keyValue(QObject::tr("Schema version"), QString::number(info.schemaVersion));
        if (info.span.end > info.span.begin)
            keyValue(QObject::tr("Data from"),
                     QStringLiteral("%1 to %2")
                         .arg(formatTime(info.span.begin, TimeZoneMode::Utc),
                              formatTime(info.span.end, TimeZoneMode::Utc)));
        keyValue(QObject::tr("Records"),
                 QObject::tr("%1 events, %2 series (%3 samples), %4 logs, %5 spans")
                     .arg(info.events)
                     .arg(info.series)
                     .arg(info.samples)
                     .arg(info.logs)
                     .arg(info.spans));
        QStringList offsets;
        for (const PartitionOffset &offset : p.offsets)
            offsets << QStringLiteral("%1[%2] @ %3")
                           .arg(esc(offset.topic))
                           .arg(offset.partition)
                           .arg(offset.nextOffset);
        keyValue(QObject::tr("Kafka offsets"),
                 offsets.isEmpty() ? QObject::tr("none (imported, not consumed)")
                                   : offsets.join(QStringLiteral(", ")));
        keyValue(QObject::tr("Report by"), esc(m_report.generator));
        m_out += QStringLiteral("</table>\n");
    }

    const report::IncidentReport &m_report;
    const ReportCharts &m_charts;
    const Theme &m_theme;
    Flavour m_flavour;
    QString m_out;
    int m_rows = 0;
};

// Draws the charts (as vectors, with their caption) and the score bars in a QTextDocument.
// Charts are drawn at their physical size, a logical pixel being 1/96 inch as on a screen,
// so that their fonts (in points) keep their size relative to the lines.
class ReportObjects : public QObject, public QTextObjectInterface
{
    Q_OBJECT
    Q_INTERFACES(QTextObjectInterface)

public:
    ReportObjects(const ReportCharts &charts, const Theme &theme, double width, int dpi)
        : m_charts(charts)
        , m_theme(theme)
        , m_width(width)
        , m_scale(dpi / 96.0)
    { }

    // The painter the document is drawn with; charts need its QCustomPlot interface.
    void setPainter(QCPPainter *painter) { m_painter = painter; }

    QSizeF intrinsicSize(QTextDocument *document, int, const QTextFormat &format) override
    {
        if (format.objectType() == kBarObject)
            return {m_width * 0.07, m_width * 0.009};
        const QSize logical = m_charts.logicalSize(format.intProperty(kObjectIndex));
        return {m_width, logical.height() * m_scale + captionHeight(document)};
    }

    void drawObject(QPainter *painter, const QRectF &rect, QTextDocument *document, int,
                    const QTextFormat &format) override
    {
        if (format.objectType() == kBarObject) {
            const double score = std::clamp(format.doubleProperty(kObjectScore), 0.0, 1.0);
            painter->fillRect(rect, m_theme.grid);
            QRectF filled = rect;
            filled.setWidth(rect.width() * score);
            painter->fillRect(filled,
                              score >= analysis::kConfidentCauseScore ? m_theme.highlight
                                                                      : m_theme.mutedText);
            return;
        }
        if (painter != m_painter)
            return; // only the PDF's own painter draws charts
        const int index = format.intProperty(kObjectIndex);
        const double caption = captionHeight(document);
        m_painter->save();
        m_painter->setFont(document->defaultFont());
        m_painter->setPen(m_theme.mutedText);
        m_painter->drawText(QRectF(rect.left(), rect.top(), rect.width(), caption),
                            Qt::AlignLeft | Qt::AlignVCenter, m_charts.caption(index));
        m_painter->translate(rect.left(), rect.top() + caption);
        m_painter->scale(m_scale, m_scale);
        const int logicalWidth = static_cast<int>(std::floor(rect.width() / m_scale));
        m_painter->setClipRect(QRect(0, 0, logicalWidth, m_charts.logicalSize(index).height()));
        m_charts.draw(*m_painter, index, logicalWidth);
        m_painter->restore();
    }

private:
    static double captionHeight(QTextDocument *document)
    {
        return QFontMetricsF(document->defaultFont(), document->documentLayout()->paintDevice())
                   .height()
            * 1.6;
    }

    const ReportCharts &m_charts;
    const Theme &m_theme;
    double m_width;
    double m_scale;
    QCPPainter *m_painter = nullptr;
};

// Turns the rich text's stand-in images ("chart:N", "bar:S") into the objects drawn by
// ReportObjects.
void replaceImageStandIns(QTextDocument &document)
{
    struct StandIn
    {
        int position;
        QTextCharFormat format;
    };
    std::vector<StandIn> found;
    for (QTextBlock block = document.begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            if (!fragment.charFormat().isImageFormat())
                continue;
            const QString name = fragment.charFormat().toImageFormat().name();
            QTextCharFormat format;
            if (name.startsWith(QLatin1String("chart:"))) {
                format.setObjectType(kChartObject);
                format.setProperty(kObjectIndex, name.mid(6).toInt());
            } else if (name.startsWith(QLatin1String("bar:"))) {
                format.setObjectType(kBarObject);
                format.setProperty(kObjectScore, name.mid(4).toDouble());
            } else {
                continue;
            }
            for (int i = 0; i < fragment.length(); ++i)
                found.push_back({fragment.position() + i, format});
        }
    }
    for (const StandIn &standIn : found) {
        QTextCursor cursor(&document);
        cursor.setPosition(standIn.position);
        cursor.setPosition(standIn.position + 1, QTextCursor::KeepAnchor);
        cursor.setCharFormat(standIn.format);
    }
}

QFont reportFont(double pointSize)
{
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPointSizeF(pointSize);
    return font;
}

Status writePdf(const report::IncidentReport &report, const ReportCharts &charts,
                const Theme &theme, const ReportOutput &output, QIODevice &device)
{
    // Screen resolution: the charts' fonts are in points and their geometry in logical pixels,
    // so only at 96 dpi do both keep the proportions they have on screen (as QCustomPlot's own
    // PDF export does). Text and lines stay vectors; the resolution is only the layout's unit.
    constexpr int kDpi = 96;
    QPdfWriter writer(&device);
    writer.setResolution(kDpi);
    writer.setPageSize(QPageSize(output.page));
    writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter);
    writer.setTitle(QTextDocumentFragment::fromHtml(title(report)).toPlainText());
    writer.setCreator(QString::fromStdString(report.generator));

    const QRectF paint = writer.pageLayout().paintRectPixels(kDpi);
    const QFont font = reportFont(8.5);
    const double footer = QFontMetricsF(font, &writer).height() * 2.5;
    const QSizeF pageSize(paint.width(), paint.height() - footer);

    QTextDocument document;
    document.documentLayout()->setPaintDevice(&writer);
    document.setDefaultFont(font);
    document.setDocumentMargin(0);
    document.setPageSize(pageSize);
    ReportObjects objects(charts, theme, pageSize.width(), kDpi);
    document.documentLayout()->registerHandler(kChartObject, &objects);
    document.documentLayout()->registerHandler(kBarObject, &objects);
    document.setHtml(Markup(report, charts, theme, Flavour::RichText).document());
    replaceImageStandIns(document);

    QCPPainter painter;
    if (!painter.begin(&writer))
        return Status::failure("cannot start the PDF");
    painter.setMode(QCPPainter::pmVectorized);
    painter.setMode(QCPPainter::pmNoCaching);
    painter.setMode(QCPPainter::pmNonCosmetic); // a line is as wide as on screen, not a hairline
    objects.setPainter(&painter);
    const int pages = document.pageCount();
    const QString footerText = QTextDocumentFragment::fromHtml(title(report)).toPlainText();
    for (int page = 0; page < pages; ++page) {
        if (page > 0)
            writer.newPage();
        if (theme.kind == Theme::Kind::Dark)
            painter.fillRect(QRectF(-paint.left(), -paint.top(), paint.width() + 2 * paint.left(),
                                    paint.height() + 2 * paint.top()),
                             theme.base);
        painter.save();
        painter.setClipRect(QRectF(0, 0, pageSize.width(), pageSize.height()));
        painter.translate(0, -page * pageSize.height());
        QAbstractTextDocumentLayout::PaintContext context;
        context.clip = QRectF(0, page * pageSize.height(), pageSize.width(), pageSize.height());
        context.palette.setColor(QPalette::Text, theme.text);
        document.documentLayout()->draw(&painter, context);
        painter.restore();
        painter.setFont(font);
        painter.setPen(theme.mutedText);
        const QRectF footerRect(0, paint.height() - footer * 0.6, paint.width(), footer * 0.6);
        painter.drawText(footerRect, Qt::AlignLeft | Qt::AlignBottom,
                         footerText + QStringLiteral(" · ")
                             + QString::fromStdString(report.generator));
        painter.drawText(footerRect, Qt::AlignRight | Qt::AlignBottom,
                         QObject::tr("page %1 of %2").arg(page + 1).arg(pages));
    }
    painter.end();
    return {};
}

Status writePng(const report::IncidentReport &report, const ReportCharts &charts,
                const Theme &theme, const ReportOutput &output, QIODevice &device)
{
    const QSize size = output.pictureSize;
    QImage image(size, QImage::Format_RGB32);
    image.fill(theme.window);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::TextAntialiasing);
    const int margin = std::max(8, size.width() / 80);
    const QRect inner = image.rect().adjusted(margin, margin, -margin, -margin);

    // Heading: what failed, when, for how long.
    QTextDocument heading;
    heading.setDocumentMargin(0);
    heading.setDefaultFont(reportFont(10));
    heading.setTextWidth(inner.width());
    const analysis::IncidentAnalysis &a = report.analysis;
    QString head = QStringLiteral("<p style=\"color:%1\"><span style=\"font-size:15pt\"><b>%2</b>"
                                  "</span><br>%3")
                       .arg(theme.text.name(), title(report), bothZones(a.failure.time));
    head += a.recoveryTime > 0
        ? QObject::tr(" · recovered after %1").arg(formatDuration(a.ttrSeconds))
        : QObject::tr(" · not recovered");
    head += QStringLiteral(" · %1</p>").arg(esc(report.generator));
    heading.setHtml(head);

    // Foot: the ranked causes and suspects, three of each.
    QTextDocument foot;
    foot.setDocumentMargin(0);
    foot.setDefaultFont(reportFont(9));
    foot.setTextWidth(inner.width());
    QString causes;
    if (a.causes.empty() || !analysis::isConfidentCause(a.causes.front()))
        causes += QObject::tr("<i>No change event explains this failure.</i><br>");
    for (std::size_t i = 0; i < a.causes.size() && i < 3; ++i) {
        const analysis::RankedCause &cause = a.causes[i];
        causes
            += QStringLiteral("%1. <b>%2</b> on %3 (%4), score %5<br>")
                   .arg(i + 1)
                   .arg(esc(cause.event.type), place(cause.event.service, cause.event.entity),
                        formatRelative(cause.event.time, a.failure.time), number(cause.score, 2));
    }
    QString suspects;
    for (std::size_t i = 0; i < a.suspects.size() && i < 3; ++i)
        suspects += QStringLiteral("%1. <b>%2</b>, score %3<br>")
                        .arg(i + 1)
                        .arg(place(a.suspects[i].service, a.suspects[i].entity),
                             number(a.suspects[i].score, 2));
    foot.setHtml(QStringLiteral("<table width=\"100%\" style=\"color:%1\"><tr><td width=\"55%\">"
                                "<b>%2</b><br>%3</td><td><b>%4</b><br>%5</td></tr></table>")
                     .arg(theme.text.name(), QObject::tr("Ranked causes"), causes,
                          QObject::tr("Where it started"),
                          suspects.isEmpty() ? QObject::tr("no suspect") : suspects));

    const int headHeight = static_cast<int>(std::ceil(heading.size().height()));
    const int footHeight = static_cast<int>(std::ceil(foot.size().height()));
    painter.save();
    painter.translate(inner.topLeft());
    heading.drawContents(&painter);
    painter.restore();
    const QRect chartArea(inner.left(), inner.top() + headHeight + margin, inner.width(),
                          inner.height() - headHeight - footHeight - 2 * margin);
    charts.drawStacked(painter, chartArea);
    painter.save();
    painter.translate(inner.left(), inner.bottom() - footHeight);
    foot.drawContents(&painter);
    painter.restore();
    painter.end();
    if (!image.save(&device, "PNG"))
        return Status::failure("cannot encode the PNG");
    return {};
}

} // namespace

std::optional<ReportFormat> reportFormatForPath(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("pdf"))
        return ReportFormat::Pdf;
    if (suffix == QLatin1String("html") || suffix == QLatin1String("htm"))
        return ReportFormat::Html;
    if (suffix == QLatin1String("png"))
        return ReportFormat::Png;
    return std::nullopt;
}

QString incidentReportHtml(const report::IncidentReport &report, const ReportCharts &charts,
                           const Theme &theme)
{
    return Markup(report, charts, theme, Flavour::Browser).document();
}

Status writeIncidentReport(CaptureReader &reader, const report::IncidentReport &report,
                           const ReportOutput &output)
{
    const Theme theme = Theme::forKind(output.theme);
    auto charts = ReportCharts::build(reader, report, theme);
    if (!charts)
        return Status::failure(charts.error());

    QSaveFile file(output.path);
    if (!file.open(QIODevice::WriteOnly))
        return Status::failure(output.path.toStdString() + ": " + file.errorString().toStdString());
    Status written;
    switch (output.format) {
    case ReportFormat::Pdf: written = writePdf(report, **charts, theme, output, file); break;
    case ReportFormat::Html:
        if (file.write(incidentReportHtml(report, **charts, theme).toUtf8()) < 0)
            written = Status::failure(file.errorString().toStdString());
        break;
    case ReportFormat::Png: written = writePng(report, **charts, theme, output, file); break;
    }
    if (!written) {
        file.cancelWriting();
        return Status::failure(output.path.toStdString() + ": " + written.error());
    }
    if (!file.commit())
        return Status::failure(output.path.toStdString() + ": " + file.errorString().toStdString());
    return {};
}

} // namespace eventscope::ui

#include "reportwriter.moc"
