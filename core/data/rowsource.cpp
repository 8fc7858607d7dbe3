#include "rowsource.h"

#include <cmath>

namespace swb::detail {

namespace {

enum RowColumn
{
    ColUser,
    ColItem,
    ColCategory,
    ColBehaviour,
    ColTs,
    ColSession,
    ColPrice,
    ColBrand
};

struct RowsTable
{
    sqlite3_vtab base;
    RowSource* source;
};

struct RowsCursor
{
    sqlite3_vtab_cursor base;
    RowSource* source;
    std::size_t row;
};

int rowsConnect(sqlite3* db, void* aux, int, const char* const*, sqlite3_vtab** out, char**)
{
    const int rc = sqlite3_declare_vtab(
        db, "CREATE TABLE x(user, item, category, behaviour, ts, session, price, brand)");
    if (rc != SQLITE_OK)
        return rc;
    auto* table = static_cast<RowsTable*>(sqlite3_malloc(sizeof(RowsTable)));
    if (!table)
        return SQLITE_NOMEM;
    std::memset(table, 0, sizeof(RowsTable));
    table->source = static_cast<RowSource*>(aux);
    *out = &table->base;
    return SQLITE_OK;
}

int rowsBestIndex(sqlite3_vtab*, sqlite3_index_info* info)
{
    info->estimatedCost = 1e6;
    info->estimatedRows = kStoreChunkRows;
    return SQLITE_OK;
}

int rowsDisconnect(sqlite3_vtab* table)
{
    sqlite3_free(table);
    return SQLITE_OK;
}

int rowsOpen(sqlite3_vtab* table, sqlite3_vtab_cursor** out)
{
    auto* cursor = static_cast<RowsCursor*>(sqlite3_malloc(sizeof(RowsCursor)));
    if (!cursor)
        return SQLITE_NOMEM;
    std::memset(cursor, 0, sizeof(RowsCursor));
    cursor->source = reinterpret_cast<RowsTable*>(table)->source;
    *out = &cursor->base;
    return SQLITE_OK;
}

int rowsClose(sqlite3_vtab_cursor* cursor)
{
    sqlite3_free(cursor);
    return SQLITE_OK;
}

int rowsFilter(sqlite3_vtab_cursor* cursor, int, const char*, int, sqlite3_value**)
{
    auto* c = reinterpret_cast<RowsCursor*>(cursor);
    c->row = c->source->table ? c->source->begin : 0;
    return SQLITE_OK;
}

int rowsNext(sqlite3_vtab_cursor* cursor)
{
    ++reinterpret_cast<RowsCursor*>(cursor)->row;
    return SQLITE_OK;
}

int rowsEof(sqlite3_vtab_cursor* cursor)
{
    const auto* c = reinterpret_cast<RowsCursor*>(cursor);
    return !c->source->table || c->row >= c->source->end;
}

void resultCode(sqlite3_context* ctx, std::uint32_t code)
{
    if (code == Dictionary::kNone)
        sqlite3_result_null(ctx);
    else
        sqlite3_result_int64(ctx, code);
}

int rowsColumn(sqlite3_vtab_cursor* cursor, sqlite3_context* ctx, int column)
{
    const auto* c = reinterpret_cast<RowsCursor*>(cursor);
    const EventTable& t = *c->source->table;
    const std::size_t i = c->row;
    switch (column) {
    case ColUser:
        sqlite3_result_int64(ctx, t.user[i]);
        break;
    case ColItem:
        sqlite3_result_int64(ctx, t.item[i]);
        break;
    case ColCategory:
        resultCode(ctx, t.category[i]);
        break;
    case ColBehaviour:
        sqlite3_result_int(ctx, t.behaviour[i]);
        break;
    case ColTs:
        sqlite3_result_int64(ctx, t.ts[i]);
        break;
    case ColSession:
        if (t.hasSession())
            resultCode(ctx, t.session[i]);
        break; // no result: NULL
    case ColPrice:
        if (t.hasPrice() && !std::isnan(t.price[i]))
            sqlite3_result_double(ctx, double(t.price[i]));
        break;
    case ColBrand:
        if (t.hasBrand())
            resultCode(ctx, t.brand[i]);
        break;
    default:
        break;
    }
    return SQLITE_OK;
}

int rowsRowid(sqlite3_vtab_cursor* cursor, sqlite3_int64* rowid)
{
    *rowid = sqlite3_int64(reinterpret_cast<RowsCursor*>(cursor)->row);
    return SQLITE_OK;
}

} // namespace

// Eponymous-only (no xCreate, so no CREATE VIRTUAL TABLE) and read-only.
const sqlite3_module& rowsModule()
{
    static const sqlite3_module module = [] {
        sqlite3_module m{};
        m.xConnect = rowsConnect;
        m.xBestIndex = rowsBestIndex;
        m.xDisconnect = rowsDisconnect;
        m.xOpen = rowsOpen;
        m.xClose = rowsClose;
        m.xFilter = rowsFilter;
        m.xNext = rowsNext;
        m.xEof = rowsEof;
        m.xColumn = rowsColumn;
        m.xRowid = rowsRowid;
        return m;
    }();
    return module;
}

} // namespace swb::detail
