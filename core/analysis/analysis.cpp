#include "analysis.h"

#include <QCoreApplication>
#include <QDate>
#include <QJsonArray>

#include <algorithm>
#include <limits>
#include <numeric>

namespace swb {

// Definitions (what the numbers mean; tests/test_analysis.cpp checks each by hand):
// - A session of a dataset with session ids is one session code: all rows carrying that code,
//   whoever the user. Rows without a session id (kNone) are not dropped: they form gap sessions of
//   their own, built from the user's rows without an id only (sorted by time, cut at gaps longer
//   than gapSeconds), and counted with the source sessions; sessionsFrom stays "source".
// - A gap session: a user's events sorted by time (stable: file order breaks ties), cut where the
//   time since the previous event exceeds gapSeconds (a gap of exactly gapSeconds does not cut).
// - A run's sessions are its own (PreparedData::sessionBegin over rows); only kept events count.
// - Days and hours are UTC: day d covers [d * 86400, (d + 1) * 86400) Unix seconds.
// - Rows whose user is kNone (import never makes them) count everywhere except in users, buyers
//   and gap sessions; rows whose item (category) is kNone are left out of the top items (categories).
// - Memory: one 32-bit key per gap-session row (its time and behaviour, grouped by user; 64-bit
//   only for logs spanning more than 17 years); every other working array is per user, item,
//   category, source session or day, never per event.
// - Speed: two passes over the columns plus a counting sort; a user's events are sorted only when
//   the log does not already list them in time order. Lookups that miss the cache are prefetched.
//   10 million events with 1 million users and 4 million items take about a second on the 2-core
//   development machine.

namespace {

// Translation context of this file's messages (lupdate reads the macro).
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(swb::Analysis)
};

constexpr std::int64_t kDay = 24 * 60 * 60;
constexpr std::size_t kChunk = std::size_t(1) << 20; // rows between two looks at the cancel token
constexpr int kStages = 3;
constexpr std::int64_t kMaxDays = 1 << 20; // about 2,900 years

// Per-user flags beside the behaviour bits (1 << Behaviour).
constexpr std::uint8_t kSeenBit = 0x40;
constexpr std::uint8_t kRepeatBuyerBit = 0x80;
constexpr std::int32_t kNoDay = std::numeric_limits<std::int32_t>::min();

std::int64_t floorDiv(std::int64_t a, std::int64_t b)
{
    const std::int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

std::uint8_t behaviourBit(std::uint8_t behaviour)
{
    return behaviour < kBehaviourCount ? static_cast<std::uint8_t>(1u << behaviour) : 0;
}

// Events and buys of one item or category.
struct Counts
{
    std::uint32_t events = 0;
    std::uint32_t buys = 0;
};

struct UserState
{
    std::uint32_t gapRows = 0;         // rows of this user that go into gap sessions
    std::int32_t firstBuyDay = kNoDay; // days since 1970-01-01 of the first buy seen
    std::uint8_t bits = 0;             // behaviour bits | kSeenBit | kRepeatBuyerBit
};

struct SourceSession
{
    std::uint32_t length = 0;
    std::uint8_t bits = 0;
};

std::vector<TopEntry> topList(const std::vector<Counts>& counts, const Dictionary& dict, int count)
{
    std::vector<std::uint32_t> codes;
    for (std::uint32_t c = 0; c < counts.size(); ++c) {
        if (counts[c].events > 0)
            codes.push_back(c);
    }
    const std::size_t k = std::min(codes.size(), static_cast<std::size_t>(std::max(count, 0)));
    std::partial_sort(codes.begin(), codes.begin() + static_cast<std::ptrdiff_t>(k), codes.end(),
                      [&](std::uint32_t a, std::uint32_t b) {
                          return counts[a].events > counts[b].events ||
                                 (counts[a].events == counts[b].events && a < b);
                      });
    std::vector<TopEntry> out;
    out.reserve(k);
    for (std::size_t i = 0; i < k; ++i) {
        const std::uint32_t c = codes[i];
        const std::string_view text = dict.text(c);
        out.push_back({c, QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size())),
                       counts[c].events, counts[c].buys});
    }
    return out;
}

