#include "formatfixtures.h"

#include "testsupport.h"

#include <QJsonDocument>

namespace swb::test {

namespace {

QString fixture(const char* name)
{
    return testDataFile(QStringLiteral("formats/") + QLatin1String(name));
}

QJsonObject json(const char* text)
{
    return QJsonDocument::fromJson(QByteArray(text)).object();
}

// The six steps, given what each one removes; rows in and out follow from the first step's rows in.
std::vector<ExpectedStep> steps(qint64 rows, std::vector<std::map<QString, qint64>> removed)
{
    static const char* const kNames[] = {"clean", "dedup", "sessions", "filter", "split", "features"};
    std::vector<ExpectedStep> out;
    for (std::size_t i = 0; i < removed.size(); ++i) {
        qint64 gone = 0;
        for (const auto& [reason, n] : removed[i])
            gone += n;
        out.push_back({QLatin1String(kNames[i]), rows, rows - gone, removed[i]});
        rows -= gone;
    }
    return out;
}

const QString kRepeat = QStringLiteral("repeat_within_window");
const QString kExact = QStringLiteral("exact_duplicate");
const QString kItem = QStringLiteral("item_support");
const QString kShort = QStringLiteral("short_session");
const QString kCrossing = QStringLiteral("crosses_split_boundary");

// Times below are Unix seconds (UTC); "r5" is the fifth data row of a file.

// retailrocket-events.csv: 16 rows, 11 visitors, no category. Every visitor has one event except
// 257597 (views item 355908 at ..1332 and ..4601), 483717 (view ..1955, cart ..4362, buy ..4543) and
// 599528 (view ..2147, cart ..2190, buy ..2276); times are 143322xxxx, written ..xxxx.
// - dedup: a repeat window of 3600 s removes 257597's second view of 355908 (3269 s later): 15.
// - sessions (30-minute gaps): 483717's view and cart are 2407 s apart, so 12 sessions: ten of one
//   event, 599528's three, 483717's cart + buy.
// - filter: item support 1, length 1: nothing goes.
// - split, temporal on the last event ..4543: test from ..4544 - 0.01 d (864 s) = ..3680, validation
//   from ..3680 - 0.02 d (1728 s) = ..1952. Train: the five sessions ending before ..1952 (824915,
//   339335, 257597, 951259, 810725 at ..1923). Validation: 483717's view ..1955, 111016 ..1999,
//   599528 ..2147-2276, 794181 ..3291 (4 sessions, 6 events). Test: 972639 ..4086, 992329 ..4214,
//   483717 ..4362-4543 (3 sessions, 4 events).
// - unseen: the 4 validation items and users and the 3 test items and users are not in training.
// - analysis of the dataset (30-minute gaps, no de-duplication): 257597's two views are 3269 s
//   apart, so 13 sessions; every visitor views, 2 cart and buy; only 483717's cart + buy session
//   has no view. Lengths: 11 of one, one of two, one of three. One day, 2015-06-02. The run has
//   the 12 sessions above, 11 of them with a view.
FormatFixture retailRocket()
{
    return {.tag = QStringLiteral("retailrocket"),
            .format = QStringLiteral("retailrocket"),
            .importArgs = {fixture("retailrocket-events.csv")},
            .prepConfig = json(R"({"dedup": {"repeat_window_seconds": 3600},
                                   "sessions": {"gap_minutes": 30},
                                   "filter": {"min_item_support": 1, "min_session_length": 1},
                                   "split": {"method": "temporal",
                                             "test_days": 0.01, "validation_days": 0.02}})"),
            .steps = steps(16, {{}, {{kRepeat, 1}}, {}, {}, {}, {}}),
            .events = 15,
            .sessions = 12,
            .users = 11,
            .items = 11,
            .split = {{{5, 5}, {6, 4}, {4, 3}}},
            .unseenValidationItems = 4,
            .unseenValidationUsers = 4,
            .unseenTestItems = 3,
            .unseenTestUsers = 3,
            .validationStart = 1433221952,
            .testStart = 1433223680,
            .dataset = {.sessionsFrom = QStringLiteral("gap"),
                        .events = 16,
                        .users = 11,
                        .sessions = 13,
                        .funnelUsers = {11, 0, 2, 2},
                        .funnelSessions = {12, 0, 2, 2},
                        .sessionLengths = {{1, 11}, {2, 1}, {3, 1}},
                        .days = 1,
                        .categories = 0,
                        .topCategory = {},
                        .topCategoryEvents = 0,
                        .buyers = 2},
            .run = {.sessionsFrom = QStringLiteral("run"),
                    .events = 15,
                    .users = 11,
                    .sessions = 12,
                    .funnelUsers = {11, 0, 2, 2},
                    .funnelSessions = {11, 0, 2, 2},
                    .sessionLengths = {{1, 10}, {2, 1}, {3, 1}},
                    .days = 1,
                    .categories = 0,
                    .topCategory = {},
                    .topCategoryEvents = 0,
                    .buyers = 2}};
}

// tianchi-user.csv: 15 rows, hourly times, users u1 = 10001082 (r1-r10), u2 = 100029775 (r11-r14),
// u3 = 100068031 (r15).
// - dedup: r3 repeats r2 exactly: 14.
// - sessions (60-minute gaps; a gap of exactly 60 minutes does not cut): u1: A = 12-02 15h (view
//   and buy of 53616768), B = 12-08 18h, C = 12-12 11h + 12h (r5, r2, r7-r10: 6); u2: E = 11-18
//   09h view + 10h buy, G = 12-05 21h fav + cart; u3: H = 12-16 23h. 6 sessions.
// - split, last session per user: only u1 has three sessions: C test (6 events), B validation,
//   A, E, G, H train (7 events).
// - unseen: none of C's 6 items nor B's item is in training; u1 is (A).
// - analysis of the dataset (30-minute gaps, duplicate kept): u1 12-12 11h and 12h and u2 09h and
//   10h fall apart: 8 sessions of lengths 2 (A), 1 (B), 1 (11h), 6 (12h), 1, 1, 2 (G), 1 (H). View
//   sessions: all but u2's buy and G. Category 10894 has r8, r10, r11, r12 (4 events); 5503 has
//   3 (2 once de-duplicated). Days 2014-11-18 to 2014-12-16: 29.
FormatFixture tianchi()
{
    return {.tag = QStringLiteral("tianchi"),
            .format = QStringLiteral("tianchi"),
            .importArgs = {fixture("tianchi-user.csv")},
            .prepConfig = json(R"({"sessions": {"gap_minutes": 60},
                                   "filter": {"min_item_support": 1, "min_session_length": 1},
                                   "split": {"method": "last_session"}})"),
            .steps = steps(15, {{}, {{kExact, 1}}, {}, {}, {}, {}}),
            .events = 14,
            .sessions = 6,
            .users = 3,
            .items = 11,
            .split = {{{7, 4}, {1, 1}, {6, 1}}},
            .unseenValidationItems = 1,
            .unseenValidationUsers = 0,
            .unseenTestItems = 6,
            .unseenTestUsers = 0,
            .validationStart = 0,
            .testStart = 0,
            .dataset = {.sessionsFrom = QStringLiteral("gap"),
                        .events = 15,
                        .users = 3,
                        .sessions = 8,
                        .funnelUsers = {3, 1, 1, 2},
                        .funnelSessions = {6, 1, 1, 2},
                        .sessionLengths = {{1, 5}, {2, 2}, {6, 1}},
                        .days = 29,
                        .categories = 7,
                        .topCategory = QStringLiteral("10894"),
                        .topCategoryEvents = 4,
                        .buyers = 2},
            .run = {.sessionsFrom = QStringLiteral("run"),
                    .events = 14,
                    .users = 3,
                    .sessions = 6,
                    .funnelUsers = {3, 1, 1, 2},
                    .funnelSessions = {5, 1, 1, 2},
                    .sessionLengths = {{1, 2}, {2, 3}, {6, 1}},
                    .days = 29,
                    .categories = 7,
                    .topCategory = QStringLiteral("10894"),
                    .topCategoryEvents = 4,
                    .buyers = 2}};
}

