#include "preparation.h"

#include <QCoreApplication>
#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace swb {

namespace {

// Translation context of this file's messages (lupdate reads the macro).
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(swb::Preparation)
};

constexpr std::int64_t kDay = 24 * 60 * 60;

// A setting that, on this dataset, leaves nothing to work with: the input is rejected as
// configured, and the message names the setting to change.
Error settingError(const QString& setting, const QString& message)
{
    return Error{ErrorCode::InputRejected, QStringLiteral("%1: %2").arg(setting, message), {}, 0, 0, setting};
}

// Stable counting sort of rows by a small integer key: O(n + keys), file order kept within a key.
std::vector<std::uint32_t> groupBy(const std::vector<std::uint32_t>& rows,
                                   const std::vector<std::uint32_t>& keyOfRow, std::size_t keys)
{
    std::vector<std::uint32_t> start(keys + 1, 0);
    for (const std::uint32_t row : rows)
        ++start[keyOfRow[row] + 1];
    std::partial_sum(start.begin(), start.end(), start.begin());
    std::vector<std::uint32_t> out(rows.size());
    for (const std::uint32_t row : rows)
        out[start[keyOfRow[row]]++] = row;
    return out;
}

// Sorts each run of equal keys by time, stably (file order breaks ties). Logs are usually in time
// order already, so each run is checked first and sorted only when needed.
void sortRunsByTime(std::vector<std::uint32_t>& rows, const std::vector<std::uint32_t>& keyOfRow,
                    const std::vector<std::int64_t>& ts)
{
    const auto byTime = [&](std::uint32_t a, std::uint32_t b) {
        return ts[a] < ts[b] || (ts[a] == ts[b] && a < b);
    };
    std::size_t begin = 0;
    while (begin < rows.size()) {
        std::size_t end = begin + 1;
        while (end < rows.size() && keyOfRow[rows[end]] == keyOfRow[rows[begin]])
            ++end;
        const auto first = rows.begin() + static_cast<std::ptrdiff_t>(begin);
        const auto last = rows.begin() + static_cast<std::ptrdiff_t>(end);
        if (!std::is_sorted(first, last, byTime))
            std::sort(first, last, byTime);
        begin = end;
    }
}

// Deterministic uniform number in [0, 1) from a seed and a key (SplitMix64): the same on every
// platform, unlike std::uniform_real_distribution.
double unitHash(std::uint64_t seed, std::uint64_t key)
{
    std::uint64_t z = seed + 0x9e3779b97f4a7c15ull * (key + 1);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    return static_cast<double>(z >> 11) * (1.0 / 9007199254740992.0);
}

// Rows and the sessions over them, while the steps run.
struct Sessions
{
    std::vector<std::uint32_t> rows;
    std::vector<std::uint64_t> begin; // sessions + 1 offsets
    std::size_t count() const { return begin.empty() ? 0 : begin.size() - 1; }
};

class Preparer
{
public:
    Preparer(std::shared_ptr<const EventTable> events, const PrepConfig& config, ProgressSink& progress,
             const CancelToken& cancel)
        : m_events(std::move(events)), m_t(*m_events), m_config(config), m_progress(progress),
          m_cancel(cancel)
    {}

    Result<PreparedData> run();

private:
    bool stage(int index, const QString& name)
    {
        m_progress.report(index, 6, name);
        return !m_cancel.isCancelled();
    }
    bool bySourceSession() const { return m_config.useSourceSessions && m_t.hasSession(); }

    Status clean(std::vector<std::uint32_t>& rows);
    void deduplicate(std::vector<std::uint32_t>& rows);
    Sessions sessionize(const std::vector<std::uint32_t>& rows);
    Status filter(Sessions& sessions);
    Status split(const Sessions& sessions, PreparedData& out);
    void fitFeatures(PreparedData& out, const std::vector<std::uint8_t>& partOfRow);
    void countDistinct(PreparedData& out, const std::vector<std::uint8_t>& partOfRow) const;

