#include "timerangebar.h"

#include "timeline/viewstate.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QTimeZone>
#include <QToolButton>
#include <QToolTip>

namespace eventscope::ui {

TimeRangeBar::TimeRangeBar(ViewState &view, QWidget *parent)
    : QWidget(parent)
    , m_view(view)
    , m_edit(new QLineEdit(this))
    , m_zone(new QToolButton(this))
    , m_live(new QToolButton(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 2, 6, 2);
    layout->setSpacing(2);
    struct Preset
    {
        const char *label;
        TimeUs width;
    };
    const Preset presets[] = {
        {"5m", 5 * 60 * kMicrosPerSecond},     {"15m", 15 * 60 * kMicrosPerSecond},
        {"1h", 3600 * kMicrosPerSecond},       {"6h", 6 * 3600 * kMicrosPerSecond},
        {"24h", 24 * 3600 * kMicrosPerSecond}, {"7d", 7 * 24 * 3600 * kMicrosPerSecond},
    };
    auto *last = new QLabel(tr("Last"), this);
    layout->addWidget(last);
    for (const Preset &preset : presets) {
        auto *button = new QToolButton(this);
        button->setText(QString::fromLatin1(preset.label));
        button->setToolTip(
            tr("Show the last %1 of data and follow it").arg(QString::fromLatin1(preset.label)));
        button->setAutoRaise(true);
        const TimeUs width = preset.width;
        connect(button, &QToolButton::clicked, this, [this, width] { m_view.showLast(width); });
        layout->addWidget(button);
    }
    auto *all = new QToolButton(this);
    all->setText(tr("All"));
    all->setToolTip(tr("Show all data (F)"));
    all->setAutoRaise(true);
    connect(all, &QToolButton::clicked, this, [this] { m_view.fitAll(); });
    layout->addWidget(all);
    layout->addSpacing(12);

    m_edit->setPlaceholderText(
        tr("FROM, TO as ISO 8601, e.g. 2026-11-24T10:00:00.000Z, 2026-11-24T11:00Z"));
    m_edit->setToolTip(tr("Type a range and press Enter. Times without an offset are read in the "
                          "time zone shown on the right."));
    // Wide enough for a whole range when there is room (it stretches), narrow enough that a
    // small window or screenshot is not held wider than asked.
    m_edit->setMinimumWidth(m_edit->fontMetrics().horizontalAdvance(QLatin1Char('0')) * 16);
    connect(m_edit, &QLineEdit::returnPressed, this, &TimeRangeBar::applyTypedRange);
    layout->addWidget(m_edit, 1);

    m_zone->setAutoRaise(true);
    m_zone->setToolTip(tr("Show times in UTC or in local time (axes, tables, tooltips, exports)"));
    connect(m_zone, &QToolButton::clicked, this, [this] {
        m_view.setTimeZone(m_view.timeZone() == TimeZoneMode::Utc ? TimeZoneMode::Local
                                                                  : TimeZoneMode::Utc);
    });
    layout->addWidget(m_zone);

    m_live->setText(tr("● Live"));
    m_live->setCheckable(true);
    m_live->setToolTip(tr("Follow new data (Space)"));
    connect(m_live, &QToolButton::toggled, &m_view, &ViewState::setFollowing);
    connect(&m_view, &ViewState::followingChanged, m_live, &QToolButton::setChecked);
    layout->addWidget(m_live);

    connect(&m_view, &ViewState::visibleRangeChanged, this, &TimeRangeBar::showVisibleRange);
    connect(&m_view, &ViewState::timeZoneChanged, this, &TimeRangeBar::showVisibleRange);
    showVisibleRange();
}

bool TimeRangeBar::applyTypedRange()
{
    const ParsedRange parsed = parseTimeRangeText(m_edit->text(), m_view.timeZone());
    if (!parsed.error.isEmpty()) {
        QToolTip::showText(m_edit->mapToGlobal(QPoint(0, m_edit->height())), parsed.error, m_edit);
        m_edit->setStyleSheet(QStringLiteral("QLineEdit { border: 1px solid #e05050; }"));
        return false;
    }
    m_edit->setStyleSheet({});
    m_view.setVisibleRange(parsed.range);
    return true;
}

void TimeRangeBar::showVisibleRange()
{
    const TimeZoneMode zone = m_view.timeZone();
    m_zone->setText(zone == TimeZoneMode::Utc ? tr("UTC") : tr("Local"));
    if (m_edit->hasFocus())
        return; // the operator is typing
    const TimeRange range = m_view.visibleRange();
    const auto iso = [zone](TimeUs time) {
        const QDateTime at = QDateTime::fromMSecsSinceEpoch(
            time / 1000,
            zone == TimeZoneMode::Utc ? QTimeZone::utc() : QTimeZone::systemTimeZone());
        return at.toString(Qt::ISODateWithMs);
    };
    m_edit->setText(iso(range.begin) + QStringLiteral(", ") + iso(range.end));
    m_edit->setStyleSheet({});
}

} // namespace eventscope::ui
