#include "bytesource.h"

#include <QCoreApplication>
#include <QFileInfo>

#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace swb {

namespace {
// Translation context of this file's messages (lupdate reads the macro).
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(swb::ByteSource)
};
constexpr std::size_t kInputBlock = 1 << 18;
} // namespace

struct ByteSource::Gzip
{
    z_stream stream{};
    std::vector<unsigned char> input = std::vector<unsigned char>(kInputBlock);
    bool inputEnded = false;
    bool memberEnded = false;
    ~Gzip() { inflateEnd(&stream); }
};

ByteSource::~ByteSource()
{
    if (m_file)
        std::fclose(m_file);
}

Result<std::unique_ptr<ByteSource>> ByteSource::open(const QString& path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return Error{ErrorCode::FileUnreadable, Tr::tr("the file does not exist"), path, 0, 0, {}};
    if (info.isDir())
        return Error{ErrorCode::FileUnreadable, Tr::tr("this is a folder, not a file"), path, 0, 0, {}};
    std::unique_ptr<ByteSource> source(new ByteSource);
    source->m_path = path;
    source->m_file = std::fopen(QFile::encodeName(path).constData(), "rb");
    if (!source->m_file)
        return Error{ErrorCode::FileUnreadable,
                     Tr::tr("cannot open the file: %1").arg(QString::fromLocal8Bit(std::strerror(errno))),
                     path,
                     0,
                     0,
                     {}};
    source->m_size = info.size();
    unsigned char magic[2] = {0, 0};
    const std::size_t got = std::fread(magic, 1, 2, source->m_file);
    std::rewind(source->m_file);
    if (got == 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
        source->m_gzip = std::make_unique<Gzip>();
        // 15 + 32: zlib or gzip header, detected automatically.
        if (inflateInit2(&source->m_gzip->stream, 15 + 32) != Z_OK)
            return Error{ErrorCode::FileUnreadable, Tr::tr("cannot start the gzip decoder"), path, 0, 0, {}};
    }
    return source;
}

Result<std::size_t> ByteSource::read(char* out, std::size_t maxBytes)
{
    if (m_gzip)
        return readGzip(out, maxBytes);
    const std::size_t got = std::fread(out, 1, maxBytes, m_file);
    if (got == 0 && std::ferror(m_file))
        return Error{ErrorCode::FileUnreadable,
                     Tr::tr("read error: %1").arg(QString::fromLocal8Bit(std::strerror(errno))),
                     m_path,
                     0,
                     0,
                     {}};
    m_position += static_cast<std::int64_t>(got);
    return got;
}

Status ByteSource::readHead(std::string& out, std::size_t maxBytes)
{
    while (out.size() < maxBytes) {
        const std::size_t old = out.size();
        out.resize(maxBytes);
        auto got = read(out.data() + old, maxBytes - old);
        out.resize(old + (got ? got.value() : 0));
        if (!got)
            return got.error();
        if (got.value() == 0)
            break;
    }
    if (out.compare(0, 3, "\xEF\xBB\xBF") == 0)
        out.erase(0, 3);
    return {};
}

Result<std::size_t> ByteSource::readGzip(char* out, std::size_t maxBytes)
{
    Gzip& gz = *m_gzip;
    std::size_t produced = 0;
    while (produced < maxBytes) {
        if (gz.stream.avail_in == 0 && !gz.inputEnded) {
            const std::size_t got = std::fread(gz.input.data(), 1, gz.input.size(), m_file);
            if (got == 0 && std::ferror(m_file)) {
                return Error{ErrorCode::FileUnreadable,
                             Tr::tr("read error: %1").arg(QString::fromLocal8Bit(std::strerror(errno))),
                             m_path,
                             0,
                             0,
                             {}};
            }
            m_position += static_cast<std::int64_t>(got);
            gz.inputEnded = got == 0;
            gz.stream.next_in = gz.input.data();
            gz.stream.avail_in = static_cast<uInt>(got);
        }
        if (gz.memberEnded) {
            if (gz.stream.avail_in == 0 && gz.inputEnded)
                break; // clean end after a complete member
            if (gz.stream.avail_in == 0)
                continue;
            inflateReset(&gz.stream); // another gzip member follows
            gz.memberEnded = false;
        }
        if (gz.stream.avail_in == 0 && gz.inputEnded) {
            return Error{
                ErrorCode::Corrupt,
                Tr::tr(
                    "the gzip data ends early (the file is truncated after %1 bytes); nothing was imported")
                    .arg(m_position),
                m_path,
                0,
                0,
                {}};
        }
        gz.stream.next_out = reinterpret_cast<Bytef*>(out + produced);
        gz.stream.avail_out = static_cast<uInt>(maxBytes - produced);
        const int rc = inflate(&gz.stream, Z_NO_FLUSH);
        produced = maxBytes - gz.stream.avail_out;
        if (rc == Z_STREAM_END) {
            gz.memberEnded = true;
        } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
            const QString why = gz.stream.msg ? QString::fromLatin1(gz.stream.msg) : QString::number(rc);
            return Error{ErrorCode::Corrupt,
                         Tr::tr("the gzip data is corrupt near byte %1 (%2); nothing was imported")
                             .arg(m_position - gz.stream.avail_in)
                             .arg(why),
                         m_path,
                         0,
                         0,
                         {}};
        }
    }
    return produced;
}

} // namespace swb
