#include "modelbundle.h"

#include "core/models/tensorpack.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

#include <zlib.h>

#include <cstring>

namespace swb {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(swb::ModelBundle)
};

constexpr char kMagic[8] = {'S', 'W', 'B', 'U', 'N', 'D', 'L', 'E'};
constexpr quint32 kManifestSection = 1;
constexpr quint32 kWeightsSection = 2;
// Far above any real bundle (a catalogue of millions of items), far below what would exhaust
// memory by mistake; a larger file is refused before it is read.
constexpr qint64 kMaxFileBytes = qint64(4) << 30;

static_assert(Q_BYTE_ORDER == Q_LITTLE_ENDIAN, "the encoding writes the machine's bytes as little-endian");

template <typename T> void put(QByteArray& out, T value)
{
    out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

quint32 crc(const char* data, std::size_t n)
{
    // zlib takes uInt lengths: feed large sections in pieces.
    uLong sum = crc32(0, nullptr, 0);
    while (n > 0) {
        const std::size_t piece = std::min<std::size_t>(n, 1u << 30);
        sum = crc32(sum, reinterpret_cast<const Bytef*>(data), uInt(piece));
        data += piece;
        n -= piece;
    }
    return quint32(sum);
}

void putSection(QByteArray& out, quint32 kind, const QByteArray& payload)
{
    const auto from = out.size();
    put(out, kind);
    put(out, quint64(payload.size()));
    out.append(payload);
    put(out, crc(out.constData() + from, std::size_t(out.size() - from)));
}

QString sectionName(quint32 index)
{
    return index == 0 ? Tr::tr("the manifest") : Tr::tr("the weights of model %1").arg(index);
}

class Decoder
{
public:
    Decoder(const QByteArray& bytes, const QString& source) : m_bytes(bytes), m_source(source) {}

    Error corrupt(const QString& message) const
    {
        return Error{ErrorCode::Corrupt,
                     Tr::tr("The model bundle is damaged or not a bundle: %1").arg(message),
                     m_source,
                     0,
                     0,
                     {}};
    }
    std::size_t left() const { return std::size_t(m_bytes.size()) - m_at; }
    template <typename T> bool get(T& value)
    {
        if (left() < sizeof value)
            return false;
        std::memcpy(&value, m_bytes.constData() + m_at, sizeof value);
        m_at += sizeof value;
        return true;
    }

    // One section of the expected kind; its payload shares the buffer (no copy, no allocation).
    Result<QByteArray> section(quint32 index, quint32 expectedKind)
    {
        const std::size_t from = m_at;
        quint32 kind = 0;
        quint64 length = 0;
        if (!get(kind) || !get(length))
            return corrupt(Tr::tr("the file ends in the header of %1").arg(sectionName(index)));
        if (kind != expectedKind)
            return corrupt(Tr::tr("%1 has section kind %2, expected %3")
                               .arg(sectionName(index))
                               .arg(kind)
                               .arg(expectedKind));
        if (length > left() || left() - length < sizeof(quint32))
            return corrupt(Tr::tr("%1 claims %2 bytes, but only %3 follow")
                               .arg(sectionName(index))
                               .arg(length)
                               .arg(left()));
        const char* payload = m_bytes.constData() + m_at;
        m_at += std::size_t(length);
        const quint32 expected = crc(m_bytes.constData() + from, m_at - from);
        quint32 stored = 0;
        get(stored);
        if (stored != expected)
            return corrupt(Tr::tr("%1 fails its checksum").arg(sectionName(index)));
        return QByteArray::fromRawData(payload, qsizetype(length));
    }

private:
    const QByteArray& m_bytes;
    QString m_source;
    std::size_t m_at = 0;
};

// The structure decode() guarantees to its callers: every model has a name, task and model type as
// strings and a report object; a catalogue's item and category lists have the same length.
QString manifestProblem(const QJsonObject& model, int index)
{
    const QString which = Tr::tr("model %1 of the manifest").arg(index + 1);
    for (const char* key : {"name", "task", "model"}) {
        const QJsonValue v = model.value(QLatin1String(key));
        if (!v.isString() || v.toString().trimmed().isEmpty())
            return Tr::tr("%1 has no “%2”").arg(which, QLatin1String(key));
    }
    if (!model.value(QStringLiteral("report")).isObject())
        return Tr::tr("%1 has no report").arg(which);
    if (model.contains(QStringLiteral("catalogue"))) {
        const QJsonObject catalogue = model.value(QStringLiteral("catalogue")).toObject();
        const QJsonValue items = catalogue.value(QStringLiteral("items"));
        const QJsonValue categories = catalogue.value(QStringLiteral("categories"));
        if (!items.isArray() || !categories.isArray() ||
            items.toArray().size() != categories.toArray().size())
            return Tr::tr("%1 has a damaged catalogue").arg(which);
    }
    return {};
}

} // namespace

