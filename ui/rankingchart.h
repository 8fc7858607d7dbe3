#pragma once

#include "chartexport.h"
#include "evaluatejob.h"

#include <QWidget>

#include <array>
#include <vector>

class QLabel;

QT_BEGIN_NAMESPACE
class QChart;
class QChartView;
class QLineSeries;
QT_END_NAMESPACE

namespace swb {

// HR@K, MRR@K and NDCG@K against K = 1..50 for each next-item model: a colour per model, a line
// style per metric. Below the chart, each model's catalogue coverage and unseen targets.
class RankingChart : public QWidget
{
    Q_OBJECT
public:
    enum Metric
    {
        Hr,
        Mrr,
        Ndcg
    };

    explicit RankingChart(QWidget* parent = nullptr);

    // Evaluations with a ranking report (others are ignored).
    void setEvaluations(const std::vector<ModelEvaluationPtr>& evaluations);
    void clear();

    QChart* chart() const;
    // The line of a model's metric, or null.
    QLineSeries* series(const QString& model, Metric metric) const;
    QString infoText() const;
    ChartExporter* exporter() const { return m_exporter; }

signals:
    void exported(const QString& path);
    void exportFailed(const QString& message);

private:
    ChartTable table() const;

    std::vector<ModelEvaluationPtr> m_evaluations;
    std::vector<std::array<QLineSeries*, 3>> m_series;
    QChartView* m_view = nullptr;
    ChartExporter* m_exporter = nullptr;
    QLabel* m_info = nullptr;
};

} // namespace swb
