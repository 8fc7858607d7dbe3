#pragma once

#include "analysissourcecombo.h"

#include "core/analysis/analysis.h"
#include "core/data/workspace.h"

#include <QString>
#include <QWidget>

#include <memory>
#include <vector>

class QAction;
class QLabel;
class QPushButton;
class QStackedWidget;
class QStandardItemModel;

namespace swb {

class JobProgressRow;

class MessageBar;

class AnalysisCharts;
class JobRunner;
struct AnalyseOutcome;

// The Analyse page: a dataset or a prepared run of the workspace, analysed in a worker (a run is
// rebuilt from its stored settings, as `scenewb analyse` does), its summary line (events, users,
// sessions and where they come from, buyers, repeat purchase rate) and its charts (funnel, activity
// by hour and day, session lengths, behaviours, top items and categories), each exportable as PNG,
// SVG and CSV. Choosing another source analyses it at once; the latest choice wins.
class AnalysePage : public QWidget
{
    Q_OBJECT
public:
    // What is analysed: a dataset or a prepared run, by name.
    using SourceKind = AnalysisSourceKind;
    using Source = AnalysisSource;

    explicit AnalysePage(QWidget* parent = nullptr);
    ~AnalysePage() override;

    // The page lists datasets and runs through this connection (GUI thread only); the worker opens
    // its own connection on the same path. A running analysis is dropped.
    void setWorkspace(std::shared_ptr<Workspace> workspace);
    // Opens a connection of its own on the path. False (with the reason shown on the page) when
    // the workspace cannot be opened.
    bool setWorkspacePath(const QString& path);
    QString workspacePath() const;

    Source currentSource() const;
    // Chooses the source in the list (which analyses it once the page is visible). False when the
    // workspace has no such dataset or run.
    bool selectSource(const Source& source);
    bool selectDataset(const QString& name) { return selectSource({SourceKind::Dataset, name}); }
    bool selectRun(const QString& name) { return selectSource({SourceKind::Run, name}); }

    // The analysis on screen (null when none) and what it is of.
    const BehaviourAnalysis* shownAnalysis() const { return m_shown.get(); }
    Source shownSource() const { return m_shownSource; }
    bool isBusy() const;
    // The summary line and the message bar (errors and notices; empty when hidden), as shown.
    QString summaryText() const;
    QString message() const;
    AnalysisCharts* charts() const { return m_charts; }
    // The source list's model: group headers (not selectable) and one row per dataset and run.
    QStandardItemModel* sourceModel() const { return m_sourceCombo->sourceModel(); }

public slots:
    // Re-reads the datasets and runs, keeping the choice; analyses again if the choice had to change.
    void refresh();
    // Analyses the chosen source in the background (again, if it is shown already).
    void analyse();
    // Asks the running analysis to stop; the page goes idle once the worker has stopped.
    void cancel();

signals:
    void busyChanged(bool busy);
    void analysisFinished(const QString& name);
    void analysisFailed(const QString& message);
    void analysisCancelled();
    void statusMessage(const QString& message);

protected:
    void showEvent(QShowEvent* event) override;

private:
    QWidget* createSourceRow();
    QWidget* createProgressRow();
    void setUpTabOrder();

    // Re-reads the lists and chooses `preferred` if it is still there.
    void reload(const Source& preferred);
    void onSourceChanged();
    void requestAnalysis();
    void startAnalysis(const Source& source);
    void onAnalysisDone(const Source& source, Result<std::shared_ptr<const AnalyseOutcome>> result);
    void display(const Source& source, const std::shared_ptr<const AnalyseOutcome>& outcome);
    void showPlaceholder(const QString& text);
    QString sourceLabel(const Source& source) const;
    QString summary(const Source& source, const AnalyseOutcome& outcome) const;

    void showMessage(const QString& text, bool error);
    void hideMessage();
    void updateBusy();
    void updateEnabled();
    void onProgress(qint64 done, qint64 total, const QString& stage);

    std::shared_ptr<Workspace> m_workspace;
    AnalysisOptions m_options;

    Source m_shownSource;
    QString m_shownKey;
    std::shared_ptr<const BehaviourAnalysis> m_shown;
    std::vector<std::shared_ptr<const AnalyseOutcome>> m_cache; // oldest first
    Source m_runningSource;
    bool m_pending = false; // the choice changed while the page was hidden
    bool m_busy = false;

    JobRunner* m_runner = nullptr;

    MessageBar* m_message = nullptr;
    AnalysisSourceCombo* m_sourceCombo = nullptr;
    QPushButton* m_analyseButton = nullptr;
    QAction* m_analyseAction = nullptr;
    QLabel* m_summary = nullptr;
    QStackedWidget* m_stack = nullptr;
    QLabel* m_placeholder = nullptr;
    AnalysisCharts* m_charts = nullptr;

    JobProgressRow* m_progressRow = nullptr;
    QAction* m_cancelAction = nullptr;
};

} // namespace swb
