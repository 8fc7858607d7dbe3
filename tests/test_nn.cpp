// The neural-network training core (core/models/nn): every layer and loss against central finite
// differences, the threaded products against plain Eigen, optimiser steps against numbers worked
// out by hand, two closed-form cases (separable logistic regression, least squares), early
// stopping, determinism (same seed and any thread count: the same bits), and the refusals and
// stops a user sees (bad parameters, NaN loss, cancel).

#include "core/models/nn/activation.h"
#include "core/models/nn/dense.h"
#include "core/models/nn/embedding.h"
#include "core/models/nn/kernels.h"
#include "core/models/nn/loss.h"
#include "core/models/nn/metric.h"
#include "core/models/nn/optimizer.h"
#include "core/models/nn/product.h"
#include "core/models/nn/random.h"
#include "core/models/nn/sequential.h"
#include "core/models/nn/threadteam.h"
#include "core/models/nn/trainer.h"

#include <Eigen/Dense>

#include <QScopeGuard>
#include <QTest>

#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>

using namespace swb;
using namespace swb::nn;

// Spoils one hyperparameter or the network, for the refusal tests.
using Spoil = std::function<void(TrainParams&, Sequential&)>;
Q_DECLARE_METATYPE(swb::nn::Activation::Function)
Q_DECLARE_METATYPE(Spoil)

namespace {

// Gradient-check tolerance. The layers compute in float32 (ε = 6e-8) and so does the loss they
// are checked with, so the finite difference of a loss L carries a rounding error of about
// ε·|L|/h ≈ 1e-5·|L| for h = 5e-3, and a truncation error h²/6·|L‴| ≈ 4e-6·|L‴|. Measured over
// all the checks below, the worst error is under 3% of what is allowed: 2e-3 of the element
// itself plus 2e-3 of the largest element of the gradient. A real mistake (a missing factor, a
// wrong sign, a term on the wrong row, a gradient leaking to a padded id) is off by far more.
constexpr float kStep = 5e-3f;
constexpr double kRelTolerance = 2e-3;

Matrix randomMatrix(SplitMix64& rng, Index rows, Index cols, float low = -1.0f, float high = 1.0f)
{
    Matrix m(rows, cols);
    for (Index i = 0; i < m.size(); ++i)
        m.data()[i] = rng.uniform(low, high);
    return m;
}

// Values at least 0.1 away from 0, so no finite-difference step crosses the kink of a ReLU.
Matrix awayFromZero(SplitMix64& rng, Index rows, Index cols)
{
    Matrix m(rows, cols);
    for (Index i = 0; i < m.size(); ++i) {
        const float magnitude = rng.uniform(0.1f, 1.5f);
        m.data()[i] = rng.uniform() < 0.5f ? -magnitude : magnitude;
    }
    return m;
}

// Σ weights ⊙ output, in double: a scalar whose gradient with respect to output is `weights`, so
// backward(weights) must return its gradient with respect to everything upstream.
double weightedSum(const Matrix& output, const Matrix& weights)
{
    return (output.cast<double>().array() * weights.cast<double>().array()).sum();
}

// Compares `analytic` (d loss / d values) with central differences of lossOf() over `values`: every
// entry when there are at most maxEntries, else an evenly spread sample. Empty string when they
// agree, else a description of the worst entry.
QString gradientMismatch(Matrix& values, const Matrix& analytic, const std::function<double()>& lossOf,
                         Index maxEntries = 600)
{
    if (analytic.rows() != values.rows() || analytic.cols() != values.cols())
        return QStringLiteral("analytic gradient has the wrong shape");
    const double scale = std::max(1e-6, double(analytic.cwiseAbs().maxCoeff()));
    const Index size = values.size();
    const Index stride = size > maxEntries ? size / maxEntries + 1 : 1;
    double worst = 0;
    QString report;
    for (Index e = 0; e < size; e += stride) {
        float& v = values.data()[e];
        const float saved = v;
        const float up = saved + kStep;
        const float down = saved - kStep;
        v = up;
        const double lossUp = lossOf();
        v = down;
        const double lossDown = lossOf();
        v = saved;
        const double numeric = (lossUp - lossDown) / (double(up) - double(down));
        const double a = analytic.data()[e];
        const double error = std::abs(a - numeric);
        const double allowed = kRelTolerance * (std::abs(numeric) + scale);
        if (error / allowed > worst) {
            worst = error / allowed;
            report = QStringLiteral("entry %1: analytic %2, numeric %3 (error %4, allowed %5)")
                         .arg(e)
                         .arg(a, 0, 'g', 8)
                         .arg(numeric, 0, 'g', 8)
                         .arg(error, 0, 'g', 3)
                         .arg(allowed, 0, 'g', 3);
        }
    }
    return worst > 1.0 ? report : QString();
}

bool bitIdentical(const std::vector<NamedTensor>& a, const std::vector<NamedTensor>& b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i].name != b[i].name || a[i].values.size() != b[i].values.size() ||
            std::memcmp(a[i].values.data(), b[i].values.data(), a[i].values.size() * sizeof(float)) != 0)
            return false;
    return true;
}

// A pass-through layer that counts forward passes and, from a given pass on, outputs NaN.
class Probe final : public Layer
{
public:
    explicit Probe(int poisonFrom = 0) : m_poisonFrom(poisonFrom) {}
    QString kind() const override { return QStringLiteral("probe"); }
    Index inputWidth() const override { return -1; }
    Index outputWidth(Index input) const override { return input; }
    const Matrix& forward(const Matrix& input) override
    {
        ++forwards;
        m_output = input;
        if (m_poisonFrom > 0 && forwards >= m_poisonFrom)
            m_output.setConstant(std::numeric_limits<float>::quiet_NaN());
        return m_output;
    }
    const Matrix& backward(const Matrix& gradOutput, bool) override
    {
        m_grad = gradOutput;
        return m_grad;
    }
    int forwards = 0;

private:
    int m_poisonFrom;
    Matrix m_output;
    Matrix m_grad;
};

// A validation metric that reports a scripted value per epoch.
class ScriptedMetric final : public Metric
{
public:
    explicit ScriptedMetric(std::vector<double> values) : m_values(std::move(values)) {}
    QString name() const override { return QStringLiteral("scripted"); }
    bool higherIsBetter() const override { return true; }
    void reset() override { ++m_epoch; }
    void add(const Matrix&, const TargetView&) override {}
    double value() const override { return m_values.at(std::size_t(m_epoch - 1)); }

private:
    std::vector<double> m_values;
    int m_epoch = 0;
};

// Cancels a token once `after` batches are reported, and counts the reports that follow.
class CancellingProgress final : public ProgressSink
{
public:
    CancellingProgress(CancelToken token, std::int64_t after) : m_token(std::move(token)), m_after(after) {}
    void report(std::int64_t done, std::int64_t, const QString&) override
    {
        if (m_token.isCancelled())
            ++reportsAfterCancel;
        if (done == m_after)
            m_token.cancel();
    }
    int reportsAfterCancel = 0;

private:
    CancelToken m_token;
    std::int64_t m_after;
};

