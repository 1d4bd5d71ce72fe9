#pragma once

#include "models/tracetree.h"
#include "theme.h"

#include <QAbstractScrollArea>

#include <memory>

namespace eventscope::ui {

// One trace as a waterfall: a row per span, depth first, indented under its parent, with its
// service and operation on the left and a bar from its start to its end on the trace's time
// axis on the right. Failing spans in the error colour, the critical path drawn solid and the
// rest muted, the selected span marked. Only the rows in view are painted, so a trace of ten
// thousand spans scrolls as one of ten. Lives on the GUI thread.
class TraceWaterfall : public QAbstractScrollArea
{
    Q_OBJECT

public:
    explicit TraceWaterfall(QWidget *parent = nullptr);

    void setTrace(std::shared_ptr<const TraceTree> tree);
    const TraceTree *trace() const { return m_tree.get(); }
    void setTheme(const Theme &theme);
    int selectedRow() const { return m_selected; }
    // Selects a row and scrolls it into view; -1 clears.
    void selectRow(int row);
    int rowHeight() const;
    // The row under a point of the viewport, or -1.
    int rowAt(QPoint viewportPoint) const;

Q_SIGNALS:
    void rowSelected(int row);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    bool viewportEvent(QEvent *event) override;

private:
    void updateScrollBars();
    int labelWidth() const;
    QColor serviceColor(const std::string &service) const;

    std::shared_ptr<const TraceTree> m_tree;
    Theme m_theme = Theme::dark();
    int m_selected = -1;
};

} // namespace eventscope::ui
