// The workspace file: round trips, refusals, cancel, crash safety and store throughput.
//
// Crash safety needs a process that dies in the middle of a write. The test executable re-invokes
// itself with SWB_WORKSPACE_CHILD=<file>; main() then runs childWriter() instead of the tests.

#include "core/data/workspace.h"
#include "testsupport.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <sqlite3.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <functional>
#include <random>
#include <string>

using namespace swb;

namespace {

const char* const kChildVariable = "SWB_WORKSPACE_CHILD";

class FunctionProgress final : public ProgressSink
{
public:
    using Function = std::function<void(std::int64_t done, std::int64_t total)>;
    explicit FunctionProgress(Function f) : m_f(std::move(f)) {}
    void report(std::int64_t done, std::int64_t total, const QString&) override { m_f(done, total); }

private:
    Function m_f;
};

enum class Columns
{
    All,
    Required
};

// Rows shaped like REES46 (session, price, brand) or Taobao (required columns only), seeded.
EventTable syntheticTable(std::size_t rows, Columns columns, unsigned seed = 42)
{
    EventTable t;
    const std::uint32_t users = std::uint32_t(std::max<std::size_t>(1, rows / 10));
    const std::uint32_t items = std::uint32_t(std::max<std::size_t>(1, rows / 20));
    const std::uint32_t categories = 1000;
    const std::uint32_t sessions = std::uint32_t(std::max<std::size_t>(1, rows / 5));
    const std::uint32_t brands = 2000;
    for (std::uint32_t i = 0; i < users; ++i)
        t.users.intern(std::to_string(500000000ull + i * 7ull));
    for (std::uint32_t i = 0; i < items; ++i)
        t.items.intern(std::to_string(1000000ull + i * 13ull));
    for (std::uint32_t i = 0; i < categories; ++i)
        t.categories.intern(std::to_string(2053013552326770905ull + i));
    if (columns == Columns::All) {
        char uuid[40];
        for (std::uint32_t i = 0; i < sessions; ++i) {
            std::snprintf(uuid, sizeof uuid, "%08x-4dac-4778-8d2c-%012x", i, i * 2654435761u);
            t.sessions.intern(uuid);
        }
        for (std::uint32_t i = 0; i < brands; ++i)
            t.brands.intern("brand" + std::to_string(i));
    }
    std::mt19937 rng(seed);
    t.user.resize(rows);
    t.item.resize(rows);
    t.category.resize(rows);
    t.behaviour.resize(rows);
    t.ts.resize(rows);
    if (columns == Columns::All) {
        t.session.resize(rows);
        t.price.resize(rows);
        t.brand.resize(rows);
    }
    std::int64_t ts = 1569888000;
    for (std::size_t i = 0; i < rows; ++i) {
        const std::uint32_t r = rng();
        t.user[i] = r % users;
        t.item[i] = (r >> 7) % items;
        t.category[i] = (r & 0x3f) == 0 ? Dictionary::kNone : (r >> 3) % categories;
        t.behaviour[i] = std::uint8_t((r >> 13) % kBehaviourCount);
        ts += (r >> 20) & 3;
        t.ts[i] = ts;
        if (columns == Columns::All) {
            t.session[i] = (r & 0xff) == 1 ? Dictionary::kNone : (r >> 5) % sessions;
            t.price[i] = (r & 0x7f) == 2 ? std::nanf("") : float((r >> 11) % 100000) / 100.0f;
            t.brand[i] = (r & 0x7) == 3 ? Dictionary::kNone : (r >> 9) % brands;
        }
    }
    return t;
}

// Written by hand: ids beyond 2^53, leading zeros, UTF-8, UUID sessions, NaN prices, kNone codes.
EventTable handTable()
{
    EventTable t;
    const std::uint32_t u0 = t.users.intern("541312140");
    const std::uint32_t u1 = t.users.intern("18446744073709551615");
    const std::uint32_t u2 = t.users.intern("007");
    const std::uint32_t i0 = t.items.intern("44600062");
    const std::uint32_t i1 = t.items.intern("9223372036854775808");
    const std::uint32_t c0 = t.categories.intern("2053013555631882655");
    const std::uint32_t c1 = t.categories.intern("kosmetik/creme ü");
    const std::uint32_t s0 = t.sessions.intern("26dd6e6e-4dac-4778-8d2c-92e149dab885");
    const std::uint32_t s1 = t.sessions.intern("72d76fde-8bb3-4e00-8c23-a032dfed738c");
    const std::uint32_t b0 = t.brands.intern("shiseido");
    const std::uint32_t b1 = t.brands.intern("");
    const std::uint32_t none = Dictionary::kNone;
    const float nan = std::nanf("");
    struct Row
    {
        std::uint32_t user, item, category;
        Behaviour behaviour;
        std::int64_t ts;
        std::uint32_t session;
        float price;
        std::uint32_t brand;
    };
    const Row rows[] = {
        {u0, i0, c0, Behaviour::View, 1569888000, s0, 35.79f, b0},
        {u1, i1, none, Behaviour::Cart, 1569888001, s0, nan, none},
        {u2, i0, c1, Behaviour::Buy, 1569888060, none, 0.0f, b1},
        {u1, i0, c0, Behaviour::RemoveFromCart, 1569891600, s1, 1234.5f, b0},
        {u0, i1, c1, Behaviour::Fav, 1569974400, s1, -0.0f, none},
    };
    for (const Row& r : rows) {
        t.user.push_back(r.user);
        t.item.push_back(r.item);
        t.category.push_back(r.category);
        t.behaviour.push_back(std::uint8_t(r.behaviour));
        t.ts.push_back(r.ts);
        t.session.push_back(r.session);
        t.price.push_back(r.price);
        t.brand.push_back(r.brand);
    }
    return t;
}

ImportReport reportFor(const EventTable& t, const QString& format)
{
    ImportReport r;
    r.format = format;
    r.files = QStringList{QStringLiteral("2019-Oct.csv"), QStringLiteral("2019-Nov.csv")};
    r.rowsRead = std::int64_t(t.size()) + 2;
    r.rowsImported = std::int64_t(t.size());
    r.rowsRejected = 2;
    r.rejectedByReason[QString::fromLatin1(reject::InvalidTimestamp)] = 2;
    return r;
}

bool sameColumns(const EventTable& a, const EventTable& b)
{
    if (a.user != b.user || a.item != b.item || a.category != b.category || a.behaviour != b.behaviour ||
        a.ts != b.ts || a.session != b.session || a.brand != b.brand || a.price.size() != b.price.size())
        return false;
    for (std::size_t i = 0; i < a.price.size(); ++i) {
        if (std::isnan(a.price[i]) != std::isnan(b.price[i]))
            return false;
        if (!std::isnan(a.price[i]) && a.price[i] != b.price[i])
            return false;
    }
    return true;
}

// The first dictionary whose texts differ, or an empty string.
QString dictionaryDifference(const EventTable& a, const EventTable& b)
{
    const std::pair<const char*, Dictionary EventTable::*> dicts[] = {
        {"users", &EventTable::users},           {"items", &EventTable::items},
        {"categories", &EventTable::categories}, {"sessions", &EventTable::sessions},
        {"brands", &EventTable::brands},
    };
    for (const auto& [name, member] : dicts) {
        const Dictionary& x = a.*member;
        const Dictionary& y = b.*member;
        if (x.size() != y.size())
            return QStringLiteral("%1: %2 ids vs %3").arg(QLatin1String(name)).arg(x.size()).arg(y.size());
        for (std::uint32_t code = 0; code < x.size(); ++code) {
            if (x.text(code) != y.text(code))
                return QStringLiteral("%1: code %2").arg(QLatin1String(name)).arg(code);
        }
    }
    return {};
}

// Direct access to the file, as an analyst with the sqlite3 shell would have.
class RawDb
{
public:
    explicit RawDb(const QString& path)
    {
        sqlite3_open_v2(QFile::encodeName(path).constData(), &m_db, SQLITE_OPEN_READWRITE, nullptr);
    }
    ~RawDb() { sqlite3_close_v2(m_db); }
    RawDb(const RawDb&) = delete;
    RawDb& operator=(const RawDb&) = delete;

