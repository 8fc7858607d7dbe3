#include "trainpage.h"

#include "pageworkspace.h"

#include "messagebar.h"
#include "traininghistorychart.h"
#include "trainjobspanel.h"
#include "trainparamsform.h"
#include "trainqueue.h"

#include "core/models/training.h"

#include <QAction>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QVBoxLayout>

namespace swb {

TrainPage::TrainPage(QWidget* parent) : QWidget(parent), m_queue(new TrainQueue(this))
{
    m_message = new MessageBar(this);
    m_message->setObjectName(QStringLiteral("trainMessage"));
    m_chart = new TrainingHistoryChart(this);
    m_chart->setObjectName(QStringLiteral("trainingHistory"));

    auto* right = new QSplitter(Qt::Vertical, this);
    m_jobs = new TrainJobsPanel(m_queue->model(), this);
    right->addWidget(m_jobs);
    right->addWidget(m_chart);
    right->setStretchFactor(0, 0);
    right->setStretchFactor(1, 1);
    right->setSizes({220, 580});
    right->setChildrenCollapsible(false);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(createForm());
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({380, 920});
    splitter->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_message);
    layout->addWidget(splitter, 1);

    m_startAction = new QAction(tr("Start Training"), this);
    m_startAction->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)});
    m_startAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(m_startAction);
    m_cancelAction = new QAction(tr("Cancel Training"), this);
    m_cancelAction->setShortcut(QKeySequence(Qt::Key_Escape));
    m_cancelAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(m_cancelAction);
    connect(m_startAction, &QAction::triggered, this, &TrainPage::start);
    connect(m_cancelAction, &QAction::triggered, this, &TrainPage::cancel);

    connect(m_queue, &TrainQueue::jobStarted, this, &TrainPage::onJobStarted);
    connect(m_queue, &TrainQueue::epochFinished, this, &TrainPage::onEpoch);
    connect(m_queue, &TrainQueue::jobFinished, this, &TrainPage::onJobFinished);
    connect(m_queue, &TrainQueue::busyChanged, this, [this](bool busy) {
        updateEnabled();
        emit busyChanged(busy);
    });
    connect(m_queue, &TrainQueue::progress, m_jobs, &TrainJobsPanel::setProgress);
    connect(m_queue->model(), &QAbstractItemModel::dataChanged, this, &TrainPage::updateEnabled);
    connect(m_jobs, &TrainJobsPanel::currentJobChanged, this, &TrainPage::onJobSelected);
    connect(m_jobs, &TrainJobsPanel::cancelRequested, this, &TrainPage::cancel);
    connect(m_jobs, &TrainJobsPanel::storedModelChosen, this, &TrainPage::showStoredModel);
    connect(m_chart, &TrainingHistoryChart::exported, this,
            [this](const QString& path) { emit statusMessage(tr("Exported %1").arg(path)); });
    connect(m_chart, &TrainingHistoryChart::exportFailed, this,
            [this](const QString& text) { showMessage(text, true); });

    m_form->setNameCheck([this](const QString& name) { return nameProblem(name); });
    onTaskChanged();
    updateEnabled();
}

TrainPage::~TrainPage() = default;

