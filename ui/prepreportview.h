#pragma once

#include "core/data/workspace.h"

#include <QGroupBox>
#include <QJsonObject>
#include <QList>
#include <QString>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QStandardItemModel;
class QTabWidget;
class QTableView;

QT_BEGIN_NAMESPACE
class QChart;
QT_END_NAMESPACE

namespace swb {

// The report of a preparation run: a title line, the steps table with a stacked bar chart of the
// rows each step kept and removed (by reason), the split sizes, and the stored settings as JSON
// with Copy and Use These Settings.
class PrepReportView : public QGroupBox
{
    Q_OBJECT
public:
    explicit PrepReportView(QWidget* parent = nullptr);
    ~PrepReportView() override;

    void showRun(const RunInfo& run);
    void clear();
    // The run shown, empty when none.
    QString shownRun() const { return m_shownRun; }
    // The settings of the run shown, as stored.
    QJsonObject shownConfig() const { return m_shownConfig; }
    // While busy, Use These Settings is disabled.
    void setBusy(bool busy);

    QStandardItemModel* stepsModel() const { return m_stepsModel; }
    QStandardItemModel* splitModel() const { return m_splitModel; }

    // The widgets in tab order.
    QList<QWidget*> tabChain() const;

signals:
    void useSettingsRequested();
    void statusMessage(const QString& message);

private:
    QWidget* createStepsTab();
    QWidget* createSplitTab();
    QWidget* createConfigTab();
    void updateButtons();
    void fillSteps(const QJsonObject& report);
    void fillChart(const QJsonObject& report);
    void fillSplit(const QJsonObject& report);
    void copyConfig();

    QString m_shownRun;
    QJsonObject m_shownConfig;
    bool m_busy = false;

    QLabel* m_reportTitle = nullptr;
    QTabWidget* m_reportTabs = nullptr;
    QStandardItemModel* m_stepsModel = nullptr;
    QTableView* m_stepsView = nullptr;
    QChart* m_chart = nullptr;
    QStandardItemModel* m_splitModel = nullptr;
    QTableView* m_splitView = nullptr;
    QLabel* m_splitSummary = nullptr;
    QPlainTextEdit* m_configText = nullptr;
    QPushButton* m_copyButton = nullptr;
    QPushButton* m_useSettingsButton = nullptr;
};

} // namespace swb
