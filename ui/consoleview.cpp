#include "consoleview.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace eventscope::ui {

namespace {
constexpr int kFormatVersion = 1;
}

QByteArray ConsoleView::toJson() const
{
    QJsonObject json;
    json[QStringLiteral("version")] = kFormatVersion;
    json[QStringLiteral("range")] = QJsonObject{{QStringLiteral("begin"), qint64(range.begin)},
                                                {QStringLiteral("end"), qint64(range.end)}};
    json[QStringLiteral("lanes")]
        = serviceLanes ? QStringLiteral("service") : QStringLiteral("category");
    QJsonArray chartList;
    for (const Chart &chart : charts)
        chartList.append(
            QJsonObject{{QStringLiteral("series"), QJsonArray::fromStringList(chart.seriesKeys)},
                        {QStringLiteral("categories"), qint64(chart.categoryMask)}});
    json[QStringLiteral("charts")] = chartList;
    QJsonObject filterJson{
        {QStringLiteral("categories"), qint64(filter.categories)},
        {QStringLiteral("minSeverity"),
         QString::fromLatin1(severityName(filter.minSeverity).data(),
                             qsizetype(severityName(filter.minSeverity).size()))},
        {QStringLiteral("service"), filter.service},
        {QStringLiteral("entity"), filter.entity},
        {QStringLiteral("text"), filter.text}};
    json[QStringLiteral("filter")] = filterJson;
    if (!selectedEventId.isEmpty())
        json[QStringLiteral("selection")]
            = QJsonObject{{QStringLiteral("event"), selectedEventId},
                          {QStringLiteral("time"), qint64(selectedEventTime)}};
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
}

std::optional<ConsoleView> ConsoleView::fromJson(const QByteArray &text, QString *error)
{
    const auto fail = [&](const QString &why) -> std::optional<ConsoleView> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(QStringLiteral("the saved view is not JSON: %1").arg(parseError.errorString()));
    if (!document.isObject())
        return fail(QStringLiteral("the saved view is not a JSON object"));
    const QJsonObject json = document.object();
    const int version = json.value(QStringLiteral("version")).toInt(0);
    if (version < 1)
        return fail(QStringLiteral("the saved view has no version"));
    if (version > kFormatVersion)
        return fail(
            QStringLiteral("the saved view is of a newer EventScope (format %1)").arg(version));

    ConsoleView view;
    const QJsonObject range = json.value(QStringLiteral("range")).toObject();
    view.range = {range.value(QStringLiteral("begin")).toInteger(),
                  range.value(QStringLiteral("end")).toInteger()};
    if (view.range.isEmpty())
        return fail(QStringLiteral("the saved view has no time range"));
    view.serviceLanes = json.value(QStringLiteral("lanes")).toString() == QLatin1String("service");
    for (const QJsonValue chartValue : json.value(QStringLiteral("charts")).toArray()) {
        const QJsonObject chartJson = chartValue.toObject();
        Chart chart;
        for (const QJsonValue key : chartJson.value(QStringLiteral("series")).toArray())
            chart.seriesKeys << key.toString();
        chart.categoryMask
            = static_cast<std::uint32_t>(chartJson.value(QStringLiteral("categories")).toInteger());
        view.charts.push_back(std::move(chart));
    }
    const QJsonObject filter = json.value(QStringLiteral("filter")).toObject();
    view.filter.categories = static_cast<std::uint32_t>(
        filter.value(QStringLiteral("categories")).toInteger(EventQuery::kAllCategories));
    view.filter.minSeverity
        = parseSeverity(filter.value(QStringLiteral("minSeverity")).toString().toStdString())
              .value_or(Severity::Debug);
    view.filter.service = filter.value(QStringLiteral("service")).toString();
    view.filter.entity = filter.value(QStringLiteral("entity")).toString();
    view.filter.text = filter.value(QStringLiteral("text")).toString();
    const QJsonObject selection = json.value(QStringLiteral("selection")).toObject();
    view.selectedEventId = selection.value(QStringLiteral("event")).toString();
    view.selectedEventTime = selection.value(QStringLiteral("time")).toInteger();
    return view;
}

} // namespace eventscope::ui
