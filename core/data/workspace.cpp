#include "workspace.h"

#include "core/data/rowsource.h"
#include "core/data/sqlitestatement.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QStandardPaths>

#include <sqlite3.h>

#ifdef __linux__
#include <fcntl.h>
#include <unistd.h>
#endif

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <string>

namespace swb {

using detail::exec;
using detail::sqliteMessage;
using detail::Statement;
using detail::storageError;
using detail::Transaction;

namespace {

// Forward migrations: entry i brings a file from schema version i to i + 1. Never edit a shipped
// entry; append a new one and the files already on users' disks are upgraded on open.
//
// `events` is a plain rowid table without indexes: a dataset's rows occupy the contiguous rowid
// range [datasets.first_rowid, datasets.last_rowid], so loading one is a range scan of the b-tree
// and storing one is an append (SQLite's fastest write path).
const std::vector<const char*>& migrations()
{
    static const std::vector<const char*> list = {
        // 0 -> 1
        R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE datasets(
    id INTEGER PRIMARY KEY,
    name TEXT UNIQUE NOT NULL,
    format TEXT,
    source TEXT,
    created_at TEXT,
    events INTEGER,
    first_rowid INTEGER,
    last_rowid INTEGER,
    has_session INTEGER,
    has_price INTEGER,
    has_brand INTEGER,
    summary_json TEXT,
    report_json TEXT);
CREATE TABLE events(
    dataset_id INTEGER,
    user INTEGER,
    item INTEGER,
    category INTEGER,
    behaviour INTEGER,
    ts INTEGER,
    session INTEGER,
    price REAL,
    brand INTEGER);
CREATE TABLE dictionary(
    dataset_id INTEGER,
    kind TEXT,
    code INTEGER,
    original_id TEXT,
    PRIMARY KEY(dataset_id, kind, code)) WITHOUT ROWID;
CREATE TABLE behaviours(code INTEGER PRIMARY KEY, name TEXT);
INSERT INTO behaviours(code, name) VALUES (0, 'view'), (1, 'fav'), (2, 'cart'), (3, 'remove_from_cart'),
    (4, 'buy');
CREATE VIEW events_readable AS
SELECT d.name AS dataset,
       du.original_id AS user_id,
       di.original_id AS item_id,
       dc.original_id AS category_id,
       b.name AS behaviour,
       strftime('%Y-%m-%dT%H:%M:%SZ', e.ts, 'unixepoch') AS time,
       e.ts AS ts,
       ds.original_id AS session_id,
       e.price AS price,
       db.original_id AS brand
FROM datasets d
JOIN events e ON e.rowid BETWEEN d.first_rowid AND d.last_rowid
LEFT JOIN dictionary du ON du.dataset_id = d.id AND du.kind = 'user' AND du.code = e.user
LEFT JOIN dictionary di ON di.dataset_id = d.id AND di.kind = 'item' AND di.code = e.item
LEFT JOIN dictionary dc ON dc.dataset_id = d.id AND dc.kind = 'category' AND dc.code = e.category
LEFT JOIN dictionary ds ON ds.dataset_id = d.id AND ds.kind = 'session' AND ds.code = e.session
LEFT JOIN dictionary db ON db.dataset_id = d.id AND db.kind = 'brand' AND db.code = e.brand
LEFT JOIN behaviours b ON b.code = e.behaviour;
)sql",
        // 1 -> 2: prepared runs. A run is its settings and report (JSON); its sessions and splits
        // are rebuilt from the dataset and the settings when needed (preparation is deterministic).
        R"sql(
CREATE TABLE runs(
    id INTEGER PRIMARY KEY,
    name TEXT UNIQUE NOT NULL,
    dataset_id INTEGER NOT NULL,
    created_at TEXT,
    config_json TEXT,
    report_json TEXT);
)sql",
        // 2 -> 3: trained models. The report (parameters, seed, history, metrics) is JSON; the
        // weights are one blob in the model bundle's tensor encoding.
        R"sql(
CREATE TABLE models(
    id INTEGER PRIMARY KEY,
    name TEXT UNIQUE NOT NULL,
    run_id INTEGER NOT NULL,
    task TEXT NOT NULL,
    kind TEXT NOT NULL,
    created_at TEXT,
    report_json TEXT,
    weights BLOB);
)sql",
    };
    return list;
}

