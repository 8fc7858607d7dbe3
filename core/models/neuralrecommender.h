#pragma once

#include "core/jobs/cancel.h"
#include "core/jobs/progress.h"
#include "core/models/nn/sequential.h"
#include "core/models/nn/trainer.h"
#include "core/models/recommender.h"
#include "core/models/tensorpack.h"

#include <QJsonObject>

#include <functional>
#include <memory>
#include <mutex>

namespace swb {

// Hyperparameters of the neural next-item model, from --params JSON: context (the last L items),
// embedding (width per item), hidden (units), and the training keys of the network models (lr,
// epochs, batch_size, optimizer, momentum, l2, patience).
struct NeuralRecommenderParams
{
    int context = 5;
    int embedding = 64;
    int hidden = 128;
    nn::TrainParams train;
};
Result<NeuralRecommenderParams> parseNeuralRecommenderParams(const QJsonObject& json);
QJsonObject toJson(const NeuralRecommenderParams& params);

// Bytes a training of this size needs at least: the weights with their gradients and Adam's two
// moments, and one batch's logits and their gradient over the whole catalogue.
std::uint64_t neuralTrainingBytes(const NeuralRecommenderParams& params, std::uint32_t catalogueSize);

// The classic "embedding → flatten → dense → softmax" recommender: the embeddings of the last L
// items (left-padded), concatenated, a tanh hidden layer and a softmax over every catalogue item,
// trained with cross-entropy and Adam on the training cases whose target is in the catalogue.
class NeuralRecommender final : public Recommender
{
public:
    // Refused before any allocation when neuralTrainingBytes exceeds half the machine's memory.
    static Result<std::unique_ptr<NeuralRecommender>>
    train(const NextItemData& data, const NeuralRecommenderParams& params, ProgressSink& progress,
          const CancelToken& cancel, const std::function<void(const nn::EpochStats&)>& onEpoch,
          nn::FitReport& report);
    static Result<std::unique_ptr<NeuralRecommender>>
    load(const TensorPack& pack, const NeuralRecommenderParams& params, std::uint32_t catalogueSize);
    TensorPack save() const;
    // Serialised by a mutex: the network keeps its activations between calls.
    void score(const std::uint32_t* begin, const std::uint32_t* end, float* scores) const override;
    std::uint32_t catalogueSize() const override { return m_catalogueSize; }

private:
    NeuralRecommender(const NeuralRecommenderParams& params, std::uint32_t catalogueSize);
    NeuralRecommenderParams m_params;
    std::uint32_t m_catalogueSize = 0;
    mutable nn::Sequential m_network;
    mutable std::mutex m_mutex;
};

} // namespace swb
