#include "classifiers.h"

#include "core/models/validationmetrics.h"

#include "core/models/nn/activation.h"
#include "core/models/nn/dense.h"
#include "core/models/nn/loss.h"
#include "core/models/trainingkeys.h"
#include "core/util/jsonsettings.h"

#include <QCoreApplication>
#include <QJsonArray>

#include <algorithm>
#include <cmath>

namespace swb {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(swb::Classifiers)
};

constexpr nn::Index kPredictBatch = 4096;

nn::Matrix featureMatrix(const FeatureCases& cases, int width, std::size_t from, std::size_t rows)
{
    return nn::ConstMatrixMap(cases.x.data() + from * std::size_t(width), nn::Index(rows), width);
}

std::vector<std::int64_t> classSupport(const FeatureCases& cases, int classes)
{
    std::vector<std::int64_t> support(std::size_t(classes), 0);
    for (const std::int32_t y : cases.y)
        ++support[std::size_t(y)];
    return support;
}

nn::Examples examples(const FeatureCases& cases, int width, bool binary)
{
    nn::Examples e;
    e.features = featureMatrix(cases, width, 0, cases.size());
    if (binary) {
        e.targets.resize(nn::Index(cases.size()), 1);
        for (std::size_t i = 0; i < cases.size(); ++i)
            e.targets(nn::Index(i), 0) = float(cases.y[i]);
    } else {
        e.classes.assign(cases.y.begin(), cases.y.end());
    }
    return e;
}

} // namespace

Result<NetworkParams> parseNetworkParams(const QJsonObject& json, bool hiddenLayers)
{
    using namespace settings;
    NetworkParams p;
    if (hiddenLayers) {
        p.hidden = {64};
        p.train.epochs = 20;
        p.train.patience = 3;
    } else {
        // A linear model on 18 features has few weights and a convex loss: with the networks' lr of
        // 0.001 and 20 epochs it stops far from the optimum scikit-learn's solver reaches (ROC-AUC
        // 0.53 against 0.69 on the Taobao sample's purchase cases); 0.01 for up to 100 epochs gets there.
        p.train.lr = 0.01f;
        p.train.epochs = 100;
        p.train.patience = 10;
    }
    QString classWeight = QStringLiteral("balanced");
    std::map<QString, Reader> keys = {
        {QStringLiteral("class_weight"),
         choice(classWeight, {{QStringLiteral("balanced"), QStringLiteral("balanced")},
                              {QStringLiteral("none"), QStringLiteral("none")}})},
    };
    addTrainingKeys(keys, p.train);
    if (hiddenLayers)
        keys.emplace(QStringLiteral("hidden"), integerList(p.hidden));
    if (Status s = readObject(json, {}, keys); !s)
        return s.error();
    p.balanced = classWeight == QLatin1String("balanced");
    for (const int units : p.hidden) {
        if (units < 1)
            return settingError(QStringLiteral("hidden"),
                                Tr::tr("every hidden layer needs at least one unit"));
    }
    if (hiddenLayers && p.hidden.empty())
        return settingError(QStringLiteral("hidden"), Tr::tr("an MLP needs at least one hidden layer"));
    if (Status s = nn::validateTrainParams(p.train); !s)
        return s.error();
    return p;
}

QJsonObject toJson(const NetworkParams& p, bool hiddenLayers)
{
    QJsonObject json{
        {QStringLiteral("class_weight"), p.balanced ? QStringLiteral("balanced") : QStringLiteral("none")}};
    insertTrainingKeys(json, p.train);
    if (hiddenLayers) {
        QJsonArray hidden;
        for (const int units : p.hidden)
            hidden.append(units);
        json.insert(QStringLiteral("hidden"), hidden);
    }
    return json;
}

MajorityClassifier::MajorityClassifier(const ClassificationData& data)
{
    const FeatureCases& train = data.part(SplitPart::Train);
    const auto support = classSupport(train, int(data.labels.size()));
    for (const std::int64_t n : support)
        m_shares.push_back(float(double(n) / double(train.size())));
}

Result<std::unique_ptr<MajorityClassifier>> MajorityClassifier::load(const TensorPack& pack, int classes)
{
    auto shares = pack.requireFloats(QStringLiteral("class_shares"), 1, classes);
    if (!shares)
        return shares.error();
    std::unique_ptr<MajorityClassifier> model(new MajorityClassifier);
    model->m_shares = std::move(shares.value());
    return model;
}

void MajorityClassifier::predict(const FeatureCases& cases, std::vector<double>& probabilities)
{
    probabilities.resize(cases.size() * m_shares.size());
    for (std::size_t i = 0; i < cases.size(); ++i)
        std::copy(m_shares.begin(), m_shares.end(),
                  probabilities.begin() + std::ptrdiff_t(i * m_shares.size()));
}

