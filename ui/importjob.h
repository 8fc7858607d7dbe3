#pragma once

#include "core/data/workspace.h"
#include "core/io/importer.h"
#include "core/util/result.h"

#include <QObject>
#include <QString>

#include <memory>

namespace swb {

class JobRunner;

// The dataset name a log gets by default: its file name without folders and without the
// compression and table extensions ("2019-Oct.csv.gz" -> "2019-Oct").
QString datasetNameForFile(const QString& path);

// What a finished import hands to the Data page: the stored dataset and its table, so the page
// shows it without reading it back.
struct ImportOutcome
{
    DatasetInfo info;
    std::shared_ptr<const EventTable> table;
};

// Imports a log and stores it as a dataset, on a worker thread: importLog() and then
// Workspace::storeDataset() on the worker's own connection to the workspace file. One import at a
// time; starting another supersedes the first (whose result is dropped). A cancelled import
// stores nothing.
class ImportJob : public QObject
{
    Q_OBJECT
public:
    explicit ImportJob(QObject* parent = nullptr);
    ~ImportJob() override;

    void start(const ImportOptions& options, const QString& workspacePath, const QString& datasetName);
    void cancel();
    bool isRunning() const;
    bool isCancelling() const;
    QString datasetName() const { return m_datasetName; }

signals:
    void runningChanged(bool running);
    // done and total in the stage's unit (bytes while reading, rows while storing).
    void progress(qint64 done, qint64 total, const QString& stage);
    void finished(const swb::ImportOutcome& outcome);
    void failed(const swb::Error& error);
    void cancelled();

private:
    JobRunner* m_runner = nullptr;
    QString m_datasetName;
};

} // namespace swb
