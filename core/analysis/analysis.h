#pragma once

#include "core/data/eventtable.h"
#include "core/jobs/cancel.h"
#include "core/jobs/progress.h"
#include "core/prep/preparation.h"
#include "core/util/result.h"

#include <QJsonObject>
#include <QString>

#include <array>
#include <cstdint>
#include <vector>

namespace swb {

// The funnel's stages, in order. A user (or session) reaches a stage when it has at least one event
// of that behaviour; it need not have passed the earlier stages.
inline constexpr std::array<Behaviour, 4> kFunnelStages = {Behaviour::View, Behaviour::Fav, Behaviour::Cart,
                                                           Behaviour::Buy};

struct FunnelStage
{
    std::int64_t users = 0;
    std::int64_t sessions = 0;
};

// An item or category with its counts, for the top lists.
struct TopEntry
{
    std::uint32_t code = 0;
    QString id; // the original id
    std::int64_t events = 0;
    std::int64_t buys = 0;
};

// Session lengths (events per session) as a histogram: bins 1, 2, ..., kSessionLengthBins - 1 and
// a last bin for kSessionLengthBins or more.
inline constexpr int kSessionLengthBins = 50;

// What the users of a dataset or a prepared run actually do.
struct BehaviourAnalysis
{
    QString source;       // "dataset" or "run"
    QString sessionsFrom; // "source" (the log's session ids), "gap" (30-minute inactivity) or "run"
    std::int64_t events = 0;
    std::int64_t users = 0;
    std::int64_t sessions = 0;
    std::array<FunnelStage, 4> funnel{}; // in kFunnelStages order
    std::array<std::int64_t, kBehaviourCount> behaviourMix{};
    std::array<std::int64_t, 24> byHour{}; // events by hour of day, UTC
    std::int64_t firstDay = 0;             // Unix seconds of the first day's 00:00 UTC
    std::vector<std::int64_t> byDay;       // events per UTC day from firstDay, one entry per day
    std::array<std::int64_t, kSessionLengthBins> sessionLength{};
    std::vector<TopEntry> topItems;      // by events, most first; ties by code
    std::vector<TopEntry> topCategories; // the same; events without a category are left out
    std::int64_t buyers = 0;             // users with at least one buy
    std::int64_t repeatBuyers = 0;       // users with buys on two or more different days
    double repeatPurchaseRate() const { return buyers > 0 ? double(repeatBuyers) / double(buyers) : 0.0; }
    // Stage k over stage k - 1 (0 when the earlier stage is empty); conversion(0) is 1.
    double userConversion(int stage) const;
    double sessionConversion(int stage) const;
};

struct AnalysisOptions
{
    int topCount = 20;
    std::int64_t gapSeconds = 30 * 60; // sessions of a dataset without session ids
};

// Over a whole dataset: sessions from the log's session ids where it has them, otherwise each
// user's events cut at gaps longer than options.gapSeconds. In a log with session ids, rows without
// one form gap sessions of their own (from the user's id-less rows only). O(n) plus sorting each
// user's events where the log is not in time order. Fails (InvalidArgument) on a negative
// topCount or gapSeconds, or on events spanning more than 2^20 days.
Result<BehaviourAnalysis> analyse(const EventTable& events, const AnalysisOptions& options,
                                  ProgressSink& progress, const CancelToken& cancel);
// Over the kept events and sessions of a prepared run (all splits).
Result<BehaviourAnalysis> analyse(const PreparedData& run, const AnalysisOptions& options,
                                  ProgressSink& progress, const CancelToken& cancel);

// Keys: source, sessions_from, events, users, sessions, funnel ({view, fav, cart, buy} each
// {users, sessions}, and conversion {users: [...], sessions: [...]}), behaviour_mix, by_hour (24
// counts), by_day ([{date, events}]), session_length ({bins: ["1", ..., "50+"], counts}),
// top_items, top_categories ([{id, events, buys}]), repeat_purchase_rate, buyers, repeat_buyers.
QJsonObject toJson(const BehaviourAnalysis& analysis);

} // namespace swb
