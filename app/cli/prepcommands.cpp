// `scenewb prep` and `scenewb runs`: preparing a stored dataset and listing prepared runs.

#include "cliutil.h"
#include "commands.h"

#include "core/prep/preparation.h"

#include <QJsonArray>

namespace swb::cli {

namespace {

void printPrepReport(const QString& run, const QJsonObject& report)
{
    printLine(stdout, Tr::tr("run          %1").arg(run));
    const QJsonArray steps = report.value(QStringLiteral("steps")).toArray();
    for (const QJsonValue& value : steps) {
        const QJsonObject step = value.toObject();
        QStringList removed;
        const QJsonObject reasons = step.value(QStringLiteral("removed_by_reason")).toObject();
        for (auto it = reasons.begin(); it != reasons.end(); ++it)
            removed << QStringLiteral("%1 %2").arg(it.value().toInteger()).arg(it.key());
        printLine(stdout, Tr::tr("  %1 %2 -> %3%4")
                              .arg(step.value(QStringLiteral("name")).toString(), -10)
                              .arg(step.value(QStringLiteral("rows_in")).toInteger())
                              .arg(step.value(QStringLiteral("rows_out")).toInteger())
                              .arg(removed.isEmpty()
                                       ? QString()
                                       : Tr::tr("  (removed: %1)").arg(removed.join(QStringLiteral(", ")))));
    }
    printLine(stdout, Tr::tr("sessions     %1, users %2, items %3")
                          .arg(report.value(QStringLiteral("sessions")).toInteger())
                          .arg(report.value(QStringLiteral("users")).toInteger())
                          .arg(report.value(QStringLiteral("items")).toInteger()));
    const QJsonObject split = report.value(QStringLiteral("split")).toObject();
    for (const QString& part :
         {QStringLiteral("train"), QStringLiteral("validation"), QStringLiteral("test")}) {
        const QJsonObject p = split.value(part).toObject();
        printLine(stdout, Tr::tr("  %1 %2 events, %3 sessions")
                              .arg(part, -10)
                              .arg(p.value(QStringLiteral("events")).toInteger())
                              .arg(p.value(QStringLiteral("sessions")).toInteger()));
    }
    const QJsonObject unseen = report.value(QStringLiteral("unseen_in_test")).toObject();
    printLine(stdout, Tr::tr("unseen       in test: %1 items, %2 users (kept and counted)")
                          .arg(unseen.value(QStringLiteral("items")).toInteger())
                          .arg(unseen.value(QStringLiteral("users")).toInteger()));
}

} // namespace

int prepCommand(const QStringList& args)
{
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("config"),
                      Tr::tr("Preparation settings as JSON (default: the defaults)."), Tr::tr("PREP.json")});
    parser.addOption(
        {QStringLiteral("name"), Tr::tr("Name of the run (default: DATASET-prep)."), Tr::tr("RUN")});
    if (!parse(parser, args, QStringLiteral("prep"), QStringLiteral("DATASET")))
        return Usage;
    if (parser.positionalArguments().size() != 1) {
        printLine(stderr, Tr::tr("scenewb prep: give one dataset name (see 'scenewb datasets')"));
        return Usage;
    }
    const QString datasetName = parser.positionalArguments().front();
    PrepConfig config;
    if (parser.isSet(QStringLiteral("config"))) {
        auto loaded = PrepConfig::fromJsonFile(parser.value(QStringLiteral("config")));
        if (!loaded)
            return fail(loaded.error());
        config = *loaded;
    }
    const CancelToken& cancel = cancelOnInterrupt();
    auto workspace = openWorkspace(parser);
    if (!workspace)
        return fail(workspace.error());
    NullProgress progress;
    auto events = workspace.value()->loadDataset(datasetName, progress, cancel);
    if (!events)
        return fail(events.error());
    auto prepared =
        prepare(std::shared_ptr<const EventTable>(std::move(events.value())), config, progress, cancel);
    if (!prepared)
        return fail(prepared.error());
    const QString name = parser.isSet(QStringLiteral("name"))
                             ? parser.value(QStringLiteral("name"))
                             : workspace.value()->uniqueRunName(datasetName + QStringLiteral("-prep"));
    QJsonObject report = toJson(*prepared);
    auto stored = workspace.value()->storeRun(name, datasetName, report);
    if (!stored)
        return fail(stored.error());
    report.insert(QStringLiteral("run"), name);
    report.insert(QStringLiteral("dataset"), datasetName);
    if (parser.isSet(QStringLiteral("json")))
        printJson(report);
    else
        printPrepReport(name, report);
    return Ok;
}

int runsCommand(const QStringList& args)
{
    QCommandLineParser parser;
    if (!parse(parser, args, QStringLiteral("runs"), {}))
        return Usage;
    auto workspace = openWorkspace(parser);
    if (!workspace)
        return fail(workspace.error());
    auto runs = workspace.value()->runs();
    if (!runs)
        return fail(runs.error());
    QJsonArray list;
    for (const RunInfo& run : *runs) {
        const QJsonObject split = run.report.value(QStringLiteral("split")).toObject();
        list.append(QJsonObject{{QStringLiteral("run"), run.name},
                                {QStringLiteral("dataset"), run.dataset},
                                {QStringLiteral("created_at"), run.createdAt},
                                {QStringLiteral("sessions"), run.report.value(QStringLiteral("sessions"))},
                                {QStringLiteral("events"), run.report.value(QStringLiteral("events"))},
                                {QStringLiteral("split"), split}});
    }
    if (parser.isSet(QStringLiteral("json"))) {
        printJson(QJsonObject{{QStringLiteral("runs"), list}});
        return Ok;
    }
    if (list.isEmpty())
        printLine(stdout, Tr::tr("no prepared runs (create one with 'scenewb prep DATASET')"));
    for (const QJsonValue& value : list) {
        const QJsonObject r = value.toObject();
        printLine(stdout, Tr::tr("%1  dataset %2, %3 sessions, %4 events, created %5")
                              .arg(r.value(QStringLiteral("run")).toString(),
                                   r.value(QStringLiteral("dataset")).toString())
                              .arg(r.value(QStringLiteral("sessions")).toInteger())
                              .arg(r.value(QStringLiteral("events")).toInteger())
                              .arg(r.value(QStringLiteral("created_at")).toString()));
    }
    return Ok;
}

} // namespace swb::cli
