#include "training.h"

#include "core/eval/binaryscores.h"
#include "core/eval/classification.h"
#include "core/eval/ranking.h"
#include "core/models/classifiers.h"
#include "core/models/itemrecommenders.h"
#include "core/models/neuralrecommender.h"
#include "core/util/jsonsettings.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QSaveFile>

#include <atomic>
#include <cmath>
#include <thread>

namespace swb {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(swb::Training)
};

constexpr int kListLength = 50; // ranks beyond this are misses (kMaxRankingK)
constexpr int kCoverageK = 20;

bool isNetwork(const QString& kind)
{
    return kind == QLatin1String("logreg") || kind == QLatin1String("mlp");
}

// Hyperparameters of the counting recommenders and the baselines (which take none).
Status parseCountingParams(const QString& kind, const QJsonObject& json, SequentialRulesParams& rules,
                           SessionKnnParams& knn)
{
    using namespace settings;
    std::map<QString, Reader> keys;
    if (kind == QLatin1String("rules"))
        keys = {{QStringLiteral("window"), integer(rules.window)}};
    else if (kind == QLatin1String("sknn"))
        keys = {{QStringLiteral("neighbours"), integer(knn.neighbours)},
                {QStringLiteral("sample_size"), integer(knn.sampleSize)}};
    if (Status s = readObject(json, {}, keys); !s)
        return s;
    if (kind == QLatin1String("rules"))
        return validate(rules);
    if (kind == QLatin1String("sknn"))
        return validate(knn);
    return {};
}

QJsonObject countingParamsJson(const QString& kind, const SequentialRulesParams& rules,
                               const SessionKnnParams& knn)
{
    if (kind == QLatin1String("rules"))
        return {{QStringLiteral("window"), rules.window}};
    if (kind == QLatin1String("sknn"))
        return {{QStringLiteral("neighbours"), knn.neighbours},
                {QStringLiteral("sample_size"), knn.sampleSize}};
    return {};
}

Error cannotWrite(const QString& path, const QString& why)
{
    return Error{
        ErrorCode::FileUnreadable, Tr::tr("cannot write the predictions: %1").arg(why), path, 0, 0, {}};
}

Status writeLines(const QString& path, const QByteArray& header,
                  const std::function<QByteArray(std::size_t)>& line, std::size_t rows)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return cannotWrite(path, file.errorString());
    file.write(header);
    for (std::size_t i = 0; i < rows; ++i)
        file.write(line(i));
    if (!file.commit())
        return cannotWrite(path, file.errorString());
    return {};
}

Result<Evaluation> evaluateClassifier(Classifier& model, const ClassificationData& data, SplitPart split,
                                      double threshold)
{
    const FeatureCases& cases = data.part(split);
    const int classes = int(data.labels.size());
    std::vector<double> probabilities;
    model.predict(cases, probabilities);
    Evaluation out;
    out.split = split;
    out.labels = data.labels;
    out.threshold = threshold;
    out.yTrue.assign(cases.y.begin(), cases.y.end());
    out.yPred.resize(cases.size());
    out.score.resize(cases.size());
    Result<ClassificationReport> report = Error{};
    if (classes == 2) {
        for (std::size_t i = 0; i < cases.size(); ++i) {
            out.score[i] = probabilities[2 * i + 1];
            out.yPred[i] = out.score[i] >= threshold ? 1 : 0;
        }
        auto scores = BinaryScores::create(out.yTrue, out.score);
        if (!scores)
            return scores.error();
        report = scores->report(threshold, data.labels);
        out.binary = std::move(scores.value());
    } else {
        for (std::size_t i = 0; i < cases.size(); ++i) {
            const double* p = probabilities.data() + i * std::size_t(classes);
            out.yPred[i] = int(std::max_element(p, p + classes) - p);
            out.score[i] = p[out.yPred[i]];
        }
        report = evaluateClassification(out.yTrue, out.yPred, data.labels, probabilities);
    }
    if (!report)
        return report.error();
    out.metrics = toJson(*report);
    out.classification = std::move(report.value());
    return out;
}

