#pragma once

#include "core/data/workspace.h"
#include "core/models/nn/trainer.h"

#include <QString>
#include <QWidget>

#include <memory>
#include <vector>

class QAction;
class QComboBox;
class QPushButton;
class QScrollArea;
class QTableView;

namespace swb {

class MessageBar;
class TrainingHistoryChart;
class TrainJobsModel;
class TrainJobsPanel;
class TrainParamsForm;
class TrainQueue;

// The Train page: a prepared run, a task, a model and its hyperparameters (the core's defaults,
// every value checked as it is typed), Start (Ctrl+Return) to queue a job, Cancel (Esc); the
// jobs run one after another in a worker and are listed with their status; the selected job's
// training and validation loss (and validation metric) per epoch are charted live. A job stores
// its model when it finishes; nothing is stored on error or cancel.
class TrainPage : public QWidget
{
    Q_OBJECT
public:
    explicit TrainPage(QWidget* parent = nullptr);
    ~TrainPage() override;

    // The page lists runs and models through this connection (GUI thread only); every job opens
    // its own on the same path. Queued and running jobs are cancelled.
    void setWorkspace(std::shared_ptr<Workspace> workspace);
    // Opens a connection of its own on the path. False (with the reason shown) when it cannot.
    bool setWorkspacePath(const QString& path);

    QString currentRun() const;
    bool selectRun(const QString& name);
    bool selectTask(const QString& taskKey);
    bool selectModel(const QString& kind);
    TrainParamsForm* paramsForm() const { return m_form; }
    TrainJobsModel* jobsModel() const;
    TrainQueue* queue() const { return m_queue; }
    TrainingHistoryChart* historyChart() const { return m_chart; }
    QTableView* jobsView() const;
    bool isBusy() const;
    bool canStart() const;
    // The job whose history is shown (0: none).
    int shownJob() const { return m_shownId; }
    // The text of the message bar, empty when hidden.
    QString message() const;

public slots:
    // Re-reads the runs (and the models, for the name check), keeping the choices made.
    void refresh();
    // Queues a job with the form's settings; returns its id, 0 (with the reason shown) when
    // nothing was queued.
    int start();
    // Cancels the selected job when it has not finished, else the running one.
    void cancel();
    void cancelAll();
    // Shows the history of a job of the list and selects it.
    void showJob(int id);
    // Shows the stored history of a model of the workspace. False when there is no such model.
    bool showStoredModel(const QString& name);

signals:
    void statusMessage(const QString& message);
    void modelTrained(const QString& modelName);
    void busyChanged(bool busy);

protected:
    void showEvent(QShowEvent* event) override;

private:
    QWidget* createForm();
    void onTaskChanged();
    void onModelChanged();
    void onJobSelected();
    void onJobStarted(int id);
    void onEpoch(int id, const nn::EpochStats& stats);
    void onJobFinished(int id);
    void updateEnabled();
    void refreshStoredModels();
    void updateDefaultName();
    QString nameProblem(const QString& name) const;
    QString nextDefaultName() const;
    void showMessage(const QString& text, bool error);

    std::shared_ptr<Workspace> m_workspace;
    TrainQueue* m_queue = nullptr;
    int m_shownId = 0;

    MessageBar* m_message = nullptr;
    QComboBox* m_runCombo = nullptr;
    QComboBox* m_taskCombo = nullptr;
    QComboBox* m_modelCombo = nullptr;
    TrainParamsForm* m_form = nullptr;
    QScrollArea* m_formArea = nullptr;
    QPushButton* m_startButton = nullptr;
    QAction* m_startAction = nullptr;
    QAction* m_cancelAction = nullptr;
    TrainJobsPanel* m_jobs = nullptr;
    TrainingHistoryChart* m_chart = nullptr;
};

} // namespace swb
