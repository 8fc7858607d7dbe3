#pragma once

#include "embedding.h"
#include "layer.h"

#include "core/util/result.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace swb::nn {

// A feed-forward network: an optional Embedding input stage (for cases given as id contexts),
// then layers applied in order. The last layer's output are logits for a Loss.
//
// Parameter names follow PyTorch's nn.Sequential: "<position>.weight" / "<position>.bias" for the
// layers, counted from 0 in the order added, and "embedding.weight" for the table.
class Sequential
{
public:
    Sequential();
    ~Sequential();
    Sequential(Sequential&&) noexcept;
    Sequential& operator=(Sequential&&) noexcept;

    Embedding& setEmbedding(std::unique_ptr<Embedding> embedding);
    Layer& add(std::unique_ptr<Layer> layer);
    template <typename T, typename... Args> T& emplace(Args&&... args)
    {
        return static_cast<T&>(add(std::make_unique<T>(std::forward<Args>(args)...)));
    }

    Embedding* embedding() { return m_embedding.get(); }
    int layerCount() const { return int(m_layers.size()); }
    Layer& layer(int i) { return *m_layers[std::size_t(i)]; }
    // Width of one input row: features, or the context length L when the network takes ids.
    Index inputWidth() const;
    Index outputWidth() const;
    bool takesIds() const { return m_embedding != nullptr; }

    // Refuses zero-sized layers and widths that do not chain; the error's field names the layer
    // ("layers[2]" or "embedding") and the message says what is wrong.
    Status validate() const;
    // Fresh weights from seed: He uniform for Dense layers followed by a ReLU, Xavier uniform for
    // the others, zero biases; every module draws from its own stream, so the values depend only
    // on the seed and the architecture.
    void initialize(std::uint64_t seed);
    Index parameterCount() const;
    std::vector<Parameter> parameters();

    // Forward pass over one batch (one case per row); the result stays valid until the next
    // forward(). The input must stay alive until backward().
    const Matrix& forward(const Matrix& features); // networks without an embedding
    const Matrix& forward(const IdMatrix& ids);    // networks with an embedding
    // Back-propagates d(loss)/d(output) of the last forward(), writing every parameter gradient.
    void backward(const Matrix& gradOutput);

    // Parameters as named tensors (copies), for the workspace and model bundles.
    std::vector<NamedTensor> saveParameters() const;
    // Loads tensors saved by a network of the same architecture. All names and shapes are checked
    // before anything is written: on error the network is unchanged (ErrorCode::Corrupt, field =
    // tensor name).
    Status loadParameters(const std::vector<NamedTensor>& tensors);

    // Team for large products; null (the default) runs on the calling thread. Not owned.
    void setThreadTeam(ThreadTeam* team);

private:
    std::vector<Parameter> readParameters() const;
    const Matrix& forwardLayers(const Matrix& input);

    std::unique_ptr<Embedding> m_embedding;
    std::vector<std::unique_ptr<Layer>> m_layers;
    ThreadTeam* m_team = nullptr;
};

} // namespace swb::nn
