#include "datapage.h"

#include "jobprogressrow.h"

#include "messagebar.h"

#include "eventtablemodel.h"
#include "importjob.h"
#include "jobrunner.h"
#include "problemspanel.h"
#include "settings.h"
#include "summarypanel.h"

#include <QAction>
#include <QComboBox>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace swb {

namespace {

QString count(qint64 n)
{
    return QLocale().toString(n);
}

} // namespace

DataPage::DataPage(QWidget* parent)
    : QWidget(parent), m_import(new ImportJob(this)), m_loader(new JobRunner(this)),
      m_model(new EventTableModel(this))
{
    m_message = new MessageBar(this);
    m_message->setObjectName(QStringLiteral("dataMessage"));

    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(createDatasetPanel(), 1);
    m_summary = new SummaryPanel(left);
    leftLayout->addWidget(m_summary);

    m_tabs = new QTabWidget(this);
    m_tabs->addTab(createEventsPanel(), tr("Events"));
    m_problems = new ProblemsPanel(m_tabs);
    m_tabs->addTab(m_problems, tr("Import problems"));

    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->addWidget(left);
    m_splitter->addWidget(m_tabs);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setSizes({270, 1000});

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_message);
    layout->addWidget(m_splitter, 1);
    layout->addWidget(createProgressRow());

    connect(m_import, &ImportJob::runningChanged, this, &DataPage::updateBusy);
    connect(m_import, &ImportJob::progress, this, &DataPage::onProgress);
    connect(m_import, &ImportJob::finished, this, &DataPage::onImportFinished);
    connect(m_import, &ImportJob::failed, this, [this](const Error& error) {
        const QString text = tr("Import of \"%1\" failed: %2").arg(m_import->datasetName(), error.toString());
        showMessage(text, true);
        emit importFailed(text);
        startNextPending();
    });
    connect(m_import, &ImportJob::cancelled, this, [this]() {
        m_pending.clear();
        showMessage(tr("Import of \"%1\" cancelled; nothing was stored.").arg(m_import->datasetName()),
                    false);
        emit importCancelled();
    });
    connect(m_loader, &JobRunner::runningChanged, this, &DataPage::updateBusy);
    connect(m_loader, &JobRunner::progress, this, &DataPage::onProgress);
    connect(m_model, &EventTableModel::busyChanged, this, &DataPage::updateBusy);
    connect(m_model, &EventTableModel::progress, this, &DataPage::onProgress);
    connect(m_model, &EventTableModel::queryApplied, this, &DataPage::updateRowsLabel);
    connect(m_model, &QAbstractItemModel::modelReset, this, &DataPage::updateRowsLabel);
    clearShown();
}

DataPage::~DataPage() = default;

QWidget* DataPage::createDatasetPanel()
{
    auto* box = new QGroupBox(tr("Datasets"), this);
    auto* layout = new QVBoxLayout(box);
    m_datasetList = new QListWidget(box);
    m_datasetList->setObjectName(QStringLiteral("datasetList"));
    m_datasetList->setSelectionMode(QAbstractItemView::SingleSelection);
    layout->addWidget(m_datasetList, 1);
    auto* buttons = new QHBoxLayout;
    auto* importButton = new QPushButton(tr("Import Log…"), box);
    importButton->setObjectName(QStringLiteral("importButton"));
    buttons->addWidget(importButton, 1);
    auto* removeButton = new QPushButton(tr("Remove…"), box);
    removeButton->setObjectName(QStringLiteral("removeButton"));
    removeButton->setToolTip(tr("Remove the selected dataset from the workspace (Delete)"));
    buttons->addWidget(removeButton);
    layout->addLayout(buttons);
    auto* removeAction = new QAction(tr("Remove Dataset"), m_datasetList);
    removeAction->setShortcut(QKeySequence::Delete);
    removeAction->setShortcutContext(Qt::WidgetShortcut);
    m_datasetList->addAction(removeAction);
    m_datasetList->setContextMenuPolicy(Qt::ActionsContextMenu);
    connect(importButton, &QPushButton::clicked, this, &DataPage::importRequested);
    connect(removeButton, &QPushButton::clicked, this, &DataPage::confirmRemoveSelected);
    connect(removeAction, &QAction::triggered, this, &DataPage::confirmRemoveSelected);
    connect(m_datasetList, &QListWidget::itemSelectionChanged, this, &DataPage::onDatasetSelected);
    return box;
}

