// Evaluation metrics. Classification and binary-score metrics are compared with scikit-learn's own
// outputs on fixed predictions (tests/data/eval/reference.json, written by make_reference.py
// beside it); the ranking metrics with small cases worked out by hand in the comments; the AUC of a
// large tied sample with the Mann-Whitney rank-sum formula, an independent route to the same number.
#include "core/eval/binaryscores.h"
#include "core/eval/classification.h"
#include "core/eval/ranking.h"
#include "testsupport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <random>
#include <stdexcept>

using namespace swb;

namespace {

constexpr double kTolerance = 1e-9;

QJsonValue get(const QJsonObject& object, const char* key)
{
    return object.value(QLatin1String(key));
}

std::vector<int> ints(const QJsonValue& value)
{
    std::vector<int> out;
    for (const QJsonValue& v : value.toArray())
        out.push_back(v.toInt());
    return out;
}

std::vector<double> doubles(const QJsonValue& value)
{
    std::vector<double> out;
    for (const QJsonValue& v : value.toArray())
        out.push_back(v.toDouble());
    return out;
}

QStringList strings(const QJsonValue& value)
{
    QStringList out;
    for (const QJsonValue& v : value.toArray())
        out << v.toString();
    return out;
}

QString describe(double actual, double expected)
{
    return QStringLiteral("%1 vs sklearn %2").arg(actual, 0, 'g', 17).arg(expected, 0, 'g', 17);
}

#define COMPARE_NEAR(actual, expected, what)                                                                 \
    QVERIFY2(std::fabs(double(actual) - double(expected)) <= kTolerance,                                     \
             qPrintable(QStringLiteral("%1: %2").arg(what, describe(double(actual), double(expected)))))

void compareVectors(const std::vector<double>& actual, const std::vector<double>& expected,
                    const QString& what)
{
    QVERIFY2(actual.size() == expected.size(), qPrintable(QStringLiteral("%1: %2 points vs sklearn's %3")
                                                              .arg(what)
                                                              .arg(actual.size())
                                                              .arg(expected.size())));
    for (std::size_t i = 0; i < actual.size(); ++i)
        COMPARE_NEAR(actual[i], expected[i], QStringLiteral("%1[%2]").arg(what).arg(i));
}

// The counts-based part every case has: per class, the three averages, accuracy, confusion.
void compareClassification(const ClassificationReport& report, const QJsonObject& sk)
{
    const QJsonObject perClass = get(sk, "per_class").toObject();
    const std::vector<double> precision = doubles(get(perClass, "precision"));
    const std::vector<double> recall = doubles(get(perClass, "recall"));
    const std::vector<double> f1 = doubles(get(perClass, "f1"));
    const std::vector<int> support = ints(get(perClass, "support"));
    QCOMPARE(report.perClass.size(), precision.size());
    for (std::size_t c = 0; c < precision.size(); ++c) {
        const QString label = report.labels.value(qsizetype(c));
        COMPARE_NEAR(report.perClass[c].precision, precision[c], QStringLiteral("precision of ") + label);
        COMPARE_NEAR(report.perClass[c].recall, recall[c], QStringLiteral("recall of ") + label);
        COMPARE_NEAR(report.perClass[c].f1, f1[c], QStringLiteral("f1 of ") + label);
        QCOMPARE(report.perClass[c].support, std::int64_t(support[c]));
    }
    const std::pair<const char*, const AveragedScores*> averages[] = {
        {"macro", &report.macro}, {"micro", &report.micro}, {"weighted", &report.weighted}};
    for (const auto& [name, scores] : averages) {
        const QJsonObject expected = get(sk, name).toObject();
        const QString what = QLatin1String(name);
        COMPARE_NEAR(scores->precision, get(expected, "precision").toDouble(),
                     what + QStringLiteral(" precision"));
        COMPARE_NEAR(scores->recall, get(expected, "recall").toDouble(), what + QStringLiteral(" recall"));
        COMPARE_NEAR(scores->f1, get(expected, "f1").toDouble(), what + QStringLiteral(" f1"));
    }
    COMPARE_NEAR(report.accuracy, get(sk, "accuracy").toDouble(), QStringLiteral("accuracy"));
    const QJsonArray confusion = get(sk, "confusion").toArray();
    QCOMPARE(report.confusion.classes(), int(confusion.size()));
    for (int t = 0; t < report.confusion.classes(); ++t) {
        const std::vector<int> row = ints(confusion.at(t));
        for (int p = 0; p < report.confusion.classes(); ++p)
            QCOMPARE(report.confusion.at(t, p), std::int64_t(row[std::size_t(p)]));
    }
}

bool isSklearnError(const QJsonValue& value)
{
    return value.isObject() && value.toObject().contains(QLatin1String("error"));
}

} // namespace

