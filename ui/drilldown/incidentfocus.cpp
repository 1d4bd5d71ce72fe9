#include "incidentfocus.h"

#include <QObject>

#include <algorithm>

namespace eventscope::ui {

IncidentFocus incidentFocus(const analysis::IncidentAnalysis &analysis, TimeZoneMode zone)
{
    IncidentFocus focus;
    const Event &failure = analysis.failure;
    focus.label = QObject::tr("the %1 failure at %2")
                      .arg(QString::fromStdString(failure.service.empty() ? failure.entity
                                                                          : failure.service),
                           formatTime(failure.time, zone, false));
    const auto add = [](std::vector<std::string> &to, const std::string &name) {
        if (!name.empty() && std::find(to.begin(), to.end(), name) == to.end())
            to.push_back(name);
    };
    add(focus.services, failure.service);
    add(focus.entities, failure.entity);
    for (const analysis::Suspect &suspect : analysis.suspects) {
        add(focus.services, suspect.service);
        add(focus.entities, suspect.entity);
    }
    return focus;
}

} // namespace eventscope::ui
