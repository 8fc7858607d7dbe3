#pragma once

#include "tensor.h"

#include <cstdint>
#include <vector>

namespace swb::nn {

class SplitMix64;
class ThreadTeam;

// One trainable tensor of a network, as an optimiser sees it. value and grad have the same shape;
// grad holds d(mean batch loss)/d(value) after the last backward().
struct Parameter
{
    QString name; // unique in a network, e.g. "2.weight"
    Matrix* value = nullptr;
    Matrix* grad = nullptr;
    bool decay = true; // L2 weight decay applies (weights and embeddings, not biases)
    // Sparse gradient (embedding tables): when set, only these rows of grad are valid this step,
    // sorted ascending; the other rows are stale and must not be read.
    const std::vector<std::uint32_t>* rows = nullptr;
};

// Anything that owns parameters.
class Module
{
public:
    virtual ~Module() = default;
    // Short lowercase kind for messages and names: "dense", "relu", "embedding", ...
    virtual QString kind() const = 0;
    // Parameters with their gradients; pointers stay valid for the module's lifetime.
    virtual std::vector<Parameter> parameters(const QString& /*prefix*/) { return {}; }
    // Draws fresh initial values. reluFollows: the next layer is a ReLU (He initialisation).
    virtual void initialize(SplitMix64& /*rng*/, bool /*reluFollows*/) {}
    // Team for large products and row loops; null runs everything on the calling thread.
    void setThreadTeam(ThreadTeam* team) { m_team = team; }

protected:
    ThreadTeam* m_team = nullptr;
};

// A layer of a Sequential network on float input: n × inputWidth → n × outputWidth.
//
// forward() keeps what backward() needs (a pointer to the input or its own output), so the input
// passed to forward() must stay alive and unchanged until backward(). Buffers are reallocated only
// when the batch shape changes (the shorter last batch of an epoch); the steady state allocates
// nothing.
class Layer : public Module
{
public:
    // Width of the input this layer needs, or -1 when it takes any width (activations).
    virtual Index inputWidth() const = 0;
    // Width of the output for an input of width `input`.
    virtual Index outputWidth(Index input) const = 0;
    // Returns the n × outputWidth output; the reference stays valid until the next forward().
    virtual const Matrix& forward(const Matrix& input) = 0;
    // gradOutput: d(loss)/d(output) of the last forward(), n × outputWidth. Writes (does not add)
    // the parameter gradients. Returns d(loss)/d(input) when needInputGradient, else an empty matrix
    // (the first layer of a network does not need it, which saves a product).
    virtual const Matrix& backward(const Matrix& gradOutput, bool needInputGradient) = 0;
};

} // namespace swb::nn
