#pragma once

// The one orientation of the neural-network code (and of every model that feeds it):
//
//   * one observation (case) per ROW, features or units along the columns;
//   * float32 everywhere in the hot path (accumulations of losses and metrics are in double);
//   * row-major storage, so a mini-batch is a contiguous run of rows and the rows of a batch can be
//     gathered with one memcpy each.
//
// A layer with d_in inputs and d_out units maps an n × d_in batch to an n × d_out batch; its weights
// are d_in × d_out (Y = X·W + 1·b) and its bias is a 1 × d_out row. Gradients have the shape of what
// they are the gradient of.

#include <Eigen/Core>

#include <QString>

#include <cstdint>
#include <vector>

namespace swb::nn {

using Index = Eigen::Index;

// n × d float matrix, one case per row.
using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
// n × L integer ids (item codes from a Dictionary), one case per row, for networks starting with an
// Embedding.
using IdMatrix = Eigen::Matrix<std::uint32_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatrixMap = Eigen::Map<Matrix>;
using ConstMatrixMap = Eigen::Map<const Matrix>;

// An id meaning "no item" (padding of a short context, or an item unknown to the model): its
// embedding is a zero vector and it receives no gradient. Same value as Dictionary::kNone.
inline constexpr std::uint32_t kPadId = 0xffffffffu;

// A parameter tensor by name, detached from any network: what save/load exchange with the workspace
// and model bundles. values holds rows × cols floats in row-major order.
struct NamedTensor
{
    QString name;
    Index rows = 0;
    Index cols = 0;
    std::vector<float> values;
};

} // namespace swb::nn
