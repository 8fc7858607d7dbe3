// Offscreen GUI test of the Prepare page: the dataset and its pre-filled split days, a run through
// the Run button with its report (steps, split, settings) and stored run, a bad setting and a
// cancel that store nothing, and removing a stored run.

#include "ui/preparepage.h"

#include "core/data/workspace.h"
#include "core/io/importer.h"
#include "testsupport.h"

#include <QAbstractBarSeries>
#include <QAbstractItemModelTester>
#include <QApplication>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QJsonDocument>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

#include <cmath>
#include <memory>

using namespace swb;

namespace {

const QString kDataset = QStringLiteral("rees46-2019-oct-head");
const QString kBig = QStringLiteral("taobao-x8"); // long enough to cancel midway
const QStringList kSteps = {QStringLiteral("clean"),  QStringLiteral("dedup"), QStringLiteral("sessions"),
                            QStringLiteral("filter"), QStringLiteral("split"), QStringLiteral("features")};

qint64 number(const QString& text, bool* ok)
{
    return QLocale().toLongLong(text, ok);
}

std::vector<RunInfo> storedRuns(const QString& path)
{
    auto workspace = Workspace::open(path);
    if (!workspace)
        return {};
    auto runs = workspace.value()->runs();
    return runs ? runs.value() : std::vector<RunInfo>{};
}

} // namespace

class TestPreparePage : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void datasetListedAndDaysPrefilled();
    void formEnablesTheSplitFields();
    void runShowsReportAndStoresRun();
    void badSettingStoresNothing();
    void takenRunNameStoresNothing();
    void cancelStoresNothing();
    void shortcutRunsAndStoredRunsAreShown();
    void removeRun();

private:
    template <typename T> T* child(const char* name) const
    {
        return m_page->findChild<T*>(QString::fromLatin1(name));
    }
    // Clicks Run and waits for the page to be idle again.
    void clickRunAndWait();

    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<PreparePage> m_page;
};