// diginetica-train-item-views.csv: 14 views in 6 source sessions; user NA is imported as
// "session:<id>", so no row lacks a user and clean removes nothing (the sessions come from the
// log's ids). Times from 2016-05-09 00:00 = 1462752000 (+ timeframe ms): s1 ..2075-..3112 (5),
// s2 ..2006-..2061 (2), s3 ..2076-..2150 (2), s4 (user 18) ..2133-..2202 (2), s5 05-10 (1),
// s6 (user 2) 06-01 00:01:39-00:02:10 = 1464739299-1464739330 (2).
// - split, temporal: test from 1464739331 - 1 day = 1464652931 (s6); validation 22 days before,
//   from 1462752131: s4 and s5 start in it; s1 and s3 start before it but end after it, so they
//   cross the boundary and are removed (7 events); s2 ends before it: train.
// - kept: s2 (user session:2), s4 (18), s5 (session:5), s6 (2): 4 users; items 100747, 33298,
//   23571, 9654, 12352. Unseen: validation 3 items, 2 users; test 1 item, 1 user.
// - analysis: only views; the dataset's 6 sessions have lengths 5, 2, 2, 2, 1, 2; days 05-09 to
//   06-01: 24.
FormatFixture diginetica()
{
    return {.tag = QStringLiteral("diginetica"),
            .format = QStringLiteral("diginetica"),
            .importArgs = {fixture("diginetica-train-item-views.csv")},
            .prepConfig = json(R"({"sessions": {"use_source_sessions": true},
                                   "filter": {"min_item_support": 1, "min_session_length": 1},
                                   "split": {"method": "temporal", "test_days": 1, "validation_days": 22}})"),
            .steps = steps(14, {{}, {}, {}, {}, {{kCrossing, 7}}, {}}),
            .events = 7,
            .sessions = 4,
            .users = 4,
            .items = 5,
            .split = {{{2, 1}, {3, 2}, {2, 1}}},
            .unseenValidationItems = 3,
            .unseenValidationUsers = 2,
            .unseenTestItems = 1,
            .unseenTestUsers = 1,
            .validationStart = 1462752131,
            .testStart = 1464652931,
            .dataset = {.sessionsFrom = QStringLiteral("source"),
                        .events = 14,
                        .users = 6,
                        .sessions = 6,
                        .funnelUsers = {6, 0, 0, 0},
                        .funnelSessions = {6, 0, 0, 0},
                        .sessionLengths = {{1, 1}, {2, 4}, {5, 1}},
                        .days = 24,
                        .categories = 0,
                        .topCategory = {},
                        .topCategoryEvents = 0,
                        .buyers = 0},
            .run = {.sessionsFrom = QStringLiteral("run"),
                    .events = 7,
                    .users = 4,
                    .sessions = 4,
                    .funnelUsers = {4, 0, 0, 0},
                    .funnelSessions = {4, 0, 0, 0},
                    .sessionLengths = {{1, 1}, {2, 3}},
                    .days = 24,
                    .categories = 0,
                    .topCategory = {},
                    .topCategoryEvents = 0,
                    .buyers = 0}};
}

