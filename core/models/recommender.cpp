#include "recommender.h"

#include <algorithm>

namespace swb {

std::uint32_t rankOf(const float* scores, std::uint32_t n, std::uint32_t target)
{
    const float t = scores[target];
    std::uint32_t ahead = 0;
    for (std::uint32_t i = 0; i < n; ++i)
        ahead += (scores[i] > t || (scores[i] == t && i < target)) ? 1u : 0u;
    return ahead + 1;
}

void topK(const float* scores, std::uint32_t n, std::uint32_t k, std::vector<std::uint32_t>& out)
{
    out.clear();
    k = std::min(k, n);
    if (k == 0)
        return;
    const auto better = [scores](std::uint32_t a, std::uint32_t b) {
        return scores[a] > scores[b] || (scores[a] == scores[b] && a < b);
    };
    // A heap of the k best so far with the worst on top: one comparison for most items.
    for (std::uint32_t i = 0; i < n; ++i) {
        if (out.size() < k) {
            out.push_back(i);
            std::push_heap(out.begin(), out.end(), better);
        } else if (better(i, out.front())) {
            std::pop_heap(out.begin(), out.end(), better);
            out.back() = i;
            std::push_heap(out.begin(), out.end(), better);
        }
    }
    std::sort_heap(out.begin(), out.end(), better);
}

} // namespace swb
