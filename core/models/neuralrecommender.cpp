#include "neuralrecommender.h"

#include "core/models/validationmetrics.h"

#include "core/models/nn/activation.h"
#include "core/models/nn/dense.h"
#include "core/models/nn/embedding.h"
#include "core/models/nn/loss.h"
#include "core/models/trainingkeys.h"
#include "core/util/jsonsettings.h"

#include <QCoreApplication>
#include <QLocale>

#include <algorithm>
#include <unistd.h>

namespace swb {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(swb::NeuralRecommender)
};

// The last `length` items before the case, oldest first, left-padded with kPadId.
void contextRow(const std::uint32_t* begin, const std::uint32_t* end, int length, std::uint32_t* row)
{
    const std::ptrdiff_t have = std::min<std::ptrdiff_t>(end - begin, length);
    const std::ptrdiff_t pad = length - have;
    std::fill(row, row + pad, nn::kPadId);
    std::copy(end - have, end, row + pad);
}

nn::Examples examples(const NextItemData& data, SplitPart split, int length)
{
    std::vector<const CaseRef*> kept;
    for (const CaseRef& c : data.part(split)) {
        if (data.target(c) != Catalogue::kNoItem)
            kept.push_back(&c);
    }
    nn::Examples e;
    e.ids.resize(nn::Index(kept.size()), length);
    e.classes.resize(kept.size());
    for (std::size_t i = 0; i < kept.size(); ++i) {
        contextRow(data.contextBegin(*kept[i]), data.contextEnd(*kept[i]), length,
                   e.ids.row(nn::Index(i)).data());
        e.classes[i] = data.target(*kept[i]);
    }
    return e;
}

std::uint64_t physicalMemory()
{
    const long pages = sysconf(_SC_PHYS_PAGES);
    const long size = sysconf(_SC_PAGE_SIZE);
    return pages > 0 && size > 0 ? std::uint64_t(pages) * std::uint64_t(size) : (std::uint64_t(8) << 30);
}

} // namespace

Result<NeuralRecommenderParams> parseNeuralRecommenderParams(const QJsonObject& json)
{
    using namespace settings;
    NeuralRecommenderParams p;
    p.train.epochs = 10;
    p.train.patience = 2;
    std::map<QString, Reader> keys = {
        {QStringLiteral("context"), integer(p.context)},
        {QStringLiteral("embedding"), integer(p.embedding)},
        {QStringLiteral("hidden"), integer(p.hidden)},
    };
    addTrainingKeys(keys, p.train);
    if (Status s = readObject(json, {}, keys); !s)
        return s.error();
    for (const auto& [key, value] : {std::pair{QStringLiteral("context"), p.context},
                                     std::pair{QStringLiteral("embedding"), p.embedding},
                                     std::pair{QStringLiteral("hidden"), p.hidden}}) {
        if (value < 1 || value > 4096)
            return settingError(key, Tr::tr("must be between 1 and 4096 (it is %1)").arg(value));
    }
    if (Status s = nn::validateTrainParams(p.train); !s)
        return s.error();
    return p;
}

QJsonObject toJson(const NeuralRecommenderParams& p)
{
    QJsonObject json{{QStringLiteral("context"), p.context},
                     {QStringLiteral("embedding"), p.embedding},
                     {QStringLiteral("hidden"), p.hidden}};
    insertTrainingKeys(json, p.train);
    return json;
}

std::uint64_t neuralTrainingBytes(const NeuralRecommenderParams& p, std::uint32_t catalogueSize)
{
    const std::uint64_t n = catalogueSize;
    const std::uint64_t weights =
        n * std::uint64_t(p.embedding) +
        std::uint64_t(p.context) * std::uint64_t(p.embedding) * std::uint64_t(p.hidden) +
        std::uint64_t(p.hidden) * n + n + std::uint64_t(p.hidden);
    const std::uint64_t batch = std::uint64_t(p.train.batchSize) * n;
    // value, gradient and two Adam moments per weight; logits and their gradient per batch.
    return sizeof(float) * (4 * weights + 2 * batch);
}

