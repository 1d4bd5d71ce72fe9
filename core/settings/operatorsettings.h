#pragma once

#include "util/result.h"

#include <string>

namespace eventscope::settings {

// The operator's settings, shared by the console and the command line: one INI file per user
// (on Linux ~/.config/EventScope/EventScope.conf, following XDG_CONFIG_HOME).
std::string settingsFile();

// Alert rules (the JSON of analysis/alertrules.h) the console evaluates on live data and that
// `eventscope alerts` falls back to. Empty when none are set.
Result<std::string> alertRulesJson();
Status setAlertRulesJson(const std::string &json);

} // namespace eventscope::settings
