#pragma once

#include "theme.h"

#include "report/incidentreport.h"
#include "util/result.h"

#include <QImage>
#include <QSize>
#include <QString>

#include <memory>
#include <vector>

namespace eventscope {
class CaptureReader;
}

namespace eventscope::ui {

class ViewState;
class TimelineChart;
} // namespace eventscope::ui

class QCPPainter;

namespace eventscope::ui {

// The timeline of an incident report, made of the console's own charts: the event lanes with
// the failure ringed and the incident shaded, then one chart per moved metric with the events
// marked. Built synchronously from a capture (a report is one-shot work, headless or on a
// worker's behalf); each chart is then drawn as vectors (PDF) or pixels (HTML, PNG). Needs a
// QApplication (widgets), not a display: the offscreen platform is enough. GUI thread.
class ReportCharts
{
public:
    static constexpr int kLogicalWidth = 1000;

    static Result<std::unique_ptr<ReportCharts>>
    build(CaptureReader &reader, const report::IncidentReport &report, const Theme &theme);
    ~ReportCharts();

    int count() const { return static_cast<int>(m_charts.size()); }
    // What a chart shows, for its caption ("Events", "latency_p99_ms{service=payments}").
    QString caption(int index) const;
    // The chart's size in logical pixels (kLogicalWidth wide).
    QSize logicalSize(int index) const;
    // Draws the chart at the painter's origin, `width` logical pixels wide (at its logical
    // height), as shapes and text when the painter is in vectorized mode (a PDF).
    void draw(QCPPainter &painter, int index, int width) const;
    // The chart as pixels, `scale` device pixels per logical pixel.
    QImage image(int index, double scale) const;
    // All charts stacked, `size` in logical pixels: the PNG report's timeline.
    void drawStacked(QPainter &painter, QRect area) const;

private:
    ReportCharts();
    struct Chart
    {
        TimelineChart *widget = nullptr; // owned by m_host
        QString caption;
        int height = 0;
    };
    std::unique_ptr<ViewState> m_view;
    std::unique_ptr<QWidget> m_host;
    std::vector<Chart> m_charts;
};

} // namespace eventscope::ui
