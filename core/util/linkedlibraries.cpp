#include "linkedlibraries.h"

#include <fmt/core.h>
#include <librdkafka/rdkafka.h>
#include <simdjson.h>
#include <spdlog/version.h>
#include <sqlite3.h>

#include <QtGlobal>

namespace eventscope {

std::vector<LinkedLibrary> coreLibraries()
{
    return {
        {"Qt", qVersion(), "LGPL-3.0"},
        {"librdkafka", rd_kafka_version_str(), "BSD-2-Clause"},
        {"SQLite", sqlite3_libversion(), "public domain"},
        {"spdlog",
         std::to_string(SPDLOG_VER_MAJOR) + "." + std::to_string(SPDLOG_VER_MINOR) + "."
             + std::to_string(SPDLOG_VER_PATCH),
         "MIT"},
        {"fmt",
         std::to_string(FMT_VERSION / 10000) + "." + std::to_string(FMT_VERSION / 100 % 100) + "."
             + std::to_string(FMT_VERSION % 100),
         "MIT"},
        {"simdjson",
         std::to_string(simdjson::SIMDJSON_VERSION_MAJOR) + "."
             + std::to_string(simdjson::SIMDJSON_VERSION_MINOR) + "."
             + std::to_string(simdjson::SIMDJSON_VERSION_REVISION),
         "Apache-2.0"},
    };
}

} // namespace eventscope
