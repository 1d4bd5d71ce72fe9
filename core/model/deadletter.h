#pragma once

#include "model/origin.h"
#include "model/timerange.h"

#include <string>

namespace eventscope {

// A message that could not be decoded. Kept, never dropped, so nothing is lost silently.
struct DeadLetter
{
    TimeUs receivedAt = 0;
    std::string source; // "file.ndjson:12" for imports; empty for Kafka (see origin)
    std::string reason;
    std::string payload; // truncated to kMaxDeadLetterPayload bytes
    Origin origin;

    static constexpr std::size_t kMaxPayload = 4096;

    friend bool operator==(const DeadLetter &, const DeadLetter &) = default;
};

} // namespace eventscope