// A small classification set: n cases of d features, labels from a random linear rule.
Examples classificationSet(std::uint64_t seed, Index n, Index d, Index classes)
{
    SplitMix64 rng(seed);
    Examples set;
    set.features = randomMatrix(rng, n, d);
    const Matrix rule = randomMatrix(rng, d, classes);
    const Matrix scores = set.features * rule;
    set.classes.resize(std::size_t(n));
    for (Index i = 0; i < n; ++i) {
        Index best = 0;
        scores.row(i).maxCoeff(&best);
        set.classes[std::size_t(i)] = std::uint32_t(best);
    }
    return set;
}

Sequential mlp(Index inputs, Index hidden1, Index hidden2, Index outputs)
{
    Sequential net;
    net.emplace<Dense>(inputs, hidden1);
    net.emplace<Activation>(Activation::Function::Tanh);
    net.emplace<Dense>(hidden1, hidden2);
    net.emplace<Activation>(Activation::Function::Relu);
    net.emplace<Dense>(hidden2, outputs);
    return net;
}

// Embedding of contexts of 3 ids, a hidden ReLU layer and a softmax over `items` items.
Sequential itemModel(Index items)
{
    Sequential net;
    net.setEmbedding(std::make_unique<Embedding>(items, 8, 3));
    net.emplace<Dense>(24, 32);
    net.emplace<Activation>(Activation::Function::Relu);
    net.emplace<Dense>(32, items);
    return net;
}

Examples itemSet(std::uint64_t seed, Index n, Index items)
{
    SplitMix64 rng(seed);
    Examples set;
    set.ids.resize(n, 3);
    set.classes.resize(std::size_t(n));
    for (Index i = 0; i < n; ++i) {
        for (Index j = 0; j < 3; ++j)
            set.ids(i, j) = rng.uniform() < 0.1f ? kPadId : std::uint32_t(rng.below(std::uint64_t(items)));
        // The next item follows the last one: a pattern the model can learn.
        const std::uint32_t last = set.ids(i, 2) == kPadId ? 0 : set.ids(i, 2);
        set.classes[std::size_t(i)] = std::uint32_t((last + 1) % std::uint32_t(items));
    }
    return set;
}

Result<FitReport> fit(Sequential& net, Loss& loss, const Examples& train, const TrainParams& params,
                      const Examples* validation = nullptr, Metric* metric = nullptr,
                      std::function<void(const EpochStats&)> onEpoch = {})
{
    NullProgress progress;
    return nn::train({&net, &loss, &train, validation, metric, std::move(onEpoch)}, params, progress,
                     CancelToken());
}

} // namespace

class TestNn : public QObject
{
    Q_OBJECT

private slots:
    void productsMatchEigenWithAnySplit_data();
    void productsMatchEigenWithAnySplit();
    void denseGradient_data();
    void denseGradient();
    void activationGradient_data();
    void activationGradient();
    void embeddingGradientWithRepeatsAndPadding();
    void lossGradient_data();
    void lossGradient();
    void lossValuesByHand();
    void lossesStayFiniteForHugeLogits();
    void nanLogitsGiveNanLoss();
    void softmaxExpIsAccurate();
    void networkGradientEndToEnd();
    void embeddingNetworkGradientEndToEnd();
    void initialisationFollowsTheSeed();
    void sgdSteps();
    void adamSteps();
    void l2AddsToWeightsNotBiases();
    void lazyAdamTouchesOnlyBatchRows();
    void logisticRegressionSeparatesSeparablePoints();
    void linearModelReachesLeastSquares();
    void earlyStoppingRestoresBestWeights();
    void sameSeedSameBitsAnyThreadCount();
    void embeddingModelIsDeterministicAndLearns();
    void nanLossNamesEpochAndBatch();
    void divergingTrainingIsReported();
    void badParametersAreRefusedByName_data();
    void badParametersAreRefusedByName();
    void badDataIsRefused();
    void cancelStopsWithinOneBatch();
    void saveAndLoadParameters();
};

// ---- threaded products ------------------------------------------------------------------------

void TestNn::productsMatchEigenWithAnySplit_data()
{
    QTest::addColumn<int>("m");
    QTest::addColumn<int>("k");
    QTest::addColumn<int>("n");
    QTest::addColumn<bool>("avx2");
    // Both product paths: the AVX2 + FMA kernel (where the processor has it; elsewhere these rows
    // repeat the baseline) and Eigen's baseline product.
    for (const bool avx2 : {true, false}) {
        const char* path = avx2 ? "AVX2" : "baseline";
        QTest::addRow("%s, small, one thread", path) << 7 << 5 << 3 << avx2;
        QTest::addRow("%s, wide result: columns split", path) << 33 << 40 << 3001 << avx2;
        QTest::addRow("%s, tall result: rows split", path) << 2999 << 40 << 35 << avx2;
        QTest::addRow("%s, long sum: depth split", path) << 37 << 3003 << 29 << avx2;
        QTest::addRow("%s, whole kernel tiles", path) << 48 << 600 << 64 << avx2;
    }
}

// Each operand form (A·B, Aᵀ·B, A·Bᵀ, A·B accumulated) equals Eigen's own product to float
// rounding, and the threaded result is bit-identical to the one computed on the calling thread.
void TestNn::productsMatchEigenWithAnySplit()
{
    QFETCH(int, m);
    QFETCH(int, k);
    QFETCH(int, n);
    QFETCH(bool, avx2);
    const bool before = nn::detail::avx2Products();
    nn::detail::setAvx2Products(avx2);
    const auto restore = qScopeGuard([before] { nn::detail::setAvx2Products(before); });
    SplitMix64 rng(7);
    const Matrix a = randomMatrix(rng, m, k);
    const Matrix b = randomMatrix(rng, k, n);
    const Matrix at = a.transpose();
    const Matrix bt = b.transpose();
    const Matrix start = randomMatrix(rng, m, n);
    const Eigen::MatrixXd exact = a.cast<double>() * b.cast<double>();
    ThreadTeam team(2);
    ProductScratch scratch;
    auto check = [&](const char* form, const std::function<void(ThreadTeam*, Matrix&)>& compute,
                     const Eigen::MatrixXd& expected) {
        Matrix serial = start;
        Matrix threaded = start;
        compute(nullptr, serial);
        compute(&team, threaded);
        const double error = (serial.cast<double>() - expected).cwiseAbs().maxCoeff();
        QVERIFY2(error < 1e-4 * std::sqrt(double(k)),
                 qPrintable(QStringLiteral("%1: error %2").arg(QLatin1String(form)).arg(error)));
        QVERIFY2(std::memcmp(serial.data(), threaded.data(), std::size_t(serial.size()) * sizeof(float)) == 0,
                 form);
    };
    check(
        "A·B", [&](ThreadTeam* t, Matrix& c) { multiply(t, a, b, c, scratch); }, exact);
    check(
        "C + A·B", [&](ThreadTeam* t, Matrix& c) { multiply(t, a, b, c, scratch, true); },
        exact + start.cast<double>());
    check(
        "Aᵀ·B", [&](ThreadTeam* t, Matrix& c) { multiplyTransposedLeft(t, at, b, c, scratch); }, exact);
    check(
        "A·Bᵀ", [&](ThreadTeam* t, Matrix& c) { multiplyTransposedRight(t, a, bt, c, scratch); }, exact);
}

// ---- layers against finite differences -------------------------------------------------------

