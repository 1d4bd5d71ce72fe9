#include "metricchart.h"

#include <qcustomplot.h>

#include <QFont>

#include <QVBoxLayout>

#include <array>
#include <cmath>

namespace eventscope::ui {

namespace {

constexpr double kSecondsPerMicro = 1e-6;

QColor categoryColor(EventCategory category)
{
    static const std::array<QColor, kEventCategoryCount> kColors = {
        QColor(0x1e, 0x88, 0xe5), // scaling
        QColor(0x8e, 0x24, 0xaa), // provisioning
        QColor(0xe5, 0x39, 0x35), // failure
        QColor(0x43, 0xa0, 0x47), // recovery
        QColor(0xfb, 0x8c, 0x00), // config
        QColor(0x79, 0x55, 0x48), // deployment
        QColor(0xd8, 0x1b, 0x60), // alert
        QColor(0x75, 0x75, 0x75), // other
    };
    return kColors[static_cast<std::size_t>(category)];
}

// Marker height on the panel (0..1): what an operator must see first reaches highest.
double markerHeight(EventCategory category)
{
    switch (category) {
    case EventCategory::Failure:
    case EventCategory::Recovery:
    case EventCategory::Alert: return 1.0;
    case EventCategory::Deployment:
    case EventCategory::Config: return 0.7;
    case EventCategory::Scaling: return 0.5;
    case EventCategory::Provisioning:
    case EventCategory::Other: return 0.18;
    }
    return 0.18;
}

} // namespace

MetricChart::MetricChart(QWidget *parent)
    : QWidget(parent)
    , m_plot(new QCustomPlot(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    m_plot->setNoAntialiasingOnDrag(true);
    m_plot->setAutoAddPlottableToLegend(false); // the legend lists event kinds only
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    rebuild();
}

int MetricChart::plotWidth() const
{
    return std::max(100, m_plot->width() - 90);
}

void MetricChart::setTimeRange(TimeUs begin, TimeUs end)
{
    m_begin = begin;
    m_end = end;
    rebuild();
}

void MetricChart::setPanels(const std::vector<Panel> &panels)
{
    m_panels = panels;
    rebuild();
}

void MetricChart::setEvents(const std::vector<Event> &events)
{
    m_events = events;
    rebuild();
}

void MetricChart::setPlaceholderText(const QString &text)
{
    m_placeholder = text;
    rebuild();
}

void MetricChart::rebuild()
{
    m_plot->clearItems();
    m_plot->clearGraphs();
    m_plot->plotLayout()->clear();

    auto ticker = QSharedPointer<QCPAxisTickerDateTime>::create();
    ticker->setDateTimeSpec(Qt::UTC);
    ticker->setDateTimeFormat(QStringLiteral("HH:mm:ss\nyyyy-MM-dd"));

    if (m_panels.empty()) {
        auto *rect = new QCPAxisRect(m_plot);
        m_plot->plotLayout()->addElement(0, 0, rect);
        rect->axis(QCPAxis::atBottom)->setTicker(ticker);
        rect->axis(QCPAxis::atLeft)->setTickLabels(false);
        auto *text = new QCPItemText(m_plot);
        text->setClipAxisRect(rect);
        text->position->setAxisRect(rect);
        text->position->setType(QCPItemPosition::ptAxisRectRatio);
        text->position->setCoords(0.5, 0.5);
        text->setText(m_placeholder.isEmpty() ? tr("No metrics in this capture") : m_placeholder);
        text->setFont(QFont(font().family(), 12));
        text->setColor(QColor(0x60, 0x60, 0x60));
        // Without a time span there is no time to show: no 1970 axis.
        const bool hasSpan = m_end > m_begin;
        rect->axis(QCPAxis::atBottom)->setTickLabels(hasSpan);
        rect->axis(QCPAxis::atBottom)->setTicks(hasSpan);
        rect->axis(QCPAxis::atLeft)->setTicks(false);
        if (hasSpan)
            rect->axis(QCPAxis::atBottom)
                ->setRange(m_begin * kSecondsPerMicro, m_end * kSecondsPerMicro);
        m_plot->replot();
        return;
    }

    auto *group = new QCPMarginGroup(m_plot);
    QList<QCPAxis *> timeAxes;
    for (std::size_t i = 0; i < m_panels.size(); ++i) {
        const Panel &panel = m_panels[i];
        auto *rect = new QCPAxisRect(m_plot);
        m_plot->plotLayout()->addElement(static_cast<int>(i), 0, rect);
        rect->setMarginGroup(QCP::msLeft | QCP::msRight, group);
        QCPAxis *x = rect->axis(QCPAxis::atBottom);
        QCPAxis *y = rect->axis(QCPAxis::atLeft);
        x->setTicker(ticker);
        x->setTickLabels(i + 1 == m_panels.size());
        x->setRange(m_begin * kSecondsPerMicro, m_end * kSecondsPerMicro);
        timeAxes.append(x);
        y->setLabel(panel.unit);
        y->setLabelFont(QFont(font().family(), 8));
        y->setTickLabelFont(QFont(font().family(), 8));
        rect->setRangeDrag(Qt::Horizontal);
        rect->setRangeZoom(Qt::Horizontal);

        // Event markers: one impulse graph per category on a hidden 0..1 axis. How high a
        // marker reaches says how much it matters: failures, recoveries and alerts cross the
        // whole panel, changes most of it, routine provisioning chatter is a tick at the
        // bottom. Drawn in that order, so failures stay on top of a busy hour.
        QCPAxis *markerAxis = rect->axis(QCPAxis::atRight);
        markerAxis->setRange(0, 1);
        std::array<QCPGraph *, kEventCategoryCount> lanes{};
        static constexpr EventCategory kDrawOrder[]
            = {EventCategory::Other,  EventCategory::Provisioning, EventCategory::Scaling,
               EventCategory::Config, EventCategory::Deployment,   EventCategory::Recovery,
               EventCategory::Alert,  EventCategory::Failure};
        static_assert(std::size(kDrawOrder) == kEventCategoryCount);
        std::array<bool, kEventCategoryCount> present{};
        for (const Event &event : m_events)
            present[static_cast<std::size_t>(event.category)] = true;
        for (const EventCategory category : kDrawOrder) {
            const auto c = static_cast<std::size_t>(category);
            if (!present[c])
                continue;
            lanes[c] = m_plot->addGraph(x, markerAxis);
            QColor color = categoryColor(category);
            color.setAlpha(markerHeight(category) < 0.5 ? 110 : 170);
            lanes[c]->setPen(QPen(color, 1.5));
            lanes[c]->setLineStyle(QCPGraph::lsImpulse);
            const std::string_view name = categoryName(category);
            lanes[c]->setName(QString::fromUtf8(name.data(), static_cast<qsizetype>(name.size())));
        }
        for (const Event &event : m_events) {
            lanes[static_cast<std::size_t>(event.category)]->addData(event.time * kSecondsPerMicro,
                                                                     markerHeight(event.category));
        }
        if (i == 0) {
            // One legend, in the top panel: which colour is which kind of event.
            auto *legend = new QCPLegend;
            rect->insetLayout()->addElement(legend, Qt::AlignTop | Qt::AlignRight);
            legend->setLayer(QStringLiteral("legend"));
            legend->setFont(QFont(font().family(), 8));
            legend->setBrush(QColor(255, 255, 255, 210));
            legend->setBorderPen(QPen(QColor(0xb0, 0xb0, 0xb0)));
            legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
            legend->setWrap(kEventCategoryCount);
            legend->setIconSize(14, 10);
            for (QCPGraph *lane : lanes) {
                if (lane)
                    lane->addToLegend(legend);
            }
            if (legend->itemCount() == 0)
                legend->setVisible(false);
        }

        // The series: first, min, max, last of every bucket at increasing x, so the line keeps
        // each pixel column's extremes whatever the sample density (PlotJuggler's approach).
        QCPGraph *graph = m_plot->addGraph(x, y);
        graph->setPen(QPen(QColor(0x1a, 0x23, 0x7e), 1.2));
        graph->setAdaptiveSampling(false); // already one column per pixel
        QVector<double> keys, values;
        keys.reserve(static_cast<qsizetype>(panel.buckets.size() * 4));
        values.reserve(keys.capacity());
        double low = std::numeric_limits<double>::infinity(), high = -low;
        for (const LodBucket &bucket : panel.buckets) {
            if (bucket.count == 0 || std::isnan(bucket.min))
                continue;
            const double first = bucket.firstTime * kSecondsPerMicro;
            const double last = bucket.lastTime * kSecondsPerMicro;
            keys << first;
            values << bucket.first;
            if (bucket.count > 2) {
                const bool minFirst = bucket.first <= bucket.last; // rising bucket: dip, then peak
                const double step = (last - first) / 3;
                keys << first + step << first + 2 * step;
                values << (minFirst ? bucket.min : bucket.max)
                       << (minFirst ? bucket.max : bucket.min);
            }
            if (bucket.count > 1) {
                keys << last;
                values << bucket.last;
            }
            low = std::min(low, bucket.min);
            high = std::max(high, bucket.max);
        }
        graph->setData(keys, values, true);
        if (low <= high) {
            const double pad
                = (high - low) * 0.12 + (high == low ? std::max(1e-9, std::fabs(high) * 0.05) : 0);
            y->setRange(low - pad, high + pad * 2.2); // headroom for the title
        }

        auto *title = new QCPItemText(m_plot);
        title->setClipToAxisRect(true);
        title->setClipAxisRect(rect);
        title->position->setAxisRect(rect);
        title->position->setType(QCPItemPosition::ptAxisRectRatio);
        title->position->setCoords(0.004, 0.02);
        title->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
        title->setText(panel.title);
        title->setFont(QFont(font().family(), 9, QFont::DemiBold));
        title->setColor(QColor(0x26, 0x32, 0x38));
        title->setBrush(QColor(255, 255, 255, 210));
        title->setPadding(QMargins(3, 1, 3, 1));
    }
    // One shared time axis: dragging or zooming one panel moves all.
    for (QCPAxis *axis : timeAxes) {
        connect(axis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this,
                [timeAxes, this](const QCPRange &range) {
                    for (QCPAxis *other : timeAxes) {
                        if (other->range() != range)
                            other->setRange(range);
                    }
                    m_plot->replot(QCustomPlot::rpQueuedReplot);
                });
    }
    m_plot->replot();
}

} // namespace eventscope::ui
