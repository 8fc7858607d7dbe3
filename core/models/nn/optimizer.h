#pragma once

#include "layer.h"

#include <cstdint>
#include <vector>

namespace swb::nn {

// Updates parameters from the gradients of the last backward().
//
// L2 weight decay (l2 = λ) is coupled, as PyTorch's weight_decay for SGD and Adam: λ·w is added to
// the gradient of every parameter with Parameter::decay (the gradient of (λ/2)·‖w‖²), before
// momentum or Adam's moments see it. It is not applied to biases: a bias only shifts a unit's
// operating point or a class prior and does not make the model more complex, and shrinking it
// towards 0 biases the predicted class frequencies of imbalanced tasks. (PyTorch decays every
// parameter unless given parameter groups; the benchmark uses groups to match.)
//
// Sparse parameters (embedding tables, Parameter::rows set) are updated lazily: only the rows
// touched by the batch change, including their optimiser state and their L2 term. For Adam this is
// "lazy Adam" (TensorFlow's LazyAdamOptimizer): a touched row's moments decay and absorb its
// gradient, with the bias correction of the global step count; an untouched row keeps its value and
// moments, as if the step had not happened for it. Dense Adam would instead keep moving every row
// on its old momentum, at O(vocabulary · dim) per step, and decay all moments even when an item is
// absent. Rows are independent, so the update is deterministic in any order.
class Optimizer
{
public:
    virtual ~Optimizer() = default;
    // params must be the same list (names, order, shapes) on every call; the optimiser's state is
    // allocated on the first call.
    virtual void step(const std::vector<Parameter>& params) = 0;
    // Forgets the state (moments, velocities, step count).
    virtual void reset() = 0;
    // Team for large parameters; null runs on the calling thread.
    void setThreadTeam(ThreadTeam* team) { m_team = team; }

protected:
    // Allocates zero state matrices shaped like the parameters on first use.
    static void prepareState(std::vector<Matrix>& state, const std::vector<Parameter>& params);

    ThreadTeam* m_team = nullptr;
};

struct SgdParams
{
    float lr = 0.01f;
    float momentum = 0.0f; // 0 = plain SGD; v ← μ·v + g, w ← w − lr·v (PyTorch's form)
    float l2 = 0.0f;
};

class Sgd final : public Optimizer
{
public:
    explicit Sgd(SgdParams params);
    void step(const std::vector<Parameter>& params) override;
    void reset() override;

private:
    SgdParams m_params;
    std::vector<Matrix> m_velocity;
};

struct AdamParams
{
    float lr = 1e-3f;
    float beta1 = 0.9f;
    float beta2 = 0.999f;
    float eps = 1e-8f;
    float l2 = 0.0f;
};

// Adam (Kingma and Ba 2015) with bias correction, in PyTorch's arithmetic:
// m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²;
// w ← w − (lr / (1 − β1^t)) · m / (sqrt(v) / sqrt(1 − β2^t) + eps).
class Adam final : public Optimizer
{
public:
    explicit Adam(AdamParams params);
    void step(const std::vector<Parameter>& params) override;
    void reset() override;
    std::int64_t steps() const { return m_steps; }

private:
    AdamParams m_params;
    std::int64_t m_steps = 0;
    std::vector<Matrix> m_first;
    std::vector<Matrix> m_second;
};

} // namespace swb::nn
