#pragma once

#include "loss.h"

namespace swb::nn {

// A validation metric computed batch by batch over a set (so a softmax over 20,000 items never has
// to hold the logits of the whole set). Early stopping keeps the epoch with the best value.
class Metric
{
public:
    virtual ~Metric() = default;
    virtual QString name() const = 0;
    virtual bool higherIsBetter() const = 0;
    virtual void reset() = 0;
    // logits: n × k network outputs of one batch; targets: that batch's targets.
    virtual void add(const Matrix& logits, const TargetView& targets) = 0;
    virtual double value() const = 0;
};

// Share of cases predicted right. Class targets: the arg-max logit (first on ties) is the
// prediction. Value targets (binary, one column per label): a logit above 0 (probability above
// 0.5) predicts 1, compared with a target of at least 0.5; every column counts as a case.
class AccuracyMetric final : public Metric
{
public:
    QString name() const override;
    bool higherIsBetter() const override { return true; }
    void reset() override;
    void add(const Matrix& logits, const TargetView& targets) override;
    double value() const override;

private:
    double m_correct = 0;
    double m_count = 0;
};

} // namespace swb::nn
