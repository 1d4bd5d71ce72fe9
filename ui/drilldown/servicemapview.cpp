#include "servicemapview.h"

#include "numbertext.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QPainterPathStroker>
#include <QToolTip>

#include <algorithm>
#include <cmath>
#include <map>

namespace eventscope::ui {

namespace {

constexpr double kErrorRateBad = 0.05; // an edge this failing is drawn in the error colour
constexpr double kErrorRateRaised = 0.01;
constexpr double kMargin = 12;

QString percentText(double fraction)
{
    return QStringLiteral("%1 %").arg(fraction * 100, 0, 'f', fraction < 0.1 ? 1 : 0);
}

QString shortSeries(const std::string &canonical)
{
    // latency_p99_ms{service=x,pod=y} -> latency_p99_ms (pod=y)
    const QString text = QString::fromStdString(canonical);
    const qsizetype brace = text.indexOf(QLatin1Char('{'));
    if (brace < 0)
        return text;
    QStringList kept;
    for (const QString &label : text.mid(brace + 1).chopped(1).split(QLatin1Char(','))) {
        if (!label.startsWith(QLatin1String("service=")))
            kept << label;
    }
    return kept.isEmpty()
        ? text.left(brace)
        : text.left(brace) + QStringLiteral(" (") + kept.join(QLatin1Char(',')) + QLatin1Char(')');
}

QString stateText(const analysis::ServiceMapNode &node)
{
    if (node.anomaly.symptom >= analysis::kServiceMapAnomalous)
        return QObject::tr("anomalous");
    if (node.anomaly.symptom > 0)
        return QObject::tr("slightly off");
    if (node.seriesScored == 0)
        return QObject::tr("no metrics");
    return QObject::tr("normal");
}

} // namespace

ServiceMapView::ServiceMapView(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("ServiceMapView"));
    setMouseTracking(true);
    setAutoFillBackground(false);
}

void ServiceMapView::setMap(std::optional<analysis::ServiceMap> map)
{
    m_map = std::move(map);
    layOut();
    update();
}

void ServiceMapView::setTheme(const Theme &theme)
{
    m_theme = theme;
    update();
}

void ServiceMapView::setHighlighted(const QString &service)
{
    m_highlighted = service;
    update();
}

QRectF ServiceMapView::nodeRect(const QString &service) const
{
    if (!m_map)
        return {};
    for (std::size_t i = 0; i < m_map->nodes.size() && i < m_rects.size(); ++i) {
        if (QString::fromStdString(m_map->nodes[i].service) == service)
            return m_rects[i];
    }
    return {};
}

void ServiceMapView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    layOut();
}

void ServiceMapView::layOut()
{
    m_rects.clear();
    if (!m_map || m_map->nodes.empty())
        return;
    const double legendHeight = fontMetrics().height() + 8;
    m_legend = QRectF(kMargin, height() - legendHeight, width() - 2 * kMargin, legendHeight);
    const QRectF area(kMargin, kMargin, width() - 2 * kMargin,
                      height() - 2 * kMargin - legendHeight);
    std::map<int, std::vector<std::size_t>> columns;
    for (std::size_t i = 0; i < m_map->nodes.size(); ++i)
        columns[m_map->nodes[i].layer].push_back(i);
    const int columnCount = static_cast<int>(columns.size());
    std::size_t tallest = 1;
    for (const auto &[layer, members] : columns)
        tallest = std::max(tallest, members.size());
    // Boxes shrink to fit, within reason; the names stay legible.
    const double nodeWidth = std::clamp(area.width() / (columnCount * 1.6), 90.0, 190.0);
    const double nodeHeight
        = std::clamp(area.height() / (static_cast<double>(tallest) * 1.35), 22.0, 46.0);
    const double xStep = columnCount > 1 ? (area.width() - nodeWidth) / (columnCount - 1) : 0.0;
    m_rects.assign(m_map->nodes.size(), QRectF());
    // Within a column, by where their callers sit (fewer crossings), then by name.
    std::map<std::string, double> yOf;
    int column = 0;
    for (auto &[layer, members] : columns) {
        std::vector<std::pair<double, std::size_t>> order;
        for (const std::size_t i : members) {
            double sum = 0;
            int n = 0;
            for (const analysis::ServiceMapEdge &e : m_map->edges) {
                if (e.callee == m_map->nodes[i].service) {
                    if (const auto y = yOf.find(e.caller); y != yOf.end()) {
                        sum += y->second;
                        ++n;
                    }
                }
            }
            order.emplace_back(n > 0 ? sum / n : 1e9, i);
        }
        std::stable_sort(order.begin(), order.end(),
                         [](const auto &a, const auto &b) { return a.first < b.first; });
        const double yStep = area.height() / static_cast<double>(order.size());
        for (std::size_t k = 0; k < order.size(); ++k) {
            const std::size_t i = order[k].second;
            const double x = columnCount > 1 ? area.left() + column * xStep
                                             : area.center().x() - nodeWidth / 2;
            const double y = area.top() + yStep * (static_cast<double>(k) + 0.5) - nodeHeight / 2;
            m_rects[i] = QRectF(x, y, nodeWidth, nodeHeight);
            yOf[m_map->nodes[i].service] = y;
        }
        ++column;
    }
}