constexpr std::int64_t kChunkRows = detail::kStoreChunkRows;

struct DictionaryKind
{
    const char* kind;
    Dictionary EventTable::*member;
};
// In the order of the dictionary's primary key, so storing appends to the b-tree.
constexpr std::array<DictionaryKind, 5> kDictionaries = {{
    {"brand", &EventTable::brands},
    {"category", &EventTable::categories},
    {"item", &EventTable::items},
    {"session", &EventTable::sessions},
    {"user", &EventTable::users},
}};

// Empties a virtual table's source when a store ends, however it ends, so the table never points
// at an EventTable the caller may free.
template <class Source> struct DetachSource
{
    Source* source;
    ~DetachSource() { *source = {}; }
};

// The INSERT … SELECT that moves rows from swb_rows into events. Only the optional columns the
// table has are named: the others are left NULL by SQLite itself, which costs far less per row than
// asking the virtual table for a NULL (a Taobao table needs 5 of the 8 values).
std::string eventInsertSql(const EventTable& table)
{
    std::string columns = "user, item, category, behaviour, ts";
    if (table.hasSession())
        columns += ", session";
    if (table.hasPrice())
        columns += ", price";
    if (table.hasBrand())
        columns += ", brand";
    return "INSERT INTO events(dataset_id, " + columns + ") SELECT ?1, " + columns + " FROM swb_rows";
}

// Asks the kernel to start writing the WAL's dirty pages to disk while rows are still being
// inserted (Linux sync_file_range, the idea of RocksDB's bytes_per_sync), so the disk works in
// parallel with the insert instead of all at once later: the checkpoint that copies the WAL into
// the main file starts by syncing it and then finds little left to write (10M rows: 0.27 s instead
// of 0.56 s). Only a hint: durability still comes from SQLite's own syncs, and where the hint is
// unavailable it does nothing.
class WalWriteback
{
public:
    explicit WalWriteback(sqlite3* db)
    {
#ifdef __linux__
        // The WAL exists from the first transaction on; we only read its page cache state.
        if (const char* wal = sqlite3_filename_wal(sqlite3_db_filename(db, "main")); wal && *wal)
            m_fd = ::open(wal, O_RDONLY | O_CLOEXEC);
#else
        (void)db;
#endif
    }
    ~WalWriteback()
    {
#ifdef __linux__
        if (m_fd >= 0)
            ::close(m_fd);
#endif
    }
    WalWriteback(const WalWriteback&) = delete;
    WalWriteback& operator=(const WalWriteback&) = delete;

    // Non-blocking: pages already being written are skipped.
    void start()
    {
#ifdef __linux__
        if (m_fd >= 0)
            ::sync_file_range(m_fd, 0, 0, SYNC_FILE_RANGE_WRITE);
#endif
    }

private:
    int m_fd = -1;
};

// The connection's wal_autocheckpoint setting: a commit that leaves more pages than this in the
// WAL copies them into the main file. SQLite's default is 1000.
int walAutoCheckpointPages(sqlite3* db)
{
    Statement q;
    if (!q.prepare(db, "PRAGMA wal_autocheckpoint") || q.step() != SQLITE_ROW)
        return 1000;
    return int(q.int64(0));
}

// Commits a bulk store without SQLite's automatic checkpoint. The dataset is committed, and
// survives a killed process, once its pages are in the WAL; copying them into the main file (a
// checkpoint) writes every page a second time and syncs twice: about 1 s of the 7 s a store of
// 10M rows took with it. That copy is left to the next checkpoint instead: SQLite's at the next
// other write or when the last connection closes, or checkpointPreviousStore() at the start of
// the next store. Consistency does not change: as for every commit under WAL with
// synchronous=NORMAL, a killed process loses nothing committed, and a power cut before the next
// checkpoint may roll recent commits back but never damages the file.
bool commitWithoutCheckpoint(sqlite3* db, Transaction& txn)
{
    const int autoCheckpointPages = walAutoCheckpointPages(db);
    sqlite3_wal_autocheckpoint(db, 0);
    const bool committed = txn.commit();
    sqlite3_wal_autocheckpoint(db, autoCheckpointPages);
    return committed;
}

