// Offscreen GUI test of the Analyse page: the workspace's datasets and runs listed, the Taobao
// sample analysed on show with the core's numbers in the charts, a prepared run analysed with the
// run's sessions, PNG/SVG/CSV export (directly, through the file dialog, and a write error), a
// cancel that shows nothing, and a quick change of source where only the latest choice is shown.

#include "ui/analysepage.h"
#include "ui/analysischarts.h"

#include "charthelpers.h"
#include "core/analysis/analysis.h"
#include "core/data/workspace.h"
#include "core/io/importer.h"
#include "core/prep/preparation.h"
#include "testsupport.h"

#include <QAbstractBarSeries>
#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>

#include <memory>

using namespace swb;

namespace {

const QString kTaobao = QStringLiteral("taobao");
const QString kBig = QStringLiteral("taobao-x8"); // eight copies: long enough to cancel midway
const QString kRun = QStringLiteral("taobao-prep");

QAbstractBarSeries* barSeries(QChart* chart)
{
    return chart && !chart->series().isEmpty()
               ? qobject_cast<QAbstractBarSeries*>(chart->series().constFirst())
               : nullptr;
}

using test::barSet;
using test::values;

QStringList readLines(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
    if (!lines.isEmpty() && lines.back().isEmpty())
        lines.removeLast();
    return lines;
}

} // namespace

class TestAnalysePage : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void sourcesListed();
    void analysedOnShowWithTheCoreNumbers();
    void exportWritesFiles();
    void exportThroughTheDialog();
    void exportErrorNamesTheFile();
    void preparedRunAnalysed();
    void shortcutAnalysesAgain();
    void cancelShowsNothing();
    void latestChoiceWins();
    void dailySeriesLeavesOutStraysAndDecimates();
    void csvQuotesIds();

private:
    void importInto(const QString& file, const QString& name, std::shared_ptr<EventTable>* table = nullptr);
    void waitIdle();

    QTemporaryDir m_dir;
    QString m_path;
    std::shared_ptr<EventTable> m_table;
    BehaviourAnalysis m_expected;
    std::unique_ptr<AnalysePage> m_page;
};

void TestAnalysePage::importInto(const QString& file, const QString& name, std::shared_ptr<EventTable>* table)
{
    auto imported = test::importIntoWorkspace(m_path, file, name);
    QVERIFY2(imported, qPrintable(imported ? QString() : imported.error().toString()));
    if (table)
        *table = imported.value();
}

