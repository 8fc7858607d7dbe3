// The numbers behind the analysis charts: the daily series the chart draws and each chart's table
// for the CSV export.

#include "analysischartdata.h"

#include <QDate>

#include <algorithm>

namespace swb {

namespace {

constexpr std::int64_t kDay = 24 * 60 * 60;

QString key(Behaviour b)
{
    const std::string_view k = behaviourKey(b);
    return QString::fromLatin1(k.data(), qsizetype(k.size()));
}

QString sessionLengthLabel(int bin)
{
    return bin + 1 < kSessionLengthBins ? QString::number(bin + 1)
                                        : QStringLiteral("%1+").arg(kSessionLengthBins);
}

QString conversionColumn(double value)
{
    return QString::number(value, 'f', 6);
}

} // namespace

// -----------------------------------------------------------------------------------------

DailySeries dailySeries(const BehaviourAnalysis& analysis, int maxPoints)
{
    DailySeries out;
    const std::vector<std::int64_t>& byDay = analysis.byDay;
    std::int64_t total = 0;
    for (const std::int64_t n : byDay)
        total += n;
    const double strayLimit = double(total) * kStrayShare;
    std::size_t from = 0;
    std::size_t to = byDay.size(); // exclusive
    while (from < to && double(out.strayBefore + byDay[from]) <= strayLimit)
        out.strayBefore += byDay[from++];
    while (to > from && double(out.strayAfter + byDay[to - 1]) <= strayLimit)
        out.strayAfter += byDay[--to];
    // Only worth it when the strays stretch the time axis: in evenly spread data the first and last
    // days also hold little, but they are no strays.
    const bool stretched = double(byDay.size() - (to - from)) >= kStrayStretch * double(byDay.size());
    if (from == to || !stretched) { // nothing but strays (e.g. no events), or no real strays
        from = 0;
        to = byDay.size();
        out.strayBefore = out.strayAfter = 0;
    }
    out.firstDay = analysis.firstDay + std::int64_t(from) * kDay;
    out.strayFirstDay = analysis.firstDay;
    out.strayLastDay = analysis.firstDay + (std::int64_t(byDay.size()) - 1) * kDay;
    out.days = std::int64_t(to - from);

    const std::size_t days = to - from;
    const std::size_t limit = std::size_t(std::max(1, maxPoints));
    out.daysPerPoint = std::max(1, int((days + limit - 1) / limit));
    const std::size_t step = std::size_t(out.daysPerPoint);
    out.values.reserve((days + step - 1) / step);
    for (std::size_t begin = from; begin < to; begin += step) {
        const std::size_t end = std::min(to, begin + step);
        double sum = 0;
        for (std::size_t d = begin; d < end; ++d)
            sum += double(byDay[d]);
        out.values.push_back(sum / double(end - begin));
    }
    return out;
}

ChartTable chartTable(const BehaviourAnalysis& a, AnalysisChart chart)
{
    ChartTable t;
    switch (chart) {
    case AnalysisChart::Funnel:
        t.header = {QStringLiteral("stage"), QStringLiteral("users"), QStringLiteral("sessions"),
                    QStringLiteral("user_conversion"), QStringLiteral("session_conversion")};
        for (std::size_t k = 0; k < kFunnelStages.size(); ++k) {
            t.rows.append({key(kFunnelStages[k]), QString::number(a.funnel[k].users),
                           QString::number(a.funnel[k].sessions), conversionColumn(a.userConversion(int(k))),
                           conversionColumn(a.sessionConversion(int(k)))});
        }
        break;
    case AnalysisChart::Hourly:
        t.header = {QStringLiteral("hour"), QStringLiteral("events")};
        for (std::size_t h = 0; h < a.byHour.size(); ++h)
            t.rows.append({QString::number(h), QString::number(a.byHour[h])});
        break;
    case AnalysisChart::Daily:
        t.header = {QStringLiteral("date"), QStringLiteral("events")};
        for (std::size_t d = 0; d < a.byDay.size(); ++d)
            t.rows.append({QDate(1970, 1, 1).addDays(a.firstDay / kDay + qint64(d)).toString(Qt::ISODate),
                           QString::number(a.byDay[d])});
        break;
    case AnalysisChart::SessionLength:
        t.header = {QStringLiteral("length"), QStringLiteral("sessions")};
        for (int b = 0; b < kSessionLengthBins; ++b)
            t.rows.append({sessionLengthLabel(b), QString::number(a.sessionLength[std::size_t(b)])});
        break;
    case AnalysisChart::Behaviours:
        t.header = {QStringLiteral("behaviour"), QStringLiteral("events")};
        for (const Behaviour b : kAllBehaviours)
            t.rows.append({key(b), QString::number(a.behaviourMix[std::size_t(b)])});
        break;
    case AnalysisChart::TopItems:
    case AnalysisChart::TopCategories:
        t.header = {QStringLiteral("id"), QStringLiteral("events"), QStringLiteral("buys")};
        for (const TopEntry& e : chart == AnalysisChart::TopItems ? a.topItems : a.topCategories)
            t.rows.append({e.id, QString::number(e.events), QString::number(e.buys)});
        break;
    }
    return t;
}

QString chartFileKey(AnalysisChart chart)
{
    switch (chart) {
    case AnalysisChart::Funnel:
        return QStringLiteral("funnel");
    case AnalysisChart::Hourly:
        return QStringLiteral("by-hour");
    case AnalysisChart::Daily:
        return QStringLiteral("by-day");
    case AnalysisChart::SessionLength:
        return QStringLiteral("session-lengths");
    case AnalysisChart::Behaviours:
        return QStringLiteral("behaviours");
    case AnalysisChart::TopItems:
        return QStringLiteral("top-items");
    case AnalysisChart::TopCategories:
        return QStringLiteral("top-categories");
    }
    return QStringLiteral("chart");
}

} // namespace swb
