#include "trainjob.h"

#include "core/models/modeljob.h"

#include <QCoreApplication>
#include <QJsonArray>

#include <cmath>

namespace swb {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(swb::TrainJob)
};

} // namespace

Result<ModelInfo> runTrainJob(const TrainJob& job, ProgressSink& progress, const CancelToken& cancel,
                              const std::function<void(const nn::EpochStats&)>& onEpoch)
{
    auto workspace = Workspace::open(job.workspacePath);
    if (!workspace)
        return workspace.error();
    return trainAndStoreModel(*workspace.value(), job.run, job.request, job.name, progress, cancel, onEpoch);
}

bool trainsInEpochs(const QString& kind)
{
    return kind == QLatin1String("logreg") || kind == QLatin1String("mlp") || kind == QLatin1String("neural");
}

int plannedEpochs(const QString& kind, const QJsonObject& resolvedParams)
{
    return trainsInEpochs(kind) ? resolvedParams.value(QStringLiteral("epochs")).toInt() : 0;
}

std::vector<nn::EpochStats> historyFromReport(const QJsonObject& report)
{
    std::vector<nn::EpochStats> history;
    const auto number = [](const QJsonValue& v) {
        return v.isDouble() ? v.toDouble() : std::nan("");
    };
    // Models stored before val_metric_name existed stopped on the validation loss.
    const QString metricName =
        report.value(QStringLiteral("val_metric_name")).toString(QStringLiteral("val_loss"));
    for (const QJsonValue& row : report.value(QStringLiteral("history")).toArray()) {
        const QJsonObject o = row.toObject();
        history.push_back({o.value(QStringLiteral("epoch")).toInt(),
                           number(o.value(QStringLiteral("train_loss"))),
                           number(o.value(QStringLiteral("val_loss"))),
                           number(o.value(QStringLiteral("val_metric"))), metricName});
    }
    return history;
}

QString headlineMetric(const QJsonObject& report)
{
    const QJsonObject test = report.value(QStringLiteral("test")).toObject();
    const auto number = [](const QJsonValue& v) {
        return v.isDouble() ? QString::number(v.toDouble(), 'f', 4) : Tr::tr("n/a");
    };
    if (test.contains(QStringLiteral("ranking"))) {
        const QJsonObject at20 =
            test.value(QStringLiteral("ranking")).toObject().value(QStringLiteral("20")).toObject();
        return Tr::tr("test HR@20 %1").arg(number(at20.value(QStringLiteral("hr"))));
    }
    if (test.contains(QStringLiteral("roc_auc")))
        return Tr::tr("test ROC-AUC %1").arg(number(test.value(QStringLiteral("roc_auc"))));
    return Tr::tr("test accuracy %1").arg(number(test.value(QStringLiteral("accuracy"))));
}

} // namespace swb