class TestEval : public QObject
{
    Q_OBJECT

private:
    QJsonObject m_cases;
    QJsonObject referenceCase(const QString& name) const { return m_cases.value(name).toObject(); }

private slots:
    void initTestCase()
    {
        QFile file(test::testDataFile(QStringLiteral("eval/reference.json")));
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        m_cases = get(doc.object(), "cases").toObject();
        QVERIFY(m_cases.size() >= 6);
    }

    // Hard predictions through evaluateClassification, for every case of the reference.
    void classificationMatchesSklearn_data()
    {
        QTest::addColumn<QString>("name");
        for (const QString& name : m_cases.keys())
            QTest::newRow(qPrintable(name)) << name;
    }
    void classificationMatchesSklearn()
    {
        QFETCH(QString, name);
        const QJsonObject c = referenceCase(name);
        const QJsonObject sk = get(c, "sklearn").toObject();
        const std::vector<int> yTrue = ints(get(c, "y_true"));
        const std::vector<int> yPred = ints(get(c, "y_pred"));
        std::vector<double> probabilities;
        for (const QJsonValue& row : get(c, "probabilities").toArray()) {
            for (const QJsonValue& p : row.toArray())
                probabilities.push_back(p.toDouble());
        }
        const Result<ClassificationReport> report =
            evaluateClassification(yTrue, yPred, strings(get(c, "labels")), probabilities);
        QVERIFY2(report.ok(), report.ok() ? "" : qPrintable(report.error().message));
        QCOMPARE(report->cases, std::int64_t(yTrue.size()));
        compareClassification(*report, sk);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(report->logLoss.has_value(), !probabilities.empty());
        if (report->logLoss)
            COMPARE_NEAR(*report->logLoss, get(sk, "log_loss").toDouble(), QStringLiteral("log loss"));
    }