TensorPack MajorityClassifier::save() const
{
    TensorPack pack;
    pack.floats.push_back({QStringLiteral("class_shares"), 1, nn::Index(m_shares.size()), m_shares});
    return pack;
}

NetworkClassifier::NetworkClassifier(int width, int classes, const std::vector<int>& hidden)
    : m_width(width), m_classes(classes)
{
    nn::Index inputs = width;
    for (const int units : hidden) {
        m_network.emplace<nn::Dense>(inputs, units);
        m_network.emplace<nn::Activation>(nn::Activation::Function::Relu);
        inputs = units;
    }
    m_network.emplace<nn::Dense>(inputs, classes == 2 ? 1 : classes);
}

Result<std::unique_ptr<NetworkClassifier>>
NetworkClassifier::train(const ClassificationData& data, const NetworkParams& params, ProgressSink& progress,
                         const CancelToken& cancel, const std::function<void(const nn::EpochStats&)>& onEpoch,
                         nn::FitReport& report)
{
    const int classes = int(data.labels.size());
    const bool binary = classes == 2;
    std::unique_ptr<NetworkClassifier> model(new NetworkClassifier(data.width, classes, params.hidden));
    const FeatureCases& trainCases = data.part(SplitPart::Train);
    const nn::Examples train = examples(trainCases, data.width, binary);
    const nn::Examples validation = examples(data.part(SplitPart::Validation), data.width, binary);
    // Balanced weights as scikit-learn's class_weight="balanced": n / (classes · n_class).
    const auto support = classSupport(trainCases, classes);
    std::unique_ptr<nn::Loss> loss;
    if (binary) {
        const float positive =
            params.balanced && support[1] > 0 ? float(double(support[0]) / double(support[1])) : 1.0f;
        loss = std::make_unique<nn::BinaryCrossEntropy>(positive);
    } else {
        std::vector<float> weights(std::size_t(classes), 1.0f);
        if (params.balanced) {
            for (std::size_t c = 0; c < weights.size(); ++c)
                weights[c] =
                    support[c] > 0 ? float(double(trainCases.size()) / double(classes * support[c])) : 0.0f;
        }
        loss = std::make_unique<nn::SoftmaxCrossEntropy>(std::move(weights));
    }
    nn::TrainInput input;
    input.network = &model->m_network;
    input.loss = loss.get();
    input.train = &train;
    input.validation = &validation;
    input.onEpoch = onEpoch;
    // Early stopping on the task's own figure (see validationmetrics.h); a validation split of one
    // class has no ROC-AUC, and then the validation loss decides.
    MacroF1Metric macroF1(classes);
    RocAucMetric rocAuc;
    if (!binary)
        input.metric = &macroF1;
    else if (RocAucMetric::hasBothClasses(validation.targets))
        input.metric = &rocAuc;
    auto fit = nn::train(input, params.train, progress, cancel);
    if (!fit)
        return fit.error();
    report = std::move(fit.value());
    return model;
}

Result<std::unique_ptr<NetworkClassifier>>
NetworkClassifier::load(const TensorPack& pack, int width, int classes, const std::vector<int>& hidden)
{
    std::unique_ptr<NetworkClassifier> model(new NetworkClassifier(width, classes, hidden));
    if (Status s = model->m_network.loadParameters(pack.floats); !s)
        return s.error();
    return model;
}

void NetworkClassifier::predict(const FeatureCases& cases, std::vector<double>& probabilities)
{
    probabilities.resize(cases.size() * std::size_t(m_classes));
    for (std::size_t from = 0; from < cases.size(); from += std::size_t(kPredictBatch)) {
        const std::size_t rows = std::min(cases.size() - from, std::size_t(kPredictBatch));
        const nn::Matrix batch = featureMatrix(cases, m_width, from, rows);
        const nn::Matrix& logits = m_network.forward(batch);
        for (std::size_t r = 0; r < rows; ++r) {
            double* out = probabilities.data() + (from + r) * std::size_t(m_classes);
            if (m_classes == 2) {
                const double p = 1.0 / (1.0 + std::exp(-double(logits(nn::Index(r), 0))));
                out[0] = 1.0 - p;
                out[1] = p;
                continue;
            }
            const auto row = logits.row(nn::Index(r));
            const double top = double(row.maxCoeff());
            double sum = 0;
            for (int c = 0; c < m_classes; ++c)
                sum += out[c] = std::exp(double(row(c)) - top);
            for (int c = 0; c < m_classes; ++c)
                out[c] /= sum;
        }
    }
}

TensorPack NetworkClassifier::save() const
{
    TensorPack pack;
    pack.floats = m_network.saveParameters();
    return pack;
}

} // namespace swb
