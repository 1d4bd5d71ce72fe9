#include "metricchart.h"

#include "seriesraster.h"
#include "spanpainter.h"

#include <QStaticText>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace eventscope::ui {

namespace {

// Categories whose events mark metric charts unless the operator chooses otherwise: changes,
// failures, recoveries, alerts and scaling; provisioning chatter and "other" stay in the lanes.
constexpr std::uint32_t kDefaultChartCategories
    = (1u << static_cast<unsigned>(EventCategory::Scaling))
    | (1u << static_cast<unsigned>(EventCategory::Failure))
    | (1u << static_cast<unsigned>(EventCategory::Recovery))
    | (1u << static_cast<unsigned>(EventCategory::Config))
    | (1u << static_cast<unsigned>(EventCategory::Deployment))
    | (1u << static_cast<unsigned>(EventCategory::Alert));

QString formatValue(double value)
{
    if (std::isnan(value))
        return QStringLiteral("—");
    const double magnitude = std::abs(value);
    if (magnitude != 0 && (magnitude >= 1e7 || magnitude < 1e-3))
        return QString::number(value, 'g', 4);
    return QString::number(value, 'f', magnitude >= 100 ? 1 : 3);
}

} // namespace

// All series of the chart in one layerable: a filled band per run of buckets, then the line.
class MetricChart::SeriesLayer : public ChartLayer
{
public:
    explicit SeriesLayer(MetricChart *chart)
        : ChartLayer(chart, QStringLiteral("main"))
        , m_chart(chart)
    { }

protected:
    void draw(QCPPainter *painter) override
    {
        const QRect area = m_chart->rect()->rect();
        const Theme &theme = m_chart->theme();
        // Dense series go through a raster image, except into a PDF or SVG (vectors there).
        if (isDense() && !painter->modes().testFlag(QCPPainter::pmVectorized))
            drawDense(painter, area);
        else
            drawSparse(painter, area);
        if (!m_chart->hasDataInRange()) {
            painter->setPen(theme.mutedText);
            painter->drawText(area, Qt::AlignCenter,
                              m_chart->m_series.empty()
                                  ? tr("No series: add one from the Series panel")
                                  : tr("No data in this range"));
        }
        drawLegend(painter, area);
    }

private:
    // About a bucket per pixel column or more: the series are drawn pixel by pixel.
    bool isDense() const
    {
        std::size_t buckets = 0;
        for (const auto &series : m_chart->m_buckets)
            buckets = std::max(buckets, series.size());
        return static_cast<int>(buckets) * 3 >= m_chart->rect()->width();
    }

    // A pixel coordinate, kept within a few widths of the area (infinities and huge outliers
    // included) so that line drawing stays bounded.
    static int pixel(double coordinate, int extent)
    {
        if (!(coordinate > -4.0 * extent))
            return -4 * extent;
        if (!(coordinate < 5.0 * extent))
            return 5 * extent;
        return static_cast<int>(std::floor(coordinate));
    }

