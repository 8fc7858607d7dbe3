#include "importer.h"

#include "core/io/bytesource.h"
#include "core/io/rowparser.h"

#include <QDateTime>
#include <QJsonArray>

#include <deque>

namespace swb {

QString isoUtc(std::int64_t unixSeconds)
{
    return QDateTime::fromSecsSinceEpoch(unixSeconds, Qt::UTC).toString(Qt::ISODate);
}

QJsonObject toJson(const DatasetSummary& summary)
{
    QJsonObject behaviours;
    for (Behaviour b : kAllBehaviours) {
        const std::string_view key = behaviourKey(b);
        behaviours.insert(QString::fromLatin1(key.data(), qsizetype(key.size())),
                          static_cast<qint64>(summary.behaviours[static_cast<int>(b)]));
    }
    QJsonObject o;
    o.insert(QStringLiteral("events"), static_cast<qint64>(summary.events));
    o.insert(QStringLiteral("behaviours"), behaviours);
    o.insert(QStringLiteral("users"), static_cast<qint64>(summary.users));
    o.insert(QStringLiteral("items"), static_cast<qint64>(summary.items));
    o.insert(QStringLiteral("categories"), static_cast<qint64>(summary.categories));
    o.insert(QStringLiteral("sessions"), static_cast<qint64>(summary.sessions));
    o.insert(QStringLiteral("first_ts"), summary.events ? QJsonValue(isoUtc(summary.firstTs)) : QJsonValue());
    o.insert(QStringLiteral("last_ts"), summary.events ? QJsonValue(isoUtc(summary.lastTs)) : QJsonValue());
    return o;
}

QJsonObject toJson(const ImportReport& report)
{
    QJsonObject byReason;
    for (const auto& [reason, count] : report.rejectedByReason)
        byReason.insert(reason, static_cast<qint64>(count));
    QJsonArray errors;
    for (const RowError& e : report.errors) {
        QJsonObject o;
        o.insert(QStringLiteral("file"), e.file);
        o.insert(QStringLiteral("line"), static_cast<qint64>(e.line));
        o.insert(QStringLiteral("column"), e.column);
        o.insert(QStringLiteral("field"), e.field);
        o.insert(QStringLiteral("reason"), e.reason);
        o.insert(QStringLiteral("text"), e.text);
        errors.append(o);
    }
    QJsonObject o;
    o.insert(QStringLiteral("format"), report.format);
    o.insert(QStringLiteral("files"), QJsonArray::fromStringList(report.files));
    o.insert(QStringLiteral("bytes"), static_cast<qint64>(report.bytes));
    o.insert(QStringLiteral("rows_read"), static_cast<qint64>(report.rowsRead));
    o.insert(QStringLiteral("rows_imported"), static_cast<qint64>(report.rowsImported));
    o.insert(QStringLiteral("rows_rejected"), static_cast<qint64>(report.rowsRejected));
    o.insert(QStringLiteral("blank_lines"), static_cast<qint64>(report.blankLines));
    o.insert(QStringLiteral("rejected_by_reason"), byReason);
    o.insert(QStringLiteral("errors"), errors);
    o.insert(QStringLiteral("seconds"), report.seconds);
    return o;
}

Result<FilePreview> previewFile(const QString& path, int maxLines)
{
    auto source = ByteSource::open(path);
    if (!source)
        return source.error();
    std::string head;
    while (head.size() < 64 * 1024) {
        auto got = source.value()->read(head, 64 * 1024 - head.size());
        if (!got)
            return got.error();
        if (got.value() == 0)
            break;
    }
    if (head.compare(0, 3, "\xEF\xBB\xBF") == 0)
        head.erase(0, 3);
    FilePreview preview;
    preview.file = path;
    std::size_t pos = 0;
    while (pos < head.size() && preview.lines.size() < static_cast<std::size_t>(maxLines)) {
        std::size_t end = head.find('\n', pos);
        if (end == std::string::npos)
            end = head.size();
        std::string line = head.substr(pos, end - pos);
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        preview.lines.push_back(std::move(line));
        pos = end + 1;
    }
    auto detection = detectFormat(preview.lines, path);
    if (detection) {
        preview.detection = detection.value();
        preview.delimiter = detection->spec.delimiter;
    } else {
        preview.detectionError = detection.error().toString();
        if (!preview.lines.empty()) {
            const std::string& first = preview.lines.front();
            for (char candidate : {'\t', ';', '|'}) {
                if (std::count(first.begin(), first.end(), candidate) >
                    std::count(first.begin(), first.end(), preview.delimiter))
                    preview.delimiter = candidate;
            }
        }
    }
    std::deque<std::string> owned;
    std::vector<std::string_view> fields;
    for (const std::string& line : preview.lines) {
        std::vector<QString> row;
        if (!detail::splitFields(line, preview.delimiter, fields, owned)) {
            row.push_back(QString::fromStdString(detail::excerpt(line, 500)));
        } else {
            for (std::string_view f : fields)
                row.push_back(QString::fromStdString(detail::excerpt(f, 200)));
        }
        preview.rows.push_back(std::move(row));
    }
    return preview;
}

} // namespace swb
