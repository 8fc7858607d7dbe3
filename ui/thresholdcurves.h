#pragma once

#include "chartexport.h"
#include "evaluatejob.h"

#include <QWidget>

#include <vector>

class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSlider;

QT_BEGIN_NAMESPACE
class QChart;
class QChartView;
class QLineSeries;
class QScatterSeries;
QT_END_NAMESPACE

namespace swb {

// ROC and precision-recall curves of one or more purchase models, overlaid, each with its
// operating point at the threshold set by the slider (or the spin box beside it). Moving the
// threshold updates, live, every model's precision, recall, F1 and accuracy (from
// BinaryScores::atThreshold, O(log n)) and emits thresholdChanged so the page can redraw the
// confusion matrix. The curves are the worker's, already decimated.
class ThresholdCurves : public QWidget
{
    Q_OBJECT
public:
    explicit ThresholdCurves(QWidget* parent = nullptr);

    // Evaluations with binary scores (others are ignored). The threshold starts at the first
    // model's stored (tuned) threshold.
    void setEvaluations(const std::vector<ModelEvaluationPtr>& evaluations);
    void clear();
    bool isEmpty() const { return m_evaluations.empty(); }

    double threshold() const { return m_threshold; }
    // The model whose stored threshold "Use Stored Threshold" goes back to (index in the list given).
    void setCurrentModel(const QString& name);
    // Every model's metrics at the current threshold, in the order given.
    std::vector<ThresholdMetrics> currentMetrics() const;
    QString readoutText() const;

    QChart* rocChart() const;
    QChart* prChart() const;
    QSlider* slider() const { return m_slider; }
    QDoubleSpinBox* spinBox() const { return m_spin; }
    ChartExporter* rocExporter() const { return m_rocExporter; }
    ChartExporter* prExporter() const { return m_prExporter; }

public slots:
    void setThreshold(double threshold);
    void useStoredThreshold();

signals:
    void thresholdChanged(double threshold);
    void exported(const QString& path);
    void exportFailed(const QString& message);

private:
    struct Lines
    {
        QLineSeries* roc = nullptr;
        QLineSeries* pr = nullptr;
        QScatterSeries* rocPoint = nullptr;
        QScatterSeries* prPoint = nullptr;
    };
    QWidget* createChartPanel(QChartView* view, ChartExporter* exporter);
    void setUpChart(QChart* chart, const QString& x, const QString& y);
    void updatePoints();
    ChartTable rocTable() const;
    ChartTable prTable() const;

    std::vector<ModelEvaluationPtr> m_evaluations;
    std::vector<Lines> m_lines;
    double m_threshold = 0.5;
    QString m_currentModel;

    QChartView* m_rocView = nullptr;
    QChartView* m_prView = nullptr;
    ChartExporter* m_rocExporter = nullptr;
    ChartExporter* m_prExporter = nullptr;
    QSlider* m_slider = nullptr;
    QDoubleSpinBox* m_spin = nullptr;
    QPushButton* m_storedButton = nullptr;
    QLabel* m_readout = nullptr;
};

} // namespace swb
