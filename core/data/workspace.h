#pragma once

#include "core/data/eventtable.h"
#include "core/io/importer.h"
#include "core/jobs/cancel.h"
#include "core/jobs/progress.h"
#include "core/util/result.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QJsonObject>
#include <QString>

#include <memory>
#include <vector>

struct sqlite3;

namespace swb {

namespace detail {
struct RowSource;
struct IdSource;
} // namespace detail

// A stored dataset as listed by `scenewb datasets` and the Data page.
struct DatasetInfo
{
    std::int64_t id = 0;
    QString name;
    QString format;
    QString source;    // the imported file(s), joined with "; "
    QString createdAt; // ISO-8601 UTC
    DatasetSummary summary;
    QJsonObject report; // toJson(ImportReport) as stored at import time
};

// A prepared run as listed by `scenewb runs` and the Prepare page.
struct RunInfo
{
    std::int64_t id = 0;
    QString name;
    QString dataset;    // the dataset it was prepared from
    QString createdAt;  // ISO-8601 UTC
    QJsonObject report; // toJson(PreparedData); its "config" is the PrepConfig that ran
};

// A trained model as listed by `scenewb models` and the Train, Evaluate and Models pages.
struct ModelInfo
{
    std::int64_t id = 0;
    QString name;
    QString run;        // the prepared run it was trained on; empty for a model imported without it
    QString task;       // intent, next-item, purchase
    QString kind;       // majority, logreg, mlp, pop, rules, sknn, neural
    QString createdAt;  // ISO-8601 UTC
    QJsonObject report; // parameters, seed, history, metrics (see core/models/training.h)
};

// One SQLite file holding datasets (events, id dictionaries, import reports), prepared runs and,
// in later versions, models. WAL mode; every write is one transaction, so a process killed at any
// moment leaves the last committed state. The schema is versioned (table `meta`) and migrated
// forward on open; a file from a newer version is refused.
//
// One Workspace object is one connection: use it from one thread at a time, and open another
// Workspace on the same path in a worker thread.
//
// For the sqlite3 shell: `events` holds codes, `dictionary` maps codes to original ids, and the
// view `events_readable` shows every event with original ids, behaviour names and ISO times.
class Workspace
{
    Q_DECLARE_TR_FUNCTIONS(swb::Workspace)

public:
    ~Workspace();
    Workspace(const Workspace&) = delete;
    Workspace& operator=(const Workspace&) = delete;

    // Opens or creates the file (and its folder).
    static Result<std::unique_ptr<Workspace>> open(const QString& path);
    // <user data dir>/workspace.swb
    static QString defaultPath();
    static int currentSchemaVersion();

    QString path() const { return m_path; }
    int schemaVersion() const;

    Result<std::vector<DatasetInfo>> datasets() const;
    Result<DatasetInfo> dataset(const QString& name) const;
    // A name not yet used in this workspace, derived from base ("name", "name (2)", ...).
    QString uniqueDatasetName(const QString& base) const;

    // Stores the table and its report in one transaction; the name must not exist yet.
    // Progress is rows written of table.size(). On cancel or error nothing is stored.
    // Returns once the dataset is committed to the WAL: copying it into the main file (a
    // checkpoint) is left to the next store, the next other write or closing the workspace.
    Result<DatasetInfo> storeDataset(const QString& name, const EventTable& table, const ImportReport& report,
                                     ProgressSink& progress, const CancelToken& cancel);
    Result<std::shared_ptr<EventTable>> loadDataset(const QString& name, ProgressSink& progress,
                                                    const CancelToken& cancel) const;
    // Removes the dataset, its runs and their models.
    Status removeDataset(const QString& name);

    // Prepared runs (runstore.cpp), newest last. A run stores its settings and report; the
    // sessions and splits are rebuilt from the dataset when needed.
    Result<std::vector<RunInfo>> runs() const;
    Result<RunInfo> run(const QString& name) const;
    QString uniqueRunName(const QString& base) const;
    // One transaction; the name must not exist yet and the dataset must.
    Result<RunInfo> storeRun(const QString& name, const QString& dataset, const QJsonObject& report);
    // Removes the run and the models trained on it.
    Status removeRun(const QString& name);

    // Trained models (modelstore.cpp), newest last; the weights are read on demand.
    Result<std::vector<ModelInfo>> models() const;
    Result<ModelInfo> model(const QString& name) const;
    Result<QByteArray> modelWeights(const QString& name) const;
    QString uniqueModelName(const QString& base) const;
    // One transaction; the name must not exist yet and the run must (an empty run: a model
    // imported from a bundle without its run).
    Result<ModelInfo> storeModel(const ModelInfo& model, const QByteArray& weights);
    Status removeModel(const QString& name);

private:
    Workspace(sqlite3* db, QString path);
    Status migrate();
    Error modelNotFound(const QString& name) const;
    // The two bulk steps of storeDataset, inside its transaction.
    Status writeDictionaries(std::int64_t datasetId, const EventTable& table, const CancelToken& cancel);
    Status writeEvents(std::int64_t datasetId, const EventTable& table, ProgressSink& progress,
                       const CancelToken& cancel);

    sqlite3* m_db = nullptr;
    QString m_path;
    // Rows and ids of the table being stored, read by the connection's virtual tables `swb_rows`
    // and `swb_ids`.
    std::unique_ptr<detail::RowSource> m_rows;
    std::unique_ptr<detail::IdSource> m_ids;
};

} // namespace swb