// Copies what an earlier store left in the WAL into the main file, so the WAL holds at most one
// dataset's pages however many are stored in a row. Cheap when the WAL holds only small writes
// (or nothing not yet copied). Best effort: while another connection reads, part of the WAL stays,
// as with any checkpoint.
void checkpointPreviousStore(sqlite3* db)
{
    sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
}

// summary_json holds toJson(DatasetSummary), as `scenewb --json` prints it: times are ISO-8601 text.
std::int64_t unixSeconds(const QJsonValue& v)
{
    if (v.isString())
        return QDateTime::fromString(v.toString(), Qt::ISODate).toSecsSinceEpoch();
    return v.toInteger();
}

DatasetSummary summaryFromJson(const QJsonObject& o)
{
    DatasetSummary s;
    s.events = o.value(QLatin1String("events")).toInteger();
    const QJsonObject behaviours = o.value(QLatin1String("behaviours")).toObject();
    for (Behaviour b : kAllBehaviours) {
        const std::string_view key = behaviourKey(b);
        s.behaviours[static_cast<int>(b)] =
            behaviours.value(QLatin1String(key.data(), qsizetype(key.size()))).toInteger();
    }
    s.users = o.value(QLatin1String("users")).toInteger();
    s.items = o.value(QLatin1String("items")).toInteger();
    s.categories = o.value(QLatin1String("categories")).toInteger();
    s.sessions = o.value(QLatin1String("sessions")).toInteger();
    s.firstTs = unixSeconds(o.value(QLatin1String("first_ts")));
    s.lastTs = unixSeconds(o.value(QLatin1String("last_ts")));
    return s;
}

QJsonObject parseObject(std::string_view text)
{
    return QJsonDocument::fromJson(QByteArray(text.data(), qsizetype(text.size()))).object();
}

const char* const kDatasetColumns =
    "SELECT id, name, format, source, created_at, events, first_rowid, last_rowid, "
    "summary_json, report_json FROM datasets";

struct DatasetRow
{
    DatasetInfo info;
    std::int64_t firstRowid = 0;
    std::int64_t lastRowid = -1;
};

DatasetRow readDatasetRow(const Statement& q)
{
    DatasetRow row;
    row.info.id = q.int64(0);
    row.info.name = q.text(1);
    row.info.format = q.text(2);
    row.info.source = q.text(3);
    row.info.createdAt = q.text(4);
    row.firstRowid = q.int64(6);
    row.lastRowid = q.int64(7);
    row.info.summary = summaryFromJson(parseObject(q.view(8)));
    row.info.summary.events = q.int64(5);
    row.info.report = parseObject(q.view(9));
    return row;
}

} // namespace

Workspace::Workspace(sqlite3* db, QString path)
    : m_db(db), m_path(std::move(path)), m_rows(std::make_unique<detail::RowSource>()),
      m_ids(std::make_unique<detail::IdSource>())
{}

Workspace::~Workspace()
{
    sqlite3_close_v2(m_db);
}

QString Workspace::defaultPath()
{
    // Independent of the front end's organisation/application names, so that the GUI and the CLI
    // share one default workspace: ~/.local/share/scene-workbench/workspace.swb on Linux.
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
           QLatin1String("/scene-workbench/workspace.swb");
}

int Workspace::currentSchemaVersion()
{
    return int(migrations().size());
}

