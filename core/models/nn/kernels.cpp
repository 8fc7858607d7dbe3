#include "kernels.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace swb::nn {

namespace {
// Cephes expf: exp(x) = 2^m · exp(r), m = round(x / ln 2), r = x − m·ln 2 in [−ln2/2, ln2/2], with
// ln 2 split in two parts (C1 exact in few bits) so m·C1 is exact.
constexpr float kLog2e = 1.44269504088896341f;
constexpr float kC1 = 0.693359375f;
constexpr float kC2 = -2.12194440e-4f;
constexpr float kP0 = 1.9875691500e-4f;
constexpr float kP1 = 1.3981999507e-3f;
constexpr float kP2 = 8.3334519073e-3f;
constexpr float kP3 = 4.1665795894e-2f;
constexpr float kP4 = 1.6666665459e-1f;
constexpr float kP5 = 5.0000001201e-1f;
constexpr float kLow = -87.0f; // 2^m stays a normal float down to here
constexpr float kHigh = 88.0f;
constexpr float kOverflow = 88.7228394f; // log(FLT_MAX)
// Adding 1.5·2^23 rounds a float of magnitude below 2^22 to an integer (to nearest, the default
// rounding mode) and leaves that integer in the low mantissa bits.
constexpr float kRound = 12582912.0f;

#if defined(__SSE2__)
inline __m128 exp4(__m128 x)
{
    const __m128 clamped = _mm_min_ps(_mm_max_ps(x, _mm_set1_ps(kLow)), _mm_set1_ps(kHigh));
    const __m128 t = _mm_add_ps(_mm_mul_ps(clamped, _mm_set1_ps(kLog2e)), _mm_set1_ps(kRound));
    const __m128 m = _mm_sub_ps(t, _mm_set1_ps(kRound));
    __m128 r = _mm_sub_ps(clamped, _mm_mul_ps(m, _mm_set1_ps(kC1)));
    r = _mm_sub_ps(r, _mm_mul_ps(m, _mm_set1_ps(kC2)));
    const __m128 r2 = _mm_mul_ps(r, r);
    __m128 y = _mm_add_ps(_mm_mul_ps(_mm_set1_ps(kP0), r), _mm_set1_ps(kP1));
    y = _mm_add_ps(_mm_mul_ps(y, r), _mm_set1_ps(kP2));
    y = _mm_add_ps(_mm_mul_ps(y, r), _mm_set1_ps(kP3));
    y = _mm_add_ps(_mm_mul_ps(y, r), _mm_set1_ps(kP4));
    y = _mm_add_ps(_mm_mul_ps(y, r), _mm_set1_ps(kP5));
    y = _mm_add_ps(_mm_add_ps(_mm_mul_ps(y, r2), r), _mm_set1_ps(1.0f));
    // 2^m from the integer in t's mantissa, m in [−126, 127]: a normal float.
    const __m128i m32 = _mm_sub_epi32(_mm_castps_si128(t), _mm_castps_si128(_mm_set1_ps(kRound)));
    const __m128i bits = _mm_slli_epi32(_mm_add_epi32(m32, _mm_set1_epi32(127)), 23);
    __m128 result = _mm_mul_ps(y, _mm_castsi128_ps(bits));
    result = _mm_andnot_ps(_mm_cmplt_ps(x, _mm_set1_ps(kLow)), result);
    const __m128 over = _mm_cmpgt_ps(x, _mm_set1_ps(kOverflow));
    result = _mm_or_ps(_mm_andnot_ps(over, result),
                       _mm_and_ps(over, _mm_set1_ps(std::numeric_limits<float>::infinity())));
    const __m128 nan = _mm_cmpunord_ps(x, x);
    return _mm_or_ps(_mm_andnot_ps(nan, result), _mm_and_ps(nan, x));
}

// Runs exp4 over x − shift, storing into out when it is not null, and returns the sum.
float run(const float* x, float shift, float* out, Index n)
{
    const __m128 s = _mm_set1_ps(shift);
    __m128 sum = _mm_setzero_ps();
    Index i = 0;
    for (; i + 4 <= n; i += 4) {
        const __m128 e = exp4(_mm_sub_ps(_mm_loadu_ps(x + i), s));
        if (out)
            _mm_storeu_ps(out + i, e);
        sum = _mm_add_ps(sum, e);
    }
    if (i < n) { // the tail through the same code, padded with −inf (exp = 0)
        alignas(16) float pad[4] = {
            -std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(),
            -std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity()};
        for (Index j = i; j < n; ++j)
            pad[j - i] = x[j];
        const __m128 e = exp4(_mm_sub_ps(_mm_load_ps(pad), s));
        _mm_store_ps(pad, e);
        for (Index j = i; j < n; ++j)
            if (out)
                out[j] = pad[j - i];
        sum = _mm_add_ps(sum, e);
    }
    alignas(16) float lanes[4];
    _mm_store_ps(lanes, sum);
    return ((lanes[0] + lanes[1]) + lanes[2]) + lanes[3];
}
#else
// The same arithmetic one element at a time, for targets without SSE2.
float exp1(float x)
{
    if (std::isnan(x))
        return x;
    if (x < kLow)
        return 0.0f;
    if (x > kOverflow)
        return std::numeric_limits<float>::infinity();
    const float clamped = std::min(x, kHigh);
    const float t = clamped * kLog2e + kRound;
    const float m = t - kRound;
    float r = clamped - m * kC1;
    r = r - m * kC2;
    const float r2 = r * r;
    float y = kP0 * r + kP1;
    y = y * r + kP2;
    y = y * r + kP3;
    y = y * r + kP4;
    y = y * r + kP5;
    y = (y * r2 + r) + 1.0f;
    const auto m32 = std::int32_t(std::bit_cast<std::uint32_t>(t) - std::bit_cast<std::uint32_t>(kRound));
    return y * std::bit_cast<float>(std::uint32_t(m32 + 127) << 23);
}

float run(const float* x, float shift, float* out, Index n)
{
    float lanes[4] = {0, 0, 0, 0};
    for (Index i = 0; i < n; ++i) {
        const float e = exp1(x[i] - shift);
        if (out)
            out[i] = e;
        lanes[i % 4] += e;
    }
    return ((lanes[0] + lanes[1]) + lanes[2]) + lanes[3];
}
#endif
} // namespace

float expShifted(const float* x, float shift, float* out, Index n)
{
    return run(x, shift, out, n);
}

float expShiftedSum(const float* x, float shift, Index n)
{
    return run(x, shift, nullptr, n);
}

void passWherePositive(const float* y, const float* g, float* out, Index n)
{
    Index i = 0;
#if defined(__SSE2__)
    const __m128 zero = _mm_setzero_ps();
    for (; i + 4 <= n; i += 4)
        _mm_storeu_ps(out + i, _mm_and_ps(_mm_cmpgt_ps(_mm_loadu_ps(y + i), zero), _mm_loadu_ps(g + i)));
#endif
    for (; i < n; ++i)
        out[i] = y[i] > 0.0f ? g[i] : 0.0f;
}

} // namespace swb::nn
