#include "preparepage.h"

#include "pageworkspace.h"

#include "messagebar.h"

#include "jobprogressrow.h"
#include "jobrunner.h"
#include "prepcommon.h"
#include "prepdatasetbox.h"
#include "prepjob.h"
#include "prepreportview.h"
#include "preprunspanel.h"
#include "prepsettingsform.h"

#include <QAbstractSpinBox>
#include <QAction>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QVBoxLayout>

namespace swb {

using prepui::count;
using prepui::jsonCount;

PreparePage::PreparePage(QWidget* parent) : QWidget(parent), m_runner(new JobRunner(this))
{
    m_message = new MessageBar(this);
    m_message->setObjectName(QStringLiteral("prepareMessage"));

    m_runsPanel = new PrepRunsPanel(this);
    m_report = new PrepReportView(this);
    auto* right = new QSplitter(Qt::Vertical, this);
    right->addWidget(m_runsPanel);
    right->addWidget(m_report);
    right->setStretchFactor(0, 0);
    right->setStretchFactor(1, 1);
    right->setSizes({130, 670});

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(createForm());
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({400, 900});
    splitter->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_message);
    layout->addWidget(splitter, 1);
    m_progressRow = new JobProgressRow(QStringLiteral("prepare"),
                                       tr("Stop the preparation; nothing is stored (Esc)"), this);
    layout->addWidget(m_progressRow);

    m_runAction = new QAction(tr("Run Preparation"), this);
    m_runAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_runAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(m_runAction);
    m_cancelAction = new QAction(tr("Cancel Preparation"), this);
    m_cancelAction->setShortcut(QKeySequence(Qt::Key_Escape));
    m_cancelAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_cancelAction->setEnabled(false);
    addAction(m_cancelAction);
    connect(m_runAction, &QAction::triggered, this, &PreparePage::startRun);
    connect(m_cancelAction, &QAction::triggered, this, &PreparePage::cancelRun);

    connect(m_runner, &JobRunner::runningChanged, this, &PreparePage::updateBusy);
    connect(m_runner, &JobRunner::progress, m_progressRow, &JobProgressRow::setProgress);
    connect(m_runsPanel, &PrepRunsPanel::selectionChanged, this, &PreparePage::onRunSelected);
    connect(m_runsPanel, &PrepRunsPanel::removeConfirmed, this, &PreparePage::removeRun);
    connect(m_progressRow, &JobProgressRow::cancelRequested, this, &PreparePage::cancelRun);
    connect(m_report, &PrepReportView::useSettingsRequested, this, &PreparePage::useShownSettings);
    connect(m_report, &PrepReportView::statusMessage, this, &PreparePage::statusMessage);

    setUpTabOrder();
    setConfig(PrepConfig{});
    clearReport();
    updateEnabled();
}

PreparePage::~PreparePage() = default;

QWidget* PreparePage::createForm()
{
    auto* form = new QWidget;
    auto* layout = new QVBoxLayout(form);

    // Dataset
    m_datasetBox = new PrepDatasetBox(form);
    layout->addWidget(m_datasetBox);
    connect(m_datasetBox, &PrepDatasetBox::currentChanged, this, &PreparePage::onDatasetChanged);

    // 1. to 6., the steps
    m_settings = new PrepSettingsForm(form);
    layout->addWidget(m_settings, 1);

    m_formArea = new QScrollArea(this);
    m_formArea->setObjectName(QStringLiteral("prepareForm"));
    m_formArea->setWidget(form);
    m_formArea->setWidgetResizable(true);
    m_formArea->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_formArea->setFrameShape(QFrame::NoFrame);
    m_formArea->setMinimumWidth(form->sizeHint().width() + 24);

    // Run name and Run below the scrolling settings, always in view.
    auto* runRow = new QWidget(this);
    auto* runLayout = new QHBoxLayout(runRow);
    runLayout->setContentsMargins(9, 0, 9, 0);
    m_runNameEdit = new QLineEdit(runRow);
    m_runNameEdit->setObjectName(QStringLiteral("runName"));
    m_runNameEdit->setClearButtonEnabled(true);
    auto* runNameLabel = new QLabel(tr("Run na&me:"), runRow);
    runNameLabel->setBuddy(m_runNameEdit);
    m_runButton = new QPushButton(tr("&Run"), runRow);
    m_runButton->setObjectName(QStringLiteral("runButton"));
    m_runButton->setToolTip(tr("Prepare the dataset with these settings and store the run (Ctrl+R)"));
    m_runButton->setDefault(true);
    runLayout->addWidget(runNameLabel);
    runLayout->addWidget(m_runNameEdit, 1);
    runLayout->addWidget(m_runButton);
    connect(m_runNameEdit, &QLineEdit::textEdited, this, [this]() { m_runNameEdited = true; });
    connect(m_runNameEdit, &QLineEdit::returnPressed, this, &PreparePage::startRun);
    connect(m_runButton, &QPushButton::clicked, this, &PreparePage::startRun);
    m_settings->addSetting(QStringLiteral("run.name"), tr("Run name"), m_runNameEdit);

    auto* panel = new QWidget(this);
    auto* panelLayout = new QVBoxLayout(panel);
    panelLayout->setContentsMargins(0, 0, 0, 0);
    panelLayout->addWidget(m_formArea, 1);
    panelLayout->addWidget(runRow);
    return panel;
}