// One analysis: the per-event pass, then sessions, then the top lists.
class Analyser
{
public:
    Analyser(const EventTable& t, const AnalysisOptions& options, ProgressSink& progress,
             const CancelToken& cancel)
        : m_t(t), m_options(options), m_progress(progress), m_cancel(cancel)
    {}

    // Counts every row rowAt(0 .. n - 1): mix, hours, days, items, categories and per-user flags.
    // With sessions == Source, also the length and behaviours of each session code; with
    // sessions != None, the rows each user has for gap sessions (see gapRow).
    enum class Sessions
    {
        None,
        Gap,
        Source
    };
    template <typename RowAt> Status countEvents(std::size_t n, RowAt rowAt, Sessions sessions);
    // Sessions of the source's session codes (after countEvents with Sessions::Source).
    void addSourceSessions();
    // Gap sessions of the rows counted for them by countEvents.
    bool addGapSessions(Sessions sessions);
    void addSession(std::uint64_t length, std::uint8_t bits);
    bool stage(int index, const QString& name)
    {
        m_progress.report(index, kStages, name);
        return !m_cancel.isCancelled();
    }
    BehaviourAnalysis finish();

    BehaviourAnalysis a;

private:
    bool cancelledAt(std::size_t i) const
    {
        return (i & (kChunk - 1)) == 0 && i > 0 && m_cancel.isCancelled();
    }
    // Whether table row r goes into a gap session.
    bool gapRow(std::size_t r, Sessions sessions) const
    {
        return m_t.user[r] != Dictionary::kNone &&
               (sessions == Sessions::Gap ||
                (sessions == Sessions::Source && m_t.session[r] == Dictionary::kNone));
    }
    template <typename Key> bool gapSessions(Sessions sessions);

    const EventTable& m_t;
    const AnalysisOptions& m_options;
    ProgressSink& m_progress;
    const CancelToken& m_cancel;

    std::int64_t m_minTs = 0, m_maxTs = 0;
    std::vector<UserState> m_users;
    std::vector<Counts> m_items, m_categories;
    std::vector<SourceSession> m_sessions; // per source session code
};