    void drawDense(QCPPainter *painter, const QRect &area)
    {
        const QCPAxis *x = m_chart->timeAxis();
        const QCPAxis *y = m_chart->valueAxis();
        const Theme &theme = m_chart->theme();
        if (area.isEmpty())
            return;
        m_raster.begin(area.size());
        const int w = area.width();
        const int h = area.height();
        const PixelMap mapX = PixelMap::horizontal(*x);
        const PixelMap mapY = PixelMap::vertical(*y);
        const auto px = [&](TimeUs time) { return pixel(mapX.time(time) - area.left(), w); };
        const auto py = [&](double value) { return pixel(mapY(value) - area.top(), h); };
        // Bands of every series first, the lines over them.
        for (std::size_t s = 0; s < m_chart->m_series.size(); ++s) {
            const QRgb band = mixed(theme.base, theme.seriesColor(static_cast<int>(s)),
                                    theme.kind == Theme::Kind::Dark ? 0.38 : 0.3)
                                  .rgba();
            for (const LodBucket &b : m_chart->m_buckets[s]) {
                if (b.count < 2 || !(b.max > b.min))
                    continue;
                const int top = py(b.max);
                const int bottom = py(b.min);
                for (int column = px(b.firstTime), last = px(b.lastTime); column <= last; ++column)
                    m_raster.fillColumn(column, top, bottom, band);
            }
        }
        for (std::size_t s = 0; s < m_chart->m_series.size(); ++s) {
            const QRgb colour = theme.seriesColor(static_cast<int>(s)).rgba();
            const TimeUs maxGap = maxGapOf(m_chart->m_series[s]);
            bool have = false;
            int lastX = 0, lastY = 0;
            TimeUs previousTime = 0;
            for (const LodBucket &b : m_chart->m_buckets[s]) {
                if (b.count == 0 || std::isnan(b.first))
                    continue;
                const int x0 = px(b.firstTime);
                const int y0 = py(b.first);
                if (have && b.firstTime - previousTime <= maxGap)
                    m_raster.line(lastX, lastY, x0, y0, colour);
                else
                    m_raster.line(x0, y0, x0, y0, colour);
                lastX = x0;
                lastY = y0;
                if (b.count > 1 && !std::isnan(b.last)) {
                    const int x1 = px(b.lastTime);
                    const int y1 = py(b.last);
                    m_raster.line(lastX, lastY, x1, y1, colour);
                    lastX = x1;
                    lastY = y1;
                }
                have = true;
                previousTime = b.lastTime;
            }
        }
        painter->drawImage(area.topLeft(), m_raster.image());
    }

    static TimeUs maxGapOf(const SeriesInfo &info)
    {
        // Samples further apart than a few of their usual intervals leave a gap.
        const TimeUs usual
            = info.sampleCount > 1 ? (info.lastTime - info.firstTime) / (info.sampleCount - 1) : 0;
        return std::max<TimeUs>(3 * usual, 1);
    }

    // Few buckets with data (zoomed in): QPainter, with rectangles for wide buckets.
    void drawSparse(QCPPainter *painter, const QRect &)
    {
        const QCPAxis *x = m_chart->timeAxis();
        const QCPAxis *y = m_chart->valueAxis();
        const Theme &theme = m_chart->theme();
        for (std::size_t s = 0; s < m_chart->m_series.size(); ++s) {
            const QColor band = mixed(theme.base, theme.seriesColor(static_cast<int>(s)),
                                      theme.kind == Theme::Kind::Dark ? 0.38 : 0.3);
            painter->setPen(Qt::NoPen);
            painter->setBrush(band);
            for (const LodBucket &b : m_chart->m_buckets[s]) {
                if (b.count < 2 || !(b.max > b.min))
                    continue;
                const double x0 = x->coordToPixel(toKey(b.firstTime));
                const double x1 = std::max(x->coordToPixel(toKey(b.lastTime)), x0 + 1);
                painter->drawRect(QRectF(QPointF(x0, y->coordToPixel(b.max)),
                                         QPointF(x1, y->coordToPixel(b.min))));
            }
        }
        for (std::size_t s = 0; s < m_chart->m_series.size(); ++s) {
            const auto &buckets = m_chart->m_buckets[s];
            if (buckets.empty())
                continue;
            const TimeUs maxGap = maxGapOf(m_chart->m_series[s]);
            const QColor color = theme.seriesColor(static_cast<int>(s));
            m_line.clear();
            TimeUs previousTime = std::numeric_limits<TimeUs>::min();
            const auto flush = [&] {
                if (m_line.size() > 1) {
                    painter->setPen(QPen(color, 0)); // cosmetic: the fast line path
                    painter->setBrush(Qt::NoBrush);
                    painter->drawPolyline(m_line.data(), static_cast<int>(m_line.size()));
                } else if (m_line.size() == 1) {
                    painter->setPen(Qt::NoPen);
                    painter->setBrush(color);
                    painter->drawEllipse(m_line.front(), 2, 2);
                }
                m_line.clear();
            };
            for (const LodBucket &b : buckets) {
                if (b.count == 0 || std::isnan(b.first))
                    continue;
                if (previousTime != std::numeric_limits<TimeUs>::min()
                    && b.firstTime - previousTime > maxGap)
                    flush();
                m_line.emplace_back(x->coordToPixel(toKey(b.firstTime)), y->coordToPixel(b.first));
                if (b.count > 1)
                    m_line.emplace_back(x->coordToPixel(toKey(b.lastTime)),
                                        y->coordToPixel(b.last));
                previousTime = b.lastTime;
            }
            flush();
        }
    }

private:
    static QString tr(const char *text) { return QCoreApplication::translate("MetricChart", text); }