    // Rows of the query, each a list of column texts ("NULL" for NULL).
    QList<QStringList> query(const char* sql, const QStringList& params = {})
    {
        QList<QStringList> rows;
        sqlite3_stmt* s = nullptr;
        if (sqlite3_prepare_v2(m_db, sql, -1, &s, nullptr) != SQLITE_OK) {
            qWarning("SQL error: %s", sqlite3_errmsg(m_db));
            return rows;
        }
        for (int i = 0; i < params.size(); ++i) {
            const QByteArray utf8 = params[i].toUtf8();
            sqlite3_bind_text(s, i + 1, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT);
        }
        while (sqlite3_step(s) == SQLITE_ROW) {
            QStringList row;
            for (int c = 0; c < sqlite3_column_count(s); ++c) {
                if (sqlite3_column_type(s, c) == SQLITE_NULL)
                    row << QStringLiteral("NULL");
                else
                    row << QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(s, c)),
                                             sqlite3_column_bytes(s, c));
            }
            rows << row;
        }
        sqlite3_finalize(s);
        return rows;
    }
    QString scalar(const char* sql, const QStringList& params = {})
    {
        const auto rows = query(sql, params);
        return rows.isEmpty() || rows.first().isEmpty() ? QString() : rows.first().first();
    }
    bool exec(const char* sql) { return sqlite3_exec(m_db, sql, nullptr, nullptr, nullptr) == SQLITE_OK; }

