#pragma once

#include "tensor.h"

#include "core/util/result.h"

#include <span>
#include <vector>

namespace swb::nn {

class ThreadTeam;

// The targets of a batch (or of a whole set), matching the rows of the logits.
struct TargetView
{
    std::span<const std::uint32_t> classes; // one class index per row (softmax cross-entropy)
    const Matrix* values = nullptr;         // n × k target values (binary cross-entropy, MSE)
};

enum class TargetKind
{
    Classes,
    Values,
};

// A batch's loss: the mean, and the total weight it is the mean over, so means of batches of
// different sizes (or class weights) combine exactly: Σ mean·weight / Σ weight.
struct LossValue
{
    double mean = 0;
    double weight = 0;
};

// A loss on the raw outputs of the last layer (logits: no softmax or sigmoid layer before it; the
// loss applies it, which is what makes it numerically stable).
class Loss
{
public:
    virtual ~Loss() = default;
    virtual QString name() const = 0;
    virtual TargetKind targetKind() const = 0;
    // Checks targets (rows of them, for a network with `outputs` outputs) and the loss's own
    // settings before training; the error names the offending field.
    virtual Status checkTargets(const TargetView& targets, Index rows, Index outputs) const = 0;
    // Mean loss over the n rows of logits (n × k). When grad is not null it becomes
    // d(mean loss)/d(logits), n × k (resized only when the shape changes).
    virtual LossValue evaluate(const Matrix& logits, const TargetView& targets, Matrix* grad) = 0;
    // Team for large batches (a softmax over 20,000 items); null runs on the calling thread.
    void setThreadTeam(ThreadTeam* team) { m_team = team; }

protected:
    ThreadTeam* m_team = nullptr;
    std::vector<double> m_rowLoss; // per-row terms, summed in row order so any split gives one sum
};

// Softmax cross-entropy over k classes: loss_i = logsumexp(x_i) − x_i[y_i], computed as
// max + log Σ exp(x − max) so no exponent overflows. With class weights w (PyTorch's
// CrossEntropyLoss(weight=w) definition): mean = Σ w[y_i]·loss_i / Σ w[y_i], gradient
// w[y_i]·(softmax(x_i) − onehot(y_i)) / Σ w[y_i]. Cost O(n·k) with k exponentials per row.
class SoftmaxCrossEntropy final : public Loss
{
public:
    SoftmaxCrossEntropy() = default;
    // One weight ≥ 0 per class (e.g. inverse frequencies for imbalanced classes).
    explicit SoftmaxCrossEntropy(std::vector<float> classWeights);

    QString name() const override;
    TargetKind targetKind() const override { return TargetKind::Classes; }
    Status checkTargets(const TargetView& targets, Index rows, Index outputs) const override;
    LossValue evaluate(const Matrix& logits, const TargetView& targets, Matrix* grad) override;

private:
    std::vector<float> m_classWeights; // empty: all 1
};

// Binary cross-entropy on logits (PyTorch's BCEWithLogitsLoss(pos_weight=p)), element-wise over
// n × k targets in [0, 1]: loss = −[p·y·log σ(x) + (1 − y)·log(1 − σ(x))]
//                               = (1 − y)·x + (1 + (p − 1)·y)·softplus(−x),
// softplus(z) = max(z, 0) + log1p(exp(−|z|)), finite for every finite x. The mean is over all n·k
// elements; the gradient is ((1 − y)·σ(x) − p·y·σ(−x)) / (n·k). p > 1 counts positives more.
class BinaryCrossEntropy final : public Loss
{
public:
    explicit BinaryCrossEntropy(float positiveWeight = 1.0f);

    QString name() const override;
    TargetKind targetKind() const override { return TargetKind::Values; }
    Status checkTargets(const TargetView& targets, Index rows, Index outputs) const override;
    LossValue evaluate(const Matrix& logits, const TargetView& targets, Matrix* grad) override;

private:
    float m_positiveWeight;
};

// Mean squared error over all n·k elements: Σ (x − y)² / (n·k), gradient 2(x − y) / (n·k).
class MeanSquaredError final : public Loss
{
public:
    QString name() const override;
    TargetKind targetKind() const override { return TargetKind::Values; }
    Status checkTargets(const TargetView& targets, Index rows, Index outputs) const override;
    LossValue evaluate(const Matrix& logits, const TargetView& targets, Matrix* grad) override;
};

} // namespace swb::nn
