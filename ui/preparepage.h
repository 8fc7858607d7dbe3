#pragma once

#include "core/data/workspace.h"
#include "core/prep/prepconfig.h"

#include <QString>
#include <QWidget>

#include <memory>
#include <vector>

class QAction;
class QLineEdit;
class QPushButton;
class QScrollArea;
class QStandardItemModel;

namespace swb {

class MessageBar;

class JobRunner;
class PrepDatasetBox;
class JobProgressRow;
class PrepReportView;
class PrepRunsPanel;
class PrepSettingsForm;

// The Prepare page: a dataset and the settings of the six preparation steps (clean, de-duplicate,
// sessions, filter, split, features), a Run that loads, prepares and stores the run in a worker
// (nothing is stored on error or cancel), the report of a run (steps table and chart, split sizes,
// the stored settings as JSON), and the workspace's stored runs. The page holds the run name,
// Run/Cancel and the job; the dataset chooser (PrepDatasetBox), the settings form
// (PrepSettingsForm), the list of runs (PrepRunsPanel) and the report (PrepReportView) are parts of
// their own that it wires together.
class PreparePage : public QWidget
{
    Q_OBJECT
public:
    explicit PreparePage(QWidget* parent = nullptr);
    ~PreparePage() override;

    // The page lists datasets and runs through this connection (GUI thread only); the worker opens
    // its own connection on the same path. A running preparation is cancelled.
    void setWorkspace(std::shared_ptr<Workspace> workspace);
    // Opens a connection of its own on the path. False (with the reason shown on the page) when
    // the workspace cannot be opened.
    bool setWorkspacePath(const QString& path);
    QString workspacePath() const;

    // The form as a config (not validated) and back (e.g. the settings of a stored run).
    PrepConfig config() const;
    void setConfig(const PrepConfig& config);

    QString currentDataset() const;
    // Chooses the dataset in the combo (pre-filling the split days from its time span).
    bool selectDataset(const QString& name);
    QString runName() const;
    void setRunName(const QString& name);
    QString shownRun() const;
    bool isBusy() const;
    // The text of the message bar (errors and notices), empty when hidden.
    QString message() const;

    // The report's tables, for tests and accessibility tools.
    QStandardItemModel* stepsModel() const;
    QStandardItemModel* splitModel() const;
    QStandardItemModel* runsModel() const;

public slots:
    // Re-reads the datasets and runs, keeping the choices made.
    void refresh();
    // Validates the form and runs the preparation in the background; a bad setting is reported
    // by name and nothing starts.
    void startRun();
    void cancelRun();
    // Shows the stored report of a run and selects it in the list. False when there is none.
    bool showRun(const QString& name);
    // Removes the run in the background (what Remove… does once confirmed).
    void removeRun(const QString& name);

signals:
    void busyChanged(bool busy);
    void runFinished(const QString& name);
    void runFailed(const QString& message);
    void runCancelled();
    void runRemoved(const QString& name);
    void statusMessage(const QString& message);

protected:
    void showEvent(QShowEvent* event) override;

private:
    QWidget* createForm();
    void setUpTabOrder();

    void refreshDatasets();
    void refreshRuns();
    void onDatasetChanged();
    void updateEnabled();
    void setDefaultRunName();
    void onRunSelected();
    void onRunDone(Result<RunInfo> result);
    void showReport(const RunInfo& run);
    void clearReport();
    void useShownSettings();
    QString defaultRunName() const;
    const RunInfo* runInfo(const QString& name) const;
    void showSettingError(const Error& error);
    void showMessage(const QString& text, bool error);
    void hideMessage();
    void updateBusy();

    std::shared_ptr<Workspace> m_workspace;
    std::vector<RunInfo> m_runs;
    QString m_runningName;
    bool m_runNameEdited = false;
    bool m_busy = false;

    JobRunner* m_runner = nullptr;

    MessageBar* m_message = nullptr;
    QScrollArea* m_formArea = nullptr;
    PrepDatasetBox* m_datasetBox = nullptr;
    PrepSettingsForm* m_settings = nullptr;
    QLineEdit* m_runNameEdit = nullptr;
    QPushButton* m_runButton = nullptr;
    QAction* m_runAction = nullptr;

    PrepRunsPanel* m_runsPanel = nullptr;
    PrepReportView* m_report = nullptr;

    JobProgressRow* m_progressRow = nullptr;
    QAction* m_cancelAction = nullptr;
};

} // namespace swb
