// Engine-internal: what training and evaluation share. A Feeder turns sample indices into a model's
// logits: tensors gathered from the data set, or token ids for a text model.
#pragma once

#include <optional>

#include "dataset_impl.h"
#include "torch_bridge.h"

namespace maas::engine {

class Feeder {
public:
    /// `pre`: the scale, mean and std to make inputs with instead of the data set's own (a trained model's),
    /// so the data set itself is left as it is.
    Feeder(torch::jit::Module& module, const Dataset::Impl& data, std::optional<Preprocessing> pre = {})
        : m_module(module)
        , m_data(data)
        , m_text(data.kind == DataKind::Text)
        , m_pre(std::move(pre))
    {
    }

    void tokenize()
    {
        c10::List<std::string> texts;
        for (const auto& t : m_data.texts)
            texts.push_back(t);
        const auto result = m_module.run_method("tokenize", texts).toTuple();
        m_ids = result->elements()[0].toTensor().contiguous();
        const auto offsets = result->elements()[1].toTensor().contiguous();
        const auto* o = offsets.data_ptr<std::int64_t>();
        const auto n = offsets.numel();
        m_starts.assign(o, o + n);
        m_lengths.resize(static_cast<std::size_t>(n));
        for (std::int64_t i = 0; i < n; ++i)
            m_lengths[i] = (i + 1 < n ? o[i + 1] : m_ids.numel()) - o[i];
    }

    at::Tensor logits(const at::Tensor& indices)
    {
        if (!m_text)
            return m_module.forward({ m_pre ? m_data.inputs(indices, *m_pre) : m_data.inputs(indices) }).toTensor();
        const auto* idx = indices.data_ptr<std::int64_t>();
        std::int64_t total = 0;
        for (std::int64_t i = 0; i < indices.numel(); ++i)
            total += m_lengths[static_cast<std::size_t>(idx[i])];
        auto ids = at::empty({ total }, at::kLong), offsets = at::empty({ indices.numel() }, at::kLong);
        auto* out = ids.data_ptr<std::int64_t>();
        auto* off = offsets.data_ptr<std::int64_t>();
        const auto* all = m_ids.data_ptr<std::int64_t>();
        std::int64_t at = 0;
        for (std::int64_t i = 0; i < indices.numel(); ++i) {
            const auto s = static_cast<std::size_t>(idx[i]);
            off[i] = at;
            std::copy(all + m_starts[s], all + m_starts[s] + m_lengths[s], out + at);
            at += m_lengths[s];
        }
        return m_module.run_method("forward_ids", ids, offsets).toTensor();
    }

private:
    torch::jit::Module& m_module;
    const Dataset::Impl& m_data;
    bool m_text;
    std::optional<Preprocessing> m_pre;
    at::Tensor m_ids;
    std::vector<std::int64_t> m_starts, m_lengths;
};

/// True when a card says how to normalize inputs (a trained model); false for a new model's empty card.
inline bool hasPreprocessing(const Preprocessing& p) { return p.scale != 1.0 || !p.mean.empty() || !p.std.empty(); }

} // namespace maas::engine

namespace maas::engine {

/// The data's preprocessing with a trained model's scale, mean and std (checked to fit the data), for a
/// Feeder; nothing when the card has none (a new model uses the data's own statistics).
inline std::optional<Preprocessing> modelPreprocessing(const Dataset::Impl& data, const Preprocessing& card)
{
    if (!hasPreprocessing(card))
        return std::nullopt;
    checkPreprocessingFits(data, card);
    Preprocessing p = data.pre;
    p.scale = card.scale;
    p.mean = card.mean;
    p.std = card.std;
    return p;
}

} // namespace maas::engine