Result<std::unique_ptr<Workspace>> Workspace::open(const QString& path)
{
    if (path.isEmpty())
        return Error{ErrorCode::InvalidArgument, tr("No workspace file given."), {}, 0, 0, {}};
    const QFileInfo fileInfo(path);
    if (fileInfo.isDir())
        return Error{
            ErrorCode::FileUnreadable, tr("The workspace path is a folder, not a file."), path, 0, 0, {}};
    if (!QDir().mkpath(fileInfo.absolutePath()))
        return Error{ErrorCode::FileUnreadable,
                     tr("Cannot create the folder %1 for the workspace.")
                         .arg(QDir::toNativeSeparators(fileInfo.absolutePath())),
                     path,
                     0,
                     0,
                     {}};

    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(QFile::encodeName(path).constData(), &raw,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    // From here the Workspace owns the handle (sqlite3_open_v2 returns one even on failure).
    std::unique_ptr<Workspace> ws(new Workspace(raw, path));
    if (rc != SQLITE_OK)
        return Error{ErrorCode::FileUnreadable,
                     tr("Cannot open the workspace: %1").arg(sqliteMessage(raw)),
                     path,
                     0,
                     0,
                     {}};
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, 5000);
    if (sqlite3_create_module_v2(raw, "swb_rows", &detail::rowsModule(), ws->m_rows.get(), nullptr) !=
            SQLITE_OK ||
        sqlite3_create_module_v2(raw, "swb_ids", &detail::idsModule(), ws->m_ids.get(), nullptr) != SQLITE_OK)
        return storageError(raw, path, tr("Cannot open the workspace"));

    // Read before writing anything: a file that is not a database (or is from a newer version) must
    // be left byte for byte as it was, and switching to WAL writes the header.
    bool hasMeta = false;
    bool hasOtherObjects = false;
    {
        Statement q;
        if (!q.prepare(raw, "SELECT name FROM sqlite_schema")) {
            const int code = sqlite3_errcode(raw) & 0xff;
            if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
                return Error{
                    ErrorCode::FormatUnknown,
                    tr("This file is not a Scene Workbench workspace (it is not an SQLite database)."),
                    path,
                    0,
                    0,
                    {}};
            return storageError(raw, path, tr("Cannot read the workspace"));
        }
        int step;
        while ((step = q.step()) == SQLITE_ROW) {
            if (q.view(0) == "meta")
                hasMeta = true;
            else
                hasOtherObjects = true;
        }
        if (step != SQLITE_DONE) {
            const int code = sqlite3_errcode(raw) & 0xff;
            if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
                return Error{ErrorCode::Corrupt,
                             tr("The workspace file is damaged: %1").arg(sqliteMessage(raw)),
                             path,
                             0,
                             0,
                             {}};
            return storageError(raw, path, tr("Cannot read the workspace"));
        }
    }
    if (!hasMeta && hasOtherObjects)
        return Error{
            ErrorCode::FormatUnknown,
            tr("This SQLite database is not a Scene Workbench workspace (it has no schema version)."),
            path,
            0,
            0,
            {}};
    if (hasMeta) {
        const int version = ws->schemaVersion();
        if (version > currentSchemaVersion())
            return Error{
                ErrorCode::FormatUnknown,
                tr("This workspace was written by a newer version of Scene Workbench (schema version "
                   "%1; this version reads up to %2). Please update Scene Workbench.")
                    .arg(version)
                    .arg(currentSchemaVersion()),
                path,
                0,
                0,
                {}};
        if (version < 0)
            return Error{
                ErrorCode::Corrupt, tr("The workspace has no valid schema version."), path, 0, 0, {}};
    }

    // A new file gets 64 KiB pages: bulk event inserts touch far fewer pages (set before WAL,
    // which fixes the page size).
    if (!hasMeta && !exec(raw, "PRAGMA page_size=65536"))
        return storageError(raw, path, tr("Cannot configure the workspace"));
    if (!exec(raw, "PRAGMA journal_mode=WAL") || !exec(raw, "PRAGMA synchronous=NORMAL") ||
        !exec(raw, "PRAGMA foreign_keys=ON"))
        return storageError(raw, path, tr("Cannot configure the workspace"));
    if (Status s = ws->migrate(); !s)
        return s.error();
    return ws;
}

int Workspace::schemaVersion() const
{
    Statement q;
    if (!q.prepare(m_db, "SELECT value FROM meta WHERE key = 'schema_version'"))
        return 0; // no meta table: an empty file
    if (q.step() != SQLITE_ROW)
        return -1;
    bool ok = false;
    const int version = q.text(0).toInt(&ok);
    return ok ? version : -1;
}

Status Workspace::migrate()
{
    int version = schemaVersion();
    if (version == currentSchemaVersion())
        return {};
    Transaction txn(m_db);
    if (!txn.ok())
        return storageError(m_db, m_path, tr("Cannot start the schema upgrade"));
    version = schemaVersion(); // another process may have migrated meanwhile
    if (version < 0)
        return Error{ErrorCode::Corrupt, tr("The workspace has no valid schema version."), m_path, 0, 0, {}};
    for (int v = version; v < currentSchemaVersion(); ++v) {
        if (!exec(m_db, migrations()[std::size_t(v)]))
            return storageError(m_db, m_path,
                                tr("Cannot upgrade the workspace to schema version %1").arg(v + 1));
    }
    Statement q;
    if (!q.prepare(m_db, "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)"))
        return storageError(m_db, m_path, tr("Cannot record the schema version"));
    q.bind(1, QString::number(currentSchemaVersion()));
    if (q.step() != SQLITE_DONE)
        return storageError(m_db, m_path, tr("Cannot record the schema version"));
    if (!txn.commit())
        return storageError(m_db, m_path, tr("Cannot commit the schema upgrade"));
    return {};
}

