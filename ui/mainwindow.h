#pragma once

#include <QMainWindow>

#include <memory>

class QLabel;
class QListWidget;
class QMenu;
class QStackedWidget;

namespace swb {

class DataPage;
class PreparePage;
class TrainPage;
class AnalysePage;
class EvaluatePage;
class ImportDialog;
class Workspace;

// The workbench window: a page per part of the job, chosen in the side list, and the menus.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    enum Page
    {
        DataPageIndex,
        PreparePageIndex,
        AnalysePageIndex,
        TrainPageIndex,
        EvaluatePageIndex,
        SimulatePageIndex,
        ModelsPageIndex,
        PageCount
    };

    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens (or creates) the workspace file; shows why not and returns false on failure.
    bool openWorkspace(const QString& path);
    QString workspacePath() const;
    std::shared_ptr<Workspace> workspace() const { return m_workspace; }

    // Shows the import preview of a log (window-modal, not blocking); accepting it starts the import.
    ImportDialog* openLog(const QString& path);
    // Previews the files one after another; YOOCHOOSE clicks and buys dropped together become one
    // dataset (one preview).
    void openLogs(const QStringList& paths);
    // Imports logs straight away with the detected format (or shows those already imported).
    void importFiles(const QStringList& paths);

    void showPage(int page);
    int currentPage() const;
    DataPage* dataPage() const { return m_dataPage; }
    PreparePage* preparePage() const { return m_preparePage; }
    AnalysePage* analysePage() const { return m_analysePage; }
    TrainPage* trainPage() const { return m_trainPage; }
    EvaluatePage* evaluatePage() const { return m_evaluatePage; }

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createPages();
    void createMenus();
    void updateRecentMenu();
    void chooseLog();
    void newWorkspace();
    void chooseWorkspace();
    void about();

    std::shared_ptr<Workspace> m_workspace;
    QListWidget* m_navigation = nullptr;
    QStackedWidget* m_pages = nullptr;
    DataPage* m_dataPage = nullptr;
    PreparePage* m_preparePage = nullptr;
    AnalysePage* m_analysePage = nullptr;
    TrainPage* m_trainPage = nullptr;
    EvaluatePage* m_evaluatePage = nullptr;
    QMenu* m_recentMenu = nullptr;
    QLabel* m_workspaceLabel = nullptr;
};

} // namespace swb
