// bench_models: prepares one log with our pipeline, writes the learning cases of the three tasks for
// the Python peers (sklearn_logreg.py, torch_models.py), trains our models on the same cases and
// prints one JSON line with our times and test metrics. run_models_bench.sh runs it beside the
// peers and prints the ratios; see README.md in this folder.
//
//   bench_models --file F --out DIR [--format NAME] [--name LABEL] [--config PREP.json]
//                [--logreg-params JSON] [--mlp-epochs N]
//                [--neural-epochs N] [--neural-train-cases N] [--skip-counting] [--baseline-products]
//
// Steps, each on the same prepared run (import + prepare with the default PrepConfig, or the one in
// PREP.json):
//   purchase   buildClassificationData(Purchase), written; trainModel(purchase, logreg) with the
//              parameters of --logreg-params (JSON as `scenewb train --params`; default: the
//              model's defaults): fit seconds and test ROC-AUC;
//   intent     buildClassificationData(Intent), written; trainModel(intent, mlp) with hidden [64],
//              --mlp-epochs epochs, no early stopping: seconds per epoch, test accuracy, macro F1;
//   next-item  buildNextItemData, written (the training cases capped at --neural-train-cases,
//              evenly spaced, for the timing runs on big files); pop, rules and sknn through
//              trainModel (test HR@20, MRR@20; skipped with --skip-counting); the neural model
//              (context 5, 64-wide embeddings, 128 tanh units, full softmax) trained on the
//              written cases with --neural-epochs epochs and no early stopping: seconds per epoch,
//              test HR@20 and MRR@20.
//
// Files in DIR (raw little-endian, read with numpy.fromfile; shapes in DIR/meta.json):
//   {purchase,intent}-{train,validation,test}-x.f32   n × width features, row-major
//   {purchase,intent}-{train,validation,test}-y.i32   n labels
//   next-item-{train,validation,test}-ids.i32         n × context catalogue indices, oldest
//                                                     first, left-padded with -1
//   next-item-{train,validation,test}-y.i32           n targets (test: -1 = not in the catalogue)
//   {intent,next-item}-init-NAME.f32                  the initial weights of the MLP and of the
//                                                     neural model (see writeStart)
//   {intent,next-item}-order.i32                      epochs × n: the training cases' order in
//                                                     each epoch
//
// Seconds per epoch: the median of epochs 2.. (the first pays for building the cases and warming
// up), from the trainer's per-epoch callback; an epoch is the training pass and the validation
// pass, as in torch_models.py. Every model trains on two threads (TrainParams' default), the
// peers' setting. Matrix products use the AVX2 + FMA kernel where the processor has it;
// --baseline-products forces the baseline (SSE2) Eigen products, to compare the two paths.

#include "benchcases.h"

#include "core/io/importer.h"
#include "core/jobs/cancel.h"
#include "core/jobs/progress.h"
#include "core/models/neuralrecommender.h"
#include "core/models/nn/activation.h"
#include "core/models/nn/dense.h"
#include "core/models/nn/embedding.h"
#include "core/models/nn/product.h"
#include "core/models/nn/trainer.h"
#include "core/models/recommender.h"
#include "core/models/taskdata.h"
#include "core/models/training.h"
#include "core/prep/preparation.h"
#include "core/prep/prepconfig.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

struct Arguments
{
    QString file;
    QString out;
    QString format;
    QString name;
    QString config;
    QJsonObject logregParams;
    int mlpEpochs = 5;
    int neuralEpochs = 5;
    qint64 neuralTrainCases = 0; // 0: all
    bool skipCounting = false;
    bool baselineProducts = false;
};

int usage(const char* message)
{
    if (message)
        std::fprintf(stderr, "bench_models: %s\n", message);
    std::fprintf(
        stderr, "usage: bench_models --file F --out DIR [--format NAME] [--name LABEL] [--config PREP.json]\n"
                "                    [--logreg-params JSON]"
                "                    [--mlp-epochs N] [--neural-epochs N] [--neural-train-cases N]\n"
                "                    [--skip-counting] [--baseline-products]\n");
    return 2;
}

int fail(const char* stage, const swb::Error& error)
{
    std::fprintf(stderr, "bench_models: %s failed: %s\n", stage, error.toString().toLocal8Bit().constData());
    return 1;
}