QColor ServiceMapView::fillOf(const analysis::ServiceMapNode &node) const
{
    if (node.anomaly.symptom >= analysis::kServiceMapAnomalous)
        return mixed(m_theme.base, m_theme.severityColor(Severity::Error),
                     0.35 + 0.45 * node.anomaly.symptom);
    if (node.anomaly.symptom > 0)
        return mixed(m_theme.base, m_theme.severityColor(Severity::Warning), 0.45);
    if (node.seriesScored == 0)
        return m_theme.base;
    return mixed(m_theme.base, m_theme.severityColor(Severity::Info), 0.18);
}

QColor ServiceMapView::edgeColour(const analysis::ServiceMapEdge &edge) const
{
    if (edge.calls > 0 && edge.errorRate() >= kErrorRateBad)
        return m_theme.severityColor(Severity::Error);
    if (edge.calls > 0 && edge.errorRate() >= kErrorRateRaised)
        return m_theme.severityColor(Severity::Warning);
    return m_theme.mutedText;
}

QPainterPath ServiceMapView::edgePath(const analysis::ServiceMapEdge &edge) const
{
    const QRectF from = nodeRect(QString::fromStdString(edge.caller));
    const QRectF to = nodeRect(QString::fromStdString(edge.callee));
    QPainterPath path;
    if (from.isNull() || to.isNull())
        return path;
    if (to.left() > from.right()) {
        const QPointF start(from.right(), from.center().y());
        const QPointF end(to.left(), to.center().y());
        const double bend = (end.x() - start.x()) / 2;
        path.moveTo(start);
        path.cubicTo(start + QPointF(bend, 0), end - QPointF(bend, 0), end);
    } else {
        // A call back up (or within a column): around below the boxes.
        const QPointF start(from.center().x(), from.bottom());
        const QPointF end(to.center().x(), to.bottom());
        const double drop = std::max(from.height(), to.height());
        path.moveTo(start);
        path.cubicTo(start + QPointF(0, drop), end + QPointF(0, drop), end);
    }
    return path;
}

