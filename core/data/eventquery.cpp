#include "eventquery.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>

namespace swb {

namespace {

constexpr std::size_t kChunk = std::size_t(1) << 20;

// Translation context of this file's messages (lupdate reads the macro).
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(swb::EventQuery)
};

bool isDigits(std::string_view s)
{
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string_view stripZeros(std::string_view s)
{
    while (s.size() > 1 && s.front() == '0')
        s.remove_prefix(1);
    return s;
}

// Numeric ids of up to 19 digits sort as integers (one cheap key comparison each); the rest, rare,
// with idLess. Both groups keep idLess order: a longer number is larger than any 19-digit one, and
// numbers come before other ids.
std::shared_ptr<const RankVector> computeRanks(const Dictionary& dictionary)
{
    const std::uint32_t n = dictionary.size();
    std::vector<std::pair<std::uint64_t, std::uint32_t>> numeric;
    std::vector<std::uint32_t> longNumeric, other;
    numeric.reserve(n);
    for (std::uint32_t code = 0; code < n; ++code) {
        const std::string_view text = dictionary.text(code);
        if (!isDigits(text)) {
            other.push_back(code);
            continue;
        }
        const std::string_view digits = stripZeros(text);
        if (digits.size() > 19) {
            longNumeric.push_back(code);
            continue;
        }
        std::uint64_t value = 0;
        for (char c : digits)
            value = value * 10 + std::uint64_t(c - '0');
        numeric.emplace_back(value, code);
    }
    std::sort(numeric.begin(), numeric.end());
    auto byText = [&](std::uint32_t a, std::uint32_t b) {
        return idLess(dictionary.text(a), dictionary.text(b));
    };
    std::sort(longNumeric.begin(), longNumeric.end(), byText);
    std::sort(other.begin(), other.end(), byText);

    auto ranks = std::make_shared<RankVector>(n);
    std::uint32_t next = 0;
    for (const auto& entry : numeric)
        (*ranks)[entry.second] = next++;
    for (std::uint32_t code : longNumeric)
        (*ranks)[code] = next++;
    for (std::uint32_t code : other)
        (*ranks)[code] = next++;
    return ranks;
}

// Stable counting sort of rows by key(row) in [0, buckets).
template <typename Key>
bool countingSort(std::vector<std::uint32_t>& rows, std::size_t buckets, Key key, bool descending,
                  const CancelToken& cancel)
{
    std::vector<std::uint32_t> start(buckets + 1, 0);
    auto bucketOf = [&](std::uint32_t row) {
        const std::size_t k = key(row);
        return descending ? buckets - 1 - k : k;
    };
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (i % kChunk == 0 && cancel.isCancelled())
            return false;
        ++start[bucketOf(rows[i]) + 1];
    }
    std::partial_sum(start.begin(), start.end(), start.begin());
    std::vector<std::uint32_t> sorted(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (i % kChunk == 0 && cancel.isCancelled())
            return false;
        sorted[start[bucketOf(rows[i])]++] = rows[i];
    }
    rows.swap(sorted);
    return true;
}

// Stable sort of rows by a scalar key: ties keep file order because the row index breaks them.
template <typename T, typename Key> void keySort(std::vector<std::uint32_t>& rows, Key key, bool descending)
{
    std::vector<std::pair<T, std::uint32_t>> keyed(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i)
        keyed[i] = {key(rows[i]), rows[i]};
    if (descending) {
        std::sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) {
            return a.first > b.first || (a.first == b.first && a.second < b.second);
        });
    } else {
        std::sort(keyed.begin(), keyed.end());
    }
    for (std::size_t i = 0; i < rows.size(); ++i)
        rows[i] = keyed[i].second;
}

} // namespace

bool idLess(std::string_view a, std::string_view b)
{
    const bool numericA = isDigits(a);
    const bool numericB = isDigits(b);
    if (numericA != numericB)
        return numericA;
    if (numericA) {
        a = stripZeros(a);
        b = stripZeros(b);
        if (a.size() != b.size())
            return a.size() < b.size();
    }
    return a < b;
}