void TestAnalysePage::initTestCase()
{
    QVERIFY(m_dir.isValid());
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_dir.filePath(QStringLiteral("config"))));
    QCoreApplication::setOrganizationName(QStringLiteral("scenewb-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("test_analysepage"));

    const QString sample = test::sharedDataFile(QStringLiteral("taobao-userbehavior-head.csv"));
    if (sample.isEmpty())
        QFAIL("the real samples are missing (see the message above)");
    m_path = m_dir.filePath(QStringLiteral("analyse.swb"));
    const QString big = m_dir.filePath(QStringLiteral("taobao-x8.csv"));
    QVERIFY(test::writeRepeatedTaobaoSample(big, 8));
    // The big one first: the newest dataset (Taobao) is the one chosen when the page opens.
    importInto(big, kBig);
    importInto(sample, kTaobao, &m_table);
    QVERIFY(m_table);

    NullProgress progress;
    const CancelToken cancel;
    auto expected = analyse(*m_table, AnalysisOptions{}, progress, cancel);
    QVERIFY(expected);
    m_expected = expected.value();
    QCOMPARE(m_expected.events, 84475);
    QCOMPARE(m_expected.users, 815);

    m_page = std::make_unique<AnalysePage>();
    m_page->resize(1280, 800);
    new QAbstractItemModelTester(m_page->sourceModel(),
                                 QAbstractItemModelTester::FailureReportingMode::QtTest, this);
    QVERIFY(m_page->setWorkspacePath(m_path));
    // Nothing is analysed while the page is hidden.
    QVERIFY(!m_page->isBusy());
    m_page->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
}

void TestAnalysePage::cleanupTestCase()
{
    m_page.reset();
}

void TestAnalysePage::waitIdle()
{
    QTRY_VERIFY_WITH_TIMEOUT(!m_page->isBusy(), 60000);
}

void TestAnalysePage::sourcesListed()
{
    auto* combo = m_page->findChild<QComboBox*>(QStringLiteral("sourceCombo"));
    QVERIFY(combo);
    QStandardItemModel* model = m_page->sourceModel();
    // A "Datasets" heading (not selectable), then the datasets in the order they were imported.
    QCOMPARE(model->rowCount(), 3);
    QVERIFY(!(model->item(0)->flags() & Qt::ItemIsSelectable));
    QVERIFY(!(model->item(0)->flags() & Qt::ItemIsEnabled));
    QCOMPARE(model->item(1)->text(), kBig);
    QCOMPARE(model->item(2)->text(), kTaobao);
    QCOMPARE(m_page->currentSource().name, kTaobao);
    QVERIFY(m_page->currentSource().kind == AnalysePage::SourceKind::Dataset);
    QCOMPARE(combo->currentIndex(), 2);
    // A heading cannot be chosen.
    QVERIFY(!m_page->selectSource({AnalysePage::SourceKind::Run, kTaobao}));
    QCOMPARE(m_page->currentSource().name, kTaobao);
}

void TestAnalysePage::analysedOnShowWithTheCoreNumbers()
{
    QTRY_VERIFY_WITH_TIMEOUT(m_page->shownAnalysis() != nullptr, 60000);
    waitIdle();
    QCOMPARE(m_page->shownSource().name, kTaobao);
    const BehaviourAnalysis& shown = *m_page->shownAnalysis();
    QCOMPARE(shown.events, 84475);
    QCOMPARE(shown.sessions, m_expected.sessions);

    const QString summary = m_page->summaryText();
    for (const qint64 n : {m_expected.events, m_expected.users, m_expected.sessions, m_expected.buyers})
        QVERIFY2(summary.contains(QLocale().toString(n)), qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("30 minutes")), qPrintable(summary)); // Taobao has no sessions
    QVERIFY2(summary.contains(QLocale().toString(m_expected.repeatPurchaseRate() * 100, 'f', 1) +
                              QLatin1Char('%')),
             qPrintable(summary));

    AnalysisCharts* charts = m_page->charts();
    // Funnel: users and sessions per stage, as the core counts them.
    QChart* funnel = charts->chart(AnalysisChart::Funnel);
    QBarSet* users = barSet(funnel, QStringLiteral("Users"));
    QBarSet* sessions = barSet(funnel, QStringLiteral("Sessions"));
    QVERIFY(users && sessions);
    QCOMPARE(values(users), (QList<qint64>{813, 305, 601, 559}));
    QList<qint64> stageSessions;
    for (const FunnelStage& stage : m_expected.funnel)
        stageSessions << stage.sessions;
    QCOMPARE(values(sessions), stageSessions);
    // The conversion of each stage is under its name.
    auto* stages = qobject_cast<QBarCategoryAxis*>(funnel->axes(Qt::Horizontal).value(0));
    QVERIFY(stages);
    QCOMPARE(stages->count(), 4);
    QVERIFY2(stages->at(3).contains(QLocale().toString(m_expected.userConversion(3) * 100, 'f', 1)),
             qPrintable(stages->at(3)));
    QVERIFY2(stages->at(3).contains(QLocale().toString(m_expected.sessionConversion(3) * 100, 'f', 1)),
             qPrintable(stages->at(3)));

    // Hours: the 24 values.
    QAbstractBarSeries* hourly = barSeries(charts->chart(AnalysisChart::Hourly));
    QVERIFY(hourly);
    QList<qint64> hours(m_expected.byHour.begin(), m_expected.byHour.end());
    QCOMPARE(hours.size(), 24);
    QCOMPARE(values(hourly->barSets().at(0)), hours);

    // Session lengths: 50 bins, the last one 50+.
    QAbstractBarSeries* lengths = barSeries(charts->chart(AnalysisChart::SessionLength));
    QVERIFY(lengths);
    QList<qint64> bins(m_expected.sessionLength.begin(), m_expected.sessionLength.end());
    QCOMPARE(values(lengths->barSets().at(0)), bins);

    // Days: the sample's nine days (and the day before, from the time zone) as bars; the seven events
    // from September to 2017-11-23 are stray and left out, and the note says so.
    QBarSet* daily = barSet(charts->chart(AnalysisChart::Daily), QStringLiteral("Events"));
    QVERIFY(daily);
    QCOMPARE(daily->count(), 10);
    qint64 drawn = 0;
    for (const qint64 n : values(daily))
        drawn += n;
    QCOMPARE(drawn, m_expected.events - 7);
    auto* dailyNote = charts->findChild<QLabel*>(QStringLiteral("by-dayNote"));
    QVERIFY(dailyNote);
    QVERIFY2(dailyNote->text().contains(QStringLiteral("2017-09-11")), qPrintable(dailyNote->text()));

    // Top items: most events on top, with the original ids.
    QAbstractBarSeries* top = barSeries(charts->chart(AnalysisChart::TopItems));
    QVERIFY(top);
    auto* ids =
        qobject_cast<QBarCategoryAxis*>(charts->chart(AnalysisChart::TopItems)->axes(Qt::Vertical).value(0));
    QVERIFY(ids);
    QCOMPARE(ids->count(), qsizetype(m_expected.topItems.size()));
    const QString topLabel = ids->at(ids->count() - 1);
    QVERIFY2(topLabel.startsWith(QStringLiteral("1. %1 · ").arg(m_expected.topItems.front().id)),
             qPrintable(topLabel));
    QCOMPARE(qint64(top->barSets().at(0)->at(ids->count() - 1)), m_expected.topItems.front().events);
    QVERIFY(barSeries(charts->chart(AnalysisChart::TopCategories)));
    QVERIFY(barSeries(charts->chart(AnalysisChart::Behaviours)));
}