Result<std::vector<DatasetInfo>> Workspace::datasets() const
{
    Statement q;
    if (!q.prepare(m_db, (std::string(kDatasetColumns) + " ORDER BY id").c_str()))
        return storageError(m_db, m_path, tr("Cannot list the datasets"));
    std::vector<DatasetInfo> list;
    int rc;
    while ((rc = q.step()) == SQLITE_ROW)
        list.push_back(readDatasetRow(q).info);
    if (rc != SQLITE_DONE)
        return storageError(m_db, m_path, tr("Cannot list the datasets"));
    return list;
}

namespace {

Result<DatasetRow> findDataset(sqlite3* db, const QString& path, const QString& name)
{
    Statement q;
    if (!q.prepare(db, (std::string(kDatasetColumns) + " WHERE name = ?").c_str()))
        return storageError(db, path, Workspace::tr("Cannot read the dataset “%1”").arg(name));
    q.bind(1, name);
    const int rc = q.step();
    if (rc == SQLITE_ROW)
        return readDatasetRow(q);
    if (rc == SQLITE_DONE)
        return Error{ErrorCode::NotFound,
                     Workspace::tr("There is no dataset named “%1” in this workspace.").arg(name),
                     path,
                     0,
                     0,
                     {}};
    return storageError(db, path, Workspace::tr("Cannot read the dataset “%1”").arg(name));
}

} // namespace

Result<DatasetInfo> Workspace::dataset(const QString& name) const
{
    auto row = findDataset(m_db, m_path, name);
    if (!row)
        return row.error();
    return std::move(row.value().info);
}

QString Workspace::uniqueDatasetName(const QString& base) const
{
    return detail::uniqueName(m_db, "SELECT 1 FROM datasets WHERE name = ?",
                              base.trimmed().isEmpty() ? tr("dataset") : base.trimmed());
}

