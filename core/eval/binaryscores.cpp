#include "binaryscores.h"

#include "compensatedsum.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>

namespace swb {

namespace {
// Translation context of this file's messages (lupdate reads the macro).
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(swb::BinaryScores)
};

Error invalid(const QString& message, const QString& field = {})
{
    return Error{ErrorCode::InvalidArgument, message, {}, 0, 0, field};
}

Error oneClassError(std::int64_t positives, std::int64_t negatives)
{
    return invalid(Tr::tr("ROC-AUC is undefined when the cases hold only one class (%1 positive, %2 "
                          "negative)")
                       .arg(positives)
                       .arg(negatives));
}

Error noPositiveError()
{
    return invalid(Tr::tr("precision-recall and average precision are undefined when no case is "
                          "positive"));
}
} // namespace

Result<BinaryScores> BinaryScores::create(std::span<const int> yTrue, std::span<const double> scores)
{
    if (yTrue.empty())
        return invalid(Tr::tr("there are no cases to evaluate"));
    // Cumulative counts are 32-bit, and the exact AUC and F1 comparisons multiply two of them.
    if (yTrue.size() >= std::size_t(std::numeric_limits<std::int32_t>::max()))
        return invalid(Tr::tr("too many cases (%1) to evaluate at once").arg(yTrue.size()));
    if (scores.size() != yTrue.size())
        return invalid(Tr::tr("there are %1 scores for %2 cases").arg(scores.size()).arg(yTrue.size()),
                       QStringLiteral("scores"));
    if (Status s = detail::checkClasses(yTrue, 2, QStringLiteral("y_true")); !s)
        return s.error();

    // Sorting the two classes' scores apart keeps the sort on plain doubles (8 bytes a case, no
    // pairs); a merge then yields each distinct score's cumulative counts.
    std::vector<double> positive, negative;
    bool probabilities = true;
    for (std::size_t i = 0; i < yTrue.size(); ++i) {
        const double s = scores[i];
        if (!std::isfinite(s))
            return invalid(Tr::tr("case %1: the score %2 is not a finite number").arg(i + 1).arg(s),
                           QStringLiteral("scores"));
        probabilities = probabilities && s >= 0.0 && s <= 1.0;
        (yTrue[i] == 1 ? positive : negative).push_back(s);
    }
    std::sort(positive.begin(), positive.end(), std::greater<>());
    std::sort(negative.begin(), negative.end(), std::greater<>());

    BinaryScores result;
    result.m_positives = std::int64_t(positive.size());
    result.m_negatives = std::int64_t(negative.size());
    std::size_t i = 0, j = 0;
    while (i < positive.size() || j < negative.size()) {
        double score;
        if (i == positive.size())
            score = negative[j];
        else if (j == negative.size())
            score = positive[i];
        else
            score = std::max(positive[i], negative[j]);
        while (i < positive.size() && positive[i] == score)
            ++i;
        while (j < negative.size() && negative[j] == score)
            ++j;
        result.m_scores.push_back(score);
        result.m_tps.push_back(std::uint32_t(i));
        result.m_fps.push_back(std::uint32_t(j));
    }
    if (probabilities) {
        Result<double> loss = binaryLogLoss(yTrue, scores);
        if (!loss)
            return loss.error();
        result.m_logLoss = *loss;
    }
    return result;
}

Result<RocCurve> BinaryScores::rocCurve(bool dropIntermediate) const
{
    if (m_positives == 0 || m_negatives == 0)
        return oneClassError(m_positives, m_negatives);
    const std::size_t m = m_scores.size();
    RocCurve curve;
    curve.fpr.push_back(0.0);
    curve.tpr.push_back(0.0);
    curve.thresholds.push_back(m_scores[0] + 1.0);
    const auto secondDifference = [](const std::vector<std::uint32_t>& v, std::size_t k) {
        return std::int64_t(v[k + 1]) - 2 * std::int64_t(v[k]) + std::int64_t(v[k - 1]);
    };
    for (std::size_t k = 0; k < m; ++k) {
        // sklearn keeps both ends and every point where the counts change their step.
        const bool keep = !dropIntermediate || m <= 2 || k == 0 || k + 1 == m ||
                          secondDifference(m_fps, k) != 0 || secondDifference(m_tps, k) != 0;
        if (!keep)
            continue;
        curve.fpr.push_back(double(m_fps[k]) / double(m_negatives));
        curve.tpr.push_back(double(m_tps[k]) / double(m_positives));
        curve.thresholds.push_back(m_scores[k]);
    }
    return curve;
}

