#pragma once

#include "core/util/result.h"

#include <QJsonObject>

#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace swb {

// Next-item ranking metrics over the full training catalogue (no sampled negatives), one target
// item per case, for every cut-off K in 1..kMaxRankingK.
inline constexpr int kMaxRankingK = 50;

// Means over all cases (cases with an unseen target included, as misses). A case hits at K when
// its target's rank r (1-based) is <= K.
//   hr        share of cases that hit.
//   recall    hits / relevant items. With exactly one relevant item (the target) per case this is
//             HR@K; it is still reported so that tables line up with tools and papers that quote
//             recall@K, and it would differ if a case ever had several targets.
//   precision hits / K, i.e. HR@K / K: the share of the K slots that hold the target.
//   mrr       1 / r on a hit, else 0.
//   ndcg      1 / log2(r + 1) on a hit, else 0; the ideal DCG of a single target is 1, so no
//             further normalisation.
struct RankingAtK
{
    double hr = 0.0;
    double recall = 0.0;
    double precision = 0.0;
    double mrr = 0.0;
    double ndcg = 0.0;
};

struct RankingReport
{
    std::int64_t cases = 0;
    std::int64_t unseenTargets = 0;             // targets never seen in training: counted as misses
    std::array<RankingAtK, kMaxRankingK> atK{}; // atK[K - 1]
    int coverageK = 20;                         // the list length coverage looked at
    std::uint32_t catalogueSize = 0;            // items the model could recommend
    std::int64_t coveredItems = 0;              // distinct items in any case's top coverageK
    double coverage = 0.0;                      // coveredItems / catalogueSize

    // K in 1..kMaxRankingK.
    const RankingAtK& at(int k) const { return atK[std::size_t(k - 1)]; }
};

// Collects cases one at a time without keeping their lists: a histogram of target ranks (ranks
// above kMaxRankingK only count as cases) plus one flag per catalogue item for coverage. O(1) to
// record a rank and O(coverageK) for the list, no allocation per case; memory is one byte per
// catalogue item. Not thread-safe; give each worker its own and merge().
class RankingAccumulator
{
public:
    // catalogueSize: items the model ranks, coded 0..catalogueSize-1. coverageK >= 1 (throws
    // std::invalid_argument otherwise): how much of each list counts for coverage.
    explicit RankingAccumulator(std::uint32_t catalogueSize, int coverageK = 20);

    // targetRank: the target's 1-based rank in the model's ranking, or 0 when the target is not
    // in the list the model returned (a miss at every K). topItems: the model's list, best first;
    // only its first coverageK entries are read, and it may be shorter (or empty). targetUnseen:
    // the target never occurred in training, so no model could rank it; the case is a miss, is
    // counted in unseenTargets, and targetRank must then be 0. Throws std::invalid_argument when
    // an unseen target has a rank and std::out_of_range for an item code outside the catalogue:
    // both are the caller's bugs, not the data's.
    void addCase(std::uint32_t targetRank, std::span<const std::uint32_t> topItems,
                 bool targetUnseen = false);

    // Adds another accumulator's cases; throws std::invalid_argument unless both have the same
    // catalogue size and coverageK. O(catalogue).
    void merge(const RankingAccumulator& other);

    std::int64_t cases() const { return m_cases; }
    // O(kMaxRankingK). Fails (InvalidArgument) when there are no cases or the catalogue is empty.
    Result<RankingReport> report() const;

private:
    std::uint32_t m_catalogueSize;
    int m_coverageK;
    std::int64_t m_cases = 0;
    std::int64_t m_unseen = 0;
    std::array<std::int64_t, kMaxRankingK + 1> m_rankCounts{}; // [r]: targets at rank r, r in 1..K max
    std::vector<std::uint8_t> m_covered;                       // per item: in some top coverageK
    std::int64_t m_coveredCount = 0;
};

// Keys: ranking ({"1": {hr, recall, precision, mrr, ndcg}, ..., "50": ...}), coverage, coverage_k,
// catalogue_size, covered_items, cases, unseen_targets.
QJsonObject toJson(const RankingReport& report);

} // namespace swb
