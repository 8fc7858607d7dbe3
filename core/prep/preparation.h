#pragma once

#include "core/data/eventtable.h"
#include "core/jobs/cancel.h"
#include "core/jobs/progress.h"
#include "core/prep/features.h"
#include "core/prep/prepconfig.h"
#include "core/util/result.h"

#include <QJsonObject>
#include <QString>

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <vector>

namespace swb {

enum class SplitPart : std::uint8_t
{
    Train = 0,
    Validation = 1,
    Test = 2
};
inline constexpr int kSplitPartCount = 3;
QString splitPartKey(SplitPart part); // train, validation, test

// What one step did: rows in = rows out + the sum of removedByReason.
struct StepReport
{
    QString name; // clean, dedup, sessions, filter, split, features
    std::int64_t rowsIn = 0;
    std::int64_t rowsOut = 0;
    std::map<QString, std::int64_t> removedByReason;
};

struct SplitSize
{
    std::int64_t events = 0;
    std::int64_t sessions = 0;
};

// A dataset turned into sessions and splits a model can learn from honestly.
//
// Kept events are listed session by session (sessions ordered by their first event's time, ties
// by file order), and within a session by time (ties by file order). Everything is an index into
// `events`, which is shared, not copied.
struct PreparedData
{
    PrepConfig config;
    std::shared_ptr<const EventTable> events;

    std::vector<std::uint32_t> rows;         // kept events: row numbers in `events`
    std::vector<std::uint64_t> sessionBegin; // sessions + 1 offsets into rows
    std::vector<SplitPart> sessionPart;      // per session

    std::vector<StepReport> steps;
    std::array<SplitSize, kSplitPartCount> split{};
    std::int64_t users = 0; // distinct among kept events
    std::int64_t items = 0;
    // Distinct ids of the validation and test splits never seen in training (counted, kept).
    std::int64_t unseenItemsValidation = 0, unseenUsersValidation = 0;
    std::int64_t unseenItemsTest = 0, unseenUsersTest = 0;
    // Temporal split: the first second of validation and of test (Unix seconds); 0 otherwise.
    std::int64_t validationStart = 0, testStart = 0;

    FeatureModel features; // statistics and scaler, fitted on the training split only

    std::size_t sessionCount() const { return sessionPart.size(); }
    std::size_t sessionLength(std::size_t s) const { return sessionBegin[s + 1] - sessionBegin[s]; }
};

// Runs the six steps (clean, de-duplicate, sessions, filter, split, features) in a worker thread.
// Deterministic: the same events, config and seed give the same result. O(n log n) in the
// worst case (sorting each user's events by time), O(n) for logs already in time order.
// Fails with a message naming the setting when a step leaves nothing (e.g. a filter removing
// every event, an empty test split).
Result<PreparedData> prepare(std::shared_ptr<const EventTable> events, const PrepConfig& config,
                             ProgressSink& progress, const CancelToken& cancel);

// The report of `scenewb prep --json` and of a stored run: steps, sessions, users, items, split,
// unseen_in_test, unseen_in_validation, split_times, features (names and scaler), config.
QJsonObject toJson(const PreparedData& data);

} // namespace swb