void TestNn::denseGradient_data()
{
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("inputs");
    QTest::addColumn<int>("outputs");
    QTest::addColumn<bool>("threaded");
    QTest::newRow("5 × 4 → 3") << 5 << 4 << 3 << false;
    QTest::newRow("1 case") << 1 << 6 << 2 << false;
    // Big enough for the threaded split of every product (columns forward, depth for dX).
    QTest::newRow("64 × 128 → 300, two threads") << 64 << 128 << 300 << true;
}

void TestNn::denseGradient()
{
    QFETCH(int, rows);
    QFETCH(int, inputs);
    QFETCH(int, outputs);
    QFETCH(bool, threaded);
    ThreadTeam team(2);
    SplitMix64 rng(11);
    Dense dense(inputs, outputs);
    dense.initialize(rng, false);
    dense.bias() = randomMatrix(rng, 1, outputs);
    if (threaded)
        dense.setThreadTeam(&team);
    Matrix x = randomMatrix(rng, rows, inputs);
    const Matrix r = randomMatrix(rng, rows, outputs);
    auto loss = [&] {
        return weightedSum(dense.forward(x), r);
    };

    dense.forward(x);
    const Matrix dx = dense.backward(r, true);
    const Matrix dw = dense.weightGradient();
    const Matrix db = dense.biasGradient();
    // The large case samples entries: each one costs two forward passes of 5 MFLOP.
    const Index entries = threaded ? 150 : 600;
    QString mismatch = gradientMismatch(dense.weights(), dw, loss, entries);
    QVERIFY2(mismatch.isEmpty(), qPrintable(QStringLiteral("weights: ") + mismatch));
    mismatch = gradientMismatch(dense.bias(), db, loss, entries);
    QVERIFY2(mismatch.isEmpty(), qPrintable(QStringLiteral("bias: ") + mismatch));
    mismatch = gradientMismatch(x, dx, loss, entries);
    QVERIFY2(mismatch.isEmpty(), qPrintable(QStringLiteral("input: ") + mismatch));
    // The first layer of a network skips the input gradient, with the same parameter gradients.
    dense.forward(x);
    QCOMPARE(dense.backward(r, false).size(), Index(0));
    QCOMPARE(dense.weightGradient(), dw);
}

void TestNn::activationGradient_data()
{
    QTest::addColumn<Activation::Function>("function");
    QTest::addColumn<bool>("threaded");
    QTest::newRow("sigmoid") << Activation::Function::Sigmoid << false;
    QTest::newRow("tanh") << Activation::Function::Tanh << false;
    QTest::newRow("relu") << Activation::Function::Relu << false;
    QTest::newRow("sigmoid, two threads") << Activation::Function::Sigmoid << true;
    QTest::newRow("tanh, two threads") << Activation::Function::Tanh << true;
    QTest::newRow("relu, two threads") << Activation::Function::Relu << true;
}

void TestNn::activationGradient()
{
    QFETCH(Activation::Function, function);
    QFETCH(bool, threaded);
    ThreadTeam team(2);
    SplitMix64 rng(13);
    Activation activation(function);
    // The threaded rows use a batch large enough to be split between the threads.
    const Index rows = threaded ? 300 : 6;
    const Index cols = threaded ? 256 : 5;
    if (threaded)
        activation.setThreadTeam(&team);
    Matrix x = awayFromZero(rng, rows, cols);
    x(0, 0) = 30.0f; // saturated: the gradient must be ~0, not NaN
    x(0, 1) = -30.0f;
    const Matrix r = randomMatrix(rng, rows, cols);
    auto loss = [&] {
        return weightedSum(activation.forward(x), r);
    };
    const Matrix y = activation.forward(x);
    QVERIFY(y.allFinite());
    const Matrix dx = activation.backward(r, true);
    QVERIFY(dx.allFinite());
    const QString mismatch = gradientMismatch(x, dx, loss, threaded ? 200 : 600);
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
    // Known values, so a wrong function with a matching derivative cannot pass.
    const float probe = x(1, 1);
    const float expected = function == Activation::Function::Sigmoid ? 1.0f / (1.0f + std::exp(-probe))
                           : function == Activation::Function::Tanh  ? std::tanh(probe)
                                                                     : std::max(probe, 0.0f);
    QVERIFY(std::abs(y(1, 1) - expected) < 1e-6f);
}

void TestNn::embeddingGradientWithRepeatsAndPadding()
{
    SplitMix64 rng(17);
    Embedding embedding(6, 4, 3);
    embedding.initialize(rng, false);
    IdMatrix ids(4, 3);
    ids << 3, 1, 3,        // a repeat inside one context
        kPadId, kPadId, 5, // padding of a short context
        1, 0, kPadId,      // 1 repeats across cases
        5, 5, 5;
    const Matrix out = embedding.forward(ids);
    QCOMPARE(out.cols(), Index(12));
    QCOMPARE(Matrix(out.block(0, 0, 1, 4)), Matrix(embedding.table().row(3)));
    QCOMPARE(Matrix(out.block(0, 8, 1, 4)), Matrix(embedding.table().row(3)));
    QVERIFY(out.block(1, 0, 1, 8).isZero(0));
    QVERIFY(out.block(2, 8, 1, 4).isZero(0));

    const Matrix r = randomMatrix(rng, 4, 12);
    embedding.backward(r);
    // Only ids of the batch are touched, sorted; 2 and 4 never appear, padding gives nothing.
    QCOMPARE(embedding.touchedRows(), (std::vector<std::uint32_t>{0, 1, 3, 5}));
    Matrix dense = Matrix::Zero(6, 4);
    for (const std::uint32_t row : embedding.touchedRows())
        dense.row(row) = embedding.tableGradient().row(row);
    const QString mismatch =
        gradientMismatch(embedding.table(), dense, [&] { return weightedSum(embedding.forward(ids), r); });
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
    // Row 3 gets the sum of both of its positions in case 1.
    QVERIFY((embedding.tableGradient().row(3) - (r.block(0, 0, 1, 4) + r.block(0, 8, 1, 4))).isZero(1e-6f));

    IdMatrix bad(1, 3);
    bad << 0, 6, 1;
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, embedding.forward(bad));
}

// ---- losses --------------------------------------------------------------------------------------

void TestNn::lossGradient_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<bool>("threaded");
    QTest::newRow("softmax cross-entropy") << QStringLiteral("softmax") << false;
    QTest::newRow("softmax cross-entropy, class weights") << QStringLiteral("softmax-weighted") << false;
    QTest::newRow("softmax cross-entropy, 3000 classes, two threads")
        << QStringLiteral("softmax-wide") << true;
    QTest::newRow("binary cross-entropy") << QStringLiteral("bce") << false;
    QTest::newRow("binary cross-entropy, pos weight") << QStringLiteral("bce-weighted") << false;
    QTest::newRow("binary cross-entropy, soft targets, 3 labels") << QStringLiteral("bce-multi") << false;
    QTest::newRow("mean squared error") << QStringLiteral("mse") << false;
    QTest::newRow("mean squared error, 2 outputs") << QStringLiteral("mse-multi") << false;
}

