#include "model/series.h"

#include <algorithm>
#include <functional>

namespace eventscope {

namespace {

// Appends `text` with a backslash before each backslash, comma, equals sign and brace; runs
// without them are copied whole.
void appendEscaped(std::string &out, std::string_view text)
{
    std::size_t runStart = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\\' || c == ',' || c == '=' || c == '}' || c == '{') {
            out.append(text.substr(runStart, i - runStart));
            out += '\\';
            out += c;
            runStart = i + 1;
        }
    }
    out.append(text.substr(runStart));
}

} // namespace

SeriesKey::SeriesKey(std::string name_, std::vector<Label> labels_)
    : name(std::move(name_))
    , labels(std::move(labels_))
{
    const auto byKey = [](const Label &a, const Label &b) { return a.first < b.first; };
    // Decoders hand over sorted labels; std::stable_sort would allocate a buffer regardless.
    if (!std::is_sorted(labels.begin(), labels.end(), byKey))
        std::stable_sort(labels.begin(), labels.end(), byKey);
}

std::string_view SeriesKey::label(std::string_view key) const
{
    for (const auto &[k, v] : labels) {
        if (k == key)
            return v;
    }
    return {};
}

void sortLabels(std::span<LabelView> labels)
{
    // Insertion sort: stable, no allocation, and fastest for the handful of labels a series
    // has (it runs once per decoded sample).
    for (std::size_t i = 1; i < labels.size(); ++i) {
        LabelView moving = labels[i];
        std::size_t j = i;
        for (; j > 0 && moving.first < labels[j - 1].first; --j)
            labels[j] = labels[j - 1];
        labels[j] = moving;
    }
}

std::string SeriesKey::canonical() const
{
    std::string out;
    out.reserve(name.size() + 2 + labels.size() * 24);
    appendEscaped(out, name);
    out += '{';
    bool first = true;
    for (const auto &[key, value] : labels) { // kept sorted
        if (!first)
            out += ',';
        first = false;
        appendEscaped(out, key);
        out += '=';
        appendEscaped(out, value);
    }
    out += '}';
    return out;
}

namespace {
std::uint64_t mixIdentity(std::uint64_t state, std::string_view piece)
{
    // The length goes in too, so that moving text between adjacent pieces changes the result.
    const std::uint64_t h = std::hash<std::string_view>{}(piece) ^ (piece.size() << 56);
    state ^= h + 0x9e3779b97f4a7c15ULL + (state << 12) + (state >> 4);
    return state * 0xff51afd7ed558ccdULL;
}

template<typename Labels> std::uint64_t identityOf(std::string_view name, const Labels &labels)
{
    std::uint64_t state = mixIdentity(0xcbf29ce484222325ULL, name);
    for (const auto &[key, value] : labels) {
        state = mixIdentity(state, key);
        state = mixIdentity(state, value);
    }
    return state;
}
} // namespace

std::uint64_t seriesIdentity(std::string_view name, std::span<const LabelView> labels)
{
    return identityOf(name, labels);
}

std::uint64_t SeriesKey::identity() const
{
    return identityOf(name, labels);
}

} // namespace eventscope