    // Scores through BinaryScores: the report at the case's threshold, curves, areas, log loss,
    // metrics at other thresholds and the best-F1 threshold.
    void binaryMatchesSklearn_data()
    {
        QTest::addColumn<QString>("name");
        for (const QString& name : m_cases.keys()) {
            if (get(referenceCase(name), "kind").toString() == QLatin1String("binary"))
                QTest::newRow(qPrintable(name)) << name;
        }
    }
    void binaryMatchesSklearn()
    {
        QFETCH(QString, name);
        const QJsonObject c = referenceCase(name);
        const QJsonObject sk = get(c, "sklearn").toObject();
        const std::vector<int> yTrue = ints(get(c, "y_true"));
        const std::vector<double> scores = doubles(get(c, "scores"));
        const Result<BinaryScores> binary = BinaryScores::create(yTrue, scores);
        QVERIFY(binary.ok());

        const Result<ClassificationReport> report =
            binary->report(get(c, "threshold").toDouble(), strings(get(c, "labels")));
        QVERIFY(report.ok());
        compareClassification(*report, sk);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(report->binary.has_value() && report->logLoss.has_value());
        COMPARE_NEAR(*report->logLoss, get(sk, "log_loss").toDouble(), QStringLiteral("log loss"));

        const QJsonValue auc = get(sk, "roc_auc");
        if (isSklearnError(auc)) {
            // sklearn refuses: so do we, with a message, never NaN or 0.5.
            QVERIFY(!binary->rocAuc().ok());
            QVERIFY(binary->rocAuc().error().message.contains(QLatin1String("one class")));
            QVERIFY(!binary->rocCurve().ok());
            QVERIFY(!report->binary->rocAuc.has_value());
            QVERIFY(report->notes.join(QLatin1Char(' ')).contains(QLatin1String("ROC-AUC")));
        } else {
            COMPARE_NEAR(*binary->rocAuc(), auc.toDouble(), QStringLiteral("roc_auc"));
            COMPARE_NEAR(*report->binary->rocAuc, auc.toDouble(), QStringLiteral("report roc_auc"));
            const std::pair<const char*, bool> curves[] = {{"roc_curve", true}, {"roc_curve_full", false}};
            for (const auto& [key, drop] : curves) {
                const QJsonObject expected = get(sk, key).toObject();
                const Result<RocCurve> roc = binary->rocCurve(drop);
                QVERIFY(roc.ok());
                const QString what = QLatin1String(key);
                compareVectors(roc->fpr, doubles(get(expected, "fpr")), what + QStringLiteral(".fpr"));
                compareVectors(roc->tpr, doubles(get(expected, "tpr")), what + QStringLiteral(".tpr"));
                compareVectors(roc->thresholds, doubles(get(expected, "thresholds")),
                               what + QStringLiteral(".thresholds"));
            }
        }

        const QJsonValue pr = get(sk, "pr_curve");
        QVERIFY(!isSklearnError(pr));
        if (binary->positives() == 0) {
            // sklearn warns, sets recall to 1 everywhere and returns AP = 0 (here -0.0); we refuse
            // both, since recall over no positive case is undefined.
            QVERIFY(!binary->precisionRecallCurve().ok());
            QVERIFY(!binary->averagePrecision().ok());
            QVERIFY(!binary->bestF1Threshold().ok());
            QVERIFY(!report->binary->averagePrecision.has_value());
            QCOMPARE(get(sk, "average_precision").toDouble(), 0.0);
        } else {
            const Result<PrCurve> curve = binary->precisionRecallCurve();
            QVERIFY(curve.ok());
            const QJsonObject expected = pr.toObject();
            compareVectors(curve->precision, doubles(get(expected, "precision")),
                           QStringLiteral("precision"));
            compareVectors(curve->recall, doubles(get(expected, "recall")), QStringLiteral("recall"));
            compareVectors(curve->thresholds, doubles(get(expected, "thresholds")),
                           QStringLiteral("pr thresholds"));
            COMPARE_NEAR(*binary->averagePrecision(), get(sk, "average_precision").toDouble(),
                         QStringLiteral("average precision"));

            const QJsonObject best = get(sk, "best_f1").toObject();
            const Result<ThresholdMetrics> tuned = binary->bestF1Threshold();
            QVERIFY(tuned.ok());
            QCOMPARE(tuned->threshold, get(best, "threshold").toDouble());
            COMPARE_NEAR(tuned->f1, get(best, "f1").toDouble(), QStringLiteral("best f1"));
            QCOMPARE(tuned->tp, std::int64_t(get(best, "tp").toInt()));
            QCOMPARE(tuned->fp, std::int64_t(get(best, "fp").toInt()));
            QCOMPARE(tuned->fn, std::int64_t(get(best, "fn").toInt()));
        }

        for (const QJsonValue& v : get(sk, "at_thresholds").toArray()) {
            const QJsonObject expected = v.toObject();
            const double threshold = get(expected, "threshold").toDouble();
            const ThresholdMetrics m = binary->atThreshold(threshold);
            const QJsonArray confusion = get(expected, "confusion").toArray();
            const std::vector<int> negativeRow = ints(confusion.at(0));
            const std::vector<int> positiveRow = ints(confusion.at(1));
            QCOMPARE(m.tn, std::int64_t(negativeRow[0]));
            QCOMPARE(m.fp, std::int64_t(negativeRow[1]));
            QCOMPARE(m.fn, std::int64_t(positiveRow[0]));
            QCOMPARE(m.tp, std::int64_t(positiveRow[1]));
            const QString at = QStringLiteral(" at %1").arg(threshold);
            COMPARE_NEAR(m.precision, get(expected, "precision").toDouble(),
                         QStringLiteral("precision") + at);
            COMPARE_NEAR(m.recall, get(expected, "recall").toDouble(), QStringLiteral("recall") + at);
            COMPARE_NEAR(m.f1, get(expected, "f1").toDouble(), QStringLiteral("f1") + at);
            COMPARE_NEAR(m.accuracy, get(expected, "accuracy").toDouble(), QStringLiteral("accuracy") + at);
        }
    }

    // The reference's class that neither occurs nor is predicted gets zeros and still pulls the
    // macro average down: 4 classes, so macro = (sum of the other three) / 4.
    void emptyClassCountsInMacro()
    {
        const QJsonObject c = referenceCase(QStringLiteral("multiclass_empty"));
        const Result<ClassificationReport> report =
            evaluateClassification(ints(get(c, "y_true")), ints(get(c, "y_pred")), strings(get(c, "labels")));
        QVERIFY(report.ok());
        const ClassScores& empty = report->perClass[2];
        QCOMPARE(empty.support, std::int64_t(0));
        QCOMPARE(empty.precision, 0.0);
        QCOMPARE(empty.recall, 0.0);
        QCOMPARE(empty.f1, 0.0);
        double sum = 0.0;
        for (const ClassScores& s : report->perClass)
            sum += s.f1;
        QCOMPARE(report->macro.f1, sum / 4.0);
    }

