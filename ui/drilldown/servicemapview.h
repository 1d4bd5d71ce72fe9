#pragma once

#include "theme.h"

#include "analysis/servicemap.h"

#include <QWidget>

#include <optional>

namespace eventscope::ui {

// Draws a service map: services in columns by call depth (entry points left, what they call
// to the right), each filled by its anomaly state at the moment (anomalous, slightly off,
// normal, no metrics), calls as arrows coloured by their error rate and thicker the more calls
// there were; dashed when none were seen in the window (known from the topology or earlier).
// Hovering tells the numbers; clicking a service announces it.
class ServiceMapView : public QWidget
{
    Q_OBJECT

public:
    explicit ServiceMapView(QWidget *parent = nullptr);

    void setMap(std::optional<analysis::ServiceMap> map);
    void setTheme(const Theme &theme);
    // The service the rest of the console is filtered to (outlined); empty for none.
    void setHighlighted(const QString &service);
    // Where a service's box is drawn (empty when it is not on the map): for tests and tools.
    QRectF nodeRect(const QString &service) const;
    // What the tooltip at `point` says (empty: nothing there).
    QString describeAt(QPointF point) const;
    QSize sizeHint() const override { return {640, 260}; }
    QSize minimumSizeHint() const override { return {200, 120}; }

Q_SIGNALS:
    void serviceActivated(const QString &service);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    bool event(QEvent *event) override;

private:
    void layOut();
    QColor fillOf(const analysis::ServiceMapNode &node) const;
    QColor edgeColour(const analysis::ServiceMapEdge &edge) const;
    int nodeAt(QPointF point) const;
    int edgeAt(QPointF point) const;
    QPainterPath edgePath(const analysis::ServiceMapEdge &edge) const;

    std::optional<analysis::ServiceMap> m_map;
    Theme m_theme = Theme::dark();
    QString m_highlighted;
    std::vector<QRectF> m_rects; // per node, as laid out
    QRectF m_legend;
};

} // namespace eventscope::ui
