#pragma once

#include "core/data/behaviour.h"
#include "core/util/result.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace swb {

// What a column of a log means for the canonical event.
enum class FieldRole
{
    Ignore,
    User,
    Item,
    Category,
    Behaviour,
    Timestamp,
    Session,
    Price,
    Brand,
    TimeOffsetMs, // Diginetica's timeframe: milliseconds added to a date-only timestamp
};

// How the timestamp column is written. All results are Unix seconds UTC.
enum class TimeFormat
{
    UnixSeconds, // 1511544070
    UnixMillis,  // 1433221332117
    DateTime,    // 2019-10-01 00:00:00 UTC (the " UTC" suffix optional, also with 'T')
    DateHour,    // 2014-12-06 02
    Iso8601,     // 2014-04-07T10:51:09.277Z (offsets +hh:mm honoured)
    Date,        // 2016-05-09 (whole day; Diginetica adds TimeOffsetMs)
    Custom,      // a QDateTime::fromString pattern, interpreted as UTC
};

struct ColumnSpec
{
    QString name; // header name, or a descriptive name for headerless formats
    FieldRole role = FieldRole::Ignore;
    bool numericId = false; // id must be decimal digits (formats whose ids are numbers)
};

// A log format: built-in ones are table entries in formatspec.cpp; "generic" is built from a
// JSON column mapping. One spec drives the single row parser, so a new format is one entry.
struct FormatSpec
{
    QString name; // taobao, retailrocket, rees46, tianchi, diginetica, yoochoose-clicks, ...
    char delimiter = ',';
    bool hasHeader = false;
    std::vector<ColumnSpec> columns; // in file order
    TimeFormat timeFormat = TimeFormat::UnixSeconds;
    QString customTimePattern;                                      // for TimeFormat::Custom
    std::vector<std::pair<std::string, Behaviour>> behaviourValues; // raw value -> behaviour
    std::optional<Behaviour> fixedBehaviour;                        // formats without a behaviour column
    std::string missingUserToken; // e.g. Diginetica's "NA": the user becomes "session:<id>"
    bool userFromSession = false; // YOOCHOOSE has no user ids: each session is its own user

    int columnOf(FieldRole role) const;
    bool has(FieldRole role) const { return columnOf(role) >= 0; }
};

// The built-in formats, in detection order.
const std::vector<FormatSpec>& builtinFormats();
std::optional<FormatSpec> builtinFormat(const QString& name);
// Names accepted by --format (built-ins, "yoochoose" and "generic").
QStringList formatNames();

// Builds a generic spec from a column mapping, e.g.
// {"delimiter":",","header":true,"columns":{"user":"visitor","item":"sku","behaviour":"action",
//  "timestamp":"time"},"timestamp_format":"unix_ms","behaviours":{"click":"view","order":"buy"}}
// Unknown keys, unknown roles and bad values are refused with a message naming the key.
// When the file has a header, column names are resolved against it by resolveColumns().
Result<FormatSpec> formatFromMapping(const QJsonObject& mapping, const QString& sourceName);
Result<FormatSpec> formatFromMappingFile(const QString& path);

// Result of looking at the first lines of a file.
struct Detection
{
    FormatSpec spec;
    QString reason; // why this format was chosen, for the preview
};

// Chooses the built-in format whose header or row shape fits the first lines (already decoded,
// without BOM and line ends). Fails with FormatUnknown and a message that says what was seen.
Result<Detection> detectFormat(const std::vector<std::string>& firstLines, const QString& fileName);

} // namespace swb
