#pragma once

#include "model/event.h"
#include "model/timerange.h"
#include "timedisplay.h"

#include <QElapsedTimer>
#include <QObject>

#include <optional>
#include <vector>

namespace eventscope::ui {

// What one console window shows, observed by every view of it: the visible time range and its
// history (back / forward), live follow, the selected event, the crosshair time and the time
// zone. Views change it and react to its signals; none owns another's state, so back / forward,
// screenshots and reports replay the same state. Lives on the GUI thread.
class ViewState : public QObject
{
    Q_OBJECT

public:
    // How a range change enters the view history. Continuous gestures (wheel zoom, drag pan)
    // record one step per gesture, not one per wheel notch.
    enum class History { Record, Continuous, Skip };

    static constexpr TimeUs kMinimumWidth = 1000; // 1 ms

    explicit ViewState(QObject *parent = nullptr);

    // The time the capture's data covers; the visible range may extend past it.
    TimeRange dataExtent() const { return m_extent; }
    // A new extent (a capture opened, or data committed). While following, the visible range
    // moves so that its right edge stays at the newest data.
    void setDataExtent(TimeRange extent);

    TimeRange visibleRange() const { return m_visible; }
    // A range the user asked for: stops live follow unless it ends at the newest data.
    void setVisibleRange(TimeRange range, History history = History::Record);
    // Zooms by `factor` (< 1 zooms in) keeping `anchor` at the same place on screen.
    void zoom(double factor, TimeUs anchor, History history = History::Record);
    void zoomAroundCentre(double factor);
    // Pans by a fraction of the visible width (negative: earlier).
    void pan(double fraction, History history = History::Record);
    // The whole data extent.
    void fitAll();
    // The last `width` of the data, following it while live.
    void showLast(TimeUs width);
    // All of the data, following it as it grows (a live capture that starts empty).
    void followAll();
    // Centres the visible range on a time, keeping its width.
    void centreOn(TimeUs time);

    bool canGoBack() const { return !m_back.empty(); }
    bool canGoForward() const { return !m_forward.empty(); }
    void goBack();
    void goForward();

    bool isFollowing() const { return m_following; }
    void setFollowing(bool following);

    const std::optional<Event> &selectedEvent() const { return m_selected; }
    void setSelectedEvent(const Event &event);
    void clearSelection();

    std::optional<TimeUs> cursorTime() const { return m_cursor; }
    void setCursorTime(std::optional<TimeUs> time);

    // The range chosen for Compare (Shift+drag on a chart), if any.
    const std::optional<TimeRange> &compareRange() const { return m_compare; }
    void setCompareRange(std::optional<TimeRange> range);

    TimeZoneMode timeZone() const { return m_timeZone; }
    void setTimeZone(TimeZoneMode zone);

Q_SIGNALS:
    void dataExtentChanged(eventscope::TimeRange extent);
    void visibleRangeChanged(eventscope::TimeRange range);
    void historyChanged();
    void followingChanged(bool following);
    void selectionChanged();
    void cursorTimeChanged();
    void compareRangeChanged();
    void timeZoneChanged(eventscope::ui::TimeZoneMode zone);

private:
    void apply(TimeRange range, History history);
    // Back (from m_back to m_forward) or forward (the other way).
    void stepHistory(std::vector<TimeRange> &from, std::vector<TimeRange> &to);
    TimeRange followRange() const;

    TimeRange m_extent{0, 0};
    TimeRange m_visible{0, kMicrosPerSecond};
    std::vector<TimeRange> m_back;
    std::vector<TimeRange> m_forward;
    QElapsedTimer m_lastContinuous;
    bool m_following = false;
    bool m_followAll = false; // following with the left edge at the start of the data
    std::optional<Event> m_selected;
    std::optional<TimeUs> m_cursor;
    std::optional<TimeRange> m_compare;
    TimeZoneMode m_timeZone = TimeZoneMode::Utc;
};

} // namespace eventscope::ui
