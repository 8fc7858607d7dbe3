#include "avx2product.h"

#include <algorithm>
#include <cstring>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define SWB_HAVE_X86 1
#else
#define SWB_HAVE_X86 0
#endif

namespace swb::nn::detail {

#if SWB_HAVE_X86

namespace {

using Index = std::ptrdiff_t;

// The classic blocked product (Goto; BLIS's loop order): c is computed in tiles of kRows × kCols
// by a register-blocked kernel reading packed copies of a and b. Sizes for this AMD EPYC's caches
// (32 KiB L1d, 512 KiB L2 per core): a 256 × 16 panel of b (16 KiB) stays in L1 while the kernel
// walks a 144 × 256 block of a (144 KiB, in L2); a 256 × 2048 block of b (2 MiB) sits in L3.
constexpr Index kRows = 6;    // rows of a kernel tile: 12 accumulators + 2 b vectors + 1 broadcast
constexpr Index kCols = 16;   // columns of a kernel tile: two 8-float vectors
constexpr Index kDepth = 256; // k block; also the order in which sums are formed (see the header)
constexpr Index kRowBlock = 144;
constexpr Index kColBlock = 2048;

// Packs rows [0, mc) × depth [0, kc) of a into panels of kRows rows: panel r holds, for each p,
// the kRows values a(r·kRows + i, p), zero past the last row.
void packA(const StridedView& a, Index row0, Index mc, Index p0, Index kc, float* out)
{
    for (Index r = 0; r < mc; r += kRows) {
        const Index rows = std::min(kRows, mc - r);
        const float* base = a.data + (row0 + r) * a.rowStride + p0 * a.colStride;
        if (a.colStride == 1 && rows == kRows) {
            // Row-major a: the kRows rows are each contiguous along p.
            for (Index p = 0; p < kc; ++p)
                for (Index i = 0; i < kRows; ++i)
                    out[p * kRows + i] = base[i * a.rowStride + p];
        } else {
            for (Index p = 0; p < kc; ++p) {
                Index i = 0;
                for (; i < rows; ++i)
                    out[p * kRows + i] = base[i * a.rowStride + p * a.colStride];
                for (; i < kRows; ++i)
                    out[p * kRows + i] = 0.0f;
            }
        }
        out += kc * kRows;
    }
}

// Packs depth [0, kc) × columns [0, nc) of b into panels of kCols columns: panel c holds, for each
// p, the kCols values b(p, c·kCols + j), zero past the last column.
void packB(const StridedView& b, Index p0, Index kc, Index col0, Index nc, float* out)
{
    for (Index c = 0; c < nc; c += kCols) {
        const Index cols = std::min(kCols, nc - c);
        const float* base = b.data + p0 * b.rowStride + (col0 + c) * b.colStride;
        if (b.colStride == 1 && cols == kCols) {
            for (Index p = 0; p < kc; ++p)
                std::memcpy(out + p * kCols, base + p * b.rowStride, sizeof(float) * kCols);
        } else if (b.rowStride == 1) {
            // A transposed row-major matrix: each column of b is contiguous along p.
            for (Index j = 0; j < kCols; ++j) {
                if (j < cols) {
                    const float* column = base + j * b.colStride;
                    for (Index p = 0; p < kc; ++p)
                        out[p * kCols + j] = column[p];
                } else {
                    for (Index p = 0; p < kc; ++p)
                        out[p * kCols + j] = 0.0f;
                }
            }
        } else {
            for (Index p = 0; p < kc; ++p) {
                Index j = 0;
                for (; j < cols; ++j)
                    out[p * kCols + j] = base[p * b.rowStride + j * b.colStride];
                for (; j < kCols; ++j)
                    out[p * kCols + j] = 0.0f;
            }
        }
        out += kc * kCols;
    }
}

// One tile: acc = Σ_p ap[p] ⊗ bp[p] over kc terms, then c (=|+=) acc for the rows × cols part
// that exists. Partial tiles go through the same arithmetic (zero padding) and a scratch tile.
__attribute__((target("avx2,fma"))) void kernel(Index kc, const float* ap, const float* bp, float* c,
                                                Index ldc, Index rows, Index cols, bool add)
{
    __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps();
    __m256 c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
    __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps();
    __m256 c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
    __m256 c40 = _mm256_setzero_ps(), c41 = _mm256_setzero_ps();
    __m256 c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();
    for (Index p = 0; p < kc; ++p) {
        const __m256 b0 = _mm256_loadu_ps(bp);
        const __m256 b1 = _mm256_loadu_ps(bp + 8);
        __m256 a = _mm256_broadcast_ss(ap);
        c00 = _mm256_fmadd_ps(a, b0, c00);
        c01 = _mm256_fmadd_ps(a, b1, c01);
        a = _mm256_broadcast_ss(ap + 1);
        c10 = _mm256_fmadd_ps(a, b0, c10);
        c11 = _mm256_fmadd_ps(a, b1, c11);
        a = _mm256_broadcast_ss(ap + 2);
        c20 = _mm256_fmadd_ps(a, b0, c20);
        c21 = _mm256_fmadd_ps(a, b1, c21);
        a = _mm256_broadcast_ss(ap + 3);
        c30 = _mm256_fmadd_ps(a, b0, c30);
        c31 = _mm256_fmadd_ps(a, b1, c31);
        a = _mm256_broadcast_ss(ap + 4);
        c40 = _mm256_fmadd_ps(a, b0, c40);
        c41 = _mm256_fmadd_ps(a, b1, c41);
        a = _mm256_broadcast_ss(ap + 5);
        c50 = _mm256_fmadd_ps(a, b0, c50);
        c51 = _mm256_fmadd_ps(a, b1, c51);
        ap += kRows;
        bp += kCols;
    }
    const __m256 acc[kRows][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}, {c40, c41}, {c50, c51}};
    if (rows == kRows && cols == kCols) {
        for (Index i = 0; i < kRows; ++i) {
            float* row = c + i * ldc;
            if (add) {
                _mm256_storeu_ps(row, _mm256_add_ps(_mm256_loadu_ps(row), acc[i][0]));
                _mm256_storeu_ps(row + 8, _mm256_add_ps(_mm256_loadu_ps(row + 8), acc[i][1]));
            } else {
                _mm256_storeu_ps(row, acc[i][0]);
                _mm256_storeu_ps(row + 8, acc[i][1]);
            }
        }
        return;
    }
    alignas(32) float tile[kRows][kCols];
    for (Index i = 0; i < kRows; ++i) {
        _mm256_store_ps(tile[i], acc[i][0]);
        _mm256_store_ps(tile[i] + 8, acc[i][1]);
    }
    for (Index i = 0; i < rows; ++i) {
        float* row = c + i * ldc;
        for (Index j = 0; j < cols; ++j)
            row[j] = add ? row[j] + tile[i][j] : tile[i][j];
    }
}

// Packing buffers of the calling thread, grown once to their largest size: no allocation per
// product in the steady state, and each thread of the team packs into its own.
float* buffer(std::vector<float>& storage, Index size)
{
    if (Index(storage.size()) < size)
        storage.resize(std::size_t(size));
    return storage.data();
}

} // namespace

