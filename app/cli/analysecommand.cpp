// `scenewb analyse`: funnel, activity, session lengths and top lists of a dataset or a prepared run.

#include "cliutil.h"
#include "commands.h"

#include "core/analysis/analysis.h"
#include "core/prep/preparation.h"
#include "core/prep/storedrun.h"

#include <QDate>

#include <algorithm>
#include <optional>

namespace swb::cli {

namespace {

constexpr int kTopShown = 10;

QString percent(double fraction)
{
    return QStringLiteral("%1%").arg(fraction * 100.0, 0, 'f', 1);
}

QString dayText(std::int64_t firstDay, std::size_t offset)
{
    return QDate(1970, 1, 1)
        .addDays(firstDay / (24 * 60 * 60) + static_cast<qint64>(offset))
        .toString(Qt::ISODate);
}

QString stageKey(Behaviour b)
{
    const std::string_view key = behaviourKey(b);
    return QString::fromLatin1(key.data(), static_cast<qsizetype>(key.size()));
}

void printTop(const QString& title, const std::vector<TopEntry>& entries)
{
    if (entries.empty()) {
        printLine(stdout, Tr::tr("%1 none").arg(title, -15));
        return;
    }
    printLine(stdout, Tr::tr("%1 events  buys  id").arg(title, -15));
    const int shown = std::min<int>(kTopShown, static_cast<int>(entries.size()));
    for (int i = 0; i < shown; ++i) {
        const TopEntry& e = entries[std::size_t(i)];
        printLine(stdout,
                  QStringLiteral("  %1.%2  %3  %4").arg(i + 1, 2).arg(e.events, 17).arg(e.buys, 4).arg(e.id));
    }
}

void printReport(const QString& title, const BehaviourAnalysis& a, const AnalysisOptions& options)
{
    printLine(stdout, title);
    QString from;
    if (a.sessionsFrom == QLatin1String("source"))
        from = Tr::tr("the log's session ids");
    else if (a.sessionsFrom == QLatin1String("gap"))
        from = Tr::tr("gaps of more than %1 minutes").arg(options.gapSeconds / 60);
    else
        from = Tr::tr("the prepared run");
    printLine(stdout, Tr::tr("events       %1, users %2, sessions %3 (sessions from %4)")
                          .arg(a.events)
                          .arg(a.users)
                          .arg(a.sessions)
                          .arg(from));

    printLine(stdout,
              Tr::tr("funnel       users     conv.   sessions     conv.  (each stage over the one before)"));
    for (std::size_t k = 0; k < kFunnelStages.size(); ++k) {
        printLine(stdout, QStringLiteral("  %1 %2 %3 %4 %5")
                              .arg(stageKey(kFunnelStages[k]), -8)
                              .arg(a.funnel[k].users, 9)
                              .arg(percent(a.userConversion(int(k))), 7)
                              .arg(a.funnel[k].sessions, 10)
                              .arg(percent(a.sessionConversion(int(k))), 9));
    }

    QStringList mix;
    for (const Behaviour b : kAllBehaviours)
        mix << QStringLiteral("%1 %2").arg(stageKey(b)).arg(a.behaviourMix[std::size_t(b)]);
    printLine(stdout, Tr::tr("behaviours   %1").arg(mix.join(QStringLiteral(", "))));

    for (int half = 0; half < 2; ++half) {
        QStringList hours;
        for (int h = half * 12; h < half * 12 + 12; ++h)
            hours << QString::number(a.byHour[std::size_t(h)]);
        const QString range =
            QStringLiteral("%1-%2").arg(half * 12, 2, 10, QLatin1Char('0')).arg(half * 12 + 11);
        printLine(stdout, (half == 0 ? Tr::tr("by hour UTC  %1  %2") : Tr::tr("             %1  %2"))
                              .arg(range, hours.join(QLatin1Char(' '))));
    }

    if (!a.byDay.empty()) {
        const auto busiest = std::max_element(a.byDay.begin(), a.byDay.end()) - a.byDay.begin();
        printLine(stdout, Tr::tr("by day UTC   %1 .. %2 (%3 days), busiest %4 with %5 events")
                              .arg(dayText(a.firstDay, 0), dayText(a.firstDay, a.byDay.size() - 1))
                              .arg(a.byDay.size())
                              .arg(dayText(a.firstDay, std::size_t(busiest)))
                              .arg(a.byDay[std::size_t(busiest)]));
    }

    if (a.sessions > 0) {
        std::int64_t seen = 0; // the median is the lower one, from the histogram
        int median = 0;
        for (int b = 0; b < kSessionLengthBins; ++b) {
            const std::int64_t n = a.sessionLength[std::size_t(b)];
            if (median == 0 && (seen += n) * 2 >= a.sessions)
                median = b + 1;
        }
        const QString medianText = median < kSessionLengthBins
                                       ? QString::number(median)
                                       : QStringLiteral("%1+").arg(kSessionLengthBins);
        printLine(stdout,
                  Tr::tr("sessions     %1 events per session on average, median %2; %3 with one event, %4 "
                         "with %5 or more")
                      .arg(double(a.events) / double(a.sessions), 0, 'f', 2)
                      .arg(medianText, percent(double(a.sessionLength[0]) / double(a.sessions)))
                      .arg(a.sessionLength[kSessionLengthBins - 1])
                      .arg(kSessionLengthBins));
    }

    printTop(Tr::tr("top items"), a.topItems);
    printTop(Tr::tr("top categories"), a.topCategories);
    printLine(stdout, Tr::tr("repeat buys  %1 (%2 of %3 buyers bought on two or more different days)")
                          .arg(percent(a.repeatPurchaseRate()))
                          .arg(a.repeatBuyers)
                          .arg(a.buyers));
}

} // namespace

int analyseCommand(const QStringList& args)
{
    QCommandLineParser parser;
    if (!parse(parser, args, QStringLiteral("analyse"), QStringLiteral("DATASET|RUN")))
        return Usage;
    if (parser.positionalArguments().size() != 1) {
        printLine(stderr, Tr::tr("scenewb analyse: give one dataset or run name (see 'scenewb datasets' and "
                                 "'scenewb runs')"));
        return Usage;
    }
    const QString name = parser.positionalArguments().front();
    const CancelToken& cancel = cancelOnInterrupt();
    auto workspace = openWorkspace(parser);
    if (!workspace)
        return fail(workspace.error());
    const Workspace& ws = *workspace.value();

    TerminalProgress progress;

    // A dataset of that name first, then a prepared run (rebuilt from its stored settings:
    // preparation is deterministic, so this is the run that was stored).
    AnalysisOptions options;
    QString datasetName = name;
    QString runName;
    std::optional<PrepConfig> config;
    if (auto dataset = ws.dataset(name); !dataset) {
        if (dataset.error().code != ErrorCode::NotFound)
            return fail(dataset.error());
        auto run = ws.run(name);
        if (!run) {
            if (run.error().code != ErrorCode::NotFound)
                return fail(run.error());
            return fail(Error{ErrorCode::NotFound,
                              Tr::tr("there is no dataset or prepared run named “%1” in this workspace "
                                     "(see 'scenewb datasets' and 'scenewb runs')")
                                  .arg(name),
                              ws.path(),
                              0,
                              0,
                              {}});
        }
        auto parsed = storedRunConfig(*run, ws.path());
        if (!parsed)
            return fail(parsed.error());
        config = parsed.value();
        runName = run->name;
        datasetName = run->dataset;
    }

    auto events = ws.loadDataset(datasetName, progress, cancel);
    progress.clear();
    if (!events)
        return fail(events.error());
    Result<BehaviourAnalysis> analysis = Error{};
    if (config) {
        auto prepared =
            prepare(std::shared_ptr<const EventTable>(std::move(events.value())), *config, progress, cancel);
        progress.clear();
        if (!prepared)
            return fail(prepared.error());
        analysis = analyse(*prepared, options, progress, cancel);
    } else {
        analysis = analyse(*events.value(), options, progress, cancel);
    }
    progress.clear();
    if (!analysis)
        return fail(analysis.error());

    if (parser.isSet(QStringLiteral("json"))) {
        QJsonObject o = toJson(*analysis);
        o.insert(QStringLiteral("dataset"), datasetName);
        if (config)
            o.insert(QStringLiteral("run"), runName);
        printJson(o);
        return Ok;
    }
    printReport(config ? Tr::tr("run          %1 (dataset %2)").arg(runName, datasetName)
                       : Tr::tr("dataset      %1").arg(datasetName),
                *analysis, options);
    return Ok;
}

} // namespace swb::cli
