// The importer on the real samples in ../shared/data: exact counts checked independently with
// awk/cut/sort (see the comments), exact rows, gzip, detection, progress, cancel and determinism.
#include "core/io/importer.h"
#include "testsupport.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace swb;

namespace {

Result<ImportResult> importFile(const QString& path, const QString& format = {})
{
    ImportOptions options;
    options.files = {path};
    options.format = format;
    NullProgress progress;
    return importLog(options, progress, CancelToken());
}

QString text(const Dictionary& d, std::uint32_t code)
{
    const std::string_view v = d.text(code);
    return QString::fromUtf8(v.data(), qsizetype(v.size()));
}

} // namespace

class TestImport : public QObject
{
    Q_OBJECT

private slots:
    void realSamples_data();
    void realSamples();
    void formatFixtures_data();
    void formatFixtures();
    void taobaoFirstRow();
    void rees46FirstRowKeepsSixtyFourBitIdsAndOptionalFields();
    void gzipIsReadDirectly();
    void wrongFormatNamedIsRefused();
    void progressReachesTotalAndCancelStops();
    void sameFileSameTable();
    void genericMapping();
};

void TestImport::realSamples_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("format");
    QTest::addColumn<qint64>("rows");
    QTest::addColumn<qint64>("views");
    QTest::addColumn<qint64>("favs");
    QTest::addColumn<qint64>("carts");
    QTest::addColumn<qint64>("buys");
    QTest::addColumn<qint64>("users");
    QTest::addColumn<qint64>("items");
    QTest::addColumn<qint64>("categories");
    QTest::addColumn<qint64>("sessions");
    QTest::addColumn<QString>("first");
    QTest::addColumn<QString>("last");
    // cut -d, -f4 | sort | uniq -c; cut -f1/-f2/-f3 | sort -u | wc -l; sort -n on -f5.
    QTest::newRow("taobao") << QStringLiteral("taobao-userbehavior-head.csv") << QStringLiteral("taobao")
                            << qint64(84475) << qint64(75872) << qint64(2356) << qint64(4497) << qint64(1750)
                            << qint64(815) << qint64(55368) << qint64(2914) << qint64(0)
                            << QStringLiteral("2017-09-11T08:16:39Z")
                            << QStringLiteral("2017-12-03T15:59:23Z");
    // tail -n +2 | cut -d, -f2 | sort | uniq -c; -f8 users, -f3 items, -f4 categories, -f9 sessions.
    QTest::newRow("rees46") << QStringLiteral("rees46-2019-oct-head.csv") << QStringLiteral("rees46")
                            << qint64(17434) << qint64(17055) << qint64(0) << qint64(165) << qint64(214)
                            << qint64(4504) << qint64(6493) << qint64(434) << qint64(5066)
                            << QStringLiteral("2019-10-01T00:00:00Z")
                            << QStringLiteral("2019-10-01T02:50:00Z");
}

void TestImport::realSamples()
{
    QFETCH(QString, file);
    QFETCH(QString, format);
    const QString path = test::sharedDataFile(file);
    if (path.isEmpty())
        QFAIL("../shared/data is missing");
    auto result = importFile(path);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().toString()));
    const ImportReport& report = result->report;
    QCOMPARE(report.format, format);
    QFETCH(qint64, rows);
    QCOMPARE(report.rowsRead, rows);
    QCOMPARE(report.rowsImported, rows);
    QCOMPARE(report.rowsRejected, qint64(0));
    const DatasetSummary s = summarize(*result->table);
    QFETCH(qint64, views);
    QFETCH(qint64, favs);
    QFETCH(qint64, carts);
    QFETCH(qint64, buys);
    QCOMPARE(s.behaviours[int(Behaviour::View)], views);
    QCOMPARE(s.behaviours[int(Behaviour::Fav)], favs);
    QCOMPARE(s.behaviours[int(Behaviour::Cart)], carts);
    QCOMPARE(s.behaviours[int(Behaviour::Buy)], buys);
    QFETCH(qint64, users);
    QFETCH(qint64, items);
    QFETCH(qint64, categories);
    QFETCH(qint64, sessions);
    QCOMPARE(s.users, users);
    QCOMPARE(s.items, items);
    QCOMPARE(s.categories, categories);
    QCOMPARE(s.sessions, sessions);
    QFETCH(QString, first);
    QFETCH(QString, last);
    QCOMPARE(isoUtc(s.firstTs), first);
    QCOMPARE(isoUtc(s.lastTs), last);
}

