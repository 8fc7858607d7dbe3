#include "sequential.h"

#include "activation.h"
#include "random.h"

#include <QCoreApplication>

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace swb::nn {

namespace {
// Translation context of this file's messages (lupdate reads the macro).
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(swb::nn::Sequential)
};

Error invalid(const QString& field, const QString& message)
{
    return Error{ErrorCode::InvalidArgument, message, {}, 0, 0, field};
}

Error corrupt(const QString& field, const QString& message)
{
    return Error{ErrorCode::Corrupt, message, {}, 0, 0, field};
}

QString layerField(int i)
{
    return QStringLiteral("layers[%1]").arg(i);
}

bool isRelu(const Layer& layer)
{
    const auto* activation = dynamic_cast<const Activation*>(&layer);
    return activation && activation->function() == Activation::Function::Relu;
}
} // namespace

Sequential::Sequential() = default;
Sequential::~Sequential() = default;
Sequential::Sequential(Sequential&&) noexcept = default;
Sequential& Sequential::operator=(Sequential&&) noexcept = default;

Embedding& Sequential::setEmbedding(std::unique_ptr<Embedding> embedding)
{
    m_embedding = std::move(embedding);
    m_embedding->setThreadTeam(m_team);
    return *m_embedding;
}

Layer& Sequential::add(std::unique_ptr<Layer> layer)
{
    layer->setThreadTeam(m_team);
    m_layers.push_back(std::move(layer));
    return *m_layers.back();
}

Index Sequential::inputWidth() const
{
    if (m_embedding)
        return m_embedding->contextLength();
    for (const auto& layer : m_layers)
        if (layer->inputWidth() >= 0)
            return layer->inputWidth();
    return -1;
}

Index Sequential::outputWidth() const
{
    Index width = m_embedding ? m_embedding->outputWidth() : -1;
    for (const auto& layer : m_layers)
        width = layer->inputWidth() >= 0 || width >= 0 ? layer->outputWidth(width) : -1;
    return width;
}

Status Sequential::validate() const
{
    if (m_layers.empty() && !m_embedding)
        return invalid(QStringLiteral("layers"), Tr::tr("The network has no layers."));
    Index width = -1;
    if (m_embedding) {
        if (m_embedding->vocabulary() <= 0 || m_embedding->dimension() <= 0 ||
            m_embedding->contextLength() <= 0)
            return invalid(QStringLiteral("embedding"),
                           Tr::tr("The embedding needs at least one item, one dimension and one context "
                                  "position; it has %1 items, %2 dimensions and a context of %3.")
                               .arg(m_embedding->vocabulary())
                               .arg(m_embedding->dimension())
                               .arg(m_embedding->contextLength()));
        width = m_embedding->outputWidth();
    }
    for (int i = 0; i < int(m_layers.size()); ++i) {
        const Layer& layer = *m_layers[std::size_t(i)];
        const Index needs = layer.inputWidth();
        if (needs >= 0) {
            const Index out = layer.outputWidth(needs);
            if (needs == 0 || out == 0)
                return invalid(layerField(i),
                               Tr::tr("Layer %1 (%2) has %3 inputs and %4 units; every layer needs at "
                                      "least one of each.")
                                   .arg(i)
                                   .arg(layer.kind())
                                   .arg(needs)
                                   .arg(out));
            if (width >= 0 && width != needs)
                return invalid(layerField(i), Tr::tr("Layer %1 (%2) takes %3 inputs but receives %4.")
                                                  .arg(i)
                                                  .arg(layer.kind())
                                                  .arg(needs)
                                                  .arg(width));
            width = out;
        } else if (width < 0) {
            return invalid(layerField(i), Tr::tr("Layer %1 (%2) cannot come first: it does not fix the "
                                                 "number of inputs.")
                                              .arg(i)
                                              .arg(layer.kind()));
        }
    }
    return {};
}

void Sequential::initialize(std::uint64_t seed)
{
    if (m_embedding) {
        SplitMix64 rng = SplitMix64::stream(seed, 0);
        m_embedding->initialize(rng, false);
    }
    for (std::size_t i = 0; i < m_layers.size(); ++i) {
        SplitMix64 rng = SplitMix64::stream(seed, i + 1);
        const bool reluFollows = i + 1 < m_layers.size() && isRelu(*m_layers[i + 1]);
        m_layers[i]->initialize(rng, reluFollows);
    }
}

