// Behaviour analysis: funnel, activity by hour and day, session lengths, behaviour mix, top lists and
// repeat buyers. Checked on a tiny hand-built log (every expected number is worked out by hand in
// the comments), on the real samples (numbers from an independent script), on a prepared run, and
// through `scenewb analyse`.
#include "core/analysis/analysis.h"
#include "core/io/importer.h"
#include "core/prep/preparation.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <numeric>

using namespace swb;

namespace {

constexpr std::int64_t kDay0 = 1511568000; // 2017-11-25 00:00:00 UTC
constexpr std::int64_t kH = 3600;
constexpr std::int64_t kD = 86400;

struct Event
{
    const char* user;
    const char* item;
    const char* category; // nullptr: none
    Behaviour behaviour;
    std::int64_t offset; // seconds after kDay0
    const char* session; // nullptr: none (only used when the table gets a session column)
};

// The hand-built log, in file order (codes are given in order of first appearance: u1..u4 are
// users 0..3, i1..i4 items 0..3, c1 and c2 categories 0 and 1).
//
//  row user item cat  behaviour        time (day, UTC)    session
//   0  u1   i1   c1   view             day 0 01:00:00     a
//   1  u1   i1   c1   cart             day 0 01:10:00     a
//   2  u2   i2   c1   view             day 0 02:00:00     c
//   3  u1   i1   c1   buy              day 0 01:20:00     a
//   4  u1   i2   c1   view             day 0 03:00:00     a
//   5  u2   i2   c1   fav              day 0 02:30:00     c
//   6  u3   i3   c2   view             day 1 05:00:00     d
//   7  u3   i3   c2   buy              day 1 05:01:00     d
//   8  u1   i3   c2   buy              day 2 00:30:00     b
//   9  u4   i4   -    view             day 4 23:59:59     -
//  10  u3   i3   c2   buy              day 1 23:00:00     -
//  11  u2   i4   c2   cart             day 0 01:00:00     c   (before rows 2 and 5: file order is not time
//  order) 12  u4   i4   -    remove_from_cart day 4 23:59:00     - 13  u4   i1   c1   view             day 4
//  23:59:59     -   (same second as row 9)
const std::vector<Event> kLog = {
    {"u1", "i1", "c1", Behaviour::View, 1 * kH, "a"},
    {"u1", "i1", "c1", Behaviour::Cart, 1 * kH + 600, "a"},
    {"u2", "i2", "c1", Behaviour::View, 2 * kH, "c"},
    {"u1", "i1", "c1", Behaviour::Buy, 1 * kH + 1200, "a"},
    {"u1", "i2", "c1", Behaviour::View, 3 * kH, "a"},
    {"u2", "i2", "c1", Behaviour::Fav, 2 * kH + 1800, "c"},
    {"u3", "i3", "c2", Behaviour::View, 1 * kD + 5 * kH, "d"},
    {"u3", "i3", "c2", Behaviour::Buy, 1 * kD + 5 * kH + 60, "d"},
    {"u1", "i3", "c2", Behaviour::Buy, 2 * kD + 1800, "b"},
    {"u4", "i4", nullptr, Behaviour::View, 4 * kD + 86399, nullptr},
    {"u3", "i3", "c2", Behaviour::Buy, 1 * kD + 23 * kH, nullptr},
    {"u2", "i4", "c2", Behaviour::Cart, 1 * kH, "c"},
    {"u4", "i4", nullptr, Behaviour::RemoveFromCart, 4 * kD + 86340, nullptr},
    {"u4", "i1", "c1", Behaviour::View, 4 * kD + 86399, nullptr},
};

std::shared_ptr<EventTable> makeTable(const std::vector<Event>& events, bool withSessions)
{
    auto t = std::make_shared<EventTable>();
    for (const Event& e : events) {
        t->user.push_back(t->users.intern(e.user));
        t->item.push_back(t->items.intern(e.item));
        t->category.push_back(e.category ? t->categories.intern(e.category) : Dictionary::kNone);
        t->behaviour.push_back(static_cast<std::uint8_t>(e.behaviour));
        t->ts.push_back(kDay0 + e.offset);
        if (withSessions)
            t->session.push_back(e.session ? t->sessions.intern(e.session) : Dictionary::kNone);
    }
    return t;
}

BehaviourAnalysis analyseOrFail(const EventTable& table, const AnalysisOptions& options = {})
{
    NullProgress progress;
    auto result = analyse(table, options, progress, CancelToken());
    if (!result)
        qFatal("analyse failed: %s", qPrintable(result.error().toString()));
    return std::move(result.value());
}

template <typename Array> QList<qint64> toList(const Array& a, std::size_t n)
{
    return QList<qint64>(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(n));
}

QList<qint64> funnelUsers(const BehaviourAnalysis& a)
{
    QList<qint64> out;
    for (const FunnelStage& s : a.funnel)
        out << s.users;
    return out;
}

QList<qint64> funnelSessions(const BehaviourAnalysis& a)
{
    QList<qint64> out;
    for (const FunnelStage& s : a.funnel)
        out << s.sessions;
    return out;
}

std::int64_t sum(const auto& range)
{
    return std::accumulate(range.begin(), range.end(), std::int64_t(0));
}

// Cancels its token when the job reports the given stage (0 counting, 1 sessions, 2 top lists).
class CancelAtStage final : public ProgressSink
{
public:
    CancelAtStage(CancelToken token, int stage) : m_token(std::move(token)), m_stage(stage) {}
    void report(std::int64_t done, std::int64_t, const QString&) override
    {
        if (done == m_stage)
            m_token.cancel();
    }

private:
    CancelToken m_token;
    int m_stage;
};

class RecordingProgress final : public ProgressSink
{
public:
    void report(std::int64_t done, std::int64_t total, const QString& stage) override
    {
        reports.push_back({done, total, stage});
    }
    struct Report
    {
        std::int64_t done, total;
        QString stage;
    };
    std::vector<Report> reports;
};

// What the independent script says about a real sample.
struct SampleExpectation
{
    QString file;
    QString sessionsFrom;
    qint64 events, users, sessions;
    QList<qint64> funnelUsers, funnelSessions, mix, byHour;
    qint64 firstDay, days, firstDayEvents, lastDayEvents;
    qint64 length1, length2, length3, length50Plus;
    QString topItem;
    qint64 topItemEvents, topItemBuys;
    QString topCategory;
    qint64 topCategoryEvents, topCategoryBuys;
    qint64 buyers, repeatBuyers;
};

struct CliRun
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
};