void TestAnalysePage::exportWritesFiles()
{
    AnalysisCharts* charts = m_page->charts();
    QVERIFY(charts->analysis());
    charts->tabs()->setCurrentIndex(int(AnalysisChart::Hourly));

    const QString csv = m_dir.filePath(QStringLiteral("hours.csv"));
    QVERIFY(charts->exporter(AnalysisChart::Hourly)->exportCsv(csv));
    QStringList lines = readLines(csv);
    QCOMPARE(lines.size(), 25);
    QCOMPARE(lines.at(0), QStringLiteral("hour,events"));
    QCOMPARE(lines.at(1), QStringLiteral("0,%1").arg(m_expected.byHour[0]));
    QCOMPARE(lines.at(24), QStringLiteral("23,%1").arg(m_expected.byHour[23]));

    const QString funnelCsv = m_dir.filePath(QStringLiteral("funnel.csv"));
    QVERIFY(charts->exporter(AnalysisChart::Funnel)->exportCsv(funnelCsv));
    lines = readLines(funnelCsv);
    QCOMPARE(lines.size(), 5);
    QCOMPARE(lines.at(0), QStringLiteral("stage,users,sessions,user_conversion,session_conversion"));
    QVERIFY2(lines.at(1).startsWith(
                 QStringLiteral("view,813,%1,1.000000,1.000000").arg(m_expected.funnel[0].sessions)),
             qPrintable(lines.at(1)));
    QVERIFY2(lines.at(4).startsWith(QStringLiteral("buy,559,")), qPrintable(lines.at(4)));

    const QString topCsv = m_dir.filePath(QStringLiteral("top.csv"));
    QVERIFY(charts->exporter(AnalysisChart::TopItems)->exportCsv(topCsv));
    lines = readLines(topCsv);
    QCOMPARE(lines.size(), qsizetype(m_expected.topItems.size()) + 1);
    QCOMPARE(lines.at(0), QStringLiteral("id,events,buys"));
    QCOMPARE(lines.at(1), QStringLiteral("%1,%2,%3")
                              .arg(m_expected.topItems[0].id)
                              .arg(m_expected.topItems[0].events)
                              .arg(m_expected.topItems[0].buys));

    const QString daysCsv = m_dir.filePath(QStringLiteral("days.csv"));
    QVERIFY(charts->exporter(AnalysisChart::Daily)->exportCsv(daysCsv));
    QCOMPARE(readLines(daysCsv).size(), qsizetype(m_expected.byDay.size()) + 1);

    // PNG at twice the chart's size on screen.
    const QString png = m_dir.filePath(QStringLiteral("hours.png"));
    QVERIFY(charts->exporter(AnalysisChart::Hourly)->exportPng(png));
    QImage image(png);
    QVERIFY(!image.isNull());
    const QSize viewSize = charts->view(AnalysisChart::Hourly)->size();
    QCOMPARE(image.size(), viewSize * 2);
    // A chart on a tab not shown yet is laid out at its view's size first.
    const QString hiddenPng = m_dir.filePath(QStringLiteral("categories.png"));
    QVERIFY(charts->exporter(AnalysisChart::TopCategories)->exportPng(hiddenPng));
    QVERIFY(!QImage(hiddenPng).isNull());

    const QString svg = m_dir.filePath(QStringLiteral("hours.svg"));
    QVERIFY(charts->exporter(AnalysisChart::Hourly)->exportSvg(svg));
    QFile svgFile(svg);
    QVERIFY(svgFile.open(QIODevice::ReadOnly));
    const QByteArray svgText = svgFile.readAll();
    QVERIFY(svgText.contains("<svg"));
    QVERIFY(svgText.contains("Events by hour"));
}

