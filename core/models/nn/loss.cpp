#include "loss.h"

#include "kernels.h"
#include "product.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace swb::nn {

namespace {
// Translation context of this file's messages (lupdate reads the macro).
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(swb::nn::Loss)
};

Error invalid(const QString& field, const QString& message)
{
    return Error{ErrorCode::InvalidArgument, message, {}, 0, 0, field};
}

Status checkValueShape(const TargetView& targets, Index rows, Index outputs)
{
    if (!targets.values || targets.values->rows() != rows || targets.values->cols() != outputs)
        return invalid(QStringLiteral("targets"),
                       Tr::tr("The targets must be a table of %1 rows and %2 columns, one column per "
                              "network output.")
                           .arg(rows)
                           .arg(outputs));
    return {};
}

// The first row and column of a value that is not finite, or not within [low, high].
Status checkValueRange(const Matrix& values, float low, float high)
{
    for (Index i = 0; i < values.rows(); ++i)
        for (Index j = 0; j < values.cols(); ++j) {
            const float v = values(i, j);
            if (!std::isfinite(v) || v < low || v > high)
                return invalid(QStringLiteral("targets"),
                               Tr::tr("The target of case %1 (column %2) is %3; targets must be finite "
                                      "numbers between %4 and %5.")
                                   .arg(i + 1)
                                   .arg(j + 1)
                                   .arg(double(v))
                                   .arg(double(low))
                                   .arg(double(high)));
        }
    return {};
}

// Sum in row order, so the total does not depend on how the rows were split between threads.
double sumRows(const std::vector<double>& rowLoss, Index rows)
{
    double sum = 0;
    for (Index i = 0; i < rows; ++i)
        sum += rowLoss[std::size_t(i)];
    return sum;
}

void checkBatch(const Matrix& logits, const TargetView& targets, TargetKind kind)
{
    const bool ok = kind == TargetKind::Classes ? Index(targets.classes.size()) == logits.rows()
                                                : targets.values && targets.values->rows() == logits.rows() &&
                                                      targets.values->cols() == logits.cols();
    if (!ok)
        throw std::invalid_argument("Loss::evaluate: targets do not match the logits");
}
} // namespace

SoftmaxCrossEntropy::SoftmaxCrossEntropy(std::vector<float> classWeights)
    : m_classWeights(std::move(classWeights))
{}

QString SoftmaxCrossEntropy::name() const
{
    return QStringLiteral("softmax_cross_entropy");
}

Status SoftmaxCrossEntropy::checkTargets(const TargetView& targets, Index rows, Index outputs) const
{
    if (outputs < 2)
        return invalid(QStringLiteral("outputs"),
                       Tr::tr("Softmax cross-entropy needs at least two classes; the network has %1 "
                              "output(s).")
                           .arg(outputs));
    if (Index(targets.classes.size()) != rows)
        return invalid(
            QStringLiteral("targets"),
            Tr::tr("There are %1 class labels for %2 cases.").arg(targets.classes.size()).arg(rows));
    for (std::size_t i = 0; i < targets.classes.size(); ++i)
        if (targets.classes[i] >= std::uint64_t(outputs))
            return invalid(QStringLiteral("targets"),
                           Tr::tr("The class of case %1 is %2, outside the network's %3 classes.")
                               .arg(i + 1)
                               .arg(targets.classes[i] == kPadId ? QStringLiteral("none")
                                                                 : QString::number(targets.classes[i]))
                               .arg(outputs));
    if (m_classWeights.empty())
        return {};
    if (Index(m_classWeights.size()) != outputs)
        return invalid(
            QStringLiteral("class_weights"),
            Tr::tr("There are %1 class weights for %2 classes.").arg(m_classWeights.size()).arg(outputs));
    bool anyPositive = false;
    for (const float w : m_classWeights) {
        if (!std::isfinite(w) || w < 0)
            return invalid(
                QStringLiteral("class_weights"),
                Tr::tr("Class weights must be finite and not negative; one is %1.").arg(double(w)));
        anyPositive = anyPositive || w > 0;
    }
    if (!anyPositive)
        return invalid(QStringLiteral("class_weights"), Tr::tr("At least one class weight must be above 0."));
    return {};
}