void ServiceMapView::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.fillRect(rect(), m_theme.base);
    painter.setRenderHint(QPainter::Antialiasing);
    if (!m_map || m_map->nodes.empty()) {
        painter.setPen(m_theme.mutedText);
        painter.drawText(rect().adjusted(12, 12, -12, -12), Qt::AlignCenter | Qt::TextWordWrap,
                         m_map ? tr("No services in this window: no spans, no topology and no "
                                    "series with a service label.")
                               : tr("The service map shows here."));
        return;
    }
    // Calls first, under the boxes.
    for (const analysis::ServiceMapEdge &edge : m_map->edges) {
        const QPainterPath path = edgePath(edge);
        if (path.isEmpty())
            continue;
        const QColor colour = edgeColour(edge);
        const double width = edge.calls > 0
            ? 1.0 + std::min(3.0, std::log10(static_cast<double>(edge.calls)))
            : 1.0;
        QPen pen(colour, width);
        if (edge.calls == 0)
            pen.setStyle(Qt::DashLine);
        painter.setPen(pen);
        painter.setBrush(Qt::NoBrush);
        painter.drawPath(path);
        // The arrowhead where it enters the callee.
        const QPointF tip = path.pointAtPercent(1.0);
        const QPointF back = path.pointAtPercent(0.97);
        const double angle = std::atan2(tip.y() - back.y(), tip.x() - back.x());
        const double size = 5 + width;
        QPolygonF head;
        head << tip << tip - QPointF(size * std::cos(angle - 0.45), size * std::sin(angle - 0.45))
             << tip - QPointF(size * std::cos(angle + 0.45), size * std::sin(angle + 0.45));
        painter.setPen(Qt::NoPen);
        painter.setBrush(colour);
        painter.drawPolygon(head);
        if (edge.errors > 0 && edge.errorRate() >= kErrorRateRaised) {
            const QString label = percentText(edge.errorRate());
            const QPointF middle = path.pointAtPercent(0.5);
            QRectF box = fontMetrics().boundingRect(label).toRectF().adjusted(-3, -1, 3, 1);
            box.moveCenter(middle);
            painter.setBrush(m_theme.base);
            painter.drawRoundedRect(box, 3, 3);
            painter.setPen(colour);
            painter.drawText(box, Qt::AlignCenter, label);
        }
    }
    // The services.
    QFont bold = font();
    bold.setBold(true);
    for (std::size_t i = 0; i < m_map->nodes.size(); ++i) {
        const analysis::ServiceMapNode &node = m_map->nodes[i];
        const QRectF box = m_rects[i];
        const QString name = QString::fromStdString(node.service);
        const bool highlighted = name == m_highlighted;
        QPen outline(highlighted ? m_theme.highlight : m_theme.axis, highlighted ? 2.5 : 1);
        if (node.seriesScored == 0 && node.anomaly.symptom == 0)
            outline.setStyle(Qt::DashLine);
        painter.setPen(outline);
        painter.setBrush(fillOf(node));
        painter.drawRoundedRect(box, 5, 5);
        painter.setPen(m_theme.text);
        const QRectF inner = box.adjusted(6, 2, -6, -2);
        const bool twoLines = box.height() >= 2.2 * fontMetrics().height();
        painter.setFont(bold);
        const QString shownName
            = QFontMetrics(bold).elidedText(name, Qt::ElideRight, static_cast<int>(inner.width()));
        if (!twoLines) {
            painter.drawText(inner, Qt::AlignCenter, shownName);
            continue;
        }
        QRectF top = inner;
        top.setHeight(inner.height() / 2);
        painter.drawText(top, Qt::AlignHCenter | Qt::AlignBottom, shownName);
        painter.setFont(font());
        painter.setPen(node.anomaly.symptom > 0 ? m_theme.text : m_theme.mutedText);
        QString detail = stateText(node);
        if (node.anomaly.symptom > 0 && !node.anomaly.strongest.empty())
            detail = shortSeries(node.anomaly.strongest);
        QRectF bottom = inner;
        bottom.setTop(top.bottom());
        painter.drawText(
            bottom, Qt::AlignHCenter | Qt::AlignTop,
            fontMetrics().elidedText(detail, Qt::ElideRight, static_cast<int>(inner.width())));
    }
    // The legend: what the colours mean.
    painter.setFont(font());
    double x = m_legend.left();
    const double y = m_legend.center().y();
    const auto swatch = [&](const QColor &fill, const QString &text, bool dashed = false) {
        QPen pen(m_theme.axis);
        if (dashed)
            pen.setStyle(Qt::DashLine);
        painter.setPen(pen);
        painter.setBrush(fill);
        painter.drawRoundedRect(QRectF(x, y - 6, 18, 12), 3, 3);
        x += 22;
        painter.setPen(m_theme.mutedText);
        painter.drawText(QPointF(x, y + fontMetrics().ascent() / 2.0 - 1), text);
        x += fontMetrics().horizontalAdvance(text) + 14;
    };
    const auto line = [&](const QColor &colour, const QString &text, bool dashed = false) {
        QPen pen(colour, 2);
        if (dashed)
            pen.setStyle(Qt::DashLine);
        painter.setPen(pen);
        painter.drawLine(QPointF(x, y), QPointF(x + 18, y));
        x += 22;
        painter.setPen(m_theme.mutedText);
        painter.drawText(QPointF(x, y + fontMetrics().ascent() / 2.0 - 1), text);
        x += fontMetrics().horizontalAdvance(text) + 14;
    };
    analysis::ServiceMapNode sample;
    sample.anomaly.symptom = 0.8;
    swatch(fillOf(sample), tr("anomalous"));
    sample.anomaly.symptom = 0.1;
    swatch(fillOf(sample), tr("slightly off"));
    sample.anomaly.symptom = 0;
    sample.seriesScored = 1;
    swatch(fillOf(sample), tr("normal"));
    sample.seriesScored = 0;
    swatch(fillOf(sample), tr("no metrics"), true);
    line(m_theme.severityColor(Severity::Error), tr("calls ≥ 5 % failing"));
    line(m_theme.severityColor(Severity::Warning), tr("≥ 1 %"));
    line(m_theme.mutedText, tr("fewer"));
    line(m_theme.mutedText, tr("no calls in the window"), true);
}

