#include "timedisplay.h"

#include <QDateTime>
#include <QObject>
#include <QTimeZone>

#include <cmath>
#include <cstdlib>

namespace eventscope::ui {

QString formatDuration(double seconds)
{
    if (seconds < 0)
        return QObject::tr("unknown");
    if (seconds < 1)
        return QStringLiteral("%1 ms").arg(std::llround(seconds * 1000));
    const long long s = std::llround(seconds);
    if (s < 60)
        return QStringLiteral("%1 s").arg(s);
    if (s < 3600)
        return s % 60 ? QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60)
                      : QStringLiteral("%1 min").arg(s / 60);
    return QStringLiteral("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
}

QString formatRelative(TimeUs time, TimeUs reference)
{
    if (time == reference)
        return QObject::tr("at the failure");
    const double seconds = static_cast<double>(std::abs(reference - time)) / kMicrosPerSecond;
    return time < reference ? QObject::tr("%1 before").arg(formatDuration(seconds))
                            : QObject::tr("%1 after").arg(formatDuration(seconds));
}

QString formatTime(TimeUs time, TimeZoneMode zone, bool withDate)
{
    // Floor to the millisecond, also before 1970.
    const qint64 millis = time >= 0 ? time / 1000 : -((-time + 999) / 1000);
    if (zone == TimeZoneMode::Utc) {
        const QDateTime at = QDateTime::fromMSecsSinceEpoch(millis, QTimeZone::utc());
        return at.toString(withDate ? QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")
                                    : QStringLiteral("HH:mm:ss.zzz"))
            + QStringLiteral(" UTC");
    }
    const QDateTime at = QDateTime::fromMSecsSinceEpoch(millis, QTimeZone::systemTimeZone());
    return at.toString(withDate ? QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz t")
                                : QStringLiteral("HH:mm:ss.zzz t"));
}

} // namespace eventscope::ui

#include "util/timeformat.h"

#include <QRegularExpression>

namespace eventscope::ui {

std::optional<TimeUs> parseTimeText(const QString &text, TimeZoneMode zone)
{
    QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return std::nullopt;
    // With an offset or Z: RFC 3339 through core's parser (any fraction length).
    static const QRegularExpression hasOffset(QStringLiteral("(Z|[+-]\\d\\d:?\\d\\d)$"),
                                              QRegularExpression::CaseInsensitiveOption);
    trimmed.replace(QLatin1Char(' '), QLatin1Char('T'));
    if (hasOffset.match(trimmed).hasMatch()) {
        if (auto time = parseRfc3339(trimmed.toStdString()))
            return time;
        return std::nullopt;
    }
    // Without: the current zone. A bare date means its midnight.
    for (const Qt::DateFormat format : {Qt::ISODateWithMs, Qt::ISODate}) {
        QDateTime at = QDateTime::fromString(trimmed, format);
        if (!at.isValid())
            continue;
        at.setTimeZone(zone == TimeZoneMode::Utc ? QTimeZone::utc() : QTimeZone::systemTimeZone());
        return at.toMSecsSinceEpoch() * 1000;
    }
    return std::nullopt;
}

ParsedRange parseTimeRangeText(const QString &text, TimeZoneMode zone)
{
    ParsedRange parsed;
    static const QRegularExpression separator(QStringLiteral("\\s*(,|/|\\s+to\\s+|\\s+–\\s+)\\s*"));
    const QStringList sides = text.trimmed().split(separator, Qt::SkipEmptyParts);
    if (sides.size() != 2) {
        parsed.error = QStringLiteral("expected FROM, TO (two ISO 8601 times)");
        return parsed;
    }
    const auto from = parseTimeText(sides[0], zone);
    if (!from) {
        parsed.error = QStringLiteral("FROM '%1' is not an ISO 8601 time").arg(sides[0]);
        return parsed;
    }
    const auto to = parseTimeText(sides[1], zone);
    if (!to) {
        parsed.error = QStringLiteral("TO '%1' is not an ISO 8601 time").arg(sides[1]);
        return parsed;
    }
    if (*to <= *from) {
        parsed.error = QStringLiteral("TO must be after FROM");
        return parsed;
    }
    parsed.range = {*from, *to};
    return parsed;
}

} // namespace eventscope::ui
