#include "settings.h"

#include <QDir>
#include <QSettings>

namespace swb {

namespace {

// The keys, spelled once.
QString keyRecentFiles()
{
    return QStringLiteral("files/recent");
}
QString keyLastOpenDir()
{
    return QStringLiteral("files/lastOpenDir");
}
QString keyLastWorkspace()
{
    return QStringLiteral("workspace/last");
}
QString keyGeometry()
{
    return QStringLiteral("mainWindow/geometry");
}
QString keyState()
{
    return QStringLiteral("mainWindow/state");
}
QString keyDataSplitter()
{
    return QStringLiteral("dataPage/splitter");
}

void setRecent(const QStringList& files)
{
    QSettings().setValue(keyRecentFiles(), files.mid(0, Settings::kMaxRecentFiles));
}

} // namespace

QStringList Settings::recentFiles()
{
    return QSettings().value(keyRecentFiles()).toStringList().mid(0, kMaxRecentFiles);
}

void Settings::addRecentFile(const QString& path)
{
    QStringList files = recentFiles();
    files.removeAll(path);
    files.prepend(path);
    setRecent(files);
}

void Settings::removeRecentFile(const QString& path)
{
    QStringList files = recentFiles();
    files.removeAll(path);
    setRecent(files);
}

void Settings::clearRecentFiles()
{
    QSettings().remove(keyRecentFiles());
}

QString Settings::lastWorkspace()
{
    return QSettings().value(keyLastWorkspace()).toString();
}

void Settings::setLastWorkspace(const QString& path)
{
    QSettings().setValue(keyLastWorkspace(), path);
}

QString Settings::lastOpenDir()
{
    return QSettings().value(keyLastOpenDir(), QDir::homePath()).toString();
}

void Settings::setLastOpenDir(const QString& dir)
{
    QSettings().setValue(keyLastOpenDir(), dir);
}

QByteArray Settings::windowGeometry()
{
    return QSettings().value(keyGeometry()).toByteArray();
}

void Settings::setWindowGeometry(const QByteArray& geometry)
{
    QSettings().setValue(keyGeometry(), geometry);
}

QByteArray Settings::windowState()
{
    return QSettings().value(keyState()).toByteArray();
}

void Settings::setWindowState(const QByteArray& state)
{
    QSettings().setValue(keyState(), state);
}

QByteArray Settings::dataPageSplitter()
{
    return QSettings().value(keyDataSplitter()).toByteArray();
}

void Settings::setDataPageSplitter(const QByteArray& state)
{
    QSettings().setValue(keyDataSplitter(), state);
}

} // namespace swb