void TestNn::lossGradient()
{
    QFETCH(QString, kind);
    QFETCH(bool, threaded);
    ThreadTeam team(2);
    SplitMix64 rng(19);
    const bool wide = kind == QLatin1String("softmax-wide");
    const Index rows = wide ? 24 : 6; // 24 × 3000 is enough logits to split the rows between threads
    Index cols = 1;
    std::unique_ptr<Loss> loss;
    Examples targets;
    if (kind.startsWith(QLatin1String("softmax"))) {
        cols = wide ? 3000 : 4;
        loss = kind == QLatin1String("softmax-weighted")
                   ? std::make_unique<SoftmaxCrossEntropy>(std::vector<float>{0.5f, 2.0f, 1.0f, 3.0f})
                   : std::make_unique<SoftmaxCrossEntropy>();
        for (Index i = 0; i < rows; ++i)
            targets.classes.push_back(std::uint32_t(rng.below(std::uint64_t(cols))));
    } else if (kind.startsWith(QLatin1String("bce"))) {
        cols = kind == QLatin1String("bce-multi") ? 3 : 1;
        loss = std::make_unique<BinaryCrossEntropy>(kind == QLatin1String("bce-weighted") ? 3.0f : 1.0f);
        targets.targets = Matrix(rows, cols);
        for (Index i = 0; i < targets.targets.size(); ++i)
            targets.targets.data()[i] = kind == QLatin1String("bce-multi") ? rng.uniform() : float(i % 2);
    } else {
        cols = kind == QLatin1String("mse-multi") ? 2 : 1;
        loss = std::make_unique<MeanSquaredError>();
        targets.targets = randomMatrix(rng, rows, cols, -2.0f, 2.0f);
    }
    if (threaded)
        loss->setThreadTeam(&team);
    Matrix logits = randomMatrix(rng, rows, cols, -3.0f, 3.0f);
    const TargetView view = targets.targetView();
    QVERIFY(loss->checkTargets(view, rows, cols).ok());
    Matrix grad;
    const LossValue value = loss->evaluate(logits, view, &grad);
    QVERIFY(std::isfinite(value.mean) && value.mean > 0);
    // The loss without a gradient is the same number.
    QCOMPARE(loss->evaluate(logits, view, nullptr).mean, value.mean);
    const QString mismatch = gradientMismatch(
        logits, grad, [&] { return loss->evaluate(logits, view, nullptr).mean; }, wide ? 200 : 600);
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
}

void TestNn::lossValuesByHand()
{
    // Softmax CE of logits (1, 2, 3) for class 2: log(e + e² + e³) − 3 = 0.40760596.
    Matrix logits(2, 3);
    logits << 1, 2, 3, 1, 2, 3;
    std::vector<std::uint32_t> classes{2, 0};
    SoftmaxCrossEntropy ce;
    LossValue v = ce.evaluate(logits, {classes, nullptr}, nullptr);
    // Class 0: log(e + e² + e³) − 1 = 2.40760596; mean of the two rows.
    QVERIFY(std::abs(v.mean - (0.40760596 + 2.40760596) / 2) < 1e-6);
    QCOMPARE(v.weight, 2.0);
    // Class weights 1, 1, 3: (3·0.40760596 + 1·2.40760596) / 4 (PyTorch's weighted mean).
    SoftmaxCrossEntropy weighted({1.0f, 1.0f, 3.0f});
    v = weighted.evaluate(logits, {classes, nullptr}, nullptr);
    QVERIFY(std::abs(v.mean - (3 * 0.40760596 + 2.40760596) / 4) < 1e-6);
    QCOMPARE(v.weight, 4.0);

    // BCE on logits: x = 0, y = 1 → log 2; x = 2, y = 0 → log(1 + e²) = 2.126928; pos weight 3
    // triples only the positive case's term.
    Matrix x(2, 1);
    x << 0, 2;
    Matrix y(2, 1);
    y << 1, 0;
    BinaryCrossEntropy bce;
    QVERIFY(std::abs(bce.evaluate(x, {{}, &y}, nullptr).mean - (std::log(2.0) + 2.126928011) / 2) < 1e-6);
    BinaryCrossEntropy bcePos(3.0f);
    QVERIFY(std::abs(bcePos.evaluate(x, {{}, &y}, nullptr).mean - (3 * std::log(2.0) + 2.126928011) / 2) <
            1e-6);

    // MSE: ((1 − 0)² + (2 − 0)² + (0 − 1)² + (4 − 1)²) / 4 = 15 / 4.
    Matrix p(2, 2);
    p << 1, 2, 0, 4;
    Matrix t(2, 2);
    t << 0, 0, 1, 1;
    MeanSquaredError mse;
    Matrix grad;
    QCOMPARE(mse.evaluate(p, {{}, &t}, &grad).mean, 3.75);
    QCOMPARE(grad(1, 1), 1.5f); // 2·(4 − 1)/4
}

void TestNn::lossesStayFiniteForHugeLogits()
{
    Matrix logits(2, 3);
    logits << 1000, 0, -1000, -1000, 0, 1000;
    std::vector<std::uint32_t> classes{0, 0};
    SoftmaxCrossEntropy ce;
    Matrix grad;
    const LossValue v = ce.evaluate(logits, {classes, nullptr}, &grad);
    QVERIFY(std::abs(v.mean - 1000.0) < 1e-3); // rows: 0 and 2000
    QVERIFY(grad.allFinite());
    Matrix x(2, 1);
    x << 200, -200;
    Matrix y(2, 1);
    y << 0, 1;
    BinaryCrossEntropy bce(2.0f);
    const LossValue b = bce.evaluate(x, {{}, &y}, &grad);
    QVERIFY(std::abs(b.mean - (200 + 2 * 200) / 2.0) < 1e-3);
    QVERIFY(grad.allFinite());
}

void TestNn::nanLogitsGiveNanLoss()
{
    // A diverged network must show as a NaN loss, or training would not stop.
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const float inf = std::numeric_limits<float>::infinity();
    std::vector<std::uint32_t> classes{1};
    for (const float bad : {nan, inf, -inf}) {
        for (Index at = 0; at < 7; ++at) { // every lane position and the tail of a 7-wide row
            Matrix logits = Matrix::Zero(1, 7);
            logits(0, at) = bad;
            SoftmaxCrossEntropy ce;
            const double mean = ce.evaluate(logits, {classes, nullptr}, nullptr).mean;
            if (bad == -inf && at != 1) // a −inf logit is a probability of 0: a finite loss
                QVERIFY(std::abs(mean - std::log(6.0)) < 1e-6);
            else
                QVERIFY2(!std::isfinite(mean), qPrintable(QStringLiteral("%1 at %2").arg(bad).arg(at)));
        }
    }
    Matrix x(1, 1);
    x << nan;
    Matrix y(1, 1);
    y << 1;
    BinaryCrossEntropy bce;
    QVERIFY(std::isnan(bce.evaluate(x, {{}, &y}, nullptr).mean));
    MeanSquaredError mse;
    QVERIFY(std::isnan(mse.evaluate(x, {{}, &y}, nullptr).mean));
}