QWidget* TrainPage::createForm()
{
    auto* panel = new QWidget(this);
    auto* layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 0, 0);

    auto* choose = new QGroupBox(tr("What to train"), panel);
    auto* chooseLayout = new QFormLayout(choose);
    m_runCombo = new QComboBox(choose);
    m_runCombo->setObjectName(QStringLiteral("trainRun"));
    m_runCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_runCombo->setMinimumContentsLength(16);
    m_taskCombo = new QComboBox(choose);
    m_taskCombo->setObjectName(QStringLiteral("trainTask"));
    m_taskCombo->addItem(tr("intent: the next event's behaviour"), taskKey(Task::Intent));
    m_taskCombo->addItem(tr("next-item: the next item viewed"), taskKey(Task::NextItem));
    m_taskCombo->addItem(tr("purchase: does a cart session buy"), taskKey(Task::Purchase));
    m_modelCombo = new QComboBox(choose);
    m_modelCombo->setObjectName(QStringLiteral("trainModel"));
    chooseLayout->addRow(tr("&Run:"), m_runCombo);
    chooseLayout->addRow(tr("&Task:"), m_taskCombo);
    chooseLayout->addRow(tr("&Model:"), m_modelCombo);
    layout->addWidget(choose);
    connect(m_runCombo, &QComboBox::currentIndexChanged, this, [this]() {
        updateDefaultName();
        updateEnabled();
    });
    connect(m_taskCombo, &QComboBox::currentIndexChanged, this, &TrainPage::onTaskChanged);
    connect(m_modelCombo, &QComboBox::currentIndexChanged, this, &TrainPage::onModelChanged);

    auto* paramsBox = new QGroupBox(tr("Hyperparameters"), panel);
    auto* paramsLayout = new QVBoxLayout(paramsBox);
    m_form = new TrainParamsForm(paramsBox);
    m_form->setObjectName(QStringLiteral("trainParams"));
    paramsLayout->addWidget(m_form);
    paramsLayout->addStretch(1);
    m_formArea = new QScrollArea(panel);
    m_formArea->setWidget(paramsBox);
    m_formArea->setWidgetResizable(true);
    m_formArea->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_formArea->setFrameShape(QFrame::NoFrame);
    layout->addWidget(m_formArea, 1);
    connect(m_form, &TrainParamsForm::validityChanged, this, &TrainPage::updateEnabled);

    m_startButton = new QPushButton(tr("&Start"), panel);
    m_startButton->setObjectName(QStringLiteral("trainStart"));
    m_startButton->setToolTip(
        tr("Queue a job training this model; it is stored when it finishes (Ctrl+Return)"));
    m_startButton->setDefault(true);
    connect(m_startButton, &QPushButton::clicked, this, &TrainPage::start);
    layout->addWidget(m_startButton);
    panel->setMinimumWidth(300);
    return panel;
}

// Workspace and choices --------------------------------------------------------------------------

void TrainPage::setWorkspace(std::shared_ptr<Workspace> workspace)
{
    // Jobs store into the workspace they were queued for; a new workspace ends them.
    cancelAll();
    m_workspace = std::move(workspace);
    m_message->clearText();
    refresh();
}

bool TrainPage::setWorkspacePath(const QString& path)
{
    return openPageWorkspace(
        path, [this](std::shared_ptr<Workspace> ws) { setWorkspace(std::move(ws)); },
        [this](const QString& message) { showMessage(message, true); });
}

void TrainPage::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    refresh(); // the Prepare page or the CLI may have added runs and models meanwhile
}

void TrainPage::refresh()
{
    const QString current = currentRun();
    QSignalBlocker block(m_runCombo);
    m_runCombo->clear();
    if (m_workspace) {
        auto runs = m_workspace->runs();
        if (!runs)
            showMessage(tr("Cannot list the runs: %1").arg(runs.error().toString()), true);
        else
            for (const RunInfo& run : *runs)
                m_runCombo->addItem(tr("%1 (from %2)").arg(run.name, run.dataset), run.name);
    }
    const int index = m_runCombo->findData(current);
    // The newest run (listed last) is the likely next one to train on.
    m_runCombo->setCurrentIndex(index >= 0 ? index : m_runCombo->count() - 1);
    m_runCombo->setPlaceholderText(m_workspace ? tr("No prepared runs: prepare one on the Prepare page")
                                               : tr("No workspace"));
    refreshStoredModels();
    updateDefaultName();
    m_form->validate();
    updateEnabled();
}

void TrainPage::refreshStoredModels()
{
    auto models =
        m_workspace ? m_workspace->models() : Result<std::vector<ModelInfo>>(std::vector<ModelInfo>{});
    m_jobs->setStoredModels(models ? models.value() : std::vector<ModelInfo>{});
}

bool TrainPage::showStoredModel(const QString& name)
{
    auto model = m_workspace ? m_workspace->model(name) : Result<ModelInfo>(Error{});
    if (!model)
        return false;
    m_jobs->clearSelection(); // the chart now shows the stored model, not a job
    m_shownId = 0;
    m_chart->setFileStem(name);
    if (!trainsInEpochs(model->kind))
        m_chart->showNoEpochs(name, model->kind);
    else
        m_chart->showHistory(name, historyFromReport(model->report), 0,
                             model->report.value(QStringLiteral("best_epoch")).toInt());
    return true;
}

