#include "metricstable.h"

#include <QHeaderView>
#include <QLocale>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

#include <functional>

namespace swb {

MetricsTable::MetricsTable(QWidget* parent) : QWidget(parent), m_model(new QStandardItemModel(this))
{
    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("metricsTable"));
    m_view->setModel(m_model);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
}

void MetricsTable::clear()
{
    m_model->clear();
    m_table = {};
}

void MetricsTable::addRow(const QString& name, const std::vector<std::optional<double>>& values, bool count)
{
    const QLocale locale;
    QList<QStandardItem*> items;
    QStringList csv{name};
    for (const std::optional<double>& v : values) {
        auto* item = new QStandardItem;
        if (v) {
            item->setText(count ? locale.toString(qint64(*v)) : locale.toString(*v, 'f', 4));
            item->setData(*v, Qt::UserRole);
            csv << QString::number(*v, 'g', 17);
        } else {
            item->setText(QString(QChar(0x2014)));
            csv << QString();
        }
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        items << item;
    }
    m_model->appendRow(items);
    m_model->setVerticalHeaderItem(m_model->rowCount() - 1, new QStandardItem(name));
    m_table.rows << csv;
}

void MetricsTable::setEvaluations(const std::vector<ModelEvaluationPtr>& evaluations)
{
    clear();
    if (evaluations.empty())
        return;
    QStringList names;
    for (const ModelEvaluationPtr& e : evaluations)
        names << e->name;
    m_model->setHorizontalHeaderLabels(names);
    m_table.header = QStringList{QStringLiteral("metric")} + names;
    using Get = std::function<std::optional<double>(const Evaluation&)>;
    const auto row = [&](const QString& name, const Get& get, bool count = false) {
        std::vector<std::optional<double>> values;
        for (const ModelEvaluationPtr& e : evaluations)
            values.push_back(get(e->evaluation));
        addRow(name, values, count);
    };
    if (evaluations.front()->evaluation.ranking) {
        const auto ranking = [](const Evaluation& e) {
            return &*e.ranking;
        };
        row(
            tr("cases"), [&](const Evaluation& e) { return double(ranking(e)->cases); }, true);
        for (const int k : {10, 20}) {
            row(tr("HR@%1").arg(k), [&](const Evaluation& e) { return ranking(e)->at(k).hr; });
            row(tr("recall@%1").arg(k), [&](const Evaluation& e) { return ranking(e)->at(k).recall; });
            row(tr("precision@%1").arg(k), [&](const Evaluation& e) { return ranking(e)->at(k).precision; });
            row(tr("MRR@%1").arg(k), [&](const Evaluation& e) { return ranking(e)->at(k).mrr; });
            row(tr("NDCG@%1").arg(k), [&](const Evaluation& e) { return ranking(e)->at(k).ndcg; });
        }
        row(tr("coverage@%1").arg(evaluations.front()->evaluation.ranking->coverageK),
            [&](const Evaluation& e) { return ranking(e)->coverage; });
        row(
            tr("unseen targets"), [&](const Evaluation& e) { return double(ranking(e)->unseenTargets); },
            true);
        return;
    }
    const auto report = [](const Evaluation& e) {
        return &*e.classification;
    };
    row(
        tr("cases"), [&](const Evaluation& e) { return double(report(e)->cases); }, true);
    row(tr("accuracy"), [&](const Evaluation& e) { return report(e)->accuracy; });
    const std::pair<QString, AveragedScores ClassificationReport::*> averages[] = {
        {tr("macro"), &ClassificationReport::macro},
        {tr("micro"), &ClassificationReport::micro},
        {tr("weighted"), &ClassificationReport::weighted}};
    for (const auto& entry : averages) {
        const QString& average = entry.first;
        AveragedScores ClassificationReport::*const member = entry.second;
        row(tr("%1-average precision").arg(average),
            [&](const Evaluation& e) { return (report(e)->*member).precision; });
        row(tr("%1-average recall").arg(average),
            [&](const Evaluation& e) { return (report(e)->*member).recall; });
        row(tr("%1-average F1").arg(average), [&](const Evaluation& e) { return (report(e)->*member).f1; });
    }
    if (evaluations.front()->evaluation.binary) {
        const auto binary = [&](const Evaluation& e) {
            return report(e)->binary;
        };
        row(tr("ROC-AUC"), [&](const Evaluation& e) { return binary(e) ? binary(e)->rocAuc : std::nullopt; });
        row(tr("PR-AUC (average precision)"),
            [&](const Evaluation& e) { return binary(e) ? binary(e)->averagePrecision : std::nullopt; });
    }
    row(tr("log loss"), [&](const Evaluation& e) { return report(e)->logLoss; });
    if (evaluations.front()->evaluation.binary)
        row(tr("threshold"), [](const Evaluation& e) { return e.threshold; });
    const QStringList labels = evaluations.front()->evaluation.labels;
    for (qsizetype c = 0; c < labels.size(); ++c) {
        const auto perClass = [c](const Evaluation& e) -> const ClassScores* {
            return c < qsizetype(e.classification->perClass.size())
                       ? &e.classification->perClass[std::size_t(c)]
                       : nullptr;
        };
        const auto metric = [&](const QString& name, double ClassScores::*member) {
            row(tr("%1 %2").arg(labels[c], name), [&](const Evaluation& e) -> std::optional<double> {
                const ClassScores* s = perClass(e);
                return s ? std::optional<double>(s->*member) : std::nullopt;
            });
        };
        metric(tr("precision"), &ClassScores::precision);
        metric(tr("recall"), &ClassScores::recall);
        metric(tr("F1"), &ClassScores::f1);
        row(
            tr("%1 support").arg(labels[c]),
            [&](const Evaluation& e) -> std::optional<double> {
                const ClassScores* s = perClass(e);
                return s ? std::optional<double>(double(s->support)) : std::nullopt;
            },
            true);
    }
}

ChartTable MetricsTable::table() const
{
    return m_table;
}

} // namespace swb
