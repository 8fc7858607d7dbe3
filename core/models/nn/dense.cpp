#include "dense.h"

#include "random.h"

#include <cmath>
#include <stdexcept>

namespace swb::nn {

Dense::Dense(Index inputs, Index outputs, Init init)
    : m_init(init), m_weights(Matrix::Zero(inputs, outputs)), m_bias(Matrix::Zero(1, outputs)),
      m_weightGrad(Matrix::Zero(inputs, outputs)), m_biasGrad(Matrix::Zero(1, outputs))
{}

QString Dense::kind() const
{
    return QStringLiteral("dense");
}

std::vector<Parameter> Dense::parameters(const QString& prefix)
{
    return {{prefix + QStringLiteral(".weight"), &m_weights, &m_weightGrad, true, nullptr},
            {prefix + QStringLiteral(".bias"), &m_bias, &m_biasGrad, false, nullptr}};
}

void Dense::initialize(SplitMix64& rng, bool reluFollows)
{
    const bool he = m_init == Init::He || (m_init == Init::Auto && reluFollows);
    const double fan = he ? double(m_weights.rows()) : double(m_weights.rows() + m_weights.cols());
    const float limit = fan > 0 ? float(std::sqrt(6.0 / fan)) : 0.0f;
    // Row by row, left to right: the draw order is part of the seed's meaning.
    for (Index i = 0; i < m_weights.rows(); ++i)
        for (Index j = 0; j < m_weights.cols(); ++j)
            m_weights(i, j) = rng.uniform(-limit, limit);
    m_bias.setZero();
}

const Matrix& Dense::forward(const Matrix& input)
{
    if (input.cols() != m_weights.rows())
        throw std::invalid_argument("Dense::forward: input width does not match the layer");
    m_input = &input;
    m_output.resize(input.rows(), m_weights.cols());
    // Start from the bias and let the product accumulate onto it: this write pass replaces the
    // zero-fill a plain assignment of a product does, so adding the bias costs nothing extra.
    m_output.rowwise() = m_bias.row(0);
    multiply(m_team, input, m_weights, m_output, m_scratch, true);
    return m_output;
}

const Matrix& Dense::backward(const Matrix& gradOutput, bool needInputGradient)
{
    if (!m_input || gradOutput.rows() != m_input->rows() || gradOutput.cols() != m_weights.cols())
        throw std::invalid_argument("Dense::backward: gradient does not match the last forward()");
    const Index n = gradOutput.rows();
    const Index outputs = gradOutput.cols();
    multiplyTransposedLeft(m_team, *m_input, gradOutput, m_weightGrad, m_scratch);
    // Column sums, rows added in order so every split of the columns gives the same bits.
    forEachRange(
        m_team, n > 0 ? outputs : 0,
        [&](Index begin, Index end) {
            auto sum = m_biasGrad.middleCols(begin, end - begin);
            sum = gradOutput.row(0).middleCols(begin, end - begin);
            for (Index i = 1; i < n; ++i)
                sum += gradOutput.row(i).middleCols(begin, end - begin);
        },
        n);
    if (n == 0)
        m_biasGrad.setZero();
    if (!needInputGradient) {
        m_inputGrad.resize(0, 0);
        return m_inputGrad;
    }
    m_inputGrad.resize(n, m_weights.rows());
    multiplyTransposedRight(m_team, gradOutput, m_weights, m_inputGrad, m_scratch);
    return m_inputGrad;
}

} // namespace swb::nn
