#pragma once

#include "trainjob.h"

#include <QAbstractTableModel>
#include <QObject>

#include <vector>

namespace swb {

class JobRunner;

// The Train page's jobs: queued, running and finished, one row each (name, run, task, model,
// status, time), newest last.
class TrainJobsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        NameColumn,
        RunColumn,
        TaskColumn,
        ModelColumn,
        StatusColumn,
        TimeColumn,
        ColumnCount
    };
    using QAbstractTableModel::QAbstractTableModel;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    const TrainJobEntry* entry(int row) const;
    const TrainJobEntry* entryById(int id) const;
    int rowOf(int id) const;
    // The status as the list shows it ("Running: epoch 3 of 20", "Done: test accuracy 0.61", ...).
    static QString statusText(const TrainJobEntry& entry);

private:
    friend class TrainQueue;
    TrainJobEntry* find(int id);
    void append(TrainJobEntry entry);
    void changed(int id);

    std::vector<TrainJobEntry> m_entries;
};

// Runs the queued jobs one after another in a worker (JobRunner), each on a workspace connection
// of its own. Every epoch's statistics reach the GUI thread as a queued signal.
class TrainQueue : public QObject
{
    Q_OBJECT
public:
    explicit TrainQueue(QObject* parent = nullptr);
    ~TrainQueue() override;

    TrainJobsModel* model() const { return m_model; }
    // Queues the job and starts it when nothing else runs; returns its id.
    int enqueue(const TrainJob& job);
    // The running job is asked to stop (its outcome arrives as cancelled); a queued one is marked
    // cancelled and never runs.
    void cancel(int id);
    void cancelAll();
    bool isBusy() const;
    int runningId() const { return m_runningId; }
    // The names of the models of queued and running jobs (not stored yet).
    QStringList pendingNames() const;

signals:
    void jobStarted(int id);
    void epochFinished(int id, const swb::nn::EpochStats& stats);
    void jobFinished(int id);
    void progress(qint64 done, qint64 total, const QString& stage);
    void busyChanged(bool busy);

private:
    void startNext();
    void onEpoch(int id, const nn::EpochStats& stats);
    void onDone(int id, Result<ModelInfo> result);

    TrainJobsModel* m_model = nullptr;
    JobRunner* m_runner = nullptr;
    int m_nextId = 1;
    int m_runningId = 0;
};

} // namespace swb
