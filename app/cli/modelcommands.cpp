// `scenewb train`, `scenewb models` and `scenewb evaluate`: the models of the scene tasks.

#include "cliutil.h"
#include "commands.h"

#include "core/bundle/bundleexport.h"
#include "core/models/modeljob.h"
#include "core/models/training.h"
#include "core/prep/storedrun.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace swb::cli {

namespace {

QString metric(const QJsonValue& v)
{
    return v.isDouble() ? QString::number(v.toDouble(), 'f', 4) : Tr::tr("n/a");
}

// A few lines of the metrics a person reads first; --json has everything.
void printMetrics(const QString& title, const QJsonObject& m)
{
    if (m.contains(QStringLiteral("ranking"))) {
        const QJsonObject at20 =
            m.value(QStringLiteral("ranking")).toObject().value(QStringLiteral("20")).toObject();
        printLine(
            stdout,
            Tr::tr("%1 HR@20 %2  MRR@20 %3  NDCG@20 %4  coverage@20 %5  (%6 cases, %7 unseen targets)")
                .arg(title, -11)
                .arg(metric(at20.value(QStringLiteral("hr"))), metric(at20.value(QStringLiteral("mrr"))),
                     metric(at20.value(QStringLiteral("ndcg"))), metric(m.value(QStringLiteral("coverage"))))
                .arg(m.value(QStringLiteral("cases")).toInteger())
                .arg(m.value(QStringLiteral("unseen_targets")).toInteger()));
        return;
    }
    const QJsonObject macro = m.value(QStringLiteral("macro")).toObject();
    QString line =
        Tr::tr("%1 accuracy %2  macro P %3 R %4 F1 %5")
            .arg(title, -11)
            .arg(metric(m.value(QStringLiteral("accuracy"))),
                 metric(macro.value(QStringLiteral("precision"))),
                 metric(macro.value(QStringLiteral("recall"))), metric(macro.value(QStringLiteral("f1"))));
    if (m.contains(QStringLiteral("roc_auc")))
        line +=
            Tr::tr("  ROC-AUC %1  PR-AUC %2")
                .arg(metric(m.value(QStringLiteral("roc_auc"))), metric(m.value(QStringLiteral("pr_auc"))));
    printLine(stdout, line);
}

std::optional<SplitPart> splitFromKey(const QString& key)
{
    for (const SplitPart p : {SplitPart::Train, SplitPart::Validation, SplitPart::Test}) {
        if (splitPartKey(p) == key)
            return p;
    }
    return std::nullopt;
}

} // namespace

int trainCommand(const QStringList& args)
{
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("task"), Tr::tr("intent, next-item or purchase."), Tr::tr("TASK")});
    parser.addOption(
        {QStringLiteral("model"),
         Tr::tr("majority, logreg, mlp (intent, purchase); pop, rules, sknn, neural (next-item)."),
         Tr::tr("NAME")});
    parser.addOption({QStringLiteral("params"),
                      Tr::tr("Hyperparameters as JSON, e.g. {\"lr\":0.001,\"epochs\":20}."), Tr::tr("JSON")});
    parser.addOption({QStringLiteral("seed"),
                      Tr::tr("Seed of the initial weights and batch order (default 42)."), Tr::tr("N")});
    parser.addOption(
        {QStringLiteral("name"), Tr::tr("Name of the model (default: RUN-TASK-MODEL)."), Tr::tr("MODEL")});
    if (!parse(parser, args, QStringLiteral("train"), QStringLiteral("RUN")))
        return Usage;
    if (parser.positionalArguments().size() != 1) {
        printLine(stderr, Tr::tr("scenewb train: give one prepared run (see 'scenewb runs')"));
        return Usage;
    }
    const QString runName = parser.positionalArguments().front();
    TrainRequest request;
    const auto task = taskFromKey(parser.value(QStringLiteral("task")));
    if (!task) {
        printLine(stderr, Tr::tr("scenewb train: --task must be intent, next-item or purchase"));
        return Usage;
    }
    request.task = *task;
    request.kind = parser.value(QStringLiteral("model"));
    if (!modelKinds(request.task).contains(request.kind)) {
        printLine(stderr,
                  Tr::tr("scenewb train: --model for %1 must be one of %2")
                      .arg(taskKey(request.task), modelKinds(request.task).join(QStringLiteral(", "))));
        return Usage;
    }
    if (parser.isSet(QStringLiteral("params"))) {
        QJsonParseError error;
        const QJsonDocument doc =
            QJsonDocument::fromJson(parser.value(QStringLiteral("params")).toUtf8(), &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject()) {
            printLine(stderr, Tr::tr("scenewb train: --params must be a JSON object (%1)")
                                  .arg(error.error != QJsonParseError::NoError ? error.errorString()
                                                                               : Tr::tr("not an object")));
            return Usage;
        }
        request.params = doc.object();
    }
    if (parser.isSet(QStringLiteral("seed"))) {
        bool ok = false;
        request.seed = parser.value(QStringLiteral("seed")).toULongLong(&ok);
        if (!ok) {
            printLine(stderr, Tr::tr("scenewb train: --seed must be a whole number of at least 0"));
            return Usage;
        }
    }
    const CancelToken& cancel = cancelOnInterrupt();
    auto workspace = openWorkspace(parser);
    if (!workspace)
        return fail(workspace.error());
    Workspace& ws = *workspace.value();
    TerminalProgress progress;
    const bool json = parser.isSet(QStringLiteral("json"));
    auto stored =
        trainAndStoreModel(ws, runName, request, parser.value(QStringLiteral("name")), progress, cancel,
                           [&](const nn::EpochStats& e) {
                               if (json)
                                   return;
                               progress.clear();
                               printLine(stdout, Tr::tr("epoch %1  train loss %2  validation loss %3")
                                                     .arg(e.epoch, 3)
                                                     .arg(e.trainLoss, 0, 'f', 4)
                                                     .arg(e.valLoss, 0, 'f', 4));
                           });
    progress.clear();
    if (!stored)
        return fail(stored.error());
    const ModelInfo& info = stored.value();
    if (json) {
        printJson(info.report);
        return Ok;
    }
    printLine(stdout, Tr::tr("model      %1 (%2 on run %3, %4 s, %5 epochs)")
                          .arg(info.name, request.kind, runName)
                          .arg(info.report.value(QStringLiteral("train_seconds")).toDouble(), 0, 'f', 2)
                          .arg(info.report.value(QStringLiteral("epochs_run")).toInt()));
    printMetrics(Tr::tr("validation"), info.report.value(QStringLiteral("validation")).toObject());
    printMetrics(Tr::tr("test"), info.report.value(QStringLiteral("test")).toObject());
    return Ok;
}

