// Offscreen GUI test of the Prepare and Analyse pages on every format besides Taobao and REES46:
// each small file of tests/data/formats imported (through the CLI) into a workspace of its own, the
// Prepare page's form filled with settings that suit it and run, its report and stored run checked,
// then the Analyse page's charts for the dataset and for the run, all against the counts worked out
// by hand in formatfixtures.cpp.

#include "ui/analysepage.h"
#include "ui/analysischarts.h"
#include "ui/preparepage.h"

#include "charthelpers.h"
#include "core/prep/prepconfig.h"
#include "formatfixtures.h"
#include "testsupport.h"

#include <QAbstractBarSeries>
#include <QAbstractItemModelTester>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLocale>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace swb;

namespace {

using test::barSet;
using test::values;

qint64 number(const QAbstractItemModel* model, int row, int column)
{
    return model->index(row, column).data(Qt::UserRole).toLongLong();
}

} // namespace

class TestPagesFormats : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void prepareAndAnalyse_data();
    void prepareAndAnalyse();

private:
    template <typename T> T* prepareChild(const char* name) const
    {
        return m_prepare->findChild<T*>(QString::fromLatin1(name));
    }
    // Sets the Prepare page's fields one by one, as a user would.
    void fillForm(const PrepConfig& config);
    void checkReport(const test::FormatFixture& f);
    void checkCharts(const QString& source, const test::ExpectedAnalysis& expected);

    QTemporaryDir m_dir;
    std::unique_ptr<PreparePage> m_prepare;
    std::unique_ptr<AnalysePage> m_analyse;
};

void TestPagesFormats::initTestCase()
{
    QVERIFY(m_dir.isValid());
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_dir.filePath(QStringLiteral("config"))));
    QCoreApplication::setOrganizationName(QStringLiteral("scenewb-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("test_pagesformats"));

    m_prepare = std::make_unique<PreparePage>();
    m_prepare->resize(1300, 850);
    m_prepare->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_prepare.get()));
    m_analyse = std::make_unique<AnalysePage>();
    m_analyse->resize(1280, 800);
    m_analyse->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_analyse.get()));
    const QList<QAbstractItemModel*> models = {m_prepare->stepsModel(), m_prepare->splitModel(),
                                               m_prepare->runsModel(), m_analyse->sourceModel()};
    for (QAbstractItemModel* model : models)
        new QAbstractItemModelTester(model, QAbstractItemModelTester::FailureReportingMode::QtTest, this);
}

void TestPagesFormats::cleanupTestCase()
{
    m_analyse.reset();
    m_prepare.reset();
}

void TestPagesFormats::prepareAndAnalyse_data()
{
    QTest::addColumn<int>("index");
    const std::vector<test::FormatFixture>& fixtures = test::formatFixtures();
    for (std::size_t i = 0; i < fixtures.size(); ++i)
        QTest::newRow(qPrintable(fixtures[i].tag)) << int(i);
}

void TestPagesFormats::fillForm(const PrepConfig& c)
{
    auto* startCheck = prepareChild<QCheckBox>("startCheck");
    auto* endCheck = prepareChild<QCheckBox>("endCheck");
    auto* repeatWindow = prepareChild<QSpinBox>("repeatWindow");
    auto* sourceSessions = prepareChild<QCheckBox>("sourceSessions");
    auto* gap = prepareChild<QSpinBox>("gapMinutes");
    auto* minItemSupport = prepareChild<QSpinBox>("minItemSupport");
    auto* minSessionLength = prepareChild<QSpinBox>("minSessionLength");
    auto* maxSessionLength = prepareChild<QSpinBox>("maxSessionLength");
    auto* iterate = prepareChild<QCheckBox>("iterate");
    auto* method = prepareChild<QComboBox>("splitMethod");
    auto* testDays = prepareChild<QDoubleSpinBox>("testDays");
    auto* validationDays = prepareChild<QDoubleSpinBox>("validationDays");
    QVERIFY(startCheck && endCheck && repeatWindow && sourceSessions && gap && minItemSupport &&
            minSessionLength && maxSessionLength && iterate && method && testDays && validationDays);
    QVERIFY(!c.start && !c.end);
    startCheck->setChecked(false);
    endCheck->setChecked(false);
    repeatWindow->setValue(int(c.repeatWindowSeconds));
    sourceSessions->setChecked(c.useSourceSessions);
    gap->setValue(int(c.gapSeconds / 60));
    minItemSupport->setValue(int(c.minItemSupport));
    minSessionLength->setValue(int(c.minSessionLength));
    maxSessionLength->setValue(int(c.maxSessionLength));
    iterate->setChecked(c.iterate);
    method->setCurrentIndex(method->findData(int(c.split)));
    if (c.split == SplitMethod::Temporal) {
        QVERIFY(testDays->isEnabled() && validationDays->isEnabled());
        testDays->setValue(c.testDays);
        validationDays->setValue(c.validationDays);
    } else {
        QVERIFY(!testDays->isEnabled());
    }
}

