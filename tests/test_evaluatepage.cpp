// Offscreen GUI test of the Evaluate page on models trained (by the CLI) on the real Taobao sample:
// models listed by task, the per-class bars and averages equal to the stored report, the heatmap
// equal to the confusion matrix, the threshold slider giving what BinaryScores::atThreshold says,
// 50 points per ranking line equal to the report, two models side by side, exports with the CLI's
// content (directly and through the file dialog), a cancel that leaves the page usable, a model
// removed behind the page's back and a model whose stored weights are damaged.

#include "ui/classmetricschart.h"
#include "ui/confusionheatmap.h"
#include "ui/evaluatepage.h"
#include "ui/evaluateresults.h"
#include "ui/metricstable.h"
#include "ui/rankingchart.h"
#include "ui/thresholdcurves.h"

#include "core/data/workspace.h"
#include "core/models/training.h"
#include "core/prep/storedrun.h"
#include "testsupport.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QBarSet>
#include <QChart>
#include <QFile>
#include <QFileDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLineEdit>
#include <QLineSeries>
#include <QLocale>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace swb;

namespace {

const QString kRun = QStringLiteral("run");
const QString kIntentMajority = QStringLiteral("run-intent-majority");
const QString kIntentLogreg = QStringLiteral("run-intent-logreg");
const QString kPurchaseLogreg = QStringLiteral("run-purchase-logreg");
const QString kPurchaseMlp = QStringLiteral("run-purchase-mlp");
const QString kPop = QStringLiteral("run-next-item-pop");
const QString kSknn = QStringLiteral("run-next-item-sknn");

QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestEvaluatePage : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void modelsListedByTask();
    void perClassBarsAndHeatmapMatchTheReport();
    void thresholdSliderUpdatesLive();
    void rankingCurvesMatchTheReport();
    void twoModelsSideBySide();
    void exportsWriteTheClisContent();
    void predictionsThroughTheDialog();
    void cancelLeavesThePageUsable();
    void removedModelGivesAClearMessage();
    void damagedModelGivesAClearMessage();

private:
    bool cli(const QStringList& args);
    bool train(const QString& task, const QString& model, const QString& params, const QString& run = kRun);
    // Evaluates the ticked models and waits for the outcome.
    bool evaluateAndWait();
    QJsonObject storedTest(const QString& model) const;

    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<EvaluatePage> m_page;
};

bool TestEvaluatePage::cli(const QStringList& args)
{
    const auto run = test::runCli(args + QStringList{QStringLiteral("--workspace"), m_path});
    if (run.exitCode != 0)
        qWarning("scenewb %s: %s", qPrintable(args.join(QLatin1Char(' '))), run.err.constData());
    return run.exitCode == 0;
}

bool TestEvaluatePage::train(const QString& task, const QString& model, const QString& params,
                             const QString& run)
{
    QStringList args{QStringLiteral("train"),   run,  QStringLiteral("--task"), task,
                     QStringLiteral("--model"), model};
    if (!params.isEmpty())
        args << QStringLiteral("--params") << params;
    return cli(args);
}

QJsonObject TestEvaluatePage::storedTest(const QString& model) const
{
    auto ws = Workspace::open(m_path);
    auto info = ws ? ws.value()->model(model) : Result<ModelInfo>(Error{});
    return info ? info->report.value(QStringLiteral("test")).toObject() : QJsonObject();
}

void TestEvaluatePage::initTestCase()
{
    QVERIFY(m_dir.isValid());
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_dir.filePath(QStringLiteral("config"))));
    const QString sample = test::sharedDataFile(QStringLiteral("taobao-userbehavior-head.csv"));
    if (sample.isEmpty())
        QFAIL("the real samples are missing (see the message above)");
    m_path = m_dir.filePath(QStringLiteral("eval.swb"));
    const QString config = m_dir.filePath(QStringLiteral("prep.json"));
    QFile file(config);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"filter":{"min_item_support":2}})");
    file.close();
    QVERIFY(cli({QStringLiteral("import"), sample, QStringLiteral("--name"), QStringLiteral("tb")}));
    QVERIFY(cli({QStringLiteral("prep"), QStringLiteral("tb"), QStringLiteral("--config"), config,
                 QStringLiteral("--name"), kRun}));
    const QString quick = QStringLiteral(R"({"epochs":2})");
    QVERIFY(train(QStringLiteral("intent"), QStringLiteral("majority"), {}));
    QVERIFY(train(QStringLiteral("intent"), QStringLiteral("logreg"), quick));
    QVERIFY(train(QStringLiteral("purchase"), QStringLiteral("logreg"), quick));
    QVERIFY(train(QStringLiteral("purchase"), QStringLiteral("mlp"),
                  QStringLiteral(R"({"epochs":2,"hidden":[8]})")));
    QVERIFY(train(QStringLiteral("next-item"), QStringLiteral("pop"), {}));
    QVERIFY(train(QStringLiteral("next-item"), QStringLiteral("sknn"), {}));

    m_page = std::make_unique<EvaluatePage>();
    m_page->resize(1280, 800);
    new QAbstractItemModelTester(m_page->modelList(), QAbstractItemModelTester::FailureReportingMode::QtTest,
                                 this);
    new QAbstractItemModelTester(m_page->results()->metricsTable()->model(),
                                 QAbstractItemModelTester::FailureReportingMode::QtTest, this);
    QVERIFY(m_page->setWorkspacePath(m_path));
    m_page->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
}

