#pragma once

#include "model/event.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

// Failures are stored in event chunks with the other events (recordchunk.h). To find one by its
// producer's id without decoding every chunk, each chunk that holds failures has a row in
// event_chunk_failures: the sorted hashes of its failures' source ids, 8 bytes each. A lookup
// reads those small rows and decodes only the chunks whose list has the id's hash.
namespace eventscope::failureindex {

// FNV-1a, 64 bits: stored in captures, so it must never change.
std::uint64_t sourceIdHash(std::string_view sourceId);

// The hashes of the failures among `events`, sorted, little-endian; empty if there are none.
std::string encode(std::span<const Event *const> events);

// Whether an encoded list holds `hash`. A list whose size is not a multiple of 8 is damaged and
// holds nothing.
bool contains(std::string_view encoded, std::uint64_t hash);

} // namespace eventscope::failureindex