int modelsCommand(const QStringList& args)
{
    QCommandLineParser parser;
    if (!parse(parser, args, QStringLiteral("models"), {}))
        return Usage;
    auto workspace = openWorkspace(parser);
    if (!workspace)
        return fail(workspace.error());
    auto models = workspace.value()->models();
    if (!models)
        return fail(models.error());
    QJsonArray list;
    for (const ModelInfo& m : *models) {
        list.append(QJsonObject{{QStringLiteral("model_id"), m.name},
                                {QStringLiteral("run"), m.run},
                                {QStringLiteral("task"), m.task},
                                {QStringLiteral("model"), m.kind},
                                {QStringLiteral("created_at"), m.createdAt},
                                {QStringLiteral("params"), m.report.value(QStringLiteral("params"))},
                                {QStringLiteral("seed"), m.report.value(QStringLiteral("seed"))},
                                {QStringLiteral("test"), m.report.value(QStringLiteral("test"))}});
    }
    if (parser.isSet(QStringLiteral("json"))) {
        printJson(QJsonObject{{QStringLiteral("models"), list}});
        return Ok;
    }
    if (list.isEmpty())
        printLine(stdout, Tr::tr("no models (train one with 'scenewb train RUN --task TASK --model NAME')"));
    for (const ModelInfo& m : *models)
        printLine(
            stdout,
            m.run.isEmpty()
                ? Tr::tr("%1  %2 %3 imported without its run, created %4")
                      .arg(m.name, m.task, m.kind, m.createdAt)
                : Tr::tr("%1  %2 %3 on run %4, created %5").arg(m.name, m.task, m.kind, m.run, m.createdAt));
    return Ok;
}

int evaluateCommand(const QStringList& args)
{
    QCommandLineParser parser;
    parser.addOption(
        {QStringLiteral("split"), Tr::tr("validation or test (default test)."), Tr::tr("SPLIT")});
    parser.addOption({QStringLiteral("predictions"), Tr::tr("Write one CSV row per case to this file."),
                      Tr::tr("FILE.csv")});
    if (!parse(parser, args, QStringLiteral("evaluate"), QStringLiteral("MODEL")))
        return Usage;
    if (parser.positionalArguments().size() != 1) {
        printLine(stderr, Tr::tr("scenewb evaluate: give one model (see 'scenewb models')"));
        return Usage;
    }
    const auto split =
        splitFromKey(parser.value(QStringLiteral("split")).isEmpty() ? QStringLiteral("test")
                                                                     : parser.value(QStringLiteral("split")));
    if (!split || *split == SplitPart::Train) {
        printLine(stderr, Tr::tr("scenewb evaluate: --split must be validation or test"));
        return Usage;
    }
    const CancelToken& cancel = cancelOnInterrupt();
    auto workspace = openWorkspace(parser);
    if (!workspace)
        return fail(workspace.error());
    const Workspace& ws = *workspace.value();
    const QString name = parser.positionalArguments().front();
    auto model = ws.model(name);
    if (!model)
        return fail(model.error());
    if (Status s = requireRun(*model); !s)
        return fail(s.error());
    auto weights = ws.modelWeights(name);
    if (!weights)
        return fail(weights.error());
    TerminalProgress progress;
    PhaseProgress loading(progress, 0, 500);
    auto prepared = loadPreparedRun(ws, model->run, loading, cancel);
    if (!prepared)
        return fail(prepared.error());
    PhaseProgress evaluating(progress, 500, kPhaseScale);
    auto metrics = evaluateModel(*prepared, model->report, *weights, *split,
                                 parser.value(QStringLiteral("predictions")), evaluating, cancel);
    progress.clear();
    if (!metrics)
        return fail(metrics.error());
    const QJsonObject out = evaluationJson(name, model->task, model->kind, *split, metrics.value());
    if (parser.isSet(QStringLiteral("json"))) {
        printJson(out);
        return Ok;
    }
    printMetrics(splitPartKey(*split), metrics.value());
    return Ok;
}

} // namespace swb::cli
