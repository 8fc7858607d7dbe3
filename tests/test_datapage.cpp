// Offscreen GUI test of the Data page: import through the preview dialog, the summary, filters,
// sorting, and cancelling a big import.

#include "ui/datapage.h"
#include "ui/eventtablemodel.h"
#include "ui/importdialog.h"
#include "ui/mainwindow.h"

#include "core/data/workspace.h"
#include "testsupport.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <string>

using namespace swb;

namespace {

const QString kSample = QStringLiteral(SWB_SOURCE_DIR "/sample_data/rees46-2019-oct-sample.csv");
const QString kSampleName = QStringLiteral("rees46-2019-oct-sample");

// What the sample holds, counted here with a plain CSV reading independent of the importer.
struct SampleCounts
{
    qint64 events = 0;
    std::map<QString, qint64> byType; // event_type as written
    std::set<QString> users, items, sessions;
    QString busiestUser;
    qint64 busiestUserEvents = 0;
    qint64 maxTs = 0;
};

SampleCounts countSample()
{
    SampleCounts counts;
    QFile file(kSample);
    if (!file.open(QIODevice::ReadOnly))
        return counts;
    file.readLine(); // header
    std::map<QString, qint64> perUser;
    while (!file.atEnd()) {
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (line.isEmpty())
            continue;
        // event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session
        const QStringList f = line.split(QLatin1Char(','));
        if (f.size() != 9)
            continue;
        ++counts.events;
        ++counts.byType[f[1]];
        counts.items.insert(f[2]);
        counts.users.insert(f[7]);
        counts.sessions.insert(f[8]);
        const qint64 n = ++perUser[f[7]];
        if (n > counts.busiestUserEvents) {
            counts.busiestUserEvents = n;
            counts.busiestUser = f[7];
        }
        QString time = f[0];
        time.remove(QStringLiteral(" UTC"));
        const QDateTime t = QDateTime::fromString(time, QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        counts.maxTs =
            std::max(counts.maxTs, QDateTime(t.date(), t.time(), QTimeZone::utc()).toSecsSinceEpoch());
    }
    return counts;
}

QString number(qint64 n)
{
    return QLocale().toString(n);
}

} // namespace

class TestDataPage : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void importThroughDialog();
    void summaryShowsCounts();
    void filterByBehaviour();
    void filterByUserAndUnknownId();
    void sortByTimeInWorker();
    void genericMappingEditor();
    void fileGivenTwiceShowsExisting();
    void problemsListLineNumbers();
    void removeShownDataset();
    void dropOpensPreview();
    void dropYoochoosePairMakesOneDataset();
    void cancelBigImport();

private:
    // Drags the files onto the window and drops them; the preview dialog that opens, or nullptr
    // when the window refused the drag or the drop.
    ImportDialog* dropFiles(const QStringList& files);

    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
    DataPage* m_page = nullptr;
    SampleCounts m_counts;
};

