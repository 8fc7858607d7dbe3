#include "trainer.h"

#include "optimizer.h"
#include "random.h"
#include "threadteam.h"

#include <QCoreApplication>

#include <cmath>
#include <limits>
#include <memory>
#include <numeric>

namespace swb::nn {

namespace {
// Translation context of this file's messages (lupdate reads the macro).
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(swb::nn::Trainer)
};

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kMaxThreads = 256;
// Stream number of the batch order (the network's modules use 0, 1, 2, ...).
constexpr std::uint64_t kShuffleStream = 0xba7c4;

Error invalid(const QString& field, const QString& message)
{
    return Error{ErrorCode::InvalidArgument, message, {}, 0, 0, field};
}

bool inOpenUnit(float x)
{
    return x >= 0.0f && x < 1.0f; // false for NaN
}

// Checks one set's inputs and targets against the network and the loss. `which` names the set in
// messages; errors of the validation set get the field "validation".
Status checkExamples(const Examples& set, Sequential& net, const Loss& loss, const QString& field,
                     const QString& which)
{
    auto wrap = [&](const Status& status) -> Status {
        if (status || field.isEmpty())
            return status;
        Error error = status.error();
        error.message = Tr::tr("In the %1: %2").arg(which, error.message);
        error.field = field;
        return error;
    };
    const Index n = set.size();
    if (n == 0)
        return invalid(field.isEmpty() ? QStringLiteral("train") : field,
                       Tr::tr("The %1 is empty.").arg(which));
    if (Embedding* embedding = net.embedding()) {
        if (set.ids.rows() != n || set.ids.cols() != embedding->contextLength())
            return wrap(
                invalid(QStringLiteral("ids"), Tr::tr("The network takes contexts of %1 ids per case; "
                                                      "the data has %2 rows of %3.")
                                                   .arg(embedding->contextLength())
                                                   .arg(set.ids.rows())
                                                   .arg(set.ids.cols())));
        for (Index i = 0; i < n; ++i)
            for (Index j = 0; j < set.ids.cols(); ++j) {
                const std::uint32_t id = set.ids(i, j);
                if (id != kPadId && Index(id) >= embedding->vocabulary())
                    return wrap(invalid(QStringLiteral("ids"), Tr::tr("Case %1 has the id %2, outside the "
                                                                      "embedding's %3 items.")
                                                                   .arg(i + 1)
                                                                   .arg(id)
                                                                   .arg(embedding->vocabulary())));
            }
    } else {
        if (set.features.rows() != n || set.features.cols() != net.inputWidth())
            return wrap(invalid(QStringLiteral("features"),
                                Tr::tr("The network takes %1 features per case; the data has %2.")
                                    .arg(net.inputWidth())
                                    .arg(set.features.cols())));
        for (Index i = 0; i < n; ++i)
            if (!set.features.row(i).allFinite())
                return wrap(
                    invalid(QStringLiteral("features"),
                            Tr::tr("The features of case %1 are not all finite numbers.").arg(i + 1)));
    }
    return wrap(loss.checkTargets(set.targetView(), n, net.outputWidth()));
}

// The rows of one batch, gathered from a set into buffers that are reused from batch to batch.
class Batch
{
public:
    void gather(const Examples& set, const std::uint32_t* rows, Index count)
    {
        if (set.ids.rows() > 0) {
            m_ids.resize(count, set.ids.cols());
            for (Index r = 0; r < count; ++r)
                m_ids.row(r) = set.ids.row(rows[r]);
        } else {
            m_features.resize(count, set.features.cols());
            for (Index r = 0; r < count; ++r)
                m_features.row(r) = set.features.row(rows[r]);
        }
        if (!set.classes.empty()) {
            m_classes.resize(std::size_t(count));
            for (Index r = 0; r < count; ++r)
                m_classes[std::size_t(r)] = set.classes[rows[r]];
        }
        if (set.targets.size() > 0) {
            m_targets.resize(count, set.targets.cols());
            for (Index r = 0; r < count; ++r)
                m_targets.row(r) = set.targets.row(rows[r]);
        }
        m_view = {
            std::span<const std::uint32_t>(m_classes.data(), set.classes.empty() ? 0 : std::size_t(count)),
            set.targets.size() > 0 ? &m_targets : nullptr};
        m_takesIds = set.ids.rows() > 0;
    }
    const Matrix& forward(Sequential& net) const
    {
        return m_takesIds ? net.forward(m_ids) : net.forward(m_features);
    }
    const TargetView& targets() const { return m_view; }

private:
    Matrix m_features;
    IdMatrix m_ids;
    std::vector<std::uint32_t> m_classes;
    Matrix m_targets;
    TargetView m_view;
    bool m_takesIds = false;
};

// Binds a team to everything that computes, and unbinds it on every way out.
class TeamBinding
{
public:
    TeamBinding(ThreadTeam* team, Sequential& net, Loss& loss, Optimizer& optimizer)
        : m_net(net), m_loss(loss), m_optimizer(optimizer)
    {
        net.setThreadTeam(team);
        loss.setThreadTeam(team);
        optimizer.setThreadTeam(team);
    }
    ~TeamBinding()
    {
        m_net.setThreadTeam(nullptr);
        m_loss.setThreadTeam(nullptr);
        m_optimizer.setThreadTeam(nullptr);
    }
    TeamBinding(const TeamBinding&) = delete;
    TeamBinding& operator=(const TeamBinding&) = delete;

private:
    Sequential& m_net;
    Loss& m_loss;
    Optimizer& m_optimizer;
};

std::unique_ptr<Optimizer> makeOptimizer(const TrainParams& params)
{
    if (params.optimizer == OptimizerKind::Sgd)
        return std::make_unique<Sgd>(SgdParams{params.lr, params.momentum, params.l2});
    return std::make_unique<Adam>(AdamParams{params.lr, params.beta1, params.beta2, params.eps, params.l2});
}

Error nonFinite(int epoch, Index batch, const QString& where)
{
    return Error{ErrorCode::InvalidArgument,
                 Tr::tr("The %1 became NaN or infinite at epoch %2, batch %3; training stopped. A lower "
                        "learning rate (lr) or scaled features usually help.")
                     .arg(where)
                     .arg(epoch)
                     .arg(batch),
                 {},
                 0,
                 0,
                 QStringLiteral("loss")};
}

// One pass over the validation set in batches of batchSize (in set order): fills stats.valLoss and
// stats.valMetric (the loss when there is no metric).
Status validationPass(Sequential& net, Loss& loss, const Examples& validation, Metric* metric,
                      Index batchSize, int epoch, Batch& batch, const std::vector<std::uint32_t>& order,
                      const CancelToken& cancel, EpochStats& stats)
{
    const Index n = validation.size();
    double lossSum = 0;
    double weightSum = 0;
    if (metric)
        metric->reset();
    for (Index begin = 0; begin < n; begin += batchSize) {
        if (cancel.isCancelled())
            return cancelledError();
        batch.gather(validation, order.data() + begin, std::min(batchSize, n - begin));
        const Matrix& logits = batch.forward(net);
        const LossValue value = loss.evaluate(logits, batch.targets(), nullptr);
        if (!std::isfinite(value.mean))
            return nonFinite(epoch, begin / batchSize + 1, Tr::tr("validation loss"));
        lossSum += value.mean * value.weight;
        weightSum += value.weight;
        if (metric)
            metric->add(logits, batch.targets());
    }
    stats.valLoss = weightSum > 0 ? lossSum / weightSum : 0.0;
    stats.valMetric = metric ? metric->value() : stats.valLoss;
    stats.metricName = metric ? metric->name() : QStringLiteral("val_loss");
    return {};
}
} // namespace

