#include "mainwindow.h"

#include "analysepage.h"
#include "datapage.h"
#include "evaluatepage.h"
#include "importdialog.h"
#include "plannedpage.h"
#include "preparepage.h"
#include "settings.h"
#include "trainpage.h"

#include "core/data/workspace.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QStackedWidget>
#include <QStatusBar>

#include <algorithm>

namespace swb {

namespace {

QStringList localFiles(const QMimeData* mime)
{
    QStringList files;
    if (!mime || !mime->hasUrls())
        return files;
    for (const QUrl& url : mime->urls()) {
        if (url.isLocalFile() && QFileInfo(url.toLocalFile()).isFile())
            files << url.toLocalFile();
    }
    return files;
}

} // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Scene Workbench"));
    setAcceptDrops(true);
    createPages();
    createMenus();

    m_workspaceLabel = new QLabel(this);
    m_workspaceLabel->setObjectName(QStringLiteral("workspaceLabel"));
    statusBar()->addPermanentWidget(m_workspaceLabel);
    const auto showStatus = [this](const QString& text) {
        statusBar()->showMessage(text, 8000);
    };
    connect(m_dataPage, &DataPage::statusMessage, this, showStatus);
    connect(m_dataPage, &DataPage::importRequested, this, &MainWindow::chooseLog);
    connect(m_dataPage, &DataPage::importFinished, m_preparePage, &PreparePage::refresh);
    connect(m_dataPage, &DataPage::importFinished, m_analysePage, &AnalysePage::refresh);
    connect(m_preparePage, &PreparePage::runFinished, m_analysePage, &AnalysePage::refresh);
    connect(m_preparePage, &PreparePage::statusMessage, this, showStatus);
    connect(m_analysePage, &AnalysePage::statusMessage, this, showStatus);
    connect(m_preparePage, &PreparePage::runFinished, m_trainPage, &TrainPage::refresh);
    connect(m_preparePage, &PreparePage::runRemoved, m_trainPage, &TrainPage::refresh);
    connect(m_trainPage, &TrainPage::statusMessage, this, showStatus);
    connect(m_evaluatePage, &EvaluatePage::statusMessage, this, showStatus);
    connect(m_trainPage, &TrainPage::modelTrained, m_evaluatePage, &EvaluatePage::refresh);
    connect(m_dataPage, &DataPage::importFinished, this, &MainWindow::updateRecentMenu);

    resize(1280, 800);
    restoreGeometry(Settings::windowGeometry());
    restoreState(Settings::windowState());
    m_dataPage->restoreState();
}

MainWindow::~MainWindow() = default;

void MainWindow::createPages()
{
    m_navigation = new QListWidget(this);
    m_navigation->setObjectName(QStringLiteral("navigation"));
    m_navigation->setFixedWidth(150);
    m_navigation->setSpacing(2);
    m_pages = new QStackedWidget(this);
    m_dataPage = new DataPage(m_pages);
    m_preparePage = new PreparePage(m_pages);
    m_analysePage = new AnalysePage(m_pages);
    m_trainPage = new TrainPage(m_pages);
    m_evaluatePage = new EvaluatePage(m_pages);

    struct Planned
    {
        QString title;
        QString description;
    };
    const Planned planned[] = {
        {tr("Simulate"), tr("One user session replayed event by event, each event routed to its recognised "
                            "scene and that scene's model.")},
        {tr("Models"),
         tr("The trained models of the workspace, and their export as self-contained bundles.")},
    };
    m_navigation->addItem(tr("Data"));
    m_pages->addWidget(m_dataPage);
    m_navigation->addItem(tr("Prepare"));
    m_pages->addWidget(m_preparePage);
    m_navigation->addItem(tr("Analyse"));
    m_pages->addWidget(m_analysePage);
    m_navigation->addItem(tr("Train"));
    m_pages->addWidget(m_trainPage);
    m_navigation->addItem(tr("Evaluate"));
    m_pages->addWidget(m_evaluatePage);
    for (const Planned& page : planned) {
        m_navigation->addItem(page.title);
        m_pages->addWidget(new PlannedPage(page.title, page.description, m_pages));
    }
    for (int i = 0; i < m_navigation->count(); ++i)
        m_navigation->item(i)->setSizeHint(QSize(0, fontMetrics().height() * 2 + 4));
    connect(m_navigation, &QListWidget::currentRowChanged, m_pages, &QStackedWidget::setCurrentIndex);
    m_navigation->setCurrentRow(DataPageIndex);

    auto* central = new QWidget(this);
    auto* layout = new QHBoxLayout(central);
    layout->setContentsMargins(4, 4, 4, 0);
    layout->addWidget(m_navigation);
    layout->addWidget(m_pages, 1);
    setCentralWidget(central);
}

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* openLog = file->addAction(tr("&Open Log…"), this, &MainWindow::chooseLog);
    openLog->setShortcut(QKeySequence::Open);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    updateRecentMenu();
    file->addSeparator();
    file->addAction(tr("&New Workspace…"), this, &MainWindow::newWorkspace);
    file->addAction(tr("Open &Workspace…"), this, &MainWindow::chooseWorkspace);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    quit->setMenuRole(QAction::QuitRole);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    for (int i = 0; i < m_navigation->count(); ++i) {
        QAction* action = view->addAction(m_navigation->item(i)->text(), this, [this, i]() { showPage(i); });
        action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
    }

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Scene Workbench"), this, &MainWindow::about)->setMenuRole(QAction::AboutRole);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt)->setMenuRole(QAction::AboutQtRole);
}

