#pragma once

#include "layer.h"

namespace swb::nn {

// Element-wise nonlinearity; keeps its output, from which each derivative follows:
// sigmoid' = y(1 − y), tanh' = 1 − y², relu' = [y > 0] (0 at the kink).
class Activation final : public Layer
{
public:
    enum class Function
    {
        Sigmoid,
        Tanh,
        Relu,
    };

    explicit Activation(Function function);

    Function function() const { return m_function; }
    QString kind() const override;
    Index inputWidth() const override { return -1; }
    Index outputWidth(Index input) const override { return input; }
    const Matrix& forward(const Matrix& input) override;
    const Matrix& backward(const Matrix& gradOutput, bool needInputGradient) override;

private:
    Function m_function;
    Matrix m_output;
    Matrix m_inputGrad;
};

} // namespace swb::nn
