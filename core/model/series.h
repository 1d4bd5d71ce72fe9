#pragma once

#include "model/timerange.h"

#include <bit>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace eventscope {

using Label = std::pair<std::string, std::string>;
using LabelView = std::pair<std::string_view, std::string_view>;

// Identity of a metric series: its name and labels, labels kept sorted by key so that equal
// series compare equal whatever order the producer wrote them in.
struct SeriesKey
{
    std::string name;
    std::vector<Label> labels;

    SeriesKey() = default;
    SeriesKey(std::string name, std::vector<Label> labels);

    // Value of a label, or empty.
    std::string_view label(std::string_view key) const;

    // `name{k1=v1,k2=v2}`, the form shown to people and used as the identity in the store.
    // Characters `\`, `,`, `=`, `}` in label values are escaped with a backslash.
    std::string canonical() const;
    // seriesIdentity() of this key: equal keys have equal identities.
    std::uint64_t identity() const;

    friend bool operator==(const SeriesKey &, const SeriesKey &) = default;
};

// Sorts labels stably by key, as SeriesKey keeps them.
void sortLabels(std::span<LabelView> labels);
// A 64-bit hash of a series' name and labels (sorted as sortLabels() does), computed without
// building the canonical form. Decoders and the capture writer find series by it once per
// sample and per batch; two different keys can share an identity, so a match is confirmed by
// comparing the keys.
std::uint64_t seriesIdentity(std::string_view name, std::span<const LabelView> labels);

// A stored series: its key plus what the store assigned to it.
struct SeriesInfo
{
    std::int64_t id = 0;
    SeriesKey key;
    std::string unit;
    std::int64_t sampleCount = 0;
    TimeUs firstTime = 0;
    TimeUs lastTime = 0;

    friend bool operator==(const SeriesInfo &, const SeriesInfo &) = default;
};

struct Sample
{
    TimeUs time = 0;
    double value = 0.0;

    friend bool operator==(const Sample &a, const Sample &b)
    {
        // Bitwise on the value so that NaN samples round-trip as equal.
        return a.time == b.time
            && std::bit_cast<std::uint64_t>(a.value) == std::bit_cast<std::uint64_t>(b.value);
    }
};

// One bucket of a level-of-detail query: what a chart draws for one pixel column. An empty
// bucket has count 0 and NaN values; min and max skip NaN samples.
struct LodBucket
{
    TimeUs begin = 0; // bucket start (inclusive)
    std::int64_t count = 0;
    double min = 0.0;
    double max = 0.0;
    double first = 0.0; // value of the earliest sample
    double last = 0.0; // value of the latest sample
    TimeUs firstTime = 0;
    TimeUs lastTime = 0;
};

} // namespace eventscope