    // One case, true class 1, probability 0: clipped to eps = DBL_EPSILON as scikit-learn 1.2 does
    // (eps="auto" for float64), so the loss is -ln(eps / ((1 - eps) + eps)) = 36.0436533891...; the
    // old fixed eps = 1e-15 would give 34.5387763949...
    void logLossClipsLikeSklearn()
    {
        const std::vector<int> yTrue = {1};
        const std::vector<double> p = {0.0};
        const Result<double> loss = binaryLogLoss(yTrue, p);
        QVERIFY(loss.ok());
        QVERIFY(std::fabs(*loss - 36.043653389117154) < 1e-12);
        // The same through the n x C form, and a row (0.2, 0.2) that is renormalised to (0.5, 0.5).
        const std::vector<int> two = {0};
        const std::vector<double> rows = {0.2, 0.2};
        QVERIFY(std::fabs(*logLoss(two, rows, 2) - std::log(2.0)) < 1e-15);
    }

    void emptyInputRefused()
    {
        const std::vector<int> none;
        const std::vector<double> noScores;
        const QStringList labels = {QStringLiteral("no"), QStringLiteral("yes")};
        const Result<ClassificationReport> classification = evaluateClassification(none, none, labels);
        QVERIFY(!classification.ok());
        QVERIFY(classification.error().message.contains(QLatin1String("no cases")));
        QVERIFY(!BinaryScores::create(none, noScores).ok());
        QVERIFY(!binaryLogLoss(none, noScores).ok());
        QVERIFY(!logLoss(none, noScores, 2).ok());
        RankingAccumulator ranking(10);
        const Result<RankingReport> rankingReport = ranking.report();
        QVERIFY(!rankingReport.ok());
        QVERIFY(rankingReport.error().message.contains(QLatin1String("no cases")));
    }

    void badInputRefused_data()
    {
        QTest::addColumn<std::vector<int>>("yTrue");
        QTest::addColumn<std::vector<int>>("yPred");
        QTest::addColumn<std::vector<double>>("scores");
        QTest::addColumn<QString>("messagePart");
        // labels are {no, yes}: classes 0 and 1.
        QTest::newRow("class out of range") << std::vector<int>{0, 2} << std::vector<int>{0, 1}
                                            << std::vector<double>{0.1, 0.9} << QStringLiteral("case 2");
        QTest::newRow("negative class") << std::vector<int>{0, 1} << std::vector<int>{-1, 1}
                                        << std::vector<double>{0.1, 0.9} << QStringLiteral("y_pred");
        QTest::newRow("lengths differ") << std::vector<int>{0, 1, 1} << std::vector<int>{0, 1}
                                        << std::vector<double>{0.1, 0.9, 0.5} << QStringLiteral("2 values");
        QTest::newRow("NaN score") << std::vector<int>{0, 1} << std::vector<int>{0, 1}
                                   << std::vector<double>{0.1, std::nan("")}
                                   << QStringLiteral("not a finite");
        QTest::newRow("infinite score") << std::vector<int>{0, 1} << std::vector<int>{0, 1}
                                        << std::vector<double>{-INFINITY, 0.5} << QStringLiteral("case 1");
    }
    void badInputRefused()
    {
        QFETCH(std::vector<int>, yTrue);
        QFETCH(std::vector<int>, yPred);
        QFETCH(std::vector<double>, scores);
        QFETCH(QString, messagePart);
        const QStringList labels = {QStringLiteral("no"), QStringLiteral("yes")};
        const Result<ClassificationReport> hard = evaluateClassification(yTrue, yPred, labels);
        const Result<BinaryScores> soft = BinaryScores::create(yTrue, scores);
        QVERIFY(!hard.ok() || !soft.ok());
        const QString message = !hard.ok() ? hard.error().message : soft.error().message;
        QVERIFY2(message.contains(messagePart), qPrintable(message));
    }

    void probabilitiesChecked()
    {
        const std::vector<int> yTrue = {0, 1};
        QVERIFY(!binaryLogLoss(yTrue, std::vector<double>{0.2, 1.5}).ok());
        QVERIFY(!logLoss(yTrue, std::vector<double>{0.5, 0.5, 0.5}, 2).ok()); // not 2 per case
        QVERIFY(!evaluateClassification(yTrue, yTrue, {QStringLiteral("a"), QStringLiteral("b")},
                                        std::vector<double>{0.5, 0.5, -0.1, 1.1})
                     .ok());
        // Raw scores outside [0, 1] still give curves, but no log loss, with a note saying why.
        const Result<BinaryScores> raw = BinaryScores::create(yTrue, std::vector<double>{-2.0, 3.0});
        QVERIFY(raw.ok());
        QVERIFY(!raw->logLoss().has_value());
        QCOMPARE(*raw->rocAuc(), 1.0);
        const Result<ClassificationReport> report =
            raw->report(0.0, {QStringLiteral("a"), QStringLiteral("b")});
        QVERIFY(report.ok() && !report->logLoss && report->notes.size() == 1);
        QVERIFY(!raw->report(0.0, {QStringLiteral("just one")}).ok());
    }

