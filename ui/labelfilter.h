#pragma once

#include "model/series.h"

#include <QString>

#include <optional>
#include <vector>

namespace eventscope::ui {

// Label filters as an operator types them, "service=frontend, region=eu": the Impact view's and
// the alert rule editor's. Nullopt when a part is not name=value, with `error` naming it.
std::optional<std::vector<Label>> parseLabelFilter(const QString &text, QString &error);
// The same labels written back: "service=frontend, region=eu".
QString labelFilterText(const std::vector<Label> &labels);

} // namespace eventscope::ui
