#include "util/timeformat.h"

#include <chrono>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>

namespace eventscope {

namespace {

// Howard Hinnant's civil-from-days, for formatting.
void civilFromDays(std::int64_t z, int &year, unsigned &month, unsigned &day)
{
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    day = doy - (153 * mp + 2) / 5 + 1;
    month = mp < 10 ? mp + 3 : mp - 9;
    year = static_cast<int>(y + (month <= 2));
}

bool readDigits(std::string_view text, std::size_t &pos, std::size_t count, int &out)
{
    if (pos + count > text.size())
        return false;
    int value = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const char c = text[pos + i];
        if (c < '0' || c > '9')
            return false;
        value = value * 10 + (c - '0');
    }
    pos += count;
    out = value;
    return true;
}

bool expect(std::string_view text, std::size_t &pos, char c)
{
    if (pos >= text.size() || text[pos] != c)
        return false;
    ++pos;
    return true;
}

std::optional<TimeUs> parseRfc3339Text(std::string_view text)
{
    std::size_t pos = 0;
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!readDigits(text, pos, 4, year) || !expect(text, pos, '-')
        || !readDigits(text, pos, 2, month) || !expect(text, pos, '-')
        || !readDigits(text, pos, 2, day))
        return std::nullopt;
    if (pos >= text.size() || (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' '))
        return std::nullopt;
    ++pos;
    if (!readDigits(text, pos, 2, hour) || !expect(text, pos, ':')
        || !readDigits(text, pos, 2, minute) || !expect(text, pos, ':')
        || !readDigits(text, pos, 2, second))
        return std::nullopt;
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
        return std::nullopt;

    std::int64_t micros = 0;
    if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
        ++pos;
        int digits = 0;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            if (digits < 6)
                micros = micros * 10 + (text[pos] - '0');
            ++digits;
            ++pos;
        }
        if (digits == 0)
            return std::nullopt;
        for (int i = digits; i < 6; ++i)
            micros *= 10;
    }

    std::int64_t offsetSeconds = 0;
    if (pos >= text.size())
        return std::nullopt; // RFC 3339 requires a zone
    if (text[pos] == 'Z' || text[pos] == 'z') {
        ++pos;
    } else if (text[pos] == '+' || text[pos] == '-') {
        const int sign = text[pos] == '-' ? -1 : 1;
        ++pos;
        int offHour = 0, offMinute = 0;
        if (!readDigits(text, pos, 2, offHour))
            return std::nullopt;
        if (pos < text.size() && text[pos] == ':')
            ++pos;
        if (!readDigits(text, pos, 2, offMinute) || offHour > 23 || offMinute > 59)
            return std::nullopt;
        offsetSeconds = sign * (offHour * 3600 + offMinute * 60);
    } else {
        return std::nullopt;
    }
    if (pos != text.size())
        return std::nullopt;

    const std::int64_t days
        = daysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
    const std::int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - offsetSeconds;
    return seconds * kMicrosPerSecond + micros;
}

} // namespace

std::int64_t daysFromCivil(int year, unsigned month, unsigned day)
{
    const std::int64_t y = static_cast<std::int64_t>(year) - (month <= 2);
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

TimeUs timeFromEpochInteger(std::int64_t number)
{
    const std::int64_t magnitude = number < 0 ? -number : number;
    if (magnitude < 100'000'000'000LL) {
        return number * kMicrosPerSecond;
    }
    if (magnitude < 100'000'000'000'000LL)
        return number * 1000;
    if (magnitude < 100'000'000'000'000'000LL)
        return number;
    return number / 1000;
}

std::optional<TimeUs> timeFromEpochNumber(double number)
{
    if (!std::isfinite(number))
        return std::nullopt;
    const double magnitude = std::fabs(number);
    double micros = 0;
    if (magnitude < 1e11)
        micros = number * 1e6;
    else if (magnitude < 1e14)
        micros = number * 1e3;
    else if (magnitude < 1e17)
        micros = number;
    else
        micros = number / 1e3;
    if (std::fabs(micros) > 9.2e18)
        return std::nullopt;
    return static_cast<TimeUs>(std::llround(micros));
}

std::optional<TimeUs> parseTimestamp(std::string_view text)
{
    if (text.empty())
        return std::nullopt;
    // Classified in one pass: find_first_not_of with a set of characters costs a memchr per
    // character, and every event's time goes through here.
    const auto isDigit = [](char c) { return c >= '0' && c <= '9'; };
    std::size_t digitsEnd = text[0] == '-' ? 1 : 0;
    while (digitsEnd < text.size() && isDigit(text[digitsEnd]))
        ++digitsEnd;
    if (digitsEnd == text.size()) {
        std::int64_t number = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
        if (error != std::errc() || end != text.data() + text.size())
            return std::nullopt;
        return timeFromEpochInteger(number);
    }
    const auto isNumberChar = [&](char c) {
        return isDigit(c) || c == '.' || c == '-' || c == 'e' || c == 'E' || c == '+';
    };
    if (std::all_of(text.begin() + static_cast<std::ptrdiff_t>(digitsEnd), text.end(),
                    isNumberChar)) {
        double number = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
        if (error != std::errc() || end != text.data() + text.size())
            return std::nullopt;
        return timeFromEpochNumber(number);
    }
    return parseRfc3339Text(text);
}

std::optional<TimeUs> parseRfc3339(std::string_view text)
{
    return parseRfc3339Text(text);
}

std::string formatTimestamp(TimeUs time)
{
    std::int64_t seconds = time / kMicrosPerSecond;
    std::int64_t micros = time % kMicrosPerSecond;
    if (micros < 0) {
        micros += kMicrosPerSecond;
        --seconds;
    }
    std::int64_t days = seconds / 86400;
    std::int64_t secondOfDay = seconds % 86400;
    if (secondOfDay < 0) {
        secondOfDay += 86400;
        --days;
    }
    int year = 0;
    unsigned month = 0, day = 0;
    civilFromDays(days, year, month, day);
    char buffer[48];
    int length = std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d", year, month,
                               day, static_cast<int>(secondOfDay / 3600),
                               static_cast<int>(secondOfDay / 60 % 60),
                               static_cast<int>(secondOfDay % 60));
    if (micros != 0) {
        if (micros % 1000 == 0)
            length += std::snprintf(buffer + length, sizeof buffer - length, ".%03d",
                                    static_cast<int>(micros / 1000));
        else
            length += std::snprintf(buffer + length, sizeof buffer - length, ".%06d",
                                    static_cast<int>(micros));
    }
    buffer[length++] = 'Z';
    return std::string(buffer, static_cast<std::size_t>(length));
}

TimeUs wallClockNow()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace eventscope
