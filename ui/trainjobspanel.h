#pragma once

#include "core/data/workspace.h"

#include <QWidget>

#include <vector>

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QTableView;

namespace swb {

class TrainJobsModel;

// The Train page's list of jobs with the running job's progress and Cancel, and a chooser of
// the workspace's stored models whose training history can be shown instead.
class TrainJobsPanel : public QWidget
{
    Q_OBJECT
public:
    TrainJobsPanel(TrainJobsModel* model, QWidget* parent = nullptr);
    ~TrainJobsPanel() override;

    QTableView* view() const { return m_view; }
    // The id of the selected job, 0 when none is.
    int currentJob() const;
    void selectJob(int id);
    void clearSelection();

    void setBusy(bool busy);
    void setProgress(qint64 done, qint64 total, const QString& stage);
    void setStoredModels(const std::vector<ModelInfo>& models);

signals:
    void currentJobChanged();
    void cancelRequested();
    void storedModelChosen(const QString& name);

private:
    TrainJobsModel* m_model = nullptr;
    QTableView* m_view = nullptr;
    QLabel* m_stage = nullptr;
    QProgressBar* m_bar = nullptr;
    QPushButton* m_cancel = nullptr;
    QComboBox* m_stored = nullptr;
};

} // namespace swb
