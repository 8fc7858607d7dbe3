#include "classification.h"

#include "compensatedsum.h"

#include <QCoreApplication>
#include <QJsonArray>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>

namespace swb {

namespace {
// Translation context of this file's messages (lupdate reads the macro).
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(swb::Classification)
};

Error invalid(const QString& message, const QString& field = {})
{
    return Error{ErrorCode::InvalidArgument, message, {}, 0, 0, field};
}

// sklearn's _prf_divide with zero_division=0.
double ratio(double numerator, double denominator)
{
    return denominator == 0.0 ? 0.0 : numerator / denominator;
}

// sklearn's F-beta with beta = 1, written as it does (not 2tp / (2tp + fp + fn)) so that the last
// bits agree too.
double f1Of(double precision, double recall)
{
    const double denominator = precision + recall;
    return 2.0 * precision * recall / (denominator == 0.0 ? 1.0 : denominator);
}

// sklearn's log_loss clipping: eps="auto" is the machine epsilon of float64.
constexpr double kEps = DBL_EPSILON;
constexpr double kMaxCases = double(std::numeric_limits<std::int32_t>::max());

Status checkInputSizes(std::size_t trueSize, std::size_t otherSize, const QString& other)
{
    if (trueSize == 0)
        return invalid(Tr::tr("there are no cases to evaluate"));
    if (double(trueSize) >= kMaxCases)
        return invalid(Tr::tr("too many cases (%1); at most %2 can be evaluated at once")
                           .arg(trueSize)
                           .arg(std::numeric_limits<std::int32_t>::max() - 1));
    if (otherSize != trueSize)
        return invalid(Tr::tr("%1 has %2 values for %3 cases").arg(other).arg(otherSize).arg(trueSize),
                       other);
    return {};
}

Status checkProbabilities(std::span<const double> probabilities, int classes)
{
    for (std::size_t i = 0; i < probabilities.size(); ++i) {
        const double p = probabilities[i];
        if (!(p >= 0.0 && p <= 1.0)) // also true for NaN
            return invalid(Tr::tr("case %1: the probability %2 is not a number in [0, 1]")
                               .arg(i / std::size_t(classes) + 1)
                               .arg(p),
                           QStringLiteral("probabilities"));
    }
    return {};
}
} // namespace

namespace detail {
Status checkClasses(std::span<const int> values, int classes, const QString& what)
{
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (values[i] < 0 || values[i] >= classes)
            return invalid(Tr::tr("case %1: %2 is %3, outside the classes 0..%4")
                               .arg(i + 1)
                               .arg(what)
                               .arg(values[i])
                               .arg(classes - 1),
                           what);
    }
    return {};
}
} // namespace detail

ConfusionMatrix::ConfusionMatrix(int classes)
    : m_classes(classes), m_counts(std::size_t(classes) * std::size_t(classes), 0)
{}

std::int64_t ConfusionMatrix::total() const
{
    std::int64_t sum = 0;
    for (std::int64_t c : m_counts)
        sum += c;
    return sum;
}

std::int64_t ConfusionMatrix::trueCount(int trueClass) const
{
    std::int64_t sum = 0;
    for (int p = 0; p < m_classes; ++p)
        sum += at(trueClass, p);
    return sum;
}

std::int64_t ConfusionMatrix::predictedCount(int predictedClass) const
{
    std::int64_t sum = 0;
    for (int t = 0; t < m_classes; ++t)
        sum += at(t, predictedClass);
    return sum;
}

ClassificationReport classificationReport(const ConfusionMatrix& confusion, const QStringList& labels)
{
    ClassificationReport report;
    const int classes = confusion.classes();
    report.labels = labels;
    report.confusion = confusion;
    report.cases = confusion.total();
    report.perClass.resize(std::size_t(classes));
    std::int64_t truePositives = 0;
    double macroP = 0.0, macroR = 0.0, macroF = 0.0;
    double weightedP = 0.0, weightedR = 0.0, weightedF = 0.0;
    for (int c = 0; c < classes; ++c) {
        ClassScores& s = report.perClass[std::size_t(c)];
        const std::int64_t tp = confusion.at(c, c);
        s.support = confusion.trueCount(c);
        s.precision = ratio(double(tp), double(confusion.predictedCount(c)));
        s.recall = ratio(double(tp), double(s.support));
        s.f1 = f1Of(s.precision, s.recall);
        truePositives += tp;
        macroP += s.precision;
        macroR += s.recall;
        macroF += s.f1;
        weightedP += s.precision * double(s.support);
        weightedR += s.recall * double(s.support);
        weightedF += s.f1 * double(s.support);
    }
    const double n = double(report.cases);
    report.accuracy = ratio(double(truePositives), n);
    report.macro = {macroP / classes, macroR / classes, macroF / classes};
    report.weighted = {ratio(weightedP, n), ratio(weightedR, n), ratio(weightedF, n)};
    // Every case has one true and one predicted class, so the summed predicted and true counts are
    // both n, and micro P = R = F1 = accuracy; computed the general way all the same.
    const double microP = ratio(double(truePositives), n);
    const double microR = ratio(double(truePositives), n);
    report.micro = {microP, microR, f1Of(microP, microR)};
    return report;
}

