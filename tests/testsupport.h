#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include "core/data/eventtable.h"
#include "core/util/result.h"

#include <memory>

namespace swb::test {

// Folder of the real samples (../shared/data beside the source tree). Empty, with a message
// printed, when it is missing; tests then QFAIL with that message.
QString sharedDataDir();
QString sharedDataFile(const QString& name);
// tests/data in the source tree.
QString testDataFile(const QString& relativePath);
// Path of the built `scenewb` CLI.
QString cliPath();

// One finished run of the CLI.
struct CliRun
{
    int exitCode = -1; // -1 when it crashed or timed out
    QByteArray out;
    QByteArray err;
    QJsonObject json() const;
};
// Runs `scenewb args...` and waits up to two minutes.
CliRun runCli(const QStringList& args,
              const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment());
// Writes `copies` back-to-back copies of the real Taobao sample (84,475 rows each) to path, for
// imports big enough to span many blocks or to be cancelled midway. False when anything fails.
bool writeRepeatedTaobaoSample(const QString& path, int copies);

// Imports a log (format detected) and stores it as a dataset of the workspace at
// workspacePath; the imported table, for tests that prepare runs from it.
Result<std::shared_ptr<EventTable>> importIntoWorkspace(const QString& workspacePath, const QString& file,
                                                        const QString& dataset);

} // namespace swb::test
