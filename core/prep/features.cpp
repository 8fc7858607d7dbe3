#include "features.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <limits>

namespace swb {

QString featureKey(Feature feature)
{
    static const char* const kKeys[kFeatureCount] = {"position",
                                                     "views",
                                                     "favs",
                                                     "carts",
                                                     "removes",
                                                     "buys",
                                                     "seconds_since_previous",
                                                     "mean_dwell",
                                                     "price",
                                                     "item_popularity",
                                                     "item_conversion",
                                                     "category_popularity",
                                                     "category_conversion"};
    return QString::fromLatin1(kKeys[static_cast<int>(feature)]);
}

void SessionState::add(const EventTable& events, std::uint32_t row)
{
    const std::int64_t ts = events.ts[row];
    if (m_length == 0) {
        m_start = ts;
        m_previous = ts;
    } else {
        m_previous = m_latest;
    }
    m_latest = ts;
    ++m_length;
    ++m_counts[events.behaviour[row]];
    m_lastRow = row;
}

void FeatureModel::fitStatistics(const EventTable& events, const std::vector<std::uint32_t>& trainRows)
{
    std::vector<std::uint32_t> itemEvents(events.items.size(), 0), itemBuys(events.items.size(), 0);
    std::vector<std::uint32_t> categoryEvents(events.categories.size(), 0),
        categoryBuys(events.categories.size(), 0);
    const auto buy = static_cast<std::uint8_t>(Behaviour::Buy);
    for (const std::uint32_t row : trainRows) {
        const bool bought = events.behaviour[row] == buy;
        const std::uint32_t item = events.item[row];
        ++itemEvents[item];
        itemBuys[item] += bought ? 1 : 0;
        const std::uint32_t category = events.category[row];
        if (category != Dictionary::kNone) {
            ++categoryEvents[category];
            categoryBuys[category] += bought ? 1 : 0;
        }
    }
    // Ids never seen in training get zero events and zero buys: popularity 0, conversion 0.
    const auto derive = [](const std::vector<std::uint32_t>& n, const std::vector<std::uint32_t>& buys,
                           std::vector<float>& popularity, std::vector<float>& conversion) {
        popularity.resize(n.size());
        conversion.resize(n.size());
        for (std::size_t i = 0; i < n.size(); ++i) {
            popularity[i] = std::log1p(static_cast<float>(n[i]));
            conversion[i] = static_cast<float>(buys[i]) / static_cast<float>(n[i] + 1);
        }
    };
    derive(itemEvents, itemBuys, m_itemPopularity, m_itemConversion);
    derive(categoryEvents, categoryBuys, m_categoryPopularity, m_categoryConversion);
}

FeatureVector FeatureModel::raw(const EventTable& events, const SessionState& state) const
{
    FeatureVector f{};
    const std::uint32_t row = state.m_lastRow;
    f[int(Feature::Position)] = static_cast<float>(state.m_length);
    f[int(Feature::Views)] = static_cast<float>(state.count(Behaviour::View));
    f[int(Feature::Favs)] = static_cast<float>(state.count(Behaviour::Fav));
    f[int(Feature::Carts)] = static_cast<float>(state.count(Behaviour::Cart));
    f[int(Feature::Removes)] = static_cast<float>(state.count(Behaviour::RemoveFromCart));
    f[int(Feature::Buys)] = static_cast<float>(state.count(Behaviour::Buy));
    f[int(Feature::SecondsSincePrevious)] = static_cast<float>(state.m_latest - state.m_previous);
    f[int(Feature::MeanDwell)] =
        state.m_length > 1 ? static_cast<float>(state.m_latest - state.m_start) / float(state.m_length - 1)
                           : 0.0f;
    const float price = events.hasPrice() ? events.price[row] : 0.0f;
    f[int(Feature::Price)] = std::isfinite(price) ? price : 0.0f;
    const std::uint32_t item = events.item[row];
    if (item < m_itemPopularity.size()) {
        f[int(Feature::ItemPopularity)] = m_itemPopularity[item];
        f[int(Feature::ItemConversion)] = m_itemConversion[item];
    }
    const std::uint32_t category = events.category[row];
    if (category < m_categoryPopularity.size()) { // also false for kNone
        f[int(Feature::CategoryPopularity)] = m_categoryPopularity[category];
        f[int(Feature::CategoryConversion)] = m_categoryConversion[category];
    }
    return f;
}

void FeatureModel::beginScaler(Scaling scaling)
{
    m_scaling = scaling;
    m_min.fill(std::numeric_limits<double>::infinity());
    m_max.fill(-std::numeric_limits<double>::infinity());
    m_mean.fill(0);
    m_m2.fill(0);
    m_observed = 0;
}

void FeatureModel::observe(const FeatureVector& raw)
{
    ++m_observed;
    if (m_scaling == Scaling::MinMax) {
        for (std::size_t i = 0; i < kFeatureCount; ++i) {
            m_min[i] = std::min(m_min[i], double(raw[i]));
            m_max[i] = std::max(m_max[i], double(raw[i]));
        }
        return;
    }
    // Welford's running mean and variance: stable over millions of events.
    const double inverse = 1.0 / static_cast<double>(m_observed);
    for (std::size_t i = 0; i < kFeatureCount; ++i) {
        const double x = raw[i];
        const double delta = x - m_mean[i];
        m_mean[i] += delta * inverse;
        m_m2[i] += delta * (x - m_mean[i]);
    }
}

void FeatureModel::endScaler()
{
    for (std::size_t i = 0; i < kFeatureCount; ++i) {
        if (m_observed == 0) {
            m_offset[i] = 0;
            m_factor[i] = 1;
            continue;
        }
        if (m_scaling == Scaling::MinMax) {
            const double range = m_max[i] - m_min[i];
            m_offset[i] = static_cast<float>(m_min[i]);
            m_factor[i] = range > 0 ? static_cast<float>(1.0 / range) : 0.0f;
        } else {
            const double sd = std::sqrt(m_m2[i] / static_cast<double>(m_observed));
            m_offset[i] = static_cast<float>(m_mean[i]);
            m_factor[i] = sd > 0 ? static_cast<float>(1.0 / sd) : 0.0f;
        }
    }
}

FeatureVector FeatureModel::scaled(const FeatureVector& raw) const
{
    FeatureVector out{};
    for (std::size_t i = 0; i < kFeatureCount; ++i)
        out[i] = (raw[i] - m_offset[i]) * m_factor[i];
    return out;
}

QJsonObject FeatureModel::toJson() const
{
    QJsonArray names, offset, factor;
    for (int i = 0; i < kFeatureCount; ++i) {
        names.append(featureKey(static_cast<Feature>(i)));
        offset.append(static_cast<double>(m_offset[static_cast<std::size_t>(i)]));
        factor.append(static_cast<double>(m_factor[static_cast<std::size_t>(i)]));
    }
    return QJsonObject{{QStringLiteral("names"), names},
                       {QStringLiteral("scaling"), scalingKey(m_scaling)},
                       {QStringLiteral("offset"), offset},
                       {QStringLiteral("factor"), factor},
                       {QStringLiteral("fitted_on_events"), static_cast<double>(m_observed)}};
}

} // namespace swb