void TestEvaluatePage::cleanupTestCase()
{
    m_page.reset();
}

bool TestEvaluatePage::evaluateAndWait()
{
    QSignalSpy finished(m_page.get(), &EvaluatePage::evaluationFinished);
    QSignalSpy failed(m_page.get(), &EvaluatePage::evaluationFailed);
    m_page->evaluate();
    if (!QTest::qWaitFor([&] { return !m_page->isBusy(); }, 120000))
        return false;
    if (!failed.isEmpty())
        qWarning("evaluation failed: %s", qPrintable(m_page->message()));
    return failed.isEmpty() && (finished.count() == 1 || !m_page->results()->evaluations().empty());
}

void TestEvaluatePage::modelsListedByTask()
{
    const auto rows = [this] {
        QStringList names;
        for (int r = 0; r < m_page->modelList()->rowCount(); ++r)
            names << m_page->modelList()->item(r)->data(Qt::UserRole).toString();
        return names;
    };
    m_page->setTask(Task::Intent);
    QCOMPARE(rows(), (QStringList{kIntentMajority, kIntentLogreg}));
    m_page->setTask(Task::Purchase);
    QCOMPARE(rows(), (QStringList{kPurchaseLogreg, kPurchaseMlp}));
    m_page->setTask(Task::NextItem);
    QCOMPARE(rows(), (QStringList{kPop, kSknn}));
    QVERIFY(!m_page->setModelChecked(QStringLiteral("nope"), true));
    // Ticking a model of another task switches to that task; ticks survive the switch.
    QVERIFY(m_page->setModelChecked(kIntentLogreg, true));
    QCOMPARE(m_page->task(), Task::Intent);
    m_page->setTask(Task::Purchase);
    QVERIFY(m_page->checkedModels().isEmpty());
    m_page->setTask(Task::Intent);
    QCOMPARE(m_page->checkedModels(), QStringList{kIntentLogreg});
    QVERIFY(m_page->setModelChecked(kIntentLogreg, false));
}

void TestEvaluatePage::perClassBarsAndHeatmapMatchTheReport()
{
    m_page->setSplit(SplitPart::Test);
    QVERIFY(m_page->setModelChecked(kIntentLogreg, true));
    QVERIFY(evaluateAndWait());
    const QJsonObject report = storedTest(kIntentLogreg);
    QVERIFY(!report.isEmpty());
    ClassMetricsChart* chart = m_page->results()->classMetrics();
    const QList<QBarSet*> sets = chart->barSets();
    QCOMPARE(sets.size(), 3);
    const QJsonArray perClass = report[QLatin1String("per_class")].toArray();
    const qsizetype classes = perClass.size();
    QVERIFY(classes >= 2);
    QCOMPARE(chart->categories().size(), classes + 3);
    QCOMPARE(chart->categories().mid(classes),
             (QStringList{QStringLiteral("macro average"), QStringLiteral("micro average"),
                          QStringLiteral("weighted average")}));
    const char* metrics[] = {"precision", "recall", "f1"};
    for (int m = 0; m < 3; ++m) {
        QCOMPARE(sets[m]->count(), int(classes + 3));
        for (qsizetype c = 0; c < classes; ++c)
            QCOMPARE(sets[m]->at(int(c)), perClass[c].toObject()[QLatin1String(metrics[m])].toDouble());
        const char* averages[] = {"macro", "micro", "weighted"};
        for (int a = 0; a < 3; ++a)
            QCOMPARE(sets[m]->at(int(classes) + a),
                     report[QLatin1String(averages[a])].toObject()[QLatin1String(metrics[m])].toDouble());
    }
    // The heatmap is the confusion matrix, and row-normalised its rows sum to 1.
    ConfusionHeatmap* heatmap = m_page->results()->heatmap();
    const QJsonArray matrix =
        report[QLatin1String("confusion")].toObject()[QLatin1String("matrix")].toArray();
    QCOMPARE(heatmap->labels().size(), classes);
    for (int t = 0; t < classes; ++t) {
        double share = 0;
        for (int p = 0; p < classes; ++p) {
            QCOMPARE(heatmap->count(t, p), std::int64_t(matrix[t].toArray()[p].toDouble()));
            share += heatmap->rowShare(t, p);
        }
        if (perClass[t].toObject()[QLatin1String("support")].toInt() > 0)
            QVERIFY(qAbs(share - 1.0) < 1e-12);
    }
    QVERIFY(!m_page->results()->isTabShown(EvaluateResults::CurvesTab));
    QVERIFY(!m_page->results()->isTabShown(EvaluateResults::RankingTab));
    QVERIFY(m_page->summaryText().contains(kIntentLogreg));
}