Result<DatasetInfo> Workspace::storeDataset(const QString& name, const EventTable& table,
                                            const ImportReport& report, ProgressSink& progress,
                                            const CancelToken& cancel)
{
    if (name.trimmed().isEmpty())
        return Error{ErrorCode::InvalidArgument, tr("A dataset needs a name."), m_path, 0, 0, {}};
    const std::size_t n = table.size();
    if (table.user.size() != n || table.item.size() != n || table.category.size() != n ||
        table.behaviour.size() != n || (table.hasSession() && table.session.size() != n) ||
        (table.hasPrice() && table.price.size() != n) || (table.hasBrand() && table.brand.size() != n))
        return Error{ErrorCode::InvalidArgument,
                     tr("The columns of the event table differ in length."),
                     m_path,
                     0,
                     0,
                     {}};
    progress.report(0, std::int64_t(n), tr("Saving events"));

    checkpointPreviousStore(m_db);
    Transaction txn(m_db);
    if (!txn.ok())
        return storageError(m_db, m_path, tr("Cannot start writing the dataset “%1”").arg(name));

    {
        Statement q;
        if (!q.prepare(m_db, "SELECT 1 FROM datasets WHERE name = ?"))
            return storageError(m_db, m_path, tr("Cannot write the dataset “%1”").arg(name));
        q.bind(1, name);
        if (q.step() == SQLITE_ROW)
            return Error{ErrorCode::InvalidArgument,
                         tr("A dataset named “%1” already exists in this workspace.").arg(name),
                         m_path,
                         0,
                         0,
                         {}};
    }

    std::int64_t firstRowid = 1;
    {
        Statement q;
        if (!q.prepare(m_db, "SELECT max(rowid) FROM events") || q.step() != SQLITE_ROW)
            return storageError(m_db, m_path, tr("Cannot write the dataset “%1”").arg(name));
        firstRowid = q.int64(0) + 1;
    }
    const std::int64_t lastRowid = firstRowid + std::int64_t(n) - 1;

    const DatasetSummary summary = summarize(table);
    const QJsonObject reportJson = toJson(report);
    DatasetInfo info;
    info.name = name;
    info.format = report.format;
    info.source = report.files.join(QLatin1String("; "));
    info.createdAt = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    info.summary = summary;
    info.report = reportJson;
    {
        Statement q;
        if (!q.prepare(m_db, "INSERT INTO datasets(name, format, source, created_at, events, first_rowid, "
                             "last_rowid, has_session, has_price, has_brand, summary_json, report_json) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"))
            return storageError(m_db, m_path, tr("Cannot write the dataset “%1”").arg(name));
        q.bind(1, name);
        q.bind(2, info.format);
        q.bind(3, info.source);
        q.bind(4, info.createdAt);
        q.bind(5, std::int64_t(n));
        q.bind(6, firstRowid);
        q.bind(7, lastRowid);
        q.bind(8, std::int64_t(table.hasSession()));
        q.bind(9, std::int64_t(table.hasPrice()));
        q.bind(10, std::int64_t(table.hasBrand()));
        q.bind(11, QString::fromUtf8(QJsonDocument(toJson(summary)).toJson(QJsonDocument::Compact)));
        q.bind(12, QString::fromUtf8(QJsonDocument(reportJson).toJson(QJsonDocument::Compact)));
        if (q.step() != SQLITE_DONE)
            return storageError(m_db, m_path, tr("Cannot write the dataset “%1”").arg(name));
        info.id = sqlite3_last_insert_rowid(m_db);
    }

    // Dictionaries first: the last progress report is then the final row of events. Rowids are
    // assigned as max(rowid) + 1, so the dataset's rows are [firstRowid, lastRowid]: checked below.
    if (Status s = writeDictionaries(info.id, table, cancel); !s)
        return s.error();
    if (Status s = writeEvents(info.id, table, progress, cancel); !s)
        return s.error();
    if (n > 0 && sqlite3_last_insert_rowid(m_db) != lastRowid)
        return Error{
            ErrorCode::Storage,
            tr("The events of “%1” were not stored in one contiguous range; nothing was stored.").arg(name),
            m_path,
            0,
            0,
            {}};

    if (!commitWithoutCheckpoint(m_db, txn))
        return storageError(m_db, m_path, tr("Cannot commit the dataset “%1”").arg(name));
    return info;
}

// One INSERT … SELECT per chunk of ids from swb_ids: a prepared INSERT stepped once per id cost
// about 2 µs per id (0.35 s for the 155k ids of 10M Taobao rows), the virtual table under a third
// of that (0.10 s).
Status Workspace::writeDictionaries(std::int64_t datasetId, const EventTable& table,
                                    const CancelToken& cancel)
{
    Statement insert;
    if (!insert.prepare(m_db, "INSERT INTO dictionary(dataset_id, kind, code, original_id) "
                              "SELECT ?1, ?2, code, original_id FROM swb_ids"))
        return storageError(m_db, m_path, tr("Cannot write the id dictionaries"));
    insert.bind(1, datasetId);
    const DetachSource detach{m_ids.get()};
    for (const DictionaryKind& kind : kDictionaries) {
        const Dictionary& dict = table.*kind.member;
        sqlite3_bind_text(insert.get(), 2, kind.kind, -1, SQLITE_STATIC);
        m_ids->dictionary = &dict;
        for (std::size_t code = 0; code < dict.size();) {
            m_ids->begin = code;
            m_ids->end = std::min<std::size_t>(dict.size(), code + std::size_t(kChunkRows));
            if (insert.step() != SQLITE_DONE)
                return storageError(m_db, m_path, tr("Cannot write the id dictionaries"));
            insert.reset();
            code = m_ids->end;
            if (cancel.isCancelled())
                return cancelledError();
        }
    }
    return {};
}

