#include "rowparser.h"

#include "core/data/dictionary.h"
#include "core/io/importer.h"
#include "core/io/timeparse.h"

#include <QCoreApplication>

#include <charconv>
#include <cmath>
#include <cstring>

namespace swb::detail {

namespace {

// Translation context of this file's messages (lupdate reads the macro).
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(swb::Importer)
};

bool isAscii(std::string_view s)
{
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
        std::uint64_t w;
        std::memcpy(&w, s.data() + i, 8);
        if (w & 0x8080808080808080ull)
            return false;
    }
    for (; i < s.size(); ++i) {
        if (static_cast<unsigned char>(s[i]) & 0x80)
            return false;
    }
    return true;
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

// A line split into fields, with each field's value when it is a canonical decimal number
// (Dictionary::canonicalNumber). Computed in the one pass that finds the delimiters, because
// numeric ids and Unix times are most of what big logs hold.
struct LineScan
{
    std::vector<std::string_view> fields;
    std::vector<std::uint64_t> value;
    std::vector<std::uint8_t> canonical;

    void add(std::string_view field, std::uint64_t v, bool digitsOnly)
    {
        fields.push_back(field);
        value.push_back(v);
        canonical.push_back(digitsOnly && !field.empty() && field.size() <= 19 &&
                            (field[0] != '0' || field.size() == 1));
    }

    bool split(std::string_view line, char delimiter, std::deque<std::string>& owned)
    {
        fields.clear();
        value.clear();
        canonical.clear();
        const char* start = line.data();
        const char* const end = line.data() + line.size();
        std::uint64_t v = 0;
        bool digits = true;
        for (const char* p = start; p != end; ++p) {
            const char ch = *p;
            if (ch == delimiter) {
                add({start, static_cast<std::size_t>(p - start)}, v, digits);
                start = p + 1;
                v = 0;
                digits = true;
                continue;
            }
            if (ch == '"')
                return splitQuoted(line, delimiter, owned);
            const unsigned d = static_cast<unsigned>(static_cast<unsigned char>(ch)) - '0';
            digits = digits && d <= 9;
            v = v * 10 + d;
        }
        add({start, static_cast<std::size_t>(end - start)}, v, digits);
        return true;
    }

    bool splitQuoted(std::string_view line, char delimiter, std::deque<std::string>& owned)
    {
        std::vector<std::string_view> parts;
        if (!splitFields(line, delimiter, parts, owned))
            return false;
        fields.clear();
        value.clear();
        canonical.clear();
        for (std::string_view f : parts) {
            const auto number = Dictionary::canonicalNumber(f);
            add(f, number.value_or(0), number.has_value());
        }
        return true;
    }
};

} // namespace

