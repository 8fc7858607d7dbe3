#pragma once

#include "evaluatejob.h"

#include <QTabWidget>
#include <QWidget>

#include <array>

#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;

namespace swb {

class ClassMetricsChart;
class ConfusionHeatmap;
class MetricsTable;
class RankingChart;
class ThresholdCurves;

// The Evaluate page's results for the models shown (all of one task, on one split): tabs for the
// per-class bars, the confusion heatmap, the ROC / PR curves with the threshold (purchase), the
// ranking curves (next-item) and the side-by-side table, and the exports of the metrics (CSV,
// JSON) and of one model's predictions (CSV). Only the tabs that fit the task are shown.
class EvaluateResults : public QWidget
{
    Q_OBJECT
public:
    enum Tab
    {
        PerClassTab,
        ConfusionTab,
        CurvesTab,
        RankingTab,
        TableTab
    };

    explicit EvaluateResults(QWidget* parent = nullptr);

    void setEvaluations(std::vector<ModelEvaluationPtr> evaluations);
    void clear();
    const std::vector<ModelEvaluationPtr>& evaluations() const { return m_evaluations; }

    // One line naming the models shown, their runs and cases, then any notes on undefined
    // metrics; rich text.
    QString summary(const QString& splitName) const;

    // The model the confusion matrix, the stored-threshold button and the predictions export are
    // about. False when no such model is shown.
    bool setCurrentModel(const QString& name);
    QString currentModel() const;

    QTabWidget* tabs() const { return m_tabs; }
    // Whether the tab is there for the models shown (the task decides).
    bool isTabShown(Tab tab) const { return isTabShown(m_pages[std::size_t(tab)]); }
    void showTab(Tab tab) { m_tabs->setCurrentWidget(m_pages[std::size_t(tab)]); }
    ClassMetricsChart* classMetrics() const { return m_classMetrics; }
    ConfusionHeatmap* heatmap() const { return m_heatmap; }
    QCheckBox* normalisedBox() const { return m_normalised; }
    ThresholdCurves* curves() const { return m_curves; }
    RankingChart* ranking() const { return m_ranking; }
    MetricsTable* metricsTable() const { return m_table; }

    // Without a dialog. False (with exportFailed) on a write error.
    bool exportMetricsCsv(const QString& path);
    // One model: the object `scenewb evaluate --json` prints; several: an array of them.
    bool exportMetricsJson(const QString& path);
    // The current model's predictions, as `scenewb evaluate --predictions` writes them.
    bool exportPredictions(const QString& path);
    bool exportHeatmapPng(const QString& path);
    bool exportHeatmapSvg(const QString& path);
    bool exportHeatmapCsv(const QString& path);

signals:
    void exported(const QString& path);
    void exportFailed(const QString& message);

private:
    QWidget* createConfusionTab();
    QWidget* createTableTab();
    void updateHeatmap();
    const ModelEvaluation* current() const;
    bool isTabShown(QWidget* page) const;
    bool finish(const Status& status, const QString& path);
    void choose(const QString& title, const QString& filter, const QString& suffix, const QString& stem,
                bool (EvaluateResults::*write)(const QString&));

    std::vector<ModelEvaluationPtr> m_evaluations;
    QComboBox* m_model = nullptr;
    QLabel* m_modelLabel = nullptr;
    QPushButton* m_predictionsButton = nullptr;
    QTabWidget* m_tabs = nullptr;
    std::array<QWidget*, 5> m_pages{};
    std::array<QString, 5> m_titles;
    ClassMetricsChart* m_classMetrics = nullptr;
    ConfusionHeatmap* m_heatmap = nullptr;
    QCheckBox* m_normalised = nullptr;
    QLabel* m_confusionNote = nullptr;
    ThresholdCurves* m_curves = nullptr;
    RankingChart* m_ranking = nullptr;
    MetricsTable* m_table = nullptr;
};

} // namespace swb
