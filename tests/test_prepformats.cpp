// `scenewb prep`, `runs` and `analyse` on every format besides Taobao and REES46: each small file of
// tests/data/formats imported through the CLI, prepared with settings that suit it, and the report,
// the runs list and the analysis of the dataset and of the run checked against counts worked out by
// hand from the rows (formatfixtures.cpp says how).

#include "formatfixtures.h"
#include "testsupport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace swb;

namespace {

const QStringList kFunnelStages = {QStringLiteral("view"), QStringLiteral("fav"), QStringLiteral("cart"),
                                   QStringLiteral("buy")};
const QStringList kParts = {QStringLiteral("train"), QStringLiteral("validation"), QStringLiteral("test")};

qint64 integer(const QJsonObject& o, const char* key)
{
    return o.value(QLatin1String(key)).toInteger(-1);
}

} // namespace

class TestPrepFormats : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }
    void prepareAndAnalyse_data();
    void prepareAndAnalyse();

private:
    // `scenewb analyse NAME --json` against what was worked out by hand.
    void checkAnalysis(const QString& workspace, const QString& name, const test::ExpectedAnalysis& expected);

    QTemporaryDir m_dir;
};

void TestPrepFormats::prepareAndAnalyse_data()
{
    QTest::addColumn<int>("index");
    const std::vector<test::FormatFixture>& fixtures = test::formatFixtures();
    for (std::size_t i = 0; i < fixtures.size(); ++i)
        QTest::newRow(qPrintable(fixtures[i].tag)) << int(i);
}

void TestPrepFormats::prepareAndAnalyse()
{
    QFETCH(int, index);
    const test::FormatFixture& f = test::formatFixtures()[std::size_t(index)];
    const QString ws = m_dir.filePath(f.tag + QStringLiteral(".swb"));

    // Import: every row of the hand-made file is valid.
    const test::CliRun imported =
        test::runCli(QStringList{QStringLiteral("import")} + f.importArgs +
                     QStringList{QStringLiteral("--workspace"), ws, QStringLiteral("--json")});
    QVERIFY2(imported.exitCode == 0, imported.err.constData());
    const QJsonObject import = imported.json();
    QCOMPARE(import.value(QStringLiteral("format")).toString(), f.format);
    QCOMPARE(integer(import, "rows_rejected"), 0);
    QCOMPARE(integer(import, "rows_imported"), f.steps.front().rowsIn);
    const QString dataset = import.value(QStringLiteral("dataset")).toString();
    QVERIFY(!dataset.isEmpty());

    // Prepare.
    const QString config = m_dir.filePath(f.tag + QStringLiteral("-prep.json"));
    {
        QFile file(config);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QJsonDocument(f.prepConfig).toJson());
    }
    const test::CliRun prepared =
        test::runCli({QStringLiteral("prep"), dataset, QStringLiteral("--config"), config,
                      QStringLiteral("--workspace"), ws, QStringLiteral("--json")});
    QVERIFY2(prepared.exitCode == 0, prepared.err.constData());
    const QJsonObject report = prepared.json();
    const QString run = report.value(QStringLiteral("run")).toString();
    QCOMPARE(run, dataset + QStringLiteral("-prep"));
    QCOMPARE(report.value(QStringLiteral("dataset")).toString(), dataset);

    // Each step: as worked out, and rows in = rows out + removed by reason, each starting where the
    // one before ended.
    const QJsonArray steps = report.value(QStringLiteral("steps")).toArray();
    QCOMPARE(steps.size(), qsizetype(f.steps.size()));
    qint64 previousOut = f.steps.front().rowsIn;
    for (qsizetype i = 0; i < steps.size(); ++i) {
        const QJsonObject step = steps.at(i).toObject();
        const test::ExpectedStep& expected = f.steps[std::size_t(i)];
        const QString name = step.value(QStringLiteral("name")).toString();
        QCOMPARE(name, expected.name);
        const QJsonObject reasons = step.value(QStringLiteral("removed_by_reason")).toObject();
        qint64 removed = 0;
        std::map<QString, qint64> byReason;
        for (auto it = reasons.begin(); it != reasons.end(); ++it) {
            byReason[it.key()] = it.value().toInteger();
            removed += it.value().toInteger();
        }
        QVERIFY2(byReason == expected.removed,
                 qPrintable(name + QLatin1Char(' ') +
                            QString::fromUtf8(QJsonDocument(reasons).toJson(QJsonDocument::Compact))));
        QCOMPARE(integer(step, "rows_in"), expected.rowsIn);
        QCOMPARE(integer(step, "rows_out"), expected.rowsOut);
        QCOMPARE(integer(step, "rows_in"), integer(step, "rows_out") + removed);
        QCOMPARE(integer(step, "rows_in"), previousOut);
        previousOut = integer(step, "rows_out");
    }
    QCOMPARE(integer(report, "events"), f.events);
    QCOMPARE(previousOut, f.events);
    QCOMPARE(integer(report, "sessions"), f.sessions);
    QCOMPARE(integer(report, "users"), f.users);
    QCOMPARE(integer(report, "items"), f.items);
    const QJsonObject split = report.value(QStringLiteral("split")).toObject();
    for (int p = 0; p < 3; ++p) {
        const QJsonObject part = split.value(kParts[p]).toObject();
        QCOMPARE(integer(part, "events"), f.split[std::size_t(p)].events);
        QCOMPARE(integer(part, "sessions"), f.split[std::size_t(p)].sessions);
    }
    const QJsonObject unseenValidation = report.value(QStringLiteral("unseen_in_validation")).toObject();
    QCOMPARE(integer(unseenValidation, "items"), f.unseenValidationItems);
    QCOMPARE(integer(unseenValidation, "users"), f.unseenValidationUsers);
    const QJsonObject unseenTest = report.value(QStringLiteral("unseen_in_test")).toObject();
    QCOMPARE(integer(unseenTest, "items"), f.unseenTestItems);
    QCOMPARE(integer(unseenTest, "users"), f.unseenTestUsers);
    if (f.testStart > 0) {
        const QJsonObject times = report.value(QStringLiteral("split_times")).toObject();
        QCOMPARE(integer(times, "validation_start"), f.validationStart);
        QCOMPARE(integer(times, "test_start"), f.testStart);
    } else {
        QVERIFY(!report.contains(QStringLiteral("split_times")));
    }
    // The scaler saw the training events only.
    QCOMPARE(integer(report.value(QStringLiteral("features")).toObject(), "fitted_on_events"),
             f.split[0].events);

    // The stored run is listed with the same numbers.
    const test::CliRun runs =
        test::runCli({QStringLiteral("runs"), QStringLiteral("--workspace"), ws, QStringLiteral("--json")});
    QVERIFY2(runs.exitCode == 0, runs.err.constData());
    const QJsonArray list = runs.json().value(QStringLiteral("runs")).toArray();
    QCOMPARE(list.size(), 1);
    const QJsonObject listed = list.first().toObject();
    QCOMPARE(listed.value(QStringLiteral("run")).toString(), run);
    QCOMPARE(listed.value(QStringLiteral("dataset")).toString(), dataset);
    QCOMPARE(integer(listed, "events"), f.events);
    QCOMPARE(integer(listed, "sessions"), f.sessions);
    QCOMPARE(listed.value(QStringLiteral("split")).toObject(), split);

    checkAnalysis(ws, run, f.run);
    if (QTest::currentTestFailed())
        return;
    checkAnalysis(ws, dataset, f.dataset);
}