void TestEvaluatePage::thresholdSliderUpdatesLive()
{
    QVERIFY(m_page->setModelChecked(kPurchaseLogreg, true));
    QVERIFY(evaluateAndWait());
    EvaluateResults* results = m_page->results();
    QVERIFY(results->isTabShown(EvaluateResults::CurvesTab));
    ThresholdCurves* curves = results->curves();
    const QJsonObject report = storedTest(kPurchaseLogreg);
    const double stored = report[QLatin1String("threshold")].toDouble();
    QCOMPARE(curves->threshold(), stored);
    // At the stored threshold the heatmap is the stored report's confusion matrix.
    const QJsonArray matrix =
        report[QLatin1String("confusion")].toObject()[QLatin1String("matrix")].toArray();
    for (int t = 0; t < 2; ++t)
        for (int p = 0; p < 2; ++p)
            QCOMPARE(results->heatmap()->count(t, p), std::int64_t(matrix[t].toArray()[p].toDouble()));
    QVERIFY(curves->rocChart()->title().contains(
        QLocale().toString(report[QLatin1String("roc_auc")].toDouble(), 'f', 3)));

    // The scores computed independently, from the stored model.
    auto ws = Workspace::open(m_path);
    QVERIFY(ws);
    auto info = ws.value()->model(kPurchaseLogreg);
    auto weights = ws.value()->modelWeights(kPurchaseLogreg);
    NullProgress progress;
    auto run = loadPreparedRun(*ws.value(), kRun, progress, CancelToken());
    QVERIFY(run);
    auto evaluation =
        evaluateStoredModel(*run, info->report, *weights, SplitPart::Test, progress, CancelToken());
    QVERIFY(evaluation && evaluation->binary);
    for (const int step : {100, 350, 900}) {
        curves->slider()->setValue(step);
        const double threshold = step / 1000.0;
        QCOMPARE(curves->threshold(), threshold);
        const ThresholdMetrics want = evaluation->binary->atThreshold(threshold);
        const ThresholdMetrics got = curves->currentMetrics().front();
        QCOMPARE(got.tp, want.tp);
        QCOMPARE(got.fp, want.fp);
        QCOMPARE(got.f1, want.f1);
        QCOMPARE(results->heatmap()->count(0, 0), want.tn);
        QCOMPARE(results->heatmap()->count(0, 1), want.fp);
        QCOMPARE(results->heatmap()->count(1, 0), want.fn);
        QCOMPARE(results->heatmap()->count(1, 1), want.tp);
        QVERIFY(curves->readoutText().contains(QLocale().toString(want.f1, 'f', 3)));
    }
    // Re-reading the models (as when the page is shown again) keeps the threshold chosen.
    m_page->refresh();
    QCOMPARE(curves->threshold(), 0.9);
    QCOMPARE(results->heatmap()->count(1, 1), evaluation->binary->atThreshold(0.9).tp);
    // Back to the tuned threshold.
    curves->useStoredThreshold();
    QCOMPARE(curves->threshold(), stored);
    QCOMPARE(results->heatmap()->count(1, 1), std::int64_t(matrix[1].toArray()[1].toDouble()));
    QVERIFY(m_page->setModelChecked(kPurchaseLogreg, false));
}

