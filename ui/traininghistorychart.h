#pragma once

#include "core/models/nn/trainer.h"

#include <QString>
#include <QWidget>

#include <vector>

class QLabel;

QT_BEGIN_NAMESPACE
class QChartView;
class QLineSeries;
class QValueAxis;
QT_END_NAMESPACE

namespace swb {

class ChartExporter;

// The training history of one model, per epoch: training and validation loss in one chart and
// the validation metric in a second one (hidden, with a note, when the metric is the validation
// loss itself). Grows epoch by epoch while a job runs. Models trained without epochs (majority,
// pop, rules, sknn) get a note instead of an empty chart. Both charts export as PNG, SVG and CSV.
class TrainingHistoryChart : public QWidget
{
    Q_OBJECT
public:
    explicit TrainingHistoryChart(QWidget* parent = nullptr);
    ~TrainingHistoryChart() override;

    // Nothing shown; the note says why (e.g. "Start a job to see its training history").
    void clear(const QString& note);
    // The history so far of the model `title`; plannedEpochs sizes the epoch axis (at least the
    // epochs shown); bestEpoch (0: not known yet) is the epoch whose weights the model keeps.
    void showHistory(const QString& title, const std::vector<nn::EpochStats>& history, int plannedEpochs,
                     int bestEpoch = 0);
    // One more epoch of the model shown.
    void appendEpoch(const nn::EpochStats& stats);
    // A model trained without epochs.
    void showNoEpochs(const QString& title, const QString& kind);
    void setFileStem(const QString& stem);

    int epochCount() const { return int(m_history.size()); }
    QString note() const;
    bool isMetricShown() const;
    QLineSeries* trainLossSeries() const { return m_trainLoss; }
    QLineSeries* validationLossSeries() const { return m_valLoss; }
    QLineSeries* metricSeries() const { return m_metric; }
    QChartView* lossView() const { return m_lossView; }
    QChartView* metricView() const { return m_metricView; }

signals:
    void exported(const QString& path);
    void exportFailed(const QString& message);

private:
    QWidget* createPanel(QChartView*& view, const QString& yTitle, QValueAxis*& xAxis, QValueAxis*& yAxis);
    void addPoint(const nn::EpochStats& stats);
    void updateAxes();
    void updateMetricPanel();

    std::vector<nn::EpochStats> m_history;
    int m_plannedEpochs = 0;
    QString m_title; // the model's or job's name, in the charts' titles
    QLabel* m_note = nullptr;
    QWidget* m_lossPanel = nullptr;
    QWidget* m_metricPanel = nullptr;
    QChartView* m_lossView = nullptr;
    QChartView* m_metricView = nullptr;
    ChartExporter* m_lossExporter = nullptr;
    ChartExporter* m_metricExporter = nullptr;
    QLineSeries* m_trainLoss = nullptr;
    QLineSeries* m_valLoss = nullptr;
    QLineSeries* m_metric = nullptr;
    QValueAxis* m_lossX = nullptr;
    QValueAxis* m_lossY = nullptr;
    QValueAxis* m_metricX = nullptr;
    QValueAxis* m_metricY = nullptr;
};

} // namespace swb
