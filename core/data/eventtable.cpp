#include "eventtable.h"

#include <algorithm>

namespace swb {

std::size_t EventTable::memoryBytes() const
{
    return user.capacity() * 4 + item.capacity() * 4 + category.capacity() * 4 + behaviour.capacity() +
           ts.capacity() * 8 + session.capacity() * 4 + price.capacity() * 4 + brand.capacity() * 4 +
           users.memoryBytes() + items.memoryBytes() + categories.memoryBytes() + sessions.memoryBytes() +
           brands.memoryBytes();
}

void EventTable::clear()
{
    *this = EventTable{};
}

DatasetSummary summarize(const EventTable& table)
{
    DatasetSummary s;
    s.events = static_cast<std::int64_t>(table.size());
    s.users = table.users.size();
    s.items = table.items.size();
    s.categories = table.categories.size();
    s.sessions = table.sessions.size();
    for (std::uint8_t b : table.behaviour)
        ++s.behaviours[b];
    if (!table.ts.empty()) {
        const auto [lo, hi] = std::minmax_element(table.ts.begin(), table.ts.end());
        s.firstTs = *lo;
        s.lastTs = *hi;
    }
    return s;
}

} // namespace swb
