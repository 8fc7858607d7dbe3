#include "evaluatepage.h"

#include "pageworkspace.h"

#include "jobprogressrow.h"

#include "evaluateresults.h"
#include "jobrunner.h"
#include "messagebar.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardItemModel>
#include <QTextDocumentFragment>
#include <QVBoxLayout>

#include <algorithm>

namespace swb {

EvaluatePage::EvaluatePage(QWidget* parent)
    : QWidget(parent), m_runner(new JobRunner(this)), m_models(new QStandardItemModel(this))
{
    m_message = new MessageBar(this);
    m_message->setObjectName(QStringLiteral("evaluateMessage"));
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("evaluateSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_placeholder = new QLabel(this);
    m_placeholder->setObjectName(QStringLiteral("evaluatePlaceholder"));
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setTextFormat(Qt::PlainText);
    m_placeholder->setForegroundRole(QPalette::PlaceholderText);
    m_results = new EvaluateResults(this);
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_placeholder);
    m_stack->addWidget(m_results);
    connect(m_results, &EvaluateResults::exported, this, [this](const QString& path) {
        m_message->clearText();
        emit statusMessage(tr("Exported %1").arg(QDir::toNativeSeparators(path)));
    });
    connect(m_results, &EvaluateResults::exportFailed, this,
            [this](const QString& text) { showMessage(text, true); });

    auto* right = new QWidget(this);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_summary);
    rightLayout->addWidget(m_stack, 1);
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(createChoicePanel());
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({300, 1000});

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_message);
    layout->addWidget(splitter, 1);
    layout->addWidget(createProgressRow());

    m_evaluateAction = new QAction(tr("Evaluate"), this);
    m_evaluateAction->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)});
    m_evaluateAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(m_evaluateAction);
    m_cancelAction = new QAction(tr("Cancel Evaluation"), this);
    m_cancelAction->setShortcut(QKeySequence(Qt::Key_Escape));
    m_cancelAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(m_cancelAction);
    connect(m_evaluateAction, &QAction::triggered, this, &EvaluatePage::evaluate);
    connect(m_cancelAction, &QAction::triggered, this, &EvaluatePage::cancel);
    connect(m_runner, &JobRunner::runningChanged, this, &EvaluatePage::updateBusy);
    connect(m_runner, &JobRunner::progress, this, &EvaluatePage::onProgress);

    showPlaceholder(tr("No workspace is open."));
    updateEnabled();
}

EvaluatePage::~EvaluatePage() = default;

void EvaluatePage::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    // Models may have been trained or removed meanwhile (Train page, CLI).
    refresh();
}

QWidget* EvaluatePage::createChoicePanel()
{
    auto* panel = new QWidget(this);
    m_task = new QComboBox(panel);
    m_task->setObjectName(QStringLiteral("evaluateTaskCombo"));
    m_task->addItem(tr("Scene (intent)"), int(Task::Intent));
    m_task->addItem(tr("Purchase"), int(Task::Purchase));
    m_task->addItem(tr("Next item"), int(Task::NextItem));
    m_task->setToolTip(tr("Only models of one task compare"));
    m_split = new QComboBox(panel);
    m_split->setObjectName(QStringLiteral("evaluateSplitCombo"));
    m_split->addItem(tr("Test"), int(SplitPart::Test));
    m_split->addItem(tr("Validation"), int(SplitPart::Validation));
    m_list = new QListView(panel);
    m_list->setObjectName(QStringLiteral("evaluateModelList"));
    m_list->setModel(m_models);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_evaluateButton = new QPushButton(tr("&Evaluate"), panel);
    m_evaluateButton->setObjectName(QStringLiteral("evaluateButton"));
    m_evaluateButton->setToolTip(tr("Evaluate the ticked models on the chosen split (Ctrl+Return)"));
    m_evaluateButton->setDefault(true);

    auto* form = new QFormLayout;
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("&Task:"), m_task);
    form->addRow(tr("&Split:"), m_split);
    auto* layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(form);
    auto* listLabel = new QLabel(tr("&Models (tick one or more):"), panel);
    listLabel->setBuddy(m_list);
    layout->addWidget(listLabel);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_evaluateButton);

    connect(m_task, &QComboBox::currentIndexChanged, this, [this] {
        fillList();
        onChoiceChanged();
    });
    connect(m_split, &QComboBox::currentIndexChanged, this, &EvaluatePage::onChoiceChanged);
    connect(m_models, &QStandardItemModel::itemChanged, this, [this](QStandardItem* item) {
        const QString name = item->data(Qt::UserRole).toString();
        m_checked.removeAll(name);
        if (item->checkState() == Qt::Checked)
            m_checked << name;
        onChoiceChanged();
    });
    connect(m_evaluateButton, &QPushButton::clicked, this, &EvaluatePage::evaluate);
    return panel;
}

QWidget* EvaluatePage::createProgressRow()
{
    m_progressRow = new JobProgressRow(QStringLiteral("evaluate"), tr("Stop the evaluation (Esc)"), this);
    connect(m_progressRow, &JobProgressRow::cancelRequested, this, &EvaluatePage::cancel);
    return m_progressRow;
}