private:
    sqlite3* m_db = nullptr;
};

// The error text of a failed Result, for QVERIFY2 (which evaluates its message even on success).
template <typename R> QByteArray why(const R& result)
{
    return result.ok() ? QByteArray() : result.error().toString().toUtf8();
}

QByteArray fileBytes(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Child mode: write a large dataset over and over, cancelling each attempt just before it would
// commit, until the parent kills the process. Prints "writing" once the first write is under way.
int childWriter(const QString& path)
{
    auto ws = Workspace::open(path);
    if (!ws) {
        std::fprintf(stderr, "child: %s\n", why(ws).constData());
        return 2;
    }
    const EventTable table = syntheticTable(3'000'000, Columns::All, 7);
    const ImportReport report = reportFor(table, QStringLiteral("rees46"));
    bool announced = false;
    for (int attempt = 0;; ++attempt) {
        CancelToken cancel;
        FunctionProgress progress([&](std::int64_t done, std::int64_t total) {
            if (!announced && done > 0) {
                std::fputs("writing\n", stdout);
                std::fflush(stdout);
                announced = true;
            }
            if (done * 100 >= total * 95)
                cancel.cancel();
        });
        (void)ws.value()->storeDataset(QStringLiteral("uncommitted %1").arg(attempt), table, report, progress,
                                       cancel);
    }
}

} // namespace

class TestWorkspace : public QObject
{
    Q_OBJECT

private slots:
    void defaultPathIsInUserData();
    void roundTrip_data();
    void roundTrip();
    void readableViewShowsOriginalIds();
    void duplicateNameRefused();
    void cancelDuringStoreLeavesNothing_data();
    void cancelDuringStoreLeavesNothing();
    void cancelDuringLoad();
    void schemaVersionStored();
    void newerSchemaRefused();
    void foreignFileRefusedUntouched_data();
    void foreignFileRefusedUntouched();
    void killedWriterLeavesLastCommit();
    void removeDatasetRemovesEverything();
    void storeThroughput_data();
    void storeThroughput();

private:
    QTemporaryDir m_dir;
    int m_counter = 0;
    QString freshPath() { return m_dir.filePath(QStringLiteral("ws%1/workspace.swb").arg(++m_counter)); }
};

void TestWorkspace::defaultPathIsInUserData()
{
    const QString path = Workspace::defaultPath();
    QVERIFY(path.endsWith(QLatin1String("/workspace.swb")));
    QVERIFY(QFileInfo(path).isAbsolute());
}

void TestWorkspace::roundTrip_data()
{
    QTest::addColumn<int>("shape");
    QTest::newRow("hand-written ids, NaN prices, no brand") << 0;
    QTest::newRow("REES46-like, 100k rows") << 1;
    QTest::newRow("Taobao-like, required columns only") << 2;
    QTest::newRow("empty") << 3;
}

