#pragma once

#include "layer.h"

namespace swb::nn {

// Input stage of a network whose cases are contexts of L item ids: each id selects a row of a
// vocabulary × dim table, and the L rows are concatenated, so an n × L id matrix becomes an
// n × (L·dim) float matrix: output row i = [E[id(i,0)], E[id(i,1)], …, E[id(i,L-1)]].
// kPadId gives a zero block and no gradient.
//
// The gradient is sparse: backward() fills only the rows of the ids in the batch (summing over
// repeats, in case order then context order) and lists them, sorted, in Parameter::rows. Optimisers
// update only those rows (lazy updates; see optimizer.h), so a step costs O(batch ids · dim), not
// O(vocabulary · dim). Cost: forward and backward O(n · L · dim) plus sorting the touched ids.
class Embedding final : public Module
{
public:
    // Zero sizes are accepted here and refused by Sequential::validate() with a message.
    Embedding(Index vocabulary, Index dimension, Index contextLength);

    QString kind() const override;
    Index vocabulary() const { return m_table.rows(); }
    Index dimension() const { return m_table.cols(); }
    Index contextLength() const { return m_contextLength; }
    Index outputWidth() const { return m_contextLength * m_table.cols(); }

    std::vector<Parameter> parameters(const QString& prefix) override;
    // Uniform in ±sqrt(3 / dim): each embedding starts with unit expected squared norm.
    void initialize(SplitMix64& rng, bool reluFollows) override;

    // ids: n × contextLength, each below vocabulary() or kPadId (throws std::out_of_range otherwise:
    // the trainer checks ids up front, so this is a programmer error). The ids are kept for
    // backward(), so they must stay alive and unchanged until then.
    const Matrix& forward(const IdMatrix& ids);
    // gradOutput: n × (L·dim), d(loss)/d(output) of the last forward().
    void backward(const Matrix& gradOutput);

    Matrix& table() { return m_table; }
    const Matrix& tableGradient() const { return m_tableGrad; }
    const std::vector<std::uint32_t>& touchedRows() const { return m_touched; }

private:
    Index m_contextLength;
    Matrix m_table;     // vocabulary × dim
    Matrix m_tableGrad; // vocabulary × dim; only the rows in m_touched are valid
    std::vector<std::uint32_t> m_touched;
    std::vector<std::uint32_t> m_stamp; // per row: the backward() call that last zeroed it
    std::uint32_t m_backwardCount = 0;
    const IdMatrix* m_ids = nullptr;
    Matrix m_output;
};

} // namespace swb::nn