QWidget* DataPage::createEventsPanel()
{
    auto* panel = new QWidget(this);
    auto* layout = new QVBoxLayout(panel);

    auto* filterBar = new QHBoxLayout;
    m_userFilter = new QLineEdit(panel);
    m_userFilter->setObjectName(QStringLiteral("userFilter"));
    m_userFilter->setPlaceholderText(tr("User id"));
    m_userFilter->setClearButtonEnabled(true);
    m_itemFilter = new QLineEdit(panel);
    m_itemFilter->setObjectName(QStringLiteral("itemFilter"));
    m_itemFilter->setPlaceholderText(tr("Item id"));
    m_itemFilter->setClearButtonEnabled(true);
    m_behaviourFilter = new QComboBox(panel);
    m_behaviourFilter->setObjectName(QStringLiteral("behaviourFilter"));
    m_behaviourFilter->addItem(tr("All behaviours"), -1);
    for (Behaviour b : kAllBehaviours)
        m_behaviourFilter->addItem(behaviourLabel(b), int(b));
    m_rowsLabel = new QLabel(panel);
    m_rowsLabel->setObjectName(QStringLiteral("rowsLabel"));
    filterBar->addWidget(new QLabel(tr("Filter:"), panel));
    filterBar->addWidget(m_userFilter, 1);
    filterBar->addWidget(m_itemFilter, 1);
    filterBar->addWidget(m_behaviourFilter);
    filterBar->addWidget(m_rowsLabel, 2);
    layout->addLayout(filterBar);

    // Typing waits for a pause before filtering; Return and the combo apply at once.
    m_filterTimer = new QTimer(this);
    m_filterTimer->setSingleShot(true);
    m_filterTimer->setInterval(400);
    connect(m_filterTimer, &QTimer::timeout, this, &DataPage::applyFilter);
    for (QLineEdit* edit : {m_userFilter, m_itemFilter}) {
        connect(edit, &QLineEdit::textChanged, m_filterTimer, qOverload<>(&QTimer::start));
        connect(edit, &QLineEdit::returnPressed, this, &DataPage::applyFilter);
    }
    connect(m_behaviourFilter, &QComboBox::currentIndexChanged, this, &DataPage::applyFilter);

    m_eventsView = new QTableView(panel);
    m_eventsView->setObjectName(QStringLiteral("eventsView"));
    m_eventsView->setModel(m_model);
    m_eventsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_eventsView->setAlternatingRowColors(true);
    m_eventsView->setWordWrap(false);
    m_eventsView->setTextElideMode(Qt::ElideMiddle);
    // Fixed row heights: the view never measures rows, so ten million of them scroll smoothly.
    QHeaderView* vertical = m_eventsView->verticalHeader();
    vertical->setSectionResizeMode(QHeaderView::Fixed);
    vertical->setDefaultSectionSize(fontMetrics().height() + 6);
    vertical->hide();
    QHeaderView* horizontal = m_eventsView->horizontalHeader();
    horizontal->setSectionResizeMode(QHeaderView::Interactive);
    horizontal->setStretchLastSection(true);
    horizontal->setSortIndicator(0, Qt::AscendingOrder);
    m_eventsView->setSortingEnabled(true);
    layout->addWidget(m_eventsView, 1);
    return panel;
}

QWidget* DataPage::createProgressRow()
{
    m_progressRow = new JobProgressRow(QStringLiteral(""), QString(), this);
    connect(m_progressRow, &JobProgressRow::cancelRequested, this, &DataPage::cancelJobs);
    return m_progressRow;
}

