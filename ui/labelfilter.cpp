#include "labelfilter.h"

#include <QCoreApplication>
#include <QStringList>

namespace eventscope::ui {

std::optional<std::vector<Label>> parseLabelFilter(const QString &text, QString &error)
{
    std::vector<Label> labels;
    for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const qsizetype equals = part.indexOf(QLatin1Char('='));
        if (equals <= 0) {
            error = QCoreApplication::translate("LabelFilter",
                                                "'%1' is not a label filter: write name=value, "
                                                "separated by commas")
                        .arg(part.trimmed());
            return std::nullopt;
        }
        labels.emplace_back(part.left(equals).trimmed().toStdString(),
                            part.mid(equals + 1).trimmed().toStdString());
    }
    return labels;
}

QString labelFilterText(const std::vector<Label> &labels)
{
    QStringList parts;
    for (const auto &[name, value] : labels)
        parts << QString::fromStdString(name + "=" + value);
    return parts.join(QStringLiteral(", "));
}

} // namespace eventscope::ui