    // Scores 0.9 (positive), 0.8 (negative), 0.7 (negative), 0.6 (positive); P = 2.
    // F1 = 2tp / (tp + fp + P) at each threshold:
    //   >= 0.9: tp 1 fp 0 -> 2/3;  >= 0.8: tp 1 fp 1 -> 1/2;  >= 0.7: tp 1 fp 2 -> 2/5;
    //   >= 0.6: tp 2 fp 2 -> 4/6 = 2/3.
    // 0.9 and 0.6 tie at 2/3; the highest threshold, 0.9, wins.
    void bestF1TiesTakeHighestThreshold()
    {
        const std::vector<int> yTrue = {1, 0, 0, 1};
        const std::vector<double> scores = {0.9, 0.8, 0.7, 0.6};
        const Result<BinaryScores> binary = BinaryScores::create(yTrue, scores);
        QVERIFY(binary.ok());
        const Result<ThresholdMetrics> best = binary->bestF1Threshold();
        QVERIFY(best.ok());
        QCOMPARE(best->threshold, 0.9);
        QCOMPARE(best->tp, std::int64_t(1));
        QCOMPARE(best->fp, std::int64_t(0));
        QCOMPARE(best->fn, std::int64_t(1));
        QCOMPARE(best->tn, std::int64_t(2));
        QVERIFY(std::fabs(best->f1 - 2.0 / 3.0) < 1e-15);
    }

    // Thresholds between and beyond the observed scores of the case above.
    void anyThreshold_data()
    {
        QTest::addColumn<double>("threshold");
        QTest::addColumn<int>("tp");
        QTest::addColumn<int>("fp");
        QTest::addColumn<double>("precision");
        QTest::addColumn<double>("recall");
        QTest::addColumn<double>("accuracy");
        // Nothing is predicted positive: precision 0 by zero_division=0; the 2 negatives are right.
        QTest::newRow("above all") << 1.5 << 0 << 0 << 0.0 << 0.0 << 0.5;
        QTest::newRow("equal to top") << 0.9 << 1 << 0 << 1.0 << 0.5 << 0.75;
        QTest::newRow("between") << 0.75 << 1 << 1 << 0.5 << 0.5 << 0.5;
        QTest::newRow("below all") << -3.0 << 2 << 2 << 0.5 << 1.0 << 0.5;
    }
    void anyThreshold()
    {
        QFETCH(double, threshold);
        QFETCH(int, tp);
        QFETCH(int, fp);
        QFETCH(double, precision);
        QFETCH(double, recall);
        QFETCH(double, accuracy);
        const Result<BinaryScores> binary =
            BinaryScores::create(std::vector<int>{1, 0, 0, 1}, std::vector<double>{0.9, 0.8, 0.7, 0.6});
        const ThresholdMetrics m = binary->atThreshold(threshold);
        QCOMPARE(m.tp, std::int64_t(tp));
        QCOMPARE(m.fp, std::int64_t(fp));
        QCOMPARE(m.tp + m.fn, std::int64_t(2));
        QCOMPARE(m.fp + m.tn, std::int64_t(2));
        QCOMPARE(m.precision, precision);
        QCOMPARE(m.recall, recall);
        QCOMPARE(m.accuracy, accuracy);
    }

    // 300,000 cases with scores on a grid of 1,000 values (so heavy ties): the AUC equals the
    // Mann-Whitney statistic with mid-ranks, (sum of positive ranks - P(P+1)/2) / (P N).
    void aucMatchesRankSumOnLargeTiedSample()
    {
        std::mt19937_64 rng(7);
        std::normal_distribution<double> noise(0.0, 1.0);
        const std::size_t n = 300000;
        std::vector<int> yTrue(n);
        std::vector<double> scores(n);
        for (std::size_t i = 0; i < n; ++i) {
            yTrue[i] = rng() % 10 < 3 ? 1 : 0;
            const double raw = 1.0 / (1.0 + std::exp(-(noise(rng) + 0.8 * yTrue[i])));
            scores[i] = std::round(raw * 1000.0) / 1000.0;
        }
        const Result<BinaryScores> binary = BinaryScores::create(yTrue, scores);
        QVERIFY(binary.ok());
        QVERIFY(binary->distinctScores() <= 1001);

        std::vector<std::size_t> order(n);
        for (std::size_t i = 0; i < n; ++i)
            order[i] = i;
        std::sort(order.begin(), order.end(),
                  [&](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });
        double positiveRankSum = 0.0;
        double positives = 0.0;
        for (std::size_t start = 0; start < n;) {
            std::size_t end = start;
            while (end < n && scores[order[end]] == scores[order[start]])
                ++end;
            const double midRank = (double(start + 1) + double(end)) / 2.0;
            for (std::size_t k = start; k < end; ++k) {
                if (yTrue[order[k]] == 1) {
                    positiveRankSum += midRank;
                    positives += 1.0;
                }
            }
            start = end;
        }
        const double negatives = double(n) - positives;
        const double expected =
            (positiveRankSum - positives * (positives + 1.0) / 2.0) / (positives * negatives);
        QVERIFY2(std::fabs(*binary->rocAuc() - expected) < 1e-9,
                 qPrintable(describe(*binary->rocAuc(), expected)));
    }

