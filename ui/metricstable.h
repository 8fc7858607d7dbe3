#pragma once

#include "chartexport.h"
#include "evaluatejob.h"

#include <QWidget>

#include <vector>

class QStandardItemModel;
class QTableView;

namespace swb {

// The chosen models side by side: a row per metric, a column per model. Classification: cases,
// accuracy, macro / micro / weighted precision, recall and F1, ROC-AUC, PR-AUC (average
// precision), log loss, threshold, then each class's precision, recall, F1 and support.
// Next-item: cases, HR, recall, precision, MRR and NDCG at 10 and 20, coverage, unseen targets.
class MetricsTable : public QWidget
{
    Q_OBJECT
public:
    explicit MetricsTable(QWidget* parent = nullptr);

    void setEvaluations(const std::vector<ModelEvaluationPtr>& evaluations);
    void clear();

    QStandardItemModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    // The table as CSV rows: metric, then one column per model; numbers unrounded.
    ChartTable table() const;

private:
    void addRow(const QString& name, const std::vector<std::optional<double>>& values, bool count = false);

    QStandardItemModel* m_model = nullptr;
    QTableView* m_view = nullptr;
    ChartTable m_table;
};

} // namespace swb
