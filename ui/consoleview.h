#pragma once

#include "model/timerange.h"
#include "models/eventfilter.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>
#include <vector>

namespace eventscope::ui {

// Where the console was left on a capture: the range, the lanes, the charts and their series,
// the event filter and the selected event. What File > Save View writes into the capture (as
// JSON, with the notes beside it) and what the settings keep per capture. Series are named by
// their canonical key and the event by its producer id, so a view survives a copy of the
// capture and a newer EventScope.
struct ConsoleView
{
    struct Chart
    {
        QStringList seriesKeys;
        std::uint32_t categoryMask = 0;
        friend bool operator==(const Chart &, const Chart &) = default;
    };

    TimeRange range{0, 0};
    bool serviceLanes = false;
    std::vector<Chart> charts;
    EventFilter filter;
    QString selectedEventId;
    TimeUs selectedEventTime = 0;

    QByteArray toJson() const;
    // Fails (with `error` set) on JSON that is not a view; fields it does not know are ignored.
    static std::optional<ConsoleView> fromJson(const QByteArray &json, QString *error = nullptr);

    friend bool operator==(const ConsoleView &, const ConsoleView &) = default;
};

} // namespace eventscope::ui
