#pragma once

#include "chartexport.h"

#include "core/analysis/analysis.h"

#include <QString>

#include <cstdint>
#include <vector>

namespace swb {

// The charts of one analysis, in tab order.
enum class AnalysisChart
{
    Funnel,
    Hourly,
    Daily,
    SessionLength,
    Behaviours,
    TopItems,
    TopCategories
};
inline constexpr int kAnalysisChartCount = 7;

// Events per day as the daily chart draws them. A few stray events far from the rest (the Taobao
// sample has one in September and a handful in the days before its nine) would squeeze the real
// days into a corner: the days at either end holding together at most kStrayShare of the events
// are left out of the chart (not of the CSV) and counted instead, when they make up at least
// kStrayStretch of the days. What remains is one value per
// day, or, when there are more days than points allowed, the average per day over buckets of
// daysPerPoint consecutive days (so the unit stays events per day). Made in the worker, next to
// the analysis; O(days).
inline constexpr double kStrayShare = 0.001;
inline constexpr double kStrayStretch = 0.2;
struct DailySeries
{
    std::int64_t firstDay = 0; // Unix seconds, 00:00 UTC, of the first day drawn
    std::int64_t days = 0;     // days drawn
    int daysPerPoint = 1;
    std::vector<double> values;
    std::int64_t strayBefore = 0, strayAfter = 0; // events on the days left out
    std::int64_t strayFirstDay = 0;               // Unix seconds of the first day, when strayBefore > 0
    std::int64_t strayLastDay = 0;                // Unix seconds of the last day, when strayAfter > 0
};
DailySeries dailySeries(const BehaviourAnalysis& analysis, int maxPoints = 2000);

// The numbers a chart shows, for its CSV export (the daily one lists every day, not the buckets).
// Columns: funnel stage,users,sessions,user_conversion,session_conversion; hourly hour,events;
// daily date,events; session lengths length,sessions; behaviours behaviour,events; top lists
// id,events,buys (most events first).
ChartTable chartTable(const BehaviourAnalysis& analysis, AnalysisChart chart);
// The file name part of each chart, e.g. "funnel" or "top-items".
QString chartFileKey(AnalysisChart chart);

} // namespace swb