Result<Evaluation> evaluateRecommender(const Recommender& model, const NextItemData& data, SplitPart split,
                                       ProgressSink& progress, const CancelToken& cancel)
{
    const std::vector<CaseRef>& cases = data.part(split);
    const std::uint32_t n = data.catalogue.size();
    Evaluation out;
    out.task = Task::NextItem;
    out.split = split;
    out.ranks.assign(cases.size(), 0);
    // Each case scores the whole catalogue; the cases are shared between both cores, each with
    // its own accumulator (merged afterwards: the report does not depend on the split).
    const unsigned threads = std::max(1u, std::min(2u, std::thread::hardware_concurrency()));
    std::vector<RankingAccumulator> parts(threads, RankingAccumulator(n, kCoverageK));
    std::atomic<std::size_t> done{0};
    const auto work = [&](unsigned part) {
        std::vector<float> scores(n);
        std::vector<std::uint32_t> top;
        for (std::size_t i = part; i < cases.size(); i += threads) {
            if (cancel.isCancelled())
                return;
            const CaseRef& c = cases[i];
            model.score(data.contextBegin(c), data.contextEnd(c), scores.data());
            topK(scores.data(), n, kCoverageK, top);
            const std::uint32_t target = data.target(c);
            const bool unseen = target == Catalogue::kNoItem;
            const std::uint32_t rank = unseen ? 0 : rankOf(scores.data(), n, target);
            parts[part].addCase(rank, top, unseen);
            out.ranks[i] = rank <= kListLength ? rank : 0;
            const std::size_t finished = done.fetch_add(1, std::memory_order_relaxed) + 1;
            if (part == 0 && i % 256 == 0)
                progress.report(std::int64_t(finished), std::int64_t(cases.size()), Tr::tr("Evaluating"));
        }
    };
    std::vector<std::thread> helpers;
    for (unsigned t = 1; t < threads; ++t)
        helpers.emplace_back(work, t);
    work(0); // the calling thread scores too, and reports the progress
    for (std::thread& t : helpers)
        t.join();
    progress.report(std::int64_t(done.load()), std::int64_t(cases.size()), Tr::tr("Evaluating"));
    if (cancel.isCancelled())
        return cancelledError();
    for (unsigned t = 1; t < threads; ++t)
        parts[0].merge(parts[t]);
    auto report = parts[0].report();
    if (!report)
        return report.error();
    out.targets.reserve(qsizetype(cases.size()));
    for (const CaseRef& c : cases) {
        const std::uint32_t target = data.target(c);
        out.targets.append(target == Catalogue::kNoItem ? QString()
                                                        : QString::number(data.catalogue.itemCode[target]));
    }
    out.metrics = toJson(*report);
    out.ranking = report.value();
    return out;
}

QJsonArray historyJson(const std::vector<nn::EpochStats>& history)
{
    QJsonArray list;
    const auto number = [](double v) {
        return std::isfinite(v) ? QJsonValue(v) : QJsonValue(QJsonValue::Null);
    };
    for (const nn::EpochStats& e : history)
        list.append(QJsonObject{{QStringLiteral("epoch"), e.epoch},
                                {QStringLiteral("train_loss"), number(e.trainLoss)},
                                {QStringLiteral("val_loss"), number(e.valLoss)},
                                {QStringLiteral("val_metric"), number(e.valMetric)}});
    return list;
}

// The hyperparameters of one model kind, parsed with the defaults filled in.
struct ParsedParams
{
    NetworkParams network;
    NeuralRecommenderParams neural;
    SequentialRulesParams rules;
    SessionKnnParams knn;
    QJsonObject json; // every key of the kind with its value
};

// The one place that knows which parser reads which kind's parameters.
Result<ParsedParams> parseParams(Task task, const QString& kind, const QJsonObject& json)
{
    if (!modelKinds(task).contains(kind))
        return settings::settingError(
            QStringLiteral("model"),
            Tr::tr("“%1” is not a model of the %2 task (models: %3)")
                .arg(kind, taskKey(task), modelKinds(task).join(QStringLiteral(", "))));
    ParsedParams p;
    if (kind == QLatin1String("neural")) {
        auto parsed = parseNeuralRecommenderParams(json);
        if (!parsed)
            return parsed.error();
        p.neural = parsed.value();
        p.json = toJson(p.neural);
    } else if (isNetwork(kind)) {
        auto parsed = parseNetworkParams(json, kind == QLatin1String("mlp"));
        if (!parsed)
            return parsed.error();
        p.network = parsed.value();
        p.json = toJson(p.network, kind == QLatin1String("mlp"));
    } else {
        if (Status s = parseCountingParams(kind, json, p.rules, p.knn); !s)
            return s.error();
        p.json = countingParamsJson(kind, p.rules, p.knn);
    }
    return p;
}

