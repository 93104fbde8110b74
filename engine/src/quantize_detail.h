// Engine-internal: what dynamic and static int8 quantization share.
#pragma once

#include <torch/script.h>

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "maas/engine/model.h"
#include "maas/engine/optimize.h"

namespace maas::engine {

/// The module path of the call a node was inlined from ("encoder.layers.0.self_attn"), or "" when unknown.
std::string modulePath(const torch::jit::Node* node);

/// Every method of a module (forward, and a text model's forward_ids and tokenize).
std::vector<torch::jit::Function*> methodsOf(const torch::jit::Module& module);

/// The layer a frozen weight belongs to, from the name freezing gives it ("self.fc.weight" is "fc"); empty
/// when the weight has no such name (one folded or computed).
std::string layerOfWeight(const torch::jit::Value* weight);

/// A weight as symmetric int8, one scale per output channel (axis 0; an all-zero channel keeps a tiny scale).
at::Tensor int8PerChannel(const at::Tensor& weight);

/// Stops a call whose input's last size is not `features` (a Linear layer's count of input features) with
/// a sentence naming `layer`: QNNPACK's kernels do not check it and would read past the input (or crash).
/// Inserted at the graph's insert point.
void insertInputCheck(
    torch::jit::Graph& graph, torch::jit::Value* input, std::int64_t features, const std::string& layer);

/// Refuses a frozen module that runs quantized operators already; `instead` says what to do.
void refuseQuantized(const torch::jit::Module& frozen, const std::string& instead);

/// Makes the model with the layers in `chosen` quantized for `engine`.
using QuantizedVariant = std::function<Model(const std::set<std::string>& chosen, const std::string& engine)>;

/// The engine whose variant with every layer in `all` quantized runs faster (median at batch 1 plus median
/// at batch 16); an engine that cannot pack the layers is passed over.
std::string fasterEngine(const QuantizedVariant& variant, const std::set<std::string>& all, const CancelToken* cancel);

/// Measures each layer's drop alone, then keeps the most sensitive layers in fp32 until the model's drop
/// is within `maxDrop` points. Returns the layers to quantize; fills each report's drop and form. Throws
/// Error(InvalidModel) when no choice of layers meets the budget.
std::set<std::string> layersWithinBudget(const Model& parent, std::vector<LayerReport>& layers,
    const QuantizedVariant& variant, const std::string& engine, double maxDrop, const Dataset& data,
    const CancelToken* cancel);

} // namespace maas::engine