    std::shared_ptr<const EventTable> m_events;
    const EventTable& m_t;
    const PrepConfig& m_config;
    ProgressSink& m_progress;
    const CancelToken& m_cancel;
    std::vector<StepReport> m_steps;
};

Status Preparer::clean(std::vector<std::uint32_t>& rows)
{
    StepReport step{QStringLiteral("clean"), static_cast<std::int64_t>(m_t.size()), 0, {}};
    const bool needSession = bySourceSession();
    const std::int64_t start = m_config.start.value_or(std::numeric_limits<std::int64_t>::min());
    const std::int64_t end = m_config.end.value_or(std::numeric_limits<std::int64_t>::max());
    std::int64_t missingUser = 0, missingItem = 0, missingSession = 0, unknown = 0, before = 0, after = 0;
    rows.reserve(m_t.size());
    for (std::uint32_t r = 0; r < m_t.size(); ++r) {
        const std::int64_t ts = m_t.ts[r];
        if (m_t.user[r] == Dictionary::kNone)
            ++missingUser;
        else if (m_t.item[r] == Dictionary::kNone)
            ++missingItem;
        else if (needSession && m_t.session[r] == Dictionary::kNone)
            ++missingSession;
        else if (m_t.behaviour[r] >= kBehaviourCount)
            ++unknown;
        else if (ts < start)
            ++before;
        else if (ts >= end)
            ++after;
        else
            rows.push_back(r);
    }
    const std::pair<const char*, std::int64_t> reasons[] = {
        {"missing_user", missingUser},  {"missing_item", missingItem}, {"missing_session", missingSession},
        {"unknown_behaviour", unknown}, {"before_window", before},     {"after_window", after}};
    for (const auto& [reason, count] : reasons) {
        if (count > 0)
            step.removedByReason[QString::fromLatin1(reason)] = count;
    }
    step.rowsOut = static_cast<std::int64_t>(rows.size());
    m_steps.push_back(step);
    if (rows.empty())
        return settingError(
            m_config.start || m_config.end ? QStringLiteral("clean.start") : QStringLiteral("clean"),
            Tr::tr("no event is left after cleaning (%1 events in the dataset)").arg(m_t.size()));
    return {};
}

void Preparer::deduplicate(std::vector<std::uint32_t>& rows)
{
    StepReport step{QStringLiteral("dedup"), static_cast<std::int64_t>(rows.size()), 0, {}};
    // Each user's events in time order: duplicates share a timestamp, repeats follow closely.
    rows = groupBy(rows, m_t.user, m_t.users.size());
    sortRunsByTime(rows, m_t.user, m_t.ts);
    const std::int64_t window = m_config.repeatWindowSeconds;
    std::int64_t exact = 0, repeats = 0;
    std::vector<std::uint32_t> kept;
    kept.reserve(rows.size());
    std::size_t userBegin = 0; // index in rows of the current user's first event
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const std::uint32_t r = rows[i];
        if (i > 0 && m_t.user[rows[i - 1]] != m_t.user[r])
            userBegin = i;
        bool duplicate = false;
        bool repeat = false;
        // Look back over the user's events at the same second (and within the window).
        for (std::size_t j = i; j > userBegin && !duplicate; --j) {
            const std::uint32_t p = rows[j - 1];
            const std::int64_t gap = m_t.ts[r] - m_t.ts[p];
            if (gap > window && gap > 0)
                break;
            if (m_t.item[p] != m_t.item[r] || m_t.behaviour[p] != m_t.behaviour[r])
                continue;
            if (gap == 0)
                duplicate = true;
            else if (window > 0)
                repeat = true;
        }
        if (duplicate)
            ++exact;
        else if (repeat)
            ++repeats;
        else
            kept.push_back(r);
    }
    if (exact > 0)
        step.removedByReason[QStringLiteral("exact_duplicate")] = exact;
    if (repeats > 0)
        step.removedByReason[QStringLiteral("repeat_within_window")] = repeats;
    rows = std::move(kept);
    step.rowsOut = static_cast<std::int64_t>(rows.size());
    m_steps.push_back(step);
}

