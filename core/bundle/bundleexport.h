#pragma once

#include "core/bundle/modelbundle.h"
#include "core/data/workspace.h"
#include "core/jobs/cancel.h"
#include "core/jobs/progress.h"

#include <QStringList>

// Exporting a workspace's models as a bundle and importing a bundle into a workspace.
namespace swb {

// The bundle of the named models (one: a model bundle; several, or a router: a scene bundle).
// Each model's manifest: name, task, model (type), params, seed, threshold (purchase), labels and
// features with the fitted scaler (classifiers), catalogue {items, categories} with the original
// ids of the training catalogue in catalogue order (next-item), preparation (the run's settings),
// run {name, dataset, report}, metrics {validation, test}, created_at (the model's), app_version
// and report (the stored report, whole). The runs are rebuilt from their datasets (progress
// 0..1000 over the models); a model imported without its run is exported from its stored manifest.
Result<ModelBundle> bundleModels(const Workspace& workspace, const QStringList& names,
                                 const QJsonObject& router, ProgressSink& progress,
                                 const CancelToken& cancel);

// bundleModels, then written whole or not at all.
Status exportModels(const Workspace& workspace, const QStringList& names, const QJsonObject& router,
                    const QString& path, ProgressSink& progress, const CancelToken& cancel);

// One imported model and where it came from.
struct ImportedModel
{
    ModelInfo info;      // as stored
    QString bundledName; // the name in the bundle (info.name differs when it was taken)
    bool attachedToRun = false;
};

// Stores every model of the bundle in the workspace, in one go: a model whose task, type or
// weights do not fit its manifest is refused before anything is stored. A taken name gets a
// unique one (Workspace::uniqueModelName). A model is attached to the workspace's run of the same
// name when that run was prepared with the same settings and gave the same report (then it can be
// evaluated there); otherwise it is stored without a run. The stored report is the bundle's, plus
// the manifest without its report under "bundle", so the model can be exported again.
Result<std::vector<ImportedModel>> importBundle(Workspace& workspace, const ModelBundle& bundle);

// Evaluation rebuilds the run a model was trained on: refused with a clear message for a model
// imported without it.
Status requireRun(const ModelInfo& model);

} // namespace swb
