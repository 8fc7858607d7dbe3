#pragma once

#include "core/data/workspace.h"
#include "core/jobs/cancel.h"
#include "core/jobs/progress.h"
#include "core/models/training.h"

#include <QDateTime>
#include <QString>

#include <functional>
#include <vector>

namespace swb {

// One Start of the Train page, all by value: what the worker needs to train and store a model.
struct TrainJob
{
    QString workspacePath;
    QString run;
    TrainRequest request;
    QString name;   // the model's name, chosen when the job was queued
    int epochs = 0; // the most epochs it can run (0: a model trained without epochs)
};

// The worker side of a job: opens a connection of its own on the workspace and trains and stores
// the model (core trainAndStoreModel: nothing is stored on error or cancel). onEpoch is called on
// the worker thread.
Result<ModelInfo> runTrainJob(const TrainJob& job, ProgressSink& progress, const CancelToken& cancel,
                              const std::function<void(const nn::EpochStats&)>& onEpoch);

// Whether the model kind trains in epochs (and so has a training history to chart).
bool trainsInEpochs(const QString& kind);
// The most epochs a model with these (resolved) parameters can run; 0 without epochs.
int plannedEpochs(const QString& kind, const QJsonObject& resolvedParams);

// A job as the jobs list shows it.
struct TrainJobEntry
{
    enum class State
    {
        Queued,
        Running,
        Cancelling,
        Done,
        Failed,
        Cancelled
    };
    int id = 0;
    TrainJob job;
    State state = State::Queued;
    std::vector<nn::EpochStats> history;
    QString message;    // failed: the reason; done: the headline test metric
    QJsonObject report; // done: the stored model's report
    QDateTime started;
    qint64 milliseconds = -1; // run time once finished
    bool isFinished() const
    {
        return state == State::Done || state == State::Failed || state == State::Cancelled;
    }
};

// The training history stored in a model's report ("history"; a missing loss is NaN).
std::vector<nn::EpochStats> historyFromReport(const QJsonObject& report);

// The test metric a person looks at first: accuracy (intent), ROC-AUC (purchase), HR@20
// (next-item); e.g. "test accuracy 0.6123".
QString headlineMetric(const QJsonObject& report);

} // namespace swb
