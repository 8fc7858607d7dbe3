#include "testsupport.h"

#include "core/data/workspace.h"
#include "core/io/importer.h"
#include "core/jobs/progress.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QProcess>

#include <cstdio>

namespace swb::test {

QString sharedDataDir()
{
    const QString dir = QDir::cleanPath(QStringLiteral(SWB_SHARED_DATA));
    if (!QFileInfo(dir).isDir()) {
        std::fprintf(stderr,
                     "The real samples are missing: expected the folder %s (../shared/data beside "
                     "the source tree).\n",
                     qPrintable(dir));
        return {};
    }
    return dir;
}

QString sharedDataFile(const QString& name)
{
    const QString dir = sharedDataDir();
    return dir.isEmpty() ? QString() : dir + QLatin1Char('/') + name;
}

QJsonObject CliRun::json() const
{
    return QJsonDocument::fromJson(out).object();
}

CliRun runCli(const QStringList& args, const QProcessEnvironment& env)
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(cliPath(), args);
    const bool finished = p.waitForFinished(120000);
    return CliRun{finished && p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
                  p.readAllStandardOutput(), p.readAllStandardError()};
}

QString testDataFile(const QString& relativePath)
{
    return QStringLiteral(SWB_TEST_DATA) + QLatin1Char('/') + relativePath;
}

QString cliPath()
{
    return QStringLiteral(SWB_CLI_PATH);
}

bool writeRepeatedTaobaoSample(const QString& path, int copies)
{
    QFile in(sharedDataFile(QStringLiteral("taobao-userbehavior-head.csv")));
    if (!in.open(QIODevice::ReadOnly))
        return false;
    const QByteArray sample = in.readAll();
    QFile out(path);
    if (!out.open(QIODevice::WriteOnly))
        return false;
    for (int i = 0; i < copies; ++i) {
        if (out.write(sample) != sample.size())
            return false;
    }
    return true;
}

Result<std::shared_ptr<EventTable>> importIntoWorkspace(const QString& workspacePath, const QString& file,
                                                        const QString& dataset)
{
    ImportOptions options;
    options.files = {file};
    NullProgress progress;
    const CancelToken cancel;
    auto imported = importLog(options, progress, cancel);
    if (!imported)
        return imported.error();
    auto workspace = Workspace::open(workspacePath);
    if (!workspace)
        return workspace.error();
    auto stored =
        workspace.value()->storeDataset(dataset, *imported->table, imported->report, progress, cancel);
    if (!stored)
        return stored.error();
    return imported->table;
}

} // namespace swb::test