Sessions Preparer::sessionize(const std::vector<std::uint32_t>& userOrdered)
{
    StepReport step{QStringLiteral("sessions"), static_cast<std::int64_t>(userOrdered.size()), 0, {}};
    Sessions s;
    std::vector<std::uint32_t> rows;
    std::vector<std::uint64_t> begins;
    if (bySourceSession()) {
        rows = groupBy(userOrdered, m_t.session, m_t.sessions.size());
        sortRunsByTime(rows, m_t.session, m_t.ts);
        for (std::size_t i = 0; i < rows.size(); ++i) {
            if (i == 0 || m_t.session[rows[i]] != m_t.session[rows[i - 1]])
                begins.push_back(i);
        }
    } else {
        rows = userOrdered;
        for (std::size_t i = 0; i < rows.size(); ++i) {
            if (i == 0 || m_t.user[rows[i]] != m_t.user[rows[i - 1]] ||
                m_t.ts[rows[i]] - m_t.ts[rows[i - 1]] > m_config.gapSeconds)
                begins.push_back(i);
        }
    }
    begins.push_back(rows.size());
    // Sessions in order of their first event's time; ties by that event's place in the file.
    // Sorted as packed keys (time since the first event, then row) with the session number
    // alongside: plain integers sort several times faster than an indirect comparison.
    const std::size_t count = begins.size() - 1;
    std::int64_t minTs = std::numeric_limits<std::int64_t>::max();
    for (std::size_t k = 0; k < count; ++k)
        minTs = std::min(minTs, m_t.ts[rows[begins[k]]]);
    std::vector<std::pair<std::uint64_t, std::uint32_t>> order(count);
    for (std::size_t k = 0; k < count; ++k) {
        const std::uint32_t first = rows[begins[k]];
        const auto since = static_cast<std::uint64_t>(m_t.ts[first] - minTs);
        // Spans beyond 2^32 seconds (136 years) saturate; the row still orders ties.
        order[k] = {(std::min<std::uint64_t>(since, 0xffffffffu) << 32) | first,
                    static_cast<std::uint32_t>(k)};
    }
    std::sort(order.begin(), order.end());
    s.rows.reserve(rows.size());
    s.begin.reserve(count + 1);
    for (const auto& [key, k] : order) {
        s.begin.push_back(s.rows.size());
        s.rows.insert(s.rows.end(), rows.begin() + static_cast<std::ptrdiff_t>(begins[k]),
                      rows.begin() + static_cast<std::ptrdiff_t>(begins[k + 1]));
    }
    s.begin.push_back(s.rows.size());
    step.rowsOut = step.rowsIn;
    m_steps.push_back(step);
    return s;
}

