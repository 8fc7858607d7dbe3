#pragma once

#include "core/util/result.h"

#include <QCoreApplication>
#include <QString>

#include <sqlite3.h>

#include <cstdint>
#include <string_view>

// Small RAII helpers over the sqlite3 C API, shared by the workspace's files.
namespace swb::detail {

inline QString sqliteMessage(sqlite3* db)
{
    return db ? QString::fromUtf8(sqlite3_errmsg(db))
              : QCoreApplication::translate("swb::Workspace", "out of memory");
}

inline Error storageError(sqlite3* db, const QString& path, const QString& what)
{
    return Error{ErrorCode::Storage,
                 QCoreApplication::translate("swb::Workspace", "%1: %2").arg(what, sqliteMessage(db)),
                 path,
                 0,
                 0,
                 {}};
}

// Owns a prepared statement.
class Statement
{
public:
    Statement() = default;
    ~Statement() { sqlite3_finalize(m_stmt); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    bool prepare(sqlite3* db, const char* sql)
    {
        sqlite3_finalize(m_stmt);
        m_stmt = nullptr;
        return sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr) == SQLITE_OK;
    }
    sqlite3_stmt* get() const { return m_stmt; }

    void bind(int i, std::int64_t v) { sqlite3_bind_int64(m_stmt, i, v); }
    void bind(int i, const QString& s)
    {
        const QByteArray utf8 = s.toUtf8();
        sqlite3_bind_text(m_stmt, i, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT);
    }
    void bind(int i, const QByteArray& bytes)
    {
        sqlite3_bind_blob64(m_stmt, i, bytes.constData(), sqlite3_uint64(bytes.size()), SQLITE_TRANSIENT);
    }
    void bindNull(int i) { sqlite3_bind_null(m_stmt, i); }
    int step() { return sqlite3_step(m_stmt); }
    void reset() { sqlite3_reset(m_stmt); }

    std::int64_t int64(int col) const { return sqlite3_column_int64(m_stmt, col); }
    bool isNull(int col) const { return sqlite3_column_type(m_stmt, col) == SQLITE_NULL; }
    QString text(int col) const
    {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, col));
        return p ? QString::fromUtf8(p, sqlite3_column_bytes(m_stmt, col)) : QString();
    }
    QByteArray blob(int col) const
    {
        const auto* p = static_cast<const char*>(sqlite3_column_blob(m_stmt, col));
        return p ? QByteArray(p, sqlite3_column_bytes(m_stmt, col)) : QByteArray();
    }
    std::string_view view(int col) const
    {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, col));
        return p ? std::string_view(p, std::size_t(sqlite3_column_bytes(m_stmt, col))) : std::string_view();
    }

private:
    sqlite3_stmt* m_stmt = nullptr;
};

// BEGIN IMMEDIATE on construction (see ok()); ROLLBACK on destruction unless committed.
class Transaction
{
public:
    explicit Transaction(sqlite3* db) : m_db(db)
    {
        m_open = sqlite3_exec(m_db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK;
    }
    ~Transaction()
    {
        if (m_open)
            sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    bool ok() const { return m_open; }
    bool commit()
    {
        if (sqlite3_exec(m_db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK)
            return false; // the destructor rolls back
        m_open = false;
        return true;
    }

private:
    sqlite3* m_db;
    bool m_open = false;
};

inline bool exec(sqlite3* db, const char* sql)
{
    return sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
}

// `stem`, or "stem (2)", "stem (3)", ...: the first for which `existsSql` (one `?` for the name)
// returns no row. `stem` itself when the query cannot be prepared.
inline QString uniqueName(sqlite3* db, const char* existsSql, const QString& stem)
{
    Statement q;
    if (!q.prepare(db, existsSql))
        return stem;
    const auto taken = [&q](const QString& name) {
        q.reset();
        q.bind(1, name);
        return q.step() == SQLITE_ROW;
    };
    if (!taken(stem))
        return stem;
    for (int n = 2;; ++n) {
        const QString candidate = QStringLiteral("%1 (%2)").arg(stem).arg(n);
        if (!taken(candidate))
            return candidate;
    }
}

} // namespace swb::detail