// Workspace and models -----------------------------------------------------------------------------

void EvaluatePage::setWorkspace(std::shared_ptr<Workspace> workspace)
{
    m_runner->abandon();
    m_workspace = std::move(workspace);
    m_kept.clear();
    m_results->clear();
    m_summary->clear();
    m_message->clearText();
    refresh();
}

bool EvaluatePage::setWorkspacePath(const QString& path)
{
    return openPageWorkspace(
        path, [this](std::shared_ptr<Workspace> ws) { setWorkspace(std::move(ws)); },
        [this](const QString& message) { showMessage(message, true); });
}

QString EvaluatePage::workspacePath() const
{
    return m_workspace ? m_workspace->path() : QString();
}

void EvaluatePage::refresh()
{
    m_infos.clear();
    if (m_workspace) {
        if (auto listed = m_workspace->models())
            m_infos = std::move(listed.value());
        else
            showMessage(tr("Cannot list the models: %1").arg(listed.error().toString()), true);
    }
    // Ticks of models that are gone go too; kept evaluations of a model stored again under the same
    // name are never shown (their key holds the creation time).
    m_checked.erase(std::remove_if(m_checked.begin(), m_checked.end(),
                                   [this](const QString& name) { return info(name) == nullptr; }),
                    m_checked.end());
    // Start on a task that has models.
    if (!m_infos.empty() && std::none_of(m_infos.begin(), m_infos.end(),
                                         [this](const ModelInfo& m) { return m.task == taskKey(task()); })) {
        const QSignalBlocker block(m_task);
        m_task->setCurrentIndex(
            m_task->findData(int(taskFromKey(m_infos.back().task).value_or(Task::Intent))));
    }
    fillList();
    onChoiceChanged();
}

void EvaluatePage::fillList()
{
    const QSignalBlocker block(m_models);
    m_models->clear();
    const QString key = taskKey(task());
    for (const ModelInfo& m : m_infos) {
        if (m.task != key)
            continue;
        // A model imported from a bundle without its run cannot be evaluated here; say so up front.
        auto* item =
            new QStandardItem(m.run.isEmpty() ? tr("%1\n%2, imported without its run").arg(m.name, m.kind)
                                              : tr("%1\n%2 on %3").arg(m.name, m.kind, m.run));
        item->setData(m.name, Qt::UserRole);
        item->setToolTip(tr("%1: %2 model of the %3 task, trained on the run %4, stored %5")
                             .arg(m.name, m.kind, m.task, m.run, m.createdAt));
        item->setCheckable(true);
        item->setCheckState(m_checked.contains(m.name) ? Qt::Checked : Qt::Unchecked);
        item->setEditable(false);
        m_models->appendRow(item);
    }
    m_list->reset();
}

const ModelInfo* EvaluatePage::info(const QString& name) const
{
    const auto it =
        std::find_if(m_infos.begin(), m_infos.end(), [&name](const ModelInfo& m) { return m.name == name; });
    return it == m_infos.end() ? nullptr : &*it;
}

Task EvaluatePage::task() const
{
    return Task(m_task->currentData().toInt());
}

void EvaluatePage::setTask(Task task)
{
    m_task->setCurrentIndex(m_task->findData(int(task)));
}

SplitPart EvaluatePage::split() const
{
    return SplitPart(m_split->currentData().toInt());
}

void EvaluatePage::setSplit(SplitPart split)
{
    m_split->setCurrentIndex(m_split->findData(int(split)));
}

bool EvaluatePage::setModelChecked(const QString& name, bool checked)
{
    const ModelInfo* m = info(name);
    if (!m)
        return false;
    if (const auto t = taskFromKey(m->task); t && *t != task())
        setTask(*t);
    for (int row = 0; row < m_models->rowCount(); ++row) {
        QStandardItem* item = m_models->item(row);
        if (item->data(Qt::UserRole).toString() == name) {
            item->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
            return true;
        }
    }
    return false;
}

QStringList EvaluatePage::checkedModels() const
{
    QStringList names;
    for (int row = 0; row < m_models->rowCount(); ++row) {
        const QStandardItem* item = m_models->item(row);
        if (item->checkState() == Qt::Checked)
            names << item->data(Qt::UserRole).toString();
    }
    return names;
}

// Evaluating ----------------------------------------------------------------------------------------

void EvaluatePage::onChoiceChanged()
{
    // What is shown always matches the choice: kept evaluations at once, else nothing until
    // Evaluate, never the previous choice's numbers. While a job runs, its progress stays on screen.
    if (isBusy()) {
        updateEnabled();
        return;
    }
    if (!showKept()) {
        m_results->clear();
        m_summary->clear();
        if (!m_workspace)
            showPlaceholder(tr("No workspace is open."));
        else if (m_infos.empty())
            showPlaceholder(tr("The workspace has no trained model yet: train one on the Train page or with "
                               "'scenewb train'."));
        else if (m_models->rowCount() == 0)
            showPlaceholder(tr("No model of this task yet."));
        else if (checkedModels().isEmpty())
            showPlaceholder(tr("Tick one or more models, then press Evaluate (Ctrl+Return)."));
        else
            showPlaceholder(tr("Press Evaluate (Ctrl+Return) to evaluate the ticked models on the %1 split.")
                                .arg(m_split->currentText().toLower()));
    }
    updateEnabled();
}

