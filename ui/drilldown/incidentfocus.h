#pragma once

#include "timedisplay.h"

#include "analysis/incidentanalyzer.h"

#include <QString>

#include <string>
#include <vector>

namespace eventscope::ui {

// What "this incident only" keeps in the logs and traces panels: the records of the failure's
// and its suspects' services and entities (and of named traces).
struct IncidentFocus
{
    QString label; // "the checkout failure at 10:05:00.000 UTC"
    std::vector<std::string> services;
    std::vector<std::string> entities;
    std::vector<std::string> traces;
};

IncidentFocus incidentFocus(const analysis::IncidentAnalysis &analysis, TimeZoneMode zone);

} // namespace eventscope::ui
