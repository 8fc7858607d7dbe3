#pragma once

#include "core/util/result.h"

#include <QString>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

namespace swb {

// Reads a file's bytes, inflating gzip (detected by its magic bytes, not the name; concatenated
// members are read in turn). A gzip stream that ends early or is corrupt is an error naming the
// file and the compressed offset: a partial log is never passed on as if it were whole.
class ByteSource
{
public:
    ~ByteSource();
    static Result<std::unique_ptr<ByteSource>> open(const QString& path);

    // Writes up to maxBytes at out; returns how many were written, 0 at the end of the data.
    Result<std::size_t> read(char* out, std::size_t maxBytes);
    // Appends the first maxBytes of the data (fewer when it is shorter) and drops a leading UTF-8
    // byte order mark; for format detection and previews.
    Status readHead(std::string& out, std::size_t maxBytes);
    // Bytes of the file consumed so far (compressed bytes for gzip) and the file's size.
    std::int64_t position() const { return m_position; }
    std::int64_t size() const { return m_size; }
    bool isGzip() const { return m_gzip != nullptr; }
    const QString& path() const { return m_path; }

private:
    struct Gzip;
    ByteSource() = default;
    Result<std::size_t> readGzip(char* out, std::size_t maxBytes);

    QString m_path;
    std::FILE* m_file = nullptr;
    std::int64_t m_position = 0;
    std::int64_t m_size = 0;
    std::unique_ptr<Gzip> m_gzip;
};

} // namespace swb