template <typename RowAt> Status Analyser::countEvents(std::size_t n, RowAt rowAt, Sessions sessions)
{
    a.events = static_cast<std::int64_t>(n);
    if (n == 0)
        return {};
    m_minTs = std::numeric_limits<std::int64_t>::max();
    m_maxTs = std::numeric_limits<std::int64_t>::min();
    for (std::size_t i = 0; i < n; ++i) {
        const std::int64_t ts = m_t.ts[rowAt(i)];
        m_minTs = std::min(m_minTs, ts);
        m_maxTs = std::max(m_maxTs, ts);
    }
    const std::int64_t firstDay = floorDiv(m_minTs, kDay);
    // Imported logs span at most 1990-2100; a table made otherwise must not ask for a huge by_day.
    if (floorDiv(m_maxTs, kDay) - firstDay >= kMaxDays)
        return Error{
            ErrorCode::InvalidArgument,
            Tr::tr("the events span more than %1 days (%2 to %3)").arg(kMaxDays).arg(m_minTs).arg(m_maxTs),
            {},
            0,
            0,
            {}};
    a.firstDay = firstDay * kDay;
    a.byDay.assign(static_cast<std::size_t>(floorDiv(m_maxTs, kDay) - firstDay + 1), 0);

    m_users.assign(m_t.users.size(), UserState{});
    m_items.assign(m_t.items.size(), Counts{});
    m_categories.assign(m_t.categories.size(), Counts{});
    if (sessions == Sessions::Source)
        m_sessions.assign(m_t.sessions.size(), SourceSession{});
    // Users, items and sessions are scattered over arrays far larger than the cache: fetch the
    // entries of a row a little ahead of counting it. The columns and counters are read through
    // local pointers, as the byte-sized stores below could alias anything for the compiler.
    const std::uint32_t* const userOf = m_t.user.data();
    const std::uint32_t* const itemOf = m_t.item.data();
    const std::uint32_t* const categoryOf = m_t.category.data();
    const std::uint32_t* const sessionOf = sessions == Sessions::Source ? m_t.session.data() : nullptr;
    const std::uint8_t* const behaviourOf = m_t.behaviour.data();
    const std::int64_t* const tsOf = m_t.ts.data();
    UserState* const users = m_users.data();
    Counts* const items = m_items.data();
    Counts* const categories = m_categories.data();
    SourceSession* const sourceSessions = m_sessions.data();
    std::int64_t* const byDay = a.byDay.data();
    std::array<std::int64_t, 8> mix{};
    std::array<std::int64_t, 24> byHour{};
    constexpr std::size_t kAhead = 16;
    constexpr auto kBuy = static_cast<std::uint8_t>(Behaviour::Buy);
    for (std::size_t i = 0; i < n; ++i) {
        if (cancelledAt(i))
            return cancelledError();
        if (i + kAhead < n) {
            const std::size_t ahead = rowAt(i + kAhead);
            if (const std::uint32_t item = itemOf[ahead]; item != Dictionary::kNone)
                __builtin_prefetch(items + item, 1);
            if (const std::uint32_t user = userOf[ahead]; user != Dictionary::kNone)
                __builtin_prefetch(users + user, 1);
            if (sessionOf) {
                if (const std::uint32_t s = sessionOf[ahead]; s != Dictionary::kNone)
                    __builtin_prefetch(sourceSessions + s, 1);
            }
        }
        const std::size_t r = rowAt(i);
        const std::uint8_t b = behaviourOf[r];
        const std::uint8_t bit = behaviourBit(b);
        const bool buy = b == kBuy;
        ++mix[std::min<std::uint8_t>(b, 7)];
        const std::int64_t ts = tsOf[r];
        const std::int64_t day = floorDiv(ts, kDay);
        ++byHour[static_cast<std::size_t>((ts - day * kDay) / 3600)];
        ++byDay[day - firstDay];
        if (const std::uint32_t item = itemOf[r]; item != Dictionary::kNone) {
            ++items[item].events;
            items[item].buys += buy;
        }
        if (const std::uint32_t category = categoryOf[r]; category != Dictionary::kNone) {
            ++categories[category].events;
            categories[category].buys += buy;
        }
        const std::uint32_t session = sessionOf ? sessionOf[r] : Dictionary::kNone;
        if (session != Dictionary::kNone) {
            ++sourceSessions[session].length;
            sourceSessions[session].bits |= bit;
        }
        if (const std::uint32_t user = userOf[r]; user != Dictionary::kNone) {
            UserState& u = users[user];
            u.bits |= static_cast<std::uint8_t>(bit | kSeenBit);
            if (buy) {
                const auto d = static_cast<std::int32_t>(day);
                if (u.firstBuyDay == kNoDay)
                    u.firstBuyDay = d;
                else if (u.firstBuyDay != d)
                    u.bits |= kRepeatBuyerBit;
            }
            // Rows for gap sessions: all of them, or with source sessions those without an id.
            u.gapRows +=
                sessions == Sessions::Gap || (sessions == Sessions::Source && session == Dictionary::kNone);
        }
    }
    for (int b = 0; b < kBehaviourCount; ++b)
        a.behaviourMix[std::size_t(b)] = mix[std::size_t(b)];
    for (std::size_t h = 0; h < byHour.size(); ++h)
        a.byHour[h] = byHour[h];
    return {};
}

void Analyser::addSourceSessions()
{
    for (const SourceSession& s : m_sessions) {
        if (s.length > 0)
            addSession(s.length, s.bits);
    }
    m_sessions = {};
}

bool Analyser::addGapSessions(Sessions sessions)
{
    // Real logs span far less than 2^29 seconds (17 years): then a row's time and behaviour fit in
    // 32 bits.
    if (m_maxTs - m_minTs < (std::int64_t(1) << 29))
        return gapSessions<std::uint32_t>(sessions);
    return gapSessions<std::uint64_t>(sessions);
}

