#pragma once

#include "core/data/behaviour.h"
#include "core/data/eventtable.h"
#include "core/jobs/cancel.h"
#include "core/jobs/progress.h"
#include "core/util/result.h"

#include <QString>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace swb {

// The columns the events table can show, in display order. Session, Price and Brand only when the
// table has them.
enum class EventColumn
{
    Row,
    User,
    Item,
    Category,
    Behaviour,
    Time,
    Session,
    Price,
    Brand
};

// Which rows of a table to show, and in which order. Ids are exact original ids.
struct EventQuery
{
    QString user;                          // empty: any user
    QString item;                          // empty: any item
    std::optional<Behaviour> behaviour;    // none: any behaviour
    std::optional<EventColumn> sortColumn; // none: file order
    bool descending = false;

    bool hasFilter() const { return !user.isEmpty() || !item.isEmpty() || behaviour.has_value(); }
    // File order of all rows: no index vector is needed.
    bool isIdentity() const
    {
        return !hasFilter() && (!sortColumn || (*sortColumn == EventColumn::Row && !descending));
    }
};

// Ranks of a dictionary's codes in the order of their original ids: numeric ids compare as
// numbers (any length), other ids after them byte-wise. rank[code] is 0..size-1.
using RankVector = std::vector<std::uint32_t>;

struct RankCache
{
    std::shared_ptr<const RankVector> users, items, categories, sessions, brands;
};

// The rows a query selects, in the query's order, plus the ranks it computed (to be cached).
struct RowSelection
{
    std::vector<std::uint32_t> rows;
    RankCache ranks;
    QString notice; // e.g. that a user id is not in the dataset
};

// Filters and sorts row indices of the table. O(n) to filter; sorting by an id or the behaviour is
// a counting sort over ranks, O(n + ids); by time or price O(k log k) over the selected rows.
// Sorting is stable: equal keys keep file order. Checks the cancel token between chunks.
Result<RowSelection> selectRows(std::shared_ptr<const EventTable> table, EventQuery query, RankCache ranks,
                                ProgressSink& progress, const CancelToken& cancel);

// Orders two original ids the way selectRows does.
bool idLess(std::string_view a, std::string_view b);

} // namespace swb
