#include "dictionary.h"

#include <charconv>
#include <cstring>

namespace swb {

namespace {
inline std::uint64_t mix(std::uint64_t x)
{
    x ^= x >> 32;
    x *= 0xd6e8feb86659fd93ull;
    x ^= x >> 32;
    x *= 0xd6e8feb86659fd93ull;
    x ^= x >> 32;
    return x;
}
} // namespace

std::uint64_t Dictionary::hash(std::string_view text)
{
    std::uint64_t h = 0x9e3779b97f4a7c15ull ^ text.size();
    const char* p = text.data();
    std::size_t n = text.size();
    while (n >= 8) {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        h = mix(h ^ w);
        p += 8;
        n -= 8;
    }
    if (n > 0) {
        std::uint64_t w = 0;
        std::memcpy(&w, p, n);
        h = mix(h ^ w ^ (std::uint64_t(n) << 59));
    }
    return h;
}

std::optional<std::uint64_t> Dictionary::canonicalNumber(std::string_view text)
{
    if (text.empty() || text.size() > 19 || (text[0] == '0' && text.size() > 1))
        return std::nullopt;
    std::uint64_t v = 0;
    for (char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        v = v * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return v;
}

std::size_t Dictionary::findNumberSlot(std::uint64_t value) const
{
    const std::size_t mask = m_numberSlots.size() - 1;
    std::size_t i = static_cast<std::size_t>(numberHash(value)) & mask;
    const std::uint32_t tag = value < kNoTag ? static_cast<std::uint32_t>(value) : kNoTag;
    while (true) {
        const std::uint64_t slot = m_numberSlots[i];
        if (slot == kEmptySlot)
            return i;
        const std::uint32_t slotTag = static_cast<std::uint32_t>(slot >> 32);
        if (slotTag == tag && (tag != kNoTag || m_hashes[static_cast<std::uint32_t>(slot)] == value))
            return i;
        i = (i + 1) & mask;
    }
}

void Dictionary::growNumbers()
{
    const std::vector<std::uint64_t> old = std::move(m_numberSlots);
    m_numberSlots.assign(old.empty() ? 64 : old.size() * 2, kEmptySlot);
    for (std::uint64_t slot : old) {
        if (slot != kEmptySlot) {
            const std::uint64_t value = m_hashes[static_cast<std::uint32_t>(slot)];
            m_numberSlots[findNumberSlot(value)] = slot;
        }
    }
}

std::uint32_t Dictionary::internNumberSlow(std::uint64_t value)
{
    if ((m_numbers + 1) * 4 >= m_numberSlots.size() * 3)
        growNumbers();
    const std::size_t slot = findNumberSlot(value);
    if (m_numberSlots[slot] != kEmptySlot)
        return static_cast<std::uint32_t>(m_numberSlots[slot]);
    char text[24];
    const auto written = std::to_chars(text, text + sizeof text, value);
    const std::uint32_t code = append({text, static_cast<std::size_t>(written.ptr - text)}, value);
    m_numberSlots[slot] = numberSlot(value, code);
    ++m_numbers;
    return code;
}

std::uint32_t Dictionary::append(std::string_view text, std::uint64_t h)
{
    const std::uint32_t code = size();
    m_arena.append(text);
    m_offsets.push_back(m_arena.size());
    m_hashes.push_back(h);
    return code;
}

std::uint32_t Dictionary::intern(std::string_view text)
{
    if (const auto number = canonicalNumber(text))
        return internNumber(*number);
    return intern(text, hash(text));
}

std::uint32_t Dictionary::findSlot(std::string_view text, std::uint64_t h) const
{
    const std::size_t mask = m_slots.size() - 1;
    std::size_t i = h & mask;
    while (true) {
        const std::uint32_t code = m_slots[i];
        if (code == kNone)
            return static_cast<std::uint32_t>(i);
        if (m_hashes[code] == h && this->text(code) == text)
            return static_cast<std::uint32_t>(i);
        i = (i + 1) & mask;
    }
}

std::uint32_t Dictionary::intern(std::string_view text, std::uint64_t h)
{
    if ((size() - m_numbers + 1) * 4 >= m_slots.size() * 3)
        grow();
    const std::uint32_t slot = findSlot(text, h);
    if (m_slots[slot] != kNone)
        return m_slots[slot];
    const std::uint32_t code = append(text, h);
    m_slots[slot] = code;
    return code;
}

std::optional<std::uint32_t> Dictionary::find(std::string_view text) const
{
    if (const auto number = canonicalNumber(text)) {
        if (m_numberSlots.empty())
            return std::nullopt;
        const std::uint64_t slot = m_numberSlots[findNumberSlot(*number)];
        const std::uint32_t code = slot == kEmptySlot ? kNone : static_cast<std::uint32_t>(slot);
        return code == kNone ? std::nullopt : std::optional<std::uint32_t>(code);
    }
    if (m_slots.empty())
        return std::nullopt;
    const std::uint32_t code = m_slots[findSlot(text, hash(text))];
    if (code == kNone)
        return std::nullopt;
    return code;
}

void Dictionary::clear()
{
    m_arena.clear();
    m_offsets.assign(1, 0);
    m_hashes.clear();
    m_slots.clear();
    m_numberSlots.clear();
    m_numbers = 0;
}

void Dictionary::reserve(std::size_t ids, std::size_t bytes)
{
    m_arena.reserve(bytes);
    m_offsets.reserve(ids + 1);
    m_hashes.reserve(ids);
}

void Dictionary::grow()
{
    const std::size_t newSize = m_slots.empty() ? 64 : m_slots.size() * 2;
    m_slots.assign(newSize, kNone);
    const std::size_t mask = newSize - 1;
    for (std::uint32_t code = 0; code < size(); ++code) {
        if (canonicalNumber(text(code)))
            continue; // lives in the number table
        std::size_t i = m_hashes[code] & mask;
        while (m_slots[i] != kNone)
            i = (i + 1) & mask;
        m_slots[i] = code;
    }
}

std::size_t Dictionary::memoryBytes() const
{
    return m_arena.capacity() + m_offsets.capacity() * sizeof(std::uint64_t) +
           m_hashes.capacity() * sizeof(std::uint64_t) + m_slots.capacity() * sizeof(std::uint32_t) +
           m_numberSlots.capacity() * sizeof(std::uint64_t);
}

} // namespace swb