void TestAnalysePage::exportThroughTheDialog()
{
    AnalysisCharts* charts = m_page->charts();
    charts->tabs()->setCurrentIndex(int(AnalysisChart::SessionLength));
    auto* button =
        charts->tabs()->currentWidget()->findChild<QToolButton*>(QStringLiteral("exportCsvButton"));
    QVERIFY(button && button->isVisible() && button->isEnabled());
    const QString path = m_dir.filePath(QStringLiteral("from-dialog.csv"));
    bool dialogSeen = false;
    // The dialog is modal: answer it from a timer once it is up.
    QTimer timer;
    timer.setInterval(50);
    connect(&timer, &QTimer::timeout, this, [&]() {
        auto* dialog = qobject_cast<QFileDialog*>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        timer.stop();
        dialogSeen = dialog->objectName() == QStringLiteral("chartExportDialog") &&
                     dialog->acceptMode() == QFileDialog::AcceptSave;
        // The name as typed into the dialog's file name field.
        auto* name = dialog->findChild<QLineEdit*>(QStringLiteral("fileNameEdit"));
        QVERIFY(name);
        name->setText(path);
        QMetaObject::invokeMethod(dialog, "accept", Qt::QueuedConnection);
    });
    timer.start();
    QSignalSpy exported(charts, &AnalysisCharts::exported);
    QTest::mouseClick(button, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(exported.size(), 1, 10000);
    QVERIFY(dialogSeen);
    QCOMPARE(exported.at(0).at(0).toString(), path);
    const QStringList lines = readLines(path);
    QCOMPARE(lines.size(), kSessionLengthBins + 1);
    QCOMPARE(lines.at(0), QStringLiteral("length,sessions"));
    QCOMPARE(lines.at(kSessionLengthBins), QStringLiteral("50+,%1").arg(m_expected.sessionLength.back()));
}

void TestAnalysePage::exportErrorNamesTheFile()
{
    const QString path = m_dir.filePath(QStringLiteral("no-such-folder/funnel.png"));
    QSignalSpy failed(m_page->charts(), &AnalysisCharts::exportFailed);
    QVERIFY(!m_page->charts()->exporter(AnalysisChart::Funnel)->exportPng(path));
    QCOMPARE(failed.size(), 1);
    QVERIFY2(m_page->message().contains(path), qPrintable(m_page->message()));
    QVERIFY(!QFile::exists(path));
}

void TestAnalysePage::preparedRunAnalysed()
{
    NullProgress progress;
    const CancelToken cancel;
    auto prepared = prepare(std::shared_ptr<const EventTable>(m_table), PrepConfig{}, progress, cancel);
    QVERIFY2(prepared, qPrintable(prepared ? QString() : prepared.error().toString()));
    {
        auto workspace = Workspace::open(m_path);
        QVERIFY(workspace);
        auto stored = workspace.value()->storeRun(kRun, kTaobao, toJson(prepared.value()));
        QVERIFY2(stored, qPrintable(stored ? QString() : stored.error().toString()));
    }
    m_page->refresh();
    // Still the dataset: refreshing keeps the choice (and does not analyse again).
    QCOMPARE(m_page->currentSource().name, kTaobao);
    QVERIFY(!m_page->isBusy());
    QStandardItemModel* model = m_page->sourceModel();
    QCOMPARE(model->rowCount(), 5); // two headings
    QVERIFY(!(model->item(3)->flags() & Qt::ItemIsEnabled));
    QVERIFY(model->item(4)->text().startsWith(kRun));

    QSignalSpy finished(m_page.get(), &AnalysePage::analysisFinished);
    QVERIFY(m_page->selectRun(kRun));
    QVERIFY(m_page->isBusy());
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
    waitIdle();
    QCOMPARE(finished.at(0).at(0).toString(), kRun);
    QVERIFY(m_page->shownSource().kind == AnalysePage::SourceKind::Run);
    const BehaviourAnalysis& shown = *m_page->shownAnalysis();
    QCOMPARE(shown.sessionsFrom, QStringLiteral("run"));
    QCOMPARE(shown.sessions, std::int64_t(prepared->sessionCount()));
    QCOMPARE(shown.events, std::int64_t(prepared->rows.size()));
    QVERIFY2(m_page->summaryText().contains(QLocale().toString(qint64(prepared->sessionCount()))),
             qPrintable(m_page->summaryText()));
    QVERIFY2(m_page->summaryText().contains(kTaobao), qPrintable(m_page->summaryText()));
    QBarSet* sessions = barSet(m_page->charts()->chart(AnalysisChart::Funnel), QStringLiteral("Sessions"));
    QVERIFY(sessions);
    QCOMPARE(qint64(sessions->at(0)), shown.funnel[0].sessions);

    // Back to the dataset: shown again at once, from what was computed before.
    QVERIFY(m_page->selectDataset(kTaobao));
    QVERIFY(!m_page->isBusy());
    QCOMPARE(m_page->shownSource().name, kTaobao);
    QCOMPARE(m_page->shownAnalysis()->sessions, m_expected.sessions);
}

void TestAnalysePage::shortcutAnalysesAgain()
{
    QSignalSpy finished(m_page.get(), &AnalysePage::analysisFinished);
    m_page->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_page.get()));
    QTest::keyClick(m_page.get(), Qt::Key_R, Qt::ControlModifier);
    QVERIFY(m_page->isBusy());
    // The same source again: its charts stay while it runs.
    QCOMPARE(m_page->shownSource().name, kTaobao);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
    waitIdle();
    QCOMPARE(m_page->shownAnalysis()->events, m_expected.events);
}

