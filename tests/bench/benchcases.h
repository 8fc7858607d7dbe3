#pragma once

// The files bench_models writes for the Python peers (sklearn_logreg.py, torch_models.py): the
// learning cases of each task as raw little-endian float32/int32 arrays, plus what the peer needs
// to start where we start (initial weights, batch order). Shapes go into the caller's meta JSON.

#include "core/models/nn/sequential.h"
#include "core/models/taskdata.h"

#include <QJsonObject>
#include <QString>

#include <cstdint>
#include <vector>

namespace benchcases {

// DIR/PREFIX-{train,validation,test}-{x.f32,y.i32}; meta gets width, classes, labels and cases.
bool writeClassification(const QString& dir, const QString& prefix, const swb::ClassificationData& data,
                         QJsonObject& meta);

// The training cases kept for the neural model: every one, or `cap` of them evenly spaced over the
// training split (so a capped run still sees the whole period).
std::vector<swb::CaseRef> capCases(const std::vector<swb::CaseRef>& cases, qint64 cap);

// DIR/next-item-{train,validation,test}-{ids,y}.i32: the neural model's cases as NeuralRecommender
// takes them (the last `context` items, oldest first, left-padded with -1); training and validation
// keep only targets in the catalogue (as the model does), test keeps every case (an unseen target,
// -1, is a miss). meta gets catalogue, context, cases and unseen_test_targets.
bool writeNextItem(const QString& dir, const swb::NextItemData& data, int context, QJsonObject& meta);

// The weights train() starts from (Sequential::initialize with the seed, on the architecture the
// model builds: NetworkClassifier's and NeuralRecommender's constructors) and the batch order of
// every epoch (the trainer's own generator), written as DIR/PREFIX-init-NAME.f32 and
// DIR/PREFIX-order.i32 (epochs × cases): the peer starts from our weights and sees our mini-batches,
// so what is left between the two is float rounding. Names and shapes are ours (d_in × d_out
// weights, 1 × d_out biases); torch_models.py transposes. meta gets init and order_epochs.
bool writeStart(const QString& dir, const QString& prefix, swb::nn::Sequential& net, std::uint64_t seed,
                std::size_t cases, int epochs, QJsonObject& meta);

} // namespace benchcases
