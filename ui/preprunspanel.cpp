#include "preprunspanel.h"

#include "prepcommon.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalBlocker>
#include <QStandardItemModel>
#include <QTreeView>
#include <QVBoxLayout>

namespace swb {

namespace {

using prepui::hintLabel;
using prepui::jsonCount;
using prepui::numberItem;
using prepui::textItem;

enum RunColumn
{
    RunName,
    RunDataset,
    RunCreated,
    RunSessions,
    RunColumnCount
};

} // namespace

PrepRunsPanel::PrepRunsPanel(QWidget* parent) : QGroupBox(tr("Stored runs"), parent)
{
    auto* layout = new QVBoxLayout(this);
    m_model = new QStandardItemModel(0, RunColumnCount, this);
    m_model->setHorizontalHeaderLabels({tr("Name"), tr("Dataset"), tr("Created"), tr("Sessions")});
    m_model->setSortRole(Qt::UserRole);
    m_view = new QTreeView(this);
    m_view->setObjectName(QStringLiteral("runsView"));
    m_view->setModel(m_model);
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(RunCreated, Qt::AscendingOrder);
    m_view->header()->setStretchLastSection(false);
    m_view->header()->setSectionResizeMode(RunName, QHeaderView::Stretch);
    m_view->setColumnWidth(RunDataset, 200);
    m_view->setColumnWidth(RunCreated, 140);
    m_view->setColumnWidth(RunSessions, 90);
    layout->addWidget(m_view, 1);

    auto* buttons = new QHBoxLayout;
    auto* hint = hintLabel(this);
    hint->setText(tr("Select a run to see its report."));
    buttons->addWidget(hint, 1);
    m_removeButton = new QPushButton(tr("Remo&ve…"), this);
    m_removeButton->setObjectName(QStringLiteral("removeRunButton"));
    m_removeButton->setToolTip(tr("Remove the selected run from the workspace (Delete)"));
    buttons->addWidget(m_removeButton);
    layout->addLayout(buttons);

    auto* removeAction = new QAction(tr("Remove Run"), m_view);
    removeAction->setShortcut(QKeySequence::Delete);
    removeAction->setShortcutContext(Qt::WidgetShortcut);
    m_view->addAction(removeAction);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    connect(removeAction, &QAction::triggered, this, &PrepRunsPanel::confirmRemove);
    connect(m_removeButton, &QPushButton::clicked, this, &PrepRunsPanel::confirmRemove);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this]() {
        updateRemove();
        emit selectionChanged();
    });
}

PrepRunsPanel::~PrepRunsPanel() = default;

QList<QWidget*> PrepRunsPanel::tabChain() const
{
    return {m_view, m_removeButton};
}

void PrepRunsPanel::setRuns(const std::vector<RunInfo>& runs)
{
    const QSignalBlocker blocker(m_view->selectionModel());
    m_model->removeRows(0, m_model->rowCount());
    for (const RunInfo& run : runs) {
        QDateTime created = QDateTime::fromString(run.createdAt, Qt::ISODate);
        const QString createdText = created.isValid()
                                        ? created.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"))
                                        : run.createdAt;
        QStandardItem* createdItem = textItem(createdText, qlonglong(run.id)); // ids grow with time
        createdItem->setToolTip(run.createdAt);
        m_model->appendRow({textItem(run.name), textItem(run.dataset), createdItem,
                            numberItem(jsonCount(run.report, QStringLiteral("sessions")))});
    }
}

void PrepRunsPanel::selectRun(const QString& name, bool quiet)
{
    const QSignalBlocker blocker(quiet ? m_view->selectionModel() : nullptr);
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (m_model->item(row, RunName)->text() == name) {
            m_view->selectionModel()->setCurrentIndex(m_model->index(row, RunName),
                                                      QItemSelectionModel::ClearAndSelect |
                                                          QItemSelectionModel::Rows);
            if (!quiet)
                m_view->scrollTo(m_model->index(row, RunName));
        }
    }
}

QString PrepRunsPanel::selectedRun() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows(RunName);
    return rows.isEmpty() ? QString() : rows.constFirst().data().toString();
}

void PrepRunsPanel::setBusy(bool busy)
{
    m_busy = busy;
    updateRemove();
}

void PrepRunsPanel::updateRemove()
{
    m_removeButton->setEnabled(!m_busy && m_view->selectionModel()->hasSelection());
}

void PrepRunsPanel::confirmRemove()
{
    const QString name = selectedRun();
    if (name.isEmpty() || m_busy)
        return;
    QMessageBox box(
        QMessageBox::Question, tr("Remove Run"),
        tr("Remove the run “%1” and its report from the workspace? The dataset stays. This cannot "
           "be undone.")
            .arg(name),
        QMessageBox::Cancel, this);
    QPushButton* remove = box.addButton(tr("Remove"), QMessageBox::DestructiveRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    if (box.clickedButton() == remove)
        emit removeConfirmed(name);
}

} // namespace swb