void DataPage::setWorkspace(std::shared_ptr<Workspace> workspace)
{
    m_import->cancel();
    m_loader->abandon();
    m_pending.clear();
    m_workspace = std::move(workspace);
    m_shownName.clear();
    clearShown();
    refreshDatasets();
    if (!m_datasets.empty())
        showDataset(m_datasets.back().name);
}

void DataPage::refreshDatasets()
{
    m_datasets.clear();
    if (m_workspace) {
        auto datasets = m_workspace->datasets();
        if (datasets)
            m_datasets = std::move(datasets.value());
        else
            showMessage(tr("Cannot list the datasets: %1").arg(datasets.error().toString()), true);
    }
    const QSignalBlocker blocker(m_datasetList);
    m_datasetList->clear();
    for (const DatasetInfo& info : m_datasets) {
        auto* item = new QListWidgetItem(
            tr("%1\n%2 events · %3").arg(info.name, count(info.summary.events), info.format), m_datasetList);
        item->setData(Qt::UserRole, info.name);
        item->setToolTip(tr("%1\nFormat: %2\n%3 events, imported %4")
                             .arg(info.source, info.format, count(info.summary.events), info.createdAt));
    }
    selectInList(m_shownName);
}

void DataPage::selectInList(const QString& name)
{
    const QSignalBlocker blocker(m_datasetList);
    m_datasetList->clearSelection();
    for (int i = 0; i < m_datasetList->count(); ++i) {
        QListWidgetItem* item = m_datasetList->item(i);
        if (item->data(Qt::UserRole).toString() == name) {
            m_datasetList->setCurrentItem(item);
            item->setSelected(true);
        }
    }
}

const DatasetInfo* DataPage::datasetInfo(const QString& name) const
{
    for (const DatasetInfo& info : m_datasets) {
        if (info.name == name)
            return &info;
    }
    return nullptr;
}

bool DataPage::showDataset(const QString& name)
{
    if (!datasetInfo(name))
        return false;
    selectInList(name);
    if (name != m_shownName) {
        loadDataset(name);
    } else {
        m_loader->abandon(); // a load of another dataset started meanwhile
        emit datasetShown(name);
    }
    return true;
}

void DataPage::onDatasetSelected()
{
    const QList<QListWidgetItem*> selected = m_datasetList->selectedItems();
    if (selected.isEmpty())
        return;
    const QString name = selected.constFirst()->data(Qt::UserRole).toString();
    if (name != m_shownName || m_loader->isRunning())
        loadDataset(name);
}