void TestNn::softmaxExpIsAccurate()
{
    // Arguments over [−90, 1] in steps of 0.000731, against exp in double: within 1 ulp (an
    // exhaustive run over every float in [−87, 0.5] found at most 0.98), and 0 below −87.
    std::vector<float> x;
    for (float v = -90.0f; v <= 1.0f; v += 0.000731f)
        x.push_back(v);
    std::vector<float> out(x.size());
    const float sum = expShifted(x.data(), 0.0f, out.data(), Index(x.size()));
    double exactSum = 0;
    double worstUlps = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double exact = std::exp(double(x[i]));
        exactSum += exact;
        if (x[i] < -87.0f) {
            QCOMPARE(out[i], 0.0f); // flushed instead of denormal
            continue;
        }
        const double ulp =
            std::nextafter(float(exact), std::numeric_limits<float>::infinity()) - float(exact);
        worstUlps = std::max(worstUlps, std::abs(double(out[i]) - exact) / ulp);
    }
    QVERIFY2(worstUlps <= 1.0, qPrintable(QString::number(worstUlps)));
    QVERIFY(std::abs(sum - exactSum) < 1e-5 * exactSum);
    QCOMPARE(expShiftedSum(x.data(), 0.0f, Index(x.size())), sum);
    // Shifted: exp(x − 3) over a row whose length is not a multiple of 4.
    const float row[5] = {3.0f, 2.0f, 1.0f, 0.0f, -1.0f};
    float values[5];
    const float rowSum = expShifted(row, 3.0f, values, 5);
    QCOMPARE(values[0], 1.0f);
    QVERIFY(std::abs(values[4] - std::exp(-4.0f)) < 1e-7f);
    QVERIFY(std::abs(rowSum - (1 + std::exp(-1.0f) + std::exp(-2.0f) + std::exp(-3.0f) + std::exp(-4.0f))) <
            1e-6f);
    float big = 89.0f;
    float overflow = 0;
    expShifted(&big, 0.0f, &overflow, 1);
    QVERIFY(std::isinf(overflow));
}

// ---- whole networks --------------------------------------------------------------------------

void TestNn::networkGradientEndToEnd()
{
    Sequential net = mlp(6, 8, 7, 4);
    QVERIFY(net.validate().ok());
    net.initialize(23);
    SplitMix64 rng(29);
    for (const Parameter& p : net.parameters())
        if (!p.decay)
            *p.value = randomMatrix(rng, 1, p.value->cols(), -0.2f, 0.2f); // non-zero biases
    const Matrix x = randomMatrix(rng, 5, 6);
    std::vector<std::uint32_t> classes{0, 3, 1, 2, 3};
    SoftmaxCrossEntropy loss;
    const TargetView view{classes, nullptr};
    Matrix grad;
    loss.evaluate(net.forward(x), view, &grad);
    net.backward(grad);
    std::vector<Matrix> analytic;
    for (const Parameter& p : net.parameters())
        analytic.push_back(*p.grad);
    const std::vector<Parameter> params = net.parameters();
    QCOMPARE(params.size(), std::size_t(6));
    QCOMPARE(net.parameterCount(), Index(6 * 8 + 8 + 8 * 7 + 7 + 7 * 4 + 4));
    for (std::size_t i = 0; i < params.size(); ++i) {
        const QString mismatch = gradientMismatch(
            *params[i].value, analytic[i], [&] { return loss.evaluate(net.forward(x), view, nullptr).mean; });
        QVERIFY2(mismatch.isEmpty(), qPrintable(params[i].name + QStringLiteral(": ") + mismatch));
    }
}

void TestNn::embeddingNetworkGradientEndToEnd()
{
    Sequential net;
    net.setEmbedding(std::make_unique<Embedding>(10, 3, 4));
    net.emplace<Dense>(12, 5);
    net.emplace<Activation>(Activation::Function::Sigmoid);
    net.emplace<Dense>(5, 3);
    QVERIFY(net.validate().ok());
    net.initialize(31);
    IdMatrix ids(3, 4);
    ids << 2, 7, 2, kPadId, 9, 9, 0, 1, kPadId, kPadId, kPadId, 4;
    Matrix targets(3, 3);
    targets << 1, 0, 1, 0, 1, 0, 1, 1, 0;
    BinaryCrossEntropy loss(2.0f);
    const TargetView view{{}, &targets};
    Matrix grad;
    loss.evaluate(net.forward(ids), view, &grad);
    net.backward(grad);
    const std::vector<Parameter> params = net.parameters();
    QCOMPARE(params.front().name, QStringLiteral("embedding.weight"));
    std::vector<Matrix> analytic;
    for (const Parameter& p : params) {
        Matrix g = *p.grad;
        if (p.rows) { // rows outside the batch have no gradient: 0
            g.setZero();
            for (const std::uint32_t row : *p.rows)
                g.row(row) = p.grad->row(row);
        }
        analytic.push_back(g);
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
        const QString mismatch = gradientMismatch(*params[i].value, analytic[i], [&] {
            return loss.evaluate(net.forward(ids), view, nullptr).mean;
        });
        QVERIFY2(mismatch.isEmpty(), qPrintable(params[i].name + QStringLiteral(": ") + mismatch));
    }
}

void TestNn::initialisationFollowsTheSeed()
{
    Sequential a = mlp(20, 30, 10, 3);
    Sequential b = mlp(20, 30, 10, 3);
    a.initialize(5);
    b.initialize(5);
    QVERIFY(bitIdentical(a.saveParameters(), b.saveParameters()));
    b.initialize(6);
    QVERIFY(!bitIdentical(a.saveParameters(), b.saveParameters()));
    // Xavier uniform for the tanh layer (limit sqrt(6 / 50)); He uniform before the ReLU
    // (limit sqrt(6 / 30)); zero biases.
    const std::vector<NamedTensor> t = a.saveParameters();
    auto maxAbs = [](const NamedTensor& x) {
        float m = 0;
        for (const float v : x.values)
            m = std::max(m, std::abs(v));
        return m;
    };
    QCOMPARE(t[0].name, QStringLiteral("0.weight"));
    QVERIFY(maxAbs(t[0]) <= std::sqrt(6.0f / 50) && maxAbs(t[0]) > 0.9f * std::sqrt(6.0f / 50));
    QCOMPARE(t[2].name, QStringLiteral("2.weight"));
    QVERIFY(maxAbs(t[2]) <= std::sqrt(6.0f / 30) && maxAbs(t[2]) > 0.9f * std::sqrt(6.0f / 30));
    QCOMPARE(maxAbs(t[1]), 0.0f);
}

// ---- optimisers: single steps by hand ----------------------------------------------------------

namespace {
// One weight tensor w = (1, −2) and its gradient, as an optimiser sees them.
struct Toy
{
    Matrix w = (Matrix(1, 2) << 1.0f, -2.0f).finished();
    Matrix g = Matrix::Zero(1, 2);
    Matrix b = (Matrix(1, 1) << 1.0f).finished();
    Matrix gb = Matrix::Zero(1, 1);
    std::vector<Parameter> params()
    {
        return {{QStringLiteral("w"), &w, &g, true, nullptr}, {QStringLiteral("b"), &b, &gb, false, nullptr}};
    }
};
bool near(const Matrix& m, std::initializer_list<double> expected, double tolerance = 1e-6)
{
    int i = 0;
    for (const double e : expected)
        if (std::abs(double(m.data()[i++]) - e) > tolerance)
            return false;
    return true;
}
} // namespace

