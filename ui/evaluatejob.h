#pragma once

#include "core/eval/binaryscores.h"
#include "core/jobs/cancel.h"
#include "core/jobs/progress.h"
#include "core/models/training.h"
#include "core/util/result.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace swb {

// One stored model evaluated on one split, with what its charts need computed off the GUI thread.
struct ModelEvaluation
{
    QString name;
    QString run;
    QString kind;
    QString createdAt; // with the name, tells a model from one stored later under the same name
    QString key;       // evaluationKey(name, createdAt, split)
    Evaluation evaluation;
    // Purchase models: the curves, decimated for drawing (empty when undefined, with the reason).
    RocCurve roc;
    PrCurve pr;
    std::optional<double> rocAuc;
    std::optional<double> averagePrecision;
    QString curveNote;
};

using ModelEvaluationPtr = std::shared_ptr<const ModelEvaluation>;

// The page's cache key of an evaluation.
QString evaluationKey(const QString& name, const QString& createdAt, SplitPart split);

// What the Evaluate page hands to its worker, by value: the models (by name) to evaluate on split.
struct EvaluateRequest
{
    QString workspacePath;
    QStringList models;
    SplitPart split = SplitPart::Test;
    QString loadStage;     // "%1" is the run's name
    QString evaluateStage; // "%1" is the model's name
};

// Opens its own connection, reads each model and its weights, rebuilds each run once (as
// `scenewb evaluate` does) and evaluates every model with evaluateStoredModel. Progress is one
// permille bar over all models. A model or run that is no longer in the workspace fails with a
// message naming it; a cancel gives a Cancelled error.
Result<std::vector<ModelEvaluationPtr>> runEvaluateJob(const EvaluateRequest& request, ProgressSink& progress,
                                                       const CancelToken& cancel);

} // namespace swb