// yoochoose-clicks.dat + yoochoose-buys.dat: 15 clicks and 3 buys in 4 sessions (each its own
// user): s1 2014-04-07 10:51:09-10:57:00 (4 clicks), s2 13:56:37-14:03:12 (6 clicks, 2 buys),
// s3 2014-04-02 13:17:46-13:31:08 (3 clicks, 1 buy), s4 12:09:10-12:26:25 (2 clicks).
// - dedup: a repeat window of 60 s removes s2's second click on 214662742, 42 s after the first:
//   17.
// - filter: sessions shorter than 3 go: s4 (2 events). 15 left in s1 (4), s2 (7), s3 (4).
// - split, temporal on the last event 14:03:12 = 1396879392: test from 1396879393 - 0.05 d
//   (4320 s) = 12:51:13 (s2), validation 0.25 d before, from 06:51:13 (s1); s3 train.
// - kept items: 3 + 4 + 5 = 12; unseen: s2's 5 items and user, s1's 4 items and user.
// - analysis: buys in s2 and s3; categories "0" (13 clicks; 10 kept), "2", "S"; the buys have
//   none. Dataset session lengths 4 (s1), 8 (s2), 4 (s3), 2 (s4); days 04-02 to 04-07: 6.
FormatFixture yoochoose()
{
    return {.tag = QStringLiteral("yoochoose"),
            .format = QStringLiteral("yoochoose"),
            .importArgs = {fixture("yoochoose-clicks.dat"), fixture("yoochoose-buys.dat"),
                           QStringLiteral("--format"), QStringLiteral("yoochoose")},
            .prepConfig = json(R"({"dedup": {"repeat_window_seconds": 60},
                                   "sessions": {"use_source_sessions": true},
                                   "filter": {"min_item_support": 1, "min_session_length": 3},
                                   "split": {"method": "temporal",
                                             "test_days": 0.05, "validation_days": 0.25}})"),
            .steps = steps(18, {{}, {{kRepeat, 1}}, {}, {{kShort, 2}}, {}, {}}),
            .events = 15,
            .sessions = 3,
            .users = 3,
            .items = 12,
            .split = {{{4, 1}, {4, 1}, {7, 1}}},
            .unseenValidationItems = 4,
            .unseenValidationUsers = 1,
            .unseenTestItems = 5,
            .unseenTestUsers = 1,
            .validationStart = 1396853473,
            .testStart = 1396875073,
            .dataset = {.sessionsFrom = QStringLiteral("source"),
                        .events = 18,
                        .users = 4,
                        .sessions = 4,
                        .funnelUsers = {4, 0, 0, 2},
                        .funnelSessions = {4, 0, 0, 2},
                        .sessionLengths = {{2, 1}, {4, 2}, {8, 1}},
                        .days = 6,
                        .categories = 3,
                        .topCategory = QStringLiteral("0"),
                        .topCategoryEvents = 13,
                        .buyers = 2},
            .run = {.sessionsFrom = QStringLiteral("run"),
                    .events = 15,
                    .users = 3,
                    .sessions = 3,
                    .funnelUsers = {3, 0, 0, 2},
                    .funnelSessions = {3, 0, 0, 2},
                    .sessionLengths = {{4, 2}, {7, 1}},
                    .days = 6,
                    .categories = 3,
                    .topCategory = QStringLiteral("0"),
                    .topCategoryEvents = 10,
                    .buyers = 2}};
}

