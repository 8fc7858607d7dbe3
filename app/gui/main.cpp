// The GUI front end: argument parsing and wiring only.

#include "ui/mainwindow.h"
#include "ui/settings.h"

#include "core/data/workspace.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QIcon>
#include <QLibraryInfo>
#include <QLocale>
#include <QTimer>
#include <QTranslator>

int main(int argc, char* argv[])
{
    // swb_ui is a static library: its resources must be pulled in explicitly.
    Q_INIT_RESOURCE(resources);

    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("scenewb"));
    QApplication::setOrganizationDomain(QStringLiteral("scenewb.github.io"));
    QApplication::setApplicationName(QStringLiteral("scene-workbench"));
    QApplication::setApplicationDisplayName(QApplication::translate("main", "Scene Workbench"));
    QApplication::setApplicationVersion(QStringLiteral(SWB_VERSION));
    QApplication::setDesktopFileName(QStringLiteral(SWB_APP_ID));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/scene-workbench.svg")));

    QTranslator qtTranslator;
    if (qtTranslator.load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
                          QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qtTranslator);
    QTranslator translator;
    if (translator.load(QLocale(), QStringLiteral("scene-workbench"), QStringLiteral("_"),
                        QStringLiteral(":/translations")))
        QApplication::installTranslator(&translator);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main", "Desktop workbench for e-commerce behaviour logs and scene models."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption workspaceOption(
        QStringLiteral("workspace"),
        QApplication::translate("main", "Use the workspace file <path> (created when missing)."),
        QApplication::translate("main", "path"));
    parser.addOption(workspaceOption);
    parser.addPositionalArgument(
        QStringLiteral("files"),
        QApplication::translate("main", "Logs to import with their detected format (or to show, when the "
                                        "workspace already has a dataset of that name)."),
        QStringLiteral("[file...]"));
    parser.process(app);

    QString workspace = parser.value(workspaceOption);
    if (workspace.isEmpty())
        workspace = swb::Settings::lastWorkspace();
    if (workspace.isEmpty())
        workspace = swb::Workspace::defaultPath();

    swb::MainWindow window;
    window.show();
    const bool opened = window.openWorkspace(QFileInfo(workspace).absoluteFilePath());
    QStringList files;
    for (const QString& file : parser.positionalArguments())
        files << QFileInfo(file).absoluteFilePath();
    if (opened && !files.isEmpty())
        QTimer::singleShot(0, &window, [&window, files]() { window.importFiles(files); });
    return QApplication::exec();
}
