#pragma once

#include "core/util/result.h"

#include <QJsonObject>
#include <QStringList>

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace swb {

// Classification metrics with scikit-learn's definitions: precision_recall_fscore_support with
// zero_division=0 and labels = all C classes, accuracy_score, confusion_matrix, log_loss.
//
// Classes are the integers 0..C-1 and labels[c] names class c; every class is reported, also one
// that never occurs and is never predicted (it gets 0s and still counts in the macro average).
// In a binary task class 1 is the positive class. Cases are limited to fewer than 2^31.

// Counts of (true class, predicted class); rows are true classes, columns predicted classes, as in
// sklearn.metrics.confusion_matrix.
class ConfusionMatrix
{
public:
    explicit ConfusionMatrix(int classes = 0);
    int classes() const { return m_classes; }
    std::int64_t at(int trueClass, int predictedClass) const
    {
        return m_counts[std::size_t(trueClass) * std::size_t(m_classes) + std::size_t(predictedClass)];
    }
    void add(int trueClass, int predictedClass, std::int64_t count = 1)
    {
        m_counts[std::size_t(trueClass) * std::size_t(m_classes) + std::size_t(predictedClass)] += count;
    }
    std::int64_t total() const;
    std::int64_t trueCount(int trueClass) const;           // row sum: the class's support
    std::int64_t predictedCount(int predictedClass) const; // column sum

private:
    int m_classes = 0;
    std::vector<std::int64_t> m_counts; // row-major C x C
};

struct ClassScores
{
    double precision = 0.0;
    double recall = 0.0;
    double f1 = 0.0;
    std::int64_t support = 0; // cases whose true class this is
};

// An average over classes. macro: unweighted mean of the per-class values; weighted: mean weighted
// by support; micro: from the summed counts (equals accuracy for single-label multiclass).
// F1 is averaged like precision and recall (the mean of per-class F1, not the F1 of the means).
struct AveragedScores
{
    double precision = 0.0;
    double recall = 0.0;
    double f1 = 0.0;
};

// What only a binary task with scores has.
struct BinaryMetrics
{
    double threshold = 0.5;                 // a case is predicted positive when score >= threshold
    std::optional<double> rocAuc;           // nullopt when the cases hold one class only
    std::optional<double> averagePrecision; // "pr_auc"; nullopt when no case is positive
};

struct ClassificationReport
{
    QStringList labels;
    std::int64_t cases = 0;
    double accuracy = 0.0;
    std::vector<ClassScores> perClass; // one per class, in class order
    AveragedScores macro;
    AveragedScores micro;
    AveragedScores weighted;
    ConfusionMatrix confusion;
    std::optional<double> logLoss;       // when probabilities were given
    std::optional<BinaryMetrics> binary; // binary tasks evaluated from scores (BinaryScores::report)
    QStringList notes;                   // why a metric is missing, translated, for the user
};

// Every metric that follows from the counts alone. O(C^2). Preconditions: confusion.classes() ==
// labels.size() and confusion.total() > 0.
ClassificationReport classificationReport(const ConfusionMatrix& confusion, const QStringList& labels);

// From hard predictions. probabilities is empty or n x C, row-major (case i's probability of class c
// at i * C + c), and then gives the report a log loss. O(n + C^2). Fails (InvalidArgument) on no
// cases, no labels, mismatched lengths, a class outside 0..C-1 or a probability that is not a finite
// number in [0, 1]; the message names the first bad case (1-based, in the Error's line).
Result<ClassificationReport> evaluateClassification(std::span<const int> yTrue, std::span<const int> yPred,
                                                    const QStringList& labels,
                                                    std::span<const double> probabilities = {});

// Mean cross-entropy in nats, as sklearn.metrics.log_loss(y_true, p, labels=range(C)) of scikit-learn
// 1.2: each probability is clipped to [eps, 1 - eps] with eps = DBL_EPSILON (2.2e-16, sklearn's
// eps="auto" for float64), each row is divided by its sum, and the loss of a case is
// -ln(p[true class]). probabilities is n x C row-major. O(n C).
Result<double> logLoss(std::span<const int> yTrue, std::span<const double> probabilities, int classes);
// The binary form: positiveProbabilities[i] is case i's probability of class 1.
Result<double> binaryLogLoss(std::span<const int> yTrue, std::span<const double> positiveProbabilities);

// Keys: labels, cases, accuracy, per_class ([{label, precision, recall, f1, support}]), macro,
// micro, weighted ({precision, recall, f1}), confusion ({labels, matrix: rows = true class}),
// log_loss when known; for binary also roc_auc, pr_auc (average precision), log_loss and threshold,
// null where undefined; notes when any.
QJsonObject toJson(const ClassificationReport& report);

namespace detail {
// Checks that every value lies in 0..classes-1; `what` names the column in the message.
Status checkClasses(std::span<const int> values, int classes, const QString& what);
} // namespace detail

} // namespace swb