CliRun scenewb(const QStringList& args)
{
    QProcess p;
    p.start(test::cliPath(), args);
    p.waitForFinished(120000);
    return CliRun{p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
                  p.readAllStandardError()};
}

} // namespace

Q_DECLARE_METATYPE(SampleExpectation)

class TestAnalysis : public QObject
{
    Q_OBJECT

private slots:
    void handBuiltLogWithGapSessions();
    void handBuiltLogWithSourceSessions();
    void gapSessions_data();
    void gapSessions();
    void longSessionsGoToTheLastBin_data();
    void longSessionsGoToTheLastBin();
    void topListsKeepTopCountAndBreakTiesByCode_data();
    void topListsKeepTopCountAndBreakTiesByCode();
    void repeatBuyersBuyOnTwoUtcDays_data();
    void repeatBuyersBuyOnTwoUtcDays();
    void conversionOfAnEmptyStageIsZero();
    void emptyTable();
    void invalidOptionsAreRefused();
    void json();
    void realSamples_data();
    void realSamples();
    void preparedRun();
    void cancel_data();
    void cancel();
    void progressReportsStagesAndEnds();
    void cliJson();
    void cliText();
    void cliPreparedRun();
    void cliUnknownName();

private:
    QTemporaryDir m_dir;
    QString importToWorkspace(const QString& ws);
};

void TestAnalysis::handBuiltLogWithGapSessions()
{
    const auto table = makeTable(kLog, false);
    const BehaviourAnalysis a = analyseOrFail(*table);
    QCOMPARE(a.source, QStringLiteral("dataset"));
    QCOMPARE(a.sessionsFrom, QStringLiteral("gap"));
    QCOMPARE(a.events, 14);
    QCOMPARE(a.users, 4);
    // Each user's events by time, cut where the gap exceeds 30 minutes (1800 s):
    //   u1: 01:00 view, 01:10 cart, 01:20 buy | 03:00 view | day 2 00:30 buy     -> 3, 1, 1
    //   u2: 01:00 cart | 02:00 view, 02:30 fav (a gap of exactly 1800 s joins)   -> 1, 2
    //       (in file order 02:00, 02:30, 01:00 would never exceed the gap: one session)
    //   u3: day 1 05:00 view, 05:01 buy | 23:00 buy                             -> 2, 1
    //   u4: day 4 23:59:00 remove_from_cart, 23:59:59 view, 23:59:59 view        -> 3
    QCOMPARE(a.sessions, 8);
    QCOMPARE(toList(a.sessionLength, 4), (QList<qint64>{4, 2, 2, 0})); // lengths 1, 2, 3, 4
    QCOMPARE(sum(a.sessionLength), 8);
    // Users reaching a stage: view u1 u2 u3 u4; fav u2; cart u1 u2; buy u1 u3.
    QCOMPARE(funnelUsers(a), (QList<qint64>{4, 1, 2, 2}));
    // Sessions reaching a stage: view u1#1 u1#2 u2#2 u3#1 u4; fav u2#2; cart u1#1 u2#1;
    // buy u1#1 u1#3 u3#1 u3#2.
    QCOMPARE(funnelSessions(a), (QList<qint64>{5, 1, 2, 4}));
    // Conversions: each stage over the one before (not nested, so above 1 is possible).
    QCOMPARE(a.userConversion(0), 1.0);
    QCOMPARE(a.userConversion(1), 0.25); // 1 / 4
    QCOMPARE(a.userConversion(2), 2.0);  // 2 / 1
    QCOMPARE(a.userConversion(3), 1.0);  // 2 / 2
    QCOMPARE(a.sessionConversion(0), 1.0);
    QCOMPARE(a.sessionConversion(1), 0.2); // 1 / 5
    QCOMPARE(a.sessionConversion(2), 2.0); // 2 / 1
    QCOMPARE(a.sessionConversion(3), 2.0); // 4 / 2
    // view 0 2 4 6 9 13; fav 5; cart 1 11; remove_from_cart 12; buy 3 7 8 10.
    QCOMPARE(toList(a.behaviourMix, kBehaviourCount), (QList<qint64>{6, 1, 2, 1, 4}));
    // Hours: 00 row 8; 01 rows 0 1 3 11; 02 rows 2 5; 03 row 4; 05 rows 6 7; 23 rows 9 10 12 13.
    QCOMPARE(toList(a.byHour, 24),
             (QList<qint64>{1, 4, 2, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4}));
    // Days from 2017-11-25: rows 0-5 and 11; 6 7 10; 8; nothing on day 3; 9 12 13.
    QCOMPARE(a.firstDay, kDay0);
    QCOMPARE(QList<qint64>(a.byDay.begin(), a.byDay.end()), (QList<qint64>{7, 3, 1, 0, 3}));
    // Items: i1 rows 0 1 3 13 (1 buy); i2 rows 2 4 5; i3 rows 6 7 8 10 (3 buys); i4 rows 9 11 12.
    // i1 and i3 tie at 4 (code 0 before 2), i2 and i4 at 3 (code 1 before 3).
    QCOMPARE(a.topItems.size(), std::size_t(4));
    const std::vector<std::tuple<QString, qint64, qint64, std::uint32_t>> items = {
        {QStringLiteral("i1"), 4, 1, 0},
        {QStringLiteral("i3"), 4, 3, 2},
        {QStringLiteral("i2"), 3, 0, 1},
        {QStringLiteral("i4"), 3, 0, 3}};
    for (std::size_t k = 0; k < items.size(); ++k) {
        QCOMPARE(a.topItems[k].id, std::get<0>(items[k]));
        QCOMPARE(a.topItems[k].events, std::get<1>(items[k]));
        QCOMPARE(a.topItems[k].buys, std::get<2>(items[k]));
        QCOMPARE(a.topItems[k].code, std::get<3>(items[k]));
    }
    // Categories: c1 rows 0-5 and 13 (1 buy); c2 rows 6 7 8 10 11 (3 buys); rows 9 and 12 have none.
    QCOMPARE(a.topCategories.size(), std::size_t(2));
    QCOMPARE(a.topCategories[0].id, QStringLiteral("c1"));
    QCOMPARE(a.topCategories[0].events, 7);
    QCOMPARE(a.topCategories[0].buys, 1);
    QCOMPARE(a.topCategories[1].id, QStringLiteral("c2"));
    QCOMPARE(a.topCategories[1].events, 5);
    QCOMPARE(a.topCategories[1].buys, 3);
    // Buyers u1 (days 0 and 2: repeat) and u3 (twice on day 1: not a repeat).
    QCOMPARE(a.buyers, 2);
    QCOMPARE(a.repeatBuyers, 1);
    QCOMPARE(a.repeatPurchaseRate(), 0.5);
}