SplitMix64 batchOrderGenerator(std::uint64_t seed)
{
    return SplitMix64::stream(seed, kShuffleStream);
}

void shuffleOrder(SplitMix64& rng, std::vector<std::uint32_t>& order)
{
    // Fisher-Yates with our generator: the order depends on the seed only.
    for (std::size_t i = order.size(); i > 1; --i)
        std::swap(order[i - 1], order[rng.below(i)]);
}

Status validateTrainParams(const TrainParams& p)
{
    if (p.epochs < 1)
        return invalid(QStringLiteral("epochs"),
                       Tr::tr("The number of epochs (epochs) must be at least 1; it is %1.").arg(p.epochs));
    if (p.batchSize < 1)
        return invalid(QStringLiteral("batch_size"),
                       Tr::tr("The batch size (batch_size) must be at least 1; it is %1.").arg(p.batchSize));
    if (!(p.lr > 0.0f) || !std::isfinite(p.lr))
        return invalid(
            QStringLiteral("lr"),
            Tr::tr("The learning rate (lr) must be a number above 0; it is %1.").arg(double(p.lr)));
    if (p.optimizer == OptimizerKind::Sgd && !inOpenUnit(p.momentum))
        return invalid(
            QStringLiteral("momentum"),
            Tr::tr("The momentum must be at least 0 and below 1; it is %1.").arg(double(p.momentum)));
    if (p.optimizer == OptimizerKind::Adam) {
        if (!inOpenUnit(p.beta1))
            return invalid(
                QStringLiteral("beta1"),
                Tr::tr("Adam's beta1 must be at least 0 and below 1; it is %1.").arg(double(p.beta1)));
        if (!inOpenUnit(p.beta2))
            return invalid(
                QStringLiteral("beta2"),
                Tr::tr("Adam's beta2 must be at least 0 and below 1; it is %1.").arg(double(p.beta2)));
        if (!(p.eps > 0.0f) || !std::isfinite(p.eps))
            return invalid(QStringLiteral("eps"),
                           Tr::tr("Adam's eps must be a number above 0; it is %1.").arg(double(p.eps)));
    }
    if (!(p.l2 >= 0.0f) || !std::isfinite(p.l2))
        return invalid(QStringLiteral("l2"),
                       Tr::tr("The L2 weight decay (l2) must be 0 or more; it is %1.").arg(double(p.l2)));
    if (p.patience < 0)
        return invalid(
            QStringLiteral("patience"),
            Tr::tr("The early-stopping patience must be 0 (off) or more; it is %1.").arg(p.patience));
    if (p.threads < 1 || p.threads > kMaxThreads)
        return invalid(QStringLiteral("threads"),
                       Tr::tr("The number of threads must be between 1 and %1; it is %2.")
                           .arg(kMaxThreads)
                           .arg(p.threads));
    return {};
}

