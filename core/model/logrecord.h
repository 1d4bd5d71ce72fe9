#pragma once

#include "model/event.h"
#include "model/origin.h"
#include "model/timerange.h"

#include <string>

namespace eventscope {

struct LogRecord
{
    TimeUs time = 0;
    Severity level = Severity::Info;
    std::string service;
    std::string entity;
    std::string message;
    std::string traceId;
    std::string spanId;
    std::string attributes; // a JSON object, or empty
    Origin origin;

    friend bool operator==(const LogRecord &, const LogRecord &) = default;
};

} // namespace eventscope