void TestAnalysis::handBuiltLogWithSourceSessions()
{
    const auto table = makeTable(kLog, true);
    const BehaviourAnalysis a = analyseOrFail(*table);
    QCOMPARE(a.sessionsFrom, QStringLiteral("source"));
    // Source sessions: a = rows 0 1 3 4 (length 4, view cart buy; the 1 h 40 min gap does not cut),
    // b = row 8 (1, buy), c = rows 2 5 11 (3, view fav cart), d = rows 6 7 (2, view buy).
    // Rows without a session id form gap sessions of the user's id-less rows: u3 row 10 (1, buy);
    // u4 rows 12 9 13 (3, remove_from_cart view).
    QCOMPARE(a.sessions, 6);
    QCOMPARE(toList(a.sessionLength, 5), (QList<qint64>{2, 1, 2, 1, 0}));
    // view a c d u4; fav c; cart a c; buy a b d u3.
    QCOMPARE(funnelSessions(a), (QList<qint64>{4, 1, 2, 4}));
    QCOMPARE(a.sessionConversion(1), 0.25);
    QCOMPARE(a.sessionConversion(3), 2.0);
    // Everything not about sessions is the same as without session ids.
    QCOMPARE(a.events, 14);
    QCOMPARE(a.users, 4);
    QCOMPARE(funnelUsers(a), (QList<qint64>{4, 1, 2, 2}));
    QCOMPARE(toList(a.behaviourMix, kBehaviourCount), (QList<qint64>{6, 1, 2, 1, 4}));
    QCOMPARE(QList<qint64>(a.byDay.begin(), a.byDay.end()), (QList<qint64>{7, 3, 1, 0, 3}));
    QCOMPARE(a.buyers, 2);
    QCOMPARE(a.repeatBuyers, 1);
}

void TestAnalysis::gapSessions_data()
{
    QTest::addColumn<qint64>("gap");
    QTest::addColumn<qint64>("sessions");
    QTest::addColumn<QList<qint64>>("lengths"); // sessions of 1, 2, 3 and 4 events
    QTest::addColumn<QList<qint64>>("funnel");  // sessions with a view, fav, cart, buy
    // Every positive gap cuts: u1 5 x 1, u2 3 x 1, u3 3 x 1, u4 row 12 | rows 9 13 (same second).
    QTest::newRow("0 s") << qint64(0) << qint64(13) << QList<qint64>{12, 1, 0, 0}
                         << QList<qint64>{5, 1, 2, 4};
    QTest::newRow("30 min") << qint64(1800) << qint64(8) << QList<qint64>{4, 2, 2, 0}
                            << QList<qint64>{5, 1, 2, 4};
    // u2's gap of exactly one hour (01:00 cart to 02:00 view) no longer cuts: u2 is one session of 3.
    QTest::newRow("1 h") << qint64(3600) << qint64(7) << QList<qint64>{3, 1, 3, 0}
                         << QList<qint64>{5, 1, 2, 4};
    // u1: rows 0 1 3 4 | row 8 (day 2); u2 3; u3 3 (17 h 59 min apart at most); u4 3.
    QTest::newRow("1 day") << qint64(86400) << qint64(5) << QList<qint64>{1, 0, 3, 1}
                           << QList<qint64>{4, 1, 2, 3};
}