    void chartCurvesAreDecimated()
    {
        std::mt19937_64 rng(11);
        std::uniform_real_distribution<double> uniform(0.0, 1.0);
        const std::size_t n = 100000;
        std::vector<int> yTrue(n);
        std::vector<double> scores(n);
        for (std::size_t i = 0; i < n; ++i) {
            yTrue[i] = uniform(rng) < 0.2 ? 1 : 0;
            scores[i] = std::min(1.0, uniform(rng) * 0.8 + 0.3 * yTrue[i]);
        }
        const Result<BinaryScores> binary = BinaryScores::create(yTrue, scores);
        const RocCurve full = *binary->rocCurve(false);
        QVERIFY(full.fpr.size() > 50000);
        const RocCurve roc = decimated(full);
        QVERIFY(roc.fpr.size() <= kChartPoints && roc.fpr.size() > kChartPoints / 2);
        QCOMPARE(roc.thresholds.size(), roc.fpr.size());
        QCOMPARE(roc.fpr.front(), 0.0);
        QCOMPARE(roc.tpr.front(), 0.0);
        QCOMPARE(roc.fpr.back(), 1.0);
        QCOMPARE(roc.tpr.back(), 1.0);
        QVERIFY(std::is_sorted(roc.thresholds.rbegin(), roc.thresholds.rend()));
        // Every left-out point lies within one step (length / (maxPoints - 2)) of the last kept
        // point before it.
        const std::vector<std::size_t> kept = decimationIndices(full.fpr, full.tpr);
        double length = 0.0;
        for (std::size_t i = 1; i < full.fpr.size(); ++i)
            length += std::hypot(full.fpr[i] - full.fpr[i - 1], full.tpr[i] - full.tpr[i - 1]);
        const double step = length / double(kChartPoints - 2);
        std::size_t previous = 0;
        for (std::size_t i = 0, next = 0; i < full.fpr.size(); ++i) {
            if (next < kept.size() && kept[next] == i) {
                previous = i;
                ++next;
                continue;
            }
            const double d = std::hypot(full.fpr[i] - full.fpr[previous], full.tpr[i] - full.tpr[previous]);
            QVERIFY2(d <= step * (1 + 1e-9), qPrintable(QStringLiteral("point %1 is %2 away").arg(i).arg(d)));
        }

        const PrCurve pr = decimated(*binary->precisionRecallCurve(), 500);
        QVERIFY(pr.precision.size() <= 500);
        QCOMPARE(pr.thresholds.size() + 1, pr.precision.size());
        QCOMPARE(pr.recall.front(), 1.0);
        QCOMPARE(pr.recall.back(), 0.0);
        QCOMPARE(pr.precision.back(), 1.0);

        // Small curves are left as they are.
        const Result<BinaryScores> small =
            BinaryScores::create(std::vector<int>{1, 0, 1}, std::vector<double>{0.1, 0.2, 0.3});
        QCOMPARE(decimated(*small->rocCurve()).fpr, small->rocCurve()->fpr);
    }

