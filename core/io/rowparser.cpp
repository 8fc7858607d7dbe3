#include "rowparser.h"

#include "core/data/dictionary.h"
#include "core/io/importer.h"
#include "core/io/timeparse.h"

#include <QCoreApplication>

#include <charconv>
#include <cmath>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace swb::detail {

namespace {

// Translation context of this file's messages (lupdate reads the macro).
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(swb::Importer)
};

// What the per-line checks need to know about a block: whether any byte is NUL or above 0x7f.
struct ByteClasses
{
    bool nul = false;
    bool nonAscii = false;
};

ByteClasses classifyBytes(std::string_view s)
{
    // One branch-free pass over 8-byte words (it vectorizes); a word holds a NUL exactly when
    // (w - 0x01..) & ~w & 0x80.. is non-zero.
    constexpr std::uint64_t kOnes = 0x0101010101010101ull;
    constexpr std::uint64_t kHighs = 0x8080808080808080ull;
    std::uint64_t high = 0;
    std::uint64_t zero = 0;
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
        std::uint64_t w;
        std::memcpy(&w, s.data() + i, 8);
        high |= w;
        zero |= (w - kOnes) & ~w;
    }
    ByteClasses result{(zero & kHighs) != 0, (high & kHighs) != 0};
    for (; i < s.size(); ++i) {
        result.nonAscii = result.nonAscii || static_cast<unsigned char>(s[i]) >= 0x80;
        result.nul = result.nul || s[i] == '\0';
    }
    return result;
}

// Offset of the first byte that is not valid UTF-8, or npos.
std::size_t invalidUtf8At(std::string_view s)
{
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t n = s.size();
    std::size_t i = 0;
    while (i < n) {
        const unsigned char c = p[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t len;
        unsigned min;
        unsigned cp;
        if ((c & 0xe0) == 0xc0) {
            len = 2, min = 0x80, cp = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            len = 3, min = 0x800, cp = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            len = 4, min = 0x10000, cp = c & 0x07;
        } else {
            return i;
        }
        if (i + len > n)
            return i;
        for (std::size_t k = 1; k < len; ++k) {
            if ((p[i + k] & 0xc0) != 0x80)
                return i;
            cp = (cp << 6) | (p[i + k] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return i;
        i += len;
    }
    return std::string_view::npos;
}

// 1-based field number of the byte at `offset` in a line (delimiters before it, plus one).
int fieldAt(std::string_view line, std::size_t offset, char delimiter)
{
    int field = 1;
    for (std::size_t i = 0; i < offset && i < line.size(); ++i)
        field += line[i] == delimiter ? 1 : 0;
    return field;
}

bool allDigits(std::string_view s)
{
    if (s.empty())
        return false;
    for (char c : s) {
        if (c < '0' || c > '9')
            return false;
    }
    return true;
}

FieldRef makeRef(std::string_view text)
{
    if (const auto number = Dictionary::canonicalNumber(text))
        return FieldRef{text.data(), static_cast<std::uint32_t>(text.size()), true, *number};
    return FieldRef{text.data(), static_cast<std::uint32_t>(text.size()), false, Dictionary::hash(text)};
}

struct Rejection
{
    int column = 0;
    const char* reason = nullptr;
    std::string_view text;
};

} // namespace

std::string excerpt(std::string_view text, std::size_t maxChars)
{
    // Counts characters as a reader sees them: a valid UTF-8 sequence is one, an escaped control or
    // invalid byte (\xNN) is four; an ellipsis marks a cut and counts within maxChars.
    std::string out;
    std::size_t chars = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        std::size_t len = 1;
        bool escape = c < 0x20 || c == 0x7f;
        if (c >= 0x80) {
            const std::size_t bad = invalidUtf8At(text.substr(i, 4));
            len = (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : 4;
            escape = bad == 0;
            if (escape)
                len = 1;
        }
        const std::size_t width = escape ? 4 : 1;
        const bool last = i + len >= text.size();
        if (chars + width + (last ? 0 : 1) > maxChars) {
            out += "…";
            return out;
        }
        if (escape) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02X", c);
            out += buf;
        } else {
            out.append(text.substr(i, len));
        }
        chars += width;
        i += len;
    }
    return out;
}

std::vector<std::string> splitLines(std::string_view text, std::size_t maxLines)
{
    std::vector<std::string> lines;
    std::size_t pos = 0;
    while (pos < text.size() && lines.size() < maxLines) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos)
            end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        lines.emplace_back(line);
        pos = end + 1;
    }
    return lines;
}

