#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace swb {

// Every persistent preference of the GUI, typed, in one place. Backed by QSettings with the
// organisation and application names set in main(); nothing else in ui/ touches QSettings.
class Settings
{
public:
    static constexpr int kMaxRecentFiles = 10;

    // Most recent first, at most kMaxRecentFiles, no duplicates.
    static QStringList recentFiles();
    static void addRecentFile(const QString& path);
    static void removeRecentFile(const QString& path);
    static void clearRecentFiles();

    // Empty when never set.
    static QString lastWorkspace();
    static void setLastWorkspace(const QString& path);

    // Folder of the last opened log (home when never set).
    static QString lastOpenDir();
    static void setLastOpenDir(const QString& dir);

    static QByteArray windowGeometry();
    static void setWindowGeometry(const QByteArray& geometry);
    static QByteArray windowState();
    static void setWindowState(const QByteArray& state);
    static QByteArray dataPageSplitter();
    static void setDataPageSplitter(const QByteArray& state);
};

} // namespace swb