bool EvaluatePage::showKept()
{
    const QStringList names = checkedModels();
    if (names.isEmpty())
        return false;
    std::vector<ModelEvaluationPtr> shown;
    for (const QString& name : names) {
        const ModelInfo* m = info(name);
        const auto it = m ? m_kept.find(evaluationKey(name, m->createdAt, split())) : m_kept.end();
        if (it == m_kept.end())
            return false;
        shown.push_back(it->second);
    }
    if (shown == m_results->evaluations() && m_stack->currentWidget() == m_results)
        return true; // already on screen: keep the chosen model, threshold and tab
    const QString current = m_results->currentModel();
    m_results->setEvaluations(shown);
    m_results->setCurrentModel(current);
    m_summary->setText(m_results->summary(m_split->currentText()));
    m_stack->setCurrentWidget(m_results);
    return true;
}

void EvaluatePage::evaluate()
{
    if (!m_workspace)
        return;
    const QStringList names = checkedModels();
    if (names.isEmpty()) {
        showMessage(tr("Tick one or more models to evaluate."), true);
        return;
    }
    m_message->clearText();
    QStringList missing;
    for (const QString& name : names) {
        const ModelInfo* m = info(name);
        if (!m || !m_kept.count(evaluationKey(name, m->createdAt, split())))
            missing << name;
    }
    if (missing.isEmpty()) {
        showKept();
        return;
    }
    EvaluateRequest request;
    request.workspacePath = m_workspace->path();
    request.models = missing;
    request.split = split();
    request.loadStage = tr("Preparing the run %1 from its stored settings");
    request.evaluateStage = tr("Evaluating %1");
    m_runner->start<std::vector<ModelEvaluationPtr>>(
        [request](ProgressSink& progress, const CancelToken& cancel) {
            return runEvaluateJob(request, progress, cancel);
        },
        [this](Result<std::vector<ModelEvaluationPtr>> result) { onEvaluated(std::move(result)); });
    m_progressRow->reset(tr("Evaluating %1…").arg(missing.join(QStringLiteral(", "))));
    showPlaceholder(tr("Evaluating %1 on the %2 split…")
                        .arg(missing.join(QStringLiteral(", ")), m_split->currentText().toLower()));
    emit statusMessage(m_progressRow->text());
}

void EvaluatePage::onEvaluated(Result<std::vector<ModelEvaluationPtr>> result)
{
    if (!result) {
        if (result.error().isCancelled()) {
            showPlaceholder(
                tr("The evaluation was cancelled. Press Evaluate (Ctrl+Return) to start it again."));
            emit statusMessage(tr("The evaluation was cancelled."));
            emit evaluationCancelled();
        } else {
            showMessage(result.error().message, true);
            showPlaceholder(tr("Nothing to show: the evaluation failed."));
            emit evaluationFailed(message());
        }
        return;
    }
    for (ModelEvaluationPtr& e : result.value()) {
        const QString key = e->key;
        m_kept[key] = std::move(e);
    }
    if (showKept()) {
        emit statusMessage(tr("Evaluated %1.").arg(checkedModels().join(QStringLiteral(", "))));
        emit evaluationFinished();
    } else {
        onChoiceChanged(); // the ticks changed while it ran
    }
}

void EvaluatePage::cancel()
{
    if (!isBusy())
        return;
    m_runner->cancel();
    m_progressRow->setCancelling();
    updateEnabled();
}

bool EvaluatePage::isBusy() const
{
    return m_runner->isRunning();
}

QString EvaluatePage::message() const
{
    return m_message->shownText();
}

QString EvaluatePage::summaryText() const
{
    return QTextDocumentFragment::fromHtml(m_summary->text()).toPlainText();
}

void EvaluatePage::showPlaceholder(const QString& text)
{
    m_placeholder->setText(text);
    m_stack->setCurrentWidget(m_placeholder);
}

void EvaluatePage::showMessage(const QString& text, bool error)
{
    m_message->showText(text, error);
    emit statusMessage(text);
}

void EvaluatePage::updateBusy()
{
    const bool busy = isBusy();
    m_progressRow->setVisible(busy);
    updateEnabled();
    if (busy != m_busy) {
        m_busy = busy;
        emit busyChanged(busy);
    }
}

void EvaluatePage::updateEnabled()
{
    const bool canEvaluate = m_workspace && !isBusy() && !checkedModels().isEmpty();
    m_evaluateButton->setEnabled(canEvaluate);
    m_evaluateAction->setEnabled(canEvaluate);
    m_cancelAction->setEnabled(isBusy());
}

void EvaluatePage::onProgress(qint64 done, qint64 total, const QString& stage)
{
    m_progressRow->setProgress(done, total, stage);
}

} // namespace swb