void TestPreparePage::initTestCase()
{
    QVERIFY(m_dir.isValid());
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_dir.filePath(QStringLiteral("config"))));
    QCoreApplication::setOrganizationName(QStringLiteral("scenewb-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("test_preparepage"));

    const QString sample = test::sharedDataFile(QStringLiteral("rees46-2019-oct-head.csv"));
    if (sample.isEmpty())
        QFAIL("the real samples are missing (see the message above)");
    m_path = m_dir.filePath(QStringLiteral("prepare.swb"));
    {
        auto imported = test::importIntoWorkspace(m_path, sample, kDataset);
        QVERIFY2(imported, qPrintable(imported ? QString() : imported.error().toString()));
        QCOMPARE(imported.value()->size(), std::size_t(17434));
    }

    m_page = std::make_unique<PreparePage>();
    m_page->resize(1300, 850);
    QVERIFY(m_page->setWorkspacePath(m_path));
    m_page->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
    for (QAbstractItemModel* model : {m_page->stepsModel(), m_page->splitModel(), m_page->runsModel()})
        new QAbstractItemModelTester(model, QAbstractItemModelTester::FailureReportingMode::QtTest, this);
}

void TestPreparePage::cleanupTestCase()
{
    m_page.reset();
}

void TestPreparePage::datasetListedAndDaysPrefilled()
{
    auto* combo = child<QComboBox>("datasetCombo");
    QVERIFY(combo);
    QCOMPARE(combo->count(), 1);
    QCOMPARE(combo->itemData(0).toString(), kDataset);
    QCOMPARE(m_page->currentDataset(), kDataset);
    QCOMPARE(m_page->runName(), kDataset + QStringLiteral("-prep"));

    // The sample spans under three hours: one day of test would leave nothing for training.
    auto* testDays = child<QDoubleSpinBox>("testDays");
    auto* validationDays = child<QDoubleSpinBox>("validationDays");
    QVERIFY(testDays && validationDays);
    QVERIFY2(testDays->value() > 0 && testDays->value() < 1, qPrintable(QString::number(testDays->value())));
    QVERIFY(validationDays->value() > 0 && validationDays->value() < 1);
    // About a tenth of the 2 h 50 min span each.
    QVERIFY(std::abs(testDays->value() * 86400 - 1020) < 60);
    auto* hint = child<QLabel>("splitHint");
    QVERIFY(hint && hint->text().contains(QStringLiteral("10%")));

    // Everything else is PrepConfig's defaults.
    PrepConfig expected;
    expected.testDays = testDays->value();
    expected.validationDays = validationDays->value();
    QCOMPARE(m_page->config().toJson(), expected.toJson());
}

void TestPreparePage::formEnablesTheSplitFields()
{
    auto* method = child<QComboBox>("splitMethod");
    auto* testDays = child<QDoubleSpinBox>("testDays");
    auto* testFraction = child<QDoubleSpinBox>("testFraction");
    auto* seed = child<QSpinBox>("seed");
    QVERIFY(method && testDays && testFraction && seed);
    QVERIFY(testDays->isEnabled());
    QVERIFY(!testFraction->isEnabled() && !seed->isEnabled());
    method->setCurrentIndex(method->findData(int(SplitMethod::RandomSession)));
    QVERIFY(!testDays->isEnabled());
    QVERIFY(testFraction->isEnabled() && seed->isEnabled());
    QCOMPARE(m_page->config().split, SplitMethod::RandomSession);
    method->setCurrentIndex(method->findData(int(SplitMethod::LastSessionPerUser)));
    QVERIFY(!testDays->isEnabled() && !testFraction->isEnabled());
    method->setCurrentIndex(method->findData(int(SplitMethod::Temporal)));
    QVERIFY(testDays->isEnabled());

    // The gap only matters when the log's own sessions are not used (REES46 has them).
    auto* sourceSessions = child<QCheckBox>("sourceSessions");
    auto* gap = child<QSpinBox>("gapMinutes");
    QVERIFY(sourceSessions && gap);
    QVERIFY(sourceSessions->isChecked() && !gap->isEnabled());
    sourceSessions->setChecked(false);
    QVERIFY(gap->isEnabled());
    sourceSessions->setChecked(true);
}

void TestPreparePage::clickRunAndWait()
{
    auto* run = child<QPushButton>("runButton");
    QVERIFY(run && run->isEnabled());
    QTest::mouseClick(run, Qt::LeftButton);
}

void TestPreparePage::runShowsReportAndStoresRun()
{
    QSignalSpy finished(m_page.get(), &PreparePage::runFinished);
    QSignalSpy failed(m_page.get(), &PreparePage::runFailed);
    const QString name = m_page->runName();
    clickRunAndWait();
    QVERIFY(m_page->isBusy());
    auto* cancel = child<QPushButton>("prepareCancelButton");
    QVERIFY(cancel && cancel->isVisible());
    // The form is locked while the run goes on.
    QVERIFY(!child<QPushButton>("runButton")->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(!m_page->isBusy(), 60000);
    QVERIFY2(failed.isEmpty(), qPrintable(m_page->message()));
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.at(0).at(0).toString(), name);
    QCOMPARE(m_page->shownRun(), name);
    QVERIFY(!cancel->isVisible());

    // The steps table: six steps in order, each with rows in == rows out + removed by reason.
    QStandardItemModel* steps = m_page->stepsModel();
    QCOMPARE(steps->rowCount(), 6);
    qint64 previousOut = 17434;
    for (int row = 0; row < 6; ++row) {
        QCOMPARE(steps->index(row, 0).data(Qt::UserRole).toString(), kSteps[row]);
        bool ok = false;
        const qint64 in = number(steps->index(row, 1).data().toString(), &ok);
        QVERIFY(ok);
        const qint64 out = number(steps->index(row, 2).data().toString(), &ok);
        QVERIFY(ok);
        const qint64 removed = number(steps->index(row, 3).data().toString(), &ok);
        QVERIFY(ok);
        qint64 byReason = 0;
        const QString reasons = steps->index(row, 4).data().toString();
        if (reasons != QStringLiteral("–")) {
            for (const QString& part : reasons.split(QStringLiteral(", "))) {
                byReason += number(part.section(QLatin1Char(' '), 0, 0), &ok);
                QVERIFY2(ok, qPrintable(part));
            }
        }
        QCOMPARE(in, previousOut); // each step starts where the one before ended
        QCOMPARE(in, out + byReason);
        QCOMPARE(removed, byReason);
        previousOut = out;
    }
    // The sample has exact duplicates and rare items: the dedup and filter steps remove rows.
    QVERIFY(steps->index(1, 4).data().toString().contains(QStringLiteral("exact duplicates")));
    QVERIFY(steps->index(3, 4).data().toString().contains(QStringLiteral("rare items")));

    // The chart has one bar per step.
    auto* chartView = child<QChartView>("stepsChart");
    QVERIFY(chartView && chartView->chart());
    QCOMPARE(chartView->chart()->series().size(), 1);
    auto* series = qobject_cast<QAbstractBarSeries*>(chartView->chart()->series().constFirst());
    QVERIFY(series);
    QCOMPARE(series->barSets().constFirst()->count(), 6);

    // Split sizes add up to the events kept.
    QStandardItemModel* split = m_page->splitModel();
    QCOMPARE(split->rowCount(), 3);
    qint64 events = 0;
    for (int row = 0; row < 3; ++row) {
        bool ok = false;
        const qint64 n = number(split->index(row, 1).data().toString(), &ok);
        QVERIFY(ok && n > 0);
        events += n;
    }
    QCOMPARE(events, previousOut);

    // Stored, listed, and the settings shown are the stored ones.
    const std::vector<RunInfo> runs = storedRuns(m_path);
    QCOMPARE(runs.size(), std::size_t(1));
    QCOMPARE(runs[0].name, name);
    QCOMPARE(runs[0].dataset, kDataset);
    QCOMPARE(runs[0].report.value(QStringLiteral("events")).toInteger(), previousOut);
    QCOMPARE(m_page->runsModel()->rowCount(), 1);
    QCOMPARE(m_page->runsModel()->index(0, 0).data().toString(), name);
    auto* configText = child<QPlainTextEdit>("configText");
    QVERIFY(configText && configText->isReadOnly());
    const QJsonObject shown = QJsonDocument::fromJson(configText->toPlainText().toUtf8()).object();
    QCOMPARE(shown, runs[0].report.value(QStringLiteral("config")).toObject());
    QCOMPARE(shown, m_page->config().toJson());

    // The next run gets a fresh name.
    QCOMPARE(m_page->runName(), kDataset + QStringLiteral("-prep (2)"));
}

void TestPreparePage::badSettingStoresNothing()
{
    auto* minLength = child<QSpinBox>("minSessionLength");
    auto* maxLength = child<QSpinBox>("maxSessionLength");
    QVERIFY(minLength && maxLength);
    minLength->setValue(3);
    maxLength->setValue(2);
    QSignalSpy failed(m_page.get(), &PreparePage::runFailed);
    clickRunAndWait();
    QVERIFY(!m_page->isBusy()); // refused before starting
    QCOMPARE(failed.size(), 1);
    const QString message = m_page->message();
    QVERIFY2(message.contains(QStringLiteral("Max session length")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("filter.max_session_length")), qPrintable(message));
    QVERIFY(maxLength->hasFocus() || !QApplication::activeWindow());
    QCOMPARE(storedRuns(m_path).size(), std::size_t(1));
    QCOMPARE(m_page->runsModel()->rowCount(), 1);
    maxLength->setValue(0);
    minLength->setValue(2);
}

void TestPreparePage::takenRunNameStoresNothing()
{
    const QString before = m_page->runName();
    m_page->setRunName(kDataset + QStringLiteral("-prep"));
    clickRunAndWait();
    QVERIFY(!m_page->isBusy());
    QVERIFY2(m_page->message().contains(QStringLiteral("Run name")), qPrintable(m_page->message()));
    QCOMPARE(storedRuns(m_path).size(), std::size_t(1));
    m_page->setRunName(before);
}

void TestPreparePage::cancelStoresNothing()
{
    // The REES46 sample loads and prepares in milliseconds: on a busy machine the worker can be
    // past its last look at the cancel token before the click arrives (and rightly stores the
    // run). Eight copies of the Taobao sample (675,800 events) take long enough to cancel midway.
    const QString big = m_dir.filePath(QStringLiteral("taobao-x8.csv"));
    QVERIFY(test::writeRepeatedTaobaoSample(big, 8));
    {
        ImportOptions options;
        options.files = {big};
        NullProgress progress;
        const CancelToken token;
        auto imported = importLog(options, progress, token);
        QVERIFY2(imported, qPrintable(imported ? QString() : imported.error().toString()));
        auto workspace = Workspace::open(m_path);
        QVERIFY(workspace);
        QVERIFY(workspace.value()->storeDataset(kBig, *imported->table, imported->report, progress, token));
    }
    m_page->refresh();
    QVERIFY(m_page->selectDataset(kBig));

    QSignalSpy cancelled(m_page.get(), &PreparePage::runCancelled);
    QSignalSpy finished(m_page.get(), &PreparePage::runFinished);
    clickRunAndWait();
    auto* cancel = child<QPushButton>("prepareCancelButton");
    QVERIFY(cancel && cancel->isVisible() && cancel->isEnabled());
    QTest::mouseClick(cancel, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!m_page->isBusy(), 60000);
    QCOMPARE(cancelled.size(), 1);
    QCOMPARE(finished.size(), 0);
    QVERIFY2(m_page->message().contains(QStringLiteral("nothing was stored")), qPrintable(m_page->message()));
    QCOMPARE(storedRuns(m_path).size(), std::size_t(1));
    QCOMPARE(m_page->runsModel()->rowCount(), 1);
    QVERIFY(m_page->selectDataset(kDataset));
}

void TestPreparePage::shortcutRunsAndStoredRunsAreShown()
{
    // Ctrl+R runs the preparation (a z-score run this time).
    auto* scaling = child<QComboBox>("scaling");
    QVERIFY(scaling);
    scaling->setCurrentIndex(scaling->findData(int(Scaling::ZScore)));
    QSignalSpy finished(m_page.get(), &PreparePage::runFinished);
    m_page->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_page.get()));
    QTest::keyClick(m_page.get(), Qt::Key_R, Qt::ControlModifier);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
    const QString second = finished.at(0).at(0).toString();
    QCOMPARE(second, kDataset + QStringLiteral("-prep (2)"));
    QCOMPARE(storedRuns(m_path).size(), std::size_t(2));
    QCOMPARE(m_page->runsModel()->rowCount(), 2);
    QCOMPARE(m_page->shownRun(), second);
    auto* configText = child<QPlainTextEdit>("configText");
    QVERIFY(configText->toPlainText().contains(QStringLiteral("\"zscore\"")));

    // Selecting the first run in the list shows its stored report.
    auto* view = child<QTreeView>("runsView");
    QVERIFY(view);
    int firstRow = -1;
    for (int row = 0; row < m_page->runsModel()->rowCount(); ++row) {
        if (m_page->runsModel()->index(row, 0).data().toString() == kDataset + QStringLiteral("-prep"))
            firstRow = row;
    }
    QVERIFY(firstRow >= 0);
    view->setCurrentIndex(m_page->runsModel()->index(firstRow, 0));
    QCOMPARE(m_page->shownRun(), kDataset + QStringLiteral("-prep"));
    QVERIFY(configText->toPlainText().contains(QStringLiteral("\"minmax\"")));
    QCOMPARE(m_page->stepsModel()->rowCount(), 6);

    // "Use These Settings" puts the run's settings back into the form.
    QVERIFY(m_page->config().scaling == Scaling::ZScore);
    auto* use = child<QPushButton>("useSettingsButton");
    QVERIFY(use && use->isEnabled());
    QTest::mouseClick(use, Qt::LeftButton);
    QCOMPARE(m_page->config().toJson(), QJsonDocument::fromJson(configText->toPlainText().toUtf8()).object());
}

void TestPreparePage::removeRun()
{
    const QString name = kDataset + QStringLiteral("-prep");
    QVERIFY(m_page->showRun(name));
    QSignalSpy removed(m_page.get(), &PreparePage::runRemoved);
    m_page->removeRun(name);
    QTRY_COMPARE_WITH_TIMEOUT(removed.size(), 1, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(!m_page->isBusy(), 30000);
    QCOMPARE(m_page->shownRun(), QString());
    QCOMPARE(m_page->stepsModel()->rowCount(), 0);
    QCOMPARE(m_page->runsModel()->rowCount(), 1);
    const std::vector<RunInfo> runs = storedRuns(m_path);
    QCOMPARE(runs.size(), std::size_t(1));
    QVERIFY(runs[0].name != name);
    // The freed name is the default again.
    QCOMPARE(m_page->runName(), name);
}

QTEST_MAIN(TestPreparePage)
#include "test_preparepage.moc"