Index Sequential::parameterCount() const
{
    Index count = 0;
    for (const Parameter& p : readParameters())
        count += p.value->size();
    return count;
}

std::vector<Parameter> Sequential::parameters()
{
    std::vector<Parameter> all;
    if (m_embedding)
        all = m_embedding->parameters(QStringLiteral("embedding"));
    for (std::size_t i = 0; i < m_layers.size(); ++i)
        for (Parameter& p : m_layers[i]->parameters(QString::number(i)))
            all.push_back(std::move(p));
    return all;
}

std::vector<Parameter> Sequential::readParameters() const
{
    // parameters() is non-const only because it hands out writable pointers; callers of this one
    // only read through them.
    return const_cast<Sequential*>(this)->parameters();
}

const Matrix& Sequential::forwardLayers(const Matrix& input)
{
    const Matrix* x = &input;
    for (const auto& layer : m_layers)
        x = &layer->forward(*x);
    return *x;
}

const Matrix& Sequential::forward(const Matrix& features)
{
    if (m_embedding)
        throw std::logic_error("Sequential::forward: this network takes ids");
    return forwardLayers(features);
}

const Matrix& Sequential::forward(const IdMatrix& ids)
{
    if (!m_embedding)
        throw std::logic_error("Sequential::forward: this network takes features, not ids");
    return forwardLayers(m_embedding->forward(ids));
}

void Sequential::backward(const Matrix& gradOutput)
{
    const Matrix* grad = &gradOutput;
    for (std::size_t i = m_layers.size(); i-- > 0;) {
        // The first layer's input gradient is only needed when an embedding is below it.
        const bool needInput = i > 0 || m_embedding;
        grad = &m_layers[i]->backward(*grad, needInput);
    }
    if (m_embedding)
        m_embedding->backward(*grad);
}

std::vector<NamedTensor> Sequential::saveParameters() const
{
    std::vector<NamedTensor> tensors;
    for (const Parameter& p : readParameters()) {
        NamedTensor t{p.name, p.value->rows(), p.value->cols(), {}};
        t.values.assign(p.value->data(), p.value->data() + p.value->size());
        tensors.push_back(std::move(t));
    }
    return tensors;
}

Status Sequential::loadParameters(const std::vector<NamedTensor>& tensors)
{
    const std::vector<Parameter> params = parameters();
    std::vector<const NamedTensor*> source(params.size(), nullptr);
    for (const NamedTensor& t : tensors) {
        const auto it =
            std::find_if(params.begin(), params.end(), [&](const Parameter& p) { return p.name == t.name; });
        if (it == params.end())
            return corrupt(
                t.name,
                Tr::tr("The saved weights contain a tensor \"%1\" this network does not have.").arg(t.name));
        const std::size_t i = std::size_t(it - params.begin());
        if (source[i])
            return corrupt(t.name, Tr::tr("The saved weights contain \"%1\" twice.").arg(t.name));
        if (t.rows != it->value->rows() || t.cols != it->value->cols() ||
            Index(t.values.size()) != t.rows * t.cols)
            return corrupt(t.name, Tr::tr("The saved tensor \"%1\" is %2 × %3 with %4 values; this network "
                                          "needs %5 × %6.")
                                       .arg(t.name)
                                       .arg(t.rows)
                                       .arg(t.cols)
                                       .arg(t.values.size())
                                       .arg(it->value->rows())
                                       .arg(it->value->cols()));
        source[i] = &t;
    }
    for (std::size_t i = 0; i < params.size(); ++i)
        if (!source[i])
            return corrupt(params[i].name,
                           Tr::tr("The saved weights have no tensor \"%1\".").arg(params[i].name));
    for (std::size_t i = 0; i < params.size(); ++i)
        if (!source[i]->values.empty())
            std::memcpy(params[i].value->data(), source[i]->values.data(),
                        source[i]->values.size() * sizeof(float));
    return {};
}

void Sequential::setThreadTeam(ThreadTeam* team)
{
    m_team = team;
    if (m_embedding)
        m_embedding->setThreadTeam(team);
    for (const auto& layer : m_layers)
        layer->setThreadTeam(team);
}

} // namespace swb::nn