NeuralRecommender::NeuralRecommender(const NeuralRecommenderParams& params, std::uint32_t catalogueSize)
    : m_params(params), m_catalogueSize(catalogueSize)
{
    m_network.setEmbedding(std::make_unique<nn::Embedding>(catalogueSize, params.embedding, params.context));
    m_network.emplace<nn::Dense>(nn::Index(params.context) * params.embedding, params.hidden);
    m_network.emplace<nn::Activation>(nn::Activation::Function::Tanh);
    m_network.emplace<nn::Dense>(params.hidden, catalogueSize);
}

Result<std::unique_ptr<NeuralRecommender>>
NeuralRecommender::train(const NextItemData& data, const NeuralRecommenderParams& params,
                         ProgressSink& progress, const CancelToken& cancel,
                         const std::function<void(const nn::EpochStats&)>& onEpoch, nn::FitReport& report)
{
    const std::uint64_t needed = neuralTrainingBytes(params, data.catalogue.size());
    const std::uint64_t budget = physicalMemory() / 2;
    if (needed > budget) {
        const QLocale locale;
        return Error{
            ErrorCode::InputRejected,
            Tr::tr("a softmax over %1 items with these settings needs about %2 to train, more than half "
                   "of this machine's memory (%3); raise the run's item support or lower hidden or "
                   "batch_size")
                .arg(locale.toString(qint64(data.catalogue.size())), locale.formattedDataSize(qint64(needed)),
                     locale.formattedDataSize(qint64(budget * 2))),
            {},
            0,
            0,
            QStringLiteral("hidden")};
    }
    std::unique_ptr<NeuralRecommender> model(new NeuralRecommender(params, data.catalogue.size()));
    const nn::Examples train = examples(data, SplitPart::Train, params.context);
    const nn::Examples validation = examples(data, SplitPart::Validation, params.context);
    if (train.size() == 0 || validation.size() == 0)
        return Error{ErrorCode::InputRejected,
                     Tr::tr("the %1 split has no case whose next item is in the training catalogue")
                         .arg(splitPartKey(train.size() == 0 ? SplitPart::Train : SplitPart::Validation)),
                     {},
                     0,
                     0,
                     {}};
    nn::SoftmaxCrossEntropy loss(std::vector<float>{}); // unweighted
    nn::TrainInput input;
    input.network = &model->m_network;
    input.loss = &loss;
    input.train = &train;
    input.validation = &validation;
    input.onEpoch = onEpoch;
    HitRateMetric hitRate(20);
    input.metric = &hitRate;
    auto fit = nn::train(input, params.train, progress, cancel);
    if (!fit)
        return fit.error();
    report = std::move(fit.value());
    return model;
}

Result<std::unique_ptr<NeuralRecommender>> NeuralRecommender::load(const TensorPack& pack,
                                                                   const NeuralRecommenderParams& params,
                                                                   std::uint32_t catalogueSize)
{
    std::unique_ptr<NeuralRecommender> model(new NeuralRecommender(params, catalogueSize));
    if (Status s = model->m_network.loadParameters(pack.floats); !s)
        return s.error();
    return model;
}

TensorPack NeuralRecommender::save() const
{
    TensorPack pack;
    pack.floats = m_network.saveParameters();
    return pack;
}

void NeuralRecommender::score(const std::uint32_t* begin, const std::uint32_t* end, float* scores) const
{
    nn::IdMatrix ids(1, m_params.context);
    contextRow(begin, end, m_params.context, ids.data());
    const std::lock_guard lock(m_mutex);
    const nn::Matrix& logits = m_network.forward(ids);
    std::copy(logits.data(), logits.data() + m_catalogueSize, scores);
}

} // namespace swb
