#include "embedding.h"

#include "random.h"

#include "core/data/dictionary.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace swb::nn {

static_assert(kPadId == Dictionary::kNone, "padding must be the dictionary's 'no value' code");

Embedding::Embedding(Index vocabulary, Index dimension, Index contextLength)
    : m_contextLength(contextLength), m_table(Matrix::Zero(vocabulary, dimension)),
      m_tableGrad(Matrix::Zero(vocabulary, dimension)),
      m_stamp(std::size_t(std::max<Index>(vocabulary, 0)), 0)
{}

QString Embedding::kind() const
{
    return QStringLiteral("embedding");
}

std::vector<Parameter> Embedding::parameters(const QString& prefix)
{
    return {{prefix + QStringLiteral(".weight"), &m_table, &m_tableGrad, true, &m_touched}};
}

void Embedding::initialize(SplitMix64& rng, bool)
{
    const float limit = m_table.cols() > 0 ? float(std::sqrt(3.0 / double(m_table.cols()))) : 0.0f;
    for (Index i = 0; i < m_table.rows(); ++i)
        for (Index j = 0; j < m_table.cols(); ++j)
            m_table(i, j) = rng.uniform(-limit, limit);
}

const Matrix& Embedding::forward(const IdMatrix& ids)
{
    if (ids.cols() != m_contextLength)
        throw std::invalid_argument("Embedding::forward: context length does not match the layer");
    const Index dim = m_table.cols();
    const auto vocabulary = std::uint64_t(m_table.rows());
    m_ids = &ids;
    m_output.resize(ids.rows(), m_contextLength * dim);
    for (Index i = 0; i < ids.rows(); ++i) {
        for (Index j = 0; j < m_contextLength; ++j) {
            const std::uint32_t id = ids(i, j);
            auto block = m_output.row(i).segment(j * dim, dim);
            if (id == kPadId)
                block.setZero();
            else if (id < vocabulary)
                block = m_table.row(id);
            else
                throw std::out_of_range("Embedding::forward: id " + std::to_string(id) +
                                        " is outside the vocabulary");
        }
    }
    return m_output;
}

void Embedding::backward(const Matrix& gradOutput)
{
    if (!m_ids || gradOutput.rows() != m_ids->rows() || gradOutput.cols() != m_output.cols())
        throw std::invalid_argument("Embedding::backward: gradient does not match the last forward()");
    const IdMatrix& ids = *m_ids;
    const Index dim = m_table.cols();
    if (++m_backwardCount == 0) { // wrapped after 2^32 batches: forget all stamps once
        std::fill(m_stamp.begin(), m_stamp.end(), 0);
        m_backwardCount = 1;
    }
    m_touched.clear();
    for (Index i = 0; i < ids.rows(); ++i) {
        for (Index j = 0; j < m_contextLength; ++j) {
            const std::uint32_t id = ids(i, j);
            if (id == kPadId)
                continue;
            auto row = m_tableGrad.row(id);
            const auto g = gradOutput.row(i).segment(j * dim, dim);
            if (m_stamp[id] != m_backwardCount) {
                m_stamp[id] = m_backwardCount;
                m_touched.push_back(id);
                row = g;
            } else {
                row += g;
            }
        }
    }
    std::sort(m_touched.begin(), m_touched.end());
}

} // namespace swb::nn
