#pragma once

#include "loss.h"
#include "metric.h"
#include "random.h"
#include "sequential.h"

#include "core/jobs/cancel.h"
#include "core/jobs/progress.h"
#include "core/util/result.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace swb::nn {

// A set of n cases, one per row: the input the network takes (features, or ids when it starts with
// an Embedding) and the targets its loss takes (classes, or values).
struct Examples
{
    Matrix features;                    // n × d
    IdMatrix ids;                       // n × L, each id < vocabulary or kPadId
    std::vector<std::uint32_t> classes; // n class indices (softmax cross-entropy)
    Matrix targets;                     // n × k values (binary cross-entropy, MSE)

    Index size() const { return features.rows() > 0 ? features.rows() : ids.rows(); }
    TargetView targetView() const { return {classes, targets.size() > 0 ? &targets : nullptr}; }
};

enum class OptimizerKind
{
    Sgd,
    Adam,
};

// Hyperparameters, named in messages as in the CLI's --params JSON (lr, batch_size, ...).
struct TrainParams
{
    int epochs = 10;
    int batchSize = 256;
    OptimizerKind optimizer = OptimizerKind::Adam;
    float lr = 1e-3f;
    float momentum = 0.0f; // SGD only
    float beta1 = 0.9f;    // Adam only
    float beta2 = 0.999f;  // Adam only
    float eps = 1e-8f;     // Adam only
    float l2 = 0.0f;       // coupled weight decay, see optimizer.h
    // Early stopping: stop after this many epochs in a row without a better validation metric
    // (strictly better than the best so far); 0 trains all epochs. Needs a validation set.
    int patience = 0;
    // With a validation set, end with the weights of the epoch with the best validation metric.
    bool restoreBest = true;
    // Draw fresh weights from seed first; false continues from the network's current weights.
    bool initialize = true;
    // Initial weights and the order of the mini-batches; the same seed (and data and parameters)
    // gives bit-identical weights, whatever `threads` is.
    std::uint64_t seed = 1;
    int threads = 2;
};

// One row of the training history. valLoss and valMetric are NaN without a validation set; the
// metric is the validation loss when no Metric is given.
struct EpochStats
{
    int epoch = 0; // 1-based
    double trainLoss = 0;
    double valLoss = 0;
    double valMetric = 0;
    QString metricName; // Metric::name(), or "val_loss" when the metric is the validation loss
};

struct FitReport
{
    std::vector<EpochStats> history;
    int epochsRun = 0;
    // 1-based epoch with the best validation metric, whose weights the network ends with when
    // restoreBest; 0 without a validation set.
    int bestEpoch = 0;
    bool stoppedEarly = false;
};

struct TrainInput
{
    Sequential* network = nullptr;
    Loss* loss = nullptr;
    const Examples* train = nullptr;
    const Examples* validation = nullptr; // optional
    Metric* metric = nullptr;             // optional; needs validation
    // Called after every epoch on the training thread, with that epoch's row of the history.
    std::function<void(const EpochStats&)> onEpoch;
};

// The order train() visits the training cases in: the generator made from the seed, then one
// Fisher-Yates shuffle of the previous epoch's order per epoch (starting from 0, 1, …, n − 1).
// Exposed so that a benchmark can hand a peer implementation the very same mini-batches.
SplitMix64 batchOrderGenerator(std::uint64_t seed);
void shuffleOrder(SplitMix64& rng, std::vector<std::uint32_t>& order);

// Checks the hyperparameters alone; the error's field is the parameter's name ("lr", ...).
Status validateTrainParams(const TrainParams& params);

// Mini-batch training: every epoch visits the training cases in a new seeded random order, in
// batches of batchSize (the last one shorter); then the validation set gives the epoch's loss and
// metric. Refuses bad parameters, networks and data before touching the weights. Checks `cancel`
// before every batch (ErrorCode::Cancelled; the network keeps the weights of the last finished
// batch) and reports progress in batches. A loss that becomes NaN or infinite stops training with
// an error naming the epoch and batch. Runs products on params.threads threads.
Result<FitReport> train(const TrainInput& input, const TrainParams& params, ProgressSink& progress,
                        const CancelToken& cancel);

} // namespace swb::nn
