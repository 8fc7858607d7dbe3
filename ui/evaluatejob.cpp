#include "evaluatejob.h"

#include "core/bundle/bundleexport.h"
#include "core/data/workspace.h"
#include "core/prep/storedrun.h"

#include <QCoreApplication>

#include <map>

namespace swb {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(swb::EvaluatePage)
};

struct Stored
{
    ModelInfo info;
    QByteArray weights;
};

void addCurves(ModelEvaluation& e)
{
    if (!e.evaluation.binary)
        return;
    const BinaryScores& scores = *e.evaluation.binary;
    QStringList notes;
    if (auto roc = scores.rocCurve())
        e.roc = decimated(*roc);
    else
        notes << roc.error().message;
    if (auto pr = scores.precisionRecallCurve())
        e.pr = decimated(*pr);
    else
        notes << pr.error().message;
    if (auto auc = scores.rocAuc())
        e.rocAuc = *auc;
    if (auto ap = scores.averagePrecision())
        e.averagePrecision = *ap;
    notes.removeDuplicates();
    e.curveNote = notes.join(QLatin1Char(' '));
}

} // namespace

QString evaluationKey(const QString& name, const QString& createdAt, SplitPart split)
{
    return name + QLatin1Char('\n') + createdAt + QLatin1Char('\n') + splitPartKey(split);
}

Result<std::vector<ModelEvaluationPtr>> runEvaluateJob(const EvaluateRequest& request, ProgressSink& progress,
                                                       const CancelToken& cancel)
{
    auto workspace = Workspace::open(request.workspacePath);
    if (!workspace)
        return workspace.error();
    const Workspace& ws = *workspace.value();
    // The models grouped by run: each run is prepared again once, however many models use it.
    std::map<QString, std::vector<Stored>> byRun;
    for (const QString& name : request.models) {
        auto info = ws.model(name);
        if (!info)
            return Error{ErrorCode::NotFound,
                         Tr::tr("The model “%1” is no longer in the workspace (it, or the run it was "
                                "trained on, has been removed).")
                             .arg(name),
                         ws.path(),
                         0,
                         0,
                         {}};
        if (Status s = requireRun(*info); !s)
            return s.error();
        if (!ws.run(info->run))
            return Error{ErrorCode::NotFound,
                         Tr::tr("The run “%1” that the model “%2” was trained on is no longer in the "
                                "workspace.")
                             .arg(info->run, name),
                         ws.path(),
                         0,
                         0,
                         {}};
        auto weights = ws.modelWeights(name);
        if (!weights)
            return weights.error();
        byRun[info->run].push_back({std::move(info.value()), std::move(weights.value())});
    }
    const std::int64_t steps = std::int64_t(byRun.size() + request.models.size());
    std::int64_t step = 0;
    const auto phase = [&](const QString& stage) {
        const std::int64_t from = step * kPhaseScale / steps;
        ++step;
        return PhaseProgress(progress, from, step * kPhaseScale / steps, stage);
    };
    std::vector<ModelEvaluationPtr> out;
    for (const auto& [run, models] : byRun) {
        PhaseProgress loading = phase(request.loadStage.arg(run));
        auto prepared = loadPreparedRun(ws, run, loading, cancel);
        if (!prepared)
            return prepared.error();
        for (const Stored& model : models) {
            if (cancel.isCancelled())
                return cancelledError();
            PhaseProgress evaluating = phase(request.evaluateStage.arg(model.info.name));
            auto evaluation = evaluateStoredModel(*prepared, model.info.report, model.weights, request.split,
                                                  evaluating, cancel);
            if (!evaluation) {
                Error error = evaluation.error();
                if (error.code != ErrorCode::Cancelled)
                    error.message = Tr::tr("Cannot evaluate “%1”: %2").arg(model.info.name, error.message);
                return error;
            }
            auto e = std::make_shared<ModelEvaluation>();
            e->name = model.info.name;
            e->run = model.info.run;
            e->kind = model.info.kind;
            e->createdAt = model.info.createdAt;
            e->key = evaluationKey(e->name, e->createdAt, request.split);
            e->evaluation = std::move(evaluation.value());
            addCurves(*e);
            out.push_back(std::move(e));
        }
    }
    if (cancel.isCancelled())
        return cancelledError();
    return out;
}

} // namespace swb
