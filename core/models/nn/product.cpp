#include "product.h"

#include "avx2product.h"

#include <algorithm>
#include <atomic>
#include <type_traits>

namespace swb::nn {

Range partRange(Index size, int parts, int part, Index align)
{
    Index chunk = (size + parts - 1) / parts;
    chunk = (chunk + align - 1) / align * align;
    const Index begin = std::min(size, chunk * part);
    return {begin, std::min(size, begin + chunk)};
}

namespace {

enum class Split
{
    None,
    Rows,  // rows of the result (and of the left operand)
    Cols,  // columns of the result (and of the right operand)
    Depth, // the summed dimension; partial products added in part order
};

struct Plan
{
    Split split = Split::None;
    int parts = 1;
};

// Cuts along the largest dimension, preferring rows of the result, then its columns, on ties: the
// cut operand is then read once in total and each part is still a large product. Cutting the
// summed dimension (partial sums added afterwards) is for small results of long sums, like
// d(input) = G·Wᵀ under a 20,000-wide softmax layer. Measured on two threads: 256×32 · 32×64
// (1 MFLOP) 55 → 40 µs cut by rows, 45 µs by columns; 256×128 · 128×20000 36–37 GFLOP/s by rows
// or columns, and G·Wᵀ 37 GFLOP/s by depth.
// The plan depends on the shape only, never on the team: a null team runs the same parts inline.
Plan planProduct(Index m, Index k, Index n)
{
    if (2.0 * double(m) * double(k) * double(n) < kMinParallelFlops)
        return {};
    Split split = Split::Rows;
    Index size = m;
    if (n > size) {
        split = Split::Cols;
        size = n;
    }
    if (k > size) {
        split = Split::Depth;
        size = k;
    }
    const int parts = int(std::min<Index>(kProductParts, size / kPartAlign));
    if (parts < 2)
        return {};
    return {split, parts};
}

using detail::StridedView;

std::atomic<bool>& avx2Switch()
{
    static std::atomic<bool> on{detail::cpuHasAvx2Fma()};
    return on;
}

// A row-major matrix, or its transpose, as the AVX2 kernel reads it.
StridedView view(const Matrix& x)
{
    return {x.data(), x.rows(), x.cols(), x.cols(), 1};
}
StridedView transposedView(const Matrix& x)
{
    return {x.data(), x.cols(), x.rows(), 1, x.cols()};
}

template <typename X> Index rowsOf(const X& x)
{
    if constexpr (std::is_same_v<X, StridedView>)
        return x.rows;
    else
        return x.rows();
}
template <typename X> Index colsOf(const X& x)
{
    if constexpr (std::is_same_v<X, StridedView>)
        return x.cols;
    else
        return x.cols();
}

// dst (=|+=) a · b: Eigen's product for Eigen expressions, the AVX2 kernel for strided views.
template <typename Dst, typename A, typename B>
void assignProduct(Dst&& dst, const A& a, const B& b, bool accumulate)
{
    if constexpr (std::is_same_v<A, StridedView>) {
        detail::multiplyAvx2(a, b, dst.data(), dst.outerStride(), accumulate);
    } else if (accumulate) {
        dst.noalias() += a * b;
    } else {
        dst.noalias() = a * b;
    }
}

// c (=|+=) lhs · rhs, where lhs and rhs are Eigen expressions (a matrix or a transposed matrix) or
// both strided views for the AVX2 kernel. The split is the same for both.
template <typename Lhs, typename Rhs>
void product(ThreadTeam* team, const Lhs& lhs, const Rhs& rhs, Matrix& c, ProductScratch& scratch,
             bool accumulate)
{
    const Index m = rowsOf(lhs);
    const Index k = colsOf(lhs);
    const Index n = colsOf(rhs);
    eigen_assert(rowsOf(rhs) == k && c.rows() == m && c.cols() == n);
    const Plan plan = planProduct(m, k, n);
    auto assign = [accumulate](auto&& dst, const auto& a, const auto& b) {
        assignProduct(dst, a, b, accumulate);
    };
    switch (plan.split) {
    case Split::None:
        assign(c, lhs, rhs);
        return;
    case Split::Cols:
        runParts(team, plan.parts, [&](int part) {
            const Range r = partRange(n, plan.parts, part, kPartAlign);
            if (r.end > r.begin)
                assign(c.middleCols(r.begin, r.end - r.begin), lhs, rhs.middleCols(r.begin, r.end - r.begin));
        });
        return;
    case Split::Rows:
        runParts(team, plan.parts, [&](int part) {
            const Range r = partRange(m, plan.parts, part, kPartAlign);
            if (r.end > r.begin)
                assign(c.middleRows(r.begin, r.end - r.begin), lhs.middleRows(r.begin, r.end - r.begin), rhs);
        });
        return;
    case Split::Depth:
        // Part 0 goes straight into c; the others into scratch, added below in part order.
        runParts(team, plan.parts, [&](int part) {
            const Range r = partRange(k, plan.parts, part, kPartAlign);
            const Index len = r.end - r.begin;
            if (part == 0) {
                assign(c, lhs.middleCols(r.begin, len), rhs.middleRows(r.begin, len));
                return;
            }
            Matrix& partial = scratch.partials[part];
            partial.resize(m, n);
            if (len > 0)
                assignProduct(partial, lhs.middleCols(r.begin, len), rhs.middleRows(r.begin, len), false);
            else
                partial.setZero();
        });
        forEachRange(team, m * n, [&](Index begin, Index end) {
            auto sum = MatrixMap(c.data(), 1, m * n).middleCols(begin, end - begin);
            for (int part = 1; part < plan.parts; ++part)
                sum += MatrixMap(scratch.partials[part].data(), 1, m * n).middleCols(begin, end - begin);
        });
        return;
    }
}

} // namespace

namespace detail {
bool avx2Products()
{
    return avx2Switch().load(std::memory_order_relaxed);
}

void setAvx2Products(bool enabled)
{
    avx2Switch().store(enabled && cpuHasAvx2Fma(), std::memory_order_relaxed);
}
} // namespace detail

// Whether a product of this shape takes the AVX2 kernel. A result with fewer than 8 rows or columns
// fills too little of the kernel's 6 × 16 tile to repay packing the operands: one case scored at a
// time (1 × 128 · 128 × 20,000) ran at 1.2 GFLOP/s in the kernel against 4.4 in Eigen. The choice
// depends on the shape alone, so results still do not depend on the thread count.
namespace {
bool useAvx2(Index m, Index n)
{
    return detail::avx2Products() && m >= 8 && n >= 8;
}
} // namespace

void multiply(ThreadTeam* team, const Matrix& a, const Matrix& b, Matrix& c, ProductScratch& scratch,
              bool accumulate)
{
    if (useAvx2(a.rows(), b.cols()))
        product(team, view(a), view(b), c, scratch, accumulate);
    else
        product(team, a, b, c, scratch, accumulate);
}

void multiplyTransposedLeft(ThreadTeam* team, const Matrix& a, const Matrix& b, Matrix& c,
                            ProductScratch& scratch)
{
    if (useAvx2(a.cols(), b.cols()))
        product(team, transposedView(a), view(b), c, scratch, false);
    else
        product(team, a.transpose(), b, c, scratch, false);
}

void multiplyTransposedRight(ThreadTeam* team, const Matrix& a, const Matrix& b, Matrix& c,
                             ProductScratch& scratch)
{
    if (useAvx2(a.rows(), b.rows()))
        product(team, view(a), transposedView(b), c, scratch, false);
    else
        product(team, a, b.transpose(), c, scratch, false);
}

} // namespace swb::nn
