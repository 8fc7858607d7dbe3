#include "metric.h"

namespace swb::nn {

QString AccuracyMetric::name() const
{
    return QStringLiteral("accuracy");
}

void AccuracyMetric::reset()
{
    m_correct = 0;
    m_count = 0;
}

void AccuracyMetric::add(const Matrix& logits, const TargetView& targets)
{
    if (targets.values) {
        const Matrix& values = *targets.values;
        for (Index i = 0; i < logits.rows(); ++i)
            for (Index j = 0; j < logits.cols(); ++j)
                m_correct += (logits(i, j) > 0.0f) == (values(i, j) >= 0.5f) ? 1 : 0;
        m_count += double(logits.rows()) * double(logits.cols());
        return;
    }
    for (Index i = 0; i < logits.rows(); ++i) {
        Index best = 0;
        logits.row(i).maxCoeff(&best);
        m_correct += std::uint32_t(best) == targets.classes[std::size_t(i)] ? 1 : 0;
    }
    m_count += double(logits.rows());
}

double AccuracyMetric::value() const
{
    return m_count > 0 ? m_correct / m_count : 0.0;
}

} // namespace swb::nn