std::vector<int> hiddenOf(const QJsonObject& params)
{
    std::vector<int> hidden;
    for (const QJsonValue& v : params.value(QStringLiteral("hidden")).toArray())
        hidden.push_back(v.toInt());
    return hidden;
}

} // namespace

QStringList modelKinds(Task task)
{
    if (task == Task::NextItem)
        return {QStringLiteral("pop"), QStringLiteral("rules"), QStringLiteral("sknn"),
                QStringLiteral("neural")};
    return {QStringLiteral("majority"), QStringLiteral("logreg"), QStringLiteral("mlp")};
}

Result<QJsonObject> defaultParams(Task task, const QString& kind)
{
    return resolveParams(task, kind, {});
}

Result<QJsonObject> resolveParams(Task task, const QString& kind, const QJsonObject& params)
{
    auto parsed = parseParams(task, kind, params);
    if (!parsed)
        return parsed.error();
    return parsed->json;
}

Status validateParams(Task task, const QString& kind, const QJsonObject& params)
{
    auto parsed = parseParams(task, kind, params);
    if (!parsed)
        return parsed.error();
    return {};
}

Result<TrainedModel> trainModel(const PreparedData& data, const TrainRequest& request, ProgressSink& progress,
                                const CancelToken& cancel,
                                const std::function<void(const nn::EpochStats&)>& onEpoch)
{
    // Parameters first: a bad one is refused before any work.
    auto parsed = parseParams(request.task, request.kind, request.params);
    if (!parsed)
        return parsed.error();
    NetworkParams& network = parsed->network;
    NeuralRecommenderParams& neural = parsed->neural;
    network.train.seed = request.seed;
    neural.train.seed = request.seed;
    const SequentialRulesParams& rules = parsed->rules;
    const SessionKnnParams& knn = parsed->knn;
    const QJsonObject& params = parsed->json;

    QJsonObject report{{QStringLiteral("task"), taskKey(request.task)},
                       {QStringLiteral("model"), request.kind},
                       {QStringLiteral("params"), params},
                       {QStringLiteral("seed"), double(request.seed)}};
    QElapsedTimer timer;
    timer.start();
    TensorPack pack;
    nn::FitReport fit;
    PhaseProgress training(progress, 0, 800, Tr::tr("Training"));
    PhaseProgress evaluating(progress, 800, kPhaseScale, Tr::tr("Evaluating"));
    if (request.task == Task::NextItem) {
        auto cases = buildNextItemData(data, cancel);
        if (!cases)
            return cases.error();
        std::unique_ptr<Recommender> model;
        if (request.kind == QLatin1String("pop")) {
            auto pop = std::make_unique<PopularityRecommender>(cases->catalogue);
            pack = pop->save();
            model = std::move(pop);
        } else if (request.kind == QLatin1String("rules")) {
            auto trained = SequentialRulesRecommender::train(*cases, rules, cancel);
            if (!trained)
                return trained.error();
            pack = trained.value()->save();
            model = std::move(trained.value());
        } else if (request.kind == QLatin1String("sknn")) {
            auto trained = SessionKnnRecommender::train(*cases, knn, cancel);
            if (!trained)
                return trained.error();
            pack = trained.value()->save();
            model = std::move(trained.value());
        } else {
            auto trained = NeuralRecommender::train(*cases, neural, training, cancel, onEpoch, fit);
            if (!trained)
                return trained.error();
            pack = trained.value()->save();
            model = std::move(trained.value());
        }
        report.insert(QStringLiteral("train_seconds"), double(timer.nsecsElapsed()) / 1e9);
        report.insert(QStringLiteral("catalogue_size"), qint64(cases->catalogue.size()));
        for (const SplitPart split : {SplitPart::Validation, SplitPart::Test}) {
            auto evaluation = evaluateRecommender(*model, *cases, split, evaluating, cancel);
            if (!evaluation)
                return evaluation.error();
            report.insert(splitPartKey(split), evaluation->metrics);
        }
    } else {
        auto cases = buildClassificationData(data, request.task, cancel);
        if (!cases)
            return cases.error();
        std::unique_ptr<Classifier> model;
        if (request.kind == QLatin1String("majority")) {
            model = std::make_unique<MajorityClassifier>(*cases);
        } else {
            auto trained = NetworkClassifier::train(*cases, network, training, cancel, onEpoch, fit);
            if (!trained)
                return trained.error();
            model = std::move(trained.value());
        }
        report.insert(QStringLiteral("train_seconds"), double(timer.nsecsElapsed()) / 1e9);
        pack = model->save();
        // The purchase model's decision threshold: the one with the best F1 on validation.
        double threshold = 0.5;
        if (request.task == Task::Purchase) {
            std::vector<double> probabilities;
            const FeatureCases& validation = cases->part(SplitPart::Validation);
            model->predict(validation, probabilities);
            std::vector<int> y(validation.y.begin(), validation.y.end());
            std::vector<double> p(validation.size());
            for (std::size_t i = 0; i < p.size(); ++i)
                p[i] = probabilities[2 * i + 1];
            auto scores = BinaryScores::create(y, p);
            auto best = scores ? scores->bestF1Threshold() : Result<ThresholdMetrics>(scores.error());
            if (best)
                threshold = best->threshold;
            else
                report.insert(QStringLiteral("threshold_note"),
                              Tr::tr("the threshold stays 0.5: %1").arg(best.error().message));
            report.insert(QStringLiteral("threshold"), threshold);
        }
        report.insert(QStringLiteral("labels"), QJsonArray::fromStringList(cases->labels));
        report.insert(QStringLiteral("features"), QJsonArray::fromStringList(cases->featureNames));
        for (const SplitPart split : {SplitPart::Validation, SplitPart::Test}) {
            auto evaluation = evaluateClassifier(*model, *cases, split, threshold);
            if (!evaluation)
                return evaluation.error();
            report.insert(splitPartKey(split), evaluation->metrics);
        }
    }
    report.insert(QStringLiteral("epochs_run"), fit.epochsRun);
    report.insert(QStringLiteral("best_epoch"), fit.bestEpoch);
    report.insert(QStringLiteral("history"), historyJson(fit.history));
    if (!fit.history.empty())
        report.insert(QStringLiteral("val_metric_name"), fit.history.front().metricName);
    evaluating.report(1, 1, {});
    return TrainedModel{report, pack.encode()};
}

