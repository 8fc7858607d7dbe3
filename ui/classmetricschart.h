#pragma once

#include "chartexport.h"
#include "evaluatejob.h"

#include <QWidget>

#include <vector>

class QComboBox;
class QLabel;

QT_BEGIN_NAMESPACE
class QBarSet;
class QChart;
class QChartView;
QT_END_NAMESPACE

namespace swb {

// Precision, recall and F1 per class and their macro, micro and weighted averages as grouped bars.
// One model: a bar set per metric. Several models: a bar set per model, side by side, for the
// metric chosen above the chart. Exports as PNG, SVG and CSV.
class ClassMetricsChart : public QWidget
{
    Q_OBJECT
public:
    enum Metric
    {
        Precision,
        Recall,
        F1
    };

    explicit ClassMetricsChart(QWidget* parent = nullptr);

    // Classification evaluations of one task (others are ignored).
    void setEvaluations(const std::vector<ModelEvaluationPtr>& evaluations);
    void clear();
    // The metric compared when several models are shown.
    void setMetric(Metric metric);

    QChart* chart() const;
    QList<QBarSet*> barSets() const;
    // The categories along the x axis: the classes, then "macro average", "micro average",
    // "weighted average".
    QStringList categories() const { return m_categories; }
    ChartExporter* exporter() const { return m_exporter; }

signals:
    void exported(const QString& path);
    void exportFailed(const QString& message);

private:
    void rebuild();
    ChartTable table() const;
    QString metricName(Metric metric) const;

    std::vector<ModelEvaluationPtr> m_evaluations;
    QStringList m_categories;
    QComboBox* m_metric = nullptr;
    QLabel* m_metricLabel = nullptr;
    QChartView* m_view = nullptr;
    ChartExporter* m_exporter = nullptr;
};

} // namespace swb