LossValue SoftmaxCrossEntropy::evaluate(const Matrix& logits, const TargetView& targets, Matrix* grad)
{
    checkBatch(logits, targets, TargetKind::Classes);
    const Index n = logits.rows();
    const Index k = logits.cols();
    const std::uint32_t* classes = targets.classes.data();
    const bool weighted = !m_classWeights.empty();
    double totalWeight = 0;
    for (Index i = 0; i < n; ++i)
        totalWeight += weighted ? double(m_classWeights[classes[i]]) : 1.0;
    const float scale = totalWeight > 0 ? float(1.0 / totalWeight) : 0.0f;
    if (m_rowLoss.size() < std::size_t(n))
        m_rowLoss.resize(std::size_t(n));
    if (grad)
        grad->resize(n, k);
    forEachRow(m_team, n, k, [&](Index i) {
        const float* x = logits.data() + i * k;
        const std::uint32_t y = classes[i];
        const float w = weighted ? m_classWeights[y] : 1.0f;
        const float top = logits.row(i).maxCoeff();
        float sum = 0;
        if (grad) {
            float* g = grad->data() + i * k;
            sum = expShifted(x, top, g, k);
            MatrixMap(g, 1, k) *= (w * scale) / sum;
            g[y] -= w * scale;
        } else {
            sum = expShiftedSum(x, top, k);
        }
        // log Σ exp(x) − x_y, with the sum ≥ 1 (the maximum contributes exp(0)); NaN or infinite
        // logits make the sum NaN, and so the loss.
        m_rowLoss[std::size_t(i)] = double(w) * (double(top) + std::log(double(sum)) - double(x[y]));
    });
    const double total = sumRows(m_rowLoss, n);
    return {totalWeight > 0 ? total / totalWeight : 0.0, totalWeight};
}

BinaryCrossEntropy::BinaryCrossEntropy(float positiveWeight) : m_positiveWeight(positiveWeight) {}

QString BinaryCrossEntropy::name() const
{
    return QStringLiteral("binary_cross_entropy");
}

Status BinaryCrossEntropy::checkTargets(const TargetView& targets, Index rows, Index outputs) const
{
    if (!std::isfinite(m_positiveWeight) || m_positiveWeight <= 0)
        return invalid(QStringLiteral("pos_weight"),
                       Tr::tr("The positive-class weight (pos_weight) must be above 0; it is %1.")
                           .arg(double(m_positiveWeight)));
    if (Status shape = checkValueShape(targets, rows, outputs); !shape)
        return shape;
    return checkValueRange(*targets.values, 0.0f, 1.0f);
}

LossValue BinaryCrossEntropy::evaluate(const Matrix& logits, const TargetView& targets, Matrix* grad)
{
    checkBatch(logits, targets, TargetKind::Values);
    const Index n = logits.rows();
    const Index k = logits.cols();
    const double count = double(n) * double(k);
    const double p = m_positiveWeight;
    if (m_rowLoss.size() < std::size_t(n))
        m_rowLoss.resize(std::size_t(n));
    if (grad)
        grad->resize(n, k);
    // Scalar double arithmetic: usually k = 1, and log1p/exp have no vectorised form to gain from.
    forEachRow(m_team, n, k, [&](Index i) {
        double rowSum = 0;
        for (Index j = 0; j < k; ++j) {
            const double x = logits(i, j);
            const double y = (*targets.values)(i, j);
            const double e = std::exp(-std::abs(x));                      // in (0, 1]: no overflow
            const double softplusNeg = std::max(-x, 0.0) + std::log1p(e); // softplus(−x) = −log σ(x)
            rowSum += (1 - y) * x + (1 + (p - 1) * y) * softplusNeg;
            if (grad) {
                const double sigma = x >= 0 ? 1 / (1 + e) : e / (1 + e);
                (*grad)(i, j) = float(((1 - y) * sigma - p * y * (1 - sigma)) / count);
            }
        }
        m_rowLoss[std::size_t(i)] = rowSum;
    });
    return {count > 0 ? sumRows(m_rowLoss, n) / count : 0.0, count};
}

QString MeanSquaredError::name() const
{
    return QStringLiteral("mean_squared_error");
}

Status MeanSquaredError::checkTargets(const TargetView& targets, Index rows, Index outputs) const
{
    if (Status shape = checkValueShape(targets, rows, outputs); !shape)
        return shape;
    return checkValueRange(*targets.values, -std::numeric_limits<float>::max(),
                           std::numeric_limits<float>::max());
}

LossValue MeanSquaredError::evaluate(const Matrix& logits, const TargetView& targets, Matrix* grad)
{
    checkBatch(logits, targets, TargetKind::Values);
    const Index n = logits.rows();
    const Index k = logits.cols();
    const double count = double(n) * double(k);
    const float scale = count > 0 ? float(2.0 / count) : 0.0f;
    if (m_rowLoss.size() < std::size_t(n))
        m_rowLoss.resize(std::size_t(n));
    if (grad)
        grad->resize(n, k);
    forEachRow(m_team, n, k, [&](Index i) {
        const auto diff = logits.row(i) - targets.values->row(i);
        m_rowLoss[std::size_t(i)] = double(diff.squaredNorm());
        if (grad)
            grad->row(i) = scale * diff;
    });
    return {count > 0 ? sumRows(m_rowLoss, n) / count : 0.0, count};
}

} // namespace swb::nn
