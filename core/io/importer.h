#pragma once

#include "core/data/eventtable.h"
#include "core/io/formatspec.h"
#include "core/jobs/cancel.h"
#include "core/jobs/progress.h"
#include "core/util/result.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace swb {

// Stable reason keys for rejected rows (the names in reports and JSON).
namespace reject {
inline constexpr const char* WrongColumnCount = "wrong_column_count";
inline constexpr const char* MissingField = "missing_field";
inline constexpr const char* InvalidId = "invalid_id";
inline constexpr const char* InvalidTimestamp = "invalid_timestamp";
inline constexpr const char* TimestampOutOfRange = "timestamp_out_of_range";
inline constexpr const char* UnknownBehaviour = "unknown_behaviour";
inline constexpr const char* InvalidPrice = "invalid_price";
inline constexpr const char* InvalidUtf8 = "invalid_utf8";
inline constexpr const char* NulByte = "nul_byte";
inline constexpr const char* LineTooLong = "line_too_long";
inline constexpr const char* DuplicateHeader = "duplicate_header";
inline constexpr const char* UnterminatedQuote = "unterminated_quote";
} // namespace reject

// Lines longer than this are rejected as line_too_long (and skipped without being held in memory).
inline constexpr std::size_t kMaxLineBytes = 1 << 20;
// Accepted timestamps: 1990-01-01 .. 2100-01-01 UTC; anything else is timestamp_out_of_range.
inline constexpr std::int64_t kMinTimestamp = 631152000;
inline constexpr std::int64_t kMaxTimestamp = 4102444800;

struct ImportOptions
{
    QStringList files;              // one log, or YOOCHOOSE clicks and buys together
    QString format;                 // empty: detect from the first lines
    std::optional<FormatSpec> spec; // a generic mapping (takes precedence over format)
    bool strict = false;            // abort on the first rejected row; import nothing
    int maxErrors = 100;            // rejected rows reported in full; all are counted
};

// One rejected row, as the user sees it.
struct RowError
{
    QString file;
    std::int64_t line = 0;   // 1-based physical line in the (decompressed) file
    int column = 0;          // 1-based field number; 0 when the row as a whole is wrong
    QString field;           // the field's name, when known
    QString reason;          // a reject:: key
    QString text;            // offending text, shortened to at most 120 characters, made printable
    QString message() const; // translated, one line
};

struct ImportReport
{
    QString format;
    QStringList files;
    std::int64_t bytes = 0;    // input bytes read (compressed size for .gz)
    std::int64_t rowsRead = 0; // data rows (not the header, not blank lines)
    std::int64_t rowsImported = 0;
    std::int64_t rowsRejected = 0;
    std::int64_t blankLines = 0;
    std::map<QString, std::int64_t> rejectedByReason;
    std::vector<RowError> errors; // the first ImportOptions::maxErrors rejected rows
    double seconds = 0;
};

struct ImportResult
{
    std::shared_ptr<EventTable> table;
    ImportReport report;
};

// Streams the files, parses and dictionary-encodes every row into a new EventTable.
// Uses two threads: one reads, decompresses and splits fields, the other encodes ids and appends
// to the columns, so both cores work and the order of rows is the file's.
// Progress is input bytes of the total size. Returns a Cancelled error when cancelled, an error
// naming the file (and line) when the file is unreadable, not a log, a truncated .gz, when no row
// could be imported, or, with strict, at the first rejected row.
Result<ImportResult> importLog(const ImportOptions& options, ProgressSink& progress,
                               const CancelToken& cancel);

// The first rows of a file for a preview: decoded lines, the detected format (or the reason none
// fits) and each line split into fields by the detected (or comma) delimiter.
struct FilePreview
{
    QString file;
    std::vector<std::string> lines;
    std::optional<Detection> detection;
    QString detectionError;
    char delimiter = ',';
    std::vector<std::vector<QString>> rows;
};
Result<FilePreview> previewFile(const QString& path, int maxLines = 50);

QJsonObject toJson(const ImportReport& report);
QJsonObject toJson(const DatasetSummary& summary);
QString isoUtc(std::int64_t unixSeconds);

} // namespace swb
