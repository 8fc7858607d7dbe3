// The `scenewb` contract: JSON keys, exit codes (0 ok, 1 usage, 2 rejected), one-line errors.
#include "core/data/workspace.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <sys/types.h>

using namespace swb;

namespace {

using Run = test::CliRun;

Run scenewb(const QStringList& args,
            const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment())
{
    return test::runCli(args, env);
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private slots:
    void init() { QVERIFY(m_dir.isValid()); }
    void importJsonHasTheContractKeys();
    void datasetsAndInspectAgreeWithImport();
    void exitCodes_data();
    void exitCodes();
    void strictImportsNothing();
    void defaultWorkspaceIsSharedWithTheGui();
    void interruptStoresNothing();
    void everyFormat_data();
    void everyFormat();

private:
    QString workspace() const { return m_dir.filePath(QStringLiteral("ws.swb")); }
    QTemporaryDir m_dir;
};

void TestCli::importJsonHasTheContractKeys()
{
    const Run run =
        scenewb({QStringLiteral("import"), test::sharedDataFile(QStringLiteral("rees46-2019-oct-head.csv")),
                 QStringLiteral("--workspace"), workspace(), QStringLiteral("--name"), QStringLiteral("oct"),
                 QStringLiteral("--json")});
    QCOMPARE(run.exitCode, 0);
    const QJsonObject o = run.json();
    for (const char* key :
         {"dataset", "format", "rows_read", "rows_imported", "rows_rejected", "rejected_by_reason",
          "behaviours", "users", "items", "categories", "first_ts", "last_ts", "errors"})
        QVERIFY2(o.contains(QLatin1String(key)), key);
    QCOMPARE(o.value(QStringLiteral("dataset")).toString(), QStringLiteral("oct"));
    QCOMPARE(o.value(QStringLiteral("format")).toString(), QStringLiteral("rees46"));
    QCOMPARE(o.value(QStringLiteral("rows_imported")).toInteger(), 17434);
    const QJsonObject b = o.value(QStringLiteral("behaviours")).toObject();
    QCOMPARE(b.value(QStringLiteral("view")).toInteger(), 17055);
    QCOMPARE(b.value(QStringLiteral("cart")).toInteger(), 165);
    QCOMPARE(b.value(QStringLiteral("buy")).toInteger(), 214);
    QCOMPARE(b.value(QStringLiteral("remove_from_cart")).toInteger(), 0);
    QCOMPARE(b.value(QStringLiteral("fav")).toInteger(), 0);
    QCOMPARE(o.value(QStringLiteral("first_ts")).toString(), QStringLiteral("2019-10-01T00:00:00Z"));
}

void TestCli::datasetsAndInspectAgreeWithImport()
{
    const Run imported = scenewb({QStringLiteral("import"),
                                  test::sharedDataFile(QStringLiteral("taobao-userbehavior-head.csv")),
                                  QStringLiteral("--workspace"), workspace(), QStringLiteral("--json")});
    QCOMPARE(imported.exitCode, 0);
    const QString name = imported.json().value(QStringLiteral("dataset")).toString();
    QCOMPARE(name, QStringLiteral("taobao-userbehavior-head"));

    const Run list = scenewb(
        {QStringLiteral("datasets"), QStringLiteral("--workspace"), workspace(), QStringLiteral("--json")});
    QCOMPARE(list.exitCode, 0);
    const QJsonArray datasets = list.json().value(QStringLiteral("datasets")).toArray();
    QVERIFY(std::any_of(datasets.begin(), datasets.end(), [&](const QJsonValue& v) {
        return v.toObject().value(QStringLiteral("dataset")).toString() == name &&
               v.toObject().value(QStringLiteral("events")).toInteger() == 84475;
    }));

    const Run inspect = scenewb({QStringLiteral("inspect"), name, QStringLiteral("--workspace"), workspace(),
                                 QStringLiteral("--json")});
    QCOMPARE(inspect.exitCode, 0);
    const QJsonObject a = imported.json();
    const QJsonObject b = inspect.json();
    for (const char* key : {"rows_imported", "rows_rejected", "behaviours", "users", "items", "categories",
                            "first_ts", "last_ts"})
        QVERIFY2(a.value(QLatin1String(key)) == b.value(QLatin1String(key)), key);
}

void TestCli::exitCodes_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("stderrHas");
    QTest::newRow("no command") << QStringList{} << 1 << QStringLiteral("Usage");
    QTest::newRow("unknown command") << QStringList{QStringLiteral("frobnicate")} << 1
                                     << QStringLiteral("frobnicate");
    QTest::newRow("unknown option") << QStringList{QStringLiteral("import"), QStringLiteral("--bogus")} << 1
                                    << QStringLiteral("bogus");
    QTest::newRow("unknown format") << QStringList{QStringLiteral("import"), QStringLiteral("x.csv"),
                                                   QStringLiteral("--format"), QStringLiteral("parquet")}
                                    << 1 << QStringLiteral("parquet");
    QTest::newRow("missing file") << QStringList{QStringLiteral("import"),
                                                 QStringLiteral("/nonexistent/log.csv")}
                                  << 2 << QStringLiteral("/nonexistent/log.csv");
    QTest::newRow("unknown dataset") << QStringList{QStringLiteral("inspect"), QStringLiteral("nope")} << 2
                                     << QStringLiteral("nope");
}