QByteArray ModelBundle::encode() const
{
    QJsonArray manifests;
    for (const BundledModel& m : models)
        manifests.append(m.manifest);
    QJsonObject manifest{
        {QStringLiteral("format"), QStringLiteral("scene-workbench-bundle")},
        {QStringLiteral("kind"), isScene() ? QStringLiteral("scene") : QStringLiteral("model")},
        {QStringLiteral("created_at"), createdAt},
        {QStringLiteral("app_version"), appVersion},
        {QStringLiteral("models"), manifests}};
    if (isScene())
        manifest.insert(QStringLiteral("router"), router);
    QByteArray out;
    out.append(kMagic, sizeof kMagic);
    put(out, kFormatVersion);
    put(out, quint32(1 + models.size()));
    putSection(out, kManifestSection, QJsonDocument(manifest).toJson(QJsonDocument::Compact));
    for (const BundledModel& m : models)
        putSection(out, kWeightsSection, m.weights);
    return out;
}

Result<ModelBundle> ModelBundle::decode(const QByteArray& bytes, const QString& source)
{
    Decoder in(bytes, source);
    char magic[sizeof kMagic] = {};
    if (in.left() < sizeof magic)
        return in.corrupt(Tr::tr("the file is %1 bytes long, too short for the header").arg(bytes.size()));
    std::memcpy(magic, bytes.constData(), sizeof magic);
    if (std::memcmp(magic, kMagic, sizeof magic) != 0)
        return in.corrupt(Tr::tr("it does not start with the bundle signature"));
    in.get(magic);
    quint32 version = 0;
    quint32 sections = 0;
    if (!in.get(version))
        return in.corrupt(Tr::tr("the file ends before its format version"));
    if (version != kFormatVersion)
        return Error{ErrorCode::Corrupt,
                     Tr::tr("The model bundle has format version %1; this version of Scene Workbench reads "
                            "version %2.")
                         .arg(version)
                         .arg(kFormatVersion),
                     source,
                     0,
                     0,
                     {}};
    if (!in.get(sections))
        return in.corrupt(Tr::tr("the file ends before its section count"));
    if (sections < 2 || sections > kMaxModels + 1)
        return in.corrupt(
            Tr::tr("it claims %1 sections (a manifest and 1 to %2 models)").arg(sections).arg(kMaxModels));

    auto manifestBytes = in.section(0, kManifestSection);
    if (!manifestBytes)
        return manifestBytes.error();
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(*manifestBytes, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return in.corrupt(Tr::tr("the manifest is not a JSON object"));
    const QJsonObject manifest = doc.object();
    if (manifest.value(QStringLiteral("format")).toString() != QLatin1String("scene-workbench-bundle"))
        return in.corrupt(Tr::tr("the manifest does not name the bundle format"));
    const QJsonArray models = manifest.value(QStringLiteral("models")).toArray();
    if (quint32(models.size()) != sections - 1)
        return in.corrupt(
            Tr::tr("the manifest lists %1 models but the file has %2").arg(models.size()).arg(sections - 1));

    ModelBundle bundle;
    bundle.router = manifest.value(QStringLiteral("router")).toObject();
    bundle.createdAt = manifest.value(QStringLiteral("created_at")).toString();
    bundle.appVersion = manifest.value(QStringLiteral("app_version")).toString();
    for (quint32 i = 0; i < sections - 1; ++i) {
        if (!models.at(i).isObject())
            return in.corrupt(Tr::tr("model %1 of the manifest is not an object").arg(i + 1));
        const QJsonObject model = models.at(i).toObject();
        if (const QString problem = manifestProblem(model, int(i)); !problem.isEmpty())
            return in.corrupt(problem);
        auto weights = in.section(i + 1, kWeightsSection);
        if (!weights)
            return weights.error();
        // The checksum passed, but the weights must also decode: a hand-made section with a valid
        // CRC can still claim absurd shapes, which TensorPack refuses before allocating.
        if (auto pack = TensorPack::decode(*weights); !pack)
            return in.corrupt(Tr::tr("the weights of “%1”: %2")
                                  .arg(model.value(QStringLiteral("name")).toString(), pack.error().message));
        // Detach from the caller's buffer: the bundle outlives it.
        bundle.models.push_back(BundledModel{model, QByteArray(weights->constData(), weights->size())});
    }
    if (in.left() != 0)
        return in.corrupt(Tr::tr("%1 unexpected bytes follow the last section").arg(in.left()));
    return bundle;
}

Result<ModelBundle> ModelBundle::readFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{ErrorCode::FileUnreadable,
                     Tr::tr("Cannot open the model bundle: %1").arg(file.errorString()),
                     path,
                     0,
                     0,
                     {}};
    if (file.size() > kMaxFileBytes)
        return Error{ErrorCode::Corrupt,
                     Tr::tr("The file is %1 bytes, more than a model bundle can be (%2 bytes).")
                         .arg(file.size())
                         .arg(kMaxFileBytes),
                     path,
                     0,
                     0,
                     {}};
    const QByteArray bytes = file.readAll();
    if (file.error() != QFileDevice::NoError)
        return Error{ErrorCode::FileUnreadable,
                     Tr::tr("Cannot read the model bundle: %1").arg(file.errorString()),
                     path,
                     0,
                     0,
                     {}};
    return decode(bytes, path);
}

Status ModelBundle::writeFile(const QString& path) const
{
    QSaveFile file(path);
    const QByteArray bytes = encode();
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        return Error{ErrorCode::FileUnreadable,
                     Tr::tr("Cannot write the model bundle: %1").arg(file.errorString()),
                     path,
                     0,
                     0,
                     {}};
    return {};
}

} // namespace swb
