#pragma once

#include <string>

namespace eventscope {

// Sets up spdlog: stderr plus a rotating file under the XDG state directory
// ($XDG_STATE_HOME/eventscope/eventscope.log, 5 MiB x 3). `level` is one of trace, debug,
// info, warn, error, critical, off. Returns an error message for an unknown level, or an empty
// string. A log file that cannot be created is reported once on stderr and skipped.
std::string initLogging(const std::string &level, const std::string &programName);

// Where the rotating log file lives (whether or not it could be created).
std::string logFilePath();

} // namespace eventscope
