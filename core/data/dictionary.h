#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace swb {

// Maps original ids (exact text, e.g. "2053013552326770905" or a session UUID) to dense codes
// 0..size()-1 in order of first appearance, and back. Ids are kept as text, so 64-bit ids and ids
// beyond 2^53 survive exactly.
//
// Written here rather than with std::unordered_map because import interns tens of millions of ids:
// the text lives in one arena and the table is open addressing over codes, so there is no heap
// object per id and a lookup touches at most three cache lines. Average intern/find is O(1).
class Dictionary
{
public:
    static constexpr std::uint32_t kNone = 0xffffffffu;

    std::uint32_t intern(std::string_view text) { return intern(text, hash(text)); }
    // The same with the hash computed beforehand (import hashes on the parsing threads).
    std::uint32_t intern(std::string_view text, std::uint64_t textHash);
    std::optional<std::uint32_t> find(std::string_view text) const;
    std::string_view text(std::uint32_t code) const
    {
        return {m_arena.data() + m_offsets[code], m_offsets[code + 1] - m_offsets[code]};
    }
    std::uint32_t size() const { return static_cast<std::uint32_t>(m_offsets.size() - 1); }
    bool empty() const { return size() == 0; }
    void clear();
    void reserve(std::size_t ids, std::size_t bytes);
    // Bytes held (arena, offsets, hashes and table), for memory reports.
    std::size_t memoryBytes() const;

    static std::uint64_t hash(std::string_view text);

private:
    void grow();
    std::uint32_t findSlot(std::string_view text, std::uint64_t h) const;

    std::string m_arena;
    std::vector<std::uint64_t> m_offsets{0};
    std::vector<std::uint64_t> m_hashes;
    std::vector<std::uint32_t> m_slots; // code, or kNone when empty; size is a power of two
};

} // namespace swb