    // The legend's texts are laid out once per series list and width (QStaticText): laying
    // out and eliding text on every paint cost about a tenth of a chart's frame.
    void updateLegend(const QRect &area)
    {
        QString key = QString::number(area.width());
        for (const SeriesInfo &info : m_chart->m_series)
            key += QLatin1Char(',') + QString::number(info.id);
        if (key == m_legendKey)
            return;
        m_legendKey = key;
        m_legend.clear();
        const QFontMetrics metrics(m_chart->font());
        const std::size_t shown = std::min<std::size_t>(m_chart->m_series.size(), 4);
        for (std::size_t i = 0; i < shown; ++i) {
            QStaticText text(
                metrics.elidedText(QString::fromStdString(m_chart->m_series[i].key.canonical()),
                                   Qt::ElideMiddle, area.width() / 2));
            text.setTextFormat(Qt::PlainText);
            text.prepare(QTransform(), m_chart->font());
            m_legend.push_back(std::move(text));
        }
        if (m_chart->m_series.size() > 4) {
            QStaticText more(tr("+%1 more series").arg(m_chart->m_series.size() - 4));
            more.setTextFormat(Qt::PlainText);
            more.prepare(QTransform(), m_chart->font());
            m_legend.push_back(std::move(more));
        }
    }

    void drawLegend(QCPPainter *painter, const QRect &area)
    {
        updateLegend(area);
        const int lineHeight = QFontMetrics(m_chart->font()).height();
        const Theme &theme = m_chart->theme();
        QColor back = theme.base;
        back.setAlpha(200);
        painter->setFont(m_chart->font());
        for (std::size_t i = 0; i < m_legend.size(); ++i) {
            const QStaticText &text = m_legend[i];
            const bool more = i >= std::min<std::size_t>(m_chart->m_series.size(), 4);
            const QRect line(area.left() + 6, area.top() + 3 + static_cast<int>(i) * lineHeight,
                             static_cast<int>(text.size().width()) + (more ? 0 : 18), lineHeight);
            const QPointF at(line.left() + (more ? 0 : 14),
                             line.top() + (lineHeight - text.size().height()) / 2);
            if (!more) {
                painter->fillRect(line.adjusted(-2, 0, 2, 0), back);
                painter->fillRect(QRect(line.left(), line.center().y() - 1, 10, 3),
                                  theme.seriesColor(static_cast<int>(i)));
            }
            painter->setPen(more ? theme.mutedText : theme.text);
            painter->drawStaticText(at, text);
        }
    }

    MetricChart *m_chart;
    std::vector<QPointF> m_line; // reused between paints
    SeriesRaster m_raster;
    QString m_legendKey;
    std::vector<QStaticText> m_legend;
};