namespace {

// The stored model of a next-item kind over a catalogue of n items.
Result<std::unique_ptr<Recommender>> loadRecommender(const QString& kind, const QJsonObject& params,
                                                     const TensorPack& pack, std::uint32_t n)
{
    Result<std::unique_ptr<Recommender>> out = Error{};
    const auto take = [&](auto loaded) {
        if (!loaded)
            out = loaded.error();
        else
            out = std::unique_ptr<Recommender>(std::move(loaded.value()));
    };
    if (kind == QLatin1String("pop")) {
        take(PopularityRecommender::load(pack, n));
    } else if (kind == QLatin1String("rules")) {
        take(SequentialRulesRecommender::load(pack, n));
    } else if (kind == QLatin1String("neural")) {
        auto neural = parseNeuralRecommenderParams(params);
        if (!neural)
            return neural.error();
        take(NeuralRecommender::load(pack, *neural, n));
    } else {
        SequentialRulesParams unused;
        SessionKnnParams knn;
        if (Status s = parseCountingParams(kind, params, unused, knn); !s)
            return s.error();
        take(SessionKnnRecommender::load(pack, knn, n));
    }
    return out;
}

// The stored classifier of a kind over `width` features and `classes` classes.
Result<std::unique_ptr<Classifier>> loadClassifier(const QString& kind, const QJsonObject& params,
                                                   const TensorPack& pack, int width, int classes)
{
    if (kind == QLatin1String("majority")) {
        auto loaded = MajorityClassifier::load(pack, classes);
        if (!loaded)
            return loaded.error();
        return std::unique_ptr<Classifier>(std::move(loaded.value()));
    }
    auto loaded = NetworkClassifier::load(pack, width, classes, hiddenOf(params));
    if (!loaded)
        return loaded.error();
    return std::unique_ptr<Classifier>(std::move(loaded.value()));
}

std::optional<Task> storedTask(const QJsonObject& report)
{
    const auto task = taskFromKey(report.value(QStringLiteral("task")).toString());
    if (!task || !modelKinds(*task).contains(report.value(QStringLiteral("model")).toString()))
        return std::nullopt;
    return task;
}

Error unknownKind()
{
    return Error{
        ErrorCode::Corrupt, Tr::tr("the stored model has an unknown task or model type"), {}, 0, 0, {}};
}

} // namespace

