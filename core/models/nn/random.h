#pragma once

#include <cstdint>

namespace swb::nn {

// SplitMix64 (Steele, Lea and Flood 2014): a tiny generator whose output is fully specified, unlike
// std::uniform_real_distribution and std::shuffle, whose results differ between standard libraries.
// Everything random in training (initial weights, the order of the mini-batches) comes from here, so
// the same seed gives the same numbers with any compiler.
class SplitMix64
{
public:
    explicit SplitMix64(std::uint64_t seed) : m_state(seed) {}

    std::uint64_t next()
    {
        std::uint64_t z = (m_state += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }

    // Uniform in [0, 1) with 24 random bits: every float of that grid is equally likely.
    float uniform() { return static_cast<float>(next() >> 40) * 0x1.0p-24f; }
    // Uniform in [low, high).
    float uniform(float low, float high) { return low + (high - low) * uniform(); }

    // Uniform integer in [0, bound), bound > 0, without modulo bias: draws below 2^64 mod bound are
    // rejected, so every residue is hit by the same number of accepted draws.
    std::uint64_t below(std::uint64_t bound)
    {
        const std::uint64_t threshold = (0 - bound) % bound;
        for (;;) {
            const std::uint64_t draw = next();
            if (draw >= threshold)
                return draw % bound;
        }
    }

    // An independent stream for a numbered purpose (a layer, the shuffle), derived from one seed.
    static SplitMix64 stream(std::uint64_t seed, std::uint64_t purpose)
    {
        SplitMix64 mixer(seed ^ (0x6a09e667f3bcc909ull * (purpose + 1)));
        return SplitMix64(mixer.next());
    }

private:
    std::uint64_t m_state;
};

} // namespace swb::nn