void TestPrepFormats::checkAnalysis(const QString& workspace, const QString& name,
                                    const test::ExpectedAnalysis& expected)
{
    const test::CliRun analysed =
        test::runCli({QStringLiteral("analyse"), name, QStringLiteral("--workspace"), workspace,
                      QStringLiteral("--json")});
    QVERIFY2(analysed.exitCode == 0, analysed.err.constData());
    const QJsonObject a = analysed.json();
    const bool isRun = expected.sessionsFrom == QLatin1String("run");
    QCOMPARE(a.value(QStringLiteral("source")).toString(),
             isRun ? QStringLiteral("run") : QStringLiteral("dataset"));
    QCOMPARE(a.value(QStringLiteral("sessions_from")).toString(), expected.sessionsFrom);
    QCOMPARE(integer(a, "events"), expected.events);
    QCOMPARE(integer(a, "users"), expected.users);
    QCOMPARE(integer(a, "sessions"), expected.sessions);

    const QJsonObject funnel = a.value(QStringLiteral("funnel")).toObject();
    for (int k = 0; k < 4; ++k) {
        const QJsonObject stage = funnel.value(kFunnelStages[k]).toObject();
        QVERIFY2(integer(stage, "users") == expected.funnelUsers[std::size_t(k)],
                 qPrintable(kFunnelStages[k]));
        QVERIFY2(integer(stage, "sessions") == expected.funnelSessions[std::size_t(k)],
                 qPrintable(kFunnelStages[k]));
    }

    const QJsonArray lengths =
        a.value(QStringLiteral("session_length")).toObject().value(QStringLiteral("counts")).toArray();
    QCOMPARE(lengths.size(), 50);
    for (int bin = 0; bin < lengths.size(); ++bin) {
        const auto it = expected.sessionLengths.find(bin + 1);
        const qint64 want = it == expected.sessionLengths.end() ? 0 : it->second;
        QVERIFY2(lengths.at(bin).toInteger() == want, qPrintable(QStringLiteral("length %1").arg(bin + 1)));
    }

    qint64 byHour = 0;
    for (const QJsonValue& n : a.value(QStringLiteral("by_hour")).toArray())
        byHour += n.toInteger();
    QCOMPARE(byHour, expected.events);
    QCOMPARE(a.value(QStringLiteral("by_day")).toArray().size(), qsizetype(expected.days));

    // Formats without a category column have an empty list, not an error.
    const QJsonArray categories = a.value(QStringLiteral("top_categories")).toArray();
    QCOMPARE(categories.size(), qsizetype(expected.categories));
    if (!categories.isEmpty()) {
        QCOMPARE(categories.first().toObject().value(QStringLiteral("id")).toString(), expected.topCategory);
        QCOMPARE(integer(categories.first().toObject(), "events"), expected.topCategoryEvents);
    }
    QVERIFY(!a.value(QStringLiteral("top_items")).toArray().isEmpty());
    QCOMPARE(integer(a, "buyers"), expected.buyers);
    QCOMPARE(integer(a, "repeat_buyers"), 0); // no fixture buys on two different days
}

QTEST_GUILESS_MAIN(TestPrepFormats)
#include "test_prepformats.moc"
