#include "tensorpack.h"

#include <QCoreApplication>

#include <zlib.h>

#include <cstring>

namespace swb {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(swb::TensorPack)
};

constexpr char kMagic[4] = {'S', 'W', 'B', 'T'};
constexpr std::uint32_t kVersion = 1;
constexpr std::uint32_t kFloatKind = 0;
constexpr std::uint32_t kIndexKind = 1;
constexpr std::uint32_t kMaxNameBytes = 1024;

static_assert(Q_BYTE_ORDER == Q_LITTLE_ENDIAN, "the encoding writes the machine's bytes as little-endian");

template <typename T> void put(QByteArray& out, T value)
{
    out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

Error corrupt(const QString& message, const QString& field = {})
{
    return Error{ErrorCode::Corrupt, message, {}, 0, 0, field};
}

// Reads forward through the blob; every read checks the bytes left first.
class Reader
{
public:
    explicit Reader(const QByteArray& bytes) : m_bytes(bytes) {}
    std::size_t left() const { return std::size_t(m_bytes.size()) - m_at; }
    std::size_t at() const { return m_at; }
    template <typename T> bool get(T& value)
    {
        if (left() < sizeof value)
            return false;
        std::memcpy(&value, m_bytes.constData() + m_at, sizeof value);
        m_at += sizeof value;
        return true;
    }
    bool get(void* out, std::size_t n)
    {
        if (left() < n)
            return false;
        std::memcpy(out, m_bytes.constData() + m_at, n);
        m_at += n;
        return true;
    }
    std::uint32_t crcFrom(std::size_t from) const
    {
        return static_cast<std::uint32_t>(
            crc32(0, reinterpret_cast<const Bytef*>(m_bytes.constData() + from), uInt(m_at - from)));
    }

private:
    const QByteArray& m_bytes;
    std::size_t m_at = 0;
};

void putTensor(QByteArray& out, std::uint32_t kind, const QString& name, std::uint64_t rows,
               std::uint64_t cols, const void* data, std::size_t bytes)
{
    const auto from = out.size();
    const QByteArray utf8 = name.toUtf8();
    put(out, kind);
    put(out, std::uint32_t(utf8.size()));
    out.append(utf8);
    put(out, rows);
    put(out, cols);
    out.append(static_cast<const char*>(data), qsizetype(bytes));
    put(out, static_cast<std::uint32_t>(
                 crc32(0, reinterpret_cast<const Bytef*>(out.constData() + from), uInt(out.size() - from))));
}

} // namespace

QByteArray TensorPack::encode() const
{
    QByteArray out;
    out.append(kMagic, 4);
    put(out, kVersion);
    put(out, std::uint32_t(floats.size() + indices.size()));
    for (const nn::NamedTensor& t : floats)
        putTensor(out, kFloatKind, t.name, std::uint64_t(t.rows), std::uint64_t(t.cols), t.values.data(),
                  t.values.size() * sizeof(float));
    for (const IndexTensor& t : indices)
        putTensor(out, kIndexKind, t.name, t.values.size(), 1, t.values.data(),
                  t.values.size() * sizeof(std::uint64_t));
    return out;
}

Result<TensorPack> TensorPack::decode(const QByteArray& bytes)
{
    Reader in(bytes);
    char magic[4] = {};
    std::uint32_t version = 0;
    std::uint32_t count = 0;
    if (!in.get(magic, 4) || std::memcmp(magic, kMagic, 4) != 0)
        return corrupt(Tr::tr("the model weights are not in the workbench's format"));
    if (!in.get(version) || version != kVersion)
        return corrupt(Tr::tr("the model weights have format version %1; this version reads %2")
                           .arg(version)
                           .arg(kVersion));
    if (!in.get(count))
        return corrupt(Tr::tr("the model weights end before their tensor count"));
    TensorPack pack;
    for (std::uint32_t i = 0; i < count; ++i) {
        const std::size_t from = in.at();
        std::uint32_t kind = 0;
        std::uint32_t nameBytes = 0;
        if (!in.get(kind) || !in.get(nameBytes) || nameBytes > kMaxNameBytes || in.left() < nameBytes)
            return corrupt(Tr::tr("tensor %1 of the model weights has a damaged header").arg(i + 1));
        QByteArray name(qsizetype(nameBytes), Qt::Uninitialized);
        in.get(name.data(), nameBytes);
        const QString tensorName = QString::fromUtf8(name);
        std::uint64_t rows = 0;
        std::uint64_t cols = 0;
        if (!in.get(rows) || !in.get(cols) || (kind != kFloatKind && kind != kIndexKind))
            return corrupt(Tr::tr("tensor “%1” of the model weights has a damaged header").arg(tensorName),
                           tensorName);
        const std::size_t element = kind == kFloatKind ? sizeof(float) : sizeof(std::uint64_t);
        // Sizes are checked against the bytes present before any allocation (no overflow: each
        // factor is first bounded by the blob's size).
        const std::size_t available = in.left() / element;
        if (rows > available || cols > available || (rows != 0 && cols > available / rows))
            return corrupt(Tr::tr("tensor “%1” claims %2 × %3 values, more than the %4 bytes that follow")
                               .arg(tensorName)
                               .arg(rows)
                               .arg(cols)
                               .arg(in.left()),
                           tensorName);
        const std::size_t n = std::size_t(rows * cols);
        if (kind == kFloatKind) {
            nn::NamedTensor t{tensorName, nn::Index(rows), nn::Index(cols), std::vector<float>(n)};
            in.get(t.values.data(), n * sizeof(float));
            pack.floats.push_back(std::move(t));
        } else {
            IndexTensor t{tensorName, std::vector<std::uint64_t>(n)};
            in.get(t.values.data(), n * sizeof(std::uint64_t));
            pack.indices.push_back(std::move(t));
        }
        const std::uint32_t expected = in.crcFrom(from);
        std::uint32_t stored = 0;
        if (!in.get(stored) || stored != expected)
            return corrupt(Tr::tr("tensor “%1” of the model weights fails its checksum").arg(tensorName),
                           tensorName);
    }
    if (in.left() != 0)
        return corrupt(Tr::tr("the model weights have %1 unexpected bytes at the end").arg(in.left()));
    return pack;
}

const nn::NamedTensor* TensorPack::floatTensor(const QString& name) const
{
    for (const nn::NamedTensor& t : floats) {
        if (t.name == name)
            return &t;
    }
    return nullptr;
}

const IndexTensor* TensorPack::indexTensor(const QString& name) const
{
    for (const IndexTensor& t : indices) {
        if (t.name == name)
            return &t;
    }
    return nullptr;
}

Result<std::vector<float>> TensorPack::requireFloats(const QString& name, nn::Index rows,
                                                     nn::Index cols) const
{
    const nn::NamedTensor* t = floatTensor(name);
    if (!t)
        return corrupt(Tr::tr("the model weights lack the tensor “%1”").arg(name), name);
    if (t->rows != rows || t->cols != cols)
        return corrupt(Tr::tr("the tensor “%1” is %2 × %3; the model needs %4 × %5")
                           .arg(name)
                           .arg(t->rows)
                           .arg(t->cols)
                           .arg(rows)
                           .arg(cols),
                       name);
    return t->values;
}

Result<std::vector<std::uint64_t>> TensorPack::requireIndices(const QString& name) const
{
    const IndexTensor* t = indexTensor(name);
    if (!t)
        return corrupt(Tr::tr("the model weights lack the tensor “%1”").arg(name), name);
    return t->values;
}

} // namespace swb
