#pragma once

#include "core/data/eventtable.h"

#include <sqlite3.h>

#include <cstddef>
#include <cstdint>

namespace swb::detail {

// Rows per INSERT … SELECT from swb_rows (progress and cancel are checked between chunks).
inline constexpr std::int64_t kStoreChunkRows = 64 * 1024;

// The slice [begin, end) of the table being stored, exposed to SQL as the eponymous virtual table
// `swb_rows` of this connection only. `INSERT INTO events SELECT ... FROM swb_rows` moves rows
// from the columns into the b-tree without a bind call per value: the fastest path SQLite offers.
struct RowSource
{
    const EventTable* table = nullptr;
    std::size_t begin = 0;
    std::size_t end = 0;
};

// The module behind `swb_rows`; register it with sqlite3_create_module_v2 and a RowSource as aux.
// Eponymous-only (no CREATE VIRTUAL TABLE) and read-only.
const sqlite3_module& rowsModule();

} // namespace swb::detail