void TestDataPage::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // Keep the user's own settings out of it.
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_dir.filePath(QStringLiteral("config"))));
    QCoreApplication::setOrganizationName(QStringLiteral("scenewb-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("test_datapage"));

    m_counts = countSample();
    QCOMPARE(m_counts.events, 17434);

    m_window = std::make_unique<MainWindow>();
    m_window->show();
    QVERIFY(m_window->openWorkspace(m_dir.filePath(QStringLiteral("test.swb"))));
    m_page = m_window->dataPage();
    QVERIFY(m_page);
    new QAbstractItemModelTester(m_page->eventModel(), QAbstractItemModelTester::FailureReportingMode::QtTest,
                                 this);
    new QAbstractItemModelTester(m_page->problemsModel(),
                                 QAbstractItemModelTester::FailureReportingMode::QtTest, this);
}

void TestDataPage::cleanupTestCase()
{
    m_window.reset();
}

void TestDataPage::importThroughDialog()
{
    ImportDialog* dialog = m_window->openLog(kSample);
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    QCOMPARE(dialog->format(), QStringLiteral("rees46"));
    QCOMPARE(dialog->datasetName(), kSampleName);
    QVERIFY2(dialog->problem().isEmpty(), qPrintable(dialog->problem()));
    QPushButton* import = dialog->importButton();
    QVERIFY(import && import->isEnabled());

    QSignalSpy finished(m_page, &DataPage::importFinished);
    QTest::mouseClick(import, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
    QCOMPARE(finished.at(0).at(0).toString(), kSampleName);
    QTRY_COMPARE_WITH_TIMEOUT(m_page->eventModel()->rowCount(), 17434, 10000);
    QCOMPARE(m_page->shownDataset(), kSampleName);
    QVERIFY(!m_page->isBusy());
    QVERIFY(!m_page->findChild<QProgressBar*>(QStringLiteral("progressBar"))->isVisible());
}

void TestDataPage::summaryShowsCounts()
{
    QCOMPARE(m_page->summaryText(QStringLiteral("events")), number(17434));
    QCOMPARE(m_page->summaryText(QStringLiteral("users")), number(qint64(m_counts.users.size())));
    QCOMPARE(m_page->summaryText(QStringLiteral("items")), number(qint64(m_counts.items.size())));
    QCOMPARE(m_page->summaryText(QStringLiteral("sessions")), number(qint64(m_counts.sessions.size())));
    QCOMPARE(m_page->summaryText(QStringLiteral("view")), number(m_counts.byType[QStringLiteral("view")]));
    QCOMPARE(m_page->summaryText(QStringLiteral("cart")), number(m_counts.byType[QStringLiteral("cart")]));
    QCOMPARE(m_page->summaryText(QStringLiteral("buy")), number(m_counts.byType[QStringLiteral("purchase")]));
    QCOMPARE(m_page->summaryText(QStringLiteral("rejected")), number(0));
    QVERIFY(m_page->summaryText(QStringLiteral("first")).startsWith(QStringLiteral("2019-10-01 00:00:00")));

    // The table shows original ids, not codes.
    EventTableModel* model = m_page->eventModel();
    const int user = model->columnOf(EventColumn::User);
    const int item = model->columnOf(EventColumn::Item);
    QCOMPARE(model->index(0, user).data().toString(), QStringLiteral("541312140"));
    QCOMPARE(model->index(0, item).data().toString(), QStringLiteral("44600062"));
    QCOMPARE(model->index(0, model->columnOf(EventColumn::Time)).data().toString(),
             QStringLiteral("2019-10-01 00:00:00"));
    QVERIFY(model->columnOf(EventColumn::Session) >= 0);
    QVERIFY(model->columnOf(EventColumn::Price) >= 0);
    QCOMPARE(model->index(0, user).data(EventTableModel::SortRole).toULongLong(), 541312140ull);
}

void TestDataPage::filterByBehaviour()
{
    auto* combo = m_page->findChild<QComboBox*>(QStringLiteral("behaviourFilter"));
    QVERIFY(combo);
    EventTableModel* model = m_page->eventModel();
    combo->setCurrentIndex(combo->findData(int(Behaviour::Buy)));
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), int(m_counts.byType[QStringLiteral("purchase")]), 10000);
    const int behaviour = model->columnOf(EventColumn::Behaviour);
    for (int row = 0; row < model->rowCount(); ++row)
        QCOMPARE(model->index(row, behaviour).data(EventTableModel::SortRole).toInt(), int(Behaviour::Buy));

    combo->setCurrentIndex(combo->findData(int(Behaviour::Cart)));
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), int(m_counts.byType[QStringLiteral("cart")]), 10000);

    combo->setCurrentIndex(0);
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 17434, 10000);
}

void TestDataPage::filterByUserAndUnknownId()
{
    EventTableModel* model = m_page->eventModel();
    auto* userEdit = m_page->findChild<QLineEdit*>(QStringLiteral("userFilter"));
    QVERIFY(userEdit);
    QTest::keyClicks(userEdit, m_counts.busiestUser);
    QTest::keyClick(userEdit, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), int(m_counts.busiestUserEvents), 10000);
    const int user = model->columnOf(EventColumn::User);
    for (int row = 0; row < model->rowCount(); ++row)
        QCOMPARE(model->index(row, user).data().toString(), m_counts.busiestUser);

    userEdit->setText(QStringLiteral("no-such-user"));
    QTest::keyClick(userEdit, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 0, 10000);
    QVERIFY(!model->notice().isEmpty());

    userEdit->clear();
    QTest::keyClick(userEdit, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 17434, 10000);
}