void TestImport::formatFixtures_data()
{
    // Files and counts: tests/data/formats/README.md (checked by hand and by script).
    QTest::addColumn<QStringList>("files");
    QTest::addColumn<QString>("mapping");
    QTest::addColumn<QString>("format");
    QTest::addColumn<QList<qint64>>(
        "counts"); // rows, view, fav, cart, remove, buy, users, items, categories, sessions
    QTest::addColumn<qint64>("first");
    QTest::addColumn<qint64>("last");
    const auto f = [](const char* name) {
        return test::testDataFile(QStringLiteral("formats/") + QLatin1String(name));
    };
    QTest::newRow("retailrocket") << QStringList{f("retailrocket-events.csv")} << QString()
                                  << QStringLiteral("retailrocket")
                                  << QList<qint64>{16, 12, 0, 2, 0, 2, 11, 11, 0, 0} << qint64(1433220899)
                                  << qint64(1433224601);
    QTest::newRow("tianchi") << QStringList{f("tianchi-user.csv")} << QString() << QStringLiteral("tianchi")
                             << QList<qint64>{15, 11, 1, 1, 0, 2, 3, 11, 7, 0} << qint64(1416301200)
                             << qint64(1418770800);
    QTest::newRow("diginetica") << QStringList{f("diginetica-train-item-views.csv")} << QString()
                                << QStringLiteral("diginetica")
                                << QList<qint64>{14, 14, 0, 0, 0, 0, 6, 10, 0, 6} << qint64(1462752006)
                                << qint64(1464739330);
    QTest::newRow("yoochoose clicks")
        << QStringList{f("yoochoose-clicks.dat")} << QString() << QStringLiteral("yoochoose-clicks")
        << QList<qint64>{15, 15, 0, 0, 0, 0, 4, 14, 3, 4} << qint64(1396444666) << qint64(1396879356);
    QTest::newRow("yoochoose buys") << QStringList{f("yoochoose-buys.dat")} << QString()
                                    << QStringLiteral("yoochoose-buys")
                                    << QList<qint64>{3, 0, 0, 0, 0, 3, 2, 3, 0, 2} << qint64(1396445468)
                                    << qint64(1396879392);
    QTest::newRow("yoochoose both") << QStringList{f("yoochoose-clicks.dat"), f("yoochoose-buys.dat")}
                                    << QString() << QStringLiteral("yoochoose")
                                    << QList<qint64>{18, 15, 0, 0, 0, 3, 4, 14, 3, 4} << qint64(1396444666)
                                    << qint64(1396879392);
    QTest::newRow("generic") << QStringList{f("generic.tsv")} << f("generic.json")
                             << QStringLiteral("generic") << QList<qint64>{15, 7, 2, 3, 1, 2, 4, 5, 3, 0}
                             << qint64(1700000000) << qint64(1700010860);
}

void TestImport::formatFixtures()
{
    QFETCH(QStringList, files);
    QFETCH(QString, mapping);
    QFETCH(QString, format);
    QFETCH(QList<qint64>, counts);
    QFETCH(qint64, first);
    QFETCH(qint64, last);
    ImportOptions options;
    options.files = files;
    if (!mapping.isEmpty()) {
        auto spec = formatFromMappingFile(mapping);
        QVERIFY2(spec.ok(), qPrintable(spec.ok() ? QString() : spec.error().toString()));
        options.spec = spec.value();
    }
    NullProgress progress;
    auto result = importLog(options, progress, CancelToken());
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().toString()));
    QCOMPARE(result->report.format, format);
    QCOMPARE(result->report.rowsRejected, qint64(0));
    const DatasetSummary s = summarize(*result->table);
    const QList<qint64> actual{s.events,        s.behaviours[0], s.behaviours[1], s.behaviours[2],
                               s.behaviours[3], s.behaviours[4], s.users,         s.items,
                               s.categories,    s.sessions};
    QCOMPARE(actual, counts);
    QCOMPARE(s.firstTs, first);
    QCOMPARE(s.lastTs, last);
}