void TestCli::exitCodes()
{
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QFETCH(QString, stderrHas);
    if (!args.isEmpty() && args.front() != QLatin1String("frobnicate"))
        args << QStringLiteral("--workspace") << workspace();
    const Run run = scenewb(args);
    QCOMPARE(run.exitCode, code);
    QVERIFY2(QString::fromUtf8(run.err).contains(stderrHas), run.err.constData());
    QVERIFY(run.out.isEmpty() || code == 0);
}

void TestCli::strictImportsNothing()
{
    const QString bad = m_dir.filePath(QStringLiteral("bad.csv"));
    const QString ws = m_dir.filePath(QStringLiteral("strict.swb"));
    QFile f(bad);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("1,2,3,pv,1511544070\n1,2,3,teleport,1511544071\n4,5,6,buy,1511544072\n");
    f.close();
    const Run strict = scenewb({QStringLiteral("import"), bad, QStringLiteral("--strict"),
                                QStringLiteral("--workspace"), ws, QStringLiteral("--json")});
    QCOMPARE(strict.exitCode, 2);
    const QString err = QString::fromUtf8(strict.err).trimmed();
    QVERIFY2(err.contains(bad + QStringLiteral(":2:4")), qPrintable(err)); // file:line:column
    QVERIFY2(err.contains(QStringLiteral("unknown_behaviour")), qPrintable(err));
    QCOMPARE(err.count(QLatin1Char('\n')), 0); // one line
    const Run list =
        scenewb({QStringLiteral("datasets"), QStringLiteral("--workspace"), ws, QStringLiteral("--json")});
    QVERIFY(list.json().value(QStringLiteral("datasets")).toArray().isEmpty());

    const Run lenient =
        scenewb({QStringLiteral("import"), bad, QStringLiteral("--workspace"), ws, QStringLiteral("--json")});
    QCOMPARE(lenient.exitCode, 0);
    const QJsonObject o = lenient.json();
    QCOMPARE(o.value(QStringLiteral("rows_imported")).toInteger(), 2);
    QCOMPARE(o.value(QStringLiteral("rejected_by_reason"))
                 .toObject()
                 .value(QStringLiteral("unknown_behaviour"))
                 .toInteger(),
             1);
    const QJsonObject e = o.value(QStringLiteral("errors")).toArray().first().toObject();
    QCOMPARE(e.value(QStringLiteral("line")).toInteger(), 2);
    QCOMPARE(e.value(QStringLiteral("column")).toInt(), 4);
    QCOMPARE(e.value(QStringLiteral("text")).toString(), QStringLiteral("teleport"));
}

void TestCli::defaultWorkspaceIsSharedWithTheGui()
{
    // Without --workspace the CLI writes where the GUI looks first: Workspace::defaultPath(),
    // <XDG_DATA_HOME>/scene-workbench/workspace.swb.
    const QString dataHome = m_dir.filePath(QStringLiteral("xdg-data"));
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_DATA_HOME"), dataHome);
    const Run run =
        scenewb({QStringLiteral("import"), test::sharedDataFile(QStringLiteral("rees46-2019-oct-head.csv")),
                 QStringLiteral("--json")},
                env);
    QCOMPARE(run.exitCode, 0);
    QVERIFY(QFile::exists(dataHome + QStringLiteral("/scene-workbench/workspace.swb")));
    qputenv("XDG_DATA_HOME", QFile::encodeName(dataHome));
    QCOMPARE(Workspace::defaultPath(), dataHome + QStringLiteral("/scene-workbench/workspace.swb"));
    qunsetenv("XDG_DATA_HOME");
}

