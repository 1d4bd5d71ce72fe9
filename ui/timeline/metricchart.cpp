#include "metricchart.h"

#include <algorithm>
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

QColor spanColor(const Theme &theme, EventSpan::Kind kind)
{
    QColor color = kind == EventSpan::Kind::Incident
        ? theme.severityColor(Severity::Error)
        : (kind == EventSpan::Kind::Alert ? theme.severityColor(Severity::Warning)
                                          : theme.categoryColor(EventCategory::Deployment));
    color.setAlpha(theme.kind == Theme::Kind::Dark ? 38 : 30);
    return color;
}

} // namespace

// All series of the chart in one layerable: a filled band per run of buckets, then the line.
class MetricChart::SeriesLayer : public QCPLayerable
{
public:
    explicit SeriesLayer(MetricChart *chart)
        : QCPLayerable(chart, QStringLiteral("main"))
        , m_chart(chart)
    { }

protected:
    void applyDefaultAntialiasingHint(QCPPainter *painter) const override
    {
        painter->setAntialiasing(false);
    }
    QRect clipRect() const override { return m_chart->rect()->rect(); }

    void draw(QCPPainter *painter) override
    {
        const QCPAxis *x = m_chart->timeAxis();
        const QCPAxis *y = m_chart->valueAxis();
        const QRect area = m_chart->rect()->rect();
        for (std::size_t s = 0; s < m_chart->m_series.size(); ++s) {
            const auto &buckets = m_chart->m_buckets[s];
            if (buckets.empty())
                continue;
            const SeriesInfo &info = m_chart->m_series[s];
            // Samples further apart than a few of their usual intervals leave a gap.
            const TimeUs usual = info.sampleCount > 1
                ? (info.lastTime - info.firstTime) / (info.sampleCount - 1)
                : 0;
            const TimeUs maxGap = std::max<TimeUs>(3 * usual, 1);
            const QColor color = m_chart->theme().seriesColor(static_cast<int>(s));
            QColor band = color;
            band.setAlpha(70);

            m_line.clear();
            m_upper.clear();
            m_lower.clear();
            TimeUs previousTime = std::numeric_limits<TimeUs>::min();
            const auto flush = [&] {
                if (m_upper.size() > 1) {
                    QPolygonF polygon;
                    polygon.reserve(static_cast<qsizetype>(m_upper.size() * 2));
                    for (const QPointF &p : m_upper)
                        polygon << p;
                    for (auto it = m_lower.rbegin(); it != m_lower.rend(); ++it)
                        polygon << *it;
                    painter->setPen(Qt::NoPen);
                    painter->setBrush(band);
                    painter->drawPolygon(polygon);
                }
                if (m_line.size() > 1) {
                    painter->setPen(QPen(color, 1.5));
                    painter->setBrush(Qt::NoBrush);
                    painter->drawPolyline(m_line.data(), static_cast<int>(m_line.size()));
                } else if (m_line.size() == 1) {
                    painter->setPen(Qt::NoPen);
                    painter->setBrush(color);
                    painter->drawEllipse(m_line.front(), 2, 2);
                }
                m_line.clear();
                m_upper.clear();
                m_lower.clear();
            };
            for (const LodBucket &b : buckets) {
                if (b.count == 0 || std::isnan(b.first))
                    continue;
                if (previousTime != std::numeric_limits<TimeUs>::min()
                    && b.firstTime - previousTime > maxGap)
                    flush();
                const double x0 = x->coordToPixel(toKey(b.firstTime));
                const double x1 = x->coordToPixel(toKey(b.lastTime));
                m_line.emplace_back(x0, y->coordToPixel(b.first));
                if (b.count > 1) {
                    m_line.emplace_back(x1, y->coordToPixel(b.last));
                    if (b.max > b.min) {
                        const double top = y->coordToPixel(b.max);
                        const double bottom = y->coordToPixel(b.min);
                        m_upper.emplace_back(x0, top);
                        m_upper.emplace_back(std::max(x1, x0 + 1), top);
                        m_lower.emplace_back(x0, bottom);
                        m_lower.emplace_back(std::max(x1, x0 + 1), bottom);
                    }
                }
                previousTime = b.lastTime;
            }
            flush();
        }
        if (!m_chart->hasDataInRange()) {
            painter->setPen(m_chart->theme().mutedText);
            painter->drawText(area, Qt::AlignCenter,
                              m_chart->m_series.empty()
                                  ? tr("No series: add one from the Series panel")
                                  : tr("No data in this range"));
        }
        drawLegend(painter, area);
    }

private:
    static QString tr(const char *text) { return QCoreApplication::translate("MetricChart", text); }