void PreparePage::setUpTabOrder()
{
    QList<QWidget*> chain = m_datasetBox->tabChain();
    chain << m_settings->tabChain() << m_runNameEdit << m_runButton << m_runsPanel->tabChain()
          << m_report->tabChain() << m_progressRow->cancelButton();
    for (qsizetype i = 1; i < chain.size(); ++i)
        setTabOrder(chain[i - 1], chain[i]);
}

// Workspace and lists ---------------------------------------------------------------------------

void PreparePage::setWorkspace(std::shared_ptr<Workspace> workspace)
{
    // A preparation for the old workspace is dropped (and, being cancelled, stores nothing).
    m_runner->abandon();
    m_workspace = std::move(workspace);
    m_runs.clear();
    m_settings->forgetDataset();
    m_runNameEdited = false;
    hideMessage();
    clearReport();
    refresh();
}

bool PreparePage::setWorkspacePath(const QString& path)
{
    return openPageWorkspace(
        path, [this](std::shared_ptr<Workspace> ws) { setWorkspace(std::move(ws)); },
        [this](const QString& message) { showMessage(message, true); });
}

QString PreparePage::workspacePath() const
{
    return m_workspace ? m_workspace->path() : QString();
}

void PreparePage::refresh()
{
    refreshDatasets();
    refreshRuns();
    if (!m_runNameEdited)
        setDefaultRunName();
    updateEnabled();
}

void PreparePage::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    // The Data page or the CLI may have added or removed datasets and runs meanwhile.
    refresh();
}

void PreparePage::refreshDatasets()
{
    std::vector<DatasetInfo> datasets;
    if (m_workspace) {
        auto listed = m_workspace->datasets();
        if (listed)
            datasets = std::move(listed.value());
        else
            showMessage(tr("Cannot list the datasets: %1").arg(listed.error().toString()), true);
    }
    m_datasetBox->setDatasets(std::move(datasets), m_workspace != nullptr);
}

void PreparePage::refreshRuns()
{
    m_runs.clear();
    if (m_workspace) {
        auto runs = m_workspace->runs();
        if (runs)
            m_runs = std::move(runs.value());
        else
            showMessage(tr("Cannot list the runs: %1").arg(runs.error().toString()), true);
    }
    m_runsPanel->setRuns(m_runs);
    const QString shown = shownRun();
    if (!shown.isEmpty() && !runInfo(shown)) {
        clearReport();
        return;
    }
    // Select the shown run again without re-rendering it.
    m_runsPanel->selectRun(shown, true);
}

const RunInfo* PreparePage::runInfo(const QString& name) const
{
    for (const RunInfo& run : m_runs) {
        if (run.name == name)
            return &run;
    }
    return nullptr;
}

QString PreparePage::currentDataset() const
{
    return m_datasetBox->currentDataset();
}

bool PreparePage::selectDataset(const QString& name)
{
    return m_datasetBox->selectDataset(name);
}

void PreparePage::onDatasetChanged()
{
    m_settings->setDataset(m_datasetBox->currentInfo());
    if (!m_runNameEdited)
        setDefaultRunName();
    updateEnabled();
}

