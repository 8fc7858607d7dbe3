#include "timeparse.h"

namespace swb {

namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// Reads exactly n digits at text[pos..]; advances pos.
std::optional<int> fixedDigits(std::string_view text, std::size_t& pos, int n)
{
    if (pos + static_cast<std::size_t>(n) > text.size())
        return std::nullopt;
    int v = 0;
    for (int i = 0; i < n; ++i) {
        const char c = text[pos + static_cast<std::size_t>(i)];
        if (!isDigit(c))
            return std::nullopt;
        v = v * 10 + (c - '0');
    }
    pos += static_cast<std::size_t>(n);
    return v;
}

bool expect(std::string_view text, std::size_t& pos, char c)
{
    if (pos < text.size() && text[pos] == c) {
        ++pos;
        return true;
    }
    return false;
}

unsigned daysInMonth(int year, unsigned month)
{
    static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : kDays[month - 1];
}

// YYYY-MM-DD at pos; returns days since epoch.
std::optional<std::int64_t> parseDate(std::string_view text, std::size_t& pos)
{
    const auto y = fixedDigits(text, pos, 4);
    if (!y || !expect(text, pos, '-'))
        return std::nullopt;
    const auto m = fixedDigits(text, pos, 2);
    if (!m || !expect(text, pos, '-'))
        return std::nullopt;
    const auto d = fixedDigits(text, pos, 2);
    if (!d || *m < 1 || *m > 12 || *d < 1 ||
        static_cast<unsigned>(*d) > daysInMonth(*y, static_cast<unsigned>(*m)))
        return std::nullopt;
    return daysFromCivil(*y, static_cast<unsigned>(*m), static_cast<unsigned>(*d));
}

// HH[:MM[:SS[.fff]]] at pos; withMinutes demands :MM:SS.
std::optional<std::int64_t> parseClock(std::string_view text, std::size_t& pos, bool hourOnly)
{
    const auto h = fixedDigits(text, pos, 2);
    if (!h || *h > 23)
        return std::nullopt;
    if (hourOnly)
        return *h * 3600;
    if (!expect(text, pos, ':'))
        return std::nullopt;
    const auto mi = fixedDigits(text, pos, 2);
    if (!mi || *mi > 59 || !expect(text, pos, ':'))
        return std::nullopt;
    const auto s = fixedDigits(text, pos, 2);
    if (!s || *s > 60)
        return std::nullopt;
    if (expect(text, pos, '.')) {
        const std::size_t start = pos;
        while (pos < text.size() && isDigit(text[pos]))
            ++pos;
        if (pos == start)
            return std::nullopt;
    }
    return *h * 3600 + *mi * 60 + *s;
}

std::optional<std::int64_t> parseDateTime(std::string_view text, bool iso)
{
    std::size_t pos = 0;
    const auto days = parseDate(text, pos);
    if (!days)
        return std::nullopt;
    if (!(expect(text, pos, iso ? 'T' : ' ') || expect(text, pos, iso ? ' ' : 'T')))
        return std::nullopt;
    const auto clock = parseClock(text, pos, false);
    if (!clock)
        return std::nullopt;
    std::int64_t offset = 0;
    const std::string_view rest = text.substr(pos);
    if (rest.empty() || rest == "Z" || rest == " UTC" || rest == "UTC" || rest == "+00:00") {
        // UTC
    } else if ((rest[0] == '+' || rest[0] == '-') && rest.size() == 6 && rest[3] == ':') {
        std::size_t p = 1;
        const auto oh = fixedDigits(rest, p, 2);
        ++p;
        const auto om = fixedDigits(rest, p, 2);
        if (!oh || !om || *oh > 14 || *om > 59)
            return std::nullopt;
        offset = (rest[0] == '+' ? 1 : -1) * (*oh * 3600 + *om * 60);
    } else {
        return std::nullopt;
    }
    return *days * 86400 + *clock - offset;
}

} // namespace

std::int64_t daysFromCivil(int year, unsigned month, unsigned day)
{
    const int y = year - (month <= 2 ? 1 : 0);
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return static_cast<std::int64_t>(era) * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::optional<std::int64_t> parseUnsignedDecimal(std::string_view text)
{
    if (text.empty() || text.size() > 18)
        return std::nullopt;
    std::int64_t v = 0;
    for (char c : text) {
        if (!isDigit(c))
            return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v;
}

std::optional<std::int64_t> parseSignedDecimal(std::string_view text)
{
    if (!text.empty() && text[0] == '-') {
        const auto v = parseUnsignedDecimal(text.substr(1));
        return v ? std::optional<std::int64_t>(-*v) : std::nullopt;
    }
    return parseUnsignedDecimal(text);
}

std::optional<std::int64_t> parseTimestamp(std::string_view text, TimeFormat format)
{
    switch (format) {
    case TimeFormat::UnixSeconds:
        return parseSignedDecimal(text);
    case TimeFormat::UnixMillis: {
        const auto ms = parseSignedDecimal(text);
        if (!ms)
            return std::nullopt;
        return *ms >= 0 ? *ms / 1000 : -((-*ms + 999) / 1000);
    }
    case TimeFormat::DateTime:
        return parseDateTime(text, false);
    case TimeFormat::Iso8601:
        return parseDateTime(text, true);
    case TimeFormat::DateHour: {
        std::size_t pos = 0;
        const auto days = parseDate(text, pos);
        if (!days || !expect(text, pos, ' '))
            return std::nullopt;
        const auto clock = parseClock(text, pos, true);
        if (!clock || pos != text.size())
            return std::nullopt;
        return *days * 86400 + *clock;
    }
    case TimeFormat::Date: {
        std::size_t pos = 0;
        const auto days = parseDate(text, pos);
        if (!days || pos != text.size())
            return std::nullopt;
        return *days * 86400;
    }
    case TimeFormat::Custom:
        break;
    }
    return std::nullopt;
}

} // namespace swb