// yoochoose-clicks.dat alone (sessions as above without the buys): the same filter leaves s1 (4),
// s2 (6 clicks; no repeat window this time) and s3 (3); s4 (2) is short. Temporal on the last click
// 14:02:36 = 1396879356: test from 1396879357 - 4320 s = 12:50:37 (s2), validation from 06:50:37
// (s1), s3 train. Category "0" keeps 1 + 4 + 6 = 11 clicks.
FormatFixture yoochooseClicks()
{
    return {.tag = QStringLiteral("yoochoose-clicks"),
            .format = QStringLiteral("yoochoose-clicks"),
            .importArgs = {fixture("yoochoose-clicks.dat")},
            .prepConfig = json(R"({"sessions": {"use_source_sessions": true},
                                   "filter": {"min_item_support": 1, "min_session_length": 3},
                                   "split": {"method": "temporal",
                                             "test_days": 0.05, "validation_days": 0.25}})"),
            .steps = steps(15, {{}, {}, {}, {{kShort, 2}}, {}, {}}),
            .events = 13,
            .sessions = 3,
            .users = 3,
            .items = 12,
            .split = {{{3, 1}, {4, 1}, {6, 1}}},
            .unseenValidationItems = 4,
            .unseenValidationUsers = 1,
            .unseenTestItems = 5,
            .unseenTestUsers = 1,
            .validationStart = 1396853437,
            .testStart = 1396875037,
            .dataset = {.sessionsFrom = QStringLiteral("source"),
                        .events = 15,
                        .users = 4,
                        .sessions = 4,
                        .funnelUsers = {4, 0, 0, 0},
                        .funnelSessions = {4, 0, 0, 0},
                        .sessionLengths = {{2, 1}, {3, 1}, {4, 1}, {6, 1}},
                        .days = 6,
                        .categories = 3,
                        .topCategory = QStringLiteral("0"),
                        .topCategoryEvents = 13,
                        .buyers = 0},
            .run = {.sessionsFrom = QStringLiteral("run"),
                    .events = 13,
                    .users = 3,
                    .sessions = 3,
                    .funnelUsers = {3, 0, 0, 0},
                    .funnelSessions = {3, 0, 0, 0},
                    .sessionLengths = {{3, 1}, {4, 1}, {6, 1}},
                    .days = 6,
                    .categories = 3,
                    .topCategory = QStringLiteral("0"),
                    .topCategoryEvents = 11,
                    .buyers = 0}};
}

// yoochoose-buys.dat alone: 3 buys, no view and no category: s2 buys two items at 2014-04-07
// 14:03:12 (not duplicates: the items differ), s3 one at 04-02 13:31:08. Two sessions cannot fill
// three parts: test the last day (from 1396879393 - 86400 = 1396792993: s2), no validation, s3
// train. The funnel has buyers but no viewers.
FormatFixture yoochooseBuys()
{
    return {.tag = QStringLiteral("yoochoose-buys"),
            .format = QStringLiteral("yoochoose-buys"),
            .importArgs = {fixture("yoochoose-buys.dat")},
            .prepConfig = json(R"({"filter": {"min_item_support": 1, "min_session_length": 1},
                                   "split": {"method": "temporal", "test_days": 1, "validation_days": 0}})"),
            .steps = steps(3, {{}, {}, {}, {}, {}, {}}),
            .events = 3,
            .sessions = 2,
            .users = 2,
            .items = 3,
            .split = {{{1, 1}, {0, 0}, {2, 1}}},
            .unseenValidationItems = 0,
            .unseenValidationUsers = 0,
            .unseenTestItems = 2,
            .unseenTestUsers = 1,
            .validationStart = 1396792993,
            .testStart = 1396792993,
            .dataset = {.sessionsFrom = QStringLiteral("source"),
                        .events = 3,
                        .users = 2,
                        .sessions = 2,
                        .funnelUsers = {0, 0, 0, 2},
                        .funnelSessions = {0, 0, 0, 2},
                        .sessionLengths = {{1, 1}, {2, 1}},
                        .days = 6,
                        .categories = 0,
                        .topCategory = {},
                        .topCategoryEvents = 0,
                        .buyers = 2},
            .run = {.sessionsFrom = QStringLiteral("run"),
                    .events = 3,
                    .users = 2,
                    .sessions = 2,
                    .funnelUsers = {0, 0, 0, 2},
                    .funnelSessions = {0, 0, 0, 2},
                    .sessionLengths = {{1, 1}, {2, 1}},
                    .days = 6,
                    .categories = 0,
                    .topCategory = {},
                    .topCategoryEvents = 0,
                    .buyers = 2}};
}

