#pragma once

#include <cstdint>
#include <string>

namespace eventscope {

// Where a record came from in Kafka. A record read from a file has no origin (partition -1).
struct Origin
{
    std::string topic;
    std::int32_t partition = -1;
    std::int64_t offset = -1;

    bool isValid() const { return partition >= 0 && offset >= 0; }

    friend bool operator==(const Origin &, const Origin &) = default;
};

// The next offset to read for one partition; stored in the same transaction as the rows
// the offsets before it produced.
struct PartitionOffset
{
    std::string topic;
    std::int32_t partition = 0;
    std::int64_t nextOffset = 0;

    friend bool operator==(const PartitionOffset &, const PartitionOffset &) = default;
};

} // namespace eventscope
