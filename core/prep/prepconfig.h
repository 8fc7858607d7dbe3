#pragma once

#include "core/util/result.h"

#include <QJsonObject>

#include <cstdint>
#include <optional>

namespace swb {

// How sessions are assigned to training, validation and test.
enum class SplitMethod
{
    Temporal,           // by session start on one global timeline: the last D days test, D before validation
    LastSessionPerUser, // each user's last session test, the one before validation (users with 3+ sessions)
    RandomSession,      // sessions drawn at random with a seed, by fraction
};

// How features are scaled; parameters are always fitted on the training split only.
enum class Scaling
{
    MinMax, // (x - min) / (max - min), 0 when max == min
    ZScore, // (x - mean) / std, 0 when std == 0
};

// The whole preparation, as plain JSON. Every field has a default; a JSON object may give any
// subset, and an unknown key is refused with its name. Times are Unix seconds UTC.
//
// {"clean": {"start": "2017-11-25", "end": "2017-12-04"},
//  "dedup": {"repeat_window_seconds": 0},
//  "sessions": {"use_source_sessions": true, "gap_minutes": 30},
//  "filter": {"min_item_support": 5, "min_session_length": 2, "max_session_length": 0, "iterate": true},
//  "split": {"method": "temporal", "test_days": 1, "validation_days": 1,
//            "test_fraction": 0.1, "validation_fraction": 0.1, "seed": 42},
//  "features": {"scaling": "minmax"}}
struct PrepConfig
{
    // 1. Clean: events outside [start, end) are removed (either bound optional).
    std::optional<std::int64_t> start;
    std::optional<std::int64_t> end;
    // 2. De-duplicate: exact duplicates always; repeats of the same user/item/behaviour within
    // this many seconds of the previous one when > 0 (page refreshes).
    std::int64_t repeatWindowSeconds = 0;
    // 3. Sessions: the source's session ids where the dataset has them (and this is set);
    // otherwise each user's stream is cut where the gap between events exceeds gapSeconds.
    bool useSourceSessions = true;
    std::int64_t gapSeconds = 30 * 60;
    // 4. Filter: items seen in fewer than minItemSupport events and sessions shorter than
    // minSessionLength are removed, repeated until nothing changes when iterate is set;
    // sessions longer than maxSessionLength (when > 0) are removed.
    std::int64_t minItemSupport = 5;
    std::int64_t minSessionLength = 2;
    std::int64_t maxSessionLength = 0;
    bool iterate = true;
    // 5. Split.
    SplitMethod split = SplitMethod::Temporal;
    double testDays = 1; // fractions allowed (0.25: the last six hours)
    double validationDays = 1;
    double testFraction = 0.1;
    double validationFraction = 0.1;
    std::uint64_t seed = 42;
    // 6. Features.
    Scaling scaling = Scaling::MinMax;

    // Parses and validates; errors name the setting (Error::field is its JSON path, e.g.
    // "sessions.gap_minutes").
    static Result<PrepConfig> fromJson(const QJsonObject& json);
    static Result<PrepConfig> fromJsonFile(const QString& path);
    // Every setting, defaults included, so a stored config says exactly what ran.
    QJsonObject toJson() const;
    // Checks the values (also done by fromJson).
    Status validate() const;
};

QString splitMethodKey(SplitMethod method);
QString scalingKey(Scaling scaling);

} // namespace swb
