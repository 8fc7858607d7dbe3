#pragma once

#include "core/data/eventtable.h"
#include "core/io/importer.h"
#include "core/jobs/cancel.h"
#include "core/jobs/progress.h"
#include "core/util/result.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QString>

#include <memory>
#include <vector>

struct sqlite3;

namespace swb {

namespace detail {
struct RowSource;
}

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

// One SQLite file holding datasets (events, id dictionaries, import reports) and, in later
// versions, runs and models. WAL mode; every write is one transaction, so a process killed at any
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
    Result<DatasetInfo> storeDataset(const QString& name, const EventTable& table, const ImportReport& report,
                                     ProgressSink& progress, const CancelToken& cancel);
    Result<std::shared_ptr<EventTable>> loadDataset(const QString& name, ProgressSink& progress,
                                                    const CancelToken& cancel) const;
    Status removeDataset(const QString& name);

private:
    Workspace(sqlite3* db, QString path);
    Status migrate();

    sqlite3* m_db = nullptr;
    QString m_path;
    // Rows of the table being stored, read by the connection's virtual table `swb_rows`.
    std::unique_ptr<detail::RowSource> m_rows;
};

} // namespace swb
