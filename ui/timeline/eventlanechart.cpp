#include "eventlanechart.h"

#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace eventscope::ui {

namespace {
constexpr int kLaneHeight = 22;
constexpr int kHoverListLimit = 20;

void drawMarker(QCPPainter *painter, EventCategory category, QPointF at, double r)
{
    switch (category) {
    case EventCategory::Failure: { // down-pointing triangle
        const QPointF points[3]
            = {{at.x() - r, at.y() - r}, {at.x() + r, at.y() - r}, {at.x(), at.y() + r}};
        painter->drawPolygon(points, 3);
        break;
    }
    case EventCategory::Recovery: // circle
        painter->drawEllipse(at, r, r);
        break;
    case EventCategory::Deployment: { // diamond
        const QPointF points[4] = {
            {at.x(), at.y() - r}, {at.x() + r, at.y()}, {at.x(), at.y() + r}, {at.x() - r, at.y()}};
        painter->drawPolygon(points, 4);
        break;
    }
    case EventCategory::Scaling: { // up-pointing triangle
        const QPointF points[3]
            = {{at.x() - r, at.y() + r}, {at.x() + r, at.y() + r}, {at.x(), at.y() - r}};
        painter->drawPolygon(points, 3);
        break;
    }
    case EventCategory::Alert: { // bell-ish: a tall triangle with a bar
        const QPointF points[3] = {
            {at.x() - r, at.y() + r * 0.6}, {at.x() + r, at.y() + r * 0.6}, {at.x(), at.y() - r}};
        painter->drawPolygon(points, 3);
        painter->drawRect(QRectF(at.x() - r * 0.3, at.y() + r * 0.7, r * 0.6, r * 0.3));
        break;
    }
    case EventCategory::Config: // square
        painter->drawRect(QRectF(at.x() - r * 0.85, at.y() - r * 0.85, r * 1.7, r * 1.7));
        break;
    case EventCategory::Provisioning: // small square on its corner... a plus
    case EventCategory::Other:
        painter->drawRect(QRectF(at.x() - r * 0.6, at.y() - r * 0.6, r * 1.2, r * 1.2));
        break;
    }
}

QString shortLabel(const Event &event)
{
    const auto dot = event.type.find('.');
    return QString::fromStdString(dot == std::string::npos ? event.type
                                                           : event.type.substr(dot + 1));
}
} // namespace

class EventLaneChart::LaneLayer : public QCPLayerable
{
public:
    explicit LaneLayer(EventLaneChart *chart)
        : QCPLayerable(chart, QStringLiteral("main"))
        , m_chart(chart)
    { }

protected:
    void applyDefaultAntialiasingHint(QCPPainter *painter) const override
    {
        painter->setAntialiasing(true);
    }
    QRect clipRect() const override { return m_chart->viewport(); }