bool splitFields(std::string_view line, char delimiter, std::vector<std::string_view>& fields,
                 std::deque<std::string>& owned)
{
    fields.clear();
    // Fast path: one pass over the bytes (fields are short, so a loop beats memchr per field).
    const char* start = line.data();
    const char* const end = line.data() + line.size();
    bool quoted = false;
    for (const char* p = start; p != end; ++p) {
        if (*p == delimiter) {
            fields.emplace_back(start, static_cast<std::size_t>(p - start));
            start = p + 1;
        } else if (*p == '"') {
            quoted = true;
            break;
        }
    }
    if (!quoted) {
        fields.emplace_back(start, static_cast<std::size_t>(end - start));
        return true;
    }
    fields.clear();
    std::size_t i = 0;
    while (true) {
        if (i < line.size() && line[i] == '"') {
            std::string value;
            bool escaped = false;
            std::size_t j = i + 1;
            while (true) {
                if (j >= line.size())
                    return false;
                if (line[j] == '"') {
                    if (j + 1 < line.size() && line[j + 1] == '"') {
                        value += '"';
                        escaped = true;
                        j += 2;
                        continue;
                    }
                    break;
                }
                value += line[j++];
            }
            // After the closing quote only a delimiter or the end of the line may follow.
            ++j;
            if (j < line.size() && line[j] != delimiter)
                return false;
            if (escaped) {
                owned.push_back(std::move(value));
                fields.emplace_back(owned.back());
            } else {
                fields.push_back(line.substr(i + 1, j - i - 2));
            }
            if (j >= line.size())
                return true;
            i = j + 1;
        } else {
            const std::size_t end = line.find(delimiter, i);
            if (end == std::string_view::npos) {
                fields.push_back(line.substr(i));
                return true;
            }
            fields.push_back(line.substr(i, end - i));
            i = end + 1;
        }
    }
}

