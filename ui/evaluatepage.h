#pragma once

#include "evaluatejob.h"

#include "core/data/workspace.h"
#include "core/models/taskdata.h"

#include <QString>
#include <QStringList>
#include <QWidget>

#include <map>
#include <memory>
#include <vector>

class QAction;
class QComboBox;
class QLabel;
class QListView;
class QPushButton;
class QStackedWidget;
class QStandardItemModel;

namespace swb {

class JobProgressRow;

class EvaluateResults;
class JobRunner;
class MessageBar;

// The Evaluate page: the workspace's trained models of one task (chosen above the list, since only
// models of one task compare), ticked one or several at a time, evaluated on the validation or
// test split in a worker (each run rebuilt from its stored settings, as `scenewb evaluate` does)
// and shown side by side in EvaluateResults. Evaluations are kept per (model, split): ticking a
// model or choosing a split already evaluated shows it at once; Evaluate (Ctrl+Return) computes
// what is missing.
class EvaluatePage : public QWidget
{
    Q_OBJECT
public:
    explicit EvaluatePage(QWidget* parent = nullptr);
    ~EvaluatePage() override;

    // The page lists models through this connection (GUI thread only); the worker opens its own.
    // A running evaluation is dropped and the kept evaluations are forgotten.
    void setWorkspace(std::shared_ptr<Workspace> workspace);
    // False (with the reason on the page) when the workspace cannot be opened.
    bool setWorkspacePath(const QString& path);
    QString workspacePath() const;

    Task task() const;
    void setTask(Task task);
    SplitPart split() const;
    void setSplit(SplitPart split);
    // Ticks or unticks a model of the list (switching to its task). False when there is no such model.
    bool setModelChecked(const QString& name, bool checked);
    // The ticked models of the current task, in list order.
    QStringList checkedModels() const;
    // The list's model: one checkable row per model of the current task (name in Qt::UserRole).
    QStandardItemModel* modelList() const { return m_models; }

    bool isBusy() const;
    QString message() const;
    QString summaryText() const;
    EvaluateResults* results() const { return m_results; }

public slots:
    // Re-reads the models, keeping the task, the ticks and what is shown where still possible.
    void refresh();
    // Evaluates the ticked models that are not kept yet, then shows all ticked ones.
    void evaluate();
    // Asks the running evaluation to stop; the page goes idle once the worker has stopped.
    void cancel();

signals:
    void busyChanged(bool busy);
    void evaluationFinished();
    void evaluationFailed(const QString& message);
    void evaluationCancelled();
    void statusMessage(const QString& message);

protected:
    void showEvent(QShowEvent* event) override;

private:
    QWidget* createChoicePanel();
    QWidget* createProgressRow();
    void fillList();
    void onChoiceChanged();
    // Shows the ticked models if every one is kept; else says Evaluate is needed. True if shown.
    bool showKept();
    void onEvaluated(Result<std::vector<ModelEvaluationPtr>> result);
    void showPlaceholder(const QString& text);
    void showMessage(const QString& text, bool error);
    void updateBusy();
    void updateEnabled();
    void onProgress(qint64 done, qint64 total, const QString& stage);
    const ModelInfo* info(const QString& name) const;

    std::shared_ptr<Workspace> m_workspace;
    std::vector<ModelInfo> m_infos;
    QStringList m_checked;                        // ticked model names, over all tasks
    std::map<QString, ModelEvaluationPtr> m_kept; // by evaluationKey
    bool m_busy = false;

    JobRunner* m_runner = nullptr;
    MessageBar* m_message = nullptr;
    QComboBox* m_task = nullptr;
    QComboBox* m_split = nullptr;
    QStandardItemModel* m_models = nullptr;
    QListView* m_list = nullptr;
    QPushButton* m_evaluateButton = nullptr;
    QAction* m_evaluateAction = nullptr;
    QLabel* m_summary = nullptr;
    QStackedWidget* m_stack = nullptr;
    QLabel* m_placeholder = nullptr;
    EvaluateResults* m_results = nullptr;
    JobProgressRow* m_progressRow = nullptr;
    QAction* m_cancelAction = nullptr;
};

} // namespace swb
