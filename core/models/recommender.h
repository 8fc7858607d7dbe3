#pragma once

#include "core/models/taskdata.h"

#include <cstdint>
#include <vector>

namespace swb {

// A next-item model of the browsing scene: scores every catalogue item for a session so far.
class Recommender
{
public:
    virtual ~Recommender() = default;
    // Writes one score per catalogue item (higher ranks first) for the context: the session's
    // items so far, oldest first, as catalogue indices (Catalogue::kNoItem for items outside the
    // catalogue). const and free of shared mutable state, so cases can be scored on both cores.
    virtual void score(const std::uint32_t* begin, const std::uint32_t* end, float* scores) const = 0;
    virtual std::uint32_t catalogueSize() const = 0;
};

// The 1-based rank of `target` among n scores: items scoring higher come first, ties go to the
// lower catalogue index (so a constant model ranks by index, never by chance). O(n).
std::uint32_t rankOf(const float* scores, std::uint32_t n, std::uint32_t target);

// The k best catalogue indices, best first, with the same order as rankOf. O(n log k).
void topK(const float* scores, std::uint32_t n, std::uint32_t k, std::vector<std::uint32_t>& out);

} // namespace swb