void TestEvaluatePage::rankingCurvesMatchTheReport()
{
    QVERIFY(m_page->setModelChecked(kPop, true));
    QVERIFY(m_page->setModelChecked(kSknn, true));
    QVERIFY(evaluateAndWait());
    RankingChart* chart = m_page->results()->ranking();
    QVERIFY(m_page->results()->isTabShown(EvaluateResults::RankingTab));
    QVERIFY(!m_page->results()->isTabShown(EvaluateResults::PerClassTab));
    for (const QString& model : {kPop, kSknn}) {
        const QJsonObject ranking = storedTest(model)[QLatin1String("ranking")].toObject();
        const std::pair<RankingChart::Metric, const char*> metrics[] = {
            {RankingChart::Hr, "hr"}, {RankingChart::Mrr, "mrr"}, {RankingChart::Ndcg, "ndcg"}};
        for (const auto& [metric, key] : metrics) {
            QLineSeries* line = chart->series(model, metric);
            QVERIFY(line);
            QCOMPARE(line->count(), 50);
            for (int k = 1; k <= 50; ++k) {
                QCOMPARE(line->at(k - 1).x(), double(k));
                QCOMPARE(line->at(k - 1).y(),
                         ranking[QString::number(k)].toObject()[QLatin1String(key)].toDouble());
            }
        }
        QVERIFY(chart->infoText().contains(model));
    }
    QVERIFY(chart->infoText().contains(QStringLiteral("unseen targets")));
    QCOMPARE(m_page->results()->metricsTable()->model()->columnCount(), 2);
    QVERIFY(m_page->setModelChecked(kPop, false));
    QVERIFY(m_page->setModelChecked(kSknn, false));
}

void TestEvaluatePage::twoModelsSideBySide()
{
    QVERIFY(m_page->setModelChecked(kIntentMajority, true));
    QVERIFY(m_page->setModelChecked(kIntentLogreg, true));
    // The logreg model is kept from before: only the majority model is evaluated.
    QVERIFY(evaluateAndWait());
    ClassMetricsChart* chart = m_page->results()->classMetrics();
    chart->setMetric(ClassMetricsChart::F1);
    const QList<QBarSet*> sets = chart->barSets();
    QCOMPARE(sets.size(), 2);
    QCOMPARE(sets[0]->label(), kIntentMajority);
    QCOMPARE(sets[1]->label(), kIntentLogreg);
    for (int i = 0; i < 2; ++i) {
        const QJsonObject report = storedTest(sets[i]->label());
        QCOMPARE(sets[i]->at(chart->categories().size() - 3),
                 report[QLatin1String("macro")].toObject()[QLatin1String("f1")].toDouble());
    }
    chart->setMetric(ClassMetricsChart::Recall);
    QCOMPARE(
        chart->barSets().at(1)->at(chart->categories().size() - 1),
        storedTest(kIntentLogreg)[QLatin1String("weighted")].toObject()[QLatin1String("recall")].toDouble());
    // The table: a column per model; accuracy in the second row.
    QStandardItemModel* table = m_page->results()->metricsTable()->model();
    QCOMPARE(table->columnCount(), 2);
    QCOMPARE(table->horizontalHeaderItem(0)->text(), kIntentMajority);
    QCOMPARE(table->verticalHeaderItem(1)->text(), QStringLiteral("accuracy"));
    QCOMPARE(table->item(1, 1)->data(Qt::UserRole).toDouble(),
             storedTest(kIntentLogreg)[QLatin1String("accuracy")].toDouble());
    // The confusion matrix follows the model chosen above the tabs.
    QVERIFY(m_page->results()->setCurrentModel(kIntentMajority));
    QVERIFY(m_page->results()->heatmap()->title().contains(kIntentMajority));
}