bool cpuHasAvx2Fma()
{
    static const bool has = [] {
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    }();
    return has;
}

void multiplyAvx2(const StridedView& a, const StridedView& b, float* c, std::ptrdiff_t ldc, bool accumulate)
{
    const Index m = a.rows;
    const Index k = a.cols;
    const Index n = b.cols;
    if (m <= 0 || n <= 0)
        return;
    if (k <= 0) {
        if (!accumulate)
            for (Index i = 0; i < m; ++i)
                std::fill(c + i * ldc, c + i * ldc + n, 0.0f);
        return;
    }
    thread_local std::vector<float> packedA;
    thread_local std::vector<float> packedB;
    for (Index jc = 0; jc < n; jc += kColBlock) {
        const Index nc = std::min(kColBlock, n - jc);
        const Index ncPadded = (nc + kCols - 1) / kCols * kCols;
        for (Index pc = 0; pc < k; pc += kDepth) {
            const Index kc = std::min(kDepth, k - pc);
            const bool add = accumulate || pc > 0;
            float* bp = buffer(packedB, kc * ncPadded);
            packB(b, pc, kc, jc, nc, bp);
            for (Index ic = 0; ic < m; ic += kRowBlock) {
                const Index mc = std::min(kRowBlock, m - ic);
                const Index mcPadded = (mc + kRows - 1) / kRows * kRows;
                float* ap = buffer(packedA, kc * mcPadded);
                packA(a, ic, mc, pc, kc, ap);
                for (Index jr = 0; jr < nc; jr += kCols) {
                    const float* bPanel = bp + (jr / kCols) * kc * kCols;
                    for (Index ir = 0; ir < mc; ir += kRows)
                        kernel(kc, ap + (ir / kRows) * kc * kRows, bPanel, c + (ic + ir) * ldc + jc + jr, ldc,
                               std::min(kRows, mc - ir), std::min(kCols, nc - jr), add);
                }
            }
        }
    }
}

#else

bool cpuHasAvx2Fma()
{
    return false;
}

void multiplyAvx2(const StridedView&, const StridedView&, float*, std::ptrdiff_t, bool) {}

#endif

} // namespace swb::nn::detail
