#pragma once

#include "eventcolumns.h"
#include "theme.h"

#include <QRect>

#include <vector>

class QCPAxis;
class QCPPainter;

namespace eventscope::ui {

// Shades span runs (incidents, alerts, operations; aggregated per pixel column by the job) on
// a chart's data area. Opaque, mixed with the background as translucency would: large
// translucent fills are the raster engine's most expensive call. Draw them before the grid
// and the data. With `markOpenEnds`, a run ending in an open span ends in a dashed line.
void paintSpanRuns(QCPPainter *painter, const EventColumns &columns, const QCPAxis &timeAxis,
                   const QRect &area, const Theme &theme, int alpha, bool markOpenEnds,
                   bool includeIncidents = true);

QColor spanColor(const Theme &theme, EventSpan::Kind kind);

} // namespace eventscope::ui