void TestAnalysis::gapSessions()
{
    QFETCH(qint64, gap);
    QFETCH(qint64, sessions);
    QFETCH(QList<qint64>, lengths);
    QFETCH(QList<qint64>, funnel);
    const auto table = makeTable(kLog, false);
    AnalysisOptions options;
    options.gapSeconds = gap;
    const BehaviourAnalysis a = analyseOrFail(*table, options);
    QCOMPARE(a.sessions, sessions);
    QCOMPARE(toList(a.sessionLength, 4), lengths);
    QCOMPARE(sum(a.sessionLength), sessions);
    QCOMPARE(funnelSessions(a), funnel);
    QCOMPARE(funnelUsers(a), (QList<qint64>{4, 1, 2, 2})); // the gap changes no user count
}

void TestAnalysis::longSessionsGoToTheLastBin_data()
{
    QTest::addColumn<int>("length");
    QTest::addColumn<int>("bin");
    QTest::newRow("1") << 1 << 0;
    QTest::newRow("49") << 49 << 48;
    QTest::newRow("50") << 50 << 49;
    QTest::newRow("120") << 120 << 49;
}

void TestAnalysis::longSessionsGoToTheLastBin()
{
    QFETCH(int, length);
    QFETCH(int, bin);
    std::vector<Event> events;
    for (int i = 0; i < length; ++i) // one minute apart: one session
        events.push_back({"u", "i", "c", Behaviour::View, 60 * std::int64_t(i), nullptr});
    const BehaviourAnalysis a = analyseOrFail(*makeTable(events, false));
    QCOMPARE(a.sessions, 1);
    QCOMPARE(a.sessionLength[std::size_t(bin)], 1);
    QCOMPARE(sum(a.sessionLength), 1);
}

void TestAnalysis::topListsKeepTopCountAndBreakTiesByCode_data()
{
    QTest::addColumn<int>("topCount");
    QTest::addColumn<QStringList>("items");
    QTest::addColumn<QStringList>("categories");
    QTest::newRow("0") << 0 << QStringList{} << QStringList{};
    QTest::newRow("1") << 1 << QStringList{QStringLiteral("i1")} << QStringList{QStringLiteral("c1")};
    QTest::newRow("3") << 3 << QStringList{QStringLiteral("i1"), QStringLiteral("i3"), QStringLiteral("i2")}
                       << QStringList{QStringLiteral("c1"), QStringLiteral("c2")};
    QTest::newRow("20 (default)") << 20
                                  << QStringList{QStringLiteral("i1"), QStringLiteral("i3"),
                                                 QStringLiteral("i2"), QStringLiteral("i4")}
                                  << QStringList{QStringLiteral("c1"), QStringLiteral("c2")};
}

void TestAnalysis::topListsKeepTopCountAndBreakTiesByCode()
{
    QFETCH(int, topCount);
    QFETCH(QStringList, items);
    QFETCH(QStringList, categories);
    AnalysisOptions options;
    options.topCount = topCount;
    const BehaviourAnalysis a = analyseOrFail(*makeTable(kLog, false), options);
    QStringList gotItems, gotCategories;
    for (const TopEntry& e : a.topItems)
        gotItems << e.id;
    for (const TopEntry& e : a.topCategories)
        gotCategories << e.id;
    QCOMPARE(gotItems, items);
    QCOMPARE(gotCategories, categories);
}

void TestAnalysis::repeatBuyersBuyOnTwoUtcDays_data()
{
    QTest::addColumn<QList<qint64>>("buys"); // times of one user's buys, seconds after kDay0
    QTest::addColumn<qint64>("buyers");
    QTest::addColumn<qint64>("repeatBuyers");
    QTest::newRow("no buy") << QList<qint64>{} << qint64(0) << qint64(0);
    QTest::newRow("one buy") << QList<qint64>{100} << qint64(1) << qint64(0);
    QTest::newRow("morning and night of one day") << QList<qint64>{10, kD - 10} << qint64(1) << qint64(0);
    QTest::newRow("a second either side of midnight") << QList<qint64>{kD - 1, kD} << qint64(1) << qint64(1);
    QTest::newRow("later day first in the file") << QList<qint64>{3 * kD, 5, 7} << qint64(1) << qint64(1);
}

void TestAnalysis::repeatBuyersBuyOnTwoUtcDays()
{
    QFETCH(QList<qint64>, buys);
    QFETCH(qint64, buyers);
    QFETCH(qint64, repeatBuyers);
    std::vector<Event> events = {{"u", "i", "c", Behaviour::View, 0, nullptr}};
    for (const qint64 t : buys)
        events.push_back({"u", "i", "c", Behaviour::Buy, t, nullptr});
    const BehaviourAnalysis a = analyseOrFail(*makeTable(events, false));
    QCOMPARE(a.buyers, buyers);
    QCOMPARE(a.repeatBuyers, repeatBuyers);
    QCOMPARE(a.repeatPurchaseRate(), buyers > 0 ? double(repeatBuyers) / double(buyers) : 0.0);
}