QString PreparePage::defaultRunName() const
{
    const QString dataset = currentDataset();
    if (!m_workspace || dataset.isEmpty())
        return {};
    return m_workspace->uniqueRunName(dataset + QStringLiteral("-prep"));
}

void PreparePage::setDefaultRunName()
{
    m_runNameEdit->setText(defaultRunName());
    m_runNameEdited = false;
}

QString PreparePage::runName() const
{
    return m_runNameEdit->text().trimmed();
}

void PreparePage::setRunName(const QString& name)
{
    m_runNameEdit->setText(name);
    m_runNameEdited = true;
}

// The form ---------------------------------------------------------------------------------------

PrepConfig PreparePage::config() const
{
    return m_settings->config();
}

void PreparePage::setConfig(const PrepConfig& config)
{
    m_settings->setConfig(config);
    updateEnabled();
}

void PreparePage::updateEnabled()
{
    const bool busy = isBusy();
    const DatasetInfo* info = m_datasetBox->currentInfo();
    m_settings->setDatasetHasSessions(!info || info->summary.sessions > 0);

    m_formArea->setEnabled(!busy);
    m_runNameEdit->setEnabled(!busy);
    const bool canRun = !busy && m_workspace && info;
    m_runButton->setEnabled(canRun);
    m_runAction->setEnabled(canRun);
    m_cancelAction->setEnabled(busy);
    m_runsPanel->setBusy(busy);
    m_report->setBusy(busy);
}

// Running ----------------------------------------------------------------------------------------

bool PreparePage::isBusy() const
{
    return m_runner->isRunning();
}

void PreparePage::startRun()
{
    if (isBusy())
        return;
    hideMessage();
    if (!m_workspace) {
        showMessage(tr("No workspace is open."), true);
        return;
    }
    const QString dataset = currentDataset();
    if (!m_datasetBox->currentInfo()) {
        showMessage(tr("Choose a dataset to prepare (import one on the Data page)."), true);
        return;
    }
    const QString name = runName();
    const QString nameKey = QStringLiteral("run.name");
    if (name.isEmpty()) {
        showSettingError(Error{ErrorCode::InvalidArgument, tr("give the run a name"), {}, 0, 0, nameKey});
        return;
    }
    if (m_workspace->run(name)) {
        showSettingError(
            Error{ErrorCode::InvalidArgument,
                  tr("a run named “%1” already exists; choose another name or remove it first").arg(name),
                  {},
                  0,
                  0,
                  nameKey});
        return;
    }
    const PrepConfig config = this->config();
    if (Status valid = config.validate(); !valid) {
        showSettingError(valid.error());
        emit runFailed(message());
        return;
    }

    m_runningName = name;
    const PrepJob job{m_workspace->path(),       dataset, name, config, tr("Loading %1").arg(dataset),
                      tr("Storing %1").arg(name)};
    m_runner->start<RunInfo>(
        [job](ProgressSink& progress, const CancelToken& cancel) {
            return prepareAndStoreRun(job, progress, cancel);
        },
        [this](Result<RunInfo> result) { onRunDone(std::move(result)); });
    emit statusMessage(tr("Preparing “%1”…").arg(dataset));
}

void PreparePage::onRunDone(Result<RunInfo> result)
{
    const QString name = m_runningName;
    m_runningName.clear();
    if (!result) {
        if (result.error().isCancelled()) {
            showMessage(tr("The preparation of “%1” was cancelled; nothing was stored.").arg(name), false);
            emit runCancelled();
        } else {
            showSettingError(result.error());
            emit runFailed(message());
        }
        return;
    }
    const RunInfo& run = result.value();
    refreshRuns();
    showRun(run.name);
    setDefaultRunName();
    const QString text = tr("Stored the run “%1”: %2 events in %3 sessions.")
                             .arg(run.name, count(jsonCount(run.report, QStringLiteral("events"))),
                                  count(jsonCount(run.report, QStringLiteral("sessions"))));
    emit statusMessage(text);
    emit runFinished(run.name);
}

void PreparePage::cancelRun()
{
    if (!isBusy())
        return;
    m_runner->cancel();
    m_progressRow->setCancelling();
}

void PreparePage::updateBusy()
{
    const bool busy = isBusy();
    if (busy && !m_busy)
        m_progressRow->reset();
    m_progressRow->setVisible(busy);
    updateEnabled();
    if (busy != m_busy) {
        m_busy = busy;
        emit busyChanged(busy);
    }
}

