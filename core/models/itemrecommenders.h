#pragma once

#include "core/jobs/cancel.h"
#include "core/models/recommender.h"
#include "core/models/tensorpack.h"
#include "core/util/result.h"

#include <memory>
#include <vector>

// The next-item models that count instead of learning weights: popularity, sequential rules and
// session-kNN. All are trained on the training split of a NextItemData only.
namespace swb {

// Every session gets the same list: the items by training events. The floor any model must beat.
class PopularityRecommender final : public Recommender
{
public:
    explicit PopularityRecommender(const Catalogue& catalogue);
    TensorPack save() const;
    static Result<std::unique_ptr<PopularityRecommender>> load(const TensorPack& pack,
                                                               std::uint32_t catalogueSize);
    void score(const std::uint32_t* begin, const std::uint32_t* end, float* scores) const override;
    std::uint32_t catalogueSize() const override { return static_cast<std::uint32_t>(m_popularity.size()); }

private:
    PopularityRecommender() = default;
    std::vector<float> m_popularity; // training events per item, scaled into [0, 1]
};

// Sequential rules (Ludewig & Jannach's "SR"): item b follows item a within `window` steps of a
// training session, weighted 1/distance. A session is answered from the rules of its last item
// (or the last one in the catalogue); popularity, scaled below any rule, orders the rest.
struct SequentialRulesParams
{
    int window = 10; // 1..100 steps
};
// The error names the parameter (field "window").
Status validate(const SequentialRulesParams& params);
class SequentialRulesRecommender final : public Recommender
{
public:
    static Result<std::unique_ptr<SequentialRulesRecommender>>
    train(const NextItemData& data, const SequentialRulesParams& params, const CancelToken& cancel);
    TensorPack save() const;
    static Result<std::unique_ptr<SequentialRulesRecommender>> load(const TensorPack& pack,
                                                                    std::uint32_t catalogueSize);
    void score(const std::uint32_t* begin, const std::uint32_t* end, float* scores) const override;
    std::uint32_t catalogueSize() const override { return static_cast<std::uint32_t>(m_fallback.size()); }
    std::size_t ruleCount() const { return m_target.size(); }

private:
    SequentialRulesRecommender() = default;
    // Rules by antecedent, compressed rows: rules of item a are [m_begin[a], m_begin[a + 1]).
    std::vector<std::uint64_t> m_begin;
    std::vector<std::uint32_t> m_target;
    std::vector<float> m_weight;
    std::vector<float> m_fallback; // popularity scaled into [0, 1e-3)
};

// Session-kNN (Jannach & Ludewig 2017): the current session's items are compared with training
// sessions that share an item (the `sampleSize` most recent of them), by cosine similarity of
// their item sets; the `neighbours` most similar vote for their items with their similarity.
struct SessionKnnParams
{
    int neighbours = 100; // k
    int sampleSize = 500; // most recent candidate sessions considered
};
// The error names the parameter (field "neighbours" or "sample_size").
Status validate(const SessionKnnParams& params);
class SessionKnnRecommender final : public Recommender
{
public:
    static Result<std::unique_ptr<SessionKnnRecommender>>
    train(const NextItemData& data, const SessionKnnParams& params, const CancelToken& cancel);
    TensorPack save() const;
    static Result<std::unique_ptr<SessionKnnRecommender>>
    load(const TensorPack& pack, const SessionKnnParams& params, std::uint32_t catalogueSize);
    void score(const std::uint32_t* begin, const std::uint32_t* end, float* scores) const override;
    std::uint32_t catalogueSize() const override { return static_cast<std::uint32_t>(m_fallback.size()); }

private:
    SessionKnnRecommender() = default;
    void indexSessions(std::uint32_t catalogueSize); // builds the item → sessions lists
    SessionKnnParams m_params;
    // Training sessions as sets of distinct items (compressed rows), in time order.
    std::vector<std::uint64_t> m_sessionBegin;
    std::vector<std::uint32_t> m_sessionItems;
    // Sessions holding each item, most recent first (compressed rows).
    std::vector<std::uint64_t> m_itemBegin;
    std::vector<std::uint32_t> m_itemSessions;
    std::vector<float> m_fallback; // popularity scaled into [0, 1e-3)
};

} // namespace swb