Status Preparer::filter(Sessions& s)
{
    StepReport step{QStringLiteral("filter"), static_cast<std::int64_t>(s.rows.size()), 0, {}};
    std::vector<std::uint8_t> alive(s.rows.size(), 1);
    std::vector<std::int64_t> support(m_t.items.size(), 0);
    // The item of each position, read once: the passes below then stream instead of gathering.
    std::vector<std::uint32_t> itemAt(s.rows.size());
    for (std::size_t i = 0; i < s.rows.size(); ++i)
        itemAt[i] = m_t.item[s.rows[i]];
    std::int64_t byItem = 0, byShort = 0, byLong = 0;
    const std::int64_t maxLength = m_config.maxSessionLength;
    bool changed = true;
    while (changed) {
        changed = false;
        std::fill(support.begin(), support.end(), 0);
        for (std::size_t i = 0; i < s.rows.size(); ++i)
            support[itemAt[i]] += alive[i];
        for (std::size_t i = 0; i < s.rows.size(); ++i) {
            if (alive[i] && support[itemAt[i]] < m_config.minItemSupport) {
                alive[i] = 0;
                ++byItem;
                changed = true;
            }
        }
        for (std::size_t k = 0; k + 1 < s.begin.size(); ++k) {
            std::int64_t length = 0;
            for (std::uint64_t i = s.begin[k]; i < s.begin[k + 1]; ++i)
                length += alive[i];
            const bool tooShort = length > 0 && length < m_config.minSessionLength;
            const bool tooLong = maxLength > 0 && length > maxLength;
            if (!tooShort && !tooLong)
                continue;
            for (std::uint64_t i = s.begin[k]; i < s.begin[k + 1]; ++i)
                alive[i] = 0;
            (tooShort ? byShort : byLong) += length;
            changed = true;
        }
        if (!m_config.iterate || m_cancel.isCancelled())
            break;
    }
    Sessions kept;
    kept.rows.reserve(s.rows.size());
    for (std::size_t k = 0; k + 1 < s.begin.size(); ++k) {
        const std::size_t before = kept.rows.size();
        for (std::uint64_t i = s.begin[k]; i < s.begin[k + 1]; ++i) {
            if (alive[i])
                kept.rows.push_back(s.rows[i]);
        }
        if (kept.rows.size() > before)
            kept.begin.push_back(before);
    }
    kept.begin.push_back(kept.rows.size());
    if (byItem > 0)
        step.removedByReason[QStringLiteral("item_support")] = byItem;
    if (byShort > 0)
        step.removedByReason[QStringLiteral("short_session")] = byShort;
    if (byLong > 0)
        step.removedByReason[QStringLiteral("long_session")] = byLong;
    step.rowsOut = static_cast<std::int64_t>(kept.rows.size());
    m_steps.push_back(step);
    s = std::move(kept);
    if (s.rows.empty())
        return settingError(
            byItem >= byShort + byLong ? QStringLiteral("filter.min_item_support")
                                       : QStringLiteral("filter.min_session_length"),
            Tr::tr("the filter removes every event (%1 by item support, %2 in short sessions, "
                   "%3 in long sessions)")
                .arg(byItem)
                .arg(byShort)
                .arg(byLong));
    return {};
}