void TestDataPage::sortByTimeInWorker()
{
    EventTableModel* model = m_page->eventModel();
    const int time = model->columnOf(EventColumn::Time);
    model->sort(time, Qt::DescendingOrder);
    QTRY_VERIFY_WITH_TIMEOUT(!model->isBusy(), 10000);
    QCOMPARE(model->rowCount(), 17434);
    QCOMPARE(model->index(0, time).data(EventTableModel::SortRole).toLongLong(), m_counts.maxTs);
    for (int row = 1; row < model->rowCount(); ++row) {
        QVERIFY(model->index(row - 1, time).data(EventTableModel::SortRole).toLongLong() >=
                model->index(row, time).data(EventTableModel::SortRole).toLongLong());
    }

    // Ids sort as numbers: 9 before 10, whatever their length.
    const int user = model->columnOf(EventColumn::User);
    model->sort(user, Qt::AscendingOrder);
    QTRY_VERIFY_WITH_TIMEOUT(!model->isBusy(), 10000);
    for (int row = 1; row < model->rowCount(); ++row) {
        QVERIFY(model->index(row - 1, user).data(EventTableModel::SortRole).toULongLong() <=
                model->index(row, user).data(EventTableModel::SortRole).toULongLong());
    }
    model->sort(0, Qt::AscendingOrder);
    QTRY_VERIFY_WITH_TIMEOUT(!model->isBusy(), 10000);
    QCOMPARE(model->index(0, user).data().toString(), QStringLiteral("541312140"));
}

