#pragma once

#include "core/models/nn/metric.h"

#include <cstdint>
#include <vector>

// The validation metrics the networks stop early on, one per task, each the figure an analyst
// judges that task by (the validation loss weighs every case, which is not what the task is
// about): macro-F1 for the imbalanced scene recognition, ROC-AUC for the purchase model (its
// threshold is tuned afterwards), HR@20 for the next-item model. All higher-is-better.
namespace swb {

// Macro-averaged F1 over `classes` classes from the arg-max of each row (first on ties), as
// sklearn's f1_score(average="macro", zero_division=0) over all classes.
class MacroF1Metric final : public nn::Metric
{
public:
    explicit MacroF1Metric(int classes);
    QString name() const override;
    bool higherIsBetter() const override { return true; }
    void reset() override;
    void add(const nn::Matrix& logits, const nn::TargetView& targets) override;
    double value() const override;

private:
    std::vector<double> m_tp, m_fp, m_fn;
};

// ROC-AUC of a single-logit binary model (the logit ranks cases as its sigmoid does). Needs both
// classes in the validation targets; use hasBothClasses() before choosing it.
class RocAucMetric final : public nn::Metric
{
public:
    QString name() const override;
    bool higherIsBetter() const override { return true; }
    void reset() override;
    void add(const nn::Matrix& logits, const nn::TargetView& targets) override;
    double value() const override;

    static bool hasBothClasses(const nn::Matrix& targets);

private:
    std::vector<int> m_truth;
    std::vector<double> m_scores;
};

// Share of cases whose target ranks within the first k of the row's logits, ties broken as
// rankOf() does (the lower item index first), i.e. HR@k over the whole catalogue.
class HitRateMetric final : public nn::Metric
{
public:
    explicit HitRateMetric(std::uint32_t k) : m_k(k) {}
    QString name() const override;
    bool higherIsBetter() const override { return true; }
    void reset() override;
    void add(const nn::Matrix& logits, const nn::TargetView& targets) override;
    double value() const override;

private:
    std::uint32_t m_k;
    double m_hits = 0;
    double m_count = 0;
};

} // namespace swb
