#pragma once

#include "core/data/workspace.h"
#include "core/prep/prepconfig.h"

#include <QJsonObject>
#include <QString>
#include <QWidget>

#include <map>
#include <memory>
#include <vector>

class QAction;
class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QScrollArea;
class QSpinBox;
class QStandardItemModel;
class QTabWidget;
class QTableView;
class QTreeView;

QT_BEGIN_NAMESPACE
class QChart;
QT_END_NAMESPACE

namespace swb {

class JobRunner;

// The Prepare page: a dataset and the settings of the six preparation steps (clean, de-duplicate,
// sessions, filter, split, features), a Run that loads, prepares and stores the run in a worker
// (nothing is stored on error or cancel), the report of a run (steps table and chart, split sizes,
// the stored settings as JSON), and the workspace's stored runs.
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
    QString shownRun() const { return m_shownRun; }
    bool isBusy() const;
    // The text of the message bar (errors and notices), empty when hidden.
    QString message() const;

    // The report's tables, for tests and accessibility tools.
    QStandardItemModel* stepsModel() const { return m_stepsModel; }
    QStandardItemModel* splitModel() const { return m_splitModel; }
    QStandardItemModel* runsModel() const { return m_runsModel; }

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
    // One field of the form, for naming and focusing the setting an error is about.
    struct Setting
    {
        QString label;
        QWidget* widget = nullptr;
    };

    QWidget* createForm();
    QWidget* createRunsPanel();
    QWidget* createReportPanel();
    QWidget* createStepsTab();
    QWidget* createSplitTab();
    QWidget* createConfigTab();
    QWidget* createProgressRow();
    void setUpTabOrder();
    void registerSetting(const QString& key, const QString& label, QWidget* widget);

    void refreshDatasets();
    void refreshRuns();
    void onDatasetChanged();
    void prefillFromDataset(const DatasetInfo& info);
    void updateEnabled();
    void updateSplitHint();
    void setDefaultRunName();
    void onRunSelected();
    void confirmRemoveSelected();
    void onRunDone(Result<RunInfo> result);
    void showReport(const RunInfo& run);
    void clearReport();
    void fillSteps(const QJsonObject& report);
    void fillChart(const QJsonObject& report);
    void fillSplit(const QJsonObject& report);
    void useShownSettings();
    void copyConfig();
    QString defaultRunName() const;
    const DatasetInfo* datasetInfo(const QString& name) const;
    const RunInfo* runInfo(const QString& name) const;
    void showSettingError(const Error& error);
    void showMessage(const QString& text, bool error);
    void hideMessage();
    void updateBusy();
    void onProgress(qint64 done, qint64 total, const QString& stage);

    std::shared_ptr<Workspace> m_workspace;
    std::vector<DatasetInfo> m_datasets;
    std::vector<RunInfo> m_runs;
    QString m_prefilledDataset; // the dataset the form was last pre-filled for
    QString m_daysNote;         // why the split days are what they are for that dataset
    QString m_shownRun;
    QString m_runningName;
    bool m_runNameEdited = false;
    bool m_busy = false;
    std::map<QString, Setting> m_settings; // by JSON path, e.g. "filter.max_session_length"
    QJsonObject m_shownConfig;

    JobRunner* m_runner = nullptr;

    QLabel* m_message = nullptr;
    QScrollArea* m_formArea = nullptr;
    QComboBox* m_datasetCombo = nullptr;
    QLabel* m_datasetHint = nullptr;
    QCheckBox* m_startCheck = nullptr;
    QDateTimeEdit* m_startEdit = nullptr;
    QCheckBox* m_endCheck = nullptr;
    QDateTimeEdit* m_endEdit = nullptr;
    QSpinBox* m_repeatWindow = nullptr;
    QCheckBox* m_sourceSessions = nullptr;
    QSpinBox* m_gapMinutes = nullptr;
    QSpinBox* m_minItemSupport = nullptr;
    QSpinBox* m_minSessionLength = nullptr;
    QSpinBox* m_maxSessionLength = nullptr;
    QCheckBox* m_iterate = nullptr;
    QComboBox* m_splitMethod = nullptr;
    QDoubleSpinBox* m_testDays = nullptr;
    QDoubleSpinBox* m_validationDays = nullptr;
    QDoubleSpinBox* m_testFraction = nullptr;
    QDoubleSpinBox* m_validationFraction = nullptr;
    QSpinBox* m_seed = nullptr;
    QLabel* m_splitHint = nullptr;
    QComboBox* m_scaling = nullptr;
    QLineEdit* m_runNameEdit = nullptr;
    QPushButton* m_runButton = nullptr;
    QAction* m_runAction = nullptr;

    QStandardItemModel* m_runsModel = nullptr;
    QTreeView* m_runsView = nullptr;
    QPushButton* m_removeButton = nullptr;

    QLabel* m_reportTitle = nullptr;
    QTabWidget* m_reportTabs = nullptr;
    QStandardItemModel* m_stepsModel = nullptr;
    QTableView* m_stepsView = nullptr;
    QChart* m_chart = nullptr;
    QStandardItemModel* m_splitModel = nullptr;
    QTableView* m_splitView = nullptr;
    QLabel* m_splitSummary = nullptr;
    QPlainTextEdit* m_configText = nullptr;
    QPushButton* m_copyButton = nullptr;
    QPushButton* m_useSettingsButton = nullptr;

    QWidget* m_progressRow = nullptr;
    QLabel* m_progressLabel = nullptr;
    QProgressBar* m_progressBar = nullptr;
    QPushButton* m_cancelButton = nullptr;
    QAction* m_cancelAction = nullptr;
};

} // namespace swb