// generic.tsv with generic.json: 15 rows, one session per customer at 30-minute gaps:
// c-100 r1-r5 (1700000000-0300: sku-1 view; sku-2 view, fav, cart, buy), c-101 r6-r9 (..3600-3780:
// sku-3 view, cart, unbasket; sku-4 view), c-102 r10-r13 (..7200-7500: sku-1 view; sku-5 view,
// cart, buy), c-103 r14-r15 (..10800-10860: sku-4 view, sku-1 fav).
// - filter, item support 3, length 2, repeated: sku-4 has 2 events (r9, r14) and goes; c-103 is
//   left with r15 alone and goes as short; sku-1 is then down to 2 (r1, r10) and goes too: 4 by
//   item support, 1 short. 10 left: c-100 4, c-101 3, c-102 3.
// - split, temporal on the last event 1700007500: test from 1700007501 - 0.04 d (3456 s) =
//   1700004045 (c-102), validation from 1700000589 (c-101); c-100 ends at 0300: train.
// - analysis: every customer views; fav c-100 and c-103 (only c-100 once prepared); cart c-100,
//   c-101, c-102; buy c-100, c-102. Categories shoes (7 rows; 4 kept), bags 5, hats 3. Days
//   2023-11-14 and 11-15.
FormatFixture generic()
{
    return {.tag = QStringLiteral("generic"),
            .format = QStringLiteral("generic"),
            .importArgs = {fixture("generic.tsv"), QStringLiteral("--mapping"), fixture("generic.json")},
            .prepConfig = json(R"({"sessions": {"gap_minutes": 30},
                                   "filter": {"min_item_support": 3, "min_session_length": 2,
                                              "iterate": true},
                                   "split": {"method": "temporal",
                                             "test_days": 0.04, "validation_days": 0.04}})"),
            .steps = steps(15, {{}, {}, {}, {{kItem, 4}, {kShort, 1}}, {}, {}}),
            .events = 10,
            .sessions = 3,
            .users = 3,
            .items = 3,
            .split = {{{4, 1}, {3, 1}, {3, 1}}},
            .unseenValidationItems = 1,
            .unseenValidationUsers = 1,
            .unseenTestItems = 1,
            .unseenTestUsers = 1,
            .validationStart = 1700000589,
            .testStart = 1700004045,
            .dataset = {.sessionsFrom = QStringLiteral("gap"),
                        .events = 15,
                        .users = 4,
                        .sessions = 4,
                        .funnelUsers = {4, 2, 3, 2},
                        .funnelSessions = {4, 2, 3, 2},
                        .sessionLengths = {{2, 1}, {4, 2}, {5, 1}},
                        .days = 2,
                        .categories = 3,
                        .topCategory = QStringLiteral("shoes"),
                        .topCategoryEvents = 7,
                        .buyers = 2},
            .run = {.sessionsFrom = QStringLiteral("run"),
                    .events = 10,
                    .users = 3,
                    .sessions = 3,
                    .funnelUsers = {3, 1, 3, 2},
                    .funnelSessions = {3, 1, 3, 2},
                    .sessionLengths = {{3, 2}, {4, 1}},
                    .days = 2,
                    .categories = 3,
                    .topCategory = QStringLiteral("shoes"),
                    .topCategoryEvents = 4,
                    .buyers = 2}};
}

} // namespace

const std::vector<FormatFixture>& formatFixtures()
{
    static const std::vector<FormatFixture> fixtures = {
        retailRocket(), tianchi(), diginetica(), yoochoose(), yoochooseClicks(), yoochooseBuys(), generic()};
    return fixtures;
}

} // namespace swb::test
