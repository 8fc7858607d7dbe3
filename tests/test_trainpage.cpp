// Offscreen GUI test of the Train page on the real Taobao sample: the form's defaults and its
// inline refusal of bad values, an MLP trained through Start with its live history and stored
// model, two queued jobs finishing in order, a cancelled job and failing ones (a softmax too big
// for memory, a single-class run, a diverging loss) storing nothing, and a model without epochs
// getting a note instead of a chart.

#include "ui/traininghistorychart.h"
#include "ui/trainpage.h"
#include "ui/trainparamsform.h"
#include "ui/trainqueue.h"

#include "core/data/workspace.h"
#include "core/io/importer.h"
#include "core/prep/preparation.h"
#include "testsupport.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QChartView>
#include <QFile>
#include <QJsonArray>
#include <QLineEdit>
#include <QLineSeries>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace swb;

namespace {

const QString kRun = QStringLiteral("run");
const QString kViewsRun = QStringLiteral("views-only");
constexpr int kTimeout = 300000; // training on a busy machine can take minutes

std::vector<QString> storedModels(const QString& path)
{
    std::vector<QString> names;
    auto workspace = Workspace::open(path);
    if (!workspace)
        return names;
    if (auto models = workspace.value()->models())
        for (const ModelInfo& m : *models)
            names.push_back(m.name);
    return names;
}

bool isStored(const QString& path, const QString& name)
{
    const auto names = storedModels(path);
    return std::find(names.begin(), names.end(), name) != names.end();
}

} // namespace

class TestTrainPage : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void formHasTheDefaults();
    void badValuesRefusedInline();
    void trainMlpChartsAndStores();
    void takenNameRefusedInline();
    void twoQueuedJobsFinishInOrder();
    void modelWithoutEpochsGetsANote();
    void cancelStoresNothing();
    void failingJobShowsTheCoreMessage();
    void singleClassRunShowsTheCoreMessage();
    void divergingLossNamesTheEpoch();

private:
    // Sets the field's text as a user would type it.
    void type(const QString& key, const QString& text);
    QPushButton* startButton() const { return m_page->findChild<QPushButton*>(QStringLiteral("trainStart")); }
    const TrainJobEntry* entry(int id) const { return m_page->jobsModel()->entryById(id); }
    bool finished(int id) const { return entry(id) && entry(id)->isFinished(); }
    void choose(const QString& task, const QString& kind);

    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<TrainPage> m_page;
};

