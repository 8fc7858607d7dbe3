#include "analysejob.h"

#include "core/data/workspace.h"
#include "core/prep/preparation.h"

#include <QCoreApplication>

#include <algorithm>
#include <optional>

namespace swb {

namespace {

constexpr std::int64_t kPermille = 1000;

// Maps one phase of the job onto its share of one permille bar, so loading, preparing and
// analysing fill a single bar.
class PhaseProgress final : public ProgressSink
{
public:
    PhaseProgress(ProgressSink& inner, std::int64_t from, std::int64_t to, QString stage)
        : m_inner(inner), m_from(from), m_to(to), m_stage(std::move(stage))
    {}
    void report(std::int64_t done, std::int64_t total, const QString&) override
    {
        const double share = total > 0 ? std::clamp(double(done) / double(total), 0.0, 1.0) : 0.0;
        m_inner.report(m_from + std::int64_t(share * double(m_to - m_from)), kPermille, m_stage);
    }

private:
    ProgressSink& m_inner;
    std::int64_t m_from;
    std::int64_t m_to;
    QString m_stage;
};

} // namespace

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
        auto parsed = PrepConfig::fromJson(run->report.value(QStringLiteral("config")).toObject());
        if (!parsed) {
            Error error = parsed.error();
            error.file = ws.path(); // a damaged workspace, not a wrong setting
            error.message = QCoreApplication::translate(
                                "swb::AnalyseJob", "the stored settings of the run “%1” are not valid: %2")
                                .arg(request.name, error.message);
            return error;
        }
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

    PhaseProgress analysing(progress, prepared, kPermille, request.analyseStage);
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
