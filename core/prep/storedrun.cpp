#include "storedrun.h"

#include <QCoreApplication>

namespace swb {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(swb::StoredRun)
};

} // namespace

Result<PrepConfig> storedRunConfig(const RunInfo& run, const QString& workspacePath)
{
    auto parsed = PrepConfig::fromJson(run.report.value(QStringLiteral("config")).toObject());
    if (parsed)
        return parsed;
    Error error = parsed.error();
    error.code = ErrorCode::Corrupt;
    error.file = workspacePath;
    error.message =
        Tr::tr("the stored settings of the run “%1” are not valid: %2").arg(run.name, error.message);
    return error;
}

Result<PreparedData> loadPreparedRun(const Workspace& workspace, const QString& runName,
                                     ProgressSink& progress, const CancelToken& cancel)
{
    auto run = workspace.run(runName);
    if (!run)
        return run.error();
    auto config = storedRunConfig(*run, workspace.path());
    if (!config)
        return config.error();
    PhaseProgress loading(progress, 0, 400, Tr::tr("Loading"));
    auto events = workspace.loadDataset(run->dataset, loading, cancel);
    if (!events)
        return events.error();
    PhaseProgress preparing(progress, 400, kPhaseScale);
    return prepare(std::shared_ptr<const EventTable>(std::move(events.value())), *config, preparing, cancel);
}

} // namespace swb
