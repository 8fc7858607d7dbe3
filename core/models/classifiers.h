#pragma once

#include "core/jobs/cancel.h"
#include "core/jobs/progress.h"
#include "core/models/nn/sequential.h"
#include "core/models/nn/trainer.h"
#include "core/models/taskdata.h"
#include "core/models/tensorpack.h"

#include <QJsonObject>

#include <functional>
#include <memory>
#include <vector>

// The models of the intent (scene recognition) and purchase (cart scene) tasks.
namespace swb {

// Hyperparameters of the network models, from --params JSON: lr, epochs, batch_size, optimizer
// ("adam", "sgd"), momentum, l2, patience, hidden ([64] for mlp; logreg has none) and class_weight
// ("balanced": weights n / (classes · n_class), as scikit-learn's; "none").
struct NetworkParams
{
    nn::TrainParams train;
    std::vector<int> hidden;
    bool balanced = true;
};
// Defaults filled in; unknown keys and bad values are errors naming the key.
Result<NetworkParams> parseNetworkParams(const QJsonObject& json, bool hiddenLayers);
QJsonObject toJson(const NetworkParams& params, bool hiddenLayers);

class Classifier
{
public:
    virtual ~Classifier() = default;
    // Class probabilities of each case, n × classes row-major.
    virtual void predict(const FeatureCases& cases, std::vector<double>& probabilities) = 0;
    virtual TensorPack save() const = 0;
};

// Always the most frequent training class; its probabilities are the training class shares.
class MajorityClassifier final : public Classifier
{
public:
    explicit MajorityClassifier(const ClassificationData& data);
    static Result<std::unique_ptr<MajorityClassifier>> load(const TensorPack& pack, int classes);
    void predict(const FeatureCases& cases, std::vector<double>& probabilities) override;
    TensorPack save() const override;

private:
    MajorityClassifier() = default;
    std::vector<float> m_shares;
};

// Logistic regression (no hidden layer) or an MLP (ReLU hidden layers): a softmax over the
// classes, or for two classes one sigmoid output with binary cross-entropy.
class NetworkClassifier final : public Classifier
{
public:
    static Result<std::unique_ptr<NetworkClassifier>>
    train(const ClassificationData& data, const NetworkParams& params, ProgressSink& progress,
          const CancelToken& cancel, const std::function<void(const nn::EpochStats&)>& onEpoch,
          nn::FitReport& report);
    static Result<std::unique_ptr<NetworkClassifier>> load(const TensorPack& pack, int width, int classes,
                                                           const std::vector<int>& hidden);
    void predict(const FeatureCases& cases, std::vector<double>& probabilities) override;
    TensorPack save() const override;

private:
    NetworkClassifier(int width, int classes, const std::vector<int>& hidden);
    nn::Sequential m_network;
    int m_width = 0;
    int m_classes = 0;
};

} // namespace swb
