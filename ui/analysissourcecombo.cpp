#include "analysissourcecombo.h"

#include <QFont>
#include <QLocale>
#include <QSignalBlocker>
#include <QStandardItemModel>

#include <algorithm>

namespace swb {

namespace {

enum SourceRole
{
    KindRole = Qt::UserRole + 1,
    NameRole,
    KeyRole,
};

QString countText(qint64 n)
{
    return QLocale().toString(n);
}

QStandardItem* headerItem(const QString& text)
{
    auto* item = new QStandardItem(text);
    item->setFlags(Qt::NoItemFlags); // a group title: not selectable
    QFont font = item->font();
    font.setBold(true);
    item->setFont(font);
    return item;
}

} // namespace

AnalysisSourceCombo::AnalysisSourceCombo(QWidget* parent) : QComboBox(parent)
{
    setObjectName(QStringLiteral("sourceCombo"));
    m_model = new QStandardItemModel(this);
    setModel(m_model);
    // As wide as the longest name (a run also names its dataset), within reason.
    setSizeAdjustPolicy(QComboBox::AdjustToContents);
    setMinimumWidth(fontMetrics().averageCharWidth() * 30);
    setMaximumWidth(fontMetrics().averageCharWidth() * 90);
    setPlaceholderText(tr("No dataset or prepared run"));
    setToolTip(tr("A dataset as imported, or a prepared run (its kept events and sessions)"));
}

AnalysisSourceCombo::~AnalysisSourceCombo() = default;

void AnalysisSourceCombo::setSources(std::vector<DatasetInfo> datasets, std::vector<RunInfo> runs,
                                     const AnalysisSource& preferred, const AnalysisSource& fallback)
{
    const QSignalBlocker blocker(this);
    m_datasets = std::move(datasets);
    m_runs = std::move(runs);
    m_model->clear();
    if (!m_datasets.empty())
        m_model->appendRow(headerItem(tr("Datasets")));
    for (const DatasetInfo& info : m_datasets) {
        auto* item = new QStandardItem(info.name);
        item->setData(int(AnalysisSourceKind::Dataset), KindRole);
        item->setData(info.name, NameRole);
        item->setData(QStringLiteral("d%1").arg(info.id), KeyRole);
        item->setToolTip(
            tr("Dataset: %1 events, imported %2").arg(countText(info.summary.events), info.createdAt));
        m_model->appendRow(item);
    }
    if (!m_runs.empty())
        m_model->appendRow(headerItem(tr("Prepared runs")));
    for (const RunInfo& run : m_runs) {
        auto* item = new QStandardItem(tr("%1  (from %2)").arg(run.name, run.dataset));
        item->setData(int(AnalysisSourceKind::Run), KindRole);
        item->setData(run.name, NameRole);
        item->setData(QStringLiteral("r%1").arg(run.id), KeyRole);
        item->setToolTip(tr("Prepared run of %1: %2 events in %3 sessions")
                             .arg(run.dataset,
                                  countText(run.report.value(QStringLiteral("events")).toInteger()),
                                  countText(run.report.value(QStringLiteral("sessions")).toInteger())));
        m_model->appendRow(item);
    }
    int index = rowOf(preferred);
    if (index < 0)
        index = rowOf(fallback);
    if (index < 0 && !m_datasets.empty())
        index = int(m_datasets.size()); // the header is row 0
    if (index < 0 && !m_runs.empty())
        index = 1;
    setCurrentIndex(index);
}

void AnalysisSourceCombo::clearSources()
{
    const QSignalBlocker blocker(this);
    m_datasets.clear();
    m_runs.clear();
    m_model->clear();
}

int AnalysisSourceCombo::rowOf(const AnalysisSource& source) const
{
    for (int row = 0; source.isValid() && row < m_model->rowCount(); ++row) {
        const QStandardItem* item = m_model->item(row);
        if (item->isEnabled() && item->data(NameRole).toString() == source.name &&
            AnalysisSourceKind(item->data(KindRole).toInt()) == source.kind)
            return row;
    }
    return -1;
}

AnalysisSource AnalysisSourceCombo::currentSource() const
{
    const int row = currentIndex();
    const QStandardItem* item = row >= 0 ? m_model->item(row) : nullptr;
    if (!item || !item->isEnabled())
        return {};
    return AnalysisSource{AnalysisSourceKind(item->data(KindRole).toInt()), item->data(NameRole).toString()};
}

QString AnalysisSourceCombo::currentKey() const
{
    return currentData(KeyRole).toString();
}

bool AnalysisSourceCombo::selectSource(const AnalysisSource& source)
{
    const int row = rowOf(source);
    if (row < 0)
        return false;
    setCurrentIndex(row);
    return true;
}

QString AnalysisSourceCombo::key(const AnalysisSource& source) const
{
    if (source.kind == AnalysisSourceKind::Dataset) {
        const auto it = std::find_if(m_datasets.begin(), m_datasets.end(),
                                     [&source](const DatasetInfo& d) { return d.name == source.name; });
        return it == m_datasets.end() ? QString() : QStringLiteral("d%1").arg(it->id);
    }
    const auto it = std::find_if(m_runs.begin(), m_runs.end(),
                                 [&source](const RunInfo& r) { return r.name == source.name; });
    return it == m_runs.end() ? QString() : QStringLiteral("r%1").arg(it->id);
}

} // namespace swb
