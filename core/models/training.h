#pragma once

#include "core/eval/binaryscores.h"
#include "core/eval/classification.h"
#include "core/eval/ranking.h"
#include "core/jobs/cancel.h"
#include "core/jobs/progress.h"
#include "core/models/nn/trainer.h"
#include "core/models/taskdata.h"

#include <QByteArray>
#include <QJsonObject>
#include <QStringList>

#include <functional>
#include <optional>
#include <vector>

// Training, storing and evaluating the models of the three scene tasks on a prepared run.
namespace swb {

// The model names of each task: majority, logreg, mlp (intent, purchase); pop, rules, sknn,
// neural (next-item).
QStringList modelKinds(Task task);

// Every hyperparameter of a model kind with its default value, the keys --params takes (the
// baselines majority and pop take none: an empty object). An unknown task/kind pair is an error.
Result<QJsonObject> defaultParams(Task task, const QString& kind);
// The parameters with the defaults filled in for the missing keys, as trainModel would use them.
Result<QJsonObject> resolveParams(Task task, const QString& kind, const QJsonObject& params);
// Checks parameters by the rules training applies, without training: an unknown key, a wrong
// type or a bad value (a learning rate <= 0, a layer or batch of size 0, ...) is an error whose
// field names the key. Missing keys take their defaults.
Status validateParams(Task task, const QString& kind, const QJsonObject& params);

struct TrainRequest
{
    Task task = Task::Intent;
    QString kind;       // one of modelKinds(task)
    QJsonObject params; // hyperparameters; missing keys take their defaults
    std::uint64_t seed = 42;
};

struct TrainedModel
{
    // task, model, params (with the defaults filled in), seed, epochs_run, train_seconds,
    // history ([{epoch, train_loss, val_loss, val_metric}]), val_metric_name, validation and test (the
    // metrics of evaluate()), labels, features, threshold (purchase), catalogue_size (next-item).
    QJsonObject report;
    QByteArray weights; // TensorPack encoding
};

// Trains on the run's training split (early stopping and the purchase threshold use validation),
// then evaluates on validation and test. Deterministic for a seed. Bad parameters are refused
// before any work, naming the parameter.
Result<TrainedModel> trainModel(const PreparedData& data, const TrainRequest& request, ProgressSink& progress,
                                const CancelToken& cancel,
                                const std::function<void(const nn::EpochStats&)>& onEpoch = {});

// Everything one evaluation of a model on a split found, for front ends that show more than the
// metrics JSON (the Evaluate page: per-class bars, confusion, live threshold, ranking curves).
struct Evaluation
{
    Task task = Task::Intent;
    SplitPart split = SplitPart::Test;
    QJsonObject metrics; // what evaluateModel returns (toJson of the report below)

    // Classification (intent, purchase): one entry per case.
    QStringList labels;
    std::vector<int> yTrue;
    std::vector<int> yPred;
    std::vector<double> score; // probability of the positive class (binary) or of the predicted class
    std::optional<ClassificationReport> classification;
    // Purchase only: the scores behind the curves and any other threshold, and the stored one.
    std::optional<BinaryScores> binary;
    double threshold = 0.5;

    // Next-item: the report and, per case, the target's item code (empty when unseen) and its
    // rank (0 when outside the top 50 or unseen).
    std::optional<RankingReport> ranking;
    QStringList targets;
    std::vector<std::uint32_t> ranks;
};

// Evaluates a stored model (its report and weights) on a split of the run it was trained on:
// for classification accuracy, per_class, macro, micro, weighted, confusion and, for the purchase
// task, roc_auc, pr_auc, log_loss and threshold (the stored one); for next-item `ranking` by K and
// coverage.
Result<Evaluation> evaluateStoredModel(const PreparedData& data, const QJsonObject& report,
                                       const QByteArray& weights, SplitPart split, ProgressSink& progress,
                                       const CancelToken& cancel);

// Checks that stored weights fit their report without any data: the task and model type are
// known and the tensors have the shapes of a model over `width` features and `classes` classes
// (intent, purchase) or over a catalogue of `catalogueSize` items (next-item). For imported models.
Status checkStoredModel(const QJsonObject& report, const QByteArray& weights, int width, int classes,
                        std::uint32_t catalogueSize);

// The predictions CSV, one row per case, written whole or not at all: case_id,y_true,y_pred,score
// (score: probability of the positive class, or of the predicted class) or case_id,target,rank
// (rank 0 when the target is outside the top 50 or unseen). The error names the file.
Status writePredictions(const Evaluation& evaluation, const QString& path);

// evaluateStoredModel's metrics; with a predictions path, also writes writePredictions' CSV.
Result<QJsonObject> evaluateModel(const PreparedData& data, const QJsonObject& report,
                                  const QByteArray& weights, SplitPart split, const QString& predictionsPath,
                                  ProgressSink& progress, const CancelToken& cancel);

// The object `scenewb evaluate --json` prints: model_id, task, model, split and the metrics under
// the split's key.
QJsonObject evaluationJson(const QString& modelName, const QString& task, const QString& kind,
                           SplitPart split, const QJsonObject& metrics);

} // namespace swb