void MainWindow::updateRecentMenu()
{
    m_recentMenu->clear();
    const QStringList files = Settings::recentFiles();
    for (const QString& path : files) {
        QAction* action = m_recentMenu->addAction(QDir::toNativeSeparators(path), this, [this, path]() {
            if (!QFileInfo::exists(path)) {
                Settings::removeRecentFile(path);
                updateRecentMenu();
                statusBar()->showMessage(tr("%1 no longer exists.").arg(path), 8000);
                return;
            }
            openLog(path);
        });
        action->setToolTip(path);
    }
    if (!files.isEmpty())
        m_recentMenu->addSeparator();
    QAction* clear = m_recentMenu->addAction(tr("&Clear Recent Files"), this, [this]() {
        Settings::clearRecentFiles();
        updateRecentMenu();
    });
    clear->setEnabled(!files.isEmpty());
}

bool MainWindow::openWorkspace(const QString& path)
{
    auto opened = Workspace::open(path);
    if (!opened) {
        QMessageBox::warning(
            this, tr("Cannot open the workspace"),
            tr("The workspace %1 cannot be opened:\n%2").arg(path, opened.error().toString()));
        return false;
    }
    m_workspace = std::shared_ptr<Workspace>(std::move(opened.value()));
    Settings::setLastWorkspace(m_workspace->path());
    m_workspaceLabel->setText(tr("Workspace: %1").arg(QDir::toNativeSeparators(m_workspace->path())));
    setWindowTitle(tr("%1 — Scene Workbench").arg(QFileInfo(m_workspace->path()).fileName()));
    m_dataPage->setWorkspace(m_workspace);
    m_preparePage->setWorkspace(m_workspace);
    m_analysePage->setWorkspace(m_workspace);
    m_trainPage->setWorkspace(m_workspace);
    m_evaluatePage->setWorkspace(m_workspace);
    return true;
}

QString MainWindow::workspacePath() const
{
    return m_workspace ? m_workspace->path() : QString();
}

ImportDialog* MainWindow::openLog(const QString& path)
{
    showPage(DataPageIndex);
    Settings::setLastOpenDir(QFileInfo(path).absolutePath());
    Settings::addRecentFile(QFileInfo(path).absoluteFilePath());
    updateRecentMenu();
    auto* dialog = new ImportDialog(path, m_workspace, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this,
            [this, dialog]() { m_dataPage->startImport(dialog->options(), dialog->datasetName()); });
    dialog->open();
    return dialog;
}

void MainWindow::openLogs(const QStringList& paths)
{
    if (paths.isEmpty())
        return;
    const bool yoochoosePair =
        paths.size() > 1 && std::all_of(paths.begin(), paths.end(), [](const QString& path) {
            const auto preview = previewFile(path, 20);
            return preview && preview->detection &&
                   preview->detection->spec.name.startsWith(QLatin1String("yoochoose"));
        });
    ImportDialog* dialog = openLog(paths.constFirst());
    if (yoochoosePair) {
        dialog->setCompanions(paths.mid(1));
        return;
    }
    if (paths.size() > 1)
        connect(dialog, &QDialog::finished, this, [this, rest = paths.mid(1)]() { openLogs(rest); });
}

void MainWindow::importFiles(const QStringList& paths)
{
    showPage(DataPageIndex);
    for (const QString& path : paths)
        m_dataPage->importOrShow(path);
}

void MainWindow::chooseLog()
{
    const QStringList paths =
        QFileDialog::getOpenFileNames(this, tr("Open Log"), Settings::lastOpenDir(),
                                      tr("Behaviour logs (*.csv *.tsv *.txt *.dat *.gz);;All files (*)"));
    openLogs(paths);
}

void MainWindow::newWorkspace()
{
    QString path = QFileDialog::getSaveFileName(
        this, tr("New Workspace"), QFileInfo(workspacePath()).absolutePath(), tr("Workspaces (*.swb)"));
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".swb");
    openWorkspace(path);
}

void MainWindow::chooseWorkspace()
{
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Open Workspace"), QFileInfo(workspacePath()).absolutePath(),
                                     tr("Workspaces (*.swb);;All files (*)"));
    if (!path.isEmpty())
        openWorkspace(path);
}

void MainWindow::showPage(int page)
{
    if (page >= 0 && page < m_navigation->count())
        m_navigation->setCurrentRow(page);
}

int MainWindow::currentPage() const
{
    return m_pages->currentIndex();
}

void MainWindow::about()
{
    QMessageBox::about(this, tr("About Scene Workbench"),
                       tr("<h3>Scene Workbench %1</h3>"
                          "<p>A desktop workbench for e-commerce behaviour logs: import, prepare and analyse "
                          "them, train scene models and evaluate them.</p>"
                          "<p>The sample data is from the REES46 Marketing Platform (rees46.com).</p>")
                           .arg(QStringLiteral(SWB_VERSION)));
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    // A running job is cancelled; its worker is waited for when the page is destroyed.
    m_dataPage->cancelJobs();
    m_preparePage->cancelRun();
    m_analysePage->cancel();
    m_trainPage->cancelAll();
    m_evaluatePage->cancel();
    Settings::setWindowGeometry(saveGeometry());
    Settings::setWindowState(saveState());
    m_dataPage->saveState();
    QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (!localFiles(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const QStringList files = localFiles(event->mimeData());
    if (files.isEmpty())
        return;
    event->acceptProposedAction();
    openLogs(files);
}

} // namespace swb
