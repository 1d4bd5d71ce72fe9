#include "rootcausepanel.h"

#include <QLabel>
#include <QPainter>
#include <QPainterPath>
#include <QTextBrowser>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <map>

namespace eventscope::ui {

namespace {

constexpr QSize kSparklineSize(160, 36);
constexpr QSize kBarSize(64, 10);

QString esc(const std::string &text)
{
    return QString::fromStdString(text).toHtmlEscaped();
}

// A link whose target survives any characters in ids and series keys.
QString link(const QString &kind, const std::string &target, const QString &text)
{
    return QStringLiteral("<a href=\"%1:%2\">%3</a>")
        .arg(kind, QString::fromLatin1(QUrl::toPercentEncoding(QString::fromStdString(target))),
             text);
}

QString percent(double score)
{
    return QStringLiteral("%1%").arg(std::lround(score * 100));
}

} // namespace

// Its pictures (score bars, sparklines) come from the panel, never from files.
class RootCausePanel::Browser : public QTextBrowser
{
public:
    using QTextBrowser::QTextBrowser;
    std::map<QString, QImage> images;

    QVariant loadResource(int type, const QUrl &name) override
    {
        if (type == QTextDocument::ImageResource) {
            const auto found = images.find(name.toString());
            return found == images.end() ? QVariant() : QVariant(found->second);
        }
        return {};
    }
};

RootCausePanel::RootCausePanel(QWidget *parent)
    : QWidget(parent)
    , m_theme(Theme::dark())
    , m_header(new QLabel(this))
    , m_browser(new Browser(this))
{
    setObjectName(QStringLiteral("RootCausePanel"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    m_header->setWordWrap(true);
    m_header->setTextFormat(Qt::PlainText);
    layout->addWidget(m_header);
    layout->addWidget(m_browser, 1);
    m_browser->setOpenLinks(false);
    m_browser->setFrameShape(QFrame::NoFrame);
    connect(m_browser, &QTextBrowser::anchorClicked, this,
            [this](const QUrl &url) { follow(url.toString(QUrl::FullyEncoded)); });
    clear();
}

void RootCausePanel::setTheme(const Theme &theme)
{
    m_theme = theme;
    render();
}

void RootCausePanel::setTimeZone(TimeZoneMode zone)
{
    m_zone = zone;
    render();
}

void RootCausePanel::clear()
{
    m_result.reset();
    m_header->setText(tr("Select a failure (a ▼ marker, or a failure row in the event table) to "
                         "see its likely causes, where it started and what moved."));
    m_browser->clear();
}

void RootCausePanel::showAnalysing(const Event &failure)
{
    m_result.reset();
    m_header->setText(tr("Analysing %1 (%2 on %3)…")
                          .arg(QString::fromStdString(failure.sourceId),
                               QString::fromStdString(failure.type),
                               QString::fromStdString(failure.service)));
    m_browser->clear();
}

void RootCausePanel::showResult(const IncidentAnalysisResult &result)
{
    m_result = result;
    render();
}

QTextBrowser &RootCausePanel::browser() const
{
    return *m_browser;
}

QString RootCausePanel::text() const
{
    return m_header->text() + QLatin1Char('\n') + m_browser->toPlainText();
}

void RootCausePanel::follow(const QString &target)
{
    const qsizetype colon = target.indexOf(QLatin1Char(':'));
    if (colon < 0)
        return;
    const QString kind = target.left(colon);
    const QString value = QUrl::fromPercentEncoding(target.mid(colon + 1).toLatin1());
    if (kind == QLatin1String("cause")) {
        Q_EMIT causeActivated(value);
    } else if (kind == QLatin1String("event")) {
        Q_EMIT eventActivated(value);
    } else if (kind == QLatin1String("suspect")) {
        const qsizetype bar = value.indexOf(QLatin1Char('\n'));
        Q_EMIT suspectActivated(value.left(bar), bar < 0 ? QString() : value.mid(bar + 1));
    } else if (kind == QLatin1String("series")) {
        Q_EMIT seriesActivated(value);
    }
}

QImage RootCausePanel::scoreBar(double score, bool weak) const
{
    QImage image(kBarSize * devicePixelRatioF(), QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(devicePixelRatioF());
    image.fill(Qt::transparent);
    QPainter painter(&image);
    painter.setPen(Qt::NoPen);
    painter.setBrush(m_theme.grid);
    painter.drawRect(QRectF(QPointF(0, 0), QSizeF(kBarSize)));
    painter.setBrush(weak ? m_theme.mutedText : m_theme.highlight);
    painter.drawRect(
        QRectF(0, 0, kBarSize.width() * std::clamp(score, 0.0, 1.0), kBarSize.height()));
    return image;
}

QImage RootCausePanel::sparkline(std::size_t index) const
{
    QImage image(kSparklineSize * devicePixelRatioF(), QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(devicePixelRatioF());
    image.fill(m_theme.base);
    const Sparkline &line = m_result->sparklines[index];
    const analysis::MetricAnomaly &anomaly = m_result->analysis->anomalies[index];
    if (line.values.size() < 2)
        return image;
    const TimeRange range = m_result->sparklineRange;
    double low = std::min(*std::min_element(line.values.begin(), line.values.end()),
                          anomaly.baseline - anomaly.sigma);
    double high = std::max(*std::max_element(line.values.begin(), line.values.end()),
                           anomaly.baseline + anomaly.sigma);
    if (!(high > low)) {
        low -= 1;
        high += 1;
    }
    const double w = kSparklineSize.width();
    const double h = kSparklineSize.height();
    const auto x = [&](TimeUs t) {
        return w * double(t - range.begin) / double(std::max<TimeUs>(1, range.end - range.begin));
    };
    const auto y = [&](double v) { return h - 2 - (h - 4) * (v - low) / (high - low); };
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    // The baseline band: where the series was before (median ± its noise).
    QColor band = m_theme.mutedText;
    band.setAlphaF(0.25);
    painter.fillRect(
        QRectF(0, y(anomaly.baseline + anomaly.sigma), w,
               y(anomaly.baseline - anomaly.sigma) - y(anomaly.baseline + anomaly.sigma)),
        band);
    // The failure, and the onset of the change.
    painter.setPen(QPen(m_theme.severityColor(Severity::Error), 1));
    painter.drawLine(QPointF(x(m_result->analysis->failure.time), 0),
                     QPointF(x(m_result->analysis->failure.time), h));
    if (anomaly.onset > 0) {
        painter.setPen(QPen(m_theme.severityColor(Severity::Warning), 1, Qt::DashLine));
        painter.drawLine(QPointF(x(anomaly.onset), 0), QPointF(x(anomaly.onset), h));
    }
    QPainterPath path;
    for (std::size_t i = 0; i < line.values.size(); ++i) {
        const QPointF point(x(line.times[i]), y(line.values[i]));
        if (i == 0)
            path.moveTo(point);
        else
            path.lineTo(point);
    }
    painter.setPen(QPen(m_theme.seriesColor(0), 1.5));
    painter.setBrush(Qt::NoBrush);
    painter.drawPath(path);
    return image;
}

void RootCausePanel::render()
{
    if (!m_result)
        return;
    const IncidentAnalysisResult &result = *m_result;
    if (!result.analysis) {
        m_header->setText(tr("Cannot analyse %1: %2")
                              .arg(QString::fromStdString(result.failureId), result.error));
        m_browser->clear();
        return;
    }
    const analysis::IncidentAnalysis &a = *result.analysis;
    const Event &failure = a.failure;
    m_header->setText(tr("%1 on %2")
                          .arg(QString::fromStdString(failure.type),
                               QString::fromStdString(failure.service.empty() ? failure.entity
                                                                              : failure.service)));
    m_browser->images.clear();
    m_browser->document()->setDefaultStyleSheet(
        QStringLiteral("a { color: %1; text-decoration: none; } .muted { color: %2; } "
                       ".weak { color: %2; } h4 { margin-top: 10px; margin-bottom: 4px; } "
                       ".answer { color: %3; }")
            .arg(m_theme.highlight.name(), m_theme.mutedText.name(),
                 m_theme.severityColor(Severity::Warning).name()));

    QString html;
    html += QStringLiteral("<p class=muted>%1 · %2%3</p>")
                .arg(formatTime(failure.time, m_zone).toHtmlEscaped(), esc(failure.sourceId),
                     failure.message.empty() ? QString()
                                             : QStringLiteral(" · ") + esc(failure.message));

    // Causes.
    html += QStringLiteral("<h4>%1</h4>").arg(tr("Likely causes"));
    const bool confident = !a.causes.empty() && analysis::isConfidentCause(a.causes.front());
    if (a.causes.empty())
        html += QStringLiteral("<p class=answer><b>%1</b></p>")
                    .arg(tr("No change event explains this failure: nothing changed on a related "
                            "service in the window before it."));
    else if (!confident)
        html += QStringLiteral("<p class=answer><b>%1</b> %2</p>")
                    .arg(tr("No change event explains this failure with confidence."),
                         tr("The strongest candidates are weak:"));
    html += QStringLiteral("<table cellspacing=0 cellpadding=3>");
    for (std::size_t i = 0; i < a.causes.size(); ++i) {
        const analysis::RankedCause &cause = a.causes[i];
        const bool weak = !analysis::isConfidentCause(cause);
        const QString barUrl = QStringLiteral("bar:cause%1").arg(i);
        m_browser->images[barUrl] = scoreBar(cause.score, weak);
        QString where = esc(cause.event.service.empty() ? cause.event.entity : cause.event.service);
        QString evidence;
        for (const std::string &line : cause.evidence)
            evidence += QStringLiteral("<br>· ") + esc(line);
        html += QStringLiteral("<tr><td valign=top><img src=\"%1\"></td>"
                               "<td valign=top class=%2>%3%4</td>"
                               "<td valign=top>%5 <span class=muted>on %6, %7</span>"
                               "<span class=muted>%8</span></td></tr>")
                    .arg(barUrl, weak ? QStringLiteral("weak") : QStringLiteral("strong"),
                         percent(cause.score), weak ? tr(" weak") : QString(),
                         link(QStringLiteral("cause"), cause.event.sourceId, esc(cause.event.type)),
                         where, formatRelative(cause.event.time, failure.time).toHtmlEscaped(),
                         evidence);
    }
    html += QStringLiteral("</table>");

    // Suspects.
    if (!a.suspects.empty()) {
        html += QStringLiteral("<h4>%1</h4><table cellspacing=0 cellpadding=3>")
                    .arg(tr("Where it started"));
        for (std::size_t i = 0; i < a.suspects.size(); ++i) {
            const analysis::Suspect &suspect = a.suspects[i];
            const QString barUrl = QStringLiteral("bar:suspect%1").arg(i);
            m_browser->images[barUrl] = scoreBar(suspect.score, suspect.score < 0.5);
            QString evidence;
            for (const std::string &line : suspect.evidence)
                evidence += QStringLiteral("<br>· ") + esc(line);
            const QString name = esc(suspect.service)
                + (suspect.entity.empty() ? QString()
                                          : QStringLiteral(" / ") + esc(suspect.entity));
            html += QStringLiteral("<tr><td valign=top><img src=\"%1\"></td><td valign=top>%2</td>"
                                   "<td valign=top>%3<span class=muted>%4</span></td></tr>")
                        .arg(barUrl, percent(suspect.score),
                             link(QStringLiteral("suspect"),
                                  suspect.service + '\n' + suspect.entity, name),
                             evidence);
        }
        html += QStringLiteral("</table>");
    }

    // Moved metrics.
    if (!a.anomalies.empty()) {
        html += QStringLiteral("<h4>%1</h4><table cellspacing=0 cellpadding=3>")
                    .arg(tr("Metrics that moved"));
        for (std::size_t i = 0; i < a.anomalies.size(); ++i) {
            const analysis::MetricAnomaly &anomaly = a.anomalies[i];
            const QString sparkUrl = QStringLiteral("spark:%1").arg(i);
            if (i < result.sparklines.size())
                m_browser->images[sparkUrl] = sparkline(i);
            const QString name = anomaly.seriesId != 0
                ? link(QStringLiteral("series"), anomaly.series, esc(anomaly.series))
                : esc(anomaly.series)
                    + QStringLiteral(" <span class=muted>(%1)</span>")
                          .arg(tr("from logs and spans"));
            const QString change
                = tr("%1 from %2 to %3 (%4 σ), %5")
                      .arg(anomaly.direction > 0 ? QStringLiteral("↑") : QStringLiteral("↓"),
                           QString::number(anomaly.baseline, 'g', 4),
                           QString::number(anomaly.after, 'g', 4),
                           QString::number(anomaly.score, 'f', 1),
                           anomaly.onset > 0
                               ? tr("onset %1").arg(formatRelative(anomaly.onset, failure.time))
                               : tr("onset unknown"));
            html += QStringLiteral("<tr><td valign=top>%1</td><td valign=top>%2<br>"
                                   "<span class=muted>%3</span></td></tr>")
                        .arg(anomaly.seriesId != 0 && i < result.sparklines.size()
                                     && result.sparklines[i].values.size() >= 2
                                 ? QStringLiteral("<img src=\"%1\">").arg(sparkUrl)
                                 : QString(),
                             name, change.toHtmlEscaped());
        }
        html += QStringLiteral("</table>");
    }

    // Recovery.
    html += QStringLiteral("<h4>%1</h4><p>").arg(tr("Recovery"));
    if (a.recoveryTime > 0) {
        html += tr("Recovered %1 (%2)")
                    .arg(formatTime(a.recoveryTime, m_zone).toHtmlEscaped(),
                         a.recovery ? tr("recovery event %1")
                                          .arg(link(QStringLiteral("event"), a.recovery->sourceId,
                                                    esc(a.recovery->type)))
                                    : tr("%1 back to its baseline").arg(esc(a.recoveryMetric)));
        html += QStringLiteral("<br>")
            + tr("Time to recover: <b>%1</b>").arg(formatDuration(a.ttrSeconds).toHtmlEscaped());
    } else {
        html += tr("Not recovered in the capture.");
    }
    html += QStringLiteral("</p><p class=muted>%1</p>")
                .arg(tr("Analysed in %1 ms.").arg(std::lround(result.milliseconds)));
    m_browser->setHtml(html);
}

} // namespace eventscope::ui
