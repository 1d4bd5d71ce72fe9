#include "util/logging.h"

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <filesystem>

namespace eventscope {

std::string logFilePath()
{
    namespace fs = std::filesystem;
    fs::path base;
    if (const char *state = std::getenv("XDG_STATE_HOME"); state && *state)
        base = state;
    else if (const char *home = std::getenv("HOME"); home && *home)
        base = fs::path(home) / ".local" / "state";
    else
        base = fs::temp_directory_path();
    return (base / "eventscope" / "eventscope.log").string();
}

std::string initLogging(const std::string &level, const std::string &programName)
{
    const auto parsed = spdlog::level::from_str(level);
    if (parsed == spdlog::level::off && level != "off")
        return "unknown log level '" + level
            + "' (use trace, debug, info, warn, error, critical or off)";

    std::vector<spdlog::sink_ptr> sinks;
    auto console = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    console->set_pattern("%^%l%$: %v");
    sinks.push_back(console);

    const std::string path = logFilePath();
    try {
        std::filesystem::create_directories(std::filesystem::path(path).parent_path());
        auto file
            = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(path, 5 * 1024 * 1024, 3);
        file->set_pattern("%Y-%m-%dT%H:%M:%S.%e %P %t %l: %v");
        file->set_level(spdlog::level::debug < parsed ? spdlog::level::debug : parsed);
        sinks.push_back(file);
    } catch (const std::exception &e) {
        console->log(spdlog::details::log_msg(programName, spdlog::level::warn,
                                              std::string("log file disabled: ") + e.what()));
    }
    auto logger = std::make_shared<spdlog::logger>(programName, sinks.begin(), sinks.end());
    logger->set_level(std::min(parsed, spdlog::level::debug));
    console->set_level(parsed);
    logger->flush_on(spdlog::level::warn);
    spdlog::set_default_logger(logger);
    return {};
}

} // namespace eventscope