void TestImport::taobaoFirstRow()
{
    auto result = importFile(test::sharedDataFile(QStringLiteral("taobao-userbehavior-head.csv")));
    QVERIFY(result.ok());
    const EventTable& t = *result->table;
    // Line 1: 1,2268318,2520377,pv,1511544070
    QCOMPARE(text(t.users, t.user[0]), QStringLiteral("1"));
    QCOMPARE(text(t.items, t.item[0]), QStringLiteral("2268318"));
    QCOMPARE(text(t.categories, t.category[0]), QStringLiteral("2520377"));
    QCOMPARE(t.behaviourAt(0), Behaviour::View);
    QCOMPARE(t.ts[0], qint64(1511544070));
    QVERIFY(!t.hasSession() && !t.hasPrice() && !t.hasBrand());
}

void TestImport::rees46FirstRowKeepsSixtyFourBitIdsAndOptionalFields()
{
    auto result = importFile(test::sharedDataFile(QStringLiteral("rees46-2019-oct-head.csv")));
    QVERIFY(result.ok());
    const EventTable& t = *result->table;
    // Line 2: 2019-10-01 00:00:00
    // UTC,view,44600062,2103807459595387724,,shiseido,35.79,541312140,72d76fde-...
    QCOMPARE(text(t.users, t.user[0]), QStringLiteral("541312140"));
    QCOMPARE(text(t.items, t.item[0]), QStringLiteral("44600062"));
    QCOMPARE(text(t.categories, t.category[0]), QStringLiteral("2103807459595387724"));
    QCOMPARE(text(t.brands, t.brand[0]), QStringLiteral("shiseido"));
    QCOMPARE(text(t.sessions, t.session[0]), QStringLiteral("72d76fde-8bb3-4e00-8c23-a032dfed738c"));
    QCOMPARE(t.price[0], 35.79f);
    QCOMPARE(t.ts[0], qint64(1569888000));
    // 864 distinct brands; 2477 rows without a brand keep "no brand", not an empty-string brand.
    QCOMPARE(t.brands.size(), 864u);
    QCOMPARE(std::count(t.brand.begin(), t.brand.end(), Dictionary::kNone), qint64(2477));
}

void TestImport::gzipIsReadDirectly()
{
    QTemporaryDir dir;
    const QString plain = dir.filePath(QStringLiteral("rees.csv"));
    QVERIFY(QFile::copy(test::sharedDataFile(QStringLiteral("rees46-2019-oct-head.csv")), plain));
    QCOMPARE(QProcess::execute(QStringLiteral("gzip"), {QStringLiteral("-k"), plain}), 0);
    auto gz = importFile(plain + QStringLiteral(".gz"));
    auto csv = importFile(plain);
    QVERIFY(gz.ok() && csv.ok());
    QCOMPARE(gz->report.rowsImported, qint64(17434));
    QCOMPARE(gz->table->item, csv->table->item);
    QCOMPARE(gz->table->ts, csv->table->ts);
}

void TestImport::wrongFormatNamedIsRefused()
{
    auto result = importFile(test::sharedDataFile(QStringLiteral("taobao-userbehavior-head.csv")),
                             QStringLiteral("rees46"));
    QVERIFY(!result.ok());
    QCOMPARE(result.error().line, qint64(1));
    QVERIFY2(result.error().message.contains(QStringLiteral("header")), qPrintable(result.error().message));
    auto unknown = importFile(test::sharedDataFile(QStringLiteral("taobao-userbehavior-head.csv")),
                              QStringLiteral("nope"));
    QVERIFY(!unknown.ok());
    QVERIFY(unknown.error().message.contains(QStringLiteral("nope")));
}

