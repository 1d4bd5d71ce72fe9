#pragma once

#include <string>
#include <vector>

namespace eventscope {

// A library the executable links, with the version in use at run time where the library can
// tell it, for --version and the About dialog.
struct LinkedLibrary
{
    std::string name;
    std::string version;
    std::string licence;
};

// The libraries core links (Qt Core, librdkafka, SQLite, spdlog, fmt, simdjson). The GUI adds
// its own (Qt Widgets, QCustomPlot).
std::vector<LinkedLibrary> coreLibraries();

} // namespace eventscope
