#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>

namespace swb {

// A growable byte buffer whose new room is not zero-filled. The importer reads every byte of a
// log into such buffers; std::string would clear each block's 2 MiB before the read overwrote it.
class ByteBuffer
{
public:
    std::string_view view() const { return {m_data.get(), m_size}; }
    std::size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }

    // Room for n more bytes after the current end, uninitialised; commit() what was written.
    char* spare(std::size_t n)
    {
        reserve(m_size + n);
        return m_data.get() + m_size;
    }
    void commit(std::size_t n) { m_size += n; }

    void append(std::string_view bytes)
    {
        if (bytes.empty())
            return;
        std::memcpy(spare(bytes.size()), bytes.data(), bytes.size());
        commit(bytes.size());
    }
    // Keeps the first n bytes (n <= size()).
    void truncate(std::size_t n) { m_size = std::min(n, m_size); }
    // Drops the first n bytes (n <= size()).
    void dropFront(std::size_t n)
    {
        n = std::min(n, m_size);
        std::memmove(m_data.get(), m_data.get() + n, m_size - n);
        m_size -= n;
    }
    void clear() { m_size = 0; }
    void swap(ByteBuffer& other) noexcept
    {
        m_data.swap(other.m_data);
        std::swap(m_size, other.m_size);
        std::swap(m_capacity, other.m_capacity);
    }

private:
    void reserve(std::size_t capacity)
    {
        if (capacity <= m_capacity)
            return;
        capacity = std::max(capacity, m_capacity * 2);
        std::unique_ptr<char[]> bigger(new char[capacity]); // default-initialised: not zeroed
        if (m_size > 0)
            std::memcpy(bigger.get(), m_data.get(), m_size);
        m_data = std::move(bigger);
        m_capacity = capacity;
    }

    std::unique_ptr<char[]> m_data;
    std::size_t m_size = 0;
    std::size_t m_capacity = 0;
};

} // namespace swb
