#include "analysejob.h"

#include "core/data/workspace.h"
#include "core/prep/preparation.h"
#include "core/prep/storedrun.h"

#include <QCoreApplication>

#include <algorithm>
#include <optional>

namespace swb {

Result<std::shared_ptr<const AnalyseOutcome>> runAnalyseJob(const AnalyseRequest& request,
                                                            ProgressSink& progress, const CancelToken& cancel)
{
    auto workspace = Workspace::open(request.workspacePath);
    if (!workspace)
        return workspace.error();
    const Workspace& ws = *workspace.value();
    auto outcome = std::make_shared<AnalyseOutcome>();
    outcome->key = request.key;
    outcome->dataset = request.name;

    std::optional<PrepConfig> config;
    if (request.isRun) {
        auto run = ws.run(request.name);
        if (!run)
            return run.error();
        auto parsed = storedRunConfig(*run, ws.path());
        if (!parsed)
            return parsed.error();
        config = parsed.value();
        outcome->dataset = run->dataset;
    }

    // Loading is most of a dataset's time; a run spends about as long again preparing.
    const std::int64_t loaded = config ? 350 : 700;
    const std::int64_t prepared = config ? 800 : loaded;
    PhaseProgress loading(progress, 0, loaded, request.loadStage);
    auto events = ws.loadDataset(outcome->dataset, loading, cancel);
    if (!events)
        return events.error();
    if (cancel.isCancelled())
        return cancelledError();

    PhaseProgress analysing(progress, prepared, kPhaseScale, request.analyseStage);
    Result<BehaviourAnalysis> analysis = Error{};
    if (config) {
        PhaseProgress preparing(progress, loaded, prepared, request.prepareStage);
        auto run =
            prepare(std::shared_ptr<const EventTable>(std::move(events.value())), *config, preparing, cancel);
        if (!run)
            return run.error();
        analysis = analyse(run.value(), request.options, analysing, cancel);
    } else {
        analysis = analyse(*events.value(), request.options, analysing, cancel);
    }
    if (!analysis)
        return analysis.error();
    // A cancel that came in after the last check still wins: the user asked for nothing.
    if (cancel.isCancelled())
        return cancelledError();
    outcome->daily = dailySeries(analysis.value());
    outcome->analysis = std::make_shared<const BehaviourAnalysis>(std::move(analysis.value()));
    return std::shared_ptr<const AnalyseOutcome>(std::move(outcome));
}

} // namespace swb