QString TrainPage::currentRun() const
{
    return m_runCombo->currentData().toString();
}

bool TrainPage::selectRun(const QString& name)
{
    const int index = m_runCombo->findData(name);
    if (index >= 0)
        m_runCombo->setCurrentIndex(index);
    return index >= 0;
}

bool TrainPage::selectTask(const QString& key)
{
    const int index = m_taskCombo->findData(key);
    if (index >= 0)
        m_taskCombo->setCurrentIndex(index);
    return index >= 0;
}

bool TrainPage::selectModel(const QString& kind)
{
    const int index = m_modelCombo->findData(kind);
    if (index >= 0)
        m_modelCombo->setCurrentIndex(index);
    return index >= 0;
}

void TrainPage::onTaskChanged()
{
    const Task task = taskFromKey(m_taskCombo->currentData().toString()).value_or(Task::Intent);
    const QString kind = m_modelCombo->currentData().toString();
    {
        QSignalBlocker block(m_modelCombo);
        m_modelCombo->clear();
        for (const QString& k : modelKinds(task))
            m_modelCombo->addItem(k, k);
        const int keep = m_modelCombo->findData(kind);
        // The networks are what the page is mostly for: mlp (or neural) unless a kind is kept.
        const int preferred =
            m_modelCombo->findData(task == Task::NextItem ? QStringLiteral("neural") : QStringLiteral("mlp"));
        m_modelCombo->setCurrentIndex(keep >= 0 ? keep : preferred);
    }
    onModelChanged();
}

void TrainPage::onModelChanged()
{
    const Task task = taskFromKey(m_taskCombo->currentData().toString()).value_or(Task::Intent);
    m_form->setModel(task, m_modelCombo->currentData().toString());
    updateDefaultName();
    updateEnabled();
}

QString TrainPage::nameProblem(const QString& name) const
{
    if (m_workspace && m_workspace->model(name))
        return tr("a model named “%1” already exists; choose another name").arg(name);
    if (m_queue->pendingNames().contains(name))
        return tr("a queued job already uses the name “%1”").arg(name);
    return {};
}

QString TrainPage::nextDefaultName() const
{
    if (!m_workspace || currentRun().isEmpty())
        return {};
    const QString base =
        QStringLiteral("%1-%2-%3").arg(currentRun(), taskKey(m_form->task()), m_form->kind());
    QString name = m_workspace->uniqueModelName(base);
    // Queued jobs' names are not in the workspace yet.
    for (int n = 2; !nameProblem(name).isEmpty(); ++n)
        name = QStringLiteral("%1 (%2)").arg(base).arg(n);
    return name;
}

void TrainPage::updateDefaultName()
{
    m_form->setDefaultModelName(nextDefaultName());
}

void TrainPage::updateEnabled()
{
    const bool ready = canStart();
    m_startButton->setEnabled(ready);
    m_startAction->setEnabled(ready);
    const bool busy = isBusy();
    m_cancelAction->setEnabled(busy);
    m_jobs->setBusy(busy);
}

bool TrainPage::canStart() const
{
    return m_workspace && !currentRun().isEmpty() && m_form->isValid();
}

bool TrainPage::isBusy() const
{
    return m_queue->isBusy();
}

TrainJobsModel* TrainPage::jobsModel() const
{
    return m_queue->model();
}

QTableView* TrainPage::jobsView() const
{
    return m_jobs->view();
}

// Jobs -------------------------------------------------------------------------------------------