    void draw(QCPPainter *painter) override
    {
        const QRect area = m_chart->rect()->rect();
        const Theme &theme = m_chart->theme();
        const auto columns = m_chart->m_columns;
        const int lanes = m_chart->laneCount();
        const QFontMetrics metrics(m_chart->font());

        // Lane stripes and names in the left margin.
        for (int lane = 0; lane < lanes; ++lane) {
            const QRect row(area.left(), area.top() + lane * kLaneHeight, area.width(),
                            kLaneHeight);
            if (lane % 2 == 1)
                painter->fillRect(row, theme.alternateBase);
            painter->setPen(theme.mutedText);
            const QString name = columns && lane < static_cast<int>(columns->lanes.size())
                ? QString::fromStdString(columns->lanes[static_cast<std::size_t>(lane)])
                : QString();
            painter->drawText(QRect(4, row.top(), area.left() - 10, kLaneHeight),
                              Qt::AlignRight | Qt::AlignVCenter,
                              metrics.elidedText(name, Qt::ElideMiddle, area.left() - 14));
        }
        painter->save();
        painter->setClipRect(area);
        const QCPAxis *x = m_chart->timeAxis();
        if (m_chart->m_spans) {
            const TimeRange visible = m_chart->m_view.visibleRange();
            for (const EventSpan &span : *m_chart->m_spans) {
                if (span.end < visible.begin || span.begin >= visible.end)
                    continue;
                QColor color = span.kind == EventSpan::Kind::Incident
                    ? theme.severityColor(Severity::Error)
                    : (span.kind == EventSpan::Kind::Alert
                           ? theme.severityColor(Severity::Warning)
                           : theme.categoryColor(EventCategory::Deployment));
                color.setAlpha(45);
                const double left
                    = std::max<double>(x->coordToPixel(toKey(span.begin)), area.left());
                const double right
                    = std::min<double>(x->coordToPixel(toKey(span.end)), area.right());
                painter->fillRect(
                    QRectF(left, area.top(), std::max(1.0, right - left), area.height()), color);
                if (span.open) {
                    painter->setPen(QPen(color.lighter(150), 1, Qt::DashLine));
                    painter->drawLine(QPointF(right, area.top()), QPointF(right, area.bottom()));
                }
            }
        }
        if (!columns || columns->columns <= 0 || !m_chart->m_events) {
            painter->restore();
            return;
        }
        const double left = x->coordToPixel(toKey(columns->range.begin));
        const double right = x->coordToPixel(toKey(columns->range.end));
        const double perColumn = (right - left) / columns->columns;
        const double radius = 5;
        QFont badgeFont = m_chart->font();
        badgeFont.setPointSizeF(badgeFont.pointSizeF() * 0.8);
        const QFontMetrics badgeMetrics(badgeFont);
        double lastBadgeRight = -1e9;
        int lastBadgeLane = -1;
        double lastLabelRight = -1e9;
        int lastLabelLane = -1;
        const auto &events = *m_chart->m_events;
        for (const EventCell &cell : columns->cells) {
            const QPointF at(std::floor(left + (cell.column + 0.5) * perColumn) + 0.5,
                             area.top() + cell.lane * kLaneHeight + kLaneHeight / 2.0);
            const QColor color = theme.severityColor(cell.worst);
            painter->setPen(QPen(theme.base, 1));
            painter->setBrush(color);
            drawMarker(painter, cell.category, at, radius);
            // Badges and labels only where there is room; the hover lists everything.
            if (cell.lane != lastBadgeLane)
                lastBadgeRight = -1e9;
            if (cell.count > 1 && at.x() + radius > lastBadgeRight) {
                const QString badge = cell.identical ? QStringLiteral("×%1").arg(cell.count)
                                                     : QString::number(cell.count);
                const QRectF box(at.x() + radius - 1, at.y() - kLaneHeight / 2.0 + 1,
                                 badgeMetrics.horizontalAdvance(badge) + 4,
                                 badgeMetrics.height() - 2);
                painter->setFont(badgeFont);
                painter->setPen(color.lighter(130));
                painter->drawText(box, Qt::AlignLeft | Qt::AlignVCenter, badge);
                lastBadgeRight = box.right() + 2;
                lastBadgeLane = cell.lane;
            }
            if (m_chart->m_showLabels && cell.firstIndex < events.size()) {
                if (cell.lane != lastLabelLane)
                    lastLabelRight = -1e9;
                const QString label = shortLabel(events[cell.firstIndex]);
                const double labelLeft = at.x() + radius + 2;
                if (labelLeft > lastLabelRight) {
                    painter->setFont(badgeFont);
                    painter->setPen(theme.text);
                    const QRectF box(labelLeft, at.y() - 1,
                                     badgeMetrics.horizontalAdvance(label) + 2, kLaneHeight / 2.0);
                    painter->drawText(box, Qt::AlignLeft | Qt::AlignVCenter, label);
                    lastLabelRight = box.right() + 6;
                    lastLabelLane = cell.lane;
                }
            }
        }
        if (const auto &selected = m_chart->m_view.selectedEvent()) {
            const int lane = laneOf(*columns, *selected);
            const double px = x->coordToPixel(toKey(selected->time));
            painter->setPen(QPen(theme.highlight.lighter(150), 2));
            painter->setBrush(Qt::NoBrush);
            if (lane >= 0)
                painter->drawEllipse(
                    QPointF(px, area.top() + lane * kLaneHeight + kLaneHeight / 2.0), radius + 4,
                    radius + 4);
            painter->setPen(QPen(theme.highlight.lighter(140), 1));
            painter->drawLine(QPointF(px, area.top()), QPointF(px, area.bottom()));
        }
        painter->restore();
    }

private:
    EventLaneChart *m_chart;
};

EventLaneChart::EventLaneChart(ViewState &view, QWidget *parent)
    : TimelineChart(view, parent)
{
    valueAxis()->setVisible(false);
    valueAxis()->setRange(0, 1);
    timeAxis()->grid()->setVisible(true);
    m_laneLayer = new LaneLayer(this);
    connect(&m_view, &ViewState::selectionChanged, this, &EventLaneChart::replotNow);
    connect(this, &TimelineChart::clicked, this,
            [this](QPoint position, TimeUs, Qt::KeyboardModifiers) {
                const auto under = eventsAt(position);
                if (!under.empty())
                    Q_EMIT eventClicked(*under.front());
                else
                    m_view.clearSelection();
            });
}

