#include "activation.h"

#include "kernels.h"
#include "product.h"

#include <stdexcept>

namespace swb::nn {

Activation::Activation(Function function) : m_function(function) {}

QString Activation::kind() const
{
    switch (m_function) {
    case Function::Sigmoid:
        return QStringLiteral("sigmoid");
    case Function::Tanh:
        return QStringLiteral("tanh");
    case Function::Relu:
        return QStringLiteral("relu");
    }
    return {};
}

const Matrix& Activation::forward(const Matrix& input)
{
    m_output.resize(input.rows(), input.cols());
    forEachRow(m_team, input.rows(), input.cols(), [&](Index i) {
        const auto x = input.row(i).array();
        auto y = m_output.row(i).array();
        switch (m_function) {
        case Function::Sigmoid:
            y = x.logistic(); // saturates to 0 or 1 without overflow for any finite x
            break;
        case Function::Tanh:
            y = x.tanh();
            break;
        case Function::Relu:
            y = x.max(0.0f);
            break;
        }
    });
    return m_output;
}

const Matrix& Activation::backward(const Matrix& gradOutput, bool needInputGradient)
{
    if (gradOutput.rows() != m_output.rows() || gradOutput.cols() != m_output.cols())
        throw std::invalid_argument("Activation::backward: gradient does not match the last forward()");
    if (!needInputGradient) {
        m_inputGrad.resize(0, 0);
        return m_inputGrad;
    }
    m_inputGrad.resize(gradOutput.rows(), gradOutput.cols());
    // Only exact IEEE operations here, so any cut of the elements gives the same bits.
    forEachRange(m_team, gradOutput.size(), [&](Index begin, Index end) {
        using ConstArrayMap = Eigen::Map<const Eigen::ArrayXf>;
        const Index n = end - begin;
        const ConstArrayMap g(gradOutput.data() + begin, n);
        const ConstArrayMap y(m_output.data() + begin, n);
        Eigen::Map<Eigen::ArrayXf> dx(m_inputGrad.data() + begin, n);
        switch (m_function) {
        case Function::Sigmoid:
            dx = g * y * (1.0f - y);
            break;
        case Function::Tanh:
            dx = g * (1.0f - y.square());
            break;
        case Function::Relu:
            passWherePositive(y.data(), g.data(), dx.data(), n);
            break;
        }
    });
    return m_inputGrad;
}

} // namespace swb::nn