void TestDataPage::genericMappingEditor()
{
    ImportDialog* dialog = m_window->openLog(kSample);
    QVERIFY(dialog);
    // The name is made unique in the workspace.
    QCOMPARE(dialog->datasetName(), kSampleName + QStringLiteral(" (2)"));
    dialog->formatCombo()->setCurrentIndex(dialog->formatCombo()->findData(QStringLiteral("generic")));
    QCOMPARE(dialog->roleCombo(QStringLiteral("user"))->currentText(), QStringLiteral("user_id"));
    QCOMPARE(dialog->roleCombo(QStringLiteral("item"))->currentText(), QStringLiteral("product_id"));
    QCOMPARE(dialog->roleCombo(QStringLiteral("behaviour"))->currentText(), QStringLiteral("event_type"));
    QCOMPARE(dialog->roleCombo(QStringLiteral("timestamp"))->currentText(), QStringLiteral("event_time"));
    QVERIFY2(dialog->problem().isEmpty(), qPrintable(dialog->problem()));
    const QJsonObject mapping = dialog->mapping();
    QCOMPARE(mapping.value(QStringLiteral("timestamp_format")).toString(), QStringLiteral("datetime"));
    QCOMPARE(
        mapping.value(QStringLiteral("behaviours")).toObject().value(QStringLiteral("purchase")).toString(),
        QStringLiteral("buy"));

    // Without a user column the mapping is refused, with the reason shown.
    dialog->roleCombo(QStringLiteral("user"))->setCurrentIndex(0);
    QVERIFY(!dialog->problem().isEmpty());
    QVERIFY(!dialog->importButton()->isEnabled());
    dialog->roleCombo(QStringLiteral("user"))
        ->setCurrentIndex(dialog->roleCombo(QStringLiteral("user"))->findText(QStringLiteral("user_id")));
    QVERIFY2(dialog->problem().isEmpty(), qPrintable(dialog->problem()));

    // Importing through the mapping gives the same events.
    QSignalSpy finished(m_page, &DataPage::importFinished);
    QTest::mouseClick(dialog->importButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
    QCOMPARE(m_page->shownDataset(), kSampleName + QStringLiteral(" (2)"));
    QCOMPARE(m_page->eventModel()->rowCount(), 17434);
    QCOMPARE(m_page->summaryText(QStringLiteral("buy")), number(m_counts.byType[QStringLiteral("purchase")]));
}

void TestDataPage::fileGivenTwiceShowsExisting()
{
    // As `scene-workbench FILE` does: a file whose dataset exists is shown, not imported again.
    QSignalSpy shown(m_page, &DataPage::datasetShown);
    m_window->importFiles({kSample});
    QVERIFY(!m_page->isImporting());
    QTRY_COMPARE_WITH_TIMEOUT(shown.size(), 1, 30000);
    QCOMPARE(m_page->shownDataset(), kSampleName);
    QTRY_COMPARE_WITH_TIMEOUT(m_page->eventModel()->rowCount(), 17434, 10000);
    auto workspace = Workspace::open(m_window->workspacePath());
    QVERIFY(workspace);
    QCOMPARE(workspace.value()->datasets()->size(), std::size_t(2));
}

void TestDataPage::problemsListLineNumbers()
{
    // The sample's first lines with two broken rows: line 3 has a bad timestamp, line 5 too few fields.
    const QString path = m_dir.filePath(QStringLiteral("broken.csv"));
    {
        QFile in(kSample);
        QVERIFY(in.open(QIODevice::ReadOnly));
        QFile out(path);
        QVERIFY(out.open(QIODevice::WriteOnly));
        for (int line = 1; line <= 8; ++line) {
            QByteArray text = in.readLine();
            if (line == 3)
                text.replace(0, 4, "20X9");
            if (line == 5)
                text = "2019-10-01 00:00:04 UTC,view,1004237\n";
            out.write(text);
        }
    }
    QSignalSpy finished(m_page, &DataPage::importFinished);
    m_window->importFiles({path});
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
    QCOMPARE(m_page->shownDataset(), QStringLiteral("broken"));
    QCOMPARE(m_page->eventModel()->rowCount(), 5);
    QCOMPARE(m_page->summaryText(QStringLiteral("rejected")), number(2));
    QStandardItemModel* problems = m_page->problemsModel();
    QCOMPARE(problems->rowCount(), 2);
    QCOMPARE(problems->index(0, 0).data().toLongLong(), 3);
    QCOMPARE(problems->index(0, 3).data().toString(), QStringLiteral("invalid_timestamp"));
    QCOMPARE(problems->index(1, 0).data().toLongLong(), 5);
    QCOMPARE(problems->index(1, 3).data().toString(), QStringLiteral("wrong_column_count"));
    QVERIFY(m_page->showDataset(kSampleName));
    QTRY_COMPARE_WITH_TIMEOUT(m_page->shownDataset(), kSampleName, 30000);
    QCOMPARE(problems->rowCount(), 0);
}

void TestDataPage::removeShownDataset()
{
    // Show "broken" (imported by the previous test); removing it clears the page and the workspace.
    QVERIFY(m_page->showDataset(QStringLiteral("broken")));
    QTRY_COMPARE_WITH_TIMEOUT(m_page->shownDataset(), QStringLiteral("broken"), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(!m_page->isBusy(), 30000);
    auto before = Workspace::open(m_window->workspacePath());
    QVERIFY(before);
    const std::size_t count = before.value()->datasets()->size();
    m_page->removeDataset(QStringLiteral("broken"));
    QTRY_VERIFY_WITH_TIMEOUT(!m_page->isBusy(), 30000);
    QCOMPARE(m_page->shownDataset(), QString());
    QCOMPARE(m_page->eventModel()->rowCount(), 0);
    auto after = Workspace::open(m_window->workspacePath());
    QVERIFY(after);
    QCOMPARE(after.value()->datasets()->size(), count - 1);
    QVERIFY(!after.value()->dataset(QStringLiteral("broken")));
    auto* list = m_page->findChild<QListWidget*>(QStringLiteral("datasetList"));
    QVERIFY(list);
    QCOMPARE(list->count(), int(count - 1));

    // Leave the sample shown for the tests that follow.
    QVERIFY(m_page->showDataset(kSampleName));
    QTRY_COMPARE_WITH_TIMEOUT(m_page->shownDataset(), kSampleName, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(!m_page->isBusy(), 30000);
}

ImportDialog* TestDataPage::dropFiles(const QStringList& files)
{
    QMimeData mime;
    QList<QUrl> urls;
    for (const QString& f : files)
        urls << QUrl::fromLocalFile(f);
    mime.setUrls(urls);
    const QPoint pos = m_window->rect().center();
    QDragEnterEvent enter(pos, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_window.get(), &enter);
    if (!enter.isAccepted())
        return nullptr;
    QDropEvent drop(QPointF(pos), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_window.get(), &drop);
    if (!drop.isAccepted())
        return nullptr;
    ImportDialog* dialog = nullptr;
    for (ImportDialog* d : m_window->findChildren<ImportDialog*>()) {
        if (d->isVisible())
            dialog = d;
    }
    return dialog;
}

void TestDataPage::dropOpensPreview()
{
    ImportDialog* dialog = dropFiles({kSample});
    QVERIFY(dialog);
    QCOMPARE(dialog->format(), QStringLiteral("rees46"));
    dialog->reject();
}

void TestDataPage::dropYoochoosePairMakesOneDataset()
{
    // Clicks and buys dropped together: one preview, one dataset of 15 views and 3 buys
    // (tests/data/formats/README.md).
    const QString clicks = test::testDataFile(QStringLiteral("formats/yoochoose-clicks.dat"));
    const QString buys = test::testDataFile(QStringLiteral("formats/yoochoose-buys.dat"));
    ImportDialog* dialog = dropFiles({clicks, buys});
    QVERIFY(dialog);
    QCOMPARE(dialog->options().files, (QStringList{clicks, buys}));
    auto* label = dialog->findChild<QLabel*>(QStringLiteral("companionLabel"));
    QVERIFY(label && label->isVisible() && label->text().contains(QStringLiteral("yoochoose-buys.dat")));
    QSignalSpy finished(m_page, &DataPage::importFinished);
    QTest::mouseClick(dialog->importButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
    QCOMPARE(m_page->eventModel()->rowCount(), 18);
    QCOMPARE(m_page->summaryText(QStringLiteral("view")), number(15));
    QCOMPARE(m_page->summaryText(QStringLiteral("buy")), number(3));

    // Leave the sample shown for the tests that follow.
    QVERIFY(m_page->showDataset(kSampleName));
    QTRY_COMPARE_WITH_TIMEOUT(m_page->shownDataset(), kSampleName, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(!m_page->isBusy(), 30000);
}

void TestDataPage::cancelBigImport()
{
    // About 2.5 million Taobao-shaped rows (~80 MB): long enough to cancel in the middle.
    const QString big = m_dir.filePath(QStringLiteral("big-taobao.csv"));
    {
        QFile file(big);
        QVERIFY(file.open(QIODevice::WriteOnly));
        std::string chunk;
        const char* behaviours[] = {"pv", "pv", "pv", "cart", "fav", "buy"};
        char line[96];
        for (qint64 i = 0; i < 2'500'000; ++i) {
            const int n = std::snprintf(line, sizeof line, "%lld,%lld,%lld,%s,%lld\n", 1 + i % 50'000,
                                        1000 + (i * 7919) % 400'000, 10 + i % 300, behaviours[i % 6],
                                        1511544070 + i / 10);
            chunk.append(line, std::size_t(n));
            if (chunk.size() > (1u << 20)) {
                QCOMPARE(file.write(chunk.data(), qint64(chunk.size())), qint64(chunk.size()));
                chunk.clear();
            }
        }
        QCOMPARE(file.write(chunk.data(), qint64(chunk.size())), qint64(chunk.size()));
    }
    QSignalSpy cancelled(m_page, &DataPage::importCancelled);
    QSignalSpy finished(m_page, &DataPage::importFinished);
    m_window->importFiles({big});
    QVERIFY(m_page->isImporting());
    auto* bar = m_page->findChild<QProgressBar*>(QStringLiteral("progressBar"));
    auto* cancel = m_page->findChild<QPushButton*>(QStringLiteral("cancelButton"));
    QVERIFY(bar && cancel);
    QTRY_VERIFY_WITH_TIMEOUT(cancel->isVisible(), 5000);
    // The window stays responsive: events are processed while the worker reads.
    QTRY_VERIFY_WITH_TIMEOUT(bar->maximum() > 0 && bar->value() > 0, 30000);
    QTest::mouseClick(cancel, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(cancelled.size(), 1, 30000);
    QCOMPARE(finished.size(), 0);
    QVERIFY(!m_page->isBusy());
    QVERIFY(!cancel->isVisible());
    QCOMPARE(m_page->shownDataset(), kSampleName); // the shown dataset is untouched

    auto workspace = Workspace::open(m_window->workspacePath());
    QVERIFY(workspace);
    auto datasets = workspace.value()->datasets();
    QVERIFY(datasets);
    for (const DatasetInfo& info : datasets.value())
        QVERIFY(info.name != QStringLiteral("big-taobao"));
    QCOMPARE(datasets->size(), std::size_t(3)); // the sample twice and YOOCHOOSE ("broken" was removed)
}

QTEST_MAIN(TestDataPage)
#include "test_datapage.moc"