void TestCli::interruptStoresNothing()
{
    // 24 copies of the Taobao sample (two million rows) take seconds to import and store;
    // Ctrl+C at 0.3 s stops it.
    const QString big = m_dir.filePath(QStringLiteral("big.csv"));
    QVERIFY(test::writeRepeatedTaobaoSample(big, 24));
    const QString ws = m_dir.filePath(QStringLiteral("interrupt.swb"));
    QProcess p;
    p.start(test::cliPath(), {QStringLiteral("import"), big, QStringLiteral("--workspace"), ws});
    QVERIFY(p.waitForStarted());
    QTest::qWait(300);
    QCOMPARE(::kill(static_cast<pid_t>(p.processId()), SIGINT), 0);
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 130);
    QVERIFY(QString::fromUtf8(p.readAllStandardError()).contains(QStringLiteral("Cancelled")));
    const Run list =
        scenewb({QStringLiteral("datasets"), QStringLiteral("--workspace"), ws, QStringLiteral("--json")});
    QCOMPARE(list.exitCode, 0);
    QVERIFY(list.json().value(QStringLiteral("datasets")).toArray().isEmpty());
}

void TestCli::everyFormat_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("format");
    QTest::addColumn<int>("rows");
    const auto f = [](const char* name) {
        return test::testDataFile(QStringLiteral("formats/") + QLatin1String(name));
    };
    QTest::newRow("taobao") << QStringList{test::sharedDataFile(
                                   QStringLiteral("taobao-userbehavior-head.csv"))}
                            << QStringLiteral("taobao") << 84475;
    QTest::newRow("rees46") << QStringList{test::sharedDataFile(QStringLiteral("rees46-2019-oct-head.csv")),
                                           QStringLiteral("--format"), QStringLiteral("rees46")}
                            << QStringLiteral("rees46") << 17434;
    QTest::newRow("retailrocket") << QStringList{f("retailrocket-events.csv")}
                                  << QStringLiteral("retailrocket") << 16;
    QTest::newRow("tianchi") << QStringList{f("tianchi-user.csv")} << QStringLiteral("tianchi") << 15;
    QTest::newRow("diginetica") << QStringList{f("diginetica-train-item-views.csv")}
                                << QStringLiteral("diginetica") << 14;
    QTest::newRow("yoochoose") << QStringList{f("yoochoose-clicks.dat"), f("yoochoose-buys.dat"),
                                              QStringLiteral("--format"), QStringLiteral("yoochoose")}
                               << QStringLiteral("yoochoose") << 18;
    QTest::newRow("generic") << QStringList{f("generic.tsv"), QStringLiteral("--mapping"), f("generic.json")}
                             << QStringLiteral("generic") << 15;
}

void TestCli::everyFormat()
{
    QFETCH(QStringList, args);
    QFETCH(QString, format);
    QFETCH(int, rows);
    const QString ws = m_dir.filePath(QStringLiteral("formats.swb"));
    const Run run = scenewb(QStringList{QStringLiteral("import")} + args +
                            QStringList{QStringLiteral("--workspace"), ws, QStringLiteral("--json")});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QJsonObject o = run.json();
    QCOMPARE(o.value(QStringLiteral("format")).toString(), format);
    QCOMPARE(o.value(QStringLiteral("rows_imported")).toInt(), rows);
    const Run inspect = scenewb({QStringLiteral("inspect"), o.value(QStringLiteral("dataset")).toString(),
                                 QStringLiteral("--workspace"), ws, QStringLiteral("--json")});
    QCOMPARE(inspect.exitCode, 0);
    QCOMPARE(inspect.json().value(QStringLiteral("users")), o.value(QStringLiteral("users")));
    QCOMPARE(inspect.json().value(QStringLiteral("behaviours")), o.value(QStringLiteral("behaviours")));
}

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