Result<ParseContext> makeContext(const FormatSpec& spec, const std::vector<std::string>& headerFields,
                                 const std::string& headerLine, const QString& fileName)
{
    ParseContext c;
    c.spec = spec;
    c.header = headerLine;
    if (spec.name == QLatin1String("generic")) {
        // The mapping lists columns by role; lay them out in file order.
        const std::size_t width = spec.hasHeader ? headerFields.size() : 0;
        std::vector<ColumnSpec> columns(width);
        for (std::size_t i = 0; i < width; ++i)
            columns[i].name = QString::fromStdString(headerFields[i]);
        for (const ColumnSpec& wanted : spec.columns) {
            int index = -1;
            if (wanted.name.startsWith(QLatin1Char('#'))) {
                index = wanted.name.mid(1).toInt();
            } else if (spec.hasHeader) {
                for (std::size_t i = 0; i < headerFields.size(); ++i) {
                    if (QString::fromStdString(headerFields[i]).compare(wanted.name, Qt::CaseInsensitive) ==
                        0)
                        index = static_cast<int>(i);
                }
            }
            if (index < 0)
                return Error{
                    ErrorCode::InvalidArgument,
                    spec.hasHeader
                        ? Tr::tr("the mapped column \"%1\" is not in the file's header").arg(wanted.name)
                        : Tr::tr("the file has no header: map columns by 0-based index, not by name "
                                 "(\"%1\")")
                              .arg(wanted.name),
                    fileName,
                    1,
                    0,
                    wanted.name};
            if (static_cast<std::size_t>(index) >= columns.size()) {
                if (spec.hasHeader)
                    return Error{ErrorCode::InvalidArgument,
                                 Tr::tr("column index %1 is beyond the header's %2 columns")
                                     .arg(index)
                                     .arg(columns.size()),
                                 fileName,
                                 1,
                                 0,
                                 wanted.name};
                columns.resize(static_cast<std::size_t>(index) + 1);
            }
            if (columns[static_cast<std::size_t>(index)].role != FieldRole::Ignore)
                return Error{ErrorCode::InvalidArgument,
                             Tr::tr("column %1 is mapped twice").arg(wanted.name),
                             fileName,
                             1,
                             0,
                             wanted.name};
            columns[static_cast<std::size_t>(index)].role = wanted.role;
            if (columns[static_cast<std::size_t>(index)].name.isEmpty())
                columns[static_cast<std::size_t>(index)].name = wanted.name;
        }
        c.spec.columns = columns;
    } else if (spec.hasHeader) {
        bool same = headerFields.size() == spec.columns.size();
        for (std::size_t i = 0; same && i < headerFields.size(); ++i)
            same =
                QString::fromStdString(headerFields[i]).compare(spec.columns[i].name, Qt::CaseInsensitive) ==
                0;
        if (!same) {
            QStringList names;
            for (const ColumnSpec& col : spec.columns)
                names << col.name;
            return Error{ErrorCode::FormatUnknown,
                         Tr::tr("line 1 is not the %1 header (expected \"%2\", found \"%3\")")
                             .arg(spec.name, names.join(QLatin1Char(spec.delimiter)),
                                  QString::fromStdString(excerpt(headerLine, 200))),
                         fileName,
                         1,
                         0,
                         {}};
        }
    }
    for (std::size_t i = 0; i < c.spec.columns.size(); ++i) {
        const int index = static_cast<int>(i);
        switch (c.spec.columns[i].role) {
        case FieldRole::User:
            c.user = index;
            break;
        case FieldRole::Item:
            c.item = index;
            break;
        case FieldRole::Category:
            c.category = index;
            break;
        case FieldRole::Behaviour:
            c.behaviour = index;
            break;
        case FieldRole::Timestamp:
            c.timestamp = index;
            break;
        case FieldRole::Session:
            c.session = index;
            break;
        case FieldRole::Price:
            c.price = index;
            break;
        case FieldRole::Brand:
            c.brand = index;
            break;
        case FieldRole::TimeOffsetMs:
            c.timeOffset = index;
            break;
        case FieldRole::Ignore:
            break;
        }
    }
    return c;
}

namespace {

// Eight or fewer ASCII digits at p (n in 1..8) as a number, all eight bytes at once (SWAR);
// false when any of the n bytes is not a digit. Reads p[0..8).
[[gnu::always_inline]] inline bool eightDigits(const char* p, std::size_t n, std::uint64_t& out)
{
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    if (n < 8) {
        // Keep the field's n bytes (the high end on little-endian) and pad with leading '0's.
        w <<= (8 - n) * 8;
        w |= 0x3030303030303030ull >> (n * 8);
    }
    std::uint64_t d = w - 0x3030303030303030ull;
    if ((d | (d + 0x7676767676767676ull)) & 0x8080808080808080ull)
        return false;
    d = (d * 10 + (d >> 8)) & 0x00ff00ff00ff00ffull;
    d = (d * 100 + (d >> 16)) & 0x0000ffff0000ffffull;
    d = (d * 10000 + (d >> 32)) & 0xffffffffull;
    out = d;
    return true;
}

// True, with the value, when [p, p + n) is a canonical decimal number (digits only, 1 to 19 of
// them, no leading zero unless it is "0"); `readable` is where the readable bytes end.
[[gnu::always_inline]] inline bool canonicalValue(const char* p, std::size_t n, const char* readable,
                                                  std::uint64_t& value)
{
    if (n == 0 || n > 19 || (p[0] == '0' && n > 1))
        return false;
    if (n <= 16 && (n >= 8 || readable - p >= 8)) {
        if (n <= 8)
            return eightDigits(p, n, value);
        std::uint64_t high = 0;
        std::uint64_t low = 0;
        if (!eightDigits(p, n - 8, high) || !eightDigits(p + n - 8, 8, low))
            return false;
        value = high * 100000000ull + low;
        return true;
    }
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const unsigned d = static_cast<unsigned>(static_cast<unsigned char>(p[i])) - unsigned('0');
        if (d > 9)
            return false;
        v = v * 10 + d;
    }
    value = v;
    return true;
}

