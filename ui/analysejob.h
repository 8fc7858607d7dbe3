#pragma once

#include "analysischartdata.h"

#include "core/analysis/analysis.h"
#include "core/jobs/cancel.h"
#include "core/jobs/progress.h"
#include "core/util/result.h"

#include <QString>

#include <memory>

namespace swb {

// What the Analyse page asks its worker for: a dataset or a prepared run of the workspace at
// workspacePath, by name. Everything by value: the worker opens its own connection.
struct AnalyseRequest
{
    QString workspacePath;
    bool isRun = false;
    QString name;
    QString key; // the page's id of the source, handed back in the outcome
    AnalysisOptions options;
    // Progress stage names, translated on the GUI thread.
    QString loadStage;
    QString prepareStage;
    QString analyseStage;
};

struct AnalyseOutcome
{
    std::shared_ptr<const BehaviourAnalysis> analysis;
    DailySeries daily;
    QString dataset; // for a run, the dataset it was prepared from
    QString key;
};

// Loads the dataset (for a run: the run's dataset, prepared again from the run's stored settings,
// as `scenewb analyse` does; preparation is deterministic, so this is the run that was stored),
// analyses it and makes the daily chart's points. Progress is one permille bar over the phases.
// A cancel seen at any point, even after the analysis is done, gives a Cancelled error.
Result<std::shared_ptr<const AnalyseOutcome>>
runAnalyseJob(const AnalyseRequest& request, ProgressSink& progress, const CancelToken& cancel);

} // namespace swb