    // Ranks {1, 3, 0, 25} over 4 cases (0: the target is not in the list):
    //   hits at K: K < 3 -> 1 (rank 1); 3 <= K < 25 -> 2; K >= 25 -> 3.
    //   HR@K = hits / 4; recall@K = HR@K (one target per case); precision@K = hits / (4K).
    //   MRR@K sums 1/rank over hits: K=1: 1/4; K=3..24: (1 + 1/3)/4; K>=25: (1 + 1/3 + 1/25)/4.
    //   NDCG@K sums 1/log2(rank + 1): rank 1 -> 1, rank 3 -> 1/log2(4) = 1/2, rank 25 -> 1/log2(26).
    void rankingByHand_data()
    {
        QTest::addColumn<int>("k");
        QTest::addColumn<double>("hr");
        QTest::addColumn<double>("precision");
        QTest::addColumn<double>("mrr");
        QTest::addColumn<double>("ndcg");
        const double third = 1.0 / 3.0;
        QTest::newRow("K=1") << 1 << 0.25 << 0.25 << 0.25 << 0.25;
        QTest::newRow("K=2") << 2 << 0.25 << 0.125 << 0.25 << 0.25;
        QTest::newRow("K=3") << 3 << 0.5 << 2.0 / 12.0 << (1 + third) / 4 << 1.5 / 4;
        QTest::newRow("K=5") << 5 << 0.5 << 0.1 << (1 + third) / 4 << 0.375;
        QTest::newRow("K=24") << 24 << 0.5 << 2.0 / 96.0 << (1 + third) / 4 << 0.375;
        QTest::newRow("K=25") << 25 << 0.75 << 0.03 << (1 + third + 0.04) / 4
                              << (1.5 + 1 / std::log2(26.0)) / 4;
        QTest::newRow("K=50") << 50 << 0.75 << 0.015 << (1 + third + 0.04) / 4
                              << (1.5 + 1 / std::log2(26.0)) / 4;
    }
    void rankingByHand()
    {
        QFETCH(int, k);
        QFETCH(double, hr);
        QFETCH(double, precision);
        QFETCH(double, mrr);
        QFETCH(double, ndcg);
        RankingAccumulator acc(100);
        for (std::uint32_t rank : {1u, 3u, 0u, 25u})
            acc.addCase(rank, {});
        const Result<RankingReport> report = acc.report();
        QVERIFY(report.ok());
        const RankingAtK& m = report->at(k);
        QVERIFY(std::fabs(m.hr - hr) < 1e-15);
        QCOMPARE(m.recall, m.hr);
        QVERIFY(std::fabs(m.precision - precision) < 1e-15);
        QVERIFY(std::fabs(m.mrr - mrr) < 1e-15);
        QVERIFY(std::fabs(m.ndcg - ndcg) < 1e-15);
    }

