#include "eventlanechart.h"

#include "seriesraster.h"
#include "spanpainter.h"

#include <QToolTip>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

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

// Aliased: markers are pre-rendered antialiased sprites. The whole chart: lane names go in the
// margin.
class EventLaneChart::LaneLayer : public ChartLayer
{
public:
    explicit LaneLayer(EventLaneChart *chart)
        : ChartLayer(chart, QStringLiteral("main"), Clip::WholeChart)
        , m_chart(chart)
    { }

protected:
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
        if (m_chart->m_columns)
            paintSpanRuns(painter, *m_chart->m_columns, *x, area, theme, 45, true);
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
        // A lane with more cells than markers fit side by side is drawn as a histogram: a bar
        // per pixel column, its height growing with the log of the count, its colour the worst
        // severity. Markers there would only overlap into a solid line with unreadable badges.
        m_laneCells.assign(columns->lanes.size(), 0);
        m_laneMax.assign(columns->lanes.size(), 1);
        for (const EventCell &cell : columns->cells) {
            ++m_laneCells[static_cast<std::size_t>(cell.lane)];
            m_laneMax[static_cast<std::size_t>(cell.lane)]
                = std::max(m_laneMax[static_cast<std::size_t>(cell.lane)], cell.count);
        }
        const double markerRoom = area.width() / (2.5 * radius);
        // Bars go pixel by pixel into an image, blitted once (13k cosmetic lines a frame cost
        // the raster engine several milliseconds).
        // A PDF or SVG gets shapes, not pictures of them.
        const bool vector = painter->modes().testFlag(QCPPainter::pmVectorized);
        bool anyBars = false;
        for (const EventCell &cell : columns->cells) {
            if (m_laneCells[static_cast<std::size_t>(cell.lane)] <= markerRoom)
                continue;
            // The bar's column, bottom and height, relative to the data area.
            const int x0 = static_cast<int>(std::floor(left + (cell.column + 0.5) * perColumn))
                - area.left();
            const int bottom = (cell.lane + 1) * kLaneHeight - 3;
            const double fraction = 0.3
                + 0.7 * logOnePlus(cell.count)
                    / logOnePlus(m_laneMax[static_cast<std::size_t>(cell.lane)]);
            const int height = static_cast<int>(std::round(fraction * (kLaneHeight - 6)));
            if (vector) {
                painter->fillRect(
                    QRect(area.left() + x0, area.top() + bottom - height, 1, height + 1),
                    theme.severityColor(cell.worst));
                continue;
            }
            if (!anyBars) {
                m_raster.begin(area.size());
                anyBars = true;
            }
            m_raster.fillColumn(x0, bottom - height, bottom,
                                theme.severityColor(cell.worst).rgba());
        }
        if (anyBars && !m_raster.image().isNull())
            painter->drawImage(area.topLeft(), m_raster.image());
        for (const EventCell &cell : columns->cells) {
            if (m_laneCells[static_cast<std::size_t>(cell.lane)] > markerRoom)
                continue; // drawn as bars above
            const QPointF at(std::floor(left + (cell.column + 0.5) * perColumn) + 0.5,
                             area.top() + cell.lane * kLaneHeight + kLaneHeight / 2.0);
            const QColor color = theme.severityColor(cell.worst);
            if (vector) {
                painter->save();
                painter->setRenderHint(QPainter::Antialiasing);
                painter->setPen(QPen(theme.base, 1));
                painter->setBrush(color);
                drawMarker(painter, cell.category, at, radius);
                painter->restore();
            } else {
                const QPixmap &marker = sprite(theme, cell.category, cell.worst, radius);
                painter->drawPixmap(QPoint(static_cast<int>(at.x()) - marker.width() / 2,
                                           static_cast<int>(at.y()) - marker.height() / 2),
                                    marker);
            }
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
    // log(1 + n), from a table for the counts a pixel column usually holds.
    static double logOnePlus(std::uint32_t n)
    {
        static const auto table = [] {
            std::array<double, 1024> values{};
            for (std::size_t i = 0; i < values.size(); ++i)
                values[i] = std::log1p(static_cast<double>(i));
            return values;
        }();
        return n < table.size() ? table[n] : std::log1p(static_cast<double>(n));
    }

    // Markers are drawn once per category, severity and theme, antialiased, then blitted: a
    // blit costs a fraction of an antialiased polygon, and a week holds thousands of cells.
    const QPixmap &sprite(const Theme &theme, EventCategory category, Severity severity,
                          double radius)
    {
        const int key = static_cast<int>(theme.kind) * 100
            + static_cast<int>(category) * kSeverityCount + static_cast<int>(severity);
        auto found = m_sprites.find(key);
        if (found != m_sprites.end())
            return found->second;
        const int size = static_cast<int>(std::ceil(radius * 2)) + 3;
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QCPPainter sprite(&pixmap);
        sprite.setRenderHint(QPainter::Antialiasing);
        sprite.setPen(QPen(theme.base, 1));
        sprite.setBrush(theme.severityColor(severity));
        drawMarker(&sprite, category, QPointF(size / 2.0, size / 2.0), radius);
        sprite.end();
        return m_sprites.emplace(key, std::move(pixmap)).first->second;
    }

    EventLaneChart *m_chart;
    std::map<int, QPixmap> m_sprites;
    std::vector<std::size_t> m_laneCells; // per lane, reused between paints
    std::vector<std::uint32_t> m_laneMax;
    SeriesRaster m_raster;
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

void EventLaneChart::setEvents(EventList events, std::shared_ptr<const EventColumns> columns)
{
    const int lanesBefore = laneCount();
    m_events = std::move(events);
    m_columns = std::move(columns);
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
