#include "validationmetrics.h"

#include "core/eval/binaryscores.h"
#include "core/models/recommender.h"

#include <cmath>
#include <limits>

namespace swb {

MacroF1Metric::MacroF1Metric(int classes)
    : m_tp(std::size_t(classes)), m_fp(std::size_t(classes)), m_fn(std::size_t(classes))
{}

QString MacroF1Metric::name() const
{
    return QStringLiteral("macro_f1");
}

void MacroF1Metric::reset()
{
    std::fill(m_tp.begin(), m_tp.end(), 0.0);
    std::fill(m_fp.begin(), m_fp.end(), 0.0);
    std::fill(m_fn.begin(), m_fn.end(), 0.0);
}

void MacroF1Metric::add(const nn::Matrix& logits, const nn::TargetView& targets)
{
    for (nn::Index i = 0; i < logits.rows(); ++i) {
        nn::Index best = 0;
        logits.row(i).maxCoeff(&best);
        const std::size_t predicted = std::size_t(best);
        const std::size_t truth = targets.classes[std::size_t(i)];
        if (predicted == truth) {
            m_tp[truth] += 1;
        } else {
            m_fp[predicted] += 1;
            m_fn[truth] += 1;
        }
    }
}

double MacroF1Metric::value() const
{
    if (m_tp.empty())
        return 0.0;
    double sum = 0;
    for (std::size_t c = 0; c < m_tp.size(); ++c) {
        const double denominator = 2 * m_tp[c] + m_fp[c] + m_fn[c];
        sum += denominator > 0 ? 2 * m_tp[c] / denominator : 0.0;
    }
    return sum / double(m_tp.size());
}

QString RocAucMetric::name() const
{
    return QStringLiteral("roc_auc");
}

void RocAucMetric::reset()
{
    m_truth.clear();
    m_scores.clear();
}

void RocAucMetric::add(const nn::Matrix& logits, const nn::TargetView& targets)
{
    for (nn::Index i = 0; i < logits.rows(); ++i) {
        m_truth.push_back((*targets.values)(i, 0) >= 0.5f ? 1 : 0);
        m_scores.push_back(double(logits(i, 0)));
    }
}

double RocAucMetric::value() const
{
    // A diverged network's NaN logits make the area undefined; the trainer stops on the NaN loss.
    auto scores = BinaryScores::create(m_truth, m_scores);
    if (!scores)
        return std::numeric_limits<double>::quiet_NaN();
    auto auc = scores->rocAuc();
    return auc ? *auc : std::numeric_limits<double>::quiet_NaN();
}

bool RocAucMetric::hasBothClasses(const nn::Matrix& targets)
{
    bool positive = false;
    bool negative = false;
    for (nn::Index i = 0; i < targets.rows(); ++i)
        (targets(i, 0) >= 0.5f ? positive : negative) = true;
    return positive && negative;
}

QString HitRateMetric::name() const
{
    return QStringLiteral("hr@%1").arg(m_k);
}

void HitRateMetric::reset()
{
    m_hits = 0;
    m_count = 0;
}

void HitRateMetric::add(const nn::Matrix& logits, const nn::TargetView& targets)
{
    const auto items = std::uint32_t(logits.cols());
    for (nn::Index i = 0; i < logits.rows(); ++i) {
        const std::uint32_t rank = rankOf(logits.row(i).data(), items, targets.classes[std::size_t(i)]);
        m_hits += rank <= m_k ? 1 : 0;
    }
    m_count += double(logits.rows());
}

double HitRateMetric::value() const
{
    return m_count > 0 ? m_hits / m_count : 0.0;
}

} // namespace swb
