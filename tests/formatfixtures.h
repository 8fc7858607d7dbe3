#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <array>
#include <map>
#include <vector>

// The small hand-made files of every non-Taobao/REES46 format (tests/data/formats), each with a
// preparation that suits it and what the preparation and the analysis must give, worked out by hand
// from the rows (the reasoning is in formatfixtures.cpp). Shared by the CLI test
// (test_prepformats) and the GUI test (test_pagesformats), so both front ends are held to the same
// numbers.
namespace swb::test {

struct ExpectedStep
{
    QString name;
    qint64 rowsIn = 0;
    qint64 rowsOut = 0;
    std::map<QString, qint64> removed; // by reason; empty when the step removes nothing
};

struct ExpectedPart
{
    qint64 events = 0;
    qint64 sessions = 0;
};

struct ExpectedAnalysis
{
    QString sessionsFrom; // "gap", "source" or "run"
    qint64 events = 0;
    qint64 users = 0;
    qint64 sessions = 0;
    std::array<qint64, 4> funnelUsers{}; // view, fav, cart, buy
    std::array<qint64, 4> funnelSessions{};
    std::map<int, qint64> sessionLengths; // length -> sessions; every other length has none
    qint64 days = 0;                      // entries of by_day (first to last UTC day)
    qint64 categories = 0;                // entries of top_categories (0: the format has none)
    QString topCategory;                  // the one with the most events, when there are categories
    qint64 topCategoryEvents = 0;
    qint64 buyers = 0;
};

struct FormatFixture
{
    QString tag;            // the test row's name
    QString format;         // as the import reports it
    QStringList importArgs; // files and options for `scenewb import`
    QJsonObject prepConfig; // `scenewb prep --config`
    std::vector<ExpectedStep> steps;
    qint64 events = 0, sessions = 0, users = 0, items = 0; // kept by the preparation
    std::array<ExpectedPart, 3> split{};                   // train, validation, test
    qint64 unseenValidationItems = 0, unseenValidationUsers = 0;
    qint64 unseenTestItems = 0, unseenTestUsers = 0;
    qint64 validationStart = 0, testStart = 0; // temporal split: the first second of each; 0 otherwise
    ExpectedAnalysis dataset;                  // `scenewb analyse DATASET`
    ExpectedAnalysis run;                      // `scenewb analyse RUN`
};

// RetailRocket, Tianchi, Diginetica, YOOCHOOSE (clicks and buys together, then each file alone) and
// generic (TSV with a JSON mapping), in that order.
const std::vector<FormatFixture>& formatFixtures();

} // namespace swb::test
