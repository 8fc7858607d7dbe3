#pragma once

// Small helpers shared by the parts of the Prepare page (PreparePage, PrepSettingsForm,
// PrepRunsPanel, PrepReportView): number and time formatting, read-only table items, hint labels.

#include <QDateTime>
#include <QJsonObject>
#include <QLabel>
#include <QLocale>
#include <QStandardItem>
#include <QString>
#include <QTimeZone>
#include <QVariant>

#include <cstdint>

namespace swb::prepui {

inline constexpr std::int64_t kDay = 24 * 60 * 60;
// Progress of a preparation is reported in permille of the whole job.
inline constexpr std::int64_t kPermille = 1000;

inline QString count(qint64 n)
{
    return QLocale().toString(n);
}

inline qint64 jsonCount(const QJsonObject& object, const QString& key)
{
    return object.value(key).toInteger();
}

inline QDateTime utc(std::int64_t ts)
{
    return QDateTime::fromSecsSinceEpoch(ts, QTimeZone::utc());
}

inline QString utcText(std::int64_t ts)
{
    return utc(ts).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

// A read-only item sorting by sortValue (Qt::UserRole), or by its text.
inline QStandardItem* textItem(const QString& text, const QVariant& sortValue = {})
{
    auto* item = new QStandardItem(text);
    item->setData(sortValue.isValid() ? sortValue : QVariant(text), Qt::UserRole);
    item->setEditable(false);
    return item;
}

inline QStandardItem* numberItem(qint64 n)
{
    QStandardItem* item = textItem(count(n), n);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

inline QLabel* hintLabel(QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setWordWrap(true);
    label->setForegroundRole(QPalette::PlaceholderText);
    return label;
}

} // namespace swb::prepui
