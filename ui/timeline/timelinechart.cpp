#include "timelinechart.h"

#include "timedisplay.h"

#include <QResizeEvent>
#include <QTimeZone>

#include <algorithm>
#include <cmath>

namespace eventscope::ui {

// Draws the crosshair over the composed chart: a vertical line through every chart at the
// view's cursor time, and in the chart under the mouse a box with the time and its values.
// Painted in paintEvent on top of QCustomPlot's cached buffer, so a cursor move repaints from
// that buffer without replotting any layer (and no translucent overlay buffer is blended on
// every replot).
class TimelineChart::Crosshair
{
public:
    explicit Crosshair(TimelineChart *chart)
        : m_chart(chart)
    { }

    void setMouse(std::optional<QPoint> position) { m_mouse = position; }

    void paint(QPainter &painter)
    {
        const auto cursor = m_chart->m_view.cursorTime();
        if (!cursor)
            return;
        const QRect area = m_chart->m_rect->rect();
        const double x = m_chart->timeAxis()->coordToPixel(toKey(*cursor));
        if (x < area.left() || x > area.right())
            return;
        painter.setPen(QPen(m_chart->m_theme.crosshair, 1, Qt::DashLine));
        painter.drawLine(QPointF(x, area.top()), QPointF(x, area.bottom()));
        if (!m_mouse)
            return;
        QStringList lines{formatTime(*cursor, m_chart->m_view.timeZone())};
        lines += m_chart->crosshairLines(*cursor);
        const QFontMetrics metrics(m_chart->font());
        int width = 0;
        for (const QString &line : lines)
            width = std::max(width, metrics.horizontalAdvance(line));
        const int lineHeight = metrics.height();
        QRect box(0, 0, width + 12, lineHeight * static_cast<int>(lines.size()) + 8);
        box.moveTopLeft(QPoint(static_cast<int>(x) + 10, area.top() + 4));
        if (box.right() > area.right())
            box.moveRight(static_cast<int>(x) - 10);
        QColor fill = m_chart->m_theme.tooltipBase;
        fill.setAlpha(230);
        painter.setPen(m_chart->m_theme.axis);
        painter.setBrush(fill);
        painter.drawRect(box);
        painter.setPen(m_chart->m_theme.tooltipText);
        for (int i = 0; i < lines.size(); ++i)
            painter.drawText(
                QRect(box.left() + 6, box.top() + 4 + i * lineHeight, width, lineHeight),
                Qt::AlignLeft | Qt::AlignVCenter, lines[i]);
    }

private:
    TimelineChart *m_chart;
    std::optional<QPoint> m_mouse;
};

TimelineChart::TimelineChart(ViewState &view, QWidget *parent)
    : QCustomPlot(parent)
    , m_view(view)
    , m_theme(Theme::dark())
    , m_rect(axisRect())
    , m_ticker(QSharedPointer<QCPAxisTickerDateTime>::create())
{
    setNoAntialiasingOnDrag(true);
    setAutoAddPlottableToLegend(false);
    setPlottingHint(QCP::phCacheLabels, true);
    setMouseTracking(true);
    legend->setVisible(false);
    m_rect->setAutoMargins(QCP::msNone);
    m_rect->setMargins(QMargins(kLeftMargin, 4, kRightMargin, 4));
    m_rect->setRangeDrag({});
    m_rect->setRangeZoom({});
    timeAxis()->setTicker(m_ticker);
    m_ticker->setTickCount(8);
    timeAxis()->setTickLabels(false);
    m_crosshair = std::make_unique<Crosshair>(this);

    connect(&m_view, &ViewState::visibleRangeChanged, this, [this] {
        applyTimeRange();
        replotNow();
    });
    connect(&m_view, &ViewState::dataExtentChanged, this, [this] {
        applyTimeRange();
        replotNow();
    });
    connect(&m_view, &ViewState::cursorTimeChanged, this, [this] { update(); });
    connect(&m_view, &ViewState::compareRangeChanged, this, [this] { update(); });
    connect(&m_view, &ViewState::timeZoneChanged, this, [this] {
        updateTicker();
        replotNow();
    });
    applyTimeRange();
    setTheme(m_theme);
}

TimelineChart::~TimelineChart() = default;

int TimelineChart::plotColumns() const
{
    return std::max(16, width() - kLeftMargin - kRightMargin);
}

void TimelineChart::setTimeLabelsVisible(bool visible)
{
    m_timeLabels = visible;
    // No data, no time to show: no axis at 1970.
    timeAxis()->setTickLabels(visible && !m_view.dataExtent().isEmpty());
    m_rect->setMargins(QMargins(kLeftMargin, 4, kRightMargin, visible ? 34 : 4));
}

void TimelineChart::setTheme(const Theme &theme)
{
    m_theme = theme;
    setBackground(theme.window);
    m_rect->setBackground(theme.base);
    for (QCPAxis *axis : m_rect->axes()) {
        axis->setBasePen(QPen(theme.axis));
        axis->setTickPen(QPen(theme.axis));
        axis->setSubTickPen(QPen(theme.axis));
        axis->setTickLabelColor(theme.mutedText);
        axis->setLabelColor(theme.mutedText);
        axis->grid()->setPen(QPen(theme.grid, 1, Qt::SolidLine));
        axis->grid()->setZeroLinePen(Qt::NoPen);
    }
}

void TimelineChart::replotNow()
{
    replot(QCustomPlot::rpQueuedReplot);
}

void TimelineChart::applyTimeRange()
{
    const TimeRange range = m_view.visibleRange();
    timeAxis()->setRange(toKey(range.begin), toKey(range.end));
    const bool hasTime = !m_view.dataExtent().isEmpty();
    timeAxis()->setTicks(hasTime);
    timeAxis()->setTickLabels(m_timeLabels && hasTime);
    updateTicker();
}

void TimelineChart::fitTicksToWidth(int width)
{
    // A label ("06:45:00", or a date under it) takes some 60 px; 100 px per tick keeps them
    // apart with room to read.
    constexpr int kPixelsPerTick = 100;
    m_ticker->setTickCount(std::max(2, (width - kLeftMargin - kRightMargin) / kPixelsPerTick));
}

void TimelineChart::resizeEvent(QResizeEvent *event)
{
    fitTicksToWidth(event->size().width());
    QCustomPlot::resizeEvent(event);
}

void TimelineChart::updateTicker()
{
    const double seconds = toKey(m_view.visibleRange().duration());
    QString format;
    if (seconds <= 120)
        format = QStringLiteral("HH:mm:ss.zzz");
    else if (seconds <= 2 * 86400)
        format = QStringLiteral("HH:mm:ss");
    else
        format = QStringLiteral("MMM dd HH:mm");
    if (seconds > 6 * 3600)
        format += QStringLiteral("\nyyyy-MM-dd");
    m_ticker->setDateTimeFormat(format);
    if (m_view.timeZone() == TimeZoneMode::Utc)
        m_ticker->setTimeZone(QTimeZone::utc());
    else
        m_ticker->setTimeZone(QTimeZone::systemTimeZone());
}

TimeUs TimelineChart::timeAt(double x) const
{
    return fromKey(timeAxis()->pixelToCoord(x));
}

QStringList TimelineChart::crosshairLines(TimeUs) const
{
    return {};
}

void TimelineChart::hoverAt(QPoint, TimeUs) { }
void TimelineChart::hoverLeft() { }

void TimelineChart::mousePressEvent(QMouseEvent *event)
{
    m_pressAt = event->pos();
    m_pressRange = m_view.visibleRange();
    if (event->button() == Qt::MiddleButton
        || (event->button() == Qt::LeftButton && (event->modifiers() & Qt::ControlModifier)))
        m_drag = Drag::Pan;
    else if (event->button() == Qt::LeftButton && (event->modifiers() & Qt::ShiftModifier))
        m_drag = Drag::Compare;
    else if (event->button() == Qt::LeftButton)
        m_drag = Drag::Select;
    else
        m_drag = Drag::None;
    event->accept();
}

void TimelineChart::mouseMoveEvent(QMouseEvent *event)
{
    const QRect area = m_rect->rect();
    const QPoint at = event->pos();
    if (m_drag == Drag::Pan) {
        const double perPixel = static_cast<double>(m_pressRange.duration()) / area.width();
        const auto shift = static_cast<TimeUs>((m_pressAt.x() - at.x()) * perPixel);
        m_view.setVisibleRange({m_pressRange.begin + shift, m_pressRange.end + shift},
                               ViewState::History::Continuous);
    } else if ((m_drag == Drag::Select || m_drag == Drag::Compare)
               && std::abs(at.x() - m_pressAt.x()) > 3) {
        const int left = std::clamp(std::min(at.x(), m_pressAt.x()), area.left(), area.right());
        const int right = std::clamp(std::max(at.x(), m_pressAt.x()), area.left(), area.right());
        m_dragRect = QRect(QPoint(left, area.top()), QPoint(right, area.bottom()));
        update();
    }
    if (area.contains(at)) {
        m_crosshair->setMouse(at);
        const TimeUs time = timeAt(at.x());
        m_view.setCursorTime(time);
        hoverAt(at, time);
        update();
    } else {
        m_crosshair->setMouse(std::nullopt);
        m_view.setCursorTime(std::nullopt);
        hoverLeft();
    }
}

void TimelineChart::mouseReleaseEvent(QMouseEvent *event)
{
    const Drag drag = m_drag;
    m_drag = Drag::None;
    const bool moved = std::abs(event->pos().x() - m_pressAt.x()) > 3;
    if ((drag == Drag::Select || drag == Drag::Compare) && moved) {
        m_dragRect.reset();
        const TimeUs a = timeAt(m_pressAt.x());
        const TimeUs b = timeAt(event->pos().x());
        if (drag == Drag::Compare) {
            m_view.setCompareRange(TimeRange{std::min(a, b), std::max(a, b)});
            update();
        } else {
            m_view.setVisibleRange({std::min(a, b), std::max(a, b)});
        }
        return;
    }
    m_dragRect.reset();
    update();
    if (!moved && event->button() == Qt::LeftButton && m_rect->rect().contains(event->pos()))
        Q_EMIT clicked(event->pos(), timeAt(event->pos().x()), event->modifiers());
}

void TimelineChart::wheelEvent(QWheelEvent *event)
{
    const double notches = event->angleDelta().y() / 120.0;
    if (notches == 0 || !m_rect->rect().contains(event->position().toPoint())) {
        event->ignore();
        return;
    }
    if (event->modifiers() & Qt::ShiftModifier) {
        m_view.pan(-0.1 * notches, ViewState::History::Continuous);
    } else {
        const TimeUs anchor = timeAt(event->position().x());
        m_view.zoom(std::pow(0.8, notches), anchor, ViewState::History::Continuous);
    }
    event->accept();
}

void TimelineChart::leaveEvent(QEvent *event)
{
    m_crosshair->setMouse(std::nullopt);
    m_view.setCursorTime(std::nullopt);
    hoverLeft();
    QCustomPlot::leaveEvent(event);
}

void TimelineChart::contextMenuEvent(QContextMenuEvent *event)
{
    Q_EMIT contextMenuAt(event->globalPos(), timeAt(event->pos().x()));
}

void TimelineChart::paintEvent(QPaintEvent *event)
{
    QCustomPlot::paintEvent(event); // the cached buffer
    if (!m_view.cursorTime() && !m_dragRect && !m_view.compareRange())
        return;
    QPainter painter(this);
    if (const auto &compare = m_view.compareRange()) {
        // The range chosen for Compare: a band over the cached picture, so choosing one
        // replots nothing.
        const QRect area = m_rect->rect();
        const auto x0 = static_cast<int>(timeAxis()->coordToPixel(toKey(compare->begin)));
        const auto x1 = static_cast<int>(timeAxis()->coordToPixel(toKey(compare->end)));
        const QRect band = QRect(QPoint(std::max(x0, area.left()), area.top()),
                                 QPoint(std::min(x1, area.right()), area.bottom()));
        if (band.width() > 0) {
            QColor fill = m_theme.highlight;
            fill.setAlpha(28);
            painter.fillRect(band, fill);
            painter.setPen(QPen(m_theme.highlight, 1, Qt::DashLine));
            if (x0 >= area.left())
                painter.drawLine(x0, area.top(), x0, area.bottom());
            if (x1 <= area.right())
                painter.drawLine(x1, area.top(), x1, area.bottom());
        }
    }
    m_crosshair->paint(painter);
    if (m_dragRect) {
        QColor fill = m_theme.highlight;
        fill.setAlpha(50);
        painter.setPen(m_theme.highlight);
        painter.setBrush(fill);
        painter.drawRect(*m_dragRect);
    }
}

} // namespace eventscope::ui
