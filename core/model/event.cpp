#include "model/event.h"

#include <array>

namespace eventscope {

namespace {

constexpr std::array<std::string_view, kEventCategoryCount> kCategoryNames
    = {"scaling", "provisioning", "failure", "recovery", "config", "deployment", "alert", "other"};
constexpr std::array<std::string_view, kSeverityCount> kSeverityNames
    = {"debug", "info", "warning", "error", "critical"};

bool equalsIgnoreCase(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char c = a[i];
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
        if (c != b[i])
            return false;
    }
    return true;
}

bool containsIgnoreCase(std::string_view haystack, std::string_view needle)
{
    if (needle.size() > haystack.size())
        return false;
    for (std::size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
        if (equalsIgnoreCase(haystack.substr(i, needle.size()), needle))
            return true;
    }
    return false;
}

} // namespace

std::string_view categoryName(EventCategory category)
{
    return kCategoryNames[static_cast<std::size_t>(category)];
}

std::string_view severityName(Severity severity)
{
    return kSeverityNames[static_cast<std::size_t>(severity)];
}

std::optional<EventCategory> parseEventCategory(std::string_view text)
{
    for (std::size_t i = 0; i < kCategoryNames.size(); ++i) {
        if (equalsIgnoreCase(text, kCategoryNames[i]))
            return static_cast<EventCategory>(i);
    }
    return std::nullopt;
}

std::optional<Severity> parseSeverity(std::string_view text)
{
    for (std::size_t i = 0; i < kSeverityNames.size(); ++i) {
        if (equalsIgnoreCase(text, kSeverityNames[i]))
            return static_cast<Severity>(i);
    }
    // Common spellings from log frameworks and Kubernetes.
    if (equalsIgnoreCase(text, "warn"))
        return Severity::Warning;
    if (equalsIgnoreCase(text, "fatal") || equalsIgnoreCase(text, "crit")
        || equalsIgnoreCase(text, "emergency") || equalsIgnoreCase(text, "alert"))
        return Severity::Critical;
    if (equalsIgnoreCase(text, "err"))
        return Severity::Error;
    if (equalsIgnoreCase(text, "trace"))
        return Severity::Debug;
    if (equalsIgnoreCase(text, "information") || equalsIgnoreCase(text, "notice")
        || equalsIgnoreCase(text, "normal"))
        return Severity::Info;
    return std::nullopt;
}

EventCategory inferEventCategory(std::string_view type)
{
    const auto dot = type.find('.');
    if (dot != std::string_view::npos) {
        if (auto category = parseEventCategory(type.substr(0, dot)))
            return *category;
    }
    struct Keyword
    {
        std::string_view word;
        EventCategory category;
    };
    // Order matters: "recovered" must not match "failure" rules first, and so on.
    static constexpr std::array<Keyword, 22> kKeywords = {{
        {"recover", EventCategory::Recovery},
        {"restored", EventCategory::Recovery},
        {"resolved", EventCategory::Recovery},
        {"healthy_again", EventCategory::Recovery},
        {"scale", EventCategory::Scaling},
        {"scaling", EventCategory::Scaling},
        {"rescale", EventCategory::Scaling},
        {"replica", EventCategory::Scaling},
        {"fail", EventCategory::Failure},
        {"crash", EventCategory::Failure},
        {"error", EventCategory::Failure},
        {"timeout", EventCategory::Failure},
        {"oom", EventCategory::Failure},
        {"unhealthy", EventCategory::Failure},
        {"deploy", EventCategory::Deployment},
        {"rollout", EventCategory::Deployment},
        {"release", EventCategory::Deployment},
        {"config", EventCategory::Config},
        {"provision", EventCategory::Provisioning},
        {"schedul", EventCategory::Provisioning},
        {"alert", EventCategory::Alert},
        {"alarm", EventCategory::Alert},
    }};
    for (const auto &keyword : kKeywords) {
        if (containsIgnoreCase(type, keyword.word))
            return keyword.category;
    }
    return EventCategory::Other;
}

EventCategory resolveCategory(std::string_view given, std::string_view type)
{
    const auto parsed = parseEventCategory(given);
    return parsed ? *parsed : inferEventCategory(type);
}

Severity resolveSeverity(std::string_view given, EventCategory category)
{
    const auto parsed = parseSeverity(given);
    return parsed ? *parsed
                  : (category == EventCategory::Failure ? Severity::Error : Severity::Info);
}

} // namespace eventscope