    // Catalogue of 10 items, coverage over each list's first 3:
    //   case 1 [0, 1, 2, 7]  -> 0, 1, 2 (7 is past K = 3)
    //   case 2 [2, 3, 4]     -> 3, 4 new
    //   case 3 [0, 5]        -> 5 new (a short list is fine)
    //   case 4 []            -> nothing
    //   case 5 [1, 2, 9, 8]  -> 9 new
    // Covered {0, 1, 2, 3, 4, 5, 9}: 7 of 10 = 0.7. Case 3's target was never seen in training.
    void coverageAndUnseenTargets()
    {
        RankingAccumulator acc(10, 3);
        const std::vector<std::uint32_t> lists[] = {{0, 1, 2, 7}, {2, 3, 4}, {0, 5}, {}, {1, 2, 9, 8}};
        const std::uint32_t ranks[] = {2, 0, 0, 60, 1};
        for (int i = 0; i < 5; ++i)
            acc.addCase(ranks[i], lists[i], i == 2);
        // Caller bugs throw and change nothing.
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, acc.addCase(4, lists[0], true));
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, acc.addCase(1, std::vector<std::uint32_t>{6, 10}));
        QCOMPARE(acc.cases(), std::int64_t(5));
        const Result<RankingReport> report = acc.report();
        QVERIFY(report.ok());
        QCOMPARE(report->cases, std::int64_t(5));
        QCOMPARE(report->unseenTargets, std::int64_t(1));
        QCOMPARE(report->coveredItems, std::int64_t(7));
        QCOMPARE(report->coverage, 0.7);
        // Hits: rank 1 and rank 2; rank 60 is beyond every K here, the unseen target and the
        // unranked one are misses: HR@1 = 1/5, HR@2 .. HR@50 = 2/5.
        QCOMPARE(report->at(1).hr, 0.2);
        QCOMPARE(report->at(2).hr, 0.4);
        QCOMPARE(report->at(50).hr, 0.4);

        const QJsonObject json = toJson(*report);
        QCOMPARE(get(json, "cases").toInt(), 5);
        QCOMPARE(get(json, "unseen_targets").toInt(), 1);
        QCOMPARE(get(json, "coverage").toDouble(), 0.7);
        const QJsonObject byK = get(json, "ranking").toObject();
        QCOMPARE(byK.size(), kMaxRankingK);
        for (int k = 1; k <= kMaxRankingK; ++k) {
            const QJsonObject at = byK.value(QString::number(k)).toObject();
            for (const char* key : {"hr", "recall", "precision", "mrr", "ndcg"})
                QVERIFY2(get(at, key).isDouble(), key);
        }
        QCOMPARE(get(byK.value(QStringLiteral("2")).toObject(), "precision").toDouble(), 0.2);
    }

    // Two workers' accumulators merged give the same report as one that saw every case.
    void rankingMerge()
    {
        std::mt19937 rng(3);
        RankingAccumulator all(1000), first(1000), second(1000);
        std::vector<std::uint32_t> list(20);
        for (int i = 0; i < 5000; ++i) {
            const std::uint32_t rank = rng() % 80;
            for (std::uint32_t& item : list)
                item = rng() % 1000;
            const bool unseen = rank == 0 && rng() % 2 == 0;
            all.addCase(rank, list, unseen);
            (i % 2 ? first : second).addCase(rank, list, unseen);
        }
        first.merge(second);
        const RankingReport a = *all.report(), b = *first.report();
        QCOMPARE(b.cases, a.cases);
        QCOMPARE(b.unseenTargets, a.unseenTargets);
        QCOMPARE(b.coveredItems, a.coveredItems);
        for (int k = 1; k <= kMaxRankingK; ++k) {
            QCOMPARE(b.at(k).hr, a.at(k).hr);
            QCOMPARE(b.at(k).mrr, a.at(k).mrr);
            QCOMPARE(b.at(k).ndcg, a.at(k).ndcg);
        }
        RankingAccumulator other(999);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, first.merge(other));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, RankingAccumulator(10, 0));
    }

    // The keys, and null (with a note) where a binary metric is undefined.
    void classificationJson()
    {
        const QJsonObject c = referenceCase(QStringLiteral("binary_ties"));
        const Result<BinaryScores> binary =
            BinaryScores::create(ints(get(c, "y_true")), doubles(get(c, "scores")));
        const QJsonObject json = toJson(*binary->report(0.5, strings(get(c, "labels"))));
        for (const char* key : {"accuracy", "per_class", "macro", "micro", "weighted", "confusion", "roc_auc",
                                "pr_auc", "log_loss", "threshold"})
            QVERIFY2(json.contains(QLatin1String(key)), key);
        QVERIFY(!json.contains(QLatin1String("notes")));
        const QJsonObject sk = get(c, "sklearn").toObject();
        QCOMPARE(get(json, "pr_auc").toDouble(), *binary->averagePrecision());
        QVERIFY(std::fabs(get(json, "roc_auc").toDouble() - get(sk, "roc_auc").toDouble()) < kTolerance);
        QCOMPARE(get(json, "threshold").toDouble(), 0.5);
        const QJsonObject first = get(json, "per_class").toArray().at(0).toObject();
        QCOMPARE(get(first, "label").toString(), QStringLiteral("no"));
        for (const char* key : {"precision", "recall", "f1", "support"})
            QVERIFY2(first.contains(QLatin1String(key)), key);
        for (const char* average : {"macro", "micro", "weighted"}) {
            const QJsonObject a = get(json, average).toObject();
            QCOMPARE(a.size(), 3);
            QVERIFY(a.contains(QLatin1String("f1")));
        }
        const QJsonObject confusion = get(json, "confusion").toObject();
        QCOMPARE(strings(get(confusion, "labels")), strings(get(c, "labels")));
        QCOMPARE(get(confusion, "matrix").toArray(), get(sk, "confusion").toArray());

        const QJsonObject single = referenceCase(QStringLiteral("all_positive"));
        const Result<BinaryScores> one =
            BinaryScores::create(ints(get(single, "y_true")), doubles(get(single, "scores")));
        const QJsonObject oneJson = toJson(*one->report(0.5, strings(get(single, "labels"))));
        QVERIFY(get(oneJson, "roc_auc").isNull());
        QCOMPARE(get(oneJson, "pr_auc").toDouble(), 1.0);
        QVERIFY(get(oneJson, "notes").toArray().at(0).toString().contains(QLatin1String("ROC-AUC")));

        // Multiclass without probabilities has none of the binary keys.
        const QJsonObject multi = referenceCase(QStringLiteral("multiclass_empty"));
        const QJsonObject multiJson = toJson(*evaluateClassification(
            ints(get(multi, "y_true")), ints(get(multi, "y_pred")), strings(get(multi, "labels"))));
        QVERIFY(!multiJson.contains(QLatin1String("roc_auc")) &&
                !multiJson.contains(QLatin1String("log_loss")));
        QCOMPARE(get(multiJson, "per_class").toArray().size(), 4);
    }
};

QTEST_GUILESS_MAIN(TestEval)
#include "test_eval.moc"
