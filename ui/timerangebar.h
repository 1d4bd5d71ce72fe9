#pragma once

#include <QWidget>

class QLineEdit;
class QToolButton;

namespace eventscope::ui {

class ViewState;

// The time range row above the timeline: relative ranges (last 5 min … 7 d, all), an absolute
// range typed as ISO 8601, the UTC / local toggle and the Live button. Shows the visible range
// as it changes. Lives on the GUI thread.
class TimeRangeBar : public QWidget
{
    Q_OBJECT

public:
    TimeRangeBar(ViewState &view, QWidget *parent = nullptr);

    QLineEdit *rangeEdit() const { return m_edit; }
    QToolButton *liveButton() const { return m_live; }
    // Applies the typed range; false (and the reason shown) when it does not parse.
    bool applyTypedRange();

private:
    void showVisibleRange();

    ViewState &m_view;
    QLineEdit *m_edit;
    QToolButton *m_zone;
    QToolButton *m_live;
};

} // namespace eventscope::ui