    void drawLegend(QCPPainter *painter, const QRect &area)
    {
        const QFontMetrics metrics(m_chart->font());
        const int lineHeight = metrics.height();
        const int shown = std::min<int>(static_cast<int>(m_chart->m_series.size()), 4);
        for (int i = 0; i < shown; ++i) {
            const auto &info = m_chart->m_series[static_cast<std::size_t>(i)];
            const QString text = metrics.elidedText(QString::fromStdString(info.key.canonical()),
                                                    Qt::ElideMiddle, area.width() / 2);
            const QRect line(area.left() + 6, area.top() + 3 + i * lineHeight,
                             metrics.horizontalAdvance(text) + 18, lineHeight);
            QColor back = m_chart->theme().base;
            back.setAlpha(200);
            painter->fillRect(line.adjusted(-2, 0, 2, 0), back);
            painter->fillRect(QRect(line.left(), line.center().y() - 1, 10, 3),
                              m_chart->theme().seriesColor(i));
            painter->setPen(m_chart->theme().text);
            painter->drawText(line.adjusted(14, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, text);
        }
        if (m_chart->m_series.size() > 4) {
            painter->setPen(m_chart->theme().mutedText);
            painter->drawText(QRect(area.left() + 6, area.top() + 3 + shown * lineHeight,
                                    area.width() / 2, lineHeight),
                              Qt::AlignLeft | Qt::AlignVCenter,
                              tr("+%1 more series").arg(m_chart->m_series.size() - 4));
        }
    }

    MetricChart *m_chart;
    std::vector<QPointF> m_line, m_upper, m_lower; // reused between paints
};

// Event markers (one vertical line per pixel column with events of the chart's categories)
// and shaded spans, under the series.
class MetricChart::MarkerLayer : public QCPLayerable
{
public:
    explicit MarkerLayer(MetricChart *chart)
        : QCPLayerable(chart, QStringLiteral("events"))
        , m_chart(chart)
    { }

protected:
    void applyDefaultAntialiasingHint(QCPPainter *painter) const override
    {
        painter->setAntialiasing(false);
    }
    QRect clipRect() const override { return m_chart->rect()->rect(); }

    void draw(QCPPainter *painter) override
    {
        const QRect area = m_chart->rect()->rect();
        const QCPAxis *x = m_chart->timeAxis();
        const Theme &theme = m_chart->theme();
        if (m_chart->m_spans) {
            const TimeRange visible = m_chart->m_view.visibleRange();
            for (const EventSpan &span : *m_chart->m_spans) {
                if (span.end < visible.begin || span.begin >= visible.end)
                    continue;
                if (span.kind == EventSpan::Kind::Incident
                    && !(m_chart->m_categoryMask
                         & (1u << static_cast<unsigned>(EventCategory::Failure))))
                    continue;
                const double left
                    = std::max<double>(x->coordToPixel(toKey(span.begin)), area.left());
                const double right
                    = std::min<double>(x->coordToPixel(toKey(span.end)), area.right());
                painter->fillRect(
                    QRectF(left, area.top(), std::max(1.0, right - left), area.height()),
                    spanColor(theme, span.kind));
            }
        }
        const auto columns = m_chart->m_columns;
        if (columns && columns->columns > 0) {
            // The columns were aggregated for a range that may differ slightly from what is
            // shown while a newer aggregation is on its way: place them by their own range.
            const double left = x->coordToPixel(toKey(columns->range.begin));
            const double right = x->coordToPixel(toKey(columns->range.end));
            const double perColumn = (right - left) / columns->columns;
            for (const MarkerColumn &marker : columns->markers) {
                if (!(marker.categories & m_chart->m_categoryMask))
                    continue;
                // Routine events stay faint; warnings and worse stand out.
                const Severity worst = marker.worstIn(m_chart->m_categoryMask);
                QColor color = theme.severityColor(worst);
                color.setAlpha(worst >= Severity::Error ? 210
                                                        : (worst == Severity::Warning ? 150 : 70));
                const double px = std::floor(left + (marker.column + 0.5) * perColumn);
                painter->setPen(QPen(color, 1));
                painter->drawLine(QPointF(px, area.top()), QPointF(px, area.bottom()));
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
};

MetricChart::MetricChart(ViewState &view, QWidget *parent)
    : TimelineChart(view, parent)
    , m_categoryMask(kDefaultChartCategories)
{
    addLayer(QStringLiteral("events"), layer(QStringLiteral("grid")), QCustomPlot::limAbove);
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

void MetricChart::setEvents(EventList events, std::shared_ptr<const EventColumns> columns,
                            std::shared_ptr<const std::vector<EventSpan>> spans)
{
    m_events = std::move(events);
    m_columns = std::move(columns);
    m_spans = std::move(spans);
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
