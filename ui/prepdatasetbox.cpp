#include "prepdatasetbox.h"

#include "prepcommon.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QSignalBlocker>

#include <algorithm>

namespace swb {

using prepui::count;
using prepui::hintLabel;
using prepui::utcText;

PrepDatasetBox::PrepDatasetBox(QWidget* parent) : QGroupBox(tr("Dataset"), parent)
{
    auto* form = new QFormLayout(this);
    m_combo = new QComboBox(this);
    m_combo->setObjectName(QStringLiteral("datasetCombo"));
    m_combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_combo->setMinimumContentsLength(16);
    auto* label = new QLabel(tr("&Dataset:"), this);
    label->setBuddy(m_combo);
    form->addRow(label, m_combo);
    m_hint = hintLabel(this);
    m_hint->setObjectName(QStringLiteral("datasetHint"));
    form->addRow(m_hint);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    connect(m_combo, &QComboBox::currentIndexChanged, this, &PrepDatasetBox::onCurrentChanged);
    onCurrentChanged();
}

PrepDatasetBox::~PrepDatasetBox() = default;

void PrepDatasetBox::setDatasets(std::vector<DatasetInfo> datasets, bool workspaceOpen)
{
    const QString current = currentDataset();
    m_datasets = std::move(datasets);
    m_workspaceOpen = workspaceOpen;
    {
        const QSignalBlocker blocker(m_combo);
        m_combo->clear();
        for (const DatasetInfo& info : m_datasets) {
            m_combo->addItem(info.name, info.name);
            m_combo->setItemData(m_combo->count() - 1,
                                 tr("%1 events, imported %2").arg(count(info.summary.events), info.createdAt),
                                 Qt::ToolTipRole);
        }
        int index = m_combo->findData(current);
        if (index < 0)
            index = m_combo->count() - 1; // the newest
        m_combo->setCurrentIndex(index);
    }
    onCurrentChanged();
}

QList<QWidget*> PrepDatasetBox::tabChain() const
{
    return {m_combo};
}

QString PrepDatasetBox::currentDataset() const
{
    return m_combo->currentData().toString();
}

const DatasetInfo* PrepDatasetBox::currentInfo() const
{
    const QString name = currentDataset();
    const auto it = std::find_if(m_datasets.begin(), m_datasets.end(),
                                 [&name](const DatasetInfo& info) { return info.name == name; });
    return it == m_datasets.end() ? nullptr : &*it;
}

bool PrepDatasetBox::selectDataset(const QString& name)
{
    const int index = m_combo->findData(name);
    if (index < 0)
        return false;
    m_combo->setCurrentIndex(index);
    return true;
}

void PrepDatasetBox::onCurrentChanged()
{
    const DatasetInfo* info = currentInfo();
    if (!info) {
        m_hint->setText(m_workspaceOpen
                            ? tr("The workspace has no dataset yet: import a log on the Data page.")
                            : tr("No workspace is open."));
    } else {
        const DatasetSummary& s = info->summary;
        QString hint =
            tr("%1 events, %2 users, %3 items\nfrom %4 to %5 UTC")
                .arg(count(s.events), count(s.users), count(s.items), utcText(s.firstTs), utcText(s.lastTs));
        if (s.sessions == 0)
            hint += QLatin1Char('\n') + tr("The log has no session ids: sessions are cut at pauses.");
        m_hint->setText(hint);
    }
    emit currentChanged();
}

} // namespace swb