// Splits lines into fields in the pass that finds the line's end, and reads each field's value
// when it is a canonical decimal number. Written by hand because this is the importer's hot path:
// 16 bytes are classified at once (SSE2), digits are converted 8 at a time, fields go to a fixed
// array sized to the format, and quotes, CR and overlong rows take slower paths only they pay for.
class LineScanner
{
public:
    explicit LineScanner(std::size_t width) : m_fields(width + 1) {}

    // Scans from `p` to the next '\n' (or `end`) and returns where the line stops. Keeps the
    // first width + 1 fields; count() is the line's field count, capped there.
    const char* scan(const char* p, const char* const end, char delimiter)
    {
        m_count = 0;
        m_quoted = false;
        m_end = end;
        const char* start = p;
#if defined(__SSE2__)
        const __m128i delimiters = _mm_set1_epi8(delimiter);
        const __m128i newlines = _mm_set1_epi8('\n');
        const __m128i quotes = _mm_set1_epi8('"');
        while (end - p >= 16) {
            const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
            const __m128i special =
                _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes, delimiters), _mm_cmpeq_epi8(bytes, newlines)),
                             _mm_cmpeq_epi8(bytes, quotes));
            unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(special));
            while (mask != 0) {
                const char* at = p + __builtin_ctz(mask);
                mask &= mask - 1;
                if (*at == '\n') {
                    add(start, at);
                    return at;
                }
                if (*at == delimiter) {
                    add(start, at);
                    start = at + 1;
                } else {
                    m_quoted = true;
                }
            }
            p += 16;
        }
#endif
        for (; p != end; ++p) {
            const char ch = *p;
            if (ch == '\n')
                break;
            if (ch == delimiter) {
                add(start, p);
                start = p + 1;
            } else if (ch == '"') {
                m_quoted = true;
            }
        }
        add(start, p);
        return p;
    }

    // Drops a trailing '\r' from the last field (CRLF files).
    void dropCarriageReturn()
    {
        if (m_count > 0 && m_count <= m_fields.size())
            m_fields[m_count - 1].remove_suffix(1);
    }

    // Re-splits a line that holds quotes, honouring them. False for an unterminated quote.
    bool splitQuoted(std::string_view line, char delimiter, std::deque<std::string>& owned)
    {
        if (!splitFields(line, delimiter, m_parts, owned))
            return false;
        m_count = 0;
        for (std::string_view f : m_parts) {
            if (m_count < m_fields.size())
                m_fields[m_count] = f;
            ++m_count;
        }
        m_end = nullptr; // unescaped fields live outside the block: read only their own bytes
        return true;
    }

    // The field's value when it is a canonical decimal number (Dictionary::canonicalNumber).
    [[gnu::always_inline]] bool number(int index, std::uint64_t& value) const
    {
        const std::string_view f = m_fields[static_cast<std::size_t>(index)];
        const char* readable = m_end ? m_end : f.data() + f.size();
        return canonicalValue(f.data(), f.size(), readable, value);
    }

    bool quoted() const
    {
        return m_quoted;
    }
    std::size_t count() const
    {
        return m_count;
    }
    std::string_view operator[](int index) const
    {
        return m_fields[static_cast<std::size_t>(index)];
    }

private:
    void add(const char* start, const char* stop)
    {
        if (m_count < m_fields.size())
            m_fields[m_count] = std::string_view(start, static_cast<std::size_t>(stop - start));
        ++m_count;
    }

    std::vector<std::string_view> m_fields;
    std::size_t m_count = 0;
    bool m_quoted = false;
    const char* m_end = nullptr; // where the block's readable bytes end
    std::vector<std::string_view> m_parts;
};

// Empty or only spaces and tabs (tested inline: a library call per line shows in profiles).
bool isBlank(std::string_view line)
{
    for (const char ch : line) {
        if (ch != ' ' && ch != '\t')
            return false;
    }
    return true;
}

// Equality for the short behaviour values, without a library call per row.
bool sameText(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i] != b[i])
            return false;
    }
    return true;
}

} // namespace

