#pragma once

#include "core/data/eventtable.h"
#include "core/prep/prepconfig.h"

#include <QJsonObject>
#include <QString>

#include <array>
#include <cstdint>
#include <vector>

namespace swb {

// The numeric features the models use, for one event of a session: what is known once that event
// has happened (the session so far, the event included) plus training-split statistics of its
// item and category. Nothing looks ahead.
enum class Feature
{
    Position, // events in the session so far (1 for the first)
    Views,    // counts of each behaviour so far
    Favs,
    Carts,
    Removes,
    Buys,
    SecondsSincePrevious, // 0 for a session's first event
    MeanDwell,            // seconds per event so far: (t - session start) / (position - 1); 0 at first
    Price,                // the event's price; 0 where the log has none
    ItemPopularity,       // log(1 + training events of the item)
    ItemConversion,       // training buys of the item / (training events of the item + 1)
    CategoryPopularity,   // the same for the item's category
    CategoryConversion,
};
inline constexpr int kFeatureCount = 13;
using FeatureVector = std::array<float, kFeatureCount>;

// Stable names used in JSON and exports: position, views, ..., category_conversion.
QString featureKey(Feature feature);

// The state of one session, updated event by event in O(1): what the features of the latest
// event are computed from. Shared by preparation, training and the scene router.
class SessionState
{
public:
    void reset() { *this = SessionState(); }
    void add(const EventTable& events, std::uint32_t row);
    std::int64_t length() const { return m_length; }
    std::int64_t count(Behaviour b) const { return m_counts[static_cast<std::size_t>(b)]; }
    std::uint32_t lastRow() const { return m_lastRow; }

private:
    friend class FeatureModel;
    std::int64_t m_length = 0;
    std::array<std::int64_t, kBehaviourCount> m_counts{};
    std::int64_t m_start = 0;
    std::int64_t m_previous = 0;
    std::int64_t m_latest = 0;
    std::uint32_t m_lastRow = 0;
};

// Training-split statistics and the scaler, fitted once by preparation.
class FeatureModel
{
public:
    // Counts item and category events and buys over the given training rows.
    void fitStatistics(const EventTable& events, const std::vector<std::uint32_t>& trainRows);
    // Features of the session's latest event, unscaled.
    FeatureVector raw(const EventTable& events, const SessionState& state) const;
    // Scaler parameters from raw training feature vectors fed one at a time.
    void beginScaler(Scaling scaling);
    void observe(const FeatureVector& raw);
    void endScaler();
    // (raw - offset) * factor, per feature.
    FeatureVector scaled(const FeatureVector& raw) const;

    Scaling scaling() const { return m_scaling; }
    const FeatureVector& offset() const { return m_offset; }
    const FeatureVector& factor() const { return m_factor; }
    // {"names": [...], "scaling": "minmax", "offset": [...], "factor": [...]}
    QJsonObject toJson() const;

private:
    // Per item and category code: log(1 + training events) and buys / (events + 1), computed once.
    std::vector<float> m_itemPopularity, m_itemConversion, m_categoryPopularity, m_categoryConversion;
    Scaling m_scaling = Scaling::MinMax;
    FeatureVector m_offset{};
    FeatureVector m_factor{};
    // Running scaler statistics (double: sums over millions of events).
    std::array<double, kFeatureCount> m_min{}, m_max{}, m_mean{}, m_m2{};
    std::int64_t m_observed = 0;
};

} // namespace swb