void TestNn::sgdSteps()
{
    // Plain SGD, lr 0.1, g = (0.5, −0.1): w = (1 − 0.05, −2 + 0.01) = (0.95, −1.99).
    Toy plain;
    Sgd sgd({0.1f, 0.0f, 0.0f});
    plain.g << 0.5f, -0.1f;
    sgd.step(plain.params());
    QVERIFY(near(plain.w, {0.95, -1.99}));
    // Momentum 0.9: step 1 v = g = (0.5, −0.1), w = (0.95, −1.99); step 2 with g = (0.25, 0.1):
    // v = 0.9·(0.5, −0.1) + (0.25, 0.1) = (0.7, 0.01), w = (0.95 − 0.07, −1.99 − 0.001) = (0.88, −1.991).
    Toy toy;
    Sgd momentum({0.1f, 0.9f, 0.0f});
    toy.g << 0.5f, -0.1f;
    momentum.step(toy.params());
    QVERIFY(near(toy.w, {0.95, -1.99}));
    toy.g << 0.25f, 0.1f;
    momentum.step(toy.params());
    QVERIFY(near(toy.w, {0.88, -1.991}));
}

void TestNn::adamSteps()
{
    // lr 0.1, β1 0.9, β2 0.999, eps 1e-8.
    // Step 1, g = (0.5, −0.1): m = (0.05, −0.01), v = (2.5e-4, 1e-5); m̂ = g, v̂ = g², so each weight
    // moves by lr·|g|/(|g| + eps) ≈ 0.1 against its gradient: w = (0.9, −1.9).
    // Step 2, g = (0.25, 0.1): m = (0.07, 0.001), v = (3.1225e-4, 1.999e-5); m̂ = m/0.19 =
    // (0.368421, 0.0052632), v̂ = v/0.001999 = (0.156203, 0.01); w −= 0.1·m̂/(sqrt(v̂) + eps):
    // w = (0.9 − 0.0932180, −1.9 − 0.0052632) = (0.8067820, −1.9052632).
    Toy toy;
    Adam adam({0.1f, 0.9f, 0.999f, 1e-8f, 0.0f});
    toy.g << 0.5f, -0.1f;
    adam.step(toy.params());
    QVERIFY(near(toy.w, {0.9, -1.9}));
    toy.g << 0.25f, 0.1f;
    adam.step(toy.params());
    QVERIFY2(near(toy.w, {0.8067820, -1.9052632}),
             qPrintable(QStringLiteral("%1 %2").arg(toy.w(0, 0)).arg(toy.w(0, 1))));
    QCOMPARE(adam.steps(), std::int64_t(2));
}

void TestNn::l2AddsToWeightsNotBiases()
{
    // SGD lr 0.1, l2 0.1: the weight gradient becomes g + 0.1·w = (0.5 + 0.1, −0.1 − 0.2) =
    // (0.6, −0.3), so w = (0.94, −1.97); the bias (gradient 0.5) only moves by lr·0.5: b = 0.95.
    Toy toy;
    Sgd sgd({0.1f, 0.0f, 0.1f});
    toy.g << 0.5f, -0.1f;
    toy.gb << 0.5f;
    sgd.step(toy.params());
    QVERIFY(near(toy.w, {0.94, -1.97}));
    QVERIFY(near(toy.b, {0.95}));
    // With a zero gradient, L2 alone shrinks weights by lr·l2 = 1% per SGD step.
    Toy decay;
    Sgd shrink({0.1f, 0.0f, 0.1f});
    shrink.step(decay.params());
    QVERIFY(near(decay.w, {0.99, -1.98}));
    QVERIFY(near(decay.b, {1.0}));
}

void TestNn::lazyAdamTouchesOnlyBatchRows()
{
    Embedding embedding(5, 2, 2);
    SplitMix64 rng(37);
    embedding.initialize(rng, false);
    const Matrix before = embedding.table();
    IdMatrix ids(1, 2);
    ids << 3, kPadId;
    embedding.forward(ids);
    embedding.backward((Matrix(1, 4) << 0.5f, -0.1f, 7.0f, 7.0f).finished());
    Adam adam({0.1f, 0.9f, 0.999f, 1e-8f, 0.5f});
    adam.step(embedding.parameters(QStringLiteral("e")));
    for (Index row = 0; row < 5; ++row) {
        if (row == 3)
            QVERIFY((embedding.table().row(row) - before.row(row)).cwiseAbs().minCoeff() > 0.09f);
        else
            QCOMPARE(Matrix(embedding.table().row(row)), Matrix(before.row(row)));
    }
    // Row 3's first step is the plain Adam step: ±lr against the (L2-augmented) gradient's sign.
    const float g0 = 0.5f + 0.5f * before(3, 0);
    QVERIFY(std::abs(embedding.table()(3, 0) - (before(3, 0) - (g0 > 0 ? 0.1f : -0.1f))) < 1e-6f);
}

// ---- closed forms --------------------------------------------------------------------------------

void TestNn::logisticRegressionSeparatesSeparablePoints()
{
    // Points on both sides of x + 2y = 0.3, none closer to it than 0.1.
    SplitMix64 rng(41);
    Examples set;
    set.features.resize(120, 2);
    set.targets.resize(120, 1);
    for (Index i = 0; i < 120;) {
        const float px = rng.uniform(-1, 1);
        const float py = rng.uniform(-1, 1);
        const float side = px + 2 * py - 0.3f;
        if (std::abs(side) < 0.1f * std::sqrt(5.0f))
            continue;
        set.features.row(i) << px, py;
        set.targets(i, 0) = side > 0 ? 1.0f : 0.0f;
        ++i;
    }
    Sequential net;
    net.emplace<Dense>(2, 1);
    BinaryCrossEntropy loss;
    AccuracyMetric accuracy;
    TrainParams params;
    params.epochs = 150;
    params.batchSize = 16;
    params.lr = 0.05f;
    const auto result = fit(net, loss, set, params, &set, &accuracy);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    QCOMPARE(result->history.back().valMetric, 1.0);
    QVERIFY(result->history.back().trainLoss < result->history.front().trainLoss);
}

void TestNn::linearModelReachesLeastSquares()
{
    SplitMix64 rng(43);
    Examples set;
    set.features = randomMatrix(rng, 200, 3);
    set.targets.resize(200, 1);
    for (Index i = 0; i < 200; ++i)
        set.targets(i, 0) = 1.5f * set.features(i, 0) - 2.0f * set.features(i, 1) +
                            0.5f * set.features(i, 2) + 0.3f + rng.uniform(-0.2f, 0.2f);
    // Closed form in double: [X 1] β = y by QR.
    Eigen::MatrixXd design(200, 4);
    design.leftCols(3) = set.features.cast<double>();
    design.col(3).setOnes();
    const Eigen::VectorXd beta = design.colPivHouseholderQr().solve(set.targets.cast<double>());

    Sequential net;
    Dense& dense = net.emplace<Dense>(3, 1);
    MeanSquaredError loss;
    TrainParams params;
    params.optimizer = OptimizerKind::Sgd;
    params.lr = 0.3f;
    params.momentum = 0.9f;
    params.batchSize = 200; // full batch: plain gradient descent on a convex quadratic
    params.epochs = 400;
    const auto result = fit(net, loss, set, params);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    for (int j = 0; j < 3; ++j)
        QVERIFY2(
            std::abs(double(dense.weights()(j, 0)) - beta(j)) < 1e-3,
            qPrintable(QStringLiteral("weight %1: %2 vs %3").arg(j).arg(dense.weights()(j, 0)).arg(beta(j))));
    QVERIFY(std::abs(double(dense.bias()(0, 0)) - beta(3)) < 1e-3);
}