void TestAnalysePage::cancelShowsNothing()
{
    QSignalSpy cancelled(m_page.get(), &AnalysePage::analysisCancelled);
    QSignalSpy finished(m_page.get(), &AnalysePage::analysisFinished);
    m_page->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_page.get()));
    QVERIFY(m_page->selectDataset(kBig));
    QVERIFY(m_page->isBusy());
    // Nothing of the Taobao sample stays on screen under the new choice.
    QVERIFY(!m_page->shownAnalysis());
    auto* cancel = m_page->findChild<QPushButton*>(QStringLiteral("analyseCancelButton"));
    QVERIFY(cancel && cancel->isVisible());
    // Esc right away: the worker is still loading 675,800 events.
    QTest::keyClick(m_page.get(), Qt::Key_Escape);
    QVERIFY(!cancel->isEnabled()); // cancelling
    waitIdle();
    QCOMPARE(cancelled.size(), 1);
    QCOMPARE(finished.size(), 0);
    QVERIFY(!cancel->isVisible());
    QVERIFY(!m_page->shownAnalysis());
    QVERIFY(!m_page->shownSource().isValid());
    QVERIFY(!m_page->charts()->analysis());
    QVERIFY(m_page->charts()->chart(AnalysisChart::Funnel)->series().isEmpty());
    QVERIFY(m_page->summaryText().isEmpty());
    auto* placeholder = m_page->findChild<QLabel*>(QStringLiteral("analysePlaceholder"));
    QVERIFY(placeholder && placeholder->isVisible());
    QVERIFY2(placeholder->text().contains(QStringLiteral("cancelled")), qPrintable(placeholder->text()));
    // Still the chosen source, ready to be analysed.
    QCOMPARE(m_page->currentSource().name, kBig);
    QVERIFY(m_page->findChild<QPushButton*>(QStringLiteral("analyseButton"))->isEnabled());
}