void TestEvaluatePage::exportsWriteTheClisContent()
{
    // Intent majority and logreg are shown; export the logreg model's predictions and both metrics.
    EvaluateResults* results = m_page->results();
    QVERIFY(results->setCurrentModel(kIntentLogreg));
    const QString predictions = m_dir.filePath(QStringLiteral("pred.csv"));
    const QString cliPredictions = m_dir.filePath(QStringLiteral("cli-pred.csv"));
    QVERIFY(results->exportPredictions(predictions));
    const auto cliRun =
        test::runCli({QStringLiteral("evaluate"), kIntentLogreg, QStringLiteral("--predictions"),
                      cliPredictions, QStringLiteral("--json"), QStringLiteral("--workspace"), m_path});
    QCOMPARE(cliRun.exitCode, 0);
    QCOMPARE(readAll(predictions), readAll(cliPredictions));
    QVERIFY(readAll(predictions).startsWith("case_id,y_true,y_pred,score\n"));

    const QString json = m_dir.filePath(QStringLiteral("metrics.json"));
    QVERIFY(results->exportMetricsJson(json));
    const QJsonArray list = QJsonDocument::fromJson(readAll(json)).array();
    QCOMPARE(list.size(), 2);
    QCOMPARE(list[1].toObject(), cliRun.json());

    const QString csv = m_dir.filePath(QStringLiteral("metrics.csv"));
    QVERIFY(results->exportMetricsCsv(csv));
    const QList<QByteArray> lines = readAll(csv).split('\n');
    QCOMPARE(lines[0], QByteArray("metric,") + kIntentMajority.toUtf8() + ',' + kIntentLogreg.toUtf8());
    QVERIFY(lines[2].startsWith("accuracy,"));
    QCOMPARE(lines[2].split(',')[2].toDouble(),
             cliRun.json()[QLatin1String("test")].toObject()[QLatin1String("accuracy")].toDouble());

    // The heatmap in three formats.
    const QString png = m_dir.filePath(QStringLiteral("confusion.png"));
    const QString svg = m_dir.filePath(QStringLiteral("confusion.svg"));
    const QString heat = m_dir.filePath(QStringLiteral("confusion.csv"));
    QVERIFY(results->exportHeatmapPng(png));
    QVERIFY(results->exportHeatmapSvg(svg));
    QVERIFY(results->exportHeatmapCsv(heat));
    QVERIFY(readAll(png).startsWith("\x89PNG"));
    QVERIFY(readAll(svg).contains("<svg"));
    const QList<QByteArray> cells = readAll(heat).split('\n');
    QCOMPARE(cells[0], QByteArray("true_class,predicted_class,count,row_share"));
    const qsizetype classes = results->heatmap()->labels().size();
    QCOMPARE(cells.size(), classes * classes + 2); // header, cells, the empty piece after the last "\n"
    QCOMPARE(std::int64_t(cells[1].split(',')[2].toLongLong()), results->heatmap()->count(0, 0));

    // A chart, and a write error that names the file.
    const QString bars = m_dir.filePath(QStringLiteral("bars.png"));
    QVERIFY(results->classMetrics()->exporter()->exportPng(bars));
    QVERIFY(readAll(bars).startsWith("\x89PNG"));
    QSignalSpy failed(results, &EvaluateResults::exportFailed);
    const QString bad = m_dir.filePath(QStringLiteral("no/such/dir/m.json"));
    QVERIFY(!results->exportMetricsJson(bad));
    QCOMPARE(failed.count(), 1);
    QVERIFY(m_page->message().contains(QStringLiteral("m.json")));
    QVERIFY(!QFile::exists(bad));
}