Result<ClassificationReport> evaluateClassification(std::span<const int> yTrue, std::span<const int> yPred,
                                                    const QStringList& labels,
                                                    std::span<const double> probabilities)
{
    const int classes = int(labels.size());
    if (classes == 0)
        return invalid(Tr::tr("the task has no class labels"));
    if (Status s = checkInputSizes(yTrue.size(), yPred.size(), QStringLiteral("y_pred")); !s)
        return s.error();
    if (Status s = detail::checkClasses(yTrue, classes, QStringLiteral("y_true")); !s)
        return s.error();
    if (Status s = detail::checkClasses(yPred, classes, QStringLiteral("y_pred")); !s)
        return s.error();
    ConfusionMatrix confusion(classes);
    for (std::size_t i = 0; i < yTrue.size(); ++i)
        confusion.add(yTrue[i], yPred[i]);
    ClassificationReport report = classificationReport(confusion, labels);
    if (!probabilities.empty()) {
        Result<double> loss = logLoss(yTrue, probabilities, classes);
        if (!loss)
            return loss.error();
        report.logLoss = *loss;
    }
    return report;
}

Result<double> logLoss(std::span<const int> yTrue, std::span<const double> probabilities, int classes)
{
    if (classes < 1)
        return invalid(Tr::tr("the task has no class labels"));
    if (probabilities.size() % std::size_t(classes) != 0)
        return invalid(
            Tr::tr("probabilities has %1 values, not %2 per case").arg(probabilities.size()).arg(classes),
            QStringLiteral("probabilities"));
    if (Status s = checkInputSizes(yTrue.size(), probabilities.size() / std::size_t(classes),
                                   QStringLiteral("probabilities"));
        !s)
        return s.error();
    if (Status s = detail::checkClasses(yTrue, classes, QStringLiteral("y_true")); !s)
        return s.error();
    if (Status s = checkProbabilities(probabilities, classes); !s)
        return s.error();
    detail::CompensatedSum total;
    for (std::size_t i = 0; i < yTrue.size(); ++i) {
        const double* row = probabilities.data() + i * std::size_t(classes);
        double rowSum = 0.0;
        for (int c = 0; c < classes; ++c)
            rowSum += std::clamp(row[c], kEps, 1.0 - kEps);
        const double p = std::clamp(row[yTrue[i]], kEps, 1.0 - kEps) / rowSum;
        total.add(-std::log(p));
    }
    return total.value() / double(yTrue.size());
}

Result<double> binaryLogLoss(std::span<const int> yTrue, std::span<const double> positiveProbabilities)
{
    if (Status s = checkInputSizes(yTrue.size(), positiveProbabilities.size(), QStringLiteral("scores")); !s)
        return s.error();
    if (Status s = detail::checkClasses(yTrue, 2, QStringLiteral("y_true")); !s)
        return s.error();
    if (Status s = checkProbabilities(positiveProbabilities, 1); !s)
        return s.error();
    detail::CompensatedSum total;
    for (std::size_t i = 0; i < yTrue.size(); ++i) {
        // As sklearn: clip p, form the row (1 - p, p), divide by its sum.
        const double p = std::clamp(positiveProbabilities[i], kEps, 1.0 - kEps);
        const double q = 1.0 - p;
        total.add(-std::log((yTrue[i] == 1 ? p : q) / (q + p)));
    }
    return total.value() / double(yTrue.size());
}

namespace {
QJsonObject toJson(const AveragedScores& s)
{
    return QJsonObject{{QStringLiteral("precision"), s.precision},
                       {QStringLiteral("recall"), s.recall},
                       {QStringLiteral("f1"), s.f1}};
}

QJsonValue optionalJson(const std::optional<double>& value)
{
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}
} // namespace

QJsonObject toJson(const ClassificationReport& report)
{
    QJsonObject json;
    json.insert(QStringLiteral("labels"), QJsonArray::fromStringList(report.labels));
    json.insert(QStringLiteral("cases"), double(report.cases));
    json.insert(QStringLiteral("accuracy"), report.accuracy);
    QJsonArray perClass;
    for (std::size_t c = 0; c < report.perClass.size(); ++c) {
        const ClassScores& s = report.perClass[c];
        perClass.append(QJsonObject{{QStringLiteral("label"), report.labels.value(qsizetype(c))},
                                    {QStringLiteral("precision"), s.precision},
                                    {QStringLiteral("recall"), s.recall},
                                    {QStringLiteral("f1"), s.f1},
                                    {QStringLiteral("support"), double(s.support)}});
    }
    json.insert(QStringLiteral("per_class"), perClass);
    json.insert(QStringLiteral("macro"), toJson(report.macro));
    json.insert(QStringLiteral("micro"), toJson(report.micro));
    json.insert(QStringLiteral("weighted"), toJson(report.weighted));
    QJsonArray matrix;
    for (int t = 0; t < report.confusion.classes(); ++t) {
        QJsonArray row;
        for (int p = 0; p < report.confusion.classes(); ++p)
            row.append(double(report.confusion.at(t, p)));
        matrix.append(row);
    }
    json.insert(QStringLiteral("confusion"),
                QJsonObject{{QStringLiteral("labels"), QJsonArray::fromStringList(report.labels)},
                            {QStringLiteral("matrix"), matrix}});
    if (report.logLoss || report.binary)
        json.insert(QStringLiteral("log_loss"), optionalJson(report.logLoss));
    if (report.binary) {
        json.insert(QStringLiteral("roc_auc"), optionalJson(report.binary->rocAuc));
        json.insert(QStringLiteral("pr_auc"), optionalJson(report.binary->averagePrecision));
        json.insert(QStringLiteral("threshold"), report.binary->threshold);
    }
    if (!report.notes.isEmpty())
        json.insert(QStringLiteral("notes"), QJsonArray::fromStringList(report.notes));
    return json;
}

} // namespace swb