// Event markers (one vertical line per pixel column with events of the chart's categories)
// as a rug at the top edge when dense, over the grid and under the series.
class MetricChart::MarkerLayer : public ChartLayer
{
public:
    explicit MarkerLayer(MetricChart *chart)
        : ChartLayer(chart, QStringLiteral("events"))
        , m_chart(chart)
    { }

protected:
    void draw(QCPPainter *painter) override
    {
        const QRect area = m_chart->rect()->rect();
        const QCPAxis *x = m_chart->timeAxis();
        const Theme &theme = m_chart->theme();
        const auto columns = m_chart->m_columns;
        if (columns && columns->columns > 0) {
            // The columns were aggregated for a range that may differ slightly from what is
            // shown while a newer aggregation is on its way: place them by their own range.
            const double left = x->coordToPixel(toKey(columns->range.begin));
            const double right = x->coordToPixel(toKey(columns->range.end));
            const double perColumn = (right - left) / columns->columns;
            // One drawLines() per severity: pen changes and per-line calls dominate otherwise.
            // Every marked column gets a tick at the top edge (a rug); the full-height line
            // fades as more columns are marked, and above a tenth of the columns only the rug
            // is drawn: a dense week would otherwise paint a solid wall over the data.
            for (auto &lines : m_lines)
                lines.clear();
            for (auto &ticks : m_ticks)
                ticks.clear();
            std::size_t marked = 0;
            for (const MarkerColumn &marker : columns->markers) {
                if (!(marker.categories & m_chart->m_categoryMask))
                    continue;
                ++marked;
                const double px = std::floor(left + (marker.column + 0.5) * perColumn) + 0.5;
                const auto severity
                    = static_cast<std::size_t>(marker.worstIn(m_chart->m_categoryMask));
                m_lines[severity].emplace_back(px, area.top(), px, area.bottom());
                m_ticks[severity].emplace_back(px, area.top(), px, area.top() + 5);
            }
            const double density
                = area.width() > 0 ? static_cast<double>(marked) / area.width() : 0;
            const double fade = std::clamp(0.08 / std::max(density, 1e-9), 0.12, 1.0);
            const bool fullHeight = density <= 0.1;
            for (int severity = 0; severity < kSeverityCount; ++severity) {
                const auto index = static_cast<std::size_t>(severity);
                if (m_lines[index].empty())
                    continue;
                // Routine events stay faint; warnings and worse stand out.
                QColor color = theme.severityColor(static_cast<Severity>(severity));
                const double alpha = severity >= static_cast<int>(Severity::Error)
                    ? 210
                    : (severity == static_cast<int>(Severity::Warning) ? 150 : 70);
                color.setAlpha(static_cast<int>(alpha * fade));
                if (fullHeight) {
                    painter->setPen(QPen(color, 0));
                    painter->drawLines(m_lines[index].data(),
                                       static_cast<int>(m_lines[index].size()));
                }
                painter->setPen(QPen(theme.severityColor(static_cast<Severity>(severity)), 0));
                painter->drawLines(m_ticks[index].data(), static_cast<int>(m_ticks[index].size()));
            }
        }
        if (const auto &selected = m_chart->m_view.selectedEvent()) {
            const double px = x->coordToPixel(toKey(selected->time));
            painter->setPen(QPen(theme.highlight.lighter(140), 3));
            painter->drawLine(QPointF(px, area.top()), QPointF(px, area.bottom()));
        }
    }

private:
    MetricChart *m_chart;
    std::array<std::vector<QLineF>, kSeverityCount> m_lines; // reused between paints
    std::array<std::vector<QLineF>, kSeverityCount> m_ticks;
};

// Shaded spans, under the grid: opaque, so the grid and the data stay crisp over them.
class MetricChart::SpanLayer : public ChartLayer
{
public:
    explicit SpanLayer(MetricChart *chart)
        : ChartLayer(chart, QStringLiteral("spans"))
        , m_chart(chart)
    { }

protected:
    void draw(QCPPainter *painter) override
    {
        const QRect area = m_chart->rect()->rect();
        const QCPAxis *x = m_chart->timeAxis();
        const Theme &theme = m_chart->theme();
        if (m_chart->m_columns)
            paintSpanRuns(painter, *m_chart->m_columns, *x, area, theme,
                          theme.kind == Theme::Kind::Dark ? 38 : 30, false,
                          m_chart->m_categoryMask
                              & EventQuery::categoryBit(EventCategory::Failure));
    }

private:
    MetricChart *m_chart;
};

MetricChart::MetricChart(ViewState &view, QWidget *parent)
    : TimelineChart(view, parent)
    , m_categoryMask(kDefaultChartCategories)
{
    addLayer(QStringLiteral("spans"), layer(QStringLiteral("grid")), QCustomPlot::limBelow);
    addLayer(QStringLiteral("events"), layer(QStringLiteral("grid")), QCustomPlot::limAbove);
    new SpanLayer(this);
    m_markerLayer = new MarkerLayer(this);
    m_seriesLayer = new SeriesLayer(this);
    valueAxis()->setTickLabels(true);
    valueAxis()->ticker()->setTickCount(4);
    connect(&m_view, &ViewState::selectionChanged, this, &MetricChart::replotNow);
}

