#include "rowsource.h"

#include <cmath>
#include <cstring>

namespace swb::detail {

namespace {

// One read-only, eponymous-only module per source type. Both sources are a slice [begin, end) of
// rows; Traits<Source> gives the table declaration and each row's column values.
template <class Source> struct Traits;

template <> struct Traits<RowSource>
{
    static constexpr const char* declaration =
        "CREATE TABLE x(user, item, category, behaviour, ts, session, price, brand)";

    enum Column
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

    static void resultCode(sqlite3_context* ctx, std::uint32_t code)
    {
        if (code == Dictionary::kNone)
            sqlite3_result_null(ctx);
        else
            sqlite3_result_int64(ctx, code);
    }

    static void result(const RowSource& source, std::size_t i, sqlite3_context* ctx, int column)
    {
        const EventTable& t = *source.table;
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
    }
};

template <> struct Traits<IdSource>
{
    static constexpr const char* declaration = "CREATE TABLE x(code, original_id)";

    static void result(const IdSource& source, std::size_t code, sqlite3_context* ctx, int column)
    {
        if (column == 0) {
            sqlite3_result_int64(ctx, sqlite3_int64(code));
            return;
        }
        // The dictionary is not modified while a statement reads it, and SQLite copies the text
        // into the record before asking for the next row, so the text need not be copied here.
        const std::string_view text = source.dictionary->text(std::uint32_t(code));
        sqlite3_result_text(ctx, text.data(), int(text.size()), SQLITE_STATIC);
    }
};

template <class Source> struct Table
{
    sqlite3_vtab base;
    Source* source;
};

template <class Source> struct Cursor
{
    sqlite3_vtab_cursor base;
    Source* source;
    std::size_t row;
};

template <class Source>
int connectTable(sqlite3* db, void* aux, int, const char* const*, sqlite3_vtab** out, char**)
{
    const int rc = sqlite3_declare_vtab(db, Traits<Source>::declaration);
    if (rc != SQLITE_OK)
        return rc;
    auto* table = static_cast<Table<Source>*>(sqlite3_malloc(sizeof(Table<Source>)));
    if (!table)
        return SQLITE_NOMEM;
    std::memset(table, 0, sizeof(Table<Source>));
    table->source = static_cast<Source*>(aux);
    *out = &table->base;
    return SQLITE_OK;
}

int bestIndex(sqlite3_vtab*, sqlite3_index_info* info)
{
    info->estimatedCost = 1e6;
    info->estimatedRows = kStoreChunkRows;
    return SQLITE_OK;
}

int disconnectTable(sqlite3_vtab* table)
{
    sqlite3_free(table);
    return SQLITE_OK;
}

template <class Source> int openCursor(sqlite3_vtab* table, sqlite3_vtab_cursor** out)
{
    auto* cursor = static_cast<Cursor<Source>*>(sqlite3_malloc(sizeof(Cursor<Source>)));
    if (!cursor)
        return SQLITE_NOMEM;
    std::memset(cursor, 0, sizeof(Cursor<Source>));
    cursor->source = reinterpret_cast<Table<Source>*>(table)->source;
    *out = &cursor->base;
    return SQLITE_OK;
}

int closeCursor(sqlite3_vtab_cursor* cursor)
{
    sqlite3_free(cursor);
    return SQLITE_OK;
}

template <class Source> int filterRows(sqlite3_vtab_cursor* cursor, int, const char*, int, sqlite3_value**)
{
    auto* c = reinterpret_cast<Cursor<Source>*>(cursor);
    c->row = c->source->begin;
    return SQLITE_OK;
}

template <class Source> int nextRow(sqlite3_vtab_cursor* cursor)
{
    ++reinterpret_cast<Cursor<Source>*>(cursor)->row;
    return SQLITE_OK;
}

template <class Source> int atEnd(sqlite3_vtab_cursor* cursor)
{
    const auto* c = reinterpret_cast<const Cursor<Source>*>(cursor);
    return c->row >= c->source->end;
}

template <class Source> int columnValue(sqlite3_vtab_cursor* cursor, sqlite3_context* ctx, int column)
{
    const auto* c = reinterpret_cast<const Cursor<Source>*>(cursor);
    Traits<Source>::result(*c->source, c->row, ctx, column);
    return SQLITE_OK;
}

template <class Source> int rowidOf(sqlite3_vtab_cursor* cursor, sqlite3_int64* rowid)
{
    *rowid = sqlite3_int64(reinterpret_cast<const Cursor<Source>*>(cursor)->row);
    return SQLITE_OK;
}

// Eponymous-only (no xCreate, so no CREATE VIRTUAL TABLE) and read-only.
template <class Source> sqlite3_module makeModule()
{
    sqlite3_module m{};
    m.xConnect = connectTable<Source>;
    m.xBestIndex = bestIndex;
    m.xDisconnect = disconnectTable;
    m.xOpen = openCursor<Source>;
    m.xClose = closeCursor;
    m.xFilter = filterRows<Source>;
    m.xNext = nextRow<Source>;
    m.xEof = atEnd<Source>;
    m.xColumn = columnValue<Source>;
    m.xRowid = rowidOf<Source>;
    return m;
}

} // namespace

const sqlite3_module& rowsModule()
{
    static const sqlite3_module module = makeModule<RowSource>();
    return module;
}

const sqlite3_module& idsModule()
{
    static const sqlite3_module module = makeModule<IdSource>();
    return module;
}

} // namespace swb::detail
