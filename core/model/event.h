#pragma once

#include "model/origin.h"
#include "model/timerange.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace eventscope {

enum class EventCategory : std::uint8_t {
    Scaling,
    Provisioning,
    Failure,
    Recovery,
    Config,
    Deployment,
    Alert,
    Other,
};
constexpr int kEventCategoryCount = 8;

enum class Severity : std::uint8_t {
    Debug,
    Info,
    Warning,
    Error,
    Critical,
};
constexpr int kSeverityCount = 5;

std::string_view categoryName(EventCategory category);
std::string_view severityName(Severity severity);
std::optional<EventCategory> parseEventCategory(std::string_view text);
std::optional<Severity> parseSeverity(std::string_view text);

// Category for an event whose producer gave none: the prefix of `type` before the first dot
// when it names a category ("scaling.scale_out"), otherwise keywords anywhere in the type.
EventCategory inferEventCategory(std::string_view type);

// The producer's category and severity when they parse, else the defaults of FORMATS.md:
// category inferred from the type, severity info (error for failures). An unknown value is not
// worth losing the event over.
EventCategory resolveCategory(std::string_view given, std::string_view type);
Severity resolveSeverity(std::string_view given, EventCategory category);

// A system event: scaling, provisioning, failure, recovery, config change, deployment, alert.
struct Event
{
    std::string sourceId; // the producer's id ("evt-8f2c"), not unique across producers
    TimeUs time = 0;
    std::string type;
    EventCategory category = EventCategory::Other;
    Severity severity = Severity::Info;
    std::string service;
    std::string entity;
    std::string cluster;
    std::string message;
    std::string traceId;
    std::string attributes; // a JSON object, or empty
    Origin origin;

    friend bool operator==(const Event &, const Event &) = default;
};

} // namespace eventscope