// ---- the training loop ---------------------------------------------------------------------------

void TestNn::earlyStoppingRestoresBestWeights()
{
    const Examples train = classificationSet(47, 64, 4, 3);
    const Examples validation = classificationSet(48, 32, 4, 3);
    Sequential net = mlp(4, 8, 8, 3);
    SoftmaxCrossEntropy loss;
    // Best at epoch 2, then three epochs without improvement: patience 3 stops after epoch 5.
    ScriptedMetric metric({0.50, 0.70, 0.60, 0.65, 0.69, 0.95, 0.99});
    TrainParams params;
    params.epochs = 7;
    params.batchSize = 16;
    params.lr = 0.01f;
    params.patience = 3;
    std::vector<std::vector<NamedTensor>> weightsAfter;
    const auto result = fit(net, loss, train, params, &validation, &metric,
                            [&](const EpochStats&) { weightsAfter.push_back(net.saveParameters()); });
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    QCOMPARE(result->epochsRun, 5);
    QCOMPARE(int(result->history.size()), 5);
    QVERIFY(result->stoppedEarly);
    QCOMPARE(result->bestEpoch, 2);
    QCOMPARE(result->history[1].valMetric, 0.70);
    QVERIFY(std::isfinite(result->history[1].valLoss));
    QVERIFY(!bitIdentical(weightsAfter[1], weightsAfter[4]));
    QVERIFY(bitIdentical(net.saveParameters(), weightsAfter[1]));
}

void TestNn::sameSeedSameBitsAnyThreadCount()
{
    // Layers wide enough that the products, the softmax and Adam are split between threads.
    const Examples train = classificationSet(53, 256, 64, 600);
    auto run = [&](std::uint64_t seed, int threads) {
        Sequential net;
        net.emplace<Dense>(64, 256);
        net.emplace<Activation>(Activation::Function::Relu);
        net.emplace<Dense>(256, 600);
        SoftmaxCrossEntropy loss;
        TrainParams params;
        params.epochs = 2;
        params.batchSize = 128;
        params.seed = seed;
        params.threads = threads;
        params.l2 = 1e-4f;
        const auto result = fit(net, loss, train, params);
        return result.ok() ? net.saveParameters() : std::vector<NamedTensor>{};
    };
    const std::vector<NamedTensor> first = run(7, 2);
    QVERIFY(!first.empty());
    QVERIFY(bitIdentical(first, run(7, 2)));
    QVERIFY(bitIdentical(first, run(7, 1)));
    QVERIFY(bitIdentical(first, run(7, 3)));
    QVERIFY(!bitIdentical(first, run(8, 2)));
}

void TestNn::embeddingModelIsDeterministicAndLearns()
{
    const Index items = 50;
    const Examples train = itemSet(59, 800, items);
    const Examples validation = itemSet(60, 200, items);
    auto run = [&](int threads, FitReport* report) {
        Sequential net = itemModel(items);
        SoftmaxCrossEntropy loss;
        AccuracyMetric accuracy;
        TrainParams params;
        params.epochs = 12;
        params.batchSize = 32;
        params.lr = 0.01f;
        params.threads = threads;
        auto result = fit(net, loss, train, params, &validation, &accuracy);
        if (result.ok() && report)
            *report = *result;
        return result.ok() ? net.saveParameters() : std::vector<NamedTensor>{};
    };
    FitReport report;
    const std::vector<NamedTensor> first = run(2, &report);
    QVERIFY(!first.empty());
    QVERIFY(bitIdentical(first, run(1, nullptr)));
    // The next item is the last item + 1: far above chance (2%) once learnt.
    QVERIFY2(report.history[std::size_t(report.bestEpoch - 1)].valMetric > 0.5,
             qPrintable(QString::number(report.history.back().valMetric)));
}

void TestNn::nanLossNamesEpochAndBatch()
{
    Examples set = classificationSet(61, 20, 2, 2);
    set.targets = Matrix::Ones(20, 1);
    set.classes.clear();
    Sequential net;
    net.emplace<Dense>(2, 1);
    Probe& probe = net.emplace<Probe>(10); // 4 batches per epoch: pass 10 is epoch 3, batch 2
    MeanSquaredError loss;
    TrainParams params;
    params.epochs = 5;
    params.batchSize = 5;
    int epochsSeen = 0;
    const auto result =
        fit(net, loss, set, params, nullptr, nullptr, [&](const EpochStats&) { ++epochsSeen; });
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, ErrorCode::InvalidArgument);
    QVERIFY2(result.error().message.contains(QLatin1String("epoch 3, batch 2")),
             qPrintable(result.error().message));
    QVERIFY(result.error().message.contains(QLatin1String("NaN")));
    QCOMPARE(epochsSeen, 2);
    QCOMPARE(probe.forwards, 10);
}

void TestNn::divergingTrainingIsReported()
{
    Examples set = classificationSet(67, 64, 3, 2);
    set.targets = Matrix::Constant(64, 1, 1000.0f);
    set.classes.clear();
    Sequential net;
    net.emplace<Dense>(3, 1);
    MeanSquaredError loss;
    TrainParams params;
    params.optimizer = OptimizerKind::Sgd;
    params.lr = 1e4f;
    params.epochs = 50;
    params.batchSize = 8;
    const auto result = fit(net, loss, set, params);
    QVERIFY(!result.ok());
    QVERIFY2(result.error().message.contains(QLatin1String("epoch 1,")), qPrintable(result.error().message));
    QCOMPARE(result.error().field, QStringLiteral("loss"));
}

