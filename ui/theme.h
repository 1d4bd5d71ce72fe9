#pragma once

#include "model/event.h"

#include <QColor>
#include <QString>

#include <optional>

class QApplication;

namespace eventscope::ui {

// The console's two colour schemes. Every view takes its colours from the current Theme, so
// charts, markers, tables and tooltips change together. Lives on the GUI thread.
struct Theme
{
    enum class Kind { Dark, Light };

    Kind kind = Kind::Dark;
    QColor window;
    QColor base; // tables, chart plot area
    QColor alternateBase;
    QColor text;
    QColor mutedText; // axis labels, secondary columns
    QColor grid;
    QColor axis;
    QColor highlight;
    QColor highlightedText;
    QColor crosshair;
    QColor tooltipBase;
    QColor tooltipText;
    QColor bandAlpha; // colour of a series' min-max band is its line colour at this alpha

    static Theme dark();
    static Theme light();
    static Theme forKind(Kind kind) { return kind == Kind::Dark ? dark() : light(); }
    static std::optional<Kind> parseKind(const QString &name);
    static QString kindName(Kind kind);

    QColor severityColor(Severity severity) const;
    QColor categoryColor(EventCategory category) const;
    // The n-th series colour of a chart: distinct, readable on the plot background.
    QColor seriesColor(int index) const;

    // Fusion style plus this theme's palette and tooltip colours, for the whole application.
    void applyTo(QApplication &application) const;
};

// `over` laid on `under` at `amount` (0..1), as an opaque colour: what a translucent fill would
// show, at the cost of a solid one.
QColor mixed(const QColor &under, const QColor &over, double amount);

} // namespace eventscope::ui
