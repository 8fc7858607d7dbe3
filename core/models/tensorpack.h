#pragma once

#include "core/models/nn/tensor.h"
#include "core/util/result.h"

#include <QByteArray>

#include <cstdint>
#include <vector>

namespace swb {

// An id or offset array a model is saved with (catalogue indices, compressed-row offsets):
// integers that float32 could not hold exactly.
struct IndexTensor
{
    QString name;
    std::vector<std::uint64_t> values;
};

// The named arrays one model is saved as, in the workspace and (later) in model bundles.
//
// Encoding, all little-endian: "SWBT", format version (u32), tensor count (u32); per tensor: kind
// (u32: 0 float32 matrix, 1 uint64 array), name length (u32) and UTF-8 name, rows and cols (u64;
// cols is 1 for index arrays), the values, and a CRC-32 of everything from the kind on.
// decode() never trusts the bytes: every length is checked against what is left before anything
// is allocated, so a corrupt or hostile blob is an error, never a crash or a huge allocation.
struct TensorPack
{
    std::vector<nn::NamedTensor> floats;
    std::vector<IndexTensor> indices;

    QByteArray encode() const;
    static Result<TensorPack> decode(const QByteArray& bytes);

    const nn::NamedTensor* floatTensor(const QString& name) const;
    const IndexTensor* indexTensor(const QString& name) const;
    // The named tensor, or a Corrupt error naming it (for loaders).
    Result<std::vector<float>> requireFloats(const QString& name, nn::Index rows, nn::Index cols) const;
    Result<std::vector<std::uint64_t>> requireIndices(const QString& name) const;
};

} // namespace swb