void TestNn::badParametersAreRefusedByName_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<Spoil>("spoil");
    QTest::newRow("lr 0") << QStringLiteral("lr") << Spoil([](TrainParams& p, Sequential&) { p.lr = 0; });
    QTest::newRow("lr negative") << QStringLiteral("lr")
                                 << Spoil([](TrainParams& p, Sequential&) { p.lr = -0.1f; });
    QTest::newRow("lr NaN") << QStringLiteral("lr")
                            << Spoil([](TrainParams& p, Sequential&) { p.lr = std::nanf(""); });
    QTest::newRow("batch size 0") << QStringLiteral("batch_size")
                                  << Spoil([](TrainParams& p, Sequential&) { p.batchSize = 0; });
    QTest::newRow("epochs 0") << QStringLiteral("epochs")
                              << Spoil([](TrainParams& p, Sequential&) { p.epochs = 0; });
    QTest::newRow("momentum 1") << QStringLiteral("momentum") << Spoil([](TrainParams& p, Sequential&) {
        p.optimizer = OptimizerKind::Sgd;
        p.momentum = 1;
    });
    QTest::newRow("beta1 1") << QStringLiteral("beta1")
                             << Spoil([](TrainParams& p, Sequential&) { p.beta1 = 1; });
    QTest::newRow("beta2 negative") << QStringLiteral("beta2")
                                    << Spoil([](TrainParams& p, Sequential&) { p.beta2 = -0.5f; });
    QTest::newRow("eps 0") << QStringLiteral("eps") << Spoil([](TrainParams& p, Sequential&) { p.eps = 0; });
    QTest::newRow("l2 negative") << QStringLiteral("l2")
                                 << Spoil([](TrainParams& p, Sequential&) { p.l2 = -1; });
    QTest::newRow("patience negative")
        << QStringLiteral("patience") << Spoil([](TrainParams& p, Sequential&) { p.patience = -1; });
    QTest::newRow("patience without validation")
        << QStringLiteral("patience") << Spoil([](TrainParams& p, Sequential&) { p.patience = 2; });
    QTest::newRow("threads 0") << QStringLiteral("threads")
                               << Spoil([](TrainParams& p, Sequential&) { p.threads = 0; });
    QTest::newRow("zero-sized hidden layer")
        << QStringLiteral("layers[0]") << Spoil([](TrainParams&, Sequential& net) {
               net = Sequential();
               net.emplace<Dense>(3, 0);
               net.emplace<Activation>(Activation::Function::Relu);
               net.emplace<Dense>(0, 2);
           });
    QTest::newRow("layers that do not chain")
        << QStringLiteral("layers[2]") << Spoil([](TrainParams&, Sequential& net) {
               net = Sequential();
               net.emplace<Dense>(3, 4);
               net.emplace<Activation>(Activation::Function::Relu);
               net.emplace<Dense>(5, 2);
           });
}

void TestNn::badParametersAreRefusedByName()
{
    QFETCH(QString, name);
    QFETCH(Spoil, spoil);
    const Examples set = classificationSet(71, 16, 3, 2);
    Sequential net;
    net.emplace<Dense>(3, 2);
    net.initialize(1);
    const std::vector<NamedTensor> before = net.saveParameters();
    TrainParams params;
    spoil(params, net);
    SoftmaxCrossEntropy loss;
    const auto result = fit(net, loss, set, params);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, ErrorCode::InvalidArgument);
    QCOMPARE(result.error().field, name);
    // The message names the parameter, or the layer as "Layer <position>".
    const QString named = name.startsWith(QLatin1String("layers["))
                              ? QStringLiteral("Layer ") + name.mid(7, name.size() - 8)
                              : name;
    QVERIFY2(result.error().message.contains(named), qPrintable(result.error().message));
    if (net.layerCount() == 1) // refused before touching the weights
        QVERIFY(bitIdentical(before, net.saveParameters()));
}

void TestNn::badDataIsRefused()
{
    Sequential net;
    net.emplace<Dense>(3, 2);
    SoftmaxCrossEntropy loss;
    TrainParams params;
    Examples set = classificationSet(73, 16, 3, 2);
    Examples wrongWidth = classificationSet(73, 16, 4, 2);
    auto field = [&](const Examples& data, Loss& l, const Examples* validation = nullptr) {
        const auto result = fit(net, l, data, params, validation);
        return result.ok() ? QStringLiteral("accepted") : result.error().field;
    };
    QCOMPARE(field(Examples(), loss), QStringLiteral("train"));
    QCOMPARE(field(wrongWidth, loss), QStringLiteral("features"));
    Examples nan = set;
    nan.features(4, 1) = std::numeric_limits<float>::infinity();
    QCOMPARE(field(nan, loss), QStringLiteral("features"));
    Examples badClass = set;
    badClass.classes[3] = 2;
    QCOMPARE(field(badClass, loss), QStringLiteral("targets"));
    QCOMPARE(field(set, loss, &wrongWidth), QStringLiteral("validation"));
    SoftmaxCrossEntropy badWeights({1.0f, -1.0f});
    QCOMPARE(field(set, badWeights), QStringLiteral("class_weights"));
    Examples binary = set;
    binary.targets = Matrix::Constant(16, 2, 0.5f);
    binary.targets(2, 1) = 1.5f;
    BinaryCrossEntropy bce;
    QCOMPARE(field(binary, bce), QStringLiteral("targets"));
    BinaryCrossEntropy badPos(0.0f);
    QCOMPARE(field(binary, badPos), QStringLiteral("pos_weight"));
    QCOMPARE(field(set, loss), QStringLiteral("accepted"));

    Sequential items = itemModel(20);
    Examples ids = itemSet(79, 10, 20);
    ids.ids(3, 1) = 20;
    SoftmaxCrossEntropy itemLoss;
    const auto result = fit(items, itemLoss, ids, params);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().field, QStringLiteral("ids"));
    QVERIFY(result.error().message.contains(QLatin1String("Case 4")));
}

void TestNn::cancelStopsWithinOneBatch()
{
    const Examples set = classificationSet(83, 200, 3, 2);
    Sequential net;
    net.emplace<Dense>(3, 2);
    Probe& probe = net.emplace<Probe>();
    SoftmaxCrossEntropy loss;
    TrainParams params;
    params.epochs = 3;
    params.batchSize = 10; // 20 batches per epoch
    CancelToken cancel;
    CancellingProgress progress(cancel, 23); // cancelled after batch 3 of epoch 2
    const auto result = nn::train({&net, &loss, &set, nullptr, nullptr, {}}, params, progress, cancel);
    QVERIFY(!result.ok());
    QVERIFY(result.error().isCancelled());
    QVERIFY(probe.forwards <= 23 + 1);
    QCOMPARE(progress.reportsAfterCancel, 0);
}

void TestNn::saveAndLoadParameters()
{
    Sequential a = itemModel(30);
    a.initialize(89);
    const std::vector<NamedTensor> saved = a.saveParameters();
    QCOMPARE(saved.size(), std::size_t(5));
    QCOMPARE(saved[0].name, QStringLiteral("embedding.weight"));
    QCOMPARE(saved[0].rows, Index(30));
    QCOMPARE(saved[0].cols, Index(8));
    QCOMPARE(saved[3].name, QStringLiteral("2.weight"));
    Sequential b = itemModel(30);
    b.initialize(90);
    QVERIFY(!bitIdentical(saved, b.saveParameters()));
    QVERIFY(b.loadParameters(saved).ok());
    QVERIFY(bitIdentical(saved, b.saveParameters()));

    // Errors leave the network as it was and name the tensor.
    Sequential c = itemModel(30);
    c.initialize(91);
    const std::vector<NamedTensor> original = c.saveParameters();
    std::vector<NamedTensor> wrongShape = saved;
    wrongShape[3].rows = 31;
    Status status = c.loadParameters(wrongShape);
    QVERIFY(!status.ok());
    QCOMPARE(status.error().code, ErrorCode::Corrupt);
    QCOMPARE(status.error().field, QStringLiteral("2.weight"));
    std::vector<NamedTensor> missing = saved;
    missing.pop_back();
    status = c.loadParameters(missing);
    QVERIFY(!status.ok());
    QCOMPARE(status.error().field, QStringLiteral("2.bias"));
    std::vector<NamedTensor> extra = saved;
    extra.push_back({QStringLiteral("9.weight"), 1, 1, {0.0f}});
    QCOMPARE(c.loadParameters(extra).error().field, QStringLiteral("9.weight"));
    QVERIFY(bitIdentical(original, c.saveParameters()));
}

QTEST_GUILESS_MAIN(TestNn)
#include "test_nn.moc"
