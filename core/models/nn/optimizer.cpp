#include "optimizer.h"

#include "product.h"

#include <cmath>
#include <stdexcept>

namespace swb::nn {

namespace {
using ArrayMap = Eigen::Map<Eigen::ArrayXf>;

// Calls update(value, grad, stateIndex) on flat runs of parameter p: the touched rows of a sparse
// parameter one by one, or the whole tensor split into ranges. All updates are element-wise IEEE
// arithmetic (+, ×, ÷, sqrt), so any split gives the same bits.
template <typename Update> void forEachRun(ThreadTeam* team, const Parameter& p, Update&& update)
{
    float* value = p.value->data();
    const float* grad = p.grad->data();
    if (p.rows) {
        const Index width = p.value->cols();
        for (const std::uint32_t row : *p.rows) {
            const Index offset = Index(row) * width;
            update(offset, width, value, grad);
        }
        return;
    }
    forEachRange(
        team, p.value->size(), [&](Index begin, Index end) { update(begin, end - begin, value, grad); }, 4);
}
} // namespace

void Optimizer::prepareState(std::vector<Matrix>& state, const std::vector<Parameter>& params)
{
    if (state.empty()) {
        state.reserve(params.size());
        for (const Parameter& p : params)
            state.push_back(Matrix::Zero(p.value->rows(), p.value->cols()));
        return;
    }
    if (state.size() != params.size())
        throw std::logic_error("Optimizer::step: the parameter list changed between steps");
    for (std::size_t i = 0; i < params.size(); ++i)
        if (state[i].rows() != params[i].value->rows() || state[i].cols() != params[i].value->cols())
            throw std::logic_error("Optimizer::step: a parameter changed shape between steps");
}

Sgd::Sgd(SgdParams params) : m_params(params) {}

void Sgd::reset()
{
    m_velocity.clear();
}

void Sgd::step(const std::vector<Parameter>& params)
{
    const bool momentum = m_params.momentum != 0.0f;
    if (momentum)
        prepareState(m_velocity, params);
    const float lr = m_params.lr;
    const float mu = m_params.momentum;
    for (std::size_t i = 0; i < params.size(); ++i) {
        const Parameter& p = params[i];
        const float l2 = p.decay ? m_params.l2 : 0.0f;
        float* velocity = momentum ? m_velocity[i].data() : nullptr;
        forEachRun(m_team, p, [&](Index offset, Index length, float* value, const float* grad) {
            ArrayMap w(value + offset, length);
            const auto g = Eigen::Map<const Eigen::ArrayXf>(grad + offset, length) + l2 * w;
            if (!velocity) {
                w -= lr * g;
                return;
            }
            ArrayMap v(velocity + offset, length);
            v = mu * v + g;
            w -= lr * v;
        });
    }
}

Adam::Adam(AdamParams params) : m_params(params) {}

void Adam::reset()
{
    m_steps = 0;
    m_first.clear();
    m_second.clear();
}

void Adam::step(const std::vector<Parameter>& params)
{
    prepareState(m_first, params);
    prepareState(m_second, params);
    ++m_steps;
    const double correction1 = 1.0 - std::pow(double(m_params.beta1), double(m_steps));
    const double correction2 = 1.0 - std::pow(double(m_params.beta2), double(m_steps));
    const float stepSize = float(double(m_params.lr) / correction1);
    const float rootCorrection2 = float(std::sqrt(correction2));
    const float beta1 = m_params.beta1;
    const float beta2 = m_params.beta2;
    const float eps = m_params.eps;
    for (std::size_t i = 0; i < params.size(); ++i) {
        const Parameter& p = params[i];
        const float l2 = p.decay ? m_params.l2 : 0.0f;
        float* first = m_first[i].data();
        float* second = m_second[i].data();
        forEachRun(m_team, p, [&](Index offset, Index length, float* value, const float* grad) {
            ArrayMap w(value + offset, length);
            ArrayMap m(first + offset, length);
            ArrayMap v(second + offset, length);
            const auto g = Eigen::Map<const Eigen::ArrayXf>(grad + offset, length) + l2 * w;
            m = beta1 * m + (1.0f - beta1) * g;
            v = beta2 * v + (1.0f - beta2) * g.square();
            w -= stepSize * m / (v.sqrt() / rootCorrection2 + eps);
        });
    }
}

} // namespace swb::nn
