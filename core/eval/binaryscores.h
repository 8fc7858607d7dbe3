#pragma once

#include "core/eval/classification.h"
#include "core/util/result.h"

#include <QStringList>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace swb {

// ROC points as sklearn.metrics.roc_curve of scikit-learn 1.2 returns them: one point per distinct
// score (ties form one point), in order of decreasing threshold, starting at (0, 0) whose threshold
// is the highest score + 1 (scikit-learn 1.3 and later write +inf there instead). All three vectors
// have the same length. A case is predicted positive when its score >= threshold.
struct RocCurve
{
    std::vector<double> fpr;
    std::vector<double> tpr;
    std::vector<double> thresholds;
};

// As sklearn.metrics.precision_recall_curve: thresholds ascending, one per distinct score;
// precision and recall have one more entry, the final point (recall 0, precision 1) that has no
// threshold.
struct PrCurve
{
    std::vector<double> precision;
    std::vector<double> recall;
    std::vector<double> thresholds;
};

// The binary confusion and the positive class's scores when score >= threshold means positive.
struct ThresholdMetrics
{
    double threshold = 0.0;
    std::int64_t tp = 0;
    std::int64_t fp = 0;
    std::int64_t fn = 0;
    std::int64_t tn = 0;
    double precision = 0.0; // of the positive class; 0 when nothing is predicted positive
    double recall = 0.0;    // 0 when no case is positive
    double f1 = 0.0;
    double accuracy = 0.0;
};

// A binary task's true classes and scores (class 1 is positive; a score is usually the probability
// of class 1, but any finite number works except for log loss), reduced once to the cumulative
// counts at each distinct score. Building it sorts: O(n log n) time, 8n bytes while building and 16
// bytes per distinct score after; every curve and metric after that is O(distinct scores), and a
// single threshold's metrics O(log n), fast enough for a threshold slider. Fewer than 2^31 cases.
class BinaryScores
{
public:
    // Fails (InvalidArgument) on no cases, mismatched lengths, a class other than 0 or 1, or a score
    // that is not finite.
    static Result<BinaryScores> create(std::span<const int> yTrue, std::span<const double> scores);

    std::int64_t cases() const { return m_positives + m_negatives; }
    std::int64_t positives() const { return m_positives; }
    std::int64_t negatives() const { return m_negatives; }
    std::size_t distinctScores() const { return m_scores.size(); }

    // dropIntermediate as in sklearn (its default, true): leaves out points whose neighbours on
    // both sides lie on the same straight, evenly spaced line, which changes neither the drawing
    // nor the area. Fails when the cases hold one class only.
    Result<RocCurve> rocCurve(bool dropIntermediate = true) const;
    // Trapezoid area under the ROC curve, as sklearn.metrics.roc_auc_score; computed exactly in
    // integers and divided once. Fails (with a message for the user) when the cases hold one class
    // only: the area is undefined then, not 0.5 and not NaN.
    Result<double> rocAuc() const;
    // Fails when no case is positive (sklearn warns and sets recall to 1 everywhere then).
    Result<PrCurve> precisionRecallCurve() const;
    // Step-wise, as sklearn.metrics.average_precision_score: sum over distinct thresholds of
    // (R_k - R_k-1) P_k, no interpolation. Fails when no case is positive (sklearn returns 0 with a
    // warning; we refuse, as recall is undefined).
    Result<double> averagePrecision() const;
    // As binaryLogLoss(); nullopt when a score lies outside [0, 1] (scores are not probabilities).
    std::optional<double> logLoss() const { return m_logLoss; }

    // Any threshold, also one between or beyond the observed scores. NaN predicts nothing positive.
    ThresholdMetrics atThreshold(double threshold) const;
    // The observed score whose threshold gives the highest F1 of the positive class, for tuning on
    // validation data. Ties: the highest such threshold (the fewest positive predictions) wins, with
    // F1 compared exactly as the fraction 2tp / (2tp + fp + fn). Fails when no case is positive.
    Result<ThresholdMetrics> bestF1Threshold() const;

    // The full report with hard predictions score >= threshold; labels names classes 0 and 1. Metrics
    // that are undefined are left empty with the reason in notes. Fails unless labels has 2 names.
    Result<ClassificationReport> report(double threshold, const QStringList& labels) const;

private:
    BinaryScores() = default;
    // Counts of cases with score >= m_scores[i]; m_scores distinct and descending.
    std::vector<double> m_scores;
    std::vector<std::uint32_t> m_tps;
    std::vector<std::uint32_t> m_fps;
    std::int64_t m_positives = 0;
    std::int64_t m_negatives = 0;
    std::optional<double> m_logLoss;
};

// Curves for charts: sklearn's curves can have one point per case, a chart needs no more than
// about this many.
inline constexpr std::size_t kChartPoints = 2000;

// Indices of at most maxPoints (at least 2) points of the polyline (x[i], y[i]), first and last
// always included, about evenly spaced along its length (step = length / (maxPoints - 2)), so
// dense stretches are thinned and sparse corners kept: no left-out point is farther than one step
// from the kept ones (for a ROC curve, length <= 2). All indices when there are no more than
// maxPoints. O(n).
std::vector<std::size_t> decimationIndices(std::span<const double> x, std::span<const double> y,
                                           std::size_t maxPoints = kChartPoints);
RocCurve decimated(const RocCurve& curve, std::size_t maxPoints = kChartPoints);
// Keeps the layout: one threshold fewer than points.
PrCurve decimated(const PrCurve& curve, std::size_t maxPoints = kChartPoints);

} // namespace swb