// Stored runs ------------------------------------------------------------------------------------

void PreparePage::onRunSelected()
{
    const QString name = m_runsPanel->selectedRun();
    if (name.isEmpty()) {
        updateEnabled();
        return;
    }
    if (const RunInfo* run = runInfo(name))
        showReport(*run);
}

bool PreparePage::showRun(const QString& name)
{
    if (!runInfo(name))
        refreshRuns();
    if (!runInfo(name))
        return false;
    m_runsPanel->selectRun(name, false);
    if (shownRun() != name) // already selected: show it anyway
        showReport(*runInfo(name));
    return true;
}

void PreparePage::removeRun(const QString& name)
{
    if (!m_workspace || isBusy())
        return;
    const QString path = m_workspace->path();
    const QString stage = tr("Removing %1").arg(name);
    // A worker of its own like every write, so the GUI's connection never waits on a lock.
    m_runner->start<bool>(
        [path, name, stage](ProgressSink& progress, const CancelToken&) {
            return removeStoredRun(path, name, stage, progress);
        },
        [this, name](Result<bool> result) {
            if (!result) {
                showMessage(tr("Cannot remove the run “%1”: %2").arg(name, result.error().toString()), true);
                return;
            }
            if (shownRun() == name)
                clearReport();
            refreshRuns();
            if (!m_runNameEdited)
                setDefaultRunName();
            updateEnabled();
            emit statusMessage(tr("Removed the run “%1”").arg(name));
            emit runRemoved(name);
        });
}

// The report -------------------------------------------------------------------------------------

QString PreparePage::shownRun() const
{
    return m_report->shownRun();
}

QStandardItemModel* PreparePage::stepsModel() const
{
    return m_report->stepsModel();
}

QStandardItemModel* PreparePage::splitModel() const
{
    return m_report->splitModel();
}

QStandardItemModel* PreparePage::runsModel() const
{
    return m_runsPanel->model();
}

void PreparePage::clearReport()
{
    m_report->clear();
    updateEnabled();
}

void PreparePage::showReport(const RunInfo& run)
{
    m_report->showRun(run);
    updateEnabled();
}

void PreparePage::useShownSettings()
{
    const RunInfo* run = runInfo(shownRun());
    if (!run || isBusy())
        return;
    auto config = PrepConfig::fromJson(m_report->shownConfig());
    if (!config) {
        showMessage(tr("The settings of “%1” cannot be read: %2").arg(run->name, config.error().toString()),
                    true);
        return;
    }
    selectDataset(run->dataset); // pre-fills for the dataset first, the run's settings then win
    setConfig(config.value());
    emit statusMessage(tr("The form now holds the settings of “%1”.").arg(run->name));
}

// Messages ---------------------------------------------------------------------------------------

void PreparePage::showSettingError(const Error& error)
{
    QString text = error.message;
    if (error.field.isEmpty()) {
        showMessage(tr("The preparation failed: %1").arg(error.toString()), true);
        return;
    }
    // Core messages start with the setting's JSON path; say it once, with the form's name for it.
    const QString prefix = error.field + QStringLiteral(": ");
    if (text.startsWith(prefix))
        text = text.mid(prefix.size());
    const PrepSettingsForm::Setting* setting = m_settings->setting(error.field);
    if (!setting) {
        showMessage(tr("Check the setting %1: %2. Nothing was stored.").arg(error.field, text), true);
        return;
    }
    showMessage(
        tr("Check the setting “%1” (%2): %3. Nothing was stored.").arg(setting->label, error.field, text),
        true);
    QWidget* widget = setting->widget;
    if (widget->isEnabled())
        widget->setFocus(Qt::OtherFocusReason);
    if (auto* spin = qobject_cast<QAbstractSpinBox*>(widget))
        spin->selectAll();
    else if (auto* edit = qobject_cast<QLineEdit*>(widget))
        edit->selectAll();
    m_formArea->ensureWidgetVisible(widget);
}

void PreparePage::showMessage(const QString& text, bool error)
{
    m_message->showText(text, error);
    emit statusMessage(text);
}

void PreparePage::hideMessage()
{
    m_message->clearText();
}

QString PreparePage::message() const
{
    return m_message->shownText();
}

} // namespace swb