void TestPagesFormats::prepareAndAnalyse()
{
    QFETCH(int, index);
    const test::FormatFixture& f = test::formatFixtures()[std::size_t(index)];
    const QString ws = m_dir.filePath(f.tag + QStringLiteral(".swb"));
    const test::CliRun imported =
        test::runCli(QStringList{QStringLiteral("import")} + f.importArgs +
                     QStringList{QStringLiteral("--workspace"), ws, QStringLiteral("--json")});
    QVERIFY2(imported.exitCode == 0, imported.err.constData());
    const QString dataset = imported.json().value(QStringLiteral("dataset")).toString();

    // Prepare: the dataset is the workspace's only one; the form gets the fixture's settings.
    QVERIFY(m_prepare->setWorkspacePath(ws));
    QCOMPARE(m_prepare->currentDataset(), dataset);
    QCOMPARE(m_prepare->runsModel()->rowCount(), 0);
    auto expectedConfig = PrepConfig::fromJson(f.prepConfig);
    QVERIFY2(expectedConfig, qPrintable(expectedConfig ? QString() : expectedConfig.error().toString()));
    fillForm(*expectedConfig);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(m_prepare->config().toJson(), expectedConfig->toJson());

    QSignalSpy finished(m_prepare.get(), &PreparePage::runFinished);
    QSignalSpy failed(m_prepare.get(), &PreparePage::runFailed);
    auto* runButton = prepareChild<QPushButton>("runButton");
    QVERIFY(runButton && runButton->isEnabled());
    QTest::mouseClick(runButton, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!m_prepare->isBusy(), 30000);
    QVERIFY2(failed.isEmpty(), qPrintable(m_prepare->message()));
    QCOMPARE(finished.size(), 1);
    const QString run = dataset + QStringLiteral("-prep");
    QCOMPARE(finished.at(0).at(0).toString(), run);
    QCOMPARE(m_prepare->shownRun(), run);
    checkReport(f);
    if (QTest::currentTestFailed())
        return;
    // The run is listed in the runs panel.
    QCOMPARE(m_prepare->runsModel()->rowCount(), 1);
    QCOMPARE(m_prepare->runsModel()->index(0, 0).data().toString(), run);

    // Analyse the dataset, then the run. (The page keeps the choice of the workspace before where
    // the new one has a source of that name, so the dataset is chosen explicitly.)
    QVERIFY(m_analyse->setWorkspacePath(ws));
    QSignalSpy analysed(m_analyse.get(), &AnalysePage::analysisFinished);
    QVERIFY(m_analyse->selectDataset(dataset));
    QTRY_VERIFY_WITH_TIMEOUT(!m_analyse->isBusy(), 30000);
    QCOMPARE(analysed.size(), 1);
    QCOMPARE(analysed.at(0).at(0).toString(), dataset);
    QVERIFY2(m_analyse->message().isEmpty(), qPrintable(m_analyse->message()));
    QVERIFY(m_analyse->shownSource().kind == AnalysePage::SourceKind::Dataset);
    checkCharts(dataset, f.dataset);
    if (QTest::currentTestFailed())
        return;

    QVERIFY(m_analyse->selectRun(run));
    QTRY_COMPARE_WITH_TIMEOUT(analysed.size(), 2, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(!m_analyse->isBusy(), 30000);
    QVERIFY2(m_analyse->message().isEmpty(), qPrintable(m_analyse->message()));
    QVERIFY(m_analyse->shownSource().kind == AnalysePage::SourceKind::Run);
    checkCharts(run, f.run);
}

void TestPagesFormats::checkReport(const test::FormatFixture& f)
{
    // The steps table: each step's rows in, out and removed as worked out by hand, adding up.
    const QStandardItemModel* steps = m_prepare->stepsModel();
    QCOMPARE(steps->rowCount(), int(f.steps.size()));
    for (int row = 0; row < steps->rowCount(); ++row) {
        const test::ExpectedStep& expected = f.steps[std::size_t(row)];
        QCOMPARE(steps->index(row, 0).data(Qt::UserRole).toString(), expected.name);
        qint64 removed = 0;
        for (const auto& [reason, n] : expected.removed)
            removed += n;
        QCOMPARE(number(steps, row, 1), expected.rowsIn);
        QCOMPARE(number(steps, row, 2), expected.rowsOut);
        QCOMPARE(number(steps, row, 3), removed);
        QCOMPARE(number(steps, row, 1), number(steps, row, 2) + number(steps, row, 3));
        // The reasons column names each count (or a dash when nothing was removed).
        const QString reasons = steps->index(row, 4).data().toString();
        if (expected.removed.empty())
            QCOMPARE(reasons, QStringLiteral("–"));
        for (const auto& [reason, n] : expected.removed)
            QVERIFY2(reasons.contains(QLocale().toString(n) + QLatin1Char(' ')), qPrintable(reasons));
    }

    // The split table: events, sessions and (for validation and test) unseen items and users.
    const QStandardItemModel* split = m_prepare->splitModel();
    QCOMPARE(split->rowCount(), 3);
    for (int row = 0; row < 3; ++row) {
        QCOMPARE(number(split, row, 1), f.split[std::size_t(row)].events);
        QCOMPARE(number(split, row, 2), f.split[std::size_t(row)].sessions);
    }
    QCOMPARE(number(split, 1, 4), f.unseenValidationItems);
    QCOMPARE(number(split, 1, 5), f.unseenValidationUsers);
    QCOMPARE(number(split, 2, 4), f.unseenTestItems);
    QCOMPARE(number(split, 2, 5), f.unseenTestUsers);
}

void TestPagesFormats::checkCharts(const QString& source, const test::ExpectedAnalysis& expected)
{
    QCOMPARE(m_analyse->shownSource().name, source);
    const BehaviourAnalysis* shown = m_analyse->shownAnalysis();
    QVERIFY(shown);
    QCOMPARE(shown->sessionsFrom, expected.sessionsFrom);
    const QString summary = m_analyse->summaryText();
    for (const qint64 n : {expected.events, expected.users, expected.sessions})
        QVERIFY2(summary.contains(QLocale().toString(n)), qPrintable(summary));

    AnalysisCharts* charts = m_analyse->charts();
    QChart* funnel = charts->chart(AnalysisChart::Funnel);
    QCOMPARE(values(barSet(funnel, QStringLiteral("Users"))),
             QList<qint64>(expected.funnelUsers.begin(), expected.funnelUsers.end()));
    QCOMPARE(values(barSet(funnel, QStringLiteral("Sessions"))),
             QList<qint64>(expected.funnelSessions.begin(), expected.funnelSessions.end()));

    QList<qint64> lengths(kSessionLengthBins, 0);
    for (const auto& [length, sessions] : expected.sessionLengths)
        lengths[length - 1] = sessions;
    QCOMPARE(values(barSet(charts->chart(AnalysisChart::SessionLength), QStringLiteral("Sessions"))),
             lengths);

    qint64 byHour = 0;
    for (const qint64 n : values(barSet(charts->chart(AnalysisChart::Hourly), QStringLiteral("Events"))))
        byHour += n;
    QCOMPARE(byHour, expected.events);
    QCOMPARE(values(barSet(charts->chart(AnalysisChart::Daily), QStringLiteral("Events"))).size(),
             qsizetype(expected.days));

    // Top categories: most events on top (the last bar); none for a format without categories.
    QChart* categories = charts->chart(AnalysisChart::TopCategories);
    if (expected.categories == 0) {
        QVERIFY(categories->series().isEmpty());
        QVERIFY2(categories->title().contains(QStringLiteral("none")), qPrintable(categories->title()));
    } else {
        const QList<qint64> bars = values(barSet(categories, QStringLiteral("Events")));
        QCOMPARE(bars.size(), qsizetype(expected.categories));
        QCOMPARE(bars.back(), expected.topCategoryEvents);
        auto* ids = qobject_cast<QBarCategoryAxis*>(categories->axes(Qt::Vertical).value(0));
        QVERIFY(ids);
        QVERIFY2(ids->at(ids->count() - 1).startsWith(QStringLiteral("1. %1 · ").arg(expected.topCategory)),
                 qPrintable(ids->at(ids->count() - 1)));
    }
    QVERIFY(!charts->chart(AnalysisChart::TopItems)->series().isEmpty());
}

QTEST_MAIN(TestPagesFormats)
#include "test_pagesformats.moc"
