#pragma once

#include "core/data/dictionary.h"
#include "core/data/eventtable.h"

#include <sqlite3.h>

#include <cstddef>
#include <cstdint>

namespace swb::detail {

// Rows (or ids) per INSERT … SELECT from swb_rows (or swb_ids); progress and cancel are checked
// between chunks.
inline constexpr std::int64_t kStoreChunkRows = 64 * 1024;

// The slice [begin, end) of the table being stored, exposed to SQL as the eponymous virtual table
// `swb_rows` of this connection only. `INSERT INTO events SELECT ... FROM swb_rows` moves rows
// from the columns into the b-tree without a bind call per value: the fastest path SQLite offers
// (about three times faster per row than a prepared INSERT stepped once per row).
struct RowSource
{
    const EventTable* table = nullptr;
    std::size_t begin = 0;
    std::size_t end = 0;
};

// The codes [begin, end) of the dictionary being stored, exposed as the eponymous virtual table
// `swb_ids(code, original_id)` in code order, for the same reason: one INSERT … SELECT per chunk of
// ids instead of a statement step per id.
struct IdSource
{
    const Dictionary* dictionary = nullptr;
    std::size_t begin = 0;
    std::size_t end = 0;
};

// The modules behind `swb_rows` and `swb_ids`; register them with sqlite3_create_module_v2 and a
// RowSource or IdSource as aux. Eponymous-only (no CREATE VIRTUAL TABLE) and read-only. While the
// source is empty (begin == end, as default-constructed) they have no rows.
const sqlite3_module& rowsModule();
const sqlite3_module& idsModule();

} // namespace swb::detail