void TestTrainPage::initTestCase()
{
    QVERIFY(m_dir.isValid());
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_dir.filePath(QStringLiteral("config"))));
    QCoreApplication::setOrganizationName(QStringLiteral("scenewb-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("test_trainpage"));
    const QString sample = test::sharedDataFile(QStringLiteral("taobao-userbehavior-head.csv"));
    if (sample.isEmpty())
        QFAIL("the real samples are missing (see the message above)");
    m_path = m_dir.filePath(QStringLiteral("train.swb"));
    {
        auto imported = test::importIntoWorkspace(m_path, sample, QStringLiteral("tb"));
        QVERIFY2(imported, qPrintable(imported ? QString() : imported.error().toString()));
        auto workspace = Workspace::open(m_path);
        QVERIFY(workspace);
        NullProgress progress;
        const CancelToken cancel;
        // Items seen at least twice, as test_training does (the default 5 leaves few items).
        PrepConfig config;
        config.minItemSupport = 2;
        auto prepared = prepare(imported.value(), config, progress, cancel);
        QVERIFY2(prepared, qPrintable(prepared ? QString() : prepared.error().toString()));
        QVERIFY(workspace.value()->storeRun(kRun, QStringLiteral("tb"), toJson(prepared.value())));
    }
    {
        // A log of views only, over ten days: every intent case has the class "view".
        const QString views = m_dir.filePath(QStringLiteral("views.csv"));
        QFile file(views);
        QVERIFY(file.open(QIODevice::WriteOnly));
        const qint64 base = 1511539200; // 2017-11-24, inside Taobao's span
        for (int day = 0; day < 10; ++day)
            for (int user = 1; user <= 40; ++user)
                for (int j = 0; j < 5; ++j)
                    file.write(QStringLiteral("%1,%2,1,pv,%3\n")
                                   .arg(user)
                                   .arg((user * 7 + j * 3 + day) % 30 + 1)
                                   .arg(base + day * 86400 + user * 60 + j * 10)
                                   .toUtf8());
        file.close();
        auto imported = test::importIntoWorkspace(m_path, views, QStringLiteral("views"));
        QVERIFY2(imported, qPrintable(imported ? QString() : imported.error().toString()));
        auto workspace = Workspace::open(m_path);
        QVERIFY(workspace);
        NullProgress progress;
        const CancelToken cancel;
        auto prepared = prepare(imported.value(), PrepConfig{}, progress, cancel);
        QVERIFY2(prepared, qPrintable(prepared ? QString() : prepared.error().toString()));
        QVERIFY(workspace.value()->storeRun(kViewsRun, QStringLiteral("views"), toJson(prepared.value())));
    }
    m_page = std::make_unique<TrainPage>();
    m_page->resize(1300, 850);
    QVERIFY(m_page->setWorkspacePath(m_path));
    m_page->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
    new QAbstractItemModelTester(m_page->jobsModel(), QAbstractItemModelTester::FailureReportingMode::QtTest,
                                 this);
}

void TestTrainPage::cleanupTestCase()
{
    m_page.reset();
}

void TestTrainPage::type(const QString& key, const QString& text)
{
    QLineEdit* edit = m_page->paramsForm()->field(key);
    QVERIFY2(edit, qPrintable(key));
    edit->selectAll();
    if (text.isEmpty())
        QTest::keyClick(edit, Qt::Key_Delete);
    else
        QTest::keyClicks(edit, text);
    QCOMPARE(edit->text(), text);
}

void TestTrainPage::choose(const QString& task, const QString& kind)
{
    QVERIFY(m_page->selectTask(task));
    QVERIFY(m_page->selectModel(kind));
    QCOMPARE(m_page->paramsForm()->kind(), kind);
}

void TestTrainPage::formHasTheDefaults()
{
    // Both runs are listed, the newest chosen.
    QCOMPARE(m_page->currentRun(), kViewsRun);
    QVERIFY(m_page->selectRun(kRun));
    QCOMPARE(m_page->currentRun(), kRun);
    choose(QStringLiteral("intent"), QStringLiteral("mlp"));
    TrainParamsForm* form = m_page->paramsForm();
    QCOMPARE(form->field(QStringLiteral("lr"))->text(), QStringLiteral("0.001"));
    QCOMPARE(form->field(QStringLiteral("hidden"))->text(), QStringLiteral("64"));
    QCOMPARE(form->field(QStringLiteral("epochs"))->text(), QStringLiteral("20"));
    QCOMPARE(form->field(QStringLiteral("optimizer"))->text(), QStringLiteral("adam"));
    QCOMPARE(form->field(QStringLiteral("seed"))->text(), QStringLiteral("42"));
    QCOMPARE(form->field(QStringLiteral("name"))->placeholderText(), QStringLiteral("run-intent-mlp"));
    QVERIFY(form->isValid());
    QVERIFY(startButton()->isEnabled());

    // Another model brings its own keys: the neural next-item model has an embedding width.
    choose(QStringLiteral("next-item"), QStringLiteral("neural"));
    QVERIFY(form->field(QStringLiteral("embedding")));
    QVERIFY(!form->field(QStringLiteral("class_weight")));
    choose(QStringLiteral("next-item"), QStringLiteral("pop"));
    QVERIFY(!form->field(QStringLiteral("lr")));
    QVERIFY(startButton()->isEnabled());
}

void TestTrainPage::badValuesRefusedInline()
{
    choose(QStringLiteral("intent"), QStringLiteral("mlp"));
    TrainParamsForm* form = m_page->paramsForm();
    const struct
    {
        const char* key;
        const char* text;
    } bad[] = {{"lr", "0"},        {"lr", "-0.1"},           {"hidden", "0"},
               {"hidden", "64,0"}, {"hidden", "abc"},        {"batch_size", "0"},
               {"epochs", "2.5"},  {"optimizer", "rmsprop"}, {"seed", "-1"}};
    for (const auto& b : bad) {
        const QString key = QString::fromLatin1(b.key);
        const QString before = form->field(key)->text();
        type(key, QString::fromLatin1(b.text));
        QVERIFY2(!form->fieldError(key).isEmpty(), b.text);
        QVERIFY2(!form->isValid(), b.text);
        QVERIFY2(!startButton()->isEnabled(), b.text);
        // Start refuses too (e.g. Ctrl+Return): nothing is queued.
        const int jobs = m_page->jobsModel()->rowCount();
        QTest::keyClick(form->field(key), Qt::Key_Return, Qt::ControlModifier);
        QCOMPARE(m_page->jobsModel()->rowCount(), jobs);
        type(key, before);
        QVERIFY2(form->fieldError(key).isEmpty(), qPrintable(form->fieldError(key)));
        QVERIFY(startButton()->isEnabled());
    }
    // The message is the core's, next to the field.
    type(QStringLiteral("lr"), QStringLiteral("0"));
    QVERIFY2(form->fieldError(QStringLiteral("lr")).contains(QLatin1String("0")),
             qPrintable(form->fieldError(QStringLiteral("lr"))));
    type(QStringLiteral("lr"), QStringLiteral("0.001"));
    // A rule between two fields: the session-kNN sample must hold the neighbours.
    choose(QStringLiteral("next-item"), QStringLiteral("sknn"));
    type(QStringLiteral("neighbours"), QStringLiteral("600"));
    QVERIFY(!form->fieldError(QStringLiteral("sample_size")).isEmpty());
    QVERIFY(!startButton()->isEnabled());
    type(QStringLiteral("neighbours"), QStringLiteral("100"));
    QVERIFY(startButton()->isEnabled());
}

void TestTrainPage::trainMlpChartsAndStores()
{
    choose(QStringLiteral("intent"), QStringLiteral("mlp"));
    type(QStringLiteral("epochs"), QStringLiteral("4"));
    type(QStringLiteral("hidden"), QStringLiteral("16,8"));
    QSignalSpy trained(m_page.get(), &TrainPage::modelTrained);
    QSignalSpy epochs(m_page->queue(), &TrainQueue::epochFinished);
    QTest::mouseClick(startButton(), Qt::LeftButton);
    QCOMPARE(m_page->jobsModel()->rowCount(), 1);
    const int id = m_page->jobsModel()->entry(0)->id;
    QVERIFY(m_page->isBusy());
    QCOMPARE(m_page->shownJob(), id);
    QTRY_VERIFY_WITH_TIMEOUT(finished(id), kTimeout);
    QVERIFY2(entry(id)->state == TrainJobEntry::State::Done,
             qPrintable(TrainJobsModel::statusText(*entry(id))));
    QVERIFY(TrainJobsModel::statusText(*entry(id)).startsWith(QLatin1String("Done: test accuracy 0.")));
    QCOMPARE(trained.size(), 1);
    QCOMPARE(trained[0][0].toString(), QStringLiteral("run-intent-mlp"));
    QVERIFY(isStored(m_path, QStringLiteral("run-intent-mlp")));

    // The chart has one point per epoch that ran, as stored in the model's history.
    auto workspace = Workspace::open(m_path);
    QVERIFY(workspace);
    auto model = workspace.value()->model(QStringLiteral("run-intent-mlp"));
    QVERIFY(model);
    QCOMPARE(model->report[QLatin1String("params")].toObject()[QLatin1String("hidden")].toArray(),
             (QJsonArray{16, 8}));
    const QJsonArray history = model->report[QLatin1String("history")].toArray();
    QVERIFY(history.size() >= 1 && history.size() <= 4);
    QCOMPARE(epochs.size(), history.size());
    TrainingHistoryChart* chart = m_page->historyChart();
    QCOMPARE(chart->epochCount(), int(history.size()));
    QCOMPARE(chart->trainLossSeries()->count(), int(history.size()));
    QCOMPARE(chart->validationLossSeries()->count(), int(history.size()));
    QVERIFY(chart->lossView()->isVisible());
    for (int i = 0; i < int(history.size()); ++i)
        QCOMPARE(chart->trainLossSeries()->at(i).y(),
                 history[i].toObject()[QLatin1String("train_loss")].toDouble());
    // The stored model shows the same history, from the workspace.
    m_page->jobsView()->setCurrentIndex({});
    QCOMPARE(chart->epochCount(), 0);
    QVERIFY(m_page->showStoredModel(QStringLiteral("run-intent-mlp")));
    QCOMPARE(chart->trainLossSeries()->count(), int(history.size()));
    // The form is ready for the next job, with the next free name.
    QCOMPARE(m_page->paramsForm()->field(QStringLiteral("name"))->placeholderText(),
             QStringLiteral("run-intent-mlp (2)"));
}

void TestTrainPage::takenNameRefusedInline()
{
    choose(QStringLiteral("intent"), QStringLiteral("mlp"));
    type(QStringLiteral("name"), QStringLiteral("run-intent-mlp"));
    QVERIFY(
        m_page->paramsForm()->fieldError(QStringLiteral("name")).contains(QLatin1String("already exists")));
    QVERIFY(!startButton()->isEnabled());
    type(QStringLiteral("name"), QStringLiteral("my-mlp"));
    QVERIFY(startButton()->isEnabled());
    type(QStringLiteral("name"), QString());
}

void TestTrainPage::twoQueuedJobsFinishInOrder()
{
    QSignalSpy done(m_page->queue(), &TrainQueue::jobFinished);
    choose(QStringLiteral("purchase"), QStringLiteral("logreg"));
    type(QStringLiteral("epochs"), QStringLiteral("2"));
    const int first = m_page->start();
    choose(QStringLiteral("intent"), QStringLiteral("logreg"));
    type(QStringLiteral("epochs"), QStringLiteral("2"));
    type(QStringLiteral("name"), QStringLiteral("second"));
    const int second = m_page->start();
    QVERIFY(first && second);
    QCOMPARE(entry(first)->state, TrainJobEntry::State::Running);
    QCOMPARE(TrainJobsModel::statusText(*entry(second)), QStringLiteral("Queued"));
    QTRY_VERIFY_WITH_TIMEOUT(finished(first) && finished(second), kTimeout);
    QCOMPARE(done.size(), 2);
    QCOMPARE(done[0][0].toInt(), first);
    QCOMPARE(done[1][0].toInt(), second);
    QCOMPARE(entry(first)->state, TrainJobEntry::State::Done);
    QCOMPARE(entry(second)->state, TrainJobEntry::State::Done);
    QVERIFY(TrainJobsModel::statusText(*entry(first)).startsWith(QLatin1String("Done: test ROC-AUC")));
    QVERIFY(isStored(m_path, QStringLiteral("run-purchase-logreg")));
    QVERIFY(isStored(m_path, QStringLiteral("second")));
    QVERIFY(!m_page->isBusy());
}

void TestTrainPage::modelWithoutEpochsGetsANote()
{
    choose(QStringLiteral("next-item"), QStringLiteral("pop"));
    const int id = m_page->start();
    QVERIFY(id);
    QTRY_VERIFY_WITH_TIMEOUT(finished(id), kTimeout);
    QCOMPARE(entry(id)->state, TrainJobEntry::State::Done);
    QVERIFY(TrainJobsModel::statusText(*entry(id)).startsWith(QLatin1String("Done: test HR@20")));
    m_page->showJob(id);
    QVERIFY(m_page->historyChart()->note().contains(QLatin1String("without epochs")));
    QVERIFY(!m_page->historyChart()->lossView()->isVisible());
}

void TestTrainPage::cancelStoresNothing()
{
    choose(QStringLiteral("intent"), QStringLiteral("mlp"));
    type(QStringLiteral("epochs"), QStringLiteral("200"));
    type(QStringLiteral("patience"), QStringLiteral("0"));
    type(QStringLiteral("name"), QStringLiteral("cancelled-mlp"));
    QSignalSpy epochs(m_page->queue(), &TrainQueue::epochFinished);
    const int id = m_page->start();
    QVERIFY(id);
    // Cancel once it is really training (an epoch has ended), through the button.
    QTRY_VERIFY_WITH_TIMEOUT(epochs.size() >= 1 || finished(id), kTimeout);
    QVERIFY(!finished(id));
    QTest::mouseClick(m_page->findChild<QPushButton*>(QStringLiteral("trainCancel")), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(finished(id), kTimeout);
    QCOMPARE(entry(id)->state, TrainJobEntry::State::Cancelled);
    QCOMPARE(TrainJobsModel::statusText(*entry(id)), QStringLiteral("Cancelled"));
    QVERIFY(entry(id)->history.size() < 200);
    QVERIFY(!isStored(m_path, QStringLiteral("cancelled-mlp")));
    QVERIFY(m_page->message().contains(QLatin1String("nothing was stored")));

    // A queued job can be cancelled before it runs.
    type(QStringLiteral("epochs"), QStringLiteral("200"));
    type(QStringLiteral("name"), QStringLiteral("running"));
    const int running = m_page->start();
    type(QStringLiteral("name"), QStringLiteral("never-runs"));
    const int queued = m_page->start();
    m_page->jobsView()->setCurrentIndex(m_page->jobsModel()->index(m_page->jobsModel()->rowOf(queued), 0));
    m_page->cancel();
    QCOMPARE(entry(queued)->state, TrainJobEntry::State::Cancelled);
    QCOMPARE(entry(running)->state, TrainJobEntry::State::Running);
    m_page->cancelAll();
    QTRY_VERIFY_WITH_TIMEOUT(finished(running), kTimeout);
    QVERIFY(!isStored(m_path, QStringLiteral("running")));
    QVERIFY(!isStored(m_path, QStringLiteral("never-runs")));
    type(QStringLiteral("name"), QString());
}

void TestTrainPage::failingJobShowsTheCoreMessage()
{
    // Valid values, but a softmax over the catalogue that needs far more memory than any machine
    // has: the core refuses before training, with its estimate.
    choose(QStringLiteral("next-item"), QStringLiteral("neural"));
    type(QStringLiteral("context"), QStringLiteral("4096"));
    type(QStringLiteral("embedding"), QStringLiteral("4096"));
    type(QStringLiteral("hidden"), QStringLiteral("4096"));
    QVERIFY(startButton()->isEnabled());
    const auto before = storedModels(m_path);
    const int id = m_page->start();
    QVERIFY(id);
    QTRY_VERIFY_WITH_TIMEOUT(finished(id), kTimeout);
    QCOMPARE(entry(id)->state, TrainJobEntry::State::Failed);
    QVERIFY2(entry(id)->message.contains(QLatin1String("a softmax over")), qPrintable(entry(id)->message));
    QVERIFY(TrainJobsModel::statusText(*entry(id)).startsWith(QLatin1String("Failed: ")));
    QVERIFY2(m_page->message().contains(entry(id)->message), qPrintable(m_page->message()));
    QVERIFY(m_page->message().contains(QLatin1String("Nothing was stored")));
    QCOMPARE(storedModels(m_path), before);
}

void TestTrainPage::singleClassRunShowsTheCoreMessage()
{
    QVERIFY(m_page->selectRun(kViewsRun));
    choose(QStringLiteral("intent"), QStringLiteral("mlp"));
    type(QStringLiteral("epochs"), QStringLiteral("2"));
    const auto before = storedModels(m_path);
    const int id = m_page->start();
    QVERIFY(id);
    QTRY_VERIFY_WITH_TIMEOUT(finished(id), kTimeout);
    QCOMPARE(entry(id)->state, TrainJobEntry::State::Failed);
    QVERIFY2(entry(id)->message.contains(QLatin1String("every training case has the class \"view\"")),
             qPrintable(entry(id)->message));
    QVERIFY2(m_page->message().contains(entry(id)->message), qPrintable(m_page->message()));
    QCOMPARE(storedModels(m_path), before);
    QVERIFY(m_page->selectRun(kRun));
}

void TestTrainPage::divergingLossNamesTheEpoch()
{
    // A valid but absurd learning rate: the loss overflows and training stops, naming the epoch.
    // Through another model, so the form starts again from the MLP's defaults.
    choose(QStringLiteral("intent"), QStringLiteral("logreg"));
    choose(QStringLiteral("intent"), QStringLiteral("mlp"));
    type(QStringLiteral("lr"), QStringLiteral("1e30"));
    type(QStringLiteral("optimizer"), QStringLiteral("sgd"));
    type(QStringLiteral("epochs"), QStringLiteral("3"));
    type(QStringLiteral("name"), QStringLiteral("diverged"));
    const int id = m_page->start();
    QVERIFY(id);
    QTRY_VERIFY_WITH_TIMEOUT(finished(id), kTimeout);
    QCOMPARE(entry(id)->state, TrainJobEntry::State::Failed);
    QVERIFY2(entry(id)->message.contains(QLatin1String("NaN or infinite at epoch 1")),
             qPrintable(entry(id)->message));
    QVERIFY(m_page->message().contains(QLatin1String("Nothing was stored")));
    QVERIFY(!isStored(m_path, QStringLiteral("diverged")));
    type(QStringLiteral("name"), QString());
}

QTEST_MAIN(TestTrainPage)
#include "test_trainpage.moc"