void TestAnalysePage::latestChoiceWins()
{
    // A fresh connection forgets what was computed, so every choice below starts a job.
    QVERIFY(m_page->setWorkspacePath(m_path));
    QCOMPARE(m_page->currentSource().name, kBig); // the choice made before stays
    QSignalSpy finished(m_page.get(), &AnalysePage::analysisFinished);
    QVERIFY(m_page->isBusy());
    QVERIFY(m_page->selectRun(kRun));
    QVERIFY(m_page->selectDataset(kTaobao));
    QVERIFY(m_page->isBusy());
    waitIdle();
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.at(0).at(0).toString(), kTaobao);
    QCOMPARE(m_page->shownSource().name, kTaobao);
    QCOMPARE(m_page->shownAnalysis()->events, m_expected.events);
    // The superseded jobs never report, however long they take.
    QTest::qWait(1500);
    QCOMPARE(finished.size(), 1);
    QCOMPARE(m_page->shownSource().name, kTaobao);
    QCOMPARE(m_page->charts()->analysis()->events, m_expected.events);
}

void TestAnalysePage::dailySeriesLeavesOutStraysAndDecimates()
{
    // One stray day, 100 empty days, ten busy days, 50 empty days, two stray events at the end.
    BehaviourAnalysis a;
    a.firstDay = 1504828800; // 2017-09-08
    a.byDay.assign(1 + 100 + 10 + 50 + 1, 0);
    a.byDay[0] = 1;
    for (int d = 101; d < 111; ++d)
        a.byDay[std::size_t(d)] = 1000;
    a.byDay.back() = 2;
    DailySeries daily = dailySeries(a);
    QCOMPARE(daily.days, 10);
    QCOMPARE(daily.firstDay, a.firstDay + 101 * 86400);
    QCOMPARE(daily.daysPerPoint, 1);
    QCOMPARE(daily.values, std::vector<double>(10, 1000.0));
    QCOMPARE(daily.strayBefore, 1);
    QCOMPARE(daily.strayAfter, 2);
    QCOMPARE(daily.strayFirstDay, a.firstDay);

    // Evenly spread over 5,000 days: nothing is a stray; at most 2,000 points, averages per day.
    a.byDay.assign(5000, 10);
    a.byDay[0] = 4; // quiet ends of evenly spread data are not strays
    daily = dailySeries(a);
    QCOMPARE(daily.strayBefore, 0);
    QCOMPARE(daily.days, 5000);
    QCOMPARE(daily.daysPerPoint, 3);
    QCOMPARE(daily.values.size(), std::size_t(1667));
    QCOMPARE(daily.values[0], 8.0); // (4 + 10 + 10) / 3
    QCOMPARE(daily.values[1], 10.0);
    QCOMPARE(daily.values.back(), 10.0); // the last bucket holds 5,000 - 3 × 1,666 = 2 days

    // No events at all: nothing to draw, nothing left out.
    a.byDay.clear();
    daily = dailySeries(a);
    QVERIFY(daily.values.empty());
    QCOMPARE(daily.strayBefore + daily.strayAfter, 0);
}

void TestAnalysePage::csvQuotesIds()
{
    // Ids are original text: a comma, a quote or a line break must not break the table.
    ChartTable table;
    table.header = {QStringLiteral("id"), QStringLiteral("events"), QStringLiteral("buys")};
    table.rows = {{QStringLiteral("a,b"), QStringLiteral("3"), QStringLiteral("1")},
                  {QStringLiteral("say \"hi\""), QStringLiteral("2"), QStringLiteral("0")},
                  {QStringLiteral("plain"), QStringLiteral("1"), QStringLiteral("0")}};
    QCOMPARE(toCsv(table),
             QStringLiteral("id,events,buys\n\"a,b\",3,1\n\"say \"\"hi\"\"\",2,0\nplain,1,0\n"));
}

QTEST_MAIN(TestAnalysePage)
#include "test_analysepage.moc"
