#include "bundleexport.h"

#include "core/models/taskdata.h"
#include "core/models/training.h"
#include "core/prep/storedrun.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>

#include <map>

namespace swb {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(swb::ModelBundle)
};

const QString kBundleKey = QStringLiteral("bundle");

QString appVersion()
{
    return QStringLiteral(SWB_VERSION);
}

// The training catalogue in catalogue order with original ids, and each item's category (its
// first event's, as the log gave it; empty when the log has none).
QJsonObject catalogueJson(const PreparedData& data, const Catalogue& catalogue)
{
    const EventTable& events = *data.events;
    std::vector<std::uint32_t> categoryOf(events.items.size(), Dictionary::kNone);
    for (std::size_t row = 0; row < events.size(); ++row) {
        std::uint32_t& c = categoryOf[events.item[row]];
        if (c == Dictionary::kNone)
            c = events.category[row];
    }
    QJsonArray items, categories;
    for (const std::uint32_t code : catalogue.itemCode) {
        const std::string_view id = events.items.text(code);
        items.append(QString::fromUtf8(id.data(), qsizetype(id.size())));
        const std::uint32_t c = categoryOf[code];
        if (c == Dictionary::kNone) {
            categories.append(QString());
        } else {
            const std::string_view category = events.categories.text(c);
            categories.append(QString::fromUtf8(category.data(), qsizetype(category.size())));
        }
    }
    return {{QStringLiteral("items"), items}, {QStringLiteral("categories"), categories}};
}

Result<BundledModel> bundleStored(const Workspace& ws, const QString& name, ProgressSink& progress,
                                  const CancelToken& cancel,
                                  std::map<QString, std::shared_ptr<PreparedData>>& preparedRuns)
{
    auto info = ws.model(name);
    if (!info)
        return info.error();
    auto weights = ws.modelWeights(name);
    if (!weights)
        return weights.error();
    QJsonObject report = info->report;
    QJsonObject manifest;
    if (info->run.isEmpty()) {
        // Imported without its run: what the bundle said about the run travels on unchanged.
        manifest = report.take(kBundleKey).toObject();
        if (manifest.isEmpty())
            return Error{ErrorCode::Corrupt,
                         Tr::tr("The model “%1” has neither a run nor a stored manifest.").arg(name),
                         ws.path(),
                         0,
                         0,
                         {}};
    } else {
        auto run = ws.run(info->run);
        if (!run)
            return run.error();
        manifest.insert(QStringLiteral("preparation"), run->report.value(QStringLiteral("config")));
        manifest.insert(QStringLiteral("run"), QJsonObject{{QStringLiteral("name"), run->name},
                                                           {QStringLiteral("dataset"), run->dataset},
                                                           {QStringLiteral("report"), run->report}});
        if (info->task == taskKey(Task::NextItem)) {
            std::shared_ptr<PreparedData>& prepared = preparedRuns[run->name];
            if (!prepared) {
                auto loaded = loadPreparedRun(ws, run->name, progress, cancel);
                if (!loaded)
                    return loaded.error();
                prepared = std::make_shared<PreparedData>(std::move(loaded.value()));
            }
            auto cases = buildNextItemData(*prepared, cancel);
            if (!cases)
                return cases.error();
            if (qint64(cases->catalogue.size()) != report.value(QStringLiteral("catalogue_size")).toInteger())
                return Error{
                    ErrorCode::Corrupt,
                    Tr::tr("The run “%1” no longer gives the catalogue the model “%2” was trained on.")
                        .arg(run->name, name),
                    ws.path(),
                    0,
                    0,
                    {}};
            manifest.insert(QStringLiteral("catalogue"), catalogueJson(*prepared, cases->catalogue));
        } else {
            manifest.insert(
                QStringLiteral("features"),
                QJsonObject{{QStringLiteral("names"), report.value(QStringLiteral("features"))},
                            {QStringLiteral("scaler"), run->report.value(QStringLiteral("features"))}});
            manifest.insert(QStringLiteral("labels"), report.value(QStringLiteral("labels")));
        }
    }
    manifest.insert(QStringLiteral("name"), info->name);
    manifest.insert(QStringLiteral("task"), info->task);
    manifest.insert(QStringLiteral("model"), info->kind);
    for (const char* key : {"params", "seed", "threshold"}) {
        if (report.contains(QLatin1String(key)))
            manifest.insert(QLatin1String(key), report.value(QLatin1String(key)));
    }
    manifest.insert(QStringLiteral("metrics"),
                    QJsonObject{{QStringLiteral("validation"), report.value(QStringLiteral("validation"))},
                                {QStringLiteral("test"), report.value(QStringLiteral("test"))}});
    // An imported model keeps the creation time of the model it was trained as.
    if (!info->run.isEmpty() || !manifest.contains(QStringLiteral("created_at")))
        manifest.insert(QStringLiteral("created_at"), info->createdAt);
    manifest.insert(QStringLiteral("app_version"), appVersion());
    manifest.insert(QStringLiteral("report"), report);
    return BundledModel{manifest, *weights};
}

