#pragma once

#include <cmath>

namespace swb::detail {

// Neumaier's compensated sum: the error stays about one rounding of the total instead of growing
// with the number of terms, so means over millions of cases (log loss, average precision) agree
// with numpy's pairwise sums to ~1e-15.
class CompensatedSum
{
public:
    void add(double term)
    {
        const double t = m_sum + term;
        if (std::fabs(m_sum) >= std::fabs(term))
            m_compensation += (m_sum - t) + term;
        else
            m_compensation += (term - t) + m_sum;
        m_sum = t;
    }
    double value() const { return m_sum + m_compensation; }

private:
    double m_sum = 0.0;
    double m_compensation = 0.0;
};

} // namespace swb::detail
