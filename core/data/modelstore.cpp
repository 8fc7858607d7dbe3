// The trained models of a workspace (Workspace's model functions; the schema is in workspace.cpp).

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

constexpr const char* kSelectModels =
    "SELECT m.id, m.name, COALESCE(r.name, ''), m.task, m.kind, m.created_at, m.report_json "
    "FROM models m LEFT JOIN runs r ON r.id = m.run_id";

ModelInfo readModel(const Statement& q)
{
    ModelInfo model;
    model.id = q.int64(0);
    model.name = q.text(1);
    model.run = q.text(2);
    model.task = q.text(3);
    model.kind = q.text(4);
    model.createdAt = q.text(5);
    model.report = QJsonDocument::fromJson(q.text(6).toUtf8()).object();
    return model;
}

} // namespace

Error Workspace::modelNotFound(const QString& name) const
{
    return Error{ErrorCode::NotFound,
                 tr("There is no model named “%1” in this workspace.").arg(name),
                 m_path,
                 0,
                 0,
                 {}};
}

Result<std::vector<ModelInfo>> Workspace::models() const
{
    Statement q;
    if (!q.prepare(m_db, (std::string(kSelectModels) + " ORDER BY m.id").c_str()))
        return storageError(m_db, m_path, tr("Cannot list the models"));
    std::vector<ModelInfo> list;
    int rc;
    while ((rc = q.step()) == SQLITE_ROW)
        list.push_back(readModel(q));
    if (rc != SQLITE_DONE)
        return storageError(m_db, m_path, tr("Cannot list the models"));
    return list;
}

Result<ModelInfo> Workspace::model(const QString& name) const
{
    Statement q;
    if (!q.prepare(m_db, (std::string(kSelectModels) + " WHERE m.name = ?").c_str()))
        return storageError(m_db, m_path, tr("Cannot read the model “%1”").arg(name));
    q.bind(1, name);
    if (q.step() != SQLITE_ROW)
        return modelNotFound(name);
    return readModel(q);
}

Result<QByteArray> Workspace::modelWeights(const QString& name) const
{
    Statement q;
    if (!q.prepare(m_db, "SELECT weights FROM models WHERE name = ?"))
        return storageError(m_db, m_path, tr("Cannot read the model “%1”").arg(name));
    q.bind(1, name);
    if (q.step() != SQLITE_ROW)
        return modelNotFound(name);
    return q.blob(0);
}

QString Workspace::uniqueModelName(const QString& base) const
{
    return detail::uniqueName(m_db, "SELECT 1 FROM models WHERE name = ?",
                              base.trimmed().isEmpty() ? tr("model") : base.trimmed());
}

Result<ModelInfo> Workspace::storeModel(const ModelInfo& model, const QByteArray& weights)
{
    if (model.name.trimmed().isEmpty())
        return Error{ErrorCode::InvalidArgument, tr("A model needs a name."), {}, 0, 0, {}};
    // A model imported from a bundle whose run this workspace does not hold has no run: run_id 0,
    // which no run has (ids start at 1), so the schema needs no change and removing runs or
    // datasets never touches it.
    std::int64_t runId = 0;
    if (!model.run.isEmpty()) {
        auto r = run(model.run);
        if (!r)
            return r.error();
        runId = r->id;
    }
    const QString failed = tr("Cannot store the model “%1”").arg(model.name);
    Transaction txn(m_db);
    Statement exists, insert;
    if (!txn.ok() || !exists.prepare(m_db, "SELECT 1 FROM models WHERE name = ?") ||
        !insert.prepare(m_db,
                        "INSERT INTO models(name, run_id, task, kind, created_at, report_json, weights) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)"))
        return storageError(m_db, m_path, failed);
    exists.bind(1, model.name);
    if (exists.step() == SQLITE_ROW)
        return Error{
            ErrorCode::InvalidArgument,
            tr("A model named “%1” already exists; choose another name or remove it first.").arg(model.name),
            m_path,
            0,
            0,
            {}};
    ModelInfo stored = model;
    stored.createdAt = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    insert.bind(1, stored.name);
    insert.bind(2, runId);
    insert.bind(3, stored.task);
    insert.bind(4, stored.kind);
    insert.bind(5, stored.createdAt);
    insert.bind(6, QString::fromUtf8(QJsonDocument(stored.report).toJson(QJsonDocument::Compact)));
    insert.bind(7, weights);
    if (insert.step() != SQLITE_DONE)
        return storageError(m_db, m_path, failed);
    stored.id = sqlite3_last_insert_rowid(m_db);
    if (!txn.commit())
        return storageError(m_db, m_path, tr("Cannot commit the model “%1”").arg(model.name));
    return stored;
}

Status Workspace::removeModel(const QString& name)
{
    Statement q;
    if (!q.prepare(m_db, "DELETE FROM models WHERE name = ?"))
        return storageError(m_db, m_path, tr("Cannot remove the model “%1”").arg(name));
    q.bind(1, name);
    if (q.step() != SQLITE_DONE)
        return storageError(m_db, m_path, tr("Cannot remove the model “%1”").arg(name));
    if (sqlite3_changes(m_db) == 0)
        return modelNotFound(name);
    return {};
}

} // namespace swb
