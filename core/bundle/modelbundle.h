#pragma once

#include "core/util/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <vector>

namespace swb {

// One model of a bundle: its manifest (see bundleexport.h for the keys) and its weights in the
// TensorPack encoding of core/models/tensorpack.h.
struct BundledModel
{
    QJsonObject manifest;
    QByteArray weights;
};

// A model bundle: one file holding trained models for use outside the workspace they were trained
// in. A scene bundle holds several models and the router's configuration (opaque here).
//
// Encoding, all little-endian: the magic "SWBUNDLE", format version (u32), section count (u32);
// per section: kind (u32: 1 manifest, 2 weights), payload length (u64), the payload, and a CRC-32
// of kind, length and payload. The first section is the manifest, UTF-8 JSON:
// {"format": "scene-workbench-bundle", "kind": "model"|"scene", "created_at", "app_version",
// "router": {...}, "models": [manifest, ...]}; then one weights section per model, in order.
//
// decode() never trusts the bytes: every length is checked against what is left before anything
// is allocated, every checksum is verified, the weights are decoded (TensorPack checks each
// tensor's shape against the bytes present) and the manifest's structure is checked, so a
// truncated, corrupt or hostile file is a clear error, never a crash or a huge allocation.
struct ModelBundle
{
    QJsonObject router; // scene bundles; empty otherwise
    QString createdAt;  // ISO-8601 UTC
    QString appVersion;
    std::vector<BundledModel> models;

    bool isScene() const { return models.size() > 1 || !router.isEmpty(); }

    static constexpr quint32 kFormatVersion = 1;
    // At most this many models in one bundle (a count beyond it is a damaged header).
    static constexpr quint32 kMaxModels = 256;

    QByteArray encode() const;
    // `source` names the file in error messages.
    static Result<ModelBundle> decode(const QByteArray& bytes, const QString& source = {});
    // Refuses a file larger than the format allows before reading it.
    static Result<ModelBundle> readFile(const QString& path);
    // Whole or nothing (QSaveFile): an existing file is replaced only once the new one is complete.
    Status writeFile(const QString& path) const;
};

} // namespace swb