// One INSERT … SELECT per chunk from the virtual table over the columns (see rowsource.h).
//
// The page cache stays at the connection's small default on purpose: an append only needs the
// b-tree's right edge, and a small cache writes each finished page to the WAL while the insert goes
// on, where the writeback hint hands it to the disk. A cache holding the whole dataset (tried:
// 256 MiB) wrote everything at the commit instead, was no faster and raised peak memory by its
// size (10M rows: 480 MiB instead of 250 MiB for the whole import).
Status Workspace::writeEvents(std::int64_t datasetId, const EventTable& table, ProgressSink& progress,
                              const CancelToken& cancel)
{
    Statement insert;
    if (!insert.prepare(m_db, eventInsertSql(table).c_str()))
        return storageError(m_db, m_path, tr("Cannot write the events"));
    insert.bind(1, datasetId);
    const DetachSource detach{m_rows.get()};
    m_rows->table = &table;
    WalWriteback writeback(m_db);
    const QString savingEvents = tr("Saving events");
    const std::size_t n = table.size();
    for (std::size_t row = 0; row < n;) {
        m_rows->begin = row;
        m_rows->end = std::min(n, row + std::size_t(kChunkRows));
        if (insert.step() != SQLITE_DONE)
            return storageError(m_db, m_path, tr("Cannot write the events"));
        insert.reset();
        row = m_rows->end;
        writeback.start();
        progress.report(std::int64_t(row), std::int64_t(n), savingEvents);
        if (cancel.isCancelled())
            return cancelledError();
    }
    return {};
}

Result<std::shared_ptr<EventTable>> Workspace::loadDataset(const QString& name, ProgressSink& progress,
                                                           const CancelToken& cancel) const
{
    // One read transaction, so a writer on another connection cannot change the data halfway.
    if (!exec(m_db, "BEGIN"))
        return storageError(m_db, m_path, tr("Cannot read the dataset “%1”").arg(name));
    struct EndRead
    {
        sqlite3* db;
        ~EndRead() { sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr); }
    } endRead{m_db};

    auto found = findDataset(m_db, m_path, name);
    if (!found)
        return found.error();
    const DatasetRow& ds = found.value();
    const std::int64_t n = ds.info.summary.events;
    if (n < 0 || ds.lastRowid - ds.firstRowid + 1 != n)
        return Error{ErrorCode::Corrupt,
                     tr("The dataset “%1” has an inconsistent row range.").arg(name),
                     m_path,
                     0,
                     0,
                     {}};

    bool hasSession = false, hasPrice = false, hasBrand = false;
    {
        Statement q;
        if (!q.prepare(m_db, "SELECT has_session, has_price, has_brand FROM datasets WHERE id = ?"))
            return storageError(m_db, m_path, tr("Cannot read the dataset “%1”").arg(name));
        q.bind(1, ds.info.id);
        if (q.step() != SQLITE_ROW)
            return storageError(m_db, m_path, tr("Cannot read the dataset “%1”").arg(name));
        hasSession = q.int64(0) != 0;
        hasPrice = q.int64(1) != 0;
        hasBrand = q.int64(2) != 0;
    }

    auto table = std::make_shared<EventTable>();
    const QString loadingIds = tr("Loading id dictionaries");
    const QString loadingEvents = tr("Loading events");
    progress.report(0, n, loadingIds);
    {
        Statement q;
        if (!q.prepare(m_db, "SELECT code, original_id FROM dictionary WHERE dataset_id = ? AND kind = ? "
                             "ORDER BY code"))
            return storageError(m_db, m_path, tr("Cannot read the id dictionaries"));
        q.bind(1, ds.info.id);
        for (const DictionaryKind& kind : kDictionaries) {
            Dictionary& dict = (*table).*kind.member;
            sqlite3_bind_text(q.get(), 2, kind.kind, -1, SQLITE_STATIC);
            int rc;
            std::int64_t expected = 0;
            while ((rc = q.step()) == SQLITE_ROW) {
                if ((expected & 0xffff) == 0xffff && cancel.isCancelled())
                    return cancelledError();
                if (q.int64(0) != expected || dict.intern(q.view(1)) != std::uint32_t(expected))
                    return Error{ErrorCode::Corrupt,
                                 tr("The %1 dictionary of dataset “%2” is damaged near code %3.")
                                     .arg(QLatin1String(kind.kind), name)
                                     .arg(expected),
                                 m_path,
                                 0,
                                 0,
                                 {}};
                ++expected;
            }
            if (rc != SQLITE_DONE)
                return storageError(m_db, m_path, tr("Cannot read the id dictionaries"));
            q.reset();
        }
    }

    const std::size_t rows = std::size_t(n);
    table->user.resize(rows);
    table->item.resize(rows);
    table->category.resize(rows);
    table->behaviour.resize(rows);
    table->ts.resize(rows);
    if (hasSession)
        table->session.resize(rows);
    if (hasPrice)
        table->price.resize(rows);
    if (hasBrand)
        table->brand.resize(rows);

    Statement q;
    if (!q.prepare(m_db,
                   "SELECT rowid, user, item, category, behaviour, ts, session, price, brand FROM events "
                   "WHERE rowid BETWEEN ? AND ? ORDER BY rowid"))
        return storageError(m_db, m_path, tr("Cannot read the events"));
    q.bind(1, ds.firstRowid);
    q.bind(2, ds.lastRowid);
    sqlite3_stmt* s = q.get();
    auto code = [s](int col) {
        return sqlite3_column_type(s, col) == SQLITE_NULL ? Dictionary::kNone
                                                          : std::uint32_t(sqlite3_column_int64(s, col));
    };
    std::size_t i = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (i >= rows || sqlite3_column_int64(s, 0) != ds.firstRowid + std::int64_t(i))
            return Error{ErrorCode::Corrupt,
                         tr("The events of dataset “%1” are incomplete.").arg(name),
                         m_path,
                         0,
                         0,
                         {}};
        table->user[i] = std::uint32_t(sqlite3_column_int64(s, 1));
        table->item[i] = std::uint32_t(sqlite3_column_int64(s, 2));
        table->category[i] = code(3);
        const int behaviour = sqlite3_column_int(s, 4);
        if (behaviour < 0 || behaviour >= kBehaviourCount)
            return Error{ErrorCode::Corrupt,
                         tr("The dataset “%1” holds an unknown behaviour code %2.").arg(name).arg(behaviour),
                         m_path,
                         0,
                         0,
                         {}};
        table->behaviour[i] = std::uint8_t(behaviour);
        table->ts[i] = sqlite3_column_int64(s, 5);
        if (hasSession)
            table->session[i] = code(6);
        if (hasPrice)
            table->price[i] =
                sqlite3_column_type(s, 7) == SQLITE_NULL ? std::nanf("") : float(sqlite3_column_double(s, 7));
        if (hasBrand)
            table->brand[i] = code(8);
        ++i;
        if ((i & (kChunkRows - 1)) == 0) {
            progress.report(std::int64_t(i), n, loadingEvents);
            if (cancel.isCancelled())
                return cancelledError();
        }
    }
    if (rc != SQLITE_DONE)
        return storageError(m_db, m_path, tr("Cannot read the events"));
    if (i != rows)
        return Error{
            ErrorCode::Corrupt, tr("The events of dataset “%1” are incomplete.").arg(name), m_path, 0, 0, {}};
    progress.report(n, n, loadingEvents);
    return table;
}

