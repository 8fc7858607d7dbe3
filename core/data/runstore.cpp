// The prepared runs of a workspace (Workspace's run functions; the schema is in workspace.cpp).

#include "workspace.h"

#include "core/data/sqlitestatement.h"

#include <QDateTime>
#include <QJsonDocument>

#include <sqlite3.h>

namespace swb {

using detail::Statement;
using detail::storageError;
using detail::Transaction;

namespace {

constexpr const char* kSelectRuns = "SELECT r.id, r.name, d.name, r.created_at, r.report_json FROM runs r "
                                    "JOIN datasets d ON d.id = r.dataset_id";

RunInfo readRun(const Statement& q)
{
    RunInfo run;
    run.id = q.int64(0);
    run.name = q.text(1);
    run.dataset = q.text(2);
    run.createdAt = q.text(3);
    run.report = QJsonDocument::fromJson(q.text(4).toUtf8()).object();
    return run;
}

} // namespace

Result<std::vector<RunInfo>> Workspace::runs() const
{
    Statement q;
    if (!q.prepare(m_db, (std::string(kSelectRuns) + " ORDER BY r.id").c_str()))
        return storageError(m_db, m_path, tr("Cannot list the runs"));
    std::vector<RunInfo> list;
    int rc;
    while ((rc = q.step()) == SQLITE_ROW)
        list.push_back(readRun(q));
    if (rc != SQLITE_DONE)
        return storageError(m_db, m_path, tr("Cannot list the runs"));
    return list;
}

Result<RunInfo> Workspace::run(const QString& name) const
{
    Statement q;
    if (!q.prepare(m_db, (std::string(kSelectRuns) + " WHERE r.name = ?").c_str()))
        return storageError(m_db, m_path, tr("Cannot read the run “%1”").arg(name));
    q.bind(1, name);
    if (q.step() != SQLITE_ROW)
        return Error{ErrorCode::NotFound,
                     tr("There is no run named “%1” in this workspace.").arg(name),
                     m_path,
                     0,
                     0,
                     {}};
    return readRun(q);
}

QString Workspace::uniqueRunName(const QString& base) const
{
    return detail::uniqueName(m_db, "SELECT 1 FROM runs WHERE name = ?",
                              base.trimmed().isEmpty() ? tr("run") : base.trimmed());
}

Result<RunInfo> Workspace::storeRun(const QString& name, const QString& datasetName,
                                    const QJsonObject& report)
{
    if (name.trimmed().isEmpty())
        return Error{ErrorCode::InvalidArgument, tr("A run needs a name."), {}, 0, 0, {}};
    auto ds = dataset(datasetName);
    if (!ds)
        return ds.error();
    Transaction txn(m_db);
    if (!txn.ok())
        return storageError(m_db, m_path, tr("Cannot store the run “%1”").arg(name));
    Statement exists;
    if (!exists.prepare(m_db, "SELECT 1 FROM runs WHERE name = ?"))
        return storageError(m_db, m_path, tr("Cannot store the run “%1”").arg(name));
    exists.bind(1, name);
    if (exists.step() == SQLITE_ROW)
        return Error{ErrorCode::InvalidArgument,
                     tr("A run named “%1” already exists; choose another name or remove it first.").arg(name),
                     m_path,
                     0,
                     0,
                     {}};
    RunInfo run;
    run.name = name;
    run.dataset = datasetName;
    run.createdAt = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    run.report = report;
    Statement insert;
    if (!insert.prepare(m_db, "INSERT INTO runs(name, dataset_id, created_at, config_json, report_json) "
                              "VALUES (?, ?, ?, ?, ?)"))
        return storageError(m_db, m_path, tr("Cannot store the run “%1”").arg(name));
    insert.bind(1, name);
    insert.bind(2, ds->id);
    insert.bind(3, run.createdAt);
    insert.bind(
        4,
        QString::fromUtf8(
            QJsonDocument(report.value(QStringLiteral("config")).toObject()).toJson(QJsonDocument::Compact)));
    insert.bind(5, QString::fromUtf8(QJsonDocument(report).toJson(QJsonDocument::Compact)));
    if (insert.step() != SQLITE_DONE)
        return storageError(m_db, m_path, tr("Cannot store the run “%1”").arg(name));
    run.id = sqlite3_last_insert_rowid(m_db);
    if (!txn.commit())
        return storageError(m_db, m_path, tr("Cannot commit the run “%1”").arg(name));
    return run;
}

Status Workspace::removeRun(const QString& name)
{
    Transaction txn(m_db);
    Statement models, runs;
    if (!txn.ok() ||
        !models.prepare(m_db, "DELETE FROM models WHERE run_id IN (SELECT id FROM runs WHERE name = ?)") ||
        !runs.prepare(m_db, "DELETE FROM runs WHERE name = ?"))
        return storageError(m_db, m_path, tr("Cannot remove the run “%1”").arg(name));
    models.bind(1, name);
    runs.bind(1, name);
    if (models.step() != SQLITE_DONE || runs.step() != SQLITE_DONE)
        return storageError(m_db, m_path, tr("Cannot remove the run “%1”").arg(name));
    if (sqlite3_changes(m_db) == 0)
        return Error{ErrorCode::NotFound,
                     tr("There is no run named “%1” in this workspace.").arg(name),
                     m_path,
                     0,
                     0,
                     {}};
    if (!txn.commit())
        return storageError(m_db, m_path, tr("Cannot commit the removal of the run “%1”").arg(name));
    return {};
}

} // namespace swb