// The one vector per event: each gap row as a key (time - m_minTs) << 3 | behaviour, grouped by
// user with a counting sort (O(n + users)), then each user's keys sorted by time unless already in
// order. Sorting keys instead of row numbers breaks ties in time by behaviour rather than by file
// order, which changes no count: events at the same second always fall into the same session.
template <typename Key> bool Analyser::gapSessions(Sessions sessions)
{
    const std::size_t n = m_t.size();
    const std::size_t users = m_users.size();
    std::vector<std::uint32_t> end(users, 0); // after placing: end[u] is the end of user u's keys
    std::uint64_t total = 0;
    for (std::size_t u = 0; u < users; ++u) {
        total += m_users[u].gapRows;
        end[u] = static_cast<std::uint32_t>(total - m_users[u].gapRows); // user u's first place
    }
    if (total == 0)
        return true;
    std::vector<Key> keys(total);
    // The scatter writes all over `keys`: the user's cursor is fetched 2 * kAhead rows ahead and
    // the place it points to kAhead rows ahead (a stale cursor still names the right cache line
    // most of the time).
    constexpr std::size_t kAhead = 16;
    const std::uint32_t* const userOf = m_t.user.data();
    for (std::size_t r = 0; r < n; ++r) {
        if (cancelledAt(r))
            return false;
        if (r + 2 * kAhead < n && userOf[r + 2 * kAhead] != Dictionary::kNone)
            __builtin_prefetch(&end[userOf[r + 2 * kAhead]]);
        if (r + kAhead < n && userOf[r + kAhead] != Dictionary::kNone)
            __builtin_prefetch(&keys[std::min<std::size_t>(end[userOf[r + kAhead]], total - 1)], 1);
        if (gapRow(r, sessions))
            keys[end[userOf[r]]++] =
                static_cast<Key>(Key(m_t.ts[r] - m_minTs) << 3 | std::min<std::uint8_t>(m_t.behaviour[r], 7));
    }

    const Key gap = static_cast<Key>(std::min<std::int64_t>(m_options.gapSeconds, m_maxTs - m_minTs + 1));
    std::size_t begin = 0, sinceCheck = 0;
    for (std::size_t u = 0; u < users; ++u) {
        const std::size_t stop = end[u];
        if (begin == stop)
            continue;
        const auto first = keys.begin() + static_cast<std::ptrdiff_t>(begin);
        const auto last = keys.begin() + static_cast<std::ptrdiff_t>(stop);
        if (!std::is_sorted(first, last))
            std::sort(first, last);
        std::uint64_t length = 0;
        std::uint8_t bits = 0;
        Key previous = keys[begin] >> 3;
        for (std::size_t i = begin; i < stop; ++i) {
            const Key time = keys[i] >> 3;
            if (time - previous > gap) {
                addSession(length, bits);
                length = 0;
                bits = 0;
            }
            previous = time;
            ++length;
            bits |= behaviourBit(static_cast<std::uint8_t>(keys[i] & 7u));
        }
        addSession(length, bits);
        sinceCheck += stop - begin;
        begin = stop;
        if (sinceCheck >= kChunk) {
            sinceCheck = 0;
            if (m_cancel.isCancelled())
                return false;
        }
    }
    return true;
}

void Analyser::addSession(std::uint64_t length, std::uint8_t bits)
{
    ++a.sessions;
    ++a.sessionLength[std::min<std::uint64_t>(length, kSessionLengthBins) - 1];
    for (std::size_t k = 0; k < kFunnelStages.size(); ++k)
        a.funnel[k].sessions += (bits >> static_cast<unsigned>(kFunnelStages[k])) & 1u;
}