void TestAnalysis::conversionOfAnEmptyStageIsZero()
{
    // Views and buys only: no fav, so fav / view is 0 and cart / fav (an empty stage before) is 0.
    const std::vector<Event> events = {{"u", "i", "c", Behaviour::View, 0, nullptr},
                                       {"u", "i", "c", Behaviour::Buy, 10, nullptr}};
    const BehaviourAnalysis a = analyseOrFail(*makeTable(events, false));
    QCOMPARE(funnelUsers(a), (QList<qint64>{1, 0, 0, 1}));
    QCOMPARE(a.userConversion(1), 0.0);
    QCOMPARE(a.userConversion(2), 0.0);
    QCOMPARE(a.userConversion(3), 0.0); // buy over an empty cart stage
    QCOMPARE(a.sessionConversion(3), 0.0);
}

void TestAnalysis::emptyTable()
{
    const BehaviourAnalysis a = analyseOrFail(EventTable{});
    QCOMPARE(a.events, 0);
    QCOMPARE(a.users, 0);
    QCOMPARE(a.sessions, 0);
    QVERIFY(a.byDay.empty());
    QVERIFY(a.topItems.empty());
    QCOMPARE(a.repeatPurchaseRate(), 0.0);
    const QJsonObject o = toJson(a);
    QCOMPARE(o.value(QStringLiteral("by_day")).toArray().size(), 0);
    QCOMPARE(o.value(QStringLiteral("by_hour")).toArray().size(), 24);
}

void TestAnalysis::invalidOptionsAreRefused()
{
    NullProgress progress;
    const auto table = makeTable(kLog, false);
    AnalysisOptions negativeTop;
    negativeTop.topCount = -1;
    auto result = analyse(*table, negativeTop, progress, CancelToken());
    QVERIFY(!result);
    QCOMPARE(result.error().code, ErrorCode::InvalidArgument);
    AnalysisOptions negativeGap;
    negativeGap.gapSeconds = -1;
    QVERIFY(!analyse(*table, negativeGap, progress, CancelToken()));
}

void TestAnalysis::json()
{
    const QJsonObject o = toJson(analyseOrFail(*makeTable(kLog, false)));
    QCOMPARE(o.value(QStringLiteral("source")).toString(), QStringLiteral("dataset"));
    QCOMPARE(o.value(QStringLiteral("sessions_from")).toString(), QStringLiteral("gap"));
    QCOMPARE(o.value(QStringLiteral("events")).toInteger(), 14);
    QCOMPARE(o.value(QStringLiteral("users")).toInteger(), 4);
    QCOMPARE(o.value(QStringLiteral("sessions")).toInteger(), 8);

    const QJsonObject funnel = o.value(QStringLiteral("funnel")).toObject();
    const QList<qint64> users{4, 1, 2, 2}, sessions{5, 1, 2, 4};
    const char* stages[] = {"view", "fav", "cart", "buy"};
    for (int k = 0; k < 4; ++k) {
        const QJsonObject stage = funnel.value(QLatin1String(stages[k])).toObject();
        QCOMPARE(stage.value(QStringLiteral("users")).toInteger(), users[k]);
        QCOMPARE(stage.value(QStringLiteral("sessions")).toInteger(), sessions[k]);
    }
    const QJsonObject conversion = funnel.value(QStringLiteral("conversion")).toObject();
    QCOMPARE(conversion.value(QStringLiteral("users")).toArray(), (QJsonArray{1.0, 0.25, 2.0, 1.0}));
    QCOMPARE(conversion.value(QStringLiteral("sessions")).toArray(), (QJsonArray{1.0, 0.2, 2.0, 2.0}));

    const QJsonObject mix = o.value(QStringLiteral("behaviour_mix")).toObject();
    QCOMPARE(mix.value(QStringLiteral("view")).toInteger(), 6);
    QCOMPARE(mix.value(QStringLiteral("remove_from_cart")).toInteger(), 1);
    QCOMPARE(mix.value(QStringLiteral("buy")).toInteger(), 4);

    const QJsonArray hours = o.value(QStringLiteral("by_hour")).toArray();
    QCOMPARE(hours.size(), 24);
    QCOMPARE(hours.at(1).toInteger(), 4);
    QCOMPARE(hours.at(23).toInteger(), 4);

    const QJsonArray days = o.value(QStringLiteral("by_day")).toArray();
    QCOMPARE(days.size(), 5);
    QCOMPARE(days.at(0).toObject().value(QStringLiteral("date")).toString(), QStringLiteral("2017-11-25"));
    QCOMPARE(days.at(0).toObject().value(QStringLiteral("events")).toInteger(), 7);
    QCOMPARE(days.at(3).toObject().value(QStringLiteral("date")).toString(), QStringLiteral("2017-11-28"));
    QCOMPARE(days.at(3).toObject().value(QStringLiteral("events")).toInteger(), 0);
    QCOMPARE(days.at(4).toObject().value(QStringLiteral("date")).toString(), QStringLiteral("2017-11-29"));

    const QJsonObject length = o.value(QStringLiteral("session_length")).toObject();
    const QJsonArray bins = length.value(QStringLiteral("bins")).toArray();
    const QJsonArray counts = length.value(QStringLiteral("counts")).toArray();
    QCOMPARE(bins.size(), kSessionLengthBins);
    QCOMPARE(counts.size(), kSessionLengthBins);
    QCOMPARE(bins.at(0).toString(), QStringLiteral("1"));
    QCOMPARE(bins.at(48).toString(), QStringLiteral("49"));
    QCOMPARE(bins.at(49).toString(), QStringLiteral("50+"));
    QCOMPARE(counts.at(0).toInteger(), 4);
    QCOMPARE(counts.at(2).toInteger(), 2);

    const QJsonArray items = o.value(QStringLiteral("top_items")).toArray();
    QCOMPARE(items.size(), 4);
    QCOMPARE(items.at(1).toObject(), (QJsonObject{{QStringLiteral("id"), QStringLiteral("i3")},
                                                  {QStringLiteral("events"), 4},
                                                  {QStringLiteral("buys"), 3}}));
    QCOMPARE(o.value(QStringLiteral("top_categories")).toArray().size(), 2);
    QCOMPARE(o.value(QStringLiteral("buyers")).toInteger(), 2);
    QCOMPARE(o.value(QStringLiteral("repeat_buyers")).toInteger(), 1);
    QCOMPARE(o.value(QStringLiteral("repeat_purchase_rate")).toDouble(), 0.5);
}