void EventLaneChart::setEvents(EventList events, std::shared_ptr<const EventColumns> columns,
                               std::shared_ptr<const std::vector<EventSpan>> spans)
{
    const int lanesBefore = laneCount();
    m_events = std::move(events);
    m_columns = std::move(columns);
    m_spans = std::move(spans);
    if (laneCount() != lanesBefore)
        updateGeometry();
    replotNow();
}

void EventLaneChart::setShowLabels(bool show)
{
    m_showLabels = show;
    replotNow();
}

void EventLaneChart::setTheme(const Theme &theme)
{
    TimelineChart::setTheme(theme);
    replotNow();
}

int EventLaneChart::laneCount() const
{
    return m_columns ? static_cast<int>(m_columns->lanes.size()) : kEventCategoryCount;
}

int EventLaneChart::preferredHeight() const
{
    const QMargins margins = rect()->margins();
    return laneCount() * kLaneHeight + margins.top() + margins.bottom() + 2;
}

int EventLaneChart::laneAt(int y) const
{
    const int lane = (y - rect()->rect().top()) / kLaneHeight;
    return lane >= 0 && lane < laneCount() ? lane : -1;
}

std::vector<const Event *> EventLaneChart::eventsAt(QPoint position) const
{
    std::vector<const Event *> found;
    if (!m_columns || !m_events || m_columns->columns <= 0)
        return found;
    const int lane = laneAt(position.y());
    if (lane < 0)
        return found;
    const double left = timeAxis()->coordToPixel(toKey(m_columns->range.begin));
    const double right = timeAxis()->coordToPixel(toKey(m_columns->range.end));
    const double perColumn = (right - left) / m_columns->columns;
    const int column = static_cast<int>(std::floor((position.x() - left) / perColumn));
    // The nearest occupied cell of the lane within a marker's reach.
    const int reach = std::max(1, static_cast<int>(std::ceil(6 / std::max(perColumn, 0.01))));
    const EventCell *best = nullptr;
    for (const EventCell &cell : m_columns->cells) {
        if (cell.lane != lane || std::abs(cell.column - column) > reach)
            continue;
        if (!best || std::abs(cell.column - column) < std::abs(best->column - column))
            best = &cell;
    }
    if (!best)
        return found;
    const TimeRange span = m_columns->columnRange(best->column);
    const auto [first, last] = eventsIn(*m_events, span);
    for (std::size_t i = first; i < last; ++i) {
        const Event &e = (*m_events)[i];
        if (laneOf(*m_columns, e) == lane)
            found.push_back(&e);
    }
    return found;
}

QString EventLaneChart::describeEvents(const std::vector<const Event *> &events) const
{
    const auto groups = groupIdenticalEvents(events, kHoverListLimit);
    QString html = QStringLiteral("<table cellspacing=0 cellpadding=1>");
    std::size_t listed = 0;
    for (const EventGroup &group : groups) {
        const Event &e = *events[group.first];
        listed += group.count;
        html += QStringLiteral(
                    "<tr><td><b "
                    "style='color:%1'>%2</b></td><td>&nbsp;%3</td><td>&nbsp;%4%5</td></tr>")
                    .arg(m_theme.severityColor(e.severity).name(),
                         QString::fromStdString(std::string(severityName(e.severity)))
                             .toHtmlEscaped(),
                         formatTime(e.time, m_view.timeZone(), false).toHtmlEscaped(),
                         (QString::fromStdString(e.type) + QStringLiteral(" · ")
                          + QString::fromStdString(e.service) + QStringLiteral(" — ")
                          + QString::fromStdString(e.message).left(120))
                             .toHtmlEscaped(),
                         group.count > 1 ? QStringLiteral(" <b>×%1</b>").arg(group.count)
                                         : QString());
    }
    html += QStringLiteral("</table>");
    if (listed < events.size())
        html += QStringLiteral("<p>+%1 more</p>").arg(events.size() - listed);
    return html;
}

void EventLaneChart::hoverAt(QPoint position, TimeUs)
{
    const auto under = eventsAt(position);
    if (under.empty()) {
        QToolTip::hideText();
        return;
    }
    QToolTip::showText(mapToGlobal(position + QPoint(12, 12)), describeEvents(under), this);
}

void EventLaneChart::hoverLeft()
{
    QToolTip::hideText();
}

} // namespace eventscope::ui
