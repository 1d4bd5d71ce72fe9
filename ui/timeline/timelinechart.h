#pragma once

#include "theme.h"
#include "viewstate.h"

#include <qcustomplot.h>

#include <memory>
#include <optional>

namespace eventscope::ui {

// Seconds since the epoch as QCustomPlot's key coordinate (exact to well under a microsecond
// for present-day times).
inline double toKey(TimeUs time)
{
    return static_cast<double>(time) / static_cast<double>(kMicrosPerSecond);
}
inline TimeUs fromKey(double key)
{
    return static_cast<TimeUs>(std::llround(key * static_cast<double>(kMicrosPerSecond)));
}

// An axis' linear map from coordinate to pixel, taken once per paint: the same result as
// QCPAxis::coordToPixel for a linear, non-reversed axis, without its per-call branching (a
// dense paint maps some 50k points).
struct PixelMap
{
    double offset = 0;
    double scale = 0;

    static PixelMap horizontal(const QCPAxis &axis)
    {
        const QCPRange range = axis.range();
        const QRect rect = axis.axisRect()->rect();
        const double scale = rect.width() / (range.upper - range.lower);
        return {rect.left() - range.lower * scale, scale};
    }
    static PixelMap vertical(const QCPAxis &axis)
    {
        const QCPRange range = axis.range();
        const QRect rect = axis.axisRect()->rect();
        const double scale = -rect.height() / (range.upper - range.lower);
        return {rect.bottom() - range.lower * scale, scale};
    }
    double operator()(double coordinate) const { return offset + coordinate * scale; }
    double time(TimeUs t) const { return (*this)(toKey(t)); }
};

// One chart of the timeline: a QCustomPlot with a single axis rect whose time axis follows
// the window's ViewState. Mouse and wheel change the ViewState (wheel zooms around the cursor,
// Shift+wheel and middle-drag pan, a left drag selects a range to zoom to); the crosshair sits
// is painted over the cached buffer, so moving it replots no layer. Fixed margins keep the time
// axes of all charts aligned. Lives on the GUI thread.
class TimelineChart : public QCustomPlot
{
    Q_OBJECT

public:
    static constexpr int kLeftMargin = 150;
    static constexpr int kRightMargin = 12;

    TimelineChart(ViewState &view, QWidget *parent = nullptr);
    ~TimelineChart() override;

    QCPAxisRect *rect() const { return m_rect; }
    QCPAxis *timeAxis() const { return m_rect->axis(QCPAxis::atBottom); }
    QCPAxis *valueAxis() const { return m_rect->axis(QCPAxis::atLeft); }
    // Columns of the data area: what a level-of-detail request should ask for.
    int plotColumns() const;

    // Whether this chart shows the time labels (the bottom chart of the timeline does).
    void setTimeLabelsVisible(bool visible);
    virtual void setTheme(const Theme &theme);
    const Theme &theme() const { return m_theme; }

    // Replots with the view's current range (cheap: the data is already prepared).
    void replotNow();
    // As many time ticks as fit a chart this wide with their labels apart; resizing does this,
    // a picture drawn at another width (a report) asks for it.
    void fitTicksToWidth(int width);

Q_SIGNALS:
    // A click that was not a drag: x in pixels and the time there.
    void clicked(QPoint position, eventscope::TimeUs time, Qt::KeyboardModifiers modifiers);
    void contextMenuAt(QPoint globalPosition, eventscope::TimeUs time);

protected:
    // The crosshair's extra lines (a metric chart's values); the time is shown by every chart.
    virtual QStringList crosshairLines(TimeUs time) const;
    virtual void hoverAt(QPoint position, TimeUs time);
    virtual void hoverLeft();
    void applyTimeRange();

    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void leaveEvent(QEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

    ViewState &m_view;
    Theme m_theme;

private:
    class Crosshair;
    void updateTicker();
    TimeUs timeAt(double x) const;

    QCPAxisRect *m_rect;
    std::unique_ptr<Crosshair> m_crosshair;
    QSharedPointer<QCPAxisTickerDateTime> m_ticker;
    // Select zooms to the dragged range, Compare chooses it for Compare (Shift+drag).
    enum class Drag { None, Select, Compare, Pan } m_drag = Drag::None;
    QPoint m_pressAt;
    TimeRange m_pressRange;
    std::optional<QRect> m_dragRect; // the range being dragged out
    bool m_timeLabels = false;
};

// A layer that paints part of a timeline chart itself (series, markers, spans, lanes): aliased
// unless it says otherwise, clipped to the data area, or to the whole chart for what also
// draws in the margin (lane names).
class ChartLayer : public QCPLayerable
{
public:
    enum class Clip { DataArea, WholeChart };

    ChartLayer(TimelineChart *chart, const QString &layer, Clip clip = Clip::DataArea)
        : QCPLayerable(chart, layer)
        , m_owner(chart)
        , m_clip(clip)
    { }

protected:
    void applyDefaultAntialiasingHint(QCPPainter *painter) const override
    {
        painter->setAntialiasing(false);
    }
    QRect clipRect() const override
    {
        return m_clip == Clip::DataArea ? m_owner->rect()->rect() : m_owner->viewport();
    }

private:
    TimelineChart *m_owner;
    Clip m_clip;
};

} // namespace eventscope::ui