Status Preparer::split(const Sessions& s, PreparedData& out)
{
    StepReport step{QStringLiteral("split"), static_cast<std::int64_t>(s.rows.size()), 0, {}};
    const std::size_t count = s.count();
    constexpr std::uint8_t kDropped = 0xff;
    std::vector<std::uint8_t> part(count, static_cast<std::uint8_t>(SplitPart::Train));
    const auto firstTs = [&](std::size_t k) {
        return m_t.ts[s.rows[s.begin[k]]];
    };
    const auto lastTs = [&](std::size_t k) {
        return m_t.ts[s.rows[s.begin[k + 1] - 1]];
    };

    switch (m_config.split) {
    case SplitMethod::Temporal: {
        std::int64_t maxTs = std::numeric_limits<std::int64_t>::min();
        for (const std::uint32_t r : s.rows)
            maxTs = std::max(maxTs, m_t.ts[r]);
        out.testStart = maxTs + 1 - static_cast<std::int64_t>(std::llround(m_config.testDays * kDay));
        out.validationStart =
            out.testStart - static_cast<std::int64_t>(std::llround(m_config.validationDays * kDay));
        // Whole sessions on one timeline: a session that crosses a boundary would put events of
        // one period into another, so it is removed and counted.
        for (std::size_t k = 0; k < count; ++k) {
            if (firstTs(k) >= out.testStart)
                part[k] = static_cast<std::uint8_t>(SplitPart::Test);
            else if (firstTs(k) >= out.validationStart && lastTs(k) < out.testStart)
                part[k] = static_cast<std::uint8_t>(SplitPart::Validation);
            else if (lastTs(k) < out.validationStart)
                part[k] = static_cast<std::uint8_t>(SplitPart::Train);
            else
                part[k] = kDropped;
        }
        break;
    }
    case SplitMethod::LastSessionPerUser: {
        // Sessions are in time order, so a user's last seen session is their latest.
        std::vector<std::int64_t> last(m_t.users.size(), -1), previous(m_t.users.size(), -1),
            total(m_t.users.size(), 0);
        for (std::size_t k = 0; k < count; ++k) {
            const std::uint32_t user = m_t.user[s.rows[s.begin[k]]];
            previous[user] = last[user];
            last[user] = static_cast<std::int64_t>(k);
            ++total[user];
        }
        for (std::size_t u = 0; u < last.size(); ++u) {
            if (total[u] >= 3) {
                part[static_cast<std::size_t>(last[u])] = static_cast<std::uint8_t>(SplitPart::Test);
                part[static_cast<std::size_t>(previous[u])] =
                    static_cast<std::uint8_t>(SplitPart::Validation);
            }
        }
        break;
    }
    case SplitMethod::RandomSession:
        for (std::size_t k = 0; k < count; ++k) {
            // Keyed by the session's first event in the file: independent of any ordering.
            const double u = unitHash(m_config.seed, s.rows[s.begin[k]]);
            part[k] = static_cast<std::uint8_t>(u < m_config.testFraction ? SplitPart::Test
                                                : u < m_config.testFraction + m_config.validationFraction
                                                    ? SplitPart::Validation
                                                    : SplitPart::Train);
        }
        break;
    }

    std::int64_t crossing = 0;
    for (std::size_t k = 0; k < count; ++k) {
        const std::uint64_t length = s.begin[k + 1] - s.begin[k];
        if (part[k] == kDropped) {
            crossing += static_cast<std::int64_t>(length);
            continue;
        }
        out.sessionBegin.push_back(out.rows.size());
        out.rows.insert(out.rows.end(), s.rows.begin() + static_cast<std::ptrdiff_t>(s.begin[k]),
                        s.rows.begin() + static_cast<std::ptrdiff_t>(s.begin[k + 1]));
        out.sessionPart.push_back(static_cast<SplitPart>(part[k]));
        SplitSize& size = out.split[part[k]];
        size.events += static_cast<std::int64_t>(length);
        ++size.sessions;
    }
    out.sessionBegin.push_back(out.rows.size());
    if (crossing > 0)
        step.removedByReason[QStringLiteral("crosses_split_boundary")] = crossing;
    step.rowsOut = static_cast<std::int64_t>(out.rows.size());
    m_steps.push_back(step);

    const QString daysSetting = m_config.split == SplitMethod::Temporal ? QStringLiteral("split.test_days")
                                : m_config.split == SplitMethod::RandomSession
                                    ? QStringLiteral("split.test_fraction")
                                    : QStringLiteral("split.method");
    if (out.split[int(SplitPart::Test)].sessions == 0)
        return settingError(daysSetting, Tr::tr("the test split is empty (%1 sessions in all)").arg(count));
    if (out.split[int(SplitPart::Train)].sessions == 0)
        return settingError(daysSetting,
                            Tr::tr("nothing is left for training (%1 sessions in all)").arg(count));
    const bool wantValidation =
        (m_config.split == SplitMethod::Temporal && m_config.validationDays > 0) ||
        (m_config.split == SplitMethod::RandomSession && m_config.validationFraction > 0);
    if (wantValidation && out.split[int(SplitPart::Validation)].sessions == 0)
        return settingError(m_config.split == SplitMethod::Temporal
                                ? QStringLiteral("split.validation_days")
                                : QStringLiteral("split.validation_fraction"),
                            Tr::tr("the validation split is empty (%1 sessions in all)").arg(count));
    return {};
}

// Which split each row of the table ended in (kNotKept for removed rows): lets the passes below
// read the table in file order, which is several times faster than gathering in session order.
constexpr std::uint8_t kNotKept = 0xff;

