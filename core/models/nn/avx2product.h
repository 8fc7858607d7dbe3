#pragma once

// A float matrix product written with AVX2 + FMA intrinsics, chosen at run time on processors that
// have them (see product.h for why the build itself stays baseline x86-64).
//
// This header and avx2product.cpp use no Eigen on purpose: the .cpp is the only code compiled for
// AVX2 (through __attribute__((target("avx2,fma"))) on its functions, not a -m flag on the file),
// and an Eigen template instantiated there with AVX2 code could be picked by the linker for the
// baseline translation units too (one definition rule), and crash on a processor without AVX2.

#include <cstddef>

namespace swb::nn::detail {

// A read-only view of a float matrix with arbitrary strides: element (i, j) is
// data[i · rowStride + j · colStride]. A row-major matrix has (cols, 1); its transpose (1, cols).
struct StridedView
{
    const float* data = nullptr;
    std::ptrdiff_t rows = 0;
    std::ptrdiff_t cols = 0;
    std::ptrdiff_t rowStride = 0;
    std::ptrdiff_t colStride = 1;

    StridedView middleRows(std::ptrdiff_t begin, std::ptrdiff_t count) const
    {
        return {data + begin * rowStride, count, cols, rowStride, colStride};
    }
    StridedView middleCols(std::ptrdiff_t begin, std::ptrdiff_t count) const
    {
        return {data + begin * colStride, rows, count, rowStride, colStride};
    }
};

// True when this processor runs the AVX2 + FMA code (checked once with __builtin_cpu_supports).
bool cpuHasAvx2Fma();

// c = a · b, or c += a · b with accumulate; a is m × k, b is k × n, c is m × n row-major with
// ldc floats between rows. Requires cpuHasAvx2Fma().
//
// Each element of c is computed the same way wherever it lies in c: the sum runs over k in blocks
// of 256 in order, within a block in order with one fused multiply-add per term, and every block's
// sum is added to c (or stored, for the first block without accumulate). So cutting c into row or
// column ranges never changes a bit, which is what the thread split of product.cpp needs.
// Results differ from Eigen's SSE2 product by float rounding only (FMA rounds once per term).
void multiplyAvx2(const StridedView& a, const StridedView& b, float* c, std::ptrdiff_t ldc, bool accumulate);

} // namespace swb::nn::detail
