#pragma once

#include "layer.h"
#include "product.h"

namespace swb::nn {

// Fully connected layer: Y = X·W + 1·b with W d_in × d_out and b 1 × d_out.
// Cost per batch of n: forward 2·n·d_in·d_out flops, backward twice that (dW = Xᵀ·G, dX = G·Wᵀ).
class Dense final : public Layer
{
public:
    enum class Init
    {
        Auto,   // He when a ReLU follows, Xavier otherwise
        Xavier, // Glorot uniform: U(±sqrt(6 / (d_in + d_out))), for tanh/sigmoid/linear outputs
        He,     // He uniform: U(±sqrt(6 / d_in)), keeps the variance through ReLUs
    };

    // Zero sizes are accepted here and refused by Sequential::validate() with a message.
    Dense(Index inputs, Index outputs, Init init = Init::Auto);

    QString kind() const override;
    Index inputWidth() const override { return m_weights.rows(); }
    Index outputWidth(Index) const override { return m_weights.cols(); }
    std::vector<Parameter> parameters(const QString& prefix) override;
    void initialize(SplitMix64& rng, bool reluFollows) override;
    const Matrix& forward(const Matrix& input) override;
    const Matrix& backward(const Matrix& gradOutput, bool needInputGradient) override;

    Matrix& weights() { return m_weights; }
    Matrix& bias() { return m_bias; }
    const Matrix& weightGradient() const { return m_weightGrad; }
    const Matrix& biasGradient() const { return m_biasGrad; }

private:
    Init m_init;
    Matrix m_weights;    // d_in × d_out
    Matrix m_bias;       // 1 × d_out
    Matrix m_weightGrad; // d_in × d_out
    Matrix m_biasGrad;   // 1 × d_out
    const Matrix* m_input = nullptr;
    Matrix m_output;
    Matrix m_inputGrad;
    ProductScratch m_scratch;
};

} // namespace swb::nn
