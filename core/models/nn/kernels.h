#pragma once

#include "tensor.h"

// Element-wise loops of the hot path that Eigen 3.4 does not vectorise well on the baseline x86-64
// build (SSE2); each has a plain C++ twin for targets without SSE2.

namespace swb::nn {

// out[i] = exp(x[i] − shift) for i in [0, n), returning Σ out[i]: the inner loop of a softmax
// (shift = the row maximum, so every argument is ≤ 0).
//
// Why not Eigen's exp: on the baseline x86-64 build (SSE2, no SSE4.1) Eigen emulates floor() and
// ldexp() with long instruction sequences; a softmax over 20,000 items spent 26 ms of a 270 ms
// single-threaded batch in it. This is the same Cephes polynomial on the same reduced argument,
// with the rounding and the power of two done by float/integer bit tricks: 14 ms instead of 22 ms
// for 256 × 20,000 values, and at most 0.98 ulp from the correctly rounded exp over every float in
// [−87, 0.5] (checked exhaustively once; the test samples). Arguments below −87 give 0, above
// 88.72 give +inf, NaN stays NaN (so a diverging network still shows a NaN loss).
//
// The sum is accumulated in 4 lanes and the lanes added in a fixed order, so the same input gives
// the same bits; every element, including a row's tail, goes through the same arithmetic.
float expShifted(const float* x, float shift, float* out, Index n);
// The same sum without storing the values (a loss without a gradient).
float expShiftedSum(const float* x, float shift, Index n);

// out[i] = g[i] where y[i] > 0, else 0: the ReLU derivative applied to a gradient, y being the
// ReLU's output (0 at the kink, and for NaN). Eigen's select() is not vectorised: 78 µs for a
// 256 × 64 batch, against 5 µs here.
void passWherePositive(const float* y, const float* g, float* out, Index n);

} // namespace swb::nn