std::optional<Arguments> parseArguments(int argc, char** argv)
{
    Arguments args;
    for (int i = 1; i < argc; ++i) {
        const std::string key = argv[i];
        if (key == "--skip-counting") {
            args.skipCounting = true;
            continue;
        }
        if (key == "--baseline-products") {
            args.baselineProducts = true;
            continue;
        }
        if (i + 1 >= argc)
            return std::nullopt;
        const QString value = QString::fromLocal8Bit(argv[++i]);
        bool ok = true;
        if (key == "--file")
            args.file = value;
        else if (key == "--out")
            args.out = value;
        else if (key == "--format")
            args.format = value;
        else if (key == "--name")
            args.name = value;
        else if (key == "--config")
            args.config = value;
        else if (key == "--logreg-params") {
            const QJsonDocument doc = QJsonDocument::fromJson(value.toUtf8());
            ok = doc.isObject();
            args.logregParams = doc.object();
        } else if (key == "--mlp-epochs")
            args.mlpEpochs = value.toInt(&ok);
        else if (key == "--neural-epochs")
            args.neuralEpochs = value.toInt(&ok);
        else if (key == "--neural-train-cases")
            args.neuralTrainCases = value.toLongLong(&ok);
        else
            return std::nullopt;
        if (!ok)
            return std::nullopt;
    }
    if (args.file.isEmpty() || args.out.isEmpty() || args.mlpEpochs < 1 || args.neuralEpochs < 1 ||
        args.neuralTrainCases < 0)
        return std::nullopt;
    if (args.name.isEmpty())
        args.name = QFileInfo(args.file).completeBaseName();
    return args;
}

// Writes raw values; false (with a message) when the file cannot be written completely.
// Epoch end times from the trainer's callback.
struct EpochClock
{
    Clock::time_point start = Clock::now();
    std::vector<double> ends;
    std::function<void(const swb::nn::EpochStats&)> callback()
    {
        return [this](const swb::nn::EpochStats&) {
            ends.push_back(secondsSince(start));
        };
    }
    QJsonArray epochSeconds() const
    {
        QJsonArray out;
        for (std::size_t i = 0; i < ends.size(); ++i)
            out.append(ends[i] - (i > 0 ? ends[i - 1] : 0.0));
        return out;
    }
    double perEpoch() const
    {
        std::vector<double> d;
        for (std::size_t i = ends.size() > 1 ? 1 : 0; i < ends.size(); ++i)
            d.push_back(ends[i] - (i > 0 ? ends[i - 1] : 0.0));
        if (d.empty())
            return 0;
        std::sort(d.begin(), d.end());
        return d.size() % 2 ? d[d.size() / 2] : 0.5 * (d[d.size() / 2 - 1] + d[d.size() / 2]);
    }
};

QJsonObject rankingAt20(const QJsonObject& split)
{
    const QJsonObject at =
        split.value(QStringLiteral("ranking")).toObject().value(QStringLiteral("20")).toObject();
    return {{QStringLiteral("hr20"), at.value(QStringLiteral("hr"))},
            {QStringLiteral("mrr20"), at.value(QStringLiteral("mrr"))},
            {QStringLiteral("cases"), split.value(QStringLiteral("cases"))}};
}

} // namespace

