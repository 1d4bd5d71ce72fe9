#pragma once

#include "model/event.h"
#include "model/series.h"

#include <QWidget>

#include <vector>

class QCustomPlot;
class QCPAxisRect;

namespace eventscope::ui {

// Stacked metric panels sharing one time axis, with the events drawn as vertical markers
// over every panel. Draws level-of-detail buckets (first/min/max/last per pixel column), so
// the cost of a repaint depends on the width in pixels, not on the number of samples.
class MetricChart : public QWidget
{
    Q_OBJECT

public:
    struct Panel
    {
        QString title;
        QString unit;
        std::vector<LodBucket> buckets;
    };

    explicit MetricChart(QWidget *parent = nullptr);

    void setTimeRange(TimeUs begin, TimeUs end);
    void setPanels(const std::vector<Panel> &panels);
    void setEvents(const std::vector<Event> &events);
    void setPlaceholderText(const QString &text);
    // Pixel columns available for data: what a LOD query should ask for.
    int plotWidth() const;

private:
    void rebuild();

    QCustomPlot *m_plot;
    std::vector<Panel> m_panels;
    std::vector<Event> m_events;
    TimeUs m_begin = 0;
    TimeUs m_end = 0;
    QString m_placeholder;
};

} // namespace eventscope::ui
