#include "store/recordchunkstream.h"

#include <algorithm>
#include <string_view>

namespace eventscope {

namespace {

char asciiLower(char c)
{
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// Whether `needle` occurs in `text`, ASCII letters compared without case (as SQL LIKE does).
bool containsIgnoringCase(std::string_view text, std::string_view needle)
{
    return std::search(text.begin(), text.end(), needle.begin(), needle.end(),
                       [](char a, char b) { return asciiLower(a) == asciiLower(b); })
        != text.end();
}

bool sameOrAny(const std::string &wanted, const std::string &value)
{
    return wanted.empty() || wanted == value;
}

} // namespace

bool matchesQuery(const EventQuery &query, const Event &event)
{
    if (!query.range.contains(event.time)
        || !(query.categories & EventQuery::categoryBit(event.category))
        || event.severity < query.minSeverity || !sameOrAny(query.service, event.service)
        || !sameOrAny(query.entity, event.entity) || !sameOrAny(query.type, event.type))
        return false;
    if (query.text.empty())
        return true;
    const std::string_view needle = query.text;
    return containsIgnoringCase(event.message, needle) || containsIgnoringCase(event.type, needle)
        || containsIgnoringCase(event.entity, needle)
        || containsIgnoringCase(event.service, needle);
}

bool matchesQuery(const LogQuery &query, const LogRecord &log)
{
    return query.range.contains(log.time) && log.level >= query.minLevel
        && sameOrAny(query.service, log.service) && sameOrAny(query.entity, log.entity)
        && sameOrAny(query.traceId, log.traceId)
        && (query.text.empty() || containsIgnoringCase(log.message, query.text));
}

bool matchesQuery(const SpanQuery &query, const Span &span)
{
    return query.range.contains(span.start) && sameOrAny(query.service, span.service)
        && sameOrAny(query.entity, span.entity) && sameOrAny(query.traceId, span.traceId)
        && (!query.errorsOnly || span.status == SpanStatus::Error);
}

} // namespace eventscope
