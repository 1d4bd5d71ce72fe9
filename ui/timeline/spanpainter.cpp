#include "spanpainter.h"

#include "timelinechart.h"

#include <array>
#include <cmath>
#include <optional>

namespace eventscope::ui {

QColor spanColor(const Theme &theme, EventSpan::Kind kind)
{
    switch (kind) {
    case EventSpan::Kind::Incident: return theme.severityColor(Severity::Error);
    case EventSpan::Kind::Alert: return theme.severityColor(Severity::Warning);
    case EventSpan::Kind::Operation: return theme.categoryColor(EventCategory::Deployment);
    }
    return theme.mutedText;
}

void paintSpanRuns(QCPPainter *painter, const EventColumns &columns, const QCPAxis &timeAxis,
                   const QRect &area, const Theme &theme, int alpha, bool markOpenEnds,
                   bool includeIncidents)
{
    if (columns.columns <= 0)
        return;
    const PixelMap mapX = PixelMap::horizontal(timeAxis);
    const double left = mapX.time(columns.range.begin);
    const double perColumn = (mapX.time(columns.range.end) - left) / columns.columns;
    const double a = alpha / 255.0;
    for (const SpanRun &run : columns.spanRuns) {
        if (!includeIncidents && run.kind == EventSpan::Kind::Incident)
            continue;
        const QColor over = spanColor(theme, run.kind);
        const QColor color = mixed(theme.base, over, a);
        const double x0 = std::max<double>(std::floor(left + run.first * perColumn), area.left());
        const double x1
            = std::min<double>(std::ceil(left + (run.last + 1) * perColumn), area.right());
        painter->fillRect(QRectF(x0, area.top(), std::max(1.0, x1 - x0), area.height()), color);
        if (markOpenEnds && run.open) {
            painter->setPen(QPen(over, 1, Qt::DashLine));
            painter->drawLine(QPointF(x1, area.top()), QPointF(x1, area.bottom()));
        }
    }
}

} // namespace eventscope::ui