void parseBlock(const ParseContext& c, ParsedBlock& block)
{
    const FormatSpec& spec = c.spec;
    const std::string_view data = block.data.view();
    const ByteClasses bytes = classifyBytes(data);
    const std::size_t width = spec.columns.size();
    const bool userFromSession = spec.userFromSession && c.session >= 0;
    LineScanner scan(width);
    // Accepted rows are written by index into columns that keep their size from block to block
    // (push_back in this loop costs a call per value). Rows are rarely shorter than 24 bytes.
    std::size_t accepted = 0;
    std::size_t capacity = 0;
    const auto makeRoom = [&](std::size_t rows) {
        block.user.keys.resize(rows);
        block.item.keys.resize(rows);
        block.behaviour.resize(rows);
        block.ts.resize(rows);
        block.category.keys.resize(c.category >= 0 ? rows : 0);
        block.session.keys.resize(c.session >= 0 ? rows : 0);
        block.brand.keys.resize(c.brand >= 0 ? rows : 0);
        block.price.resize(c.price >= 0 ? rows : 0);
        capacity = rows;
    };
    for (IdColumn* column : {&block.user, &block.item, &block.category, &block.session, &block.brand})
        column->texts.clear();
    makeRoom(std::max(data.size() / 24 + 16, block.ts.size()));

    const auto reject = [&](std::int64_t line, const Rejection& r) {
        ++block.rejected[r.reason];
        RowProblem problem{line, r.column, r.reason, {}};
        if (block.problems.size() < c.maxErrorTexts)
            problem.text = excerpt(r.text);
        block.problems.push_back(std::move(problem));
    };

    const char* const first = data.data();
    const char* const last = first + data.size();
    std::size_t pos = 0;
    while (pos < data.size()) {
        const char* const lineEnd = scan.scan(first + pos, last, spec.delimiter);
        std::string_view line(first + pos, static_cast<std::size_t>(lineEnd - (first + pos)));
        pos = static_cast<std::size_t>(lineEnd - first) + 1;
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
            scan.dropCarriageReturn();
        }
        const std::int64_t lineNo = ++block.lines;
        if (isBlank(line)) {
            ++block.blankLines;
            continue;
        }
        ++block.rows;
        if (line.size() > kMaxLineBytes) {
            reject(lineNo, {0, reject::LineTooLong, line});
            continue;
        }
        if (bytes.nul) {
            if (const void* nul = std::memchr(line.data(), '\0', line.size())) {
                const std::size_t at = static_cast<std::size_t>(static_cast<const char*>(nul) - line.data());
                reject(lineNo, {fieldAt(line, at, spec.delimiter), reject::NulByte, line});
                continue;
            }
        }
        if (bytes.nonAscii) {
            const std::size_t bad = invalidUtf8At(line);
            if (bad != std::string_view::npos) {
                reject(lineNo, {fieldAt(line, bad, spec.delimiter), reject::InvalidUtf8, line});
                continue;
            }
        }
        if (!c.header.empty() && line == c.header) {
            reject(lineNo, {0, reject::DuplicateHeader, line});
            continue;
        }
        if (scan.quoted() && !scan.splitQuoted(line, spec.delimiter, block.owned)) {
            reject(lineNo, {0, reject::UnterminatedQuote, line});
            continue;
        }
        if (scan.count() != width) {
            reject(lineNo, {0, reject::WrongColumnCount, line});
            continue;
        }

        Rejection bad;
        const auto fail = [&](int index, const char* reason) {
            bad = {index + 1, reason, scan[index]};
        };
        // An id field's reference; an empty field is an empty reference (or a rejection).
        const auto idField = [&](int index, bool required) __attribute__((always_inline))->FieldRef
        {
            if (index < 0 || bad.reason)
                return {};
            const std::string_view f = scan[index];
            std::uint64_t value = 0;
            if (scan.number(index, value))
                return FieldRef{f.data(), static_cast<std::uint32_t>(f.size()), true, value};
            if (f.empty()) {
                if (required)
                    fail(index, reject::MissingField);
                return {};
            }
            if (spec.columns[static_cast<std::size_t>(index)].numericId && !allDigits(f))
                fail(index, reject::InvalidId);
            return makeRef(f);
        };

        const FieldRef session = idField(c.session, userFromSession);
        FieldRef user;
        if (userFromSession) {
            user = session;
        } else {
            const std::string_view raw = scan[c.user];
            const bool anonymous =
                !spec.missingUserToken.empty() && (raw.empty() || raw == spec.missingUserToken);
            if (anonymous && !session.empty()) {
                block.owned.push_back("session:" + std::string(session.view()));
                user = makeRef(block.owned.back());
            } else {
                user = idField(c.user, true);
            }
        }
        const FieldRef item = idField(c.item, true);
        const FieldRef category = idField(c.category, false);
        const std::string_view brand = c.brand >= 0 ? scan[c.brand] : std::string_view{};

        std::int64_t ts = 0;
        if (!bad.reason) {
            const std::string_view t = scan[c.timestamp];
            std::optional<std::int64_t> parsed;
            if (spec.timeFormat == TimeFormat::Custom) {
                const QDateTime dt = QDateTime::fromString(QString::fromUtf8(t.data(), qsizetype(t.size())),
                                                           spec.customTimePattern);
                if (dt.isValid())
                    parsed = QDateTime(dt.date(), dt.time(), Qt::UTC).toSecsSinceEpoch();
            } else if (std::uint64_t seconds = 0; spec.timeFormat == TimeFormat::UnixSeconds &&
                                                  t.size() <= 18 && scan.number(c.timestamp, seconds)) {
                parsed = static_cast<std::int64_t>(seconds);
            } else {
                parsed = t.empty() ? std::nullopt : parseTimestamp(t, spec.timeFormat);
            }
            if (!parsed) {
                fail(c.timestamp, t.empty() ? reject::MissingField : reject::InvalidTimestamp);
            } else {
                ts = *parsed;
                if (c.timeOffset >= 0) {
                    const auto offset = parseUnsignedDecimal(scan[c.timeOffset]);
                    if (!offset)
                        fail(c.timeOffset, reject::InvalidTimestamp);
                    else
                        ts += *offset / 1000;
                }
                if (!bad.reason && (ts < kMinTimestamp || ts >= kMaxTimestamp))
                    fail(c.timestamp, reject::TimestampOutOfRange);
            }
        }

        std::uint8_t behaviour = 0;
        if (!bad.reason) {
            if (c.behaviour >= 0) {
                const std::string_view b = scan[c.behaviour];
                bool known = false;
                for (const auto& [raw, value] : spec.behaviourValues) {
                    if (sameText(raw, b)) {
                        behaviour = static_cast<std::uint8_t>(value);
                        known = true;
                        break;
                    }
                }
                if (!known)
                    fail(c.behaviour, b.empty() ? reject::MissingField : reject::UnknownBehaviour);
            } else {
                behaviour = static_cast<std::uint8_t>(spec.fixedBehaviour.value_or(Behaviour::View));
            }
        }

        float price = std::nanf("");
        if (!bad.reason && c.price >= 0) {
            const std::string_view p = scan[c.price];
            if (!p.empty()) {
                double value = 0;
                const auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
                if (ec != std::errc() || ptr != p.data() + p.size() || !std::isfinite(value))
                    fail(c.price, reject::InvalidPrice);
                else
                    price = static_cast<float>(value);
            }
        }

        if (bad.reason) {
            reject(lineNo, bad);
            continue;
        }
        if (accepted == capacity)
            makeRoom(capacity * 2);
        block.user.set(accepted, user);
        block.item.set(accepted, item);
        if (c.category >= 0)
            block.category.set(accepted, category);
        if (c.session >= 0)
            block.session.set(accepted, session);
        if (c.brand >= 0)
            block.brand.set(accepted, brand.empty() ? FieldRef{} : makeRef(brand));
        if (c.price >= 0)
            block.price[accepted] = price;
        block.behaviour[accepted] = behaviour;
        block.ts[accepted] = ts;
        ++accepted;
    }
    block.acceptedRows = accepted;
}

} // namespace swb::detail
