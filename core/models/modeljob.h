#pragma once

#include "core/data/workspace.h"
#include "core/jobs/cancel.h"
#include "core/jobs/progress.h"
#include "core/models/training.h"

#include <functional>

// The whole "train a model on a stored run and store it" sequence, shared by `scenewb train` and
// the Train page.
namespace swb {

// The name a model gets when none is given: RUN-TASK-MODEL, made unique in the workspace.
QString defaultModelName(const Workspace& workspace, const QString& run, const TrainRequest& request);

// Checks the request and the name (an empty name takes defaultModelName; a taken one is refused
// with field "name") before any work, loads the prepared run (progress 0..300), trains and
// evaluates it (300..1000) and stores the model with its report and weights. Nothing is stored
// on error or cancel: the store is the last step, one transaction.
Result<ModelInfo> trainAndStoreModel(Workspace& workspace, const QString& run, const TrainRequest& request,
                                     const QString& name, ProgressSink& progress, const CancelToken& cancel,
                                     const std::function<void(const nn::EpochStats&)>& onEpoch = {});

} // namespace swb