void MetricChart::setSeries(std::vector<SeriesInfo> series)
{
    m_series = std::move(series);
    m_buckets.assign(m_series.size(), {});
    QString unit;
    for (const SeriesInfo &info : m_series) {
        if (!info.unit.empty()) {
            unit = QString::fromStdString(info.unit);
            break;
        }
    }
    valueAxis()->setLabel(unit);
    updateValueRange();
    replotNow();
}

std::vector<std::int64_t> MetricChart::seriesIds() const
{
    std::vector<std::int64_t> ids;
    for (const SeriesInfo &info : m_series)
        ids.push_back(info.id);
    return ids;
}

QString MetricChart::title() const
{
    QStringList names;
    for (const SeriesInfo &info : m_series)
        names << QString::fromStdString(info.key.canonical());
    return names.join(QStringLiteral(", "));
}

void MetricChart::setLod(const LodResult &result)
{
    m_lodRange = result.range;
    for (std::size_t s = 0; s < m_series.size(); ++s) {
        for (const SeriesLod &lod : result.series) {
            if (lod.seriesId == m_series[s].id) {
                m_buckets[s] = lod.buckets;
                break;
            }
        }
    }
    updateValueRange();
    replotNow();
}

void MetricChart::setEvents(EventList events, std::shared_ptr<const EventColumns> columns)
{
    m_events = std::move(events);
    m_columns = std::move(columns);
    replotNow();
}

void MetricChart::setCategoryMask(std::uint32_t mask)
{
    m_categoryMask = mask;
    replotNow();
}

void MetricChart::setTheme(const Theme &theme)
{
    TimelineChart::setTheme(theme);
    replotNow();
}

bool MetricChart::hasDataInRange() const
{
    for (const auto &buckets : m_buckets) {
        for (const LodBucket &b : buckets) {
            if (b.count > 0)
                return true;
        }
    }
    return false;
}

void MetricChart::updateValueRange()
{
    double low = std::numeric_limits<double>::infinity();
    double high = -std::numeric_limits<double>::infinity();
    for (const auto &buckets : m_buckets) {
        for (const LodBucket &b : buckets) {
            if (b.count == 0)
                continue;
            if (!std::isnan(b.min))
                low = std::min(low, b.min);
            if (!std::isnan(b.max))
                high = std::max(high, b.max);
        }
    }
    if (!(low <= high)) {
        valueAxis()->setRange(0, 1);
        return;
    }
    // Room above the data for the legend; a flat series gets a band around its value.
    const double span = high - low;
    const double pad = span > 0 ? span * 0.08 : std::max(std::abs(high) * 0.1, 1.0);
    const double bottom = (low >= 0 && low - pad < 0) ? 0 : low - pad;
    valueAxis()->setRange(bottom, high + pad * 2.5);
}

QStringList MetricChart::valuesAt(TimeUs time) const
{
    QStringList lines;
    if (m_lodRange.isEmpty())
        return lines;
    for (std::size_t s = 0; s < m_series.size(); ++s) {
        const auto &buckets = m_buckets[s];
        if (buckets.empty())
            continue;
        // The nearest non-empty bucket at or before the time: the value then in force.
        const TimeUs width = m_lodRange.duration() / static_cast<TimeUs>(buckets.size());
        auto index = width > 0 ? (time - m_lodRange.begin) / std::max<TimeUs>(width, 1) : 0;
        index = std::clamp<TimeUs>(index, 0, static_cast<TimeUs>(buckets.size()) - 1);
        std::optional<double> value;
        for (auto i = index; i >= 0 && i > index - 64; --i) {
            const LodBucket &b = buckets[static_cast<std::size_t>(i)];
            if (b.count > 0) {
                value = b.last;
                break;
            }
        }
        const QString name = QString::fromStdString(m_series[s].key.canonical());
        lines << QStringLiteral("%1  %2%3")
                     .arg(name, value ? formatValue(*value) : QStringLiteral("—"),
                          m_series[s].unit.empty()
                              ? QString()
                              : QLatin1Char(' ') + QString::fromStdString(m_series[s].unit));
    }
    return lines;
}

QStringList MetricChart::crosshairLines(TimeUs time) const
{
    return valuesAt(time);
}

} // namespace eventscope::ui