Result<double> BinaryScores::rocAuc() const
{
    if (m_positives == 0 || m_negatives == 0)
        return oneClassError(m_positives, m_negatives);
    // Twice the area in units of (1 / N) x (1 / P): each trapezoid is dfp x (tp_prev + tp). The sum
    // is at most 2PN < 2^61 for n < 2^31, so it is exact.
    std::uint64_t twiceArea = 0;
    std::uint64_t previousFp = 0, previousTp = 0;
    for (std::size_t k = 0; k < m_scores.size(); ++k) {
        twiceArea += (m_fps[k] - previousFp) * (m_tps[k] + previousTp);
        previousFp = m_fps[k];
        previousTp = m_tps[k];
    }
    return double(twiceArea) / (2.0 * double(m_positives) * double(m_negatives));
}

Result<PrCurve> BinaryScores::precisionRecallCurve() const
{
    if (m_positives == 0)
        return noPositiveError();
    const std::size_t m = m_scores.size();
    PrCurve curve;
    curve.precision.reserve(m + 1);
    curve.recall.reserve(m + 1);
    curve.thresholds.reserve(m);
    for (std::size_t k = m; k-- > 0;) {
        curve.precision.push_back(double(m_tps[k]) / double(m_tps[k] + m_fps[k]));
        curve.recall.push_back(double(m_tps[k]) / double(m_positives));
        curve.thresholds.push_back(m_scores[k]);
    }
    curve.precision.push_back(1.0);
    curve.recall.push_back(0.0);
    return curve;
}

Result<double> BinaryScores::averagePrecision() const
{
    if (m_positives == 0)
        return noPositiveError();
    detail::CompensatedSum sum;
    std::uint32_t previousTp = 0;
    for (std::size_t k = 0; k < m_scores.size(); ++k) {
        if (m_tps[k] == previousTp)
            continue; // recall did not move: no area
        sum.add(double(m_tps[k] - previousTp) * double(m_tps[k]) / double(m_tps[k] + m_fps[k]));
        previousTp = m_tps[k];
    }
    return sum.value() / double(m_positives);
}

ThresholdMetrics BinaryScores::atThreshold(double threshold) const
{
    // Distinct scores >= threshold form a prefix of the descending list.
    const auto end = std::partition_point(m_scores.begin(), m_scores.end(),
                                          [threshold](double s) { return s >= threshold; });
    const std::size_t k = std::size_t(end - m_scores.begin());
    ThresholdMetrics t;
    t.threshold = threshold;
    t.tp = k == 0 ? 0 : m_tps[k - 1];
    t.fp = k == 0 ? 0 : m_fps[k - 1];
    t.fn = m_positives - t.tp;
    t.tn = m_negatives - t.fp;
    t.precision = t.tp + t.fp == 0 ? 0.0 : double(t.tp) / double(t.tp + t.fp);
    t.recall = m_positives == 0 ? 0.0 : double(t.tp) / double(m_positives);
    const double denominator = t.precision + t.recall;
    t.f1 = 2.0 * t.precision * t.recall / (denominator == 0.0 ? 1.0 : denominator);
    t.accuracy = double(t.tp + t.tn) / double(cases());
    return t;
}

