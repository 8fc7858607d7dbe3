#include "importjob.h"

#include "jobrunner.h"

#include <QFileInfo>

namespace swb {

QString datasetNameForFile(const QString& path)
{
    QString name = QFileInfo(path).fileName();
    for (const QLatin1String extension : {QLatin1String(".gz"), QLatin1String(".csv"), QLatin1String(".tsv"),
                                          QLatin1String(".txt"), QLatin1String(".dat")}) {
        if (name.endsWith(extension, Qt::CaseInsensitive) && name.size() > extension.size())
            name.chop(extension.size());
    }
    return name;
}

ImportJob::ImportJob(QObject* parent) : QObject(parent), m_runner(new JobRunner(this))
{
    connect(m_runner, &JobRunner::runningChanged, this, &ImportJob::runningChanged);
    connect(m_runner, &JobRunner::progress, this, &ImportJob::progress);
}

ImportJob::~ImportJob() = default;

void ImportJob::start(const ImportOptions& options, const QString& workspacePath, const QString& datasetName)
{
    m_datasetName = datasetName;
    const QString fileName =
        options.files.isEmpty() ? QString() : QFileInfo(options.files.constFirst()).fileName();
    const QString readStage = tr("Reading %1").arg(fileName);
    const QString storeStage = tr("Storing %1").arg(datasetName);

    auto work = [options, workspacePath, datasetName, readStage,
                 storeStage](ProgressSink& progress, const CancelToken& cancel) -> Result<ImportOutcome> {
        StageProgress reading(progress, readStage);
        Result<ImportResult> imported = importLog(options, reading, cancel);
        if (!imported)
            return imported.error();
        if (cancel.isCancelled())
            return cancelledError();
        auto workspace = Workspace::open(workspacePath);
        if (!workspace)
            return workspace.error();
        StageProgress storing(progress, storeStage);
        const ImportResult& result = imported.value();
        Result<DatasetInfo> stored =
            workspace.value()->storeDataset(datasetName, *result.table, result.report, storing, cancel);
        if (!stored)
            return stored.error();
        return ImportOutcome{std::move(stored.value()), result.table};
    };
    m_runner->start<ImportOutcome>(work, [this](Result<ImportOutcome> result) {
        if (result)
            emit finished(result.value());
        else if (result.error().isCancelled())
            emit cancelled();
        else
            emit failed(result.error());
    });
}

void ImportJob::cancel()
{
    m_runner->cancel();
}

bool ImportJob::isRunning() const
{
    return m_runner->isRunning();
}

bool ImportJob::isCancelling() const
{
    return m_runner->isCancelling();
}

} // namespace swb