int TrainPage::start()
{
    m_form->validate();
    if (!m_workspace) {
        showMessage(tr("No workspace is open."), true);
        return 0;
    }
    if (currentRun().isEmpty()) {
        showMessage(tr("Choose a prepared run (prepare one on the Prepare page)."), true);
        return 0;
    }
    if (!m_form->isValid()) {
        showMessage(tr("Fix the values marked in the form first."), true);
        return 0;
    }
    TrainJob job;
    job.workspacePath = m_workspace->path();
    job.run = currentRun();
    job.request.task = m_form->task();
    job.request.kind = m_form->kind();
    job.request.params = m_form->params();
    job.request.seed = m_form->seed();
    const auto resolved = resolveParams(job.request.task, job.request.kind, job.request.params);
    if (!resolved) { // the form checked them; kept for safety, with the core's message
        showMessage(resolved.error().toString(), true);
        return 0;
    }
    job.epochs = plannedEpochs(job.request.kind, resolved.value());
    job.name = m_form->modelName().isEmpty() ? nextDefaultName() : m_form->modelName();
    m_message->clearText();
    const int id = m_queue->enqueue(job);
    m_form->setModelName({});
    updateDefaultName();
    m_form->validate();
    if (m_queue->runningId() != id)
        emit statusMessage(tr("Queued “%1”").arg(job.name));
    return id;
}

void TrainPage::cancel()
{
    const TrainJobEntry* selected = jobsModel()->entryById(m_jobs->currentJob());
    if (selected && !selected->isFinished())
        m_queue->cancel(selected->id);
    else if (m_queue->runningId())
        m_queue->cancel(m_queue->runningId());
}

void TrainPage::cancelAll()
{
    m_queue->cancelAll();
}

void TrainPage::showJob(int id)
{
    if (jobsModel()->rowOf(id) < 0)
        return;
    if (m_jobs->currentJob() != id)
        m_jobs->selectJob(id); // calls onJobSelected
    else
        onJobSelected();
}

void TrainPage::onJobSelected()
{
    const TrainJobEntry* e = jobsModel()->entryById(m_jobs->currentJob());
    m_shownId = e ? e->id : 0;
    if (!e) {
        m_chart->clear(tr("Select a job to see its training history."));
        return;
    }
    m_chart->setFileStem(e->job.name);
    if (!trainsInEpochs(e->job.request.kind))
        m_chart->showNoEpochs(e->job.name, e->job.request.kind);
    else if (e->state == TrainJobEntry::State::Queued)
        m_chart->clear(tr("“%1” is queued; its history appears here once it runs.").arg(e->job.name));
    else if (e->history.empty() && e->isFinished())
        m_chart->clear(tr("“%1” ended before its first epoch.").arg(e->job.name));
    else if (e->history.empty())
        m_chart->clear(tr("“%1” is running; each epoch appears here as it ends.").arg(e->job.name));
    else
        // A finished job's axis ends at its last epoch (early stopping may end it before the most).
        m_chart->showHistory(e->job.name, e->history, e->isFinished() ? 0 : e->job.epochs,
                             e->report.value(QStringLiteral("best_epoch")).toInt());
    updateEnabled();
}

void TrainPage::onJobStarted(int id)
{
    showJob(id);
    if (const TrainJobEntry* e = jobsModel()->entryById(id))
        emit statusMessage(tr("Training “%1”…").arg(e->job.name));
}

void TrainPage::onEpoch(int id, const nn::EpochStats& stats)
{
    if (id != m_shownId)
        return;
    if (m_chart->epochCount() == 0) // the first epoch replaces the "waiting" note
        onJobSelected();
    else
        m_chart->appendEpoch(stats);
}

void TrainPage::onJobFinished(int id)
{
    const TrainJobEntry* e = jobsModel()->entryById(id);
    if (!e)
        return;
    if (id == m_shownId)
        onJobSelected();
    switch (e->state) {
    case TrainJobEntry::State::Done:
        refreshStoredModels();
        emit statusMessage(tr("Stored the model “%1”: %2").arg(e->job.name, e->message));
        emit modelTrained(e->job.name);
        break;
    case TrainJobEntry::State::Failed:
        showMessage(tr("Training “%1” failed: %2 Nothing was stored.")
                        .arg(e->job.name, e->message.endsWith(QLatin1Char('.'))
                                              ? e->message
                                              : e->message + QLatin1Char('.')),
                    true);
        break;
    default:
        showMessage(tr("“%1” was cancelled; nothing was stored.").arg(e->job.name), false);
        break;
    }
    updateDefaultName();
    m_form->validate();
    updateEnabled();
}

void TrainPage::showMessage(const QString& text, bool error)
{
    m_message->showText(text, error);
    emit statusMessage(text);
}

QString TrainPage::message() const
{
    return m_message->shownText();
}

} // namespace swb
