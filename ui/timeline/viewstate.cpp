#include "viewstate.h"

#include <algorithm>
#include <cmath>

namespace eventscope::ui {

namespace {
constexpr std::size_t kHistoryDepth = 100;
// Wheel notches closer together than this belong to one gesture (one history step).
constexpr qint64 kGestureGapMs = 600;
} // namespace

ViewState::ViewState(QObject *parent)
    : QObject(parent)
{ }

void ViewState::setDataExtent(TimeRange extent)
{
    if (extent == m_extent)
        return;
    const bool first = m_extent.isEmpty();
    m_extent = extent;
    Q_EMIT dataExtentChanged(extent);
    if (first && !extent.isEmpty() && (!m_following || m_followAll)) {
        apply(extent, History::Skip);
        return;
    }
    if (m_following)
        apply(followRange(), History::Skip);
}

TimeRange ViewState::followRange() const
{
    if (m_extent.isEmpty())
        return m_visible;
    if (m_followAll)
        return m_extent;
    const TimeUs width = m_visible.duration();
    return {m_extent.end - width, m_extent.end};
}

void ViewState::setVisibleRange(TimeRange range, History history)
{
    if (range.duration() < kMinimumWidth) {
        const TimeUs centre = range.begin + range.duration() / 2;
        range = {centre - kMinimumWidth / 2, centre + kMinimumWidth / 2};
    }
    // A range that ends at (or past) the newest data keeps following; any other stops it.
    if (m_following && range.end < m_extent.end)
        setFollowing(false);
    m_followAll = false;
    apply(range, history);
}

void ViewState::zoom(double factor, TimeUs anchor, History history)
{
    if (!(factor > 0))
        return;
    const double begin
        = static_cast<double>(anchor) - static_cast<double>(anchor - m_visible.begin) * factor;
    const double end
        = static_cast<double>(anchor) + static_cast<double>(m_visible.end - anchor) * factor;
    setVisibleRange(
        {static_cast<TimeUs>(std::llround(begin)), static_cast<TimeUs>(std::llround(end))},
        history);
}

void ViewState::zoomAroundCentre(double factor)
{
    zoom(factor, m_visible.begin + m_visible.duration() / 2);
}

void ViewState::pan(double fraction, History history)
{
    const auto shift
        = static_cast<TimeUs>(std::llround(fraction * static_cast<double>(m_visible.duration())));
    setVisibleRange({m_visible.begin + shift, m_visible.end + shift}, history);
}

void ViewState::fitAll()
{
    if (m_extent.isEmpty())
        return;
    setVisibleRange(m_extent);
}

void ViewState::showLast(TimeUs width)
{
    width = std::max(width, kMinimumWidth);
    const TimeUs end = m_extent.isEmpty() ? m_visible.end : m_extent.end;
    apply({end - width, end}, History::Record);
    m_followAll = false;
    setFollowing(true);
}

void ViewState::followAll()
{
    m_followAll = true;
    const bool was = m_following;
    m_following = true;
    apply(followRange(), History::Record);
    if (!was)
        Q_EMIT followingChanged(true);
}

void ViewState::centreOn(TimeUs time)
{
    const TimeUs half = m_visible.duration() / 2;
    setVisibleRange({time - half, time - half + m_visible.duration()});
}

void ViewState::apply(TimeRange range, History history)
{
    if (range == m_visible)
        return;
    bool record = history == History::Record;
    if (history == History::Continuous) {
        record = !m_lastContinuous.isValid() || m_lastContinuous.elapsed() > kGestureGapMs;
        m_lastContinuous.start();
    } else {
        m_lastContinuous.invalidate();
    }
    if (record) {
        m_back.push_back(m_visible);
        if (m_back.size() > kHistoryDepth)
            m_back.erase(m_back.begin());
        m_forward.clear();
    }
    m_visible = range;
    Q_EMIT visibleRangeChanged(range);
    if (record)
        Q_EMIT historyChanged();
}

void ViewState::goBack()
{
    stepHistory(m_back, m_forward);
}

void ViewState::goForward()
{
    stepHistory(m_forward, m_back);
}

void ViewState::stepHistory(std::vector<TimeRange> &from, std::vector<TimeRange> &to)
{
    if (from.empty())
        return;
    setFollowing(false);
    to.push_back(m_visible);
    m_visible = from.back();
    from.pop_back();
    m_lastContinuous.invalidate();
    Q_EMIT visibleRangeChanged(m_visible);
    Q_EMIT historyChanged();
}

void ViewState::setFollowing(bool following)
{
    if (following == m_following)
        return;
    m_following = following;
    if (following) {
        // "All" follows the whole extent; any other width keeps its width at the newest data.
        m_followAll = !m_extent.isEmpty() && m_visible.begin <= m_extent.begin;
        apply(followRange(), History::Skip);
    }
    Q_EMIT followingChanged(following);
}

void ViewState::setSelectedEvent(const Event &event)
{
    if (m_selected && *m_selected == event)
        return;
    m_selected = event;
    Q_EMIT selectionChanged();
}

void ViewState::clearSelection()
{
    if (!m_selected)
        return;
    m_selected.reset();
    Q_EMIT selectionChanged();
}

void ViewState::setCursorTime(std::optional<TimeUs> time)
{
    if (time == m_cursor)
        return;
    m_cursor = time;
    Q_EMIT cursorTimeChanged();
}

void ViewState::setCompareRange(std::optional<TimeRange> range)
{
    if (range && range->duration() <= 0)
        range.reset();
    if (range == m_compare)
        return;
    m_compare = range;
    Q_EMIT compareRangeChanged();
}

void ViewState::setTimeZone(TimeZoneMode zone)
{
    if (zone == m_timeZone)
        return;
    m_timeZone = zone;
    Q_EMIT timeZoneChanged(zone);
}

} // namespace eventscope::ui