void TestEvaluatePage::predictionsThroughTheDialog()
{
    EvaluateResults* results = m_page->results();
    QVERIFY(results->setCurrentModel(kIntentMajority));
    auto* button = results->findChild<QPushButton*>(QStringLiteral("exportPredictionsButton"));
    QVERIFY(button && button->isVisible() && button->isEnabled());
    const QString path = m_dir.filePath(QStringLiteral("majority-from-dialog.csv"));
    bool dialogSeen = false;
    // The dialog is modal: answer it from a timer once it is up.
    QTimer timer;
    timer.setInterval(50);
    connect(&timer, &QTimer::timeout, this, [&]() {
        auto* dialog = qobject_cast<QFileDialog*>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        timer.stop();
        dialogSeen = dialog->acceptMode() == QFileDialog::AcceptSave &&
                     dialog->selectedFiles().value(0).endsWith(QStringLiteral("-predictions.csv"));
        auto* name = dialog->findChild<QLineEdit*>(QStringLiteral("fileNameEdit"));
        QVERIFY(name);
        name->setText(path);
        QMetaObject::invokeMethod(dialog, "accept", Qt::QueuedConnection);
    });
    timer.start();
    QSignalSpy exported(results, &EvaluateResults::exported);
    QTest::mouseClick(button, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(exported.size(), 1, 10000);
    QVERIFY(dialogSeen);
    QCOMPARE(exported.at(0).at(0).toString(), path);
    // The majority model predicts its one class for every case.
    const QList<QByteArray> lines = readAll(path).trimmed().split('\n');
    QCOMPARE(lines.size(), qsizetype(storedTest(kIntentMajority)[QLatin1String("cases")].toInt() + 1));
    const QByteArray predicted = lines[1].split(',')[2];
    for (qsizetype i = 1; i < lines.size(); ++i)
        QCOMPARE(lines[i].split(',')[2], predicted);
}

void TestEvaluatePage::cancelLeavesThePageUsable()
{
    // Validation has not been evaluated yet: the job has to prepare the run again.
    m_page->setSplit(SplitPart::Validation);
    QVERIFY(m_page->setModelChecked(kIntentMajority, false));
    QVERIFY(m_page->checkedModels() == QStringList{kIntentLogreg});
    QSignalSpy cancelled(m_page.get(), &EvaluatePage::evaluationCancelled);
    m_page->evaluate();
    QVERIFY(m_page->isBusy());
    m_page->cancel();
    QTRY_VERIFY_WITH_TIMEOUT(!m_page->isBusy(), 60000);
    QCOMPARE(cancelled.count(), 1);
    QVERIFY(m_page->results()->evaluations().empty());
    // Usable: evaluating again works and gives the validation metrics.
    QVERIFY(evaluateAndWait());
    QCOMPARE(m_page->results()->evaluations().size(), std::size_t(1));
    QCOMPARE(m_page->results()->evaluations().front()->evaluation.split, SplitPart::Validation);
    auto ws = Workspace::open(m_path);
    const QJsonObject validation =
        ws.value()->model(kIntentLogreg)->report.value(QStringLiteral("validation")).toObject();
    QCOMPARE(m_page->results()->evaluations().front()->evaluation.metrics, validation);
    m_page->setSplit(SplitPart::Test);
}

void TestEvaluatePage::removedModelGivesAClearMessage()
{
    // A second run with a model, listed by the page, then removed (with its model) elsewhere.
    QVERIFY(cli(
        {QStringLiteral("prep"), QStringLiteral("tb"), QStringLiteral("--name"), QStringLiteral("run2")}));
    QVERIFY(train(QStringLiteral("intent"), QStringLiteral("majority"), {}, QStringLiteral("run2")));
    m_page->refresh();
    const QString model = QStringLiteral("run2-intent-majority");
    QVERIFY(m_page->setModelChecked(model, true));
    {
        auto ws = Workspace::open(m_path);
        QVERIFY(ws);
        QVERIFY(ws.value()->removeRun(QStringLiteral("run2")));
    }
    QSignalSpy failed(m_page.get(), &EvaluatePage::evaluationFailed);
    m_page->evaluate();
    QTRY_VERIFY_WITH_TIMEOUT(!m_page->isBusy(), 60000);
    QCOMPARE(failed.count(), 1);
    QVERIFY2(m_page->message().contains(model), qPrintable(m_page->message()));
    QVERIFY2(m_page->message().contains(QStringLiteral("no longer")), qPrintable(m_page->message()));
    QVERIFY(m_page->results()->evaluations().empty());
    // Refreshing drops it from the list.
    m_page->refresh();
    QVERIFY(!m_page->setModelChecked(model, true));
}

void TestEvaluatePage::damagedModelGivesAClearMessage()
{
    // A stored model whose weights do not decode: the page names it, shows nothing and stays usable.
    const QString damaged = QStringLiteral("damaged-purchase-logreg");
    {
        auto ws = Workspace::open(m_path);
        QVERIFY(ws);
        auto info = ws.value()->model(kPurchaseLogreg);
        QVERIFY(info);
        ModelInfo copy = info.value();
        copy.name = damaged;
        QVERIFY(ws.value()->storeModel(copy, QByteArray("not a tensor pack")));
    }
    m_page->refresh();
    QVERIFY(m_page->setModelChecked(kPurchaseLogreg, false));
    QVERIFY(m_page->setModelChecked(damaged, true));
    QSignalSpy failed(m_page.get(), &EvaluatePage::evaluationFailed);
    m_page->evaluate();
    QTRY_VERIFY_WITH_TIMEOUT(!m_page->isBusy(), 60000);
    QCOMPARE(failed.count(), 1);
    QVERIFY2(m_page->message().contains(damaged), qPrintable(m_page->message()));
    QVERIFY(m_page->results()->evaluations().empty());
    // The good model next to it still evaluates.
    QVERIFY(m_page->setModelChecked(damaged, false));
    QVERIFY(m_page->setModelChecked(kPurchaseLogreg, true));
    QVERIFY(evaluateAndWait());
    QCOMPARE(m_page->results()->evaluations().size(), std::size_t(1));
    QVERIFY(m_page->message().isEmpty());
}

QTEST_MAIN(TestEvaluatePage)
#include "test_evaluatepage.moc"