// Refuses a bundled model whose report, weights and dictionaries do not fit together.
Status checkBundled(const BundledModel& m)
{
    const QJsonObject report = m.manifest.value(QStringLiteral("report")).toObject();
    const QString name = m.manifest.value(QStringLiteral("name")).toString();
    const auto fail = [&](const QString& why) {
        return Error{ErrorCode::Corrupt,
                     Tr::tr("The bundled model “%1” cannot be used: %2").arg(name, why),
                     {},
                     0,
                     0,
                     {}};
    };
    if (report.value(QStringLiteral("task")) != m.manifest.value(QStringLiteral("task")) ||
        report.value(QStringLiteral("model")) != m.manifest.value(QStringLiteral("model")))
        return fail(Tr::tr("its manifest and report name different tasks or model types"));
    const qint64 catalogue = m.manifest.value(QStringLiteral("catalogue"))
                                 .toObject()
                                 .value(QStringLiteral("items"))
                                 .toArray()
                                 .size();
    const bool nextItem = report.value(QStringLiteral("task")).toString() == taskKey(Task::NextItem);
    if (nextItem && catalogue != report.value(QStringLiteral("catalogue_size")).toInteger(-1))
        return fail(Tr::tr("its catalogue lists %1 items, its report %2")
                        .arg(catalogue)
                        .arg(report.value(QStringLiteral("catalogue_size")).toInteger(-1)));
    const int width = int(report.value(QStringLiteral("features")).toArray().size());
    const int classes = int(report.value(QStringLiteral("labels")).toArray().size());
    if (!nextItem && (width == 0 || classes < 2))
        return fail(Tr::tr("it lists no features or fewer than two classes"));
    if (Status s = checkStoredModel(report, m.weights, width, classes, std::uint32_t(catalogue)); !s)
        return fail(s.error().message);
    return {};
}

} // namespace

Result<ModelBundle> bundleModels(const Workspace& workspace, const QStringList& names,
                                 const QJsonObject& router, ProgressSink& progress, const CancelToken& cancel)
{
    if (names.isEmpty())
        return Error{ErrorCode::InvalidArgument, Tr::tr("Name at least one model to export."), {}, 0, 0, {}};
    if (names.size() > qsizetype(ModelBundle::kMaxModels))
        return Error{ErrorCode::InvalidArgument,
                     Tr::tr("A bundle holds at most %1 models.").arg(ModelBundle::kMaxModels),
                     {},
                     0,
                     0,
                     {}};
    ModelBundle bundle;
    bundle.router = router;
    bundle.createdAt = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    bundle.appVersion = appVersion();
    std::map<QString, std::shared_ptr<PreparedData>> preparedRuns;
    for (qsizetype i = 0; i < names.size(); ++i) {
        if (cancel.isCancelled())
            return cancelledError();
        if (names.indexOf(names[i]) != i)
            return Error{ErrorCode::InvalidArgument,
                         Tr::tr("The model “%1” is named twice.").arg(names[i]),
                         {},
                         0,
                         0,
                         {}};
        PhaseProgress phase(progress, int(1000 * i / names.size()), int(1000 * (i + 1) / names.size()));
        auto m = bundleStored(workspace, names[i], phase, cancel, preparedRuns);
        if (!m)
            return m.error();
        bundle.models.push_back(std::move(m.value()));
    }
    return bundle;
}

Status exportModels(const Workspace& workspace, const QStringList& names, const QJsonObject& router,
                    const QString& path, ProgressSink& progress, const CancelToken& cancel)
{
    auto bundle = bundleModels(workspace, names, router, progress, cancel);
    if (!bundle)
        return bundle.error();
    return bundle->writeFile(path);
}

Result<std::vector<ImportedModel>> importBundle(Workspace& workspace, const ModelBundle& bundle)
{
    for (const BundledModel& m : bundle.models) {
        if (Status s = checkBundled(m); !s)
            return s.error();
    }
    std::vector<ImportedModel> imported;
    for (const BundledModel& m : bundle.models) {
        const QJsonObject runJson = m.manifest.value(QStringLiteral("run")).toObject();
        const QString runName = runJson.value(QStringLiteral("name")).toString();
        ImportedModel out;
        out.bundledName = m.manifest.value(QStringLiteral("name")).toString();
        ModelInfo info;
        info.name = workspace.uniqueModelName(out.bundledName);
        info.task = m.manifest.value(QStringLiteral("task")).toString();
        info.kind = m.manifest.value(QStringLiteral("model")).toString();
        // Same settings and the same report (every step's counts, the split, the scaler) means the
        // same data prepared the same way: the model can be evaluated on that run.
        if (auto run = workspace.run(runName);
            run && run->report == runJson.value(QStringLiteral("report")).toObject()) {
            info.run = run->name;
            out.attachedToRun = true;
        }
        info.report = m.manifest.value(QStringLiteral("report")).toObject();
        QJsonObject manifest = m.manifest;
        manifest.remove(QStringLiteral("report"));
        info.report.insert(kBundleKey, manifest);
        auto stored = workspace.storeModel(info, m.weights);
        if (!stored) {
            // All or nothing: take back the models of this bundle already stored.
            for (const ImportedModel& done : imported)
                workspace.removeModel(done.info.name);
            return stored.error();
        }
        out.info = stored.value();
        imported.push_back(std::move(out));
    }
    return imported;
}

Status requireRun(const ModelInfo& model)
{
    if (!model.run.isEmpty())
        return {};
    return Error{
        ErrorCode::InputRejected,
        Tr::tr("The model “%1” was imported without the run it was trained on; evaluating it needs "
               "that run (import its dataset and prepare it with the bundle's settings, then import the "
               "bundle again).")
            .arg(model.name),
        {},
        0,
        0,
        {}};
}

} // namespace swb