int ServiceMapView::nodeAt(QPointF point) const
{
    for (std::size_t i = 0; i < m_rects.size(); ++i) {
        if (m_rects[i].contains(point))
            return static_cast<int>(i);
    }
    return -1;
}

int ServiceMapView::edgeAt(QPointF point) const
{
    if (!m_map)
        return -1;
    QPainterPathStroker stroker;
    stroker.setWidth(8);
    for (std::size_t i = 0; i < m_map->edges.size(); ++i) {
        if (stroker.createStroke(edgePath(m_map->edges[i])).contains(point))
            return static_cast<int>(i);
    }
    return -1;
}

QString ServiceMapView::describeAt(QPointF point) const
{
    if (const int n = nodeAt(point); n >= 0) {
        const analysis::ServiceMapNode &node = m_map->nodes[static_cast<std::size_t>(n)];
        QString text
            = tr("<b>%1</b>: %2")
                  .arg(QString::fromStdString(node.service).toHtmlEscaped(), stateText(node));
        if (node.anomaly.symptom > 0)
            text += tr("<br>%1 (%2σ off its baseline)")
                        .arg(QString::fromStdString(node.anomaly.strongest).toHtmlEscaped())
                        .arg(node.anomaly.strongestSigmas, 0, 'f', 1);
        text += tr("<br>%1 scored").arg(counted(node.seriesScored, tr("series"), tr("series")));
        if (node.spans > 0)
            text += tr("; %1 spans, %2 failed").arg(node.spans).arg(node.errorSpans);
        return text + tr("<br><i>Click: filter logs, traces and events to it</i>");
    }
    if (const int e = edgeAt(point); e >= 0) {
        const analysis::ServiceMapEdge &edge = m_map->edges[static_cast<std::size_t>(e)];
        QString text = tr("<b>%1 → %2</b>")
                           .arg(QString::fromStdString(edge.caller).toHtmlEscaped(),
                                QString::fromStdString(edge.callee).toHtmlEscaped());
        if (edge.calls > 0)
            text += tr("<br>%1 calls, %2 failed (%3)")
                        .arg(edge.calls)
                        .arg(edge.errors)
                        .arg(percentText(edge.errorRate()));
        else
            text += tr("<br>no calls in the window");
        if (edge.declared)
            text += tr("<br>declared in the topology");
        return text;
    }
    return {};
}

void ServiceMapView::mouseMoveEvent(QMouseEvent *event)
{
    setCursor(nodeAt(event->position()) >= 0 ? Qt::PointingHandCursor : Qt::ArrowCursor);
    QWidget::mouseMoveEvent(event);
}

void ServiceMapView::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton) {
        if (const int n = nodeAt(event->position()); n >= 0)
            Q_EMIT serviceActivated(
                QString::fromStdString(m_map->nodes[static_cast<std::size_t>(n)].service));
    }
    QWidget::mouseReleaseEvent(event);
}

bool ServiceMapView::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const QString text = describeAt(help->pos());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return QWidget::event(event);
}

} // namespace eventscope::ui
