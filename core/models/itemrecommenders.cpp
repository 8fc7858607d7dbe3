#include "itemrecommenders.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>

namespace swb {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(swb::ItemRecommenders)
};

constexpr std::size_t kCancelEvery = 4096;

// Popularity scaled into [0, scale): orders the items no rule or neighbour speaks for, and breaks
// ties between the others by popularity rather than by catalogue position.
std::vector<float> scaledPopularity(const Catalogue& catalogue, float scale)
{
    const std::int64_t most =
        *std::max_element(catalogue.trainingCount.begin(), catalogue.trainingCount.end());
    std::vector<float> out(catalogue.size());
    for (std::uint32_t i = 0; i < catalogue.size(); ++i)
        out[i] = scale * static_cast<float>(catalogue.trainingCount[i]) / static_cast<float>(most + 1);
    return out;
}

constexpr float kFallbackScale = 1e-6f; // below any rule weight (>= 1/100) or similarity vote

Error corrupt(const QString& message)
{
    return Error{ErrorCode::Corrupt, message, {}, 0, 0, {}};
}

// Compressed rows: offsets start at 0, never decrease, and end at the size of the values; every
// value is below `bound`. Checked on load, so a damaged blob cannot index out of range.
bool validRows(const std::vector<std::uint64_t>& begin, std::size_t rows, std::size_t values)
{
    if (begin.size() != rows + 1 || begin.front() != 0 || begin.back() != values)
        return false;
    return std::is_sorted(begin.begin(), begin.end());
}

template <typename T> bool below(const std::vector<T>& values, std::uint64_t bound)
{
    return std::all_of(values.begin(), values.end(), [bound](T v) { return std::uint64_t(v) < bound; });
}

template <typename T> std::vector<T> narrowed(const std::vector<std::uint64_t>& values)
{
    return std::vector<T>(values.begin(), values.end());
}

std::vector<std::uint64_t> widened(const std::vector<std::uint32_t>& values)
{
    return std::vector<std::uint64_t>(values.begin(), values.end());
}

Error badParam(const QString& name, const QString& message)
{
    return Error{ErrorCode::InvalidArgument, message, {}, 0, 0, name};
}

} // namespace

Status validate(const SequentialRulesParams& params)
{
    if (params.window < 1 || params.window > 100)
        return badParam(QStringLiteral("window"),
                        Tr::tr("window must be between 1 and 100 steps (it is %1)").arg(params.window));
    return {};
}

Status validate(const SessionKnnParams& params)
{
    if (params.neighbours < 1)
        return badParam(QStringLiteral("neighbours"),
                        Tr::tr("neighbours must be at least 1 (it is %1)").arg(params.neighbours));
    if (params.sampleSize < params.neighbours)
        return badParam(QStringLiteral("sample_size"),
                        Tr::tr("sample_size (%1) must be at least neighbours (%2)")
                            .arg(params.sampleSize)
                            .arg(params.neighbours));
    return {};
}

PopularityRecommender::PopularityRecommender(const Catalogue& catalogue)
    : m_popularity(scaledPopularity(catalogue, 1.0f))
{}

TensorPack PopularityRecommender::save() const
{
    TensorPack pack;
    pack.floats.push_back({QStringLiteral("popularity"), 1, nn::Index(m_popularity.size()), m_popularity});
    return pack;
}

Result<std::unique_ptr<PopularityRecommender>> PopularityRecommender::load(const TensorPack& pack,
                                                                           std::uint32_t catalogueSize)
{
    auto values = pack.requireFloats(QStringLiteral("popularity"), 1, catalogueSize);
    if (!values)
        return values.error();
    std::unique_ptr<PopularityRecommender> model(new PopularityRecommender);
    model->m_popularity = std::move(values.value());
    return model;
}

void PopularityRecommender::score(const std::uint32_t*, const std::uint32_t*, float* scores) const
{
    std::copy(m_popularity.begin(), m_popularity.end(), scores);
}

