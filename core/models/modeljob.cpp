#include "modeljob.h"

#include "core/prep/storedrun.h"
#include "core/util/jsonsettings.h"

#include <QCoreApplication>

namespace swb {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(swb::ModelJob)
};

} // namespace

QString defaultModelName(const Workspace& workspace, const QString& run, const TrainRequest& request)
{
    return workspace.uniqueModelName(
        QStringLiteral("%1-%2-%3").arg(run, taskKey(request.task), request.kind));
}

Result<ModelInfo> trainAndStoreModel(Workspace& workspace, const QString& run, const TrainRequest& request,
                                     const QString& name, ProgressSink& progress, const CancelToken& cancel,
                                     const std::function<void(const nn::EpochStats&)>& onEpoch)
{
    // Everything that can be checked without the data is checked first, so a bad request never
    // spends minutes loading and training before it is refused.
    if (Status s = validateParams(request.task, request.kind, request.params); !s)
        return s.error();
    const QString modelName =
        name.trimmed().isEmpty() ? defaultModelName(workspace, run, request) : name.trimmed();
    if (workspace.model(modelName))
        return settings::settingError(
            QStringLiteral("name"),
            Tr::tr("a model named “%1” already exists; choose another name or remove it first")
                .arg(modelName));
    if (auto stored = workspace.run(run); !stored)
        return stored.error();

    PhaseProgress loading(progress, 0, 300);
    auto prepared = loadPreparedRun(workspace, run, loading, cancel);
    if (!prepared)
        return prepared.error();
    if (cancel.isCancelled())
        return cancelledError();
    PhaseProgress training(progress, 300, kPhaseScale);
    auto trained = trainModel(*prepared, request, training, cancel, onEpoch);
    if (!trained)
        return trained.error();
    // The last moment a cancel is heeded: from here on the model is stored in one transaction.
    if (cancel.isCancelled())
        return cancelledError();
    ModelInfo info;
    info.name = modelName;
    info.run = run;
    info.task = taskKey(request.task);
    info.kind = request.kind;
    info.report = trained->report;
    info.report.insert(QStringLiteral("model_id"), info.name);
    info.report.insert(QStringLiteral("run"), run);
    return workspace.storeModel(info, trained->weights);
}

} // namespace swb