void DataPage::confirmRemoveSelected()
{
    const QList<QListWidgetItem*> selected = m_datasetList->selectedItems();
    if (selected.isEmpty() || isBusy())
        return;
    const QString name = selected.front()->data(Qt::UserRole).toString();
    QMessageBox box(QMessageBox::Question, tr("Remove Dataset"),
                    tr("Remove the dataset \"%1\" and its import report from the workspace? This cannot be "
                       "undone.")
                        .arg(name),
                    QMessageBox::Cancel, this);
    QPushButton* remove = box.addButton(tr("Remove"), QMessageBox::DestructiveRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    if (box.clickedButton() == remove)
        removeDataset(name);
}

void DataPage::removeDataset(const QString& name)
{
    if (!m_workspace)
        return;
    const QString path = m_workspace->path();
    // One transaction: the dataset is either all there or all gone, so this job is not cancelled
    // half-way; it runs off the GUI thread because a big dataset takes seconds to delete.
    m_loader->start<bool>(
        [path, name](ProgressSink&, const CancelToken&) -> Result<bool> {
            auto workspace = Workspace::open(path);
            if (!workspace)
                return workspace.error();
            if (Status s = workspace.value()->removeDataset(name); !s)
                return s.error();
            return true;
        },
        [this, name](Result<bool> result) {
            if (!result) {
                showMessage(tr("Cannot remove \"%1\": %2").arg(name, result.error().toString()), true);
                return;
            }
            if (m_shownName == name) {
                m_shownName.clear();
                clearShown();
            }
            refreshDatasets();
            emit statusMessage(tr("Removed \"%1\"").arg(name));
        });
}

void DataPage::loadDataset(const QString& name)
{
    if (!m_workspace)
        return;
    m_loadingName = name;
    const QString path = m_workspace->path();
    const QString stage = tr("Loading %1").arg(name);
    m_loader->start<std::shared_ptr<EventTable>>(
        [path, name, stage](ProgressSink& progress,
                            const CancelToken& cancel) -> Result<std::shared_ptr<EventTable>> {
            auto workspace = Workspace::open(path);
            if (!workspace)
                return workspace.error();
            StageProgress staged(progress, stage);
            return workspace.value()->loadDataset(name, staged, cancel);
        },
        [this, name](Result<std::shared_ptr<EventTable>> result) {
            if (!result) {
                if (!result.error().isCancelled())
                    showMessage(tr("Cannot load \"%1\": %2").arg(name, result.error().toString()), true);
                selectInList(m_shownName);
                return;
            }
            if (const DatasetInfo* info = datasetInfo(name))
                showLoaded(*info, std::move(result.value()));
        });
}

void DataPage::showLoaded(const DatasetInfo& info, std::shared_ptr<const EventTable> table)
{
    m_shownName = info.name;
    m_message->hide();
    {
        // A new dataset starts unfiltered and in file order.
        const QSignalBlocker b1(m_userFilter), b2(m_itemFilter), b3(m_behaviourFilter);
        m_userFilter->clear();
        m_itemFilter->clear();
        m_behaviourFilter->setCurrentIndex(0);
        m_filterTimer->stop();
    }
    m_model->setTable(std::move(table));
    m_eventsView->horizontalHeader()->setSortIndicator(0, Qt::AscendingOrder);
    resetColumnWidths();
    m_summary->showDataset(info);
    showProblems(info.report);
    selectInList(info.name);
    emit datasetShown(info.name);
    emit statusMessage(tr("Showing dataset \"%1\"").arg(info.name));
}

void DataPage::resetColumnWidths()
{
    for (int c = 0; c < m_model->columnCount(); ++c) {
        int width = 110;
        switch (m_model->columnKind(c)) {
        case EventColumn::Row:
            width = 70;
            break;
        case EventColumn::Category:
        case EventColumn::Time:
            width = 160;
            break;
        case EventColumn::Session:
            width = 290;
            break;
        case EventColumn::Behaviour:
        case EventColumn::Price:
            width = 90;
            break;
        default:
            break;
        }
        m_eventsView->setColumnWidth(c, width);
    }
}

void DataPage::clearShown()
{
    m_model->setTable(nullptr);
    m_summary->clear();
    m_problems->clear();
    m_tabs->setTabText(1, tr("Import problems"));
    updateRowsLabel();
}

void DataPage::showProblems(const QJsonObject& report)
{
    m_problems->showReport(report);
    const qint64 rejected = m_problems->rejectedRows();
    m_tabs->setTabText(1, rejected ? tr("Import problems (%1)").arg(count(rejected)) : tr("Import problems"));
}

QString DataPage::summaryText(const QString& key) const
{
    return m_summary->valueText(key);
}

QStandardItemModel* DataPage::problemsModel() const
{
    return m_problems->model();
}

void DataPage::startImport(const ImportOptions& options, const QString& datasetName)
{
    if (!m_workspace) {
        showMessage(tr("No workspace is open."), true);
        return;
    }
    for (const QString& file : options.files)
        Settings::addRecentFile(QFileInfo(file).absoluteFilePath());
    if (m_import->isRunning()) {
        m_pending.push_back({options, datasetName, false});
        emit statusMessage(
            tr("\"%1\" will be imported after \"%2\".").arg(datasetName, m_import->datasetName()));
        return;
    }
    m_message->hide();
    m_import->start(options, m_workspace->path(), datasetName);
    emit statusMessage(tr("Importing \"%1\"…").arg(datasetName));
}

void DataPage::importOrShow(const QString& path)
{
    ImportOptions options;
    options.files = {path};
    const QString name = datasetNameForFile(path);
    if (m_import->isRunning()) {
        m_pending.push_back({options, name, true});
        return;
    }
    if (!showDataset(name))
        startImport(options, name);
}

void DataPage::startNextPending()
{
    while (!m_pending.empty() && !m_import->isRunning()) {
        const PendingImport next = m_pending.front();
        m_pending.erase(m_pending.begin());
        if (next.showIfStored && showDataset(next.name))
            continue;
        startImport(next.options, next.name);
    }
}

void DataPage::onImportFinished(const ImportOutcome& outcome)
{
    m_loader->abandon(); // the import's table wins over a load started meanwhile
    refreshDatasets();
    showLoaded(outcome.info, outcome.table);
    const qint64 rejected = qint64(outcome.info.report.value(QStringLiteral("rows_rejected")).toDouble());
    if (rejected > 0) {
        showMessage(tr("Imported \"%1\": %2 events; %3 rows were rejected (see Import problems).")
                        .arg(outcome.info.name, count(outcome.info.summary.events), count(rejected)),
                    false);
    }
    emit statusMessage(
        tr("Imported \"%1\": %2 events").arg(outcome.info.name, count(outcome.info.summary.events)));
    emit importFinished(outcome.info.name);
    startNextPending();
}

void DataPage::setFilter(const QString& user, const QString& item, std::optional<Behaviour> behaviour)
{
    const QSignalBlocker b1(m_userFilter), b2(m_itemFilter), b3(m_behaviourFilter);
    m_userFilter->setText(user);
    m_itemFilter->setText(item);
    m_behaviourFilter->setCurrentIndex(behaviour ? m_behaviourFilter->findData(int(*behaviour)) : 0);
    applyFilter();
}

void DataPage::applyFilter()
{
    m_filterTimer->stop();
    const int b = m_behaviourFilter->currentData().toInt();
    const std::optional<Behaviour> behaviour = b >= 0 ? std::optional<Behaviour>(Behaviour(b)) : std::nullopt;
    const EventQuery current = m_model->query();
    if (current.user == m_userFilter->text().trimmed() && current.item == m_itemFilter->text().trimmed() &&
        current.behaviour == behaviour)
        return;
    m_model->setFilter(m_userFilter->text(), m_itemFilter->text(), behaviour);
}

void DataPage::updateRowsLabel()
{
    if (!m_model->table()) {
        m_rowsLabel->clear();
        return;
    }
    QString text = tr("%1 of %2 events").arg(count(m_model->rowCount()), count(m_model->totalRows()));
    if (!m_model->notice().isEmpty())
        text = m_model->notice() + QLatin1Char(' ') + text;
    m_rowsLabel->setText(text);
}

bool DataPage::isBusy() const
{
    return m_import->isRunning() || m_loader->isRunning() || m_model->isBusy();
}

bool DataPage::isImporting() const
{
    return m_import->isRunning();
}

void DataPage::cancelJobs()
{
    m_pending.clear();
    m_import->cancel();
    m_loader->cancel();
    m_model->cancel();
    if (isBusy()) {
        m_progressRow->setCancelling();
    }
}

void DataPage::updateBusy()
{
    const bool busy = isBusy();
    if (busy && !m_busy)
        m_progressRow->reset();
    m_progressRow->setVisible(busy);
    if (busy != m_busy) {
        m_busy = busy;
        emit busyChanged(busy);
    }
}

void DataPage::onProgress(qint64 done, qint64 total, const QString& stage)
{
    m_progressRow->setProgress(done, total, stage);
}

void DataPage::showMessage(const QString& text, bool error)
{
    m_message->showText(text, error);
    emit statusMessage(text);
}

void DataPage::saveState() const
{
    Settings::setDataPageSplitter(m_splitter->saveState());
}

void DataPage::restoreState()
{
    const QByteArray state = Settings::dataPageSplitter();
    if (!state.isEmpty())
        m_splitter->restoreState(state);
}

} // namespace swb