void parseBlock(const ParseContext& c, ParsedBlock& block)
{
    const FormatSpec& spec = c.spec;
    const std::string_view data = block.data;
    const bool mayHaveNul = std::memchr(data.data(), '\0', data.size()) != nullptr;
    const bool ascii = isAscii(data);
    const std::size_t width = spec.columns.size();
    const bool userFromSession = spec.userFromSession && c.session >= 0;
    LineScan scan;
    const std::vector<std::string_view>& fields = scan.fields;
    // Rows are rarely shorter than 24 bytes; reserving avoids regrowing the columns per block.
    const std::size_t expectedRows = data.size() / 24 + 16;
    block.user.reserve(expectedRows);
    block.item.reserve(expectedRows);
    block.ts.reserve(expectedRows);
    block.behaviour.reserve(expectedRows);
    if (c.category >= 0)
        block.category.reserve(expectedRows);

    const auto reject = [&](std::int64_t line, const Rejection& r) {
        ++block.rejected[r.reason];
        RowProblem problem{line, r.column, r.reason, {}};
        if (block.problems.size() < c.maxErrorTexts)
            problem.text = excerpt(r.text);
        block.problems.push_back(std::move(problem));
    };

    std::size_t pos = 0;
    while (pos < data.size()) {
        const char* nl = static_cast<const char*>(std::memchr(data.data() + pos, '\n', data.size() - pos));
        const std::size_t end = nl ? static_cast<std::size_t>(nl - data.data()) : data.size();
        std::string_view line = data.substr(pos, end - pos);
        pos = end + 1;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        const std::int64_t lineNo = ++block.lines;
        if (line.find_first_not_of(" \t") == std::string_view::npos) {
            ++block.blankLines;
            continue;
        }
        ++block.rows;
        if (line.size() > kMaxLineBytes) {
            reject(lineNo, {0, reject::LineTooLong, line});
            continue;
        }
        if (mayHaveNul) {
            if (const void* nul = std::memchr(line.data(), '\0', line.size())) {
                const std::size_t at = static_cast<std::size_t>(static_cast<const char*>(nul) - line.data());
                reject(lineNo, {fieldAt(line, at, spec.delimiter), reject::NulByte, line});
                continue;
            }
        }
        if (!ascii) {
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
        if (!scan.split(line, spec.delimiter, block.owned)) {
            reject(lineNo, {0, reject::UnterminatedQuote, line});
            continue;
        }
        if (fields.size() != width) {
            reject(lineNo, {0, reject::WrongColumnCount, line});
            continue;
        }

        Rejection bad;
        const auto fail = [&](int index, const char* reason) {
            bad = {index + 1, reason, fields[static_cast<std::size_t>(index)]};
        };
        // An id field's reference; an empty field is an empty reference (or a rejection).
        const auto idField = [&](int index, bool required) -> FieldRef {
            if (index < 0 || bad.reason)
                return {};
            const std::string_view f = fields[static_cast<std::size_t>(index)];
            if (f.empty()) {
                if (required)
                    fail(index, reject::MissingField);
                return {};
            }
            const std::size_t i = static_cast<std::size_t>(index);
            const FieldRef r = scan.canonical[i] ? FieldRef{f.data(), static_cast<std::uint32_t>(f.size()),
                                                            true, scan.value[i]}
                                                 : makeRef(f);
            if (!r.numeric && spec.columns[i].numericId && !allDigits(f))
                fail(index, reject::InvalidId);
            return r;
        };

        const FieldRef session = idField(c.session, userFromSession);
        FieldRef user;
        if (userFromSession) {
            user = session;
        } else {
            const std::string_view raw = fields[static_cast<std::size_t>(c.user)];
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
        const std::string_view brand =
            c.brand >= 0 ? fields[static_cast<std::size_t>(c.brand)] : std::string_view{};

        std::int64_t ts = 0;
        if (!bad.reason) {
            const std::string_view t = fields[static_cast<std::size_t>(c.timestamp)];
            std::optional<std::int64_t> parsed;
            if (spec.timeFormat == TimeFormat::Custom) {
                const QDateTime dt = QDateTime::fromString(QString::fromUtf8(t.data(), qsizetype(t.size())),
                                                           spec.customTimePattern);
                if (dt.isValid())
                    parsed = QDateTime(dt.date(), dt.time(), Qt::UTC).toSecsSinceEpoch();
            } else if (spec.timeFormat == TimeFormat::UnixSeconds &&
                       scan.canonical[std::size_t(c.timestamp)] && t.size() <= 18) {
                parsed = static_cast<std::int64_t>(scan.value[std::size_t(c.timestamp)]);
            } else {
                parsed = t.empty() ? std::nullopt : parseTimestamp(t, spec.timeFormat);
            }
            if (!parsed) {
                fail(c.timestamp, t.empty() ? reject::MissingField : reject::InvalidTimestamp);
            } else {
                ts = *parsed;
                if (c.timeOffset >= 0) {
                    const auto offset = parseUnsignedDecimal(fields[static_cast<std::size_t>(c.timeOffset)]);
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
                const std::string_view b = fields[static_cast<std::size_t>(c.behaviour)];
                bool known = false;
                for (const auto& [raw, value] : spec.behaviourValues) {
                    if (raw == b) {
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
            const std::string_view p = fields[static_cast<std::size_t>(c.price)];
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
        block.user.push_back(user);
        block.item.push_back(item);
        if (c.category >= 0)
            block.category.push_back(category);
        if (c.session >= 0)
            block.session.push_back(session);
        if (c.brand >= 0)
            block.brand.push_back(brand.empty() ? FieldRef{} : makeRef(brand));
        if (c.price >= 0)
            block.price.push_back(price);
        block.behaviour.push_back(behaviour);
        block.ts.push_back(ts);
    }
}

} // namespace swb::detail
