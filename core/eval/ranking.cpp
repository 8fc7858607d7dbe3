#include "ranking.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace swb {

namespace {
// Translation context of this file's messages (lupdate reads the macro).
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(swb::Ranking)
};
} // namespace

RankingAccumulator::RankingAccumulator(std::uint32_t catalogueSize, int coverageK)
    : m_catalogueSize(catalogueSize), m_coverageK(coverageK), m_covered(catalogueSize, 0)
{
    if (coverageK < 1)
        throw std::invalid_argument("RankingAccumulator: coverageK must be at least 1");
}

void RankingAccumulator::addCase(std::uint32_t targetRank, std::span<const std::uint32_t> topItems,
                                 bool targetUnseen)
{
    if (targetUnseen && targetRank != 0)
        throw std::invalid_argument("RankingAccumulator::addCase: an unseen target cannot have a rank");
    const std::size_t listed = std::min(topItems.size(), std::size_t(m_coverageK));
    // Checked before anything is counted, so a throwing call leaves the accumulator as it was.
    for (std::size_t k = 0; k < listed; ++k) {
        if (topItems[k] >= m_catalogueSize)
            throw std::out_of_range("RankingAccumulator::addCase: item code outside the catalogue");
    }
    for (std::size_t k = 0; k < listed; ++k) {
        std::uint8_t& covered = m_covered[topItems[k]];
        m_coveredCount += covered == 0;
        covered = 1;
    }
    ++m_cases;
    m_unseen += targetUnseen;
    if (targetRank >= 1 && targetRank <= std::uint32_t(kMaxRankingK))
        ++m_rankCounts[targetRank];
}

void RankingAccumulator::merge(const RankingAccumulator& other)
{
    if (other.m_catalogueSize != m_catalogueSize || other.m_coverageK != m_coverageK)
        throw std::invalid_argument("RankingAccumulator::merge: different catalogue or coverageK");
    m_cases += other.m_cases;
    m_unseen += other.m_unseen;
    for (std::size_t r = 0; r < m_rankCounts.size(); ++r)
        m_rankCounts[r] += other.m_rankCounts[r];
    for (std::size_t i = 0; i < m_covered.size(); ++i) {
        if (other.m_covered[i] && !m_covered[i]) {
            m_covered[i] = 1;
            ++m_coveredCount;
        }
    }
}

Result<RankingReport> RankingAccumulator::report() const
{
    if (m_cases == 0)
        return Error{ErrorCode::InvalidArgument, Tr::tr("there are no cases to evaluate"), {}, 0, 0, {}};
    if (m_catalogueSize == 0)
        return Error{ErrorCode::InvalidArgument, Tr::tr("the training catalogue is empty"), {}, 0, 0, {}};
    RankingReport report;
    report.cases = m_cases;
    report.unseenTargets = m_unseen;
    report.coverageK = m_coverageK;
    report.catalogueSize = m_catalogueSize;
    report.coveredItems = m_coveredCount;
    report.coverage = double(m_coveredCount) / double(m_catalogueSize);
    // Running sums over the rank histogram: at K they hold every case with rank <= K.
    std::int64_t hits = 0;
    double reciprocalRanks = 0.0, gains = 0.0;
    const double n = double(m_cases);
    for (int k = 1; k <= kMaxRankingK; ++k) {
        const double atRank = double(m_rankCounts[std::size_t(k)]);
        hits += m_rankCounts[std::size_t(k)];
        reciprocalRanks += atRank / k;
        gains += atRank / std::log2(double(k) + 1.0);
        RankingAtK& m = report.atK[std::size_t(k - 1)];
        m.hr = double(hits) / n;
        m.recall = m.hr;
        m.precision = double(hits) / (n * k);
        m.mrr = reciprocalRanks / n;
        m.ndcg = gains / n;
    }
    return report;
}

QJsonObject toJson(const RankingReport& report)
{
    QJsonObject byK;
    for (int k = 1; k <= kMaxRankingK; ++k) {
        const RankingAtK& m = report.at(k);
        byK.insert(QString::number(k), QJsonObject{{QStringLiteral("hr"), m.hr},
                                                   {QStringLiteral("recall"), m.recall},
                                                   {QStringLiteral("precision"), m.precision},
                                                   {QStringLiteral("mrr"), m.mrr},
                                                   {QStringLiteral("ndcg"), m.ndcg}});
    }
    return QJsonObject{{QStringLiteral("ranking"), byK},
                       {QStringLiteral("coverage"), report.coverage},
                       {QStringLiteral("coverage_k"), report.coverageK},
                       {QStringLiteral("catalogue_size"), double(report.catalogueSize)},
                       {QStringLiteral("covered_items"), double(report.coveredItems)},
                       {QStringLiteral("cases"), double(report.cases)},
                       {QStringLiteral("unseen_targets"), double(report.unseenTargets)}};
}

} // namespace swb