Result<std::unique_ptr<SequentialRulesRecommender>>
SequentialRulesRecommender::train(const NextItemData& data, const SequentialRulesParams& params,
                                  const CancelToken& cancel)
{
    if (Status s = validate(params); !s)
        return s.error();
    std::unique_ptr<SequentialRulesRecommender> model(new SequentialRulesRecommender);
    const std::uint32_t n = data.catalogue.size();
    const auto window = static_cast<std::uint64_t>(params.window);
    const std::vector<CaseRef>& cases = data.part(SplitPart::Train);
    // Every training case (a position p >= 1 of a session) is the consequent of the up to
    // `window` items before it. Two passes: count the pairs per antecedent, then place them.
    const auto forEachPair = [&](auto&& visit) {
        for (std::size_t c = 0; c < cases.size(); ++c) {
            const std::uint32_t* context = data.contextBegin(cases[c]);
            const std::uint64_t p = cases[c].position;
            const std::uint32_t b = context[p];
            if (b == Catalogue::kNoItem)
                continue;
            for (std::uint64_t d = 1; d <= window && d <= p; ++d) {
                const std::uint32_t a = context[p - d];
                if (a != Catalogue::kNoItem)
                    visit(a, b, 1.0f / static_cast<float>(d));
            }
        }
    };
    std::vector<std::uint64_t> begin(n + 1, 0);
    forEachPair([&](std::uint32_t a, std::uint32_t, float) { ++begin[a + 1]; });
    for (std::uint32_t a = 0; a < n; ++a)
        begin[a + 1] += begin[a];
    if (cancel.isCancelled())
        return cancelledError();
    std::vector<std::uint32_t> target(begin[n]);
    std::vector<float> weight(begin[n]);
    std::vector<std::uint64_t> next(begin.begin(), begin.end() - 1);
    forEachPair([&](std::uint32_t a, std::uint32_t b, float w) {
        target[next[a]] = b;
        weight[next[a]++] = w;
    });
    // Merge each antecedent's pairs into one rule per consequent (sorted by consequent).
    model->m_begin.assign(1, 0);
    std::vector<std::pair<std::uint32_t, float>> rules;
    for (std::uint32_t a = 0; a < n; ++a) {
        if (a % kCancelEvery == 0 && cancel.isCancelled())
            return cancelledError();
        rules.clear();
        for (std::uint64_t i = begin[a]; i < begin[a + 1]; ++i)
            rules.emplace_back(target[i], weight[i]);
        std::sort(rules.begin(), rules.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
        for (std::size_t i = 0; i < rules.size(); ++i) {
            if (i > 0 && rules[i].first == rules[i - 1].first) {
                model->m_weight.back() += rules[i].second;
            } else {
                model->m_target.push_back(rules[i].first);
                model->m_weight.push_back(rules[i].second);
            }
        }
        model->m_begin.push_back(model->m_target.size());
    }
    model->m_fallback = scaledPopularity(data.catalogue, kFallbackScale);
    return model;
}

TensorPack SequentialRulesRecommender::save() const
{
    TensorPack pack;
    pack.indices.push_back({QStringLiteral("rule_begin"), m_begin});
    pack.indices.push_back({QStringLiteral("rule_target"), widened(m_target)});
    pack.floats.push_back({QStringLiteral("rule_weight"), 1, nn::Index(m_weight.size()), m_weight});
    pack.floats.push_back({QStringLiteral("fallback"), 1, nn::Index(m_fallback.size()), m_fallback});
    return pack;
}

Result<std::unique_ptr<SequentialRulesRecommender>>
SequentialRulesRecommender::load(const TensorPack& pack, std::uint32_t catalogueSize)
{
    auto begin = pack.requireIndices(QStringLiteral("rule_begin"));
    auto target = pack.requireIndices(QStringLiteral("rule_target"));
    if (!begin)
        return begin.error();
    if (!target)
        return target.error();
    auto weight = pack.requireFloats(QStringLiteral("rule_weight"), 1, nn::Index(target->size()));
    auto fallback = pack.requireFloats(QStringLiteral("fallback"), 1, catalogueSize);
    if (!weight)
        return weight.error();
    if (!fallback)
        return fallback.error();
    if (!validRows(*begin, catalogueSize, target->size()) || !below(*target, catalogueSize))
        return corrupt(
            Tr::tr("the sequential rules do not fit the catalogue of %1 items").arg(catalogueSize));
    std::unique_ptr<SequentialRulesRecommender> model(new SequentialRulesRecommender);
    model->m_begin = std::move(begin.value());
    model->m_target = narrowed<std::uint32_t>(*target);
    model->m_weight = std::move(weight.value());
    model->m_fallback = std::move(fallback.value());
    return model;
}

void SequentialRulesRecommender::score(const std::uint32_t* begin, const std::uint32_t* end,
                                       float* scores) const
{
    std::copy(m_fallback.begin(), m_fallback.end(), scores);
    for (const std::uint32_t* p = end; p != begin; --p) {
        const std::uint32_t a = p[-1];
        if (a == Catalogue::kNoItem)
            continue;
        for (std::uint64_t r = m_begin[a]; r < m_begin[a + 1]; ++r)
            scores[m_target[r]] += m_weight[r];
        return;
    }
}

Result<std::unique_ptr<SessionKnnRecommender>> SessionKnnRecommender::train(const NextItemData& data,
                                                                            const SessionKnnParams& params,
                                                                            const CancelToken& cancel)
{
    if (Status s = validate(params); !s)
        return s.error();
    std::unique_ptr<SessionKnnRecommender> model(new SessionKnnRecommender);
    model->m_params = params;
    const std::uint32_t n = data.catalogue.size();
    // Training sessions are those of the training cases; each case's session appears at its
    // position 1 first, so sessions come in PreparedData's (time) order.
    model->m_sessionBegin.assign(1, 0);
    std::vector<std::uint32_t> items;
    for (const CaseRef& c : data.part(SplitPart::Train)) {
        if (c.position != 1)
            continue;
        if (model->m_sessionBegin.size() % kCancelEvery == 0 && cancel.isCancelled())
            return cancelledError();
        items.clear();
        const std::uint32_t* first = data.contextBegin(c);
        const std::uint32_t* last = data.items.data() + data.sessionBegin[c.session + 1];
        for (const std::uint32_t* p = first; p != last; ++p) {
            if (*p != Catalogue::kNoItem)
                items.push_back(*p);
        }
        std::sort(items.begin(), items.end());
        items.erase(std::unique(items.begin(), items.end()), items.end());
        model->m_sessionItems.insert(model->m_sessionItems.end(), items.begin(), items.end());
        model->m_sessionBegin.push_back(model->m_sessionItems.size());
    }
    model->indexSessions(n);
    model->m_fallback = scaledPopularity(data.catalogue, kFallbackScale);
    return model;
}

void SessionKnnRecommender::indexSessions(std::uint32_t catalogueSize)
{
    std::vector<std::uint64_t> perItem(catalogueSize + 1, 0);
    for (const std::uint32_t i : m_sessionItems)
        ++perItem[i + 1];
    for (std::uint32_t i = 0; i < catalogueSize; ++i)
        perItem[i + 1] += perItem[i];
    m_itemBegin = perItem;
    m_itemSessions.resize(perItem[catalogueSize]);
    // Most recent first: walk the sessions backwards.
    std::vector<std::uint64_t> next(perItem.begin(), perItem.end() - 1);
    for (std::size_t s = m_sessionBegin.size() - 1; s-- > 0;) {
        for (std::uint64_t k = m_sessionBegin[s]; k < m_sessionBegin[s + 1]; ++k)
            m_itemSessions[next[m_sessionItems[k]]++] = static_cast<std::uint32_t>(s);
    }
}

TensorPack SessionKnnRecommender::save() const
{
    TensorPack pack;
    pack.indices.push_back({QStringLiteral("session_begin"), m_sessionBegin});
    pack.indices.push_back({QStringLiteral("session_items"), widened(m_sessionItems)});
    pack.floats.push_back({QStringLiteral("fallback"), 1, nn::Index(m_fallback.size()), m_fallback});
    return pack;
}

Result<std::unique_ptr<SessionKnnRecommender>> SessionKnnRecommender::load(const TensorPack& pack,
                                                                           const SessionKnnParams& params,
                                                                           std::uint32_t catalogueSize)
{
    auto begin = pack.requireIndices(QStringLiteral("session_begin"));
    auto items = pack.requireIndices(QStringLiteral("session_items"));
    auto fallback = pack.requireFloats(QStringLiteral("fallback"), 1, catalogueSize);
    if (!begin)
        return begin.error();
    if (!items)
        return items.error();
    if (!fallback)
        return fallback.error();
    if (begin->empty() || !validRows(*begin, begin->size() - 1, items->size()) ||
        !below(*items, catalogueSize))
        return corrupt(
            Tr::tr("the session-kNN sessions do not fit the catalogue of %1 items").arg(catalogueSize));
    std::unique_ptr<SessionKnnRecommender> model(new SessionKnnRecommender);
    model->m_params = params;
    model->m_sessionBegin = std::move(begin.value());
    model->m_sessionItems = narrowed<std::uint32_t>(*items);
    model->m_fallback = std::move(fallback.value());
    model->indexSessions(catalogueSize);
    return model;
}

void SessionKnnRecommender::score(const std::uint32_t* begin, const std::uint32_t* end, float* scores) const
{
    std::copy(m_fallback.begin(), m_fallback.end(), scores);
    std::vector<std::uint32_t> current;
    for (const std::uint32_t* p = begin; p != end; ++p) {
        if (*p != Catalogue::kNoItem)
            current.push_back(*p);
    }
    std::sort(current.begin(), current.end());
    current.erase(std::unique(current.begin(), current.end()), current.end());
    if (current.empty())
        return;
    // Candidates: the most recent sessions sharing an item. The sampleSize most recent of the
    // union are among the sampleSize most recent of each item's list.
    const auto sample = static_cast<std::uint64_t>(m_params.sampleSize);
    std::vector<std::uint32_t> candidates;
    for (const std::uint32_t i : current) {
        const std::uint64_t from = m_itemBegin[i];
        const std::uint64_t to = std::min(m_itemBegin[i + 1], from + sample);
        candidates.insert(candidates.end(), m_itemSessions.begin() + static_cast<std::ptrdiff_t>(from),
                          m_itemSessions.begin() + static_cast<std::ptrdiff_t>(to));
    }
    std::sort(candidates.begin(), candidates.end(), std::greater<>());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    if (candidates.size() > sample)
        candidates.resize(sample);
    // Cosine similarity of item sets: |A ∩ B| / sqrt(|A| |B|).
    std::vector<std::pair<float, std::uint32_t>> similar;
    similar.reserve(candidates.size());
    for (const std::uint32_t s : candidates) {
        const auto* b = m_sessionItems.data() + m_sessionBegin[s];
        const auto* e = m_sessionItems.data() + m_sessionBegin[s + 1];
        std::size_t common = 0;
        auto a = current.begin();
        for (const auto* p = b; p != e && a != current.end();) {
            if (*p < *a) {
                ++p;
            } else if (*a < *p) {
                ++a;
            } else {
                ++common, ++p, ++a;
            }
        }
        const float sim = static_cast<float>(common) /
                          std::sqrt(static_cast<float>(current.size()) * static_cast<float>(e - b));
        similar.emplace_back(sim, s);
    }
    const std::size_t k = std::min(similar.size(), static_cast<std::size_t>(m_params.neighbours));
    // Most similar first; among equals the more recent session.
    std::partial_sort(similar.begin(), similar.begin() + static_cast<std::ptrdiff_t>(k), similar.end(),
                      [](const auto& x, const auto& y) {
                          return x.first > y.first || (x.first == y.first && x.second > y.second);
                      });
    for (std::size_t j = 0; j < k; ++j) {
        const std::uint32_t s = similar[j].second;
        for (std::uint64_t p = m_sessionBegin[s]; p < m_sessionBegin[s + 1]; ++p)
            scores[m_sessionItems[p]] += similar[j].first;
    }
}

} // namespace swb