Result<FitReport> train(const TrainInput& input, const TrainParams& params, ProgressSink& progress,
                        const CancelToken& cancel)
{
    if (!input.network || !input.loss || !input.train)
        return invalid(QStringLiteral("train"),
                       Tr::tr("Training needs a network, a loss and training data."));
    Sequential& net = *input.network;
    Loss& loss = *input.loss;
    if (Status status = validateTrainParams(params); !status)
        return status.error();
    if (Status status = net.validate(); !status)
        return status.error();
    if (Status status = checkExamples(*input.train, net, loss, {}, Tr::tr("training set")); !status)
        return status.error();
    const Examples* validation = input.validation;
    if (validation) {
        if (Status status =
                checkExamples(*validation, net, loss, QStringLiteral("validation"), Tr::tr("validation set"));
            !status)
            return status.error();
    } else if (params.patience > 0) {
        return invalid(QStringLiteral("patience"),
                       Tr::tr("Early stopping (patience %1) needs a validation set.").arg(params.patience));
    }
    if (input.metric && !validation)
        return invalid(QStringLiteral("validation"), Tr::tr("A validation metric needs a validation set."));

    const Examples& data = *input.train;
    const Index n = data.size();
    const Index batchSize = std::min<Index>(params.batchSize, n);
    const Index batches = (n + batchSize - 1) / batchSize;
    const std::int64_t totalBatches = std::int64_t(batches) * params.epochs;

    if (params.initialize)
        net.initialize(params.seed);
    std::unique_ptr<Optimizer> optimizer = makeOptimizer(params);
    ThreadTeam team(params.threads);
    TeamBinding binding(&team, net, loss, *optimizer);
    const std::vector<Parameter> parameters = net.parameters();

    // Everything the batch loop touches is allocated here, before it.
    std::vector<std::uint32_t> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), 0u);
    std::vector<std::uint32_t> validationOrder(std::size_t(validation ? validation->size() : 0));
    std::iota(validationOrder.begin(), validationOrder.end(), 0u);
    SplitMix64 shuffleRng = batchOrderGenerator(params.seed);
    Batch batch;
    Matrix gradLogits;
    std::vector<Matrix> best;

    FitReport report;
    double bestMetric = kNaN;
    int badEpochs = 0;
    const bool higherIsBetter = input.metric && input.metric->higherIsBetter();
    for (int epoch = 1; epoch <= params.epochs; ++epoch) {
        shuffleOrder(shuffleRng, order);
        const QString stage = Tr::tr("Training: epoch %1 of %2").arg(epoch).arg(params.epochs);
        double lossSum = 0;
        double weightSum = 0;
        for (Index b = 0; b < batches; ++b) {
            if (cancel.isCancelled())
                return cancelledError();
            const Index begin = b * batchSize;
            batch.gather(data, order.data() + begin, std::min(batchSize, n - begin));
            const Matrix& logits = batch.forward(net);
            const LossValue value = loss.evaluate(logits, batch.targets(), &gradLogits);
            if (!std::isfinite(value.mean))
                return nonFinite(epoch, b + 1, Tr::tr("training loss"));
            net.backward(gradLogits);
            optimizer->step(parameters);
            lossSum += value.mean * value.weight;
            weightSum += value.weight;
            progress.report(std::int64_t(epoch - 1) * batches + b + 1, totalBatches, stage);
        }

        EpochStats stats{epoch, weightSum > 0 ? lossSum / weightSum : 0.0, kNaN, kNaN, {}};
        if (validation) {
            if (Status status = validationPass(net, loss, *validation, input.metric, batchSize, epoch, batch,
                                               validationOrder, cancel, stats);
                !status)
                return status.error();
            const bool better = std::isnan(bestMetric) ? !std::isnan(stats.valMetric)
                                : higherIsBetter       ? stats.valMetric > bestMetric
                                                       : stats.valMetric < bestMetric;
            if (better) {
                bestMetric = stats.valMetric;
                report.bestEpoch = epoch;
                badEpochs = 0;
                if (params.restoreBest) {
                    best.resize(parameters.size());
                    for (std::size_t i = 0; i < parameters.size(); ++i)
                        best[i] = *parameters[i].value;
                }
            } else {
                ++badEpochs;
            }
        }
        report.history.push_back(stats);
        report.epochsRun = epoch;
        if (input.onEpoch)
            input.onEpoch(stats);
        if (params.patience > 0 && badEpochs >= params.patience) {
            report.stoppedEarly = epoch < params.epochs;
            break;
        }
    }
    if (validation && params.restoreBest && !best.empty())
        for (std::size_t i = 0; i < parameters.size(); ++i)
            *parameters[i].value = best[i];
    return report;
}

} // namespace swb::nn
