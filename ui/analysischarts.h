#pragma once

#include "analysischartdata.h"
#include "chartexport.h"

#include "core/analysis/analysis.h"

#include <QString>
#include <QWidget>

#include <array>
#include <memory>
#include <vector>

class QLabel;
class QTabWidget;

QT_BEGIN_NAMESPACE
class QChart;
class QChartView;
QT_END_NAMESPACE

namespace swb {

// One analysis as charts, one per tab, each with a line saying what it shows and its export
// buttons (also in the chart's context menu). Built on the GUI thread from the numbers the worker
// computed; nothing is computed here.
class AnalysisCharts : public QWidget
{
    Q_OBJECT
public:
    explicit AnalysisCharts(QWidget* parent = nullptr);
    ~AnalysisCharts() override;

    // sourceName names the dataset or run in the chart titles and the suggested file names.
    void setAnalysis(std::shared_ptr<const BehaviourAnalysis> analysis, const DailySeries& daily,
                     const QString& sourceName);
    void clear();
    const BehaviourAnalysis* analysis() const { return m_analysis.get(); }

    QTabWidget* tabs() const { return m_tabs; }
    QChartView* view(AnalysisChart chart) const { return m_panels[std::size_t(chart)].view; }
    QChart* chart(AnalysisChart chart) const;
    ChartExporter* exporter(AnalysisChart chart) const { return m_panels[std::size_t(chart)].exporter; }

signals:
    void exported(const QString& path);
    void exportFailed(const QString& message);

private:
    struct Panel
    {
        QChartView* view = nullptr;
        QLabel* note = nullptr;
        ChartExporter* exporter = nullptr;
    };
    QWidget* createPanel(AnalysisChart chart, const QString& note);
    void resetChart(AnalysisChart chart, const QString& title);

    void fillFunnel(const BehaviourAnalysis& a);
    void fillHourly(const BehaviourAnalysis& a);
    void fillDaily(const DailySeries& daily);
    void fillSessionLength(const BehaviourAnalysis& a);
    void fillBehaviours(const BehaviourAnalysis& a);
    void fillTop(AnalysisChart chart, const std::vector<TopEntry>& entries, const QString& what);

    std::shared_ptr<const BehaviourAnalysis> m_analysis;
    QString m_sourceName;
    QTabWidget* m_tabs = nullptr;
    std::array<Panel, kAnalysisChartCount> m_panels{};
};

} // namespace swb