Result<ThresholdMetrics> BinaryScores::bestF1Threshold() const
{
    if (m_positives == 0)
        return invalid(Tr::tr("no threshold can be tuned for F1 when no case is positive"));
    // F1 = 2tp / (tp + fp + P). Compared as fractions, tp_a / den_a > tp_b / den_b, in 64-bit
    // integers (each factor < 2^32): no rounding can make two equal F1 differ or two different
    // F1 equal. Scanning from the highest threshold and moving only on a strict gain keeps the
    // highest threshold among ties.
    const std::uint64_t positives = std::uint64_t(m_positives);
    std::size_t best = 0;
    for (std::size_t k = 1; k < m_scores.size(); ++k) {
        const std::uint64_t denK = m_tps[k] + m_fps[k] + positives;
        const std::uint64_t denBest = m_tps[best] + m_fps[best] + positives;
        if (std::uint64_t(m_tps[k]) * denBest > std::uint64_t(m_tps[best]) * denK)
            best = k;
    }
    return atThreshold(m_scores[best]);
}

Result<ClassificationReport> BinaryScores::report(double threshold, const QStringList& labels) const
{
    if (labels.size() != 2)
        return invalid(Tr::tr("a binary task needs 2 class labels, not %1").arg(labels.size()));
    const ThresholdMetrics t = atThreshold(threshold);
    ConfusionMatrix confusion(2);
    confusion.add(0, 0, t.tn);
    confusion.add(0, 1, t.fp);
    confusion.add(1, 0, t.fn);
    confusion.add(1, 1, t.tp);
    ClassificationReport report = classificationReport(confusion, labels);
    BinaryMetrics binary;
    binary.threshold = threshold;
    if (Result<double> auc = rocAuc())
        binary.rocAuc = *auc;
    else
        report.notes << auc.error().message;
    if (Result<double> ap = averagePrecision())
        binary.averagePrecision = *ap;
    else
        report.notes << ap.error().message;
    report.logLoss = m_logLoss;
    if (!m_logLoss)
        report.notes << Tr::tr("log loss needs probabilities, and some scores lie outside [0, 1]");
    report.binary = binary;
    return report;
}

std::vector<std::size_t> decimationIndices(std::span<const double> x, std::span<const double> y,
                                           std::size_t maxPoints)
{
    const std::size_t n = std::min(x.size(), y.size());
    maxPoints = std::max<std::size_t>(maxPoints, 2);
    std::vector<std::size_t> kept;
    if (n <= maxPoints) {
        kept.resize(n);
        std::iota(kept.begin(), kept.end(), std::size_t(0));
        return kept;
    }
    const auto segment = [&](std::size_t k) {
        return std::hypot(x[k] - x[k - 1], y[k] - y[k - 1]);
    };
    double length = 0.0;
    for (std::size_t k = 1; k < n; ++k)
        length += segment(k);
    kept.reserve(maxPoints);
    kept.push_back(0);
    // Each kept inner point is at least one step along the curve past the previous one, so there
    // are at most length / step = maxPoints - 2 of them; the size check only guards rounding.
    const double step = length / double(maxPoints - 2);
    if (length > 0.0) {
        double travelled = 0.0;
        for (std::size_t k = 1; k + 1 < n && kept.size() + 1 < maxPoints; ++k) {
            travelled += segment(k);
            if (travelled >= step) {
                kept.push_back(k);
                travelled = 0.0;
            }
        }
    }
    kept.push_back(n - 1);
    return kept;
}

namespace {
std::vector<double> pick(const std::vector<double>& values, const std::vector<std::size_t>& indices)
{
    std::vector<double> out;
    out.reserve(indices.size());
    for (std::size_t k : indices) {
        if (k < values.size())
            out.push_back(values[k]);
    }
    return out;
}
} // namespace

RocCurve decimated(const RocCurve& curve, std::size_t maxPoints)
{
    const std::vector<std::size_t> kept = decimationIndices(curve.fpr, curve.tpr, maxPoints);
    return RocCurve{pick(curve.fpr, kept), pick(curve.tpr, kept), pick(curve.thresholds, kept)};
}

PrCurve decimated(const PrCurve& curve, std::size_t maxPoints)
{
    // The last point has no threshold, and it is always kept, so pick() leaves exactly one out.
    const std::vector<std::size_t> kept = decimationIndices(curve.recall, curve.precision, maxPoints);
    return PrCurve{pick(curve.precision, kept), pick(curve.recall, kept), pick(curve.thresholds, kept)};
}

} // namespace swb
