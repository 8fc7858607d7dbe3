#pragma once

#include "behaviour.h"
#include "dictionary.h"

#include <cmath>
#include <cstdint>
#include <vector>

namespace swb {

// The canonical event log, stored by column: one entry per event in each vector, no heap object
// per event. Row i is (user[i], item[i], category[i], behaviour[i], ts[i], ...), in file order.
// Ids are codes into the dictionaries; the dictionaries hold the original ids a user sees.
// Optional columns (session, price, brand) are empty when the source format has no such field.
struct EventTable
{
    std::vector<std::uint32_t> user;
    std::vector<std::uint32_t> item;
    std::vector<std::uint32_t> category; // Dictionary::kNone when the row has no category
    std::vector<std::uint8_t> behaviour; // Behaviour as its underlying value
    std::vector<std::int64_t> ts;        // Unix seconds, UTC
    std::vector<std::uint32_t> session;  // empty, or a code per row (kNone when absent on that row)
    std::vector<float> price;            // empty, or a value per row (NaN when absent on that row)
    std::vector<std::uint32_t> brand;    // empty, or a code per row (kNone when absent on that row)

    Dictionary users;
    Dictionary items;
    Dictionary categories;
    Dictionary sessions;
    Dictionary brands;

    std::size_t size() const { return ts.size(); }
    bool hasSession() const { return !session.empty(); }
    bool hasPrice() const { return !price.empty(); }
    bool hasBrand() const { return !brand.empty(); }
    Behaviour behaviourAt(std::size_t row) const { return static_cast<Behaviour>(behaviour[row]); }
    std::size_t memoryBytes() const;
    void clear();
};

// Counts a user sees in the summary panel, `scenewb inspect` and the import report.
struct DatasetSummary
{
    std::int64_t events = 0;
    std::int64_t behaviours[kBehaviourCount] = {};
    std::int64_t users = 0;
    std::int64_t items = 0;
    std::int64_t categories = 0;
    std::int64_t sessions = 0;
    std::int64_t firstTs = 0; // Unix seconds UTC; 0 when there are no events
    std::int64_t lastTs = 0;
};

// O(n) over the table.
DatasetSummary summarize(const EventTable& table);

} // namespace swb
