#pragma once

#include <QString>

namespace eventscope::ui {

// "1 rule", "22 times": a count with its noun in the right number (no "time(s)").
inline QString counted(qint64 n, const QString &one, const QString &many)
{
    return QStringLiteral("%1 %2").arg(n).arg(n == 1 ? one : many);
}

} // namespace eventscope::ui