Result<RowSelection> selectRows(std::shared_ptr<const EventTable> tablePtr, EventQuery query, RankCache ranks,
                                ProgressSink& progress, const CancelToken& cancel)
{
    const EventTable& table = *tablePtr;
    const std::size_t n = table.size();
    RowSelection selection;
    selection.ranks = std::move(ranks);
    std::vector<std::uint32_t>& rows = selection.rows;

    if (query.hasFilter()) {
        std::optional<std::uint32_t> user, item;
        if (!query.user.isEmpty()) {
            const QByteArray id = query.user.toUtf8();
            user = table.users.find(std::string_view(id.constData(), std::size_t(id.size())));
            if (!user) {
                selection.notice = Tr::tr("No user with the id \"%1\" in this dataset.").arg(query.user);
                return selection;
            }
        }
        if (!query.item.isEmpty()) {
            const QByteArray id = query.item.toUtf8();
            item = table.items.find(std::string_view(id.constData(), std::size_t(id.size())));
            if (!item) {
                selection.notice = Tr::tr("No item with the id \"%1\" in this dataset.").arg(query.item);
                return selection;
            }
        }
        const int behaviour = query.behaviour ? int(*query.behaviour) : -1;
        const QString stage = Tr::tr("Filtering");
        for (std::size_t begin = 0; begin < n; begin += kChunk) {
            if (cancel.isCancelled())
                return cancelledError();
            progress.report(std::int64_t(begin), std::int64_t(n), stage);
            const std::size_t end = std::min(n, begin + kChunk);
            for (std::size_t i = begin; i < end; ++i) {
                if ((user && table.user[i] != *user) || (item && table.item[i] != *item) ||
                    (behaviour >= 0 && table.behaviour[i] != behaviour))
                    continue;
                rows.push_back(std::uint32_t(i));
            }
        }
    } else {
        rows.resize(n);
        std::iota(rows.begin(), rows.end(), 0u);
    }
    if (!query.sortColumn)
        return selection;

    if (cancel.isCancelled())
        return cancelledError();
    progress.report(0, 0, Tr::tr("Sorting"));
    const bool descending = query.descending;

    // Sorting by an id: a rank per dictionary code, computed once per table and cached by the caller.
    auto byRank = [&](const std::vector<std::uint32_t>& codes, const Dictionary& dictionary,
                      std::shared_ptr<const RankVector>& cached) {
        if (!cached || cached->size() != dictionary.size())
            cached = computeRanks(dictionary);
        const RankVector& rank = *cached;
        const std::size_t none = rank.size(); // rows without a value sort last
        return countingSort(
            rows, rank.size() + 1,
            [&](std::uint32_t row) {
                const std::uint32_t code = codes[row];
                return code == Dictionary::kNone ? none : std::size_t(rank[code]);
            },
            descending, cancel);
    };

    bool completed = true;
    switch (*query.sortColumn) {
    case EventColumn::Row:
        if (descending)
            std::reverse(rows.begin(), rows.end());
        break;
    case EventColumn::User:
        completed = byRank(table.user, table.users, selection.ranks.users);
        break;
    case EventColumn::Item:
        completed = byRank(table.item, table.items, selection.ranks.items);
        break;
    case EventColumn::Category:
        completed = byRank(table.category, table.categories, selection.ranks.categories);
        break;
    case EventColumn::Session:
        if (table.hasSession())
            completed = byRank(table.session, table.sessions, selection.ranks.sessions);
        break;
    case EventColumn::Brand:
        if (table.hasBrand())
            completed = byRank(table.brand, table.brands, selection.ranks.brands);
        break;
    case EventColumn::Behaviour:
        completed = countingSort(
            rows, kBehaviourCount, [&](std::uint32_t row) { return std::size_t(table.behaviour[row]); },
            descending, cancel);
        break;
    case EventColumn::Time: {
        const auto& ts = table.ts;
        const bool ascendingAlready = std::is_sorted(
            rows.begin(), rows.end(), [&](std::uint32_t a, std::uint32_t b) { return ts[a] < ts[b]; });
        if (!ascendingAlready || descending)
            keySort<std::int64_t>(
                rows, [&](std::uint32_t row) { return ts[row]; }, descending);
        break;
    }
    case EventColumn::Price:
        if (table.hasPrice()) {
            // Rows without a price sort last in both directions.
            const float missing =
                descending ? -std::numeric_limits<float>::infinity() : std::numeric_limits<float>::infinity();
            keySort<float>(
                rows,
                [&](std::uint32_t row) {
                    const float p = table.price[row];
                    return std::isnan(p) ? missing : p;
                },
                descending);
        }
        break;
    }
    if (!completed || cancel.isCancelled())
        return cancelledError();
    return selection;
}

} // namespace swb