void TestImport::progressReachesTotalAndCancelStops()
{
    // Ten copies of the Taobao sample make several blocks.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("big.csv"));
    QVERIFY(test::writeRepeatedTaobaoSample(path, 10));

    std::int64_t last = -1, total = 0;
    bool monotonic = true;
    ThrottledProgress progress(
        [&](std::int64_t done, std::int64_t t, const QString&) {
            monotonic = monotonic && done >= last;
            last = done;
            total = t;
        },
        std::chrono::milliseconds(0));
    ImportOptions options;
    options.files = {path};
    auto result = importLog(options, progress, CancelToken());
    QVERIFY(result.ok());
    QCOMPARE(result->report.rowsImported, qint64(844750));
    QVERIFY(monotonic);
    QCOMPARE(total, QFileInfo(path).size());
    QCOMPARE(last, total);

    CancelToken cancel;
    ThrottledProgress cancelling(
        [&](std::int64_t done, std::int64_t, const QString&) {
            if (done > 0)
                cancel.cancel();
        },
        std::chrono::milliseconds(0));
    auto cancelled = importLog(options, cancelling, cancel);
    QVERIFY(!cancelled.ok());
    QVERIFY(cancelled.error().isCancelled());
}

void TestImport::sameFileSameTable()
{
    auto a = importFile(test::sharedDataFile(QStringLiteral("rees46-2019-oct-head.csv")));
    auto b = importFile(test::sharedDataFile(QStringLiteral("rees46-2019-oct-head.csv")));
    QVERIFY(a.ok() && b.ok());
    QCOMPARE(a->table->user, b->table->user);
    QCOMPARE(a->table->item, b->table->item);
    QCOMPARE(a->table->session, b->table->session);
    QCOMPARE(a->table->behaviour, b->table->behaviour);
}

void TestImport::genericMapping()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("shop.tsv"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("when\tvisitor\taction\tsku\tamount\n"
            "2020-03-01T10:00:00Z\tu-1\tclick\tA-7\t\n"
            "2020-03-01T10:00:05Z\tu-1\tbasket\tA-7\t12.5\n"
            "2020-03-01T10:01:00+01:00\tu-2\torder\tB-1\t3\n"
            "2020-03-01T10:02:00Z\tu-2\tbounce\tB-1\t\n");
    f.close();
    const QJsonObject mapping = QJsonDocument::fromJson(R"({"delimiter":"\t","header":true,
        "columns":{"user":"visitor","item":"sku","behaviour":"action","timestamp":"when","price":"amount"},
        "timestamp_format":"iso8601","behaviours":{"click":"view","basket":"cart","order":"buy"}})")
                                    .object();
    auto spec = formatFromMapping(mapping, QStringLiteral("mapping"));
    QVERIFY2(spec.ok(), qPrintable(spec.ok() ? QString() : spec.error().toString()));
    ImportOptions options;
    options.files = {path};
    options.spec = spec.value();
    NullProgress progress;
    auto result = importLog(options, progress, CancelToken());
    QVERIFY(result.ok());
    QCOMPARE(result->report.rowsImported, qint64(3));
    QCOMPARE(result->report.rejectedByReason.at(QStringLiteral("unknown_behaviour")), qint64(1));
    QCOMPARE(result->report.errors.front().line, qint64(5));
    QCOMPARE(result->report.errors.front().column, 3);
    const EventTable& t = *result->table;
    QCOMPARE(text(t.items, t.item[1]), QStringLiteral("A-7"));
    QCOMPARE(t.behaviourAt(1), Behaviour::Cart);
    QCOMPARE(t.price[1], 12.5f);
    QVERIFY(std::isnan(t.price[0]));
    QCOMPARE(isoUtc(t.ts[2]), QStringLiteral("2020-03-01T09:01:00Z"));

    QJsonObject bad = mapping;
    bad.insert(QStringLiteral("colums"), QJsonObject());
    auto refused = formatFromMapping(bad, QStringLiteral("mapping"));
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().field, QStringLiteral("colums"));
}

QTEST_GUILESS_MAIN(TestImport)
#include "test_import.moc"
