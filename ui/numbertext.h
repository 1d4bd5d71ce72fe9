#pragma once

#include <QString>

#include <cmath>

namespace eventscope::ui {

// Numbers as the analysis views write them.

// "1 rule", "22 times": a count with its noun in the right number (no "time(s)").
inline QString counted(qint64 n, const QString &one, const QString &many)
{
    return QStringLiteral("%1 %2").arg(n).arg(n == 1 ? one : many);
}

// A relative change, signed: "+12 %", "-3.5 %" (a decimal below 10 %); "—" when not a number.
inline QString signedPercent(double fraction)
{
    if (!std::isfinite(fraction))
        return QStringLiteral("—");
    return QStringLiteral("%1%2 %")
        .arg(fraction > 0 ? QStringLiteral("+") : QString())
        .arg(fraction * 100, 0, 'f', std::abs(fraction) < 0.1 ? 1 : 0);
}

// A p-value: "0.031", or "2.0e-04" below 0.001.
inline QString pValueText(double p)
{
    return p < 1e-3 ? QString::number(p, 'e', 1) : QString::number(p, 'f', 3);
}

} // namespace eventscope::ui
