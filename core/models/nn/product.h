#pragma once

// Matrix products and row-wise loops spread over a ThreadTeam, with results that do not depend on
// the number of threads.
//
// Threading choice (issue 4: "uses both cores", "the same seed gives the same numbers"). Eigen
// parallelises products only through OpenMP; we split them ourselves over a persistent team of
// threads (the caller plus one helper by default), because, measured on this 2-core machine
// (Debian 12, g++ 12, Eigen 3.4, baseline x86-64 build):
//   * the split is ours to fix: a product is cut into parts chosen from its shape alone (rows or
//     columns of the result, or the summed dimension with the partial sums added in a fixed
//     order), so training gives bit-identical numbers with 1, 2 or 3 threads (tested). Eigen with
//     OpenMP sizes its cache blocks from the thread count (computeProductBlockingSizes) and cuts by
//     the threads OpenMP actually grants, so its results follow OMP_NUM_THREADS and the machine;
//   * on an idle machine both reach the same speed for large products (Eigen+OpenMP 31–36 GFLOP/s,
//     ours 34–37), and OpenMP's spinning workers even make tiny products faster (256×64 · 64×32 in
//     30 µs against 55 µs on one thread). But they collapsed whenever the other core was busy (a
//     compiler, the GUI, another job): 445 ms instead of 70 ms for 256×20000 · 20000×128, 1.5 ms for
//     256×64 · 64×32. Our helper sleeps on a condition variable (a wake-up costs 5–12 µs) and
//     products below kMinParallelFlops never leave the calling thread;
//   * -fopenmp would have to reach every translation unit that instantiates an Eigen product
//     (tests and GUI included), or the linker keeps whichever instantiation it meets first.
// Measured float GFLOP/s with our split, one thread → two threads (best of several runs):
//   256×320 · 320×128 (21 MFLOP):     18.2–19.9 → 34–38
//   256×128 · 128×20000 (1.3 GFLOP):  17.2–18.9 → 34–37 (Y = X·W, Xᵀ·G and G·Wᵀ alike)
// A next-item training batch (256 cases, 5 × 64-wide embeddings, 128 hidden units, softmax over
// 20,000 items, Adam) takes 258–268 ms on one thread and 133–140 ms on two.
//
// The build targets baseline x86-64 (SSE2: 4 floats per instruction, no FMA), Debian's baseline,
// so one core tops out near 19 GFLOP/s here with Eigen. The same products built with -mavx2 -mfma
// reach 30–35 GFLOP/s on one thread and 55–63 on two on this machine (PyTorch's OpenBLAS uses such
// kernels). So on processors with AVX2 and FMA (checked at run time) the products go to our own
// kernel in avx2product.cpp: hand-written intrinsics under __attribute__((target)), no Eigen,
// because compiling Eigen's templates a second time with -mavx2 would break the one-definition rule
// (the linker may hand the AVX2 instantiation to the baseline code, or the reverse). The thread
// split below is the same for both paths. The two paths differ by float rounding only (FMA rounds
// once per term, and the sums run in another order); each is bit-identical across thread counts.
// Measured on this machine while other builds ran (same run, 2 threads): 256×128 · 128×20000 at
// 19–20 GFLOP/s in the AVX2 kernel against 11.3–11.5 in Eigen; see tests/bench/README.md.

#include "tensor.h"

namespace swb::nn {

class ThreadTeam;

// Products below this many floating-point operations (2·m·k·n, about 50 µs on one core) run on the
// calling thread: below it, waking the helper costs more than it saves.
inline constexpr double kMinParallelFlops = 1.0e6;
// Number of parts a large product is cut into, independent of the team size (so that results are
// too). 4 balances on 1, 2 and 4 threads; measured within 2–5% of a 2-way cut on two threads.
inline constexpr int kProductParts = 4;
// Part boundaries are multiples of this many columns/rows: whole SSE packets and Eigen register
// blocks, and 64-byte cache lines for row-major rows.
inline constexpr Index kPartAlign = 16;

// Scratch a product may need (partial sums when the summed dimension is split). Owned by the caller
// (a layer) so that repeated products of one shape allocate nothing.
struct ProductScratch
{
    Matrix partials[kProductParts];
};

namespace detail {
// Whether the products below use the AVX2 + FMA kernel of avx2product.h: on by default when the
// processor has AVX2 and FMA, else Eigen's baseline (SSE2) product. The two differ by float
// rounding only; within one setting, results do not depend on the thread count. Tests switch it
// off to check the baseline path on an AVX2 machine; set it only while no product runs.
bool avx2Products();
void setAvx2Products(bool enabled); // stays off on a processor without AVX2 + FMA
} // namespace detail

// c = a · b (or c += a · b with accumulate); a is m × k, b is k × n; c must already be m × n.
void multiply(ThreadTeam* team, const Matrix& a, const Matrix& b, Matrix& c, ProductScratch& scratch,
              bool accumulate = false);
// c = aᵀ · b; a is k × m, b is k × n; c must already be m × n.
void multiplyTransposedLeft(ThreadTeam* team, const Matrix& a, const Matrix& b, Matrix& c,
                            ProductScratch& scratch);
// c = a · bᵀ; a is m × k, b is n × k; c must already be m × n.
void multiplyTransposedRight(ThreadTeam* team, const Matrix& a, const Matrix& b, Matrix& c,
                             ProductScratch& scratch);

// [begin, end) of part `part` when [0, size) is cut into `parts` aligned pieces (some may be empty).
struct Range
{
    Index begin = 0;
    Index end = 0;
};
Range partRange(Index size, int parts, int part, Index align = 1);

// Calls rowTask(row) for every row in [0, rows), spread over the team when rows × cols is large.
// Row-wise work is what keeps element-wise transcendental functions deterministic: Eigen evaluates
// exp/tanh/logistic with a polynomial on SSE packets and another way on the scalar head and tail of a
// run, so the result of an element must not depend on where a run starts. Processing each row as
// its own run makes it depend only on the element's position in the matrix.
template <typename RowTask> void forEachRow(ThreadTeam* team, Index rows, Index cols, RowTask&& rowTask);

// Calls rangeTask(begin, end) over [0, size) split into pieces; for work whose result is the same
// however it is cut (exact IEEE operations element by element: +, ×, ÷, sqrt, comparisons).
// costPerElement scales the size when deciding whether the work is worth a second thread.
template <typename RangeTask>
void forEachRange(ThreadTeam* team, Index size, RangeTask&& rangeTask, Index costPerElement = 1);

} // namespace swb::nn

#include "threadteam.h"

namespace swb::nn {

// Below this many elements an element-wise pass stays on the calling thread.
inline constexpr Index kMinParallelElements = Index(1) << 16;

template <typename RowTask> void forEachRow(ThreadTeam* team, Index rows, Index cols, RowTask&& rowTask)
{
    const int parts = (team && rows * cols >= kMinParallelElements) ? kProductParts : 1;
    runParts(team, parts, [&](int part) {
        const Range range = partRange(rows, parts, part);
        for (Index row = range.begin; row < range.end; ++row)
            rowTask(row);
    });
}

template <typename RangeTask>
void forEachRange(ThreadTeam* team, Index size, RangeTask&& rangeTask, Index costPerElement)
{
    const int parts = (team && size * costPerElement >= kMinParallelElements) ? kProductParts : 1;
    runParts(team, parts, [&](int part) {
        const Range range = partRange(size, parts, part, kPartAlign);
        if (range.end > range.begin)
            rangeTask(range.begin, range.end);
    });
}

} // namespace swb::nn
