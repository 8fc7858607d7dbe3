#include "prepjob.h"

#include "prepcommon.h"

#include "core/prep/preparation.h"

#include <algorithm>

namespace swb {

using prepui::kPermille;

Result<RunInfo> prepareAndStoreRun(const PrepJob& job, ProgressSink& progress, const CancelToken& cancel)
{
    auto workspace = Workspace::open(job.workspacePath);
    if (!workspace)
        return workspace.error();
    // Loading takes about a third of the time, the six steps most of the rest.
    PhaseProgress loading(progress, 0, 300, job.loadStage);
    auto table = workspace.value()->loadDataset(job.dataset, loading, cancel);
    if (!table)
        return table.error();
    if (cancel.isCancelled())
        return cancelledError();
    PhaseProgress preparing(progress, 300, 950);
    auto prepared =
        prepare(std::shared_ptr<const EventTable>(std::move(table.value())), job.config, preparing, cancel);
    if (!prepared)
        return prepared.error();
    const QJsonObject report = toJson(prepared.value());
    // The last moment a cancel is heeded: from here on the run is stored in one transaction.
    if (cancel.isCancelled())
        return cancelledError();
    progress.report(950, kPermille, job.storeStage);
    return workspace.value()->storeRun(job.runName, job.dataset, report);
}

Result<bool> removeStoredRun(const QString& workspacePath, const QString& runName, const QString& stage,
                             ProgressSink& progress)
{
    progress.report(0, 0, stage);
    auto workspace = Workspace::open(workspacePath);
    if (!workspace)
        return workspace.error();
    if (Status s = workspace.value()->removeRun(runName); !s)
        return s.error();
    return true;
}

} // namespace swb