Status Workspace::removeDataset(const QString& name)
{
    Transaction txn(m_db);
    if (!txn.ok())
        return storageError(m_db, m_path, tr("Cannot remove the dataset “%1”").arg(name));
    auto found = findDataset(m_db, m_path, name);
    if (!found)
        return found.error();
    const DatasetRow& ds = found.value();
    Statement events, dictionary, models, runs, datasets;
    if (!events.prepare(m_db, "DELETE FROM events WHERE rowid BETWEEN ? AND ?") ||
        !dictionary.prepare(m_db, "DELETE FROM dictionary WHERE dataset_id = ?") ||
        !models.prepare(m_db,
                        "DELETE FROM models WHERE run_id IN (SELECT id FROM runs WHERE dataset_id = ?)") ||
        !runs.prepare(m_db, "DELETE FROM runs WHERE dataset_id = ?") ||
        !datasets.prepare(m_db, "DELETE FROM datasets WHERE id = ?"))
        return storageError(m_db, m_path, tr("Cannot remove the dataset “%1”").arg(name));
    events.bind(1, ds.firstRowid);
    events.bind(2, ds.lastRowid);
    dictionary.bind(1, ds.info.id);
    models.bind(1, ds.info.id);
    runs.bind(1, ds.info.id);
    datasets.bind(1, ds.info.id);
    if (events.step() != SQLITE_DONE || dictionary.step() != SQLITE_DONE || models.step() != SQLITE_DONE ||
        runs.step() != SQLITE_DONE || datasets.step() != SQLITE_DONE)
        return storageError(m_db, m_path, tr("Cannot remove the dataset “%1”").arg(name));
    if (!txn.commit())
        return storageError(m_db, m_path, tr("Cannot commit the removal of “%1”").arg(name));
    return {};
}

} // namespace swb
