#include "model/series.h"

#include <algorithm>

namespace eventscope {

namespace {

void appendEscaped(std::string &out, std::string_view text)
{
    for (const char c : text) {
        if (c == '\\' || c == ',' || c == '=' || c == '}' || c == '{')
            out += '\\';
        out += c;
    }
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

std::string SeriesKey::canonical() const
{
    std::string out;
    out.reserve(name.size() + 2 + labels.size() * 24);
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
    return out;
}

} // namespace eventscope
