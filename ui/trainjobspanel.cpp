#include "trainjobspanel.h"

#include "trainqueue.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace swb {

TrainJobsPanel::TrainJobsPanel(TrainJobsModel* model, QWidget* parent) : QWidget(parent), m_model(model)
{
    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("trainJobs"));
    m_view->setModel(model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->setWordWrap(false);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(TrainJobsModel::StatusColumn, QHeaderView::Stretch);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &TrainJobsPanel::currentJobChanged);

    m_stage = new QLabel(this);
    m_stage->setObjectName(QStringLiteral("trainStage"));
    m_bar = new QProgressBar(this);
    m_bar->setObjectName(QStringLiteral("trainProgress"));
    m_bar->setMaximumWidth(260);
    m_cancel = new QPushButton(tr("&Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("trainCancel"));
    m_cancel->setToolTip(tr("Cancel the selected job, or the running one (Esc); nothing is stored"));
    connect(m_cancel, &QPushButton::clicked, this, &TrainJobsPanel::cancelRequested);
    auto* row = new QHBoxLayout;
    row->addWidget(new QLabel(tr("<b>Jobs</b>"), this));
    row->addStretch(1);
    row->addWidget(m_stage);
    row->addWidget(m_bar);
    row->addWidget(m_cancel);

    // Models trained earlier (or by the CLI) have their history stored with them.
    m_stored = new QComboBox(this);
    m_stored->setObjectName(QStringLiteral("storedModels"));
    m_stored->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    auto* storedLabel = new QLabel(tr("Show the history of a stored &model:"), this);
    storedLabel->setBuddy(m_stored);
    connect(m_stored, &QComboBox::activated, this,
            [this](int index) { emit storedModelChosen(m_stored->itemData(index).toString()); });
    auto* storedRow = new QHBoxLayout;
    storedRow->addWidget(storedLabel);
    storedRow->addWidget(m_stored);
    storedRow->addStretch(1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(row);
    layout->addWidget(m_view, 1);
    layout->addLayout(storedRow);
    setBusy(false);
}

TrainJobsPanel::~TrainJobsPanel() = default;

int TrainJobsPanel::currentJob() const
{
    const TrainJobEntry* e = m_model->entry(m_view->currentIndex().row());
    return e ? e->id : 0;
}

void TrainJobsPanel::selectJob(int id)
{
    const int row = m_model->rowOf(id);
    if (row >= 0 && m_view->currentIndex().row() != row)
        m_view->setCurrentIndex(m_model->index(row, 0));
}

void TrainJobsPanel::clearSelection()
{
    m_view->setCurrentIndex({});
}

void TrainJobsPanel::setBusy(bool busy)
{
    m_cancel->setEnabled(busy);
    m_bar->setVisible(busy);
    m_stage->setVisible(busy);
}

void TrainJobsPanel::setProgress(qint64 done, qint64 total, const QString& stage)
{
    m_bar->setRange(0, total > 0 ? int(total) : 0);
    m_bar->setValue(int(done));
    m_stage->setText(stage);
}

void TrainJobsPanel::setStoredModels(const std::vector<ModelInfo>& models)
{
    m_stored->clear();
    for (const ModelInfo& m : models)
        m_stored->addItem(tr("%1 (%2 %3)").arg(m.name, m.task, m.kind), m.name);
    m_stored->setCurrentIndex(-1);
    m_stored->setPlaceholderText(models.empty() ? tr("none yet") : tr("Choose…"));
    m_stored->setEnabled(!models.empty());
}

} // namespace swb