int main(int argc, char** argv)
{
    const std::optional<Arguments> args = parseArguments(argc, argv);
    if (!args)
        return usage(nullptr);
    if (!QFileInfo(args->file).isFile())
        return usage("--file is not a readable file");
    if (!QDir().mkpath(args->out))
        return usage("--out cannot be created");

    if (args->baselineProducts)
        swb::nn::detail::setAvx2Products(false);
    swb::NullProgress progress;
    const swb::CancelToken cancel;
    QJsonObject out{{QStringLiteral("tool"), QStringLiteral("swb")},
                    {QStringLiteral("name"), args->name},
                    {QStringLiteral("file"), args->file},
                    {QStringLiteral("threads"), 2},
                    {QStringLiteral("products"), swb::nn::detail::avx2Products()
                                                     ? QStringLiteral("avx2-fma")
                                                     : QStringLiteral("baseline-sse2")}};
    QJsonObject meta{{QStringLiteral("name"), args->name}, {QStringLiteral("file"), args->file}};

    // --- the prepared run, once --------------------------------------------------------------------
    swb::ImportOptions options;
    options.files = QStringList{args->file};
    options.format = args->format;
    auto start = Clock::now();
    auto imported = swb::importLog(options, progress, cancel);
    if (!imported)
        return fail("import", imported.error());
    swb::PrepConfig config;
    if (!args->config.isEmpty()) {
        auto read = swb::PrepConfig::fromJsonFile(args->config);
        if (!read)
            return fail("reading the preparation config", read.error());
        config = read.value();
    }
    auto prepared = swb::prepare(imported.value().table, config, progress, cancel);
    if (!prepared)
        return fail("prepare", prepared.error());
    const swb::PreparedData& data = prepared.value();
    out.insert(QStringLiteral("format"), imported.value().report.format);
    out.insert(QStringLiteral("rows"), qint64(imported.value().report.rowsImported));
    out.insert(QStringLiteral("events"), qint64(data.rows.size()));
    out.insert(QStringLiteral("sessions"), qint64(data.sessionCount()));
    out.insert(QStringLiteral("prepare_seconds"), secondsSince(start));
    out.insert(QStringLiteral("split"), data.config.toJson().value(QStringLiteral("split")));

    // --- purchase: logistic regression with its defaults --------------------------------------------
    {
        auto cases = swb::buildClassificationData(data, swb::Task::Purchase, cancel);
        if (!cases)
            return fail("building the purchase cases", cases.error());
        QJsonObject m;
        if (!benchcases::writeClassification(args->out, QStringLiteral("purchase"), cases.value(), m))
            return 1;
        meta.insert(QStringLiteral("purchase"), m);
        auto trained = swb::trainModel(
            data, {swb::Task::Purchase, QStringLiteral("logreg"), args->logregParams, 42}, progress, cancel);
        if (!trained)
            return fail("training logreg", trained.error());
        const QJsonObject& r = trained.value().report;
        out.insert(QStringLiteral("logreg"),
                   QJsonObject{
                       {QStringLiteral("fit_seconds"), r.value(QStringLiteral("train_seconds"))},
                       {QStringLiteral("epochs_run"), r.value(QStringLiteral("epochs_run"))},
                       {QStringLiteral("params"), r.value(QStringLiteral("params"))},
                       {QStringLiteral("train_cases"),
                        m.value(QStringLiteral("cases")).toObject().value(QStringLiteral("train"))},
                       {QStringLiteral("test"),
                        QJsonObject{
                            {QStringLiteral("roc_auc"),
                             r.value(QStringLiteral("test")).toObject().value(QStringLiteral("roc_auc"))}}}});
    }

    // --- intent: the MLP ----------------------------------------------------------------------------
    {
        auto cases = swb::buildClassificationData(data, swb::Task::Intent, cancel);
        if (!cases)
            return fail("building the intent cases", cases.error());
        QJsonObject m;
        if (!benchcases::writeClassification(args->out, QStringLiteral("intent"), cases.value(), m))
            return 1;
        swb::nn::Sequential net; // NetworkClassifier's MLP with one hidden layer of 64
        net.emplace<swb::nn::Dense>(cases->width, 64);
        net.emplace<swb::nn::Activation>(swb::nn::Activation::Function::Relu);
        net.emplace<swb::nn::Dense>(64, cases->labels.size() == 2 ? 1 : cases->labels.size());
        if (!benchcases::writeStart(args->out, QStringLiteral("intent"), net, 42,
                                    cases->part(swb::SplitPart::Train).size(), args->mlpEpochs, m))
            return 1;
        const QJsonObject params{{QStringLiteral("hidden"), QJsonArray{64}},
                                 {QStringLiteral("epochs"), args->mlpEpochs},
                                 {QStringLiteral("patience"), 0},
                                 {QStringLiteral("lr"), 1e-3},
                                 {QStringLiteral("batch_size"), 256}};
        EpochClock clock;
        auto trained = swb::trainModel(data, {swb::Task::Intent, QStringLiteral("mlp"), params, 42}, progress,
                                       cancel, clock.callback());
        if (!trained)
            return fail("training mlp", trained.error());
        const QJsonObject& r = trained.value().report;
        m.insert(QStringLiteral("params"), r.value(QStringLiteral("params")));
        meta.insert(QStringLiteral("intent"), m);
        const QJsonObject test = r.value(QStringLiteral("test")).toObject();
        out.insert(
            QStringLiteral("mlp"),
            QJsonObject{
                {QStringLiteral("seconds_per_epoch"), clock.perEpoch()},
                {QStringLiteral("epoch_seconds"), clock.epochSeconds()},
                {QStringLiteral("train_seconds"), r.value(QStringLiteral("train_seconds"))},
                {QStringLiteral("best_epoch"), r.value(QStringLiteral("best_epoch"))},
                {QStringLiteral("train_cases"),
                 m.value(QStringLiteral("cases")).toObject().value(QStringLiteral("train"))},
                {QStringLiteral("test"),
                 QJsonObject{{QStringLiteral("accuracy"), test.value(QStringLiteral("accuracy"))},
                             {QStringLiteral("macro_f1"),
                              test.value(QStringLiteral("macro")).toObject().value(QStringLiteral("f1"))}}}});
    }

    // --- next item ------------------------------------------------------------------------------------
    {
        auto built = swb::buildNextItemData(data, cancel);
        if (!built)
            return fail("building the next-item cases", built.error());
        swb::NextItemData& cases = built.value();
        auto& trainCases = cases.parts[std::size_t(swb::SplitPart::Train)];
        const std::size_t allTrainCases = trainCases.size();

        swb::NeuralRecommenderParams neural;
        neural.train.epochs = args->neuralEpochs;
        neural.train.patience = 0;
        neural.train.seed = 42;
        if (!args->skipCounting) {
            QJsonObject counting;
            for (const QString& kind :
                 {QStringLiteral("pop"), QStringLiteral("rules"), QStringLiteral("sknn")}) {
                auto trained = swb::trainModel(data, {swb::Task::NextItem, kind, {}, 42}, progress, cancel);
                if (!trained)
                    return fail("training a counting recommender", trained.error());
                const QJsonObject& r = trained.value().report;
                QJsonObject row = rankingAt20(r.value(QStringLiteral("test")).toObject());
                row.insert(QStringLiteral("train_seconds"), r.value(QStringLiteral("train_seconds")));
                counting.insert(kind, row);
            }
            out.insert(QStringLiteral("next_item"), counting);
        }

        trainCases = benchcases::capCases(trainCases, args->neuralTrainCases);
        QJsonObject m;
        if (!benchcases::writeNextItem(args->out, cases, neural.context, m))
            return 1;
        {
            const swb::nn::Index items = cases.catalogue.size();
            swb::nn::Sequential net; // NeuralRecommender's network
            net.setEmbedding(std::make_unique<swb::nn::Embedding>(items, neural.embedding, neural.context));
            net.emplace<swb::nn::Dense>(swb::nn::Index(neural.context) * neural.embedding, neural.hidden);
            net.emplace<swb::nn::Activation>(swb::nn::Activation::Function::Tanh);
            net.emplace<swb::nn::Dense>(neural.hidden, items);
            const auto train =
                m.value(QStringLiteral("cases")).toObject().value(QStringLiteral("train")).toInteger();
            if (!benchcases::writeStart(args->out, QStringLiteral("next-item"), net, neural.train.seed,
                                        std::size_t(train), neural.train.epochs, m))
                return 1;
        }
        m.insert(QStringLiteral("params"), swb::toJson(neural));
        m.insert(QStringLiteral("train_cases_before_cap"), qint64(allTrainCases));
        meta.insert(QStringLiteral("next_item"), m);

        EpochClock clock;
        swb::nn::FitReport fit;
        auto trained = swb::NeuralRecommender::train(cases, neural, progress, cancel, clock.callback(), fit);
        if (!trained)
            return fail("training the neural recommender", trained.error());
        const double trainSeconds = secondsSince(clock.start);
        // HR@20 and MRR@20 over every test case, as evaluateModel counts them (an unseen target
        // is a miss), from the model's scores and the ranking rule of rankOf.
        const swb::Recommender& model = *trained.value();
        const std::uint32_t n = model.catalogueSize();
        std::vector<float> scores(n);
        std::int64_t hits = 0;
        double reciprocal = 0;
        const auto& test = cases.part(swb::SplitPart::Test);
        for (const swb::CaseRef& c : test) {
            const std::uint32_t target = cases.target(c);
            if (target == swb::Catalogue::kNoItem)
                continue;
            model.score(cases.contextBegin(c), cases.contextEnd(c), scores.data());
            const std::uint32_t rank = swb::rankOf(scores.data(), n, target);
            if (rank <= 20) {
                ++hits;
                reciprocal += 1.0 / rank;
            }
        }
        const double count = test.empty() ? 1.0 : double(test.size());
        out.insert(QStringLiteral("neural"),
                   QJsonObject{{QStringLiteral("seconds_per_epoch"), clock.perEpoch()},
                               {QStringLiteral("epoch_seconds"), clock.epochSeconds()},
                               {QStringLiteral("train_seconds"), trainSeconds},
                               {QStringLiteral("best_epoch"), fit.bestEpoch},
                               {QStringLiteral("catalogue"), qint64(n)},
                               {QStringLiteral("train_cases"),
                                m.value(QStringLiteral("cases")).toObject().value(QStringLiteral("train"))},
                               {QStringLiteral("test"),
                                QJsonObject{{QStringLiteral("hr20"), double(hits) / count},
                                            {QStringLiteral("mrr20"), reciprocal / count},
                                            {QStringLiteral("cases"), qint64(test.size())}}}});
    }

    meta.insert(QStringLiteral("ours"), out);
    QFile metaFile(args->out + QStringLiteral("/meta.json"));
    if (!metaFile.open(QIODevice::WriteOnly) || metaFile.write(QJsonDocument(meta).toJson()) < 0 ||
        !metaFile.flush())
        return usage("cannot write meta.json");
    const QByteArray json = QJsonDocument(out).toJson(QJsonDocument::Compact);
    std::fwrite(json.constData(), 1, std::size_t(json.size()), stdout);
    std::fputc('\n', stdout);
    return 0;
}