Status checkStoredModel(const QJsonObject& report, const QByteArray& weights, int width, int classes,
                        std::uint32_t catalogueSize)
{
    const auto task = storedTask(report);
    if (!task)
        return unknownKind();
    auto pack = TensorPack::decode(weights);
    if (!pack)
        return pack.error();
    const QString kind = report.value(QStringLiteral("model")).toString();
    const QJsonObject params = report.value(QStringLiteral("params")).toObject();
    if (*task == Task::NextItem) {
        if (auto loaded = loadRecommender(kind, params, *pack, catalogueSize); !loaded)
            return loaded.error();
    } else if (auto loaded = loadClassifier(kind, params, *pack, width, classes); !loaded) {
        return loaded.error();
    }
    return {};
}

Result<Evaluation> evaluateStoredModel(const PreparedData& data, const QJsonObject& report,
                                       const QByteArray& weights, SplitPart split, ProgressSink& progress,
                                       const CancelToken& cancel)
{
    const auto task = storedTask(report);
    if (!task)
        return unknownKind();
    const QString kind = report.value(QStringLiteral("model")).toString();
    auto pack = TensorPack::decode(weights);
    if (!pack)
        return pack.error();
    const QJsonObject params = report.value(QStringLiteral("params")).toObject();
    if (*task == Task::NextItem) {
        auto cases = buildNextItemData(data, cancel);
        if (!cases)
            return cases.error();
        auto model = loadRecommender(kind, params, *pack, cases->catalogue.size());
        if (!model)
            return model.error();
        return evaluateRecommender(**model, *cases, split, progress, cancel);
    }
    auto cases = buildClassificationData(data, *task, cancel);
    if (!cases)
        return cases.error();
    auto model = loadClassifier(kind, params, *pack, cases->width, int(cases->labels.size()));
    if (!model)
        return model.error();
    const double threshold = report.value(QStringLiteral("threshold")).toDouble(0.5);
    auto evaluation = evaluateClassifier(**model, *cases, split, threshold);
    if (evaluation)
        evaluation->task = *task;
    return evaluation;
}

Status writePredictions(const Evaluation& evaluation, const QString& path)
{
    if (evaluation.task == Task::NextItem) {
        const auto line = [&](std::size_t i) {
            return QStringLiteral("%1,%2,%3\n")
                .arg(i)
                .arg(evaluation.targets[qsizetype(i)])
                .arg(evaluation.ranks[i])
                .toUtf8();
        };
        return writeLines(path, "case_id,target,rank\n", line, evaluation.ranks.size());
    }
    const auto line = [&](std::size_t i) {
        return QStringLiteral("%1,%2,%3,%4\n")
            .arg(i)
            .arg(evaluation.labels[evaluation.yTrue[i]], evaluation.labels[evaluation.yPred[i]])
            .arg(evaluation.score[i], 0, 'g', 9)
            .toUtf8();
    };
    return writeLines(path, "case_id,y_true,y_pred,score\n", line, evaluation.yTrue.size());
}

Result<QJsonObject> evaluateModel(const PreparedData& data, const QJsonObject& report,
                                  const QByteArray& weights, SplitPart split, const QString& predictionsPath,
                                  ProgressSink& progress, const CancelToken& cancel)
{
    auto evaluation = evaluateStoredModel(data, report, weights, split, progress, cancel);
    if (!evaluation)
        return evaluation.error();
    if (!predictionsPath.isEmpty()) {
        if (Status s = writePredictions(*evaluation, predictionsPath); !s)
            return s.error();
    }
    return evaluation->metrics;
}

QJsonObject evaluationJson(const QString& modelName, const QString& task, const QString& kind,
                           SplitPart split, const QJsonObject& metrics)
{
    return {{QStringLiteral("model_id"), modelName},
            {QStringLiteral("task"), task},
            {QStringLiteral("model"), kind},
            {QStringLiteral("split"), splitPartKey(split)},
            {splitPartKey(split), metrics}};
}

} // namespace swb