std::vector<std::uint8_t> partOfRows(const PreparedData& out, std::size_t tableRows)
{
    std::vector<std::uint8_t> part(tableRows, kNotKept);
    for (std::size_t k = 0; k < out.sessionCount(); ++k) {
        for (std::uint64_t i = out.sessionBegin[k]; i < out.sessionBegin[k + 1]; ++i)
            part[out.rows[i]] = static_cast<std::uint8_t>(out.sessionPart[k]);
    }
    return part;
}

void Preparer::fitFeatures(PreparedData& out, const std::vector<std::uint8_t>& part)
{
    StepReport step{QStringLiteral("features"),
                    static_cast<std::int64_t>(out.rows.size()),
                    static_cast<std::int64_t>(out.rows.size()),
                    {}};
    std::vector<std::uint32_t> trainRows;
    trainRows.reserve(static_cast<std::size_t>(out.split[int(SplitPart::Train)].events));
    for (std::uint32_t r = 0; r < part.size(); ++r) {
        if (part[r] == static_cast<std::uint8_t>(SplitPart::Train))
            trainRows.push_back(r);
    }
    out.features.fitStatistics(m_t, trainRows);
    // The scaler's statistics do not depend on the order of sessions: visit the training
    // sessions in file order (of their first event) so that reading the table mostly streams.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> train; // (first row, session)
    train.reserve(static_cast<std::size_t>(out.split[int(SplitPart::Train)].sessions));
    for (std::size_t k = 0; k < out.sessionCount(); ++k) {
        if (out.sessionPart[k] == SplitPart::Train)
            train.emplace_back(out.rows[out.sessionBegin[k]], static_cast<std::uint32_t>(k));
    }
    std::sort(train.begin(), train.end());
    out.features.beginScaler(m_config.scaling);
    SessionState state;
    for (const auto& [first, k] : train) {
        state.reset();
        for (std::uint64_t i = out.sessionBegin[k]; i < out.sessionBegin[k + 1]; ++i) {
            state.add(m_t, out.rows[i]);
            out.features.observe(out.features.raw(m_t, state));
        }
    }
    out.features.endScaler();
    m_steps.push_back(step);
}

void Preparer::countDistinct(PreparedData& out, const std::vector<std::uint8_t>& part) const
{
    // Bits per id: 1 seen in training, 2 in validation, 4 in test. One pass in file order.
    std::vector<std::uint8_t> items(m_t.items.size(), 0), users(m_t.users.size(), 0);
    for (std::size_t r = 0; r < part.size(); ++r) {
        if (part[r] == kNotKept)
            continue;
        const std::uint8_t bit = static_cast<std::uint8_t>(1u << part[r]);
        items[m_t.item[r]] |= bit;
        users[m_t.user[r]] |= bit;
    }
    const auto tally = [](const std::vector<std::uint8_t>& seen, std::int64_t& all,
                          std::int64_t& unseenValidation, std::int64_t& unseenTest) {
        for (const std::uint8_t s : seen) {
            all += s != 0;
            unseenValidation += (s & 2) && !(s & 1);
            unseenTest += (s & 4) && !(s & 1);
        }
    };
    tally(items, out.items, out.unseenItemsValidation, out.unseenItemsTest);
    tally(users, out.users, out.unseenUsersValidation, out.unseenUsersTest);
}

