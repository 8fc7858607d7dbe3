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

    std::uint32_t intern(std::string_view text);
    // The same with the hash computed beforehand (import hashes on the parsing threads).
    std::uint32_t intern(std::string_view text, std::uint64_t textHash);
    // Fast path for ids written as canonical decimal numbers (see canonicalNumber): looked up by
    // value in a table of inline keys, without touching any text. The number's canonical text is
    // written from the value on first sight.
    std::uint32_t internNumber(std::uint64_t value)
    {
        // Inline for the common case, an id already seen and found at its first slot.
        if (!m_numberSlots.empty() && value < kNoTag) {
            const std::uint64_t slot = m_numberSlots[numberHash(value) & (m_numberSlots.size() - 1)];
            if ((slot >> 32) == value) // a free slot's tag is kNoTag, never a value below it
                return static_cast<std::uint32_t>(slot);
        }
        return internNumberSlow(value);
    }
    std::optional<std::uint32_t> find(std::string_view text) const;
    // Hints the cache that internNumber(value) comes soon (hides the table's memory latency).
    void prefetchNumber(std::uint64_t value) const
    {
        if (!m_numberSlots.empty())
            __builtin_prefetch(&m_numberSlots[numberHash(value) & (m_numberSlots.size() - 1)]);
    }
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
    static std::uint64_t numberHash(std::uint64_t value)
    {
        value ^= value >> 32;
        value *= 0xd6e8feb86659fd93ull;
        value ^= value >> 32;
        return value;
    }
    // The value of decimal digits without a leading zero ("0" itself allowed), below 10^19;
    // nullopt for any other text. Such ids are interned by value.
    static std::optional<std::uint64_t> canonicalNumber(std::string_view text);

private:
    std::uint32_t internNumberSlow(std::uint64_t value);
    void grow();
    void growNumbers();
    std::uint32_t findSlot(std::string_view text, std::uint64_t h) const;
    std::size_t findNumberSlot(std::uint64_t value) const;
    std::uint32_t append(std::string_view text, std::uint64_t h);

    std::string m_arena;
    std::vector<std::uint64_t> m_offsets{0};
    std::vector<std::uint64_t> m_hashes; // per code: the text's hash, or the value of a numeric id
    std::vector<std::uint32_t> m_slots;  // code, or kNone when empty; size is a power of two
    // Numeric ids placed by numberHash(value): the code in the low half, and in the high half the
    // value itself when it is below kNoTag, so most lookups never touch m_hashes (one cache miss
    // instead of two). A slot of kEmptySlot is free.
    static constexpr std::uint32_t kNoTag = 0xffffffffu;
    static constexpr std::uint64_t kEmptySlot = ~std::uint64_t(0);
    static std::uint64_t numberSlot(std::uint64_t value, std::uint32_t code)
    {
        const std::uint64_t tag = value < kNoTag ? value : kNoTag;
        return (tag << 32) | code;
    }
    std::vector<std::uint64_t> m_numberSlots;
    std::uint32_t m_numbers = 0;
};

} // namespace swb