void TestWorkspace::roundTrip()
{
    QFETCH(int, shape);
    const EventTable original = shape == 0   ? handTable()
                                : shape == 1 ? syntheticTable(100'000, Columns::All)
                                : shape == 2 ? syntheticTable(50'000, Columns::Required)
                                             : EventTable{};
    const ImportReport report = reportFor(original, QStringLiteral("rees46"));
    const QString path = freshPath(); // its folder does not exist yet
    QVERIFY(!QFileInfo::exists(QFileInfo(path).absolutePath()));

    NullProgress none;
    std::int64_t lastDone = -1, lastTotal = -1;
    FunctionProgress progress([&](std::int64_t done, std::int64_t total) {
        QVERIFY(done >= lastDone);
        lastDone = done;
        lastTotal = total;
    });
    {
        auto ws = Workspace::open(path);
        QVERIFY2(ws, why(ws).constData());
        auto stored =
            ws.value()->storeDataset(QStringLiteral("oct"), original, report, progress, CancelToken());
        QVERIFY2(stored, why(stored).constData());
        QCOMPARE(stored->name, QStringLiteral("oct"));
        QCOMPARE(stored->summary.events, std::int64_t(original.size()));
    }
    QCOMPARE(lastDone, std::int64_t(original.size()));
    QCOMPARE(lastTotal, std::int64_t(original.size()));

    // A new connection, as after restarting the program.
    auto ws = Workspace::open(path);
    QVERIFY2(ws, why(ws).constData());
    auto loaded = ws.value()->loadDataset(QStringLiteral("oct"), none, CancelToken());
    QVERIFY2(loaded, why(loaded).constData());
    const EventTable& back = *loaded.value();
    QCOMPARE(back.size(), original.size());
    QCOMPARE(back.hasSession(), original.hasSession());
    QCOMPARE(back.hasPrice(), original.hasPrice());
    QCOMPARE(back.hasBrand(), original.hasBrand());
    QVERIFY(sameColumns(back, original));
    QCOMPARE(dictionaryDifference(back, original), QString());

    auto list = ws.value()->datasets();
    QVERIFY2(list, why(list).constData());
    QCOMPARE(list->size(), std::size_t(1));
    const DatasetInfo& info = list->front();
    const DatasetSummary expected = summarize(original);
    QCOMPARE(info.name, QStringLiteral("oct"));
    QCOMPARE(info.format, QStringLiteral("rees46"));
    QCOMPARE(info.source, QStringLiteral("2019-Oct.csv; 2019-Nov.csv"));
    QVERIFY(QDateTime::fromString(info.createdAt, Qt::ISODate).isValid());
    QCOMPARE(info.summary.events, expected.events);
    QCOMPARE(info.summary.users, expected.users);
    QCOMPARE(info.summary.items, expected.items);
    QCOMPARE(info.summary.categories, expected.categories);
    QCOMPARE(info.summary.sessions, expected.sessions);
    QCOMPARE(info.summary.firstTs, expected.firstTs);
    QCOMPARE(info.summary.lastTs, expected.lastTs);
    for (int b = 0; b < kBehaviourCount; ++b)
        QCOMPARE(info.summary.behaviours[b], expected.behaviours[b]);
    QCOMPARE(info.report, toJson(report));

    auto one = ws.value()->dataset(QStringLiteral("oct"));
    QVERIFY(one);
    QCOMPARE(one->id, info.id);
    auto missing = ws.value()->dataset(QStringLiteral("nov"));
    QVERIFY(!missing);
    QCOMPARE(missing.error().code, ErrorCode::NotFound);
    QVERIFY(missing.error().message.contains(QLatin1String("nov")));
}

void TestWorkspace::readableViewShowsOriginalIds()
{
    const QString path = freshPath();
    const EventTable table = handTable();
    NullProgress none;
    {
        auto ws = Workspace::open(path);
        QVERIFY(ws);
        // Another dataset first, so the hand table's codes and rowids are not the first ones.
        QVERIFY(ws.value()->storeDataset(QStringLiteral("other"), syntheticTable(1000, Columns::All),
                                         ImportReport(), none, CancelToken()));
        QVERIFY(ws.value()->storeDataset(QStringLiteral("x"), table, ImportReport(), none, CancelToken()));
    }
    RawDb db(path);
    const auto rows =
        db.query("SELECT user_id, item_id, category_id, behaviour, time, ts, session_id, price, brand "
                 "FROM events_readable WHERE dataset = 'x' AND user_id = ? ORDER BY ts",
                 {QStringLiteral("18446744073709551615")});
    QCOMPARE(rows.size(), 2);
    QCOMPARE(
        rows[0],
        (QStringList{QStringLiteral("18446744073709551615"), QStringLiteral("9223372036854775808"),
                     QStringLiteral("NULL"), QStringLiteral("cart"), QStringLiteral("2019-10-01T00:00:01Z"),
                     QStringLiteral("1569888001"), QStringLiteral("26dd6e6e-4dac-4778-8d2c-92e149dab885"),
                     QStringLiteral("NULL"), QStringLiteral("NULL")}));
    QCOMPARE(rows[1][3], QStringLiteral("remove_from_cart"));
    QCOMPARE(rows[1][6], QStringLiteral("72d76fde-8bb3-4e00-8c23-a032dfed738c"));
    QCOMPARE(rows[1][7].toDouble(), 1234.5);
    QCOMPARE(rows[1][8], QStringLiteral("shiseido"));

    QCOMPARE(db.scalar("SELECT count(*) FROM events_readable WHERE dataset = 'x'"), QStringLiteral("5"));
    QCOMPARE(db.scalar("SELECT category_id FROM events_readable WHERE dataset = 'x' AND user_id = '007'"),
             QStringLiteral("kosmetik/creme ü"));
    QCOMPARE(db.scalar("SELECT group_concat(name, ',') FROM (SELECT name FROM behaviours ORDER BY code)"),
             QStringLiteral("view,fav,cart,remove_from_cart,buy"));
    // Looking one dataset up must not scan the others' events.
    const auto plan = db.query("EXPLAIN QUERY PLAN SELECT * FROM events_readable WHERE dataset = 'x'");
    QStringList details;
    for (const auto& row : plan)
        details << row.last();
    QVERIFY2(!details.join(QLatin1Char('\n')).contains(QLatin1String("SCAN e")),
             qPrintable(details.join(u'\n')));
}

void TestWorkspace::duplicateNameRefused()
{
    const QString path = freshPath();
    auto ws = Workspace::open(path);
    QVERIFY(ws);
    NullProgress none;
    const EventTable first = handTable();
    QVERIFY(ws.value()->storeDataset(QStringLiteral("x"), first, ImportReport(), none, CancelToken()));
    QCOMPARE(ws.value()->uniqueDatasetName(QStringLiteral("x")), QStringLiteral("x (2)"));
    QCOMPARE(ws.value()->uniqueDatasetName(QStringLiteral("y")), QStringLiteral("y"));

    auto again = ws.value()->storeDataset(QStringLiteral("x"), syntheticTable(1000, Columns::Required),
                                          ImportReport(), none, CancelToken());
    QVERIFY(!again);
    QCOMPARE(again.error().code, ErrorCode::InvalidArgument);
    QVERIFY2(again.error().message.contains(QString::fromUtf8("“x”")), qPrintable(again.error().message));

    // Unchanged: one dataset, its events only, still loading exactly.
    auto list = ws.value()->datasets();
    QVERIFY(list);
    QCOMPARE(list->size(), std::size_t(1));
    RawDb db(path);
    QCOMPARE(db.scalar("SELECT count(*) FROM events"), QString::number(first.size()));
    auto loaded = ws.value()->loadDataset(QStringLiteral("x"), none, CancelToken());
    QVERIFY(loaded);
    QVERIFY(sameColumns(*loaded.value(), first));

    QVERIFY(ws.value()->storeDataset(QStringLiteral("x (2)"), first, ImportReport(), none, CancelToken()));
    QCOMPARE(ws.value()->uniqueDatasetName(QStringLiteral("x")), QStringLiteral("x (3)"));
}

void TestWorkspace::cancelDuringStoreLeavesNothing_data()
{
    QTest::addColumn<qint64>("cancelAt");
    QTest::newRow("cancelled before starting") << qint64(0);
    QTest::newRow("cancelled after the first chunk") << qint64(1);
    QTest::newRow("cancelled at the last chunk") << qint64(300'000);
}

void TestWorkspace::cancelDuringStoreLeavesNothing()
{
    QFETCH(qint64, cancelAt);
    const QString path = freshPath();
    auto ws = Workspace::open(path);
    QVERIFY(ws);
    NullProgress none;
    const EventTable kept = handTable();
    QVERIFY(ws.value()->storeDataset(QStringLiteral("kept"), kept, ImportReport(), none, CancelToken()));

    const EventTable big = syntheticTable(300'000, Columns::All);
    CancelToken cancel;
    if (cancelAt == 0)
        cancel.cancel();
    std::int64_t reached = 0;
    FunctionProgress progress([&](std::int64_t done, std::int64_t) {
        reached = done;
        if (cancelAt > 0 && done >= cancelAt)
            cancel.cancel();
    });
    auto stored = ws.value()->storeDataset(QStringLiteral("big"), big, ImportReport(), progress, cancel);
    QVERIFY(!stored);
    QVERIFY(stored.error().isCancelled());
    if (cancelAt > 0)
        QVERIFY(reached >= cancelAt);

    auto list = ws.value()->datasets();
    QVERIFY(list);
    QCOMPARE(list->size(), std::size_t(1));
    QCOMPARE(list->front().name, QStringLiteral("kept"));
    RawDb db(path);
    QCOMPARE(db.scalar("SELECT count(*) FROM events"), QString::number(kept.size()));
    QCOMPARE(db.scalar("SELECT count(*) FROM dictionary WHERE dataset_id <> ?",
                       {QString::number(list->front().id)}),
             QStringLiteral("0"));

    // The workspace is usable afterwards and the name is free.
    QVERIFY(ws.value()->storeDataset(QStringLiteral("big"), big, ImportReport(), none, CancelToken()));
}

void TestWorkspace::cancelDuringLoad()
{
    auto ws = Workspace::open(freshPath());
    QVERIFY(ws);
    NullProgress none;
    QVERIFY(ws.value()->storeDataset(QStringLiteral("big"), syntheticTable(200'000, Columns::All),
                                     ImportReport(), none, CancelToken()));
    CancelToken cancel;
    FunctionProgress progress([&](std::int64_t done, std::int64_t) {
        if (done > 0)
            cancel.cancel();
    });
    auto loaded = ws.value()->loadDataset(QStringLiteral("big"), progress, cancel);
    QVERIFY(!loaded);
    QVERIFY(loaded.error().isCancelled());
    // Cancelling a read leaves the connection ready for writes.
    QVERIFY(
        ws.value()->storeDataset(QStringLiteral("small"), handTable(), ImportReport(), none, CancelToken()));
}

void TestWorkspace::schemaVersionStored()
{
    const QString path = freshPath();
    {
        auto ws = Workspace::open(path);
        QVERIFY(ws);
        QVERIFY(Workspace::currentSchemaVersion() >= 1);
        QCOMPARE(ws.value()->schemaVersion(), Workspace::currentSchemaVersion());
    }
    RawDb db(path);
    QCOMPARE(db.scalar("SELECT value FROM meta WHERE key = 'schema_version'"),
             QString::number(Workspace::currentSchemaVersion()));
    QCOMPARE(db.scalar("PRAGMA journal_mode"), QStringLiteral("wal"));
    // Reopening an up-to-date file keeps it as it is.
    auto again = Workspace::open(path);
    QVERIFY(again);
    QCOMPARE(again.value()->schemaVersion(), Workspace::currentSchemaVersion());
}

void TestWorkspace::newerSchemaRefused()
{
    const QString path = freshPath();
    {
        auto ws = Workspace::open(path);
        QVERIFY(ws);
    }
    {
        RawDb db(path);
        const QByteArray sql = "UPDATE meta SET value = '" +
                               QByteArray::number(Workspace::currentSchemaVersion() + 1) +
                               "' WHERE key = 'schema_version'";
        QVERIFY(db.exec(sql.constData()));
        QVERIFY(db.exec("PRAGMA wal_checkpoint(TRUNCATE)"));
    }
    const QByteArray before = fileBytes(path);
    auto ws = Workspace::open(path);
    QVERIFY(!ws);
    QCOMPARE(ws.error().file, path);
    QVERIFY2(ws.error().message.contains(QLatin1String("newer version")), qPrintable(ws.error().message));
    QVERIFY2(ws.error().message.contains(QString::number(Workspace::currentSchemaVersion() + 1)),
             qPrintable(ws.error().message));
    QCOMPARE(fileBytes(path), before);
}

void TestWorkspace::foreignFileRefusedUntouched_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<bool>("sqlite");
    QByteArray png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89", 33);
    png += QByteArray(4000, '\x5a');
    QTest::newRow("PNG image") << png << false;
    QTest::newRow("CSV text") << QByteArray(
                                     "user_id,item_id,category_id,behavior_type,timestamp\n1,2,3,pv,4\n")
                              << false;
    QTest::newRow("SQLite database of another program") << QByteArray() << true;
}

void TestWorkspace::foreignFileRefusedUntouched()
{
    QFETCH(QByteArray, content);
    QFETCH(bool, sqlite);
    const QString path = m_dir.filePath(QStringLiteral("foreign%1.swb").arg(++m_counter));
    if (sqlite) {
        sqlite3* db = nullptr;
        QCOMPARE(sqlite3_open(QFile::encodeName(path).constData(), &db), SQLITE_OK);
        QCOMPARE(sqlite3_exec(db, "CREATE TABLE photos(id INTEGER PRIMARY KEY, name TEXT)", nullptr, nullptr,
                              nullptr),
                 SQLITE_OK);
        sqlite3_close(db);
    } else {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
    }
    const QByteArray before = fileBytes(path);
    QVERIFY(!before.isEmpty());

    auto ws = Workspace::open(path);
    QVERIFY(!ws);
    QCOMPARE(ws.error().code, ErrorCode::FormatUnknown);
    QCOMPARE(ws.error().file, path);
    QVERIFY2(ws.error().toString().contains(path), why(ws).constData());
    QVERIFY2(ws.error().message.contains(QLatin1String("not a Scene Workbench workspace")),
             qPrintable(ws.error().message));
    QCOMPARE(fileBytes(path), before);
    QVERIFY(!QFileInfo::exists(path + QLatin1String("-wal")));
}

void TestWorkspace::killedWriterLeavesLastCommit()
{
    const QString path = freshPath();
    const EventTable committed = syntheticTable(20'000, Columns::All, 3);
    NullProgress none;
    {
        auto ws = Workspace::open(path);
        QVERIFY(ws);
        QVERIFY(ws.value()->storeDataset(QStringLiteral("committed"), committed,
                                         reportFor(committed, QStringLiteral("rees46")), none,
                                         CancelToken()));
    }

    QProcess child;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QString::fromLatin1(kChildVariable), path);
    child.setProcessEnvironment(env);
    child.setProcessChannelMode(QProcess::SeparateChannels);
    child.start(QCoreApplication::applicationFilePath(), QStringList());
    QVERIFY2(child.waitForStarted(), qPrintable(child.errorString()));
    QByteArray out;
    QElapsedTimer waited;
    waited.start();
    while (!out.contains("writing") && child.state() == QProcess::Running && waited.elapsed() < 120'000) {
        child.waitForReadyRead(1000);
        out += child.readAllStandardOutput();
    }
    QVERIFY2(out.contains("writing"), child.readAllStandardError().constData());
    // Let it write for a while: pages spill to the WAL, transactions roll back and start again.
    QThread::msleep(1500);
    QCOMPARE(child.state(), QProcess::Running);
    child.kill(); // SIGKILL: no destructor, no rollback, no checkpoint
    QVERIFY(child.waitForFinished(10'000));
    QCOMPARE(child.exitStatus(), QProcess::CrashExit);

    {
        RawDb db(path);
        QCOMPARE(db.scalar("PRAGMA integrity_check"), QStringLiteral("ok"));
        QCOMPARE(db.scalar("SELECT count(*) FROM events"), QString::number(committed.size()));
        const std::int64_t dictRows = committed.users.size() + committed.items.size() +
                                      committed.categories.size() + committed.sessions.size() +
                                      committed.brands.size();
        QCOMPARE(db.scalar("SELECT count(*) FROM dictionary"), QString::number(dictRows));
    }
    auto ws = Workspace::open(path);
    QVERIFY2(ws, why(ws).constData());
    auto list = ws.value()->datasets();
    QVERIFY(list);
    QCOMPARE(list->size(), std::size_t(1));
    QCOMPARE(list->front().name, QStringLiteral("committed"));
    auto loaded = ws.value()->loadDataset(QStringLiteral("committed"), none, CancelToken());
    QVERIFY(loaded);
    QVERIFY(sameColumns(*loaded.value(), committed));
    QCOMPARE(dictionaryDifference(*loaded.value(), committed), QString());
}

void TestWorkspace::removeDatasetRemovesEverything()
{
    const QString path = freshPath();
    auto ws = Workspace::open(path);
    QVERIFY(ws);
    NullProgress none;
    const EventTable a = syntheticTable(10'000, Columns::All, 1);
    const EventTable b = handTable();
    const EventTable c = syntheticTable(5'000, Columns::Required, 2);
    QVERIFY(ws.value()->storeDataset(QStringLiteral("a"), a, ImportReport(), none, CancelToken()));
    QVERIFY(ws.value()->storeDataset(QStringLiteral("b"), b, ImportReport(), none, CancelToken()));
    QVERIFY(ws.value()->storeDataset(QStringLiteral("c"), c, ImportReport(), none, CancelToken()));

    QVERIFY(ws.value()->removeDataset(QStringLiteral("b")));
    auto list = ws.value()->datasets();
    QVERIFY(list);
    QCOMPARE(list->size(), std::size_t(2));
    QCOMPARE(list->at(0).name, QStringLiteral("a"));
    QCOMPARE(list->at(1).name, QStringLiteral("c"));
    RawDb db(path);
    QCOMPARE(db.scalar("SELECT count(*) FROM events"), QString::number(a.size() + c.size()));
    QCOMPARE(db.scalar("SELECT count(*) FROM dictionary WHERE dataset_id NOT IN (SELECT id FROM datasets)"),
             QStringLiteral("0"));
    QCOMPARE(db.scalar("SELECT count(*) FROM events_readable WHERE dataset = 'b'"), QStringLiteral("0"));

    // The neighbours are intact, and the name can be used again.
    auto la = ws.value()->loadDataset(QStringLiteral("a"), none, CancelToken());
    auto lc = ws.value()->loadDataset(QStringLiteral("c"), none, CancelToken());
    QVERIFY(la && lc);
    QVERIFY(sameColumns(*la.value(), a));
    QVERIFY(sameColumns(*lc.value(), c));
    QCOMPARE(ws.value()->uniqueDatasetName(QStringLiteral("b")), QStringLiteral("b"));
    QVERIFY(ws.value()->storeDataset(QStringLiteral("b"), b, ImportReport(), none, CancelToken()));
    auto lb = ws.value()->loadDataset(QStringLiteral("b"), none, CancelToken());
    QVERIFY(lb);
    QVERIFY(sameColumns(*lb.value(), b));

    const Status missing = ws.value()->removeDataset(QStringLiteral("nope"));
    QVERIFY(!missing);
    QCOMPARE(missing.error().code, ErrorCode::NotFound);
    QVERIFY(missing.error().message.contains(QLatin1String("nope")));

    QVERIFY(ws.value()->removeDataset(QStringLiteral("a")));
    QVERIFY(ws.value()->removeDataset(QStringLiteral("b")));
    QVERIFY(ws.value()->removeDataset(QStringLiteral("c")));
    QCOMPARE(db.scalar("SELECT count(*) FROM events"), QStringLiteral("0"));
    QCOMPARE(db.scalar("SELECT count(*) FROM dictionary"), QStringLiteral("0"));
    QCOMPARE(db.scalar("SELECT count(*) FROM datasets"), QStringLiteral("0"));
}

void TestWorkspace::storeThroughput_data()
{
    QTest::addColumn<bool>("rees46");
    QTest::newRow("Taobao-like, 2M rows") << false;
    QTest::newRow("REES46-like, 2M rows, 700k ids") << true;
}

// Prints rows/s (wall and CPU: on a busy machine the CPU figure is the stable one); asserts only
// that the data survives.
void TestWorkspace::storeThroughput()
{
    QFETCH(bool, rees46);
    const std::size_t rows = 2'000'000;
    const EventTable table = syntheticTable(rows, rees46 ? Columns::All : Columns::Required);
    const QString path = freshPath();
    auto ws = Workspace::open(path);
    QVERIFY(ws);
    NullProgress none;
    QElapsedTimer timer;
    timer.start();
    std::clock_t cpu = std::clock();
    auto stored =
        ws.value()->storeDataset(QStringLiteral("bench"), table, ImportReport(), none, CancelToken());
    const double storeSeconds = double(timer.nsecsElapsed()) / 1e9;
    const double storeCpu = double(std::clock() - cpu) / CLOCKS_PER_SEC;
    QVERIFY2(stored, why(stored).constData());
    timer.restart();
    cpu = std::clock();
    auto loaded = ws.value()->loadDataset(QStringLiteral("bench"), none, CancelToken());
    const double loadSeconds = double(timer.nsecsElapsed()) / 1e9;
    const double loadCpu = double(std::clock() - cpu) / CLOCKS_PER_SEC;
    QVERIFY(loaded);
    QVERIFY(sameColumns(*loaded.value(), table));
    qInfo("store %zu rows: %.2f s = %.0f rows/s (CPU %.2f s = %.0f rows/s); load: %.2f s = %.0f rows/s (CPU "
          "%.2f "
          "s); file %.0f MB",
          rows, storeSeconds, double(rows) / storeSeconds, storeCpu, double(rows) / storeCpu, loadSeconds,
          double(rows) / loadSeconds, loadCpu,
          double(QFileInfo(path).size() + QFileInfo(path + QLatin1String("-wal")).size()) / 1e6);
}

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsSet(kChildVariable))
        return childWriter(qEnvironmentVariable(kChildVariable));
    TestWorkspace test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "test_workspace.moc"
