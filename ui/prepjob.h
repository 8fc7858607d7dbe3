#pragma once

#include "core/data/workspace.h"
#include "core/jobs/cancel.h"
#include "core/jobs/progress.h"
#include "core/prep/prepconfig.h"
#include "core/util/result.h"

#include <QString>

namespace swb {

// What a Run of the Prepare page hands to its worker, all by value.
struct PrepJob
{
    QString workspacePath;
    QString dataset;
    QString runName;
    PrepConfig config;
    QString loadStage;  // the progress stage while loading the dataset
    QString storeStage; // the progress stage while storing the run
};

// The worker side of a Run: opens a connection of its own on the workspace, loads the dataset,
// prepares it and stores the run in one transaction. Progress goes from 0 to 1000 over the three
// phases. A cancel heeded before storing returns cancelledError() and stores nothing.
Result<RunInfo> prepareAndStoreRun(const PrepJob& job, ProgressSink& progress, const CancelToken& cancel);

// The worker side of Remove: removes the run on a connection of its own.
Result<bool> removeStoredRun(const QString& workspacePath, const QString& runName, const QString& stage,
                             ProgressSink& progress);

} // namespace swb
