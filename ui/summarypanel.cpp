#include "summarypanel.h"

#include "core/data/workspace.h"

#include <QDateTime>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QTimeZone>

namespace swb {

namespace {

QString behaviourName(Behaviour b)
{
    const std::string_view key = behaviourKey(b);
    return QString::fromLatin1(key.data(), qsizetype(key.size()));
}

QString dash()
{
    return QStringLiteral("–");
}

} // namespace

SummaryPanel::SummaryPanel(QWidget* parent) : QGroupBox(tr("Summary"), parent)
{
    auto* form = new QFormLayout(this);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_title = new QLabel(this);
    m_title->setWordWrap(true);
    form->addRow(m_title);
    auto add = [&](const QString& key, const QString& label) {
        auto* value = new QLabel(this);
        value->setObjectName(QStringLiteral("summary_") + key);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        form->addRow(label, value);
        m_values.emplace_back(key, value);
    };
    add(QStringLiteral("events"), tr("Events:"));
    add(QStringLiteral("users"), tr("Users:"));
    add(QStringLiteral("items"), tr("Items:"));
    add(QStringLiteral("categories"), tr("Categories:"));
    add(QStringLiteral("sessions"), tr("Sessions:"));
    for (Behaviour b : kAllBehaviours)
        add(behaviourName(b), tr("%1:").arg(behaviourLabel(b)));
    add(QStringLiteral("first"), tr("First event:"));
    add(QStringLiteral("last"), tr("Last event:"));
    add(QStringLiteral("rejected"), tr("Rows rejected:"));
    clear();
}

void SummaryPanel::clear()
{
    m_title->setText(tr("No dataset selected. Open a log with File › Open Log… or drop it here."));
    m_title->setToolTip(QString());
    for (auto& [key, label] : m_values)
        label->setText(dash());
}

void SummaryPanel::showDataset(const DatasetInfo& info)
{
    const QLocale locale;
    const DatasetSummary& s = info.summary;
    m_title->setText(tr("<b>%1</b><br>%2 · %3")
                         .arg(info.name.toHtmlEscaped(), info.format.toHtmlEscaped(),
                              QFileInfo(info.source).fileName().toHtmlEscaped()));
    m_title->setToolTip(info.source);
    setValue(QStringLiteral("events"), locale.toString(s.events));
    setValue(QStringLiteral("users"), locale.toString(s.users));
    setValue(QStringLiteral("items"), locale.toString(s.items));
    setValue(QStringLiteral("categories"), locale.toString(s.categories));
    setValue(QStringLiteral("sessions"), locale.toString(s.sessions));
    for (Behaviour b : kAllBehaviours)
        setValue(behaviourName(b), locale.toString(s.behaviours[int(b)]));
    auto utc = [&](std::int64_t ts) {
        return s.events ? tr("%1 UTC").arg(QDateTime::fromSecsSinceEpoch(ts, QTimeZone::utc())
                                               .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")))
                        : dash();
    };
    setValue(QStringLiteral("first"), utc(s.firstTs));
    setValue(QStringLiteral("last"), utc(s.lastTs));
    setValue(QStringLiteral("rejected"),
             locale.toString(qint64(info.report.value(QStringLiteral("rows_rejected")).toDouble())));
}

void SummaryPanel::setValue(const QString& key, const QString& text)
{
    for (auto& [k, label] : m_values) {
        if (k == key)
            label->setText(text);
    }
}

QString SummaryPanel::valueText(const QString& key) const
{
    for (const auto& [k, label] : m_values) {
        if (k == key)
            return label->text();
    }
    return {};
}

} // namespace swb
