#pragma once

#include "model/origin.h"
#include "model/timerange.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace eventscope {

enum class SpanStatus : std::uint8_t { Unset = 0, Ok = 1, Error = 2 };

// "unset", "ok" or "error", as the native span line and CSV write it.
constexpr std::string_view spanStatusName(SpanStatus status)
{
    switch (status) {
    case SpanStatus::Ok: return "ok";
    case SpanStatus::Error: return "error";
    case SpanStatus::Unset: break;
    }
    return "unset";
}

// One trace span. Ids are lowercase hex strings as in OTLP JSON.
struct Span
{
    std::string traceId;
    std::string spanId;
    std::string parentSpanId;
    std::string name;
    std::string service;
    std::string entity;
    std::int32_t kind = 0; // OTLP SpanKind
    TimeUs start = 0;
    TimeUs end = 0;
    SpanStatus status = SpanStatus::Unset;
    std::string attributes; // a JSON object, or empty
    Origin origin;

    TimeUs duration() const { return end - start; }

    friend bool operator==(const Span &, const Span &) = default;
};

} // namespace eventscope