void TestAnalysis::realSamples_data()
{
    QTest::addColumn<SampleExpectation>("expected");
    // Obtained once with /usr/bin/python3 and the csv module only (no part of this project):
    // read each row as the importer maps it (Taobao pv -> view; REES46 purchase -> buy, event_time
    // parsed as UTC), then counted exactly as defined in core/analysis/analysis.cpp: users and
    // sessions per funnel stage, gap sessions (per user, sorted by (time, row), cut at gaps over
    // 1800 s) or REES46 user_session groups, UTC hours and days, top ids by (events desc, first
    // appearance), buyers with buys on two or more UTC days.
    SampleExpectation taobao{
        QStringLiteral("taobao-userbehavior-head.csv"),
        QStringLiteral("gap"),
        84475,
        815,
        14122,
        {813, 305, 601, 559},
        {13372, 1181, 2716, 1345},
        {75872, 2356, 4497, 0, 1750},
        {2751, 3394, 3770, 3878, 3419, 4291, 4231, 4665, 4565, 3879, 4170, 5518,
         6615, 7471, 6696, 5148, 2985, 1323, 672,  375,  451,  632,  1346, 2230},
        1505088000, // 2017-09-11: a few stray events months before the main window
        84,
        1,
        10096,
        4398,
        1987,
        1444,
        88,
        QStringLiteral("3006793"),
        35,
        1,
        QStringLiteral("4756105"),
        4106,
        20,
        559,
        310,
    };
    QTest::newRow("taobao") << taobao;
    SampleExpectation rees46{
        QStringLiteral("rees46-2019-oct-head.csv"),
        QStringLiteral("source"),
        17434,
        4504,
        5066,
        {4504, 0, 111, 193},
        {5066, 0, 118, 200},
        {17055, 0, 165, 0, 214},
        {1083, 121, 16230, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
        1569888000, // 2019-10-01
        1,
        17434,
        17434,
        2067,
        936,
        585,
        1,
        QStringLiteral("1004856"),
        205,
        10,
        QStringLiteral("2053013555631882655"),
        4720,
        106,
        193,
        0,
    };
    QTest::newRow("rees46") << rees46;
}

void TestAnalysis::realSamples()
{
    QFETCH(SampleExpectation, expected);
    const QString path = test::sharedDataFile(expected.file);
    if (path.isEmpty())
        QFAIL("the real samples (../shared/data) are missing");
    ImportOptions options;
    options.files = {path};
    NullProgress progress;
    auto imported = importLog(options, progress, CancelToken());
    QVERIFY2(imported.ok(), qPrintable(imported.ok() ? QString() : imported.error().toString()));
    const EventTable& t = *imported->table;
    const BehaviourAnalysis a = analyseOrFail(t);

    QCOMPARE(a.sessionsFrom, expected.sessionsFrom);
    QCOMPARE(a.events, expected.events);
    QCOMPARE(a.users, expected.users);
    QCOMPARE(a.sessions, expected.sessions);
    QCOMPARE(funnelUsers(a), expected.funnelUsers);
    QCOMPARE(funnelSessions(a), expected.funnelSessions);
    QCOMPARE(toList(a.behaviourMix, kBehaviourCount), expected.mix);
    QCOMPARE(toList(a.byHour, 24), expected.byHour);
    QCOMPARE(sum(a.byHour), a.events);
    QCOMPARE(a.firstDay, expected.firstDay);
    QCOMPARE(qint64(a.byDay.size()), expected.days);
    QCOMPARE(a.byDay.front(), expected.firstDayEvents);
    QCOMPARE(a.byDay.back(), expected.lastDayEvents);
    QCOMPARE(sum(a.byDay), a.events);
    QCOMPARE(a.sessionLength[0], expected.length1);
    QCOMPARE(a.sessionLength[1], expected.length2);
    QCOMPARE(a.sessionLength[2], expected.length3);
    QCOMPARE(a.sessionLength[kSessionLengthBins - 1], expected.length50Plus);
    QCOMPARE(sum(a.sessionLength), a.sessions);
    QCOMPARE(a.topItems.size(), std::size_t(20));
    QCOMPARE(a.topItems.front().id, expected.topItem);
    QCOMPARE(a.topItems.front().events, expected.topItemEvents);
    QCOMPARE(a.topItems.front().buys, expected.topItemBuys);
    QCOMPARE(a.topCategories.front().id, expected.topCategory);
    QCOMPARE(a.topCategories.front().events, expected.topCategoryEvents);
    QCOMPARE(a.topCategories.front().buys, expected.topCategoryBuys);
    for (std::size_t k = 1; k < a.topItems.size(); ++k) // most first, ties by code
        QVERIFY(a.topItems[k - 1].events > a.topItems[k].events ||
                (a.topItems[k - 1].events == a.topItems[k].events &&
                 a.topItems[k - 1].code < a.topItems[k].code));
    QCOMPARE(a.buyers, expected.buyers);
    QCOMPARE(a.repeatBuyers, expected.repeatBuyers);
    QCOMPARE(a.funnel[3].users, a.buyers);
    // The same counts the import summary gives.
    const DatasetSummary summary = summarize(t);
    QCOMPARE(a.users, summary.users);
    for (int b = 0; b < kBehaviourCount; ++b)
        QCOMPARE(a.behaviourMix[std::size_t(b)], summary.behaviours[b]);
}

void TestAnalysis::preparedRun()
{
    ImportOptions options;
    options.files = {test::sharedDataFile(QStringLiteral("taobao-userbehavior-head.csv"))};
    NullProgress progress;
    auto imported = importLog(options, progress, CancelToken());
    QVERIFY(imported.ok());
    auto prepared = prepare(imported->table, PrepConfig{}, progress, CancelToken());
    QVERIFY2(prepared.ok(), qPrintable(prepared.ok() ? QString() : prepared.error().toString()));
    const PreparedData& run = *prepared;

    auto result = analyse(run, AnalysisOptions{}, progress, CancelToken());
    QVERIFY(result.ok());
    const BehaviourAnalysis& a = *result;
    QCOMPARE(a.source, QStringLiteral("run"));
    QCOMPARE(a.sessionsFrom, QStringLiteral("run"));
    QCOMPARE(a.sessions, qint64(run.sessionCount()));
    QCOMPARE(a.events, qint64(run.rows.size()));
    QCOMPARE(a.users, run.users);
    QCOMPARE(sum(a.sessionLength), a.sessions);
    QCOMPARE(sum(a.byHour), a.events);
    QCOMPARE(sum(a.byDay), a.events);
    QCOMPARE(sum(a.behaviourMix), a.events);
    QCOMPARE(a.sessionLength[0], 0); // the default filter keeps sessions of two or more events
    QVERIFY(a.events < 84475);       // the filter removed something
    for (std::size_t k = 0; k < kFunnelStages.size(); ++k) {
        QVERIFY(a.funnel[k].sessions <= a.sessions);
        QVERIFY(a.funnel[k].users <= a.users);
    }
}

void TestAnalysis::cancel_data()
{
    QTest::addColumn<bool>("run");
    QTest::addColumn<int>("stage"); // -1: cancelled before the call
    for (const bool run : {false, true}) {
        for (const int stage : {-1, 0, 1, 2})
            QTest::addRow("%s, stage %d", run ? "run" : "dataset", stage) << run << stage;
    }
}

void TestAnalysis::cancel()
{
    QFETCH(bool, run);
    QFETCH(int, stage);
    const auto table = makeTable(kLog, false);
    CancelToken token;
    if (stage < 0)
        token.cancel();
    CancelAtStage progress(token, stage);
    Result<BehaviourAnalysis> result = Error{};
    if (run) {
        PreparedData data;
        data.events = table;
        data.rows = {0, 1, 3};
        data.sessionBegin = {0, 3};
        data.sessionPart = {SplitPart::Train};
        result = analyse(data, AnalysisOptions{}, progress, token);
    } else {
        result = analyse(*table, AnalysisOptions{}, progress, token);
    }
    QVERIFY(!result);
    QVERIFY(result.error().isCancelled());
}

void TestAnalysis::progressReportsStagesAndEnds()
{
    RecordingProgress progress;
    QVERIFY(analyse(*makeTable(kLog, false), AnalysisOptions{}, progress, CancelToken()).ok());
    QVERIFY(progress.reports.size() >= 3);
    for (std::size_t k = 1; k < progress.reports.size(); ++k)
        QVERIFY(progress.reports[k].done >= progress.reports[k - 1].done);
    QCOMPARE(progress.reports.back().done, progress.reports.back().total);
    QVERIFY(!progress.reports.front().stage.isEmpty());
}

QString TestAnalysis::importToWorkspace(const QString& ws)
{
    const CliRun imported = scenewb({QStringLiteral("import"),
                                     test::sharedDataFile(QStringLiteral("taobao-userbehavior-head.csv")),
                                     QStringLiteral("--workspace"), ws, QStringLiteral("--name"),
                                     QStringLiteral("tb"), QStringLiteral("--json")});
    if (imported.exitCode != 0)
        return {};
    return imported.json().value(QStringLiteral("dataset")).toString();
}

void TestAnalysis::cliJson()
{
    QVERIFY(m_dir.isValid());
    const QString ws = m_dir.filePath(QStringLiteral("json.swb"));
    QCOMPARE(importToWorkspace(ws), QStringLiteral("tb"));
    const CliRun run = scenewb({QStringLiteral("analyse"), QStringLiteral("tb"),
                                QStringLiteral("--workspace"), ws, QStringLiteral("--json")});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QJsonObject o = run.json();
    QCOMPARE(o.value(QStringLiteral("dataset")).toString(), QStringLiteral("tb"));
    QVERIFY(!o.contains(QStringLiteral("run")));
    QCOMPARE(o.value(QStringLiteral("source")).toString(), QStringLiteral("dataset"));
    QCOMPARE(o.value(QStringLiteral("events")).toInteger(), 84475);
    QCOMPARE(o.value(QStringLiteral("sessions")).toInteger(), 14122);
    const QJsonObject funnel = o.value(QStringLiteral("funnel")).toObject();
    for (const char* stage : {"view", "fav", "cart", "buy"}) {
        const QJsonObject s = funnel.value(QLatin1String(stage)).toObject();
        QVERIFY2(s.contains(QStringLiteral("users")) && s.contains(QStringLiteral("sessions")), stage);
    }
    QCOMPARE(funnel.value(QStringLiteral("buy")).toObject().value(QStringLiteral("users")).toInteger(), 559);
    const QJsonObject conversion = funnel.value(QStringLiteral("conversion")).toObject();
    QCOMPARE(conversion.value(QStringLiteral("users")).toArray().size(), 4);
    QCOMPARE(conversion.value(QStringLiteral("sessions")).toArray().size(), 4);
    const QJsonArray hours = o.value(QStringLiteral("by_hour")).toArray();
    QCOMPARE(hours.size(), 24);
    qint64 total = 0;
    for (const QJsonValue& h : hours)
        total += h.toInteger();
    QCOMPARE(total, 84475);
    const QJsonObject length = o.value(QStringLiteral("session_length")).toObject();
    QCOMPARE(length.value(QStringLiteral("counts")).toArray().size(), kSessionLengthBins);
    QCOMPARE(length.value(QStringLiteral("bins")).toArray().size(), kSessionLengthBins);
    for (const char* key : {"behaviour_mix", "by_day", "top_items", "top_categories", "repeat_purchase_rate",
                            "buyers", "repeat_buyers", "users", "sessions_from"})
        QVERIFY2(o.contains(QLatin1String(key)), key);
}

void TestAnalysis::cliText()
{
    const QString ws = m_dir.filePath(QStringLiteral("text.swb"));
    QCOMPARE(importToWorkspace(ws), QStringLiteral("tb"));
    const CliRun run =
        scenewb({QStringLiteral("analyse"), QStringLiteral("tb"), QStringLiteral("--workspace"), ws});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QString out = QString::fromUtf8(run.out);
    for (const QString& expected :
         {QStringLiteral("funnel"), QStringLiteral("by hour"), QStringLiteral("14122"),
          QStringLiteral("3006793"), QStringLiteral("4756105"), QStringLiteral("310 of 559")})
        QVERIFY2(out.contains(expected), qPrintable(expected + QStringLiteral(" missing in:\n") + out));
}

void TestAnalysis::cliPreparedRun()
{
    const QString ws = m_dir.filePath(QStringLiteral("run.swb"));
    QCOMPARE(importToWorkspace(ws), QStringLiteral("tb"));
    const CliRun prep =
        scenewb({QStringLiteral("prep"), QStringLiteral("tb"), QStringLiteral("--name"),
                 QStringLiteral("tb-run"), QStringLiteral("--workspace"), ws, QStringLiteral("--json")});
    QVERIFY2(prep.exitCode == 0, prep.err.constData());
    const CliRun run = scenewb({QStringLiteral("analyse"), QStringLiteral("tb-run"),
                                QStringLiteral("--workspace"), ws, QStringLiteral("--json")});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QJsonObject o = run.json();
    QCOMPARE(o.value(QStringLiteral("run")).toString(), QStringLiteral("tb-run"));
    QCOMPARE(o.value(QStringLiteral("dataset")).toString(), QStringLiteral("tb"));
    QCOMPARE(o.value(QStringLiteral("source")).toString(), QStringLiteral("run"));
    QCOMPARE(o.value(QStringLiteral("sessions_from")).toString(), QStringLiteral("run"));
    // The rebuilt run is the stored one.
    QCOMPARE(o.value(QStringLiteral("sessions")).toInteger(),
             prep.json().value(QStringLiteral("sessions")).toInteger());
    QCOMPARE(o.value(QStringLiteral("events")).toInteger(),
             prep.json().value(QStringLiteral("events")).toInteger());
    QCOMPARE(o.value(QStringLiteral("users")).toInteger(),
             prep.json().value(QStringLiteral("users")).toInteger());
}

void TestAnalysis::cliUnknownName()
{
    const QString ws = m_dir.filePath(QStringLiteral("unknown.swb"));
    QCOMPARE(importToWorkspace(ws), QStringLiteral("tb"));
    const CliRun run = scenewb({QStringLiteral("analyse"), QStringLiteral("no-such-thing"),
                                QStringLiteral("--workspace"), ws, QStringLiteral("--json")});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(QString::fromUtf8(run.err).contains(QStringLiteral("no-such-thing")), run.err.constData());
    QVERIFY(run.out.isEmpty());
    const CliRun usage = scenewb({QStringLiteral("analyse"), QStringLiteral("--workspace"), ws});
    QCOMPARE(usage.exitCode, 1);
}

QTEST_GUILESS_MAIN(TestAnalysis)
#include "test_analysis.moc"
