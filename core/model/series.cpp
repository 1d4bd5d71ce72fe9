#include "model/series.h"

#include <algorithm>

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
    std::stable_sort(labels.begin(), labels.end(),
                     [](const Label &a, const Label &b) { return a.first < b.first; });
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
    std::stable_sort(labels.begin(), labels.end(),
                     [](const LabelView &a, const LabelView &b) { return a.first < b.first; });
}

void appendCanonicalSeriesKey(std::string &out, std::string_view name,
                              std::span<const LabelView> labels)
{
    appendEscaped(out, name);
    out += '{';
    bool first = true;
    for (const auto &[key, value] : labels) {
        if (!first)
            out += ',';
        first = false;
        appendEscaped(out, key);
        out += '=';
        appendEscaped(out, value);
    }
    out += '}';
}

std::string SeriesKey::canonical() const
{
    std::vector<LabelView> views;
    views.reserve(labels.size());
    for (const auto &[key, value] : labels)
        views.emplace_back(key, value);
    std::string out;
    out.reserve(name.size() + 2 + labels.size() * 24);
    appendCanonicalSeriesKey(out, name, views); // labels are kept sorted
    return out;
}

} // namespace eventscope
