#include "importer.h"

#include <QDateTime>
#include <QJsonArray>

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

} // namespace swb