BehaviourAnalysis Analyser::finish()
{
    for (const UserState& u : m_users) {
        if (!(u.bits & kSeenBit))
            continue;
        ++a.users;
        for (std::size_t k = 0; k < kFunnelStages.size(); ++k)
            a.funnel[k].users += (u.bits >> static_cast<unsigned>(kFunnelStages[k])) & 1u;
        a.buyers += (u.bits >> static_cast<unsigned>(Behaviour::Buy)) & 1u;
        a.repeatBuyers += (u.bits & kRepeatBuyerBit) != 0;
    }
    a.topItems = topList(m_items, m_t.items, m_options.topCount);
    a.topCategories = topList(m_categories, m_t.categories, m_options.topCount);
    m_progress.report(kStages, kStages, Tr::tr("Done"));
    return std::move(a);
}

Status checkOptions(const AnalysisOptions& options)
{
    if (options.topCount < 0)
        return Error{
            ErrorCode::InvalidArgument, Tr::tr("the number of top entries cannot be negative"), {}, 0, 0, {}};
    if (options.gapSeconds < 0)
        return Error{ErrorCode::InvalidArgument, Tr::tr("the session gap cannot be negative"), {}, 0, 0, {}};
    return {};
}

} // namespace

double BehaviourAnalysis::userConversion(int stage) const
{
    if (stage < 0 || stage >= int(funnel.size()))
        return 0.0;
    if (stage == 0)
        return 1.0;
    const std::int64_t before = funnel[std::size_t(stage - 1)].users;
    return before > 0 ? double(funnel[std::size_t(stage)].users) / double(before) : 0.0;
}

double BehaviourAnalysis::sessionConversion(int stage) const
{
    if (stage < 0 || stage >= int(funnel.size()))
        return 0.0;
    if (stage == 0)
        return 1.0;
    const std::int64_t before = funnel[std::size_t(stage - 1)].sessions;
    return before > 0 ? double(funnel[std::size_t(stage)].sessions) / double(before) : 0.0;
}

Result<BehaviourAnalysis> analyse(const EventTable& events, const AnalysisOptions& options,
                                  ProgressSink& progress, const CancelToken& cancel)
{
    if (Status s = checkOptions(options); !s)
        return s.error();
    if (events.size() >= std::numeric_limits<std::uint32_t>::max())
        return Error{ErrorCode::InvalidArgument,
                     Tr::tr("datasets of 2^32 events or more are not supported"),
                     {},
                     0,
                     0,
                     {}};
    Analyser an(events, options, progress, cancel);
    an.a.source = QStringLiteral("dataset");
    const bool source = events.hasSession();
    an.a.sessionsFrom = source ? QStringLiteral("source") : QStringLiteral("gap");

    if (!an.stage(0, Tr::tr("Counting events")))
        return cancelledError();
    const auto sessions = source ? Analyser::Sessions::Source : Analyser::Sessions::Gap;
    if (Status s = an.countEvents(
            events.size(), [](std::size_t i) { return i; }, sessions);
        !s)
        return s.error();
    if (!an.stage(1, Tr::tr("Building sessions")))
        return cancelledError();
    if (!an.addGapSessions(sessions))
        return cancelledError();
    if (source)
        an.addSourceSessions();
    if (!an.stage(2, Tr::tr("Ranking items and categories")))
        return cancelledError();
    return an.finish();
}

Result<BehaviourAnalysis> analyse(const PreparedData& run, const AnalysisOptions& options,
                                  ProgressSink& progress, const CancelToken& cancel)
{
    if (Status s = checkOptions(options); !s)
        return s.error();
    if (!run.events)
        return Error{ErrorCode::InvalidArgument, Tr::tr("the prepared run has no events"), {}, 0, 0, {}};
    const EventTable& t = *run.events;
    Analyser an(t, options, progress, cancel);
    an.a.source = QStringLiteral("run");
    an.a.sessionsFrom = QStringLiteral("run");

    if (!an.stage(0, Tr::tr("Counting events")))
        return cancelledError();
    const auto rowAt = [&](std::size_t i) {
        return std::size_t(run.rows[i]);
    };
    if (Status s = an.countEvents(run.rows.size(), rowAt, Analyser::Sessions::None); !s)
        return s.error();
    if (!an.stage(1, Tr::tr("Building sessions")))
        return cancelledError();
    for (std::size_t s = 0; s < run.sessionCount(); ++s) {
        std::uint8_t bits = 0;
        for (std::uint64_t i = run.sessionBegin[s]; i < run.sessionBegin[s + 1]; ++i)
            bits |= behaviourBit(t.behaviour[run.rows[i]]);
        an.addSession(run.sessionLength(s), bits);
        if ((s & (kChunk - 1)) == kChunk - 1 && cancel.isCancelled())
            return cancelledError();
    }
    if (!an.stage(2, Tr::tr("Ranking items and categories")))
        return cancelledError();
    return an.finish();
}