Result<PreparedData> Preparer::run()
{
    PreparedData out;
    out.config = m_config;
    out.events = m_events;
    if (Status s = m_config.validate(); !s)
        return s.error();
    if (m_t.size() == 0)
        return Error{ErrorCode::InvalidArgument, Tr::tr("the dataset has no events"), {}, 0, 0, {}};
    if (m_t.size() >= std::numeric_limits<std::uint32_t>::max())
        return Error{ErrorCode::InvalidArgument,
                     Tr::tr("datasets of 2^32 events or more are not supported"),
                     {},
                     0,
                     0,
                     {}};

    std::vector<std::uint32_t> rows;
    if (!stage(0, Tr::tr("Cleaning")))
        return cancelledError();
    if (Status s = clean(rows); !s)
        return s.error();
    if (!stage(1, Tr::tr("Removing duplicates")))
        return cancelledError();
    deduplicate(rows);
    if (!stage(2, Tr::tr("Building sessions")))
        return cancelledError();
    Sessions sessions = sessionize(rows);
    rows = {};
    if (!stage(3, Tr::tr("Filtering")))
        return cancelledError();
    if (Status s = filter(sessions); !s)
        return s.error();
    if (!stage(4, Tr::tr("Splitting")))
        return cancelledError();
    if (Status s = split(sessions, out); !s)
        return s.error();
    sessions = {};
    if (!stage(5, Tr::tr("Fitting features")))
        return cancelledError();
    const std::vector<std::uint8_t> part = partOfRows(out, m_t.size());
    fitFeatures(out, part);
    countDistinct(out, part);
    out.steps = std::move(m_steps);
    m_progress.report(6, 6, Tr::tr("Done"));
    return out;
}

} // namespace

QString splitPartKey(SplitPart part)
{
    switch (part) {
    case SplitPart::Train:
        return QStringLiteral("train");
    case SplitPart::Validation:
        return QStringLiteral("validation");
    case SplitPart::Test:
        return QStringLiteral("test");
    }
    return {};
}

Result<PreparedData> prepare(std::shared_ptr<const EventTable> events, const PrepConfig& config,
                             ProgressSink& progress, const CancelToken& cancel)
{
    if (!events)
        return Error{ErrorCode::InvalidArgument, QStringLiteral("no dataset"), {}, 0, 0, {}};
    return Preparer(std::move(events), config, progress, cancel).run();
}

QJsonObject toJson(const PreparedData& data)
{
    QJsonArray steps;
    for (const StepReport& s : data.steps) {
        QJsonObject removed;
        for (const auto& [reason, count] : s.removedByReason)
            removed.insert(reason, static_cast<double>(count));
        steps.append(QJsonObject{{QStringLiteral("name"), s.name},
                                 {QStringLiteral("rows_in"), static_cast<double>(s.rowsIn)},
                                 {QStringLiteral("rows_out"), static_cast<double>(s.rowsOut)},
                                 {QStringLiteral("removed_by_reason"), removed}});
    }
    QJsonObject split;
    for (int p = 0; p < kSplitPartCount; ++p) {
        split.insert(
            splitPartKey(static_cast<SplitPart>(p)),
            QJsonObject{
                {QStringLiteral("events"), static_cast<double>(data.split[std::size_t(p)].events)},
                {QStringLiteral("sessions"), static_cast<double>(data.split[std::size_t(p)].sessions)}});
    }
    QJsonObject result{
        {QStringLiteral("steps"), steps},
        {QStringLiteral("events"), static_cast<double>(data.rows.size())},
        {QStringLiteral("sessions"), static_cast<double>(data.sessionCount())},
        {QStringLiteral("users"), static_cast<double>(data.users)},
        {QStringLiteral("items"), static_cast<double>(data.items)},
        {QStringLiteral("split"), split},
        {QStringLiteral("unseen_in_test"),
         QJsonObject{{QStringLiteral("items"), static_cast<double>(data.unseenItemsTest)},
                     {QStringLiteral("users"), static_cast<double>(data.unseenUsersTest)}}},
        {QStringLiteral("unseen_in_validation"),
         QJsonObject{{QStringLiteral("items"), static_cast<double>(data.unseenItemsValidation)},
                     {QStringLiteral("users"), static_cast<double>(data.unseenUsersValidation)}}},
        {QStringLiteral("features"), data.features.toJson()},
        {QStringLiteral("config"), data.config.toJson()},
    };
    if (data.config.split == SplitMethod::Temporal)
        result.insert(
            QStringLiteral("split_times"),
            QJsonObject{{QStringLiteral("validation_start"), static_cast<double>(data.validationStart)},
                        {QStringLiteral("test_start"), static_cast<double>(data.testStart)}});
    return result;
}

} // namespace swb