QJsonObject toJson(const BehaviourAnalysis& analysis)
{
    const auto key = [](Behaviour b) {
        const std::string_view k = behaviourKey(b);
        return QString::fromLatin1(k.data(), static_cast<qsizetype>(k.size()));
    };
    QJsonObject funnel;
    QJsonArray userConversion, sessionConversion;
    for (std::size_t k = 0; k < kFunnelStages.size(); ++k) {
        funnel.insert(key(kFunnelStages[k]),
                      QJsonObject{{QStringLiteral("users"), qint64(analysis.funnel[k].users)},
                                  {QStringLiteral("sessions"), qint64(analysis.funnel[k].sessions)}});
        userConversion.append(analysis.userConversion(int(k)));
        sessionConversion.append(analysis.sessionConversion(int(k)));
    }
    funnel.insert(QStringLiteral("conversion"), QJsonObject{{QStringLiteral("users"), userConversion},
                                                            {QStringLiteral("sessions"), sessionConversion}});

    QJsonObject mix;
    for (const Behaviour b : kAllBehaviours)
        mix.insert(key(b), qint64(analysis.behaviourMix[std::size_t(b)]));

    QJsonArray byHour;
    for (const std::int64_t n : analysis.byHour)
        byHour.append(qint64(n));

    QJsonArray byDay;
    const QDate first = QDate(1970, 1, 1).addDays(floorDiv(analysis.firstDay, kDay));
    for (std::size_t d = 0; d < analysis.byDay.size(); ++d)
        byDay.append(QJsonObject{{QStringLiteral("date"), first.addDays(qint64(d)).toString(Qt::ISODate)},
                                 {QStringLiteral("events"), qint64(analysis.byDay[d])}});

    QJsonArray bins, counts;
    for (int b = 0; b < kSessionLengthBins; ++b) {
        bins.append(b + 1 < kSessionLengthBins ? QString::number(b + 1)
                                               : QString::number(kSessionLengthBins) + QLatin1Char('+'));
        counts.append(qint64(analysis.sessionLength[std::size_t(b)]));
    }

    const auto top = [](const std::vector<TopEntry>& entries) {
        QJsonArray list;
        for (const TopEntry& e : entries)
            list.append(QJsonObject{{QStringLiteral("id"), e.id},
                                    {QStringLiteral("events"), qint64(e.events)},
                                    {QStringLiteral("buys"), qint64(e.buys)}});
        return list;
    };

    return QJsonObject{
        {QStringLiteral("source"), analysis.source},
        {QStringLiteral("sessions_from"), analysis.sessionsFrom},
        {QStringLiteral("events"), qint64(analysis.events)},
        {QStringLiteral("users"), qint64(analysis.users)},
        {QStringLiteral("sessions"), qint64(analysis.sessions)},
        {QStringLiteral("funnel"), funnel},
        {QStringLiteral("behaviour_mix"), mix},
        {QStringLiteral("by_hour"), byHour},
        {QStringLiteral("by_day"), byDay},
        {QStringLiteral("session_length"),
         QJsonObject{{QStringLiteral("bins"), bins}, {QStringLiteral("counts"), counts}}},
        {QStringLiteral("top_items"), top(analysis.topItems)},
        {QStringLiteral("top_categories"), top(analysis.topCategories)},
        {QStringLiteral("repeat_purchase_rate"), analysis.repeatPurchaseRate()},
        {QStringLiteral("buyers"), qint64(analysis.buyers)},
        {QStringLiteral("repeat_buyers"), qint64(analysis.repeatBuyers)},
    };
}

} // namespace swb
