#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "maas/engine/optimize.h"

namespace maas::engine {

/// One layer as one model has it.
struct LayerSide {
    bool present = false;
    std::vector<std::int64_t> shape {}; ///< its weight's
    std::string form {}; ///< "fp32", "int8", "fp16", ... (as an optimization recorded it, else the weight's type)
    double zeros = std::numeric_limits<double>::quiet_NaN(); ///< share of its weights that are 0 (NaN: unknown)
    double meanAbs = std::numeric_limits<double>::quiet_NaN(); ///< mean |weight| (NaN: unknown, such as packed)
};

/// A layer of either model, side by side; `change` is what happened to it from A to B: "same",
/// "reshaped", "retyped" (another form, such as int8), "sparser", "denser", "reweighted" (same shape and
/// form, other weights), "removed" or "added".
struct LayerComparison {
    std::string layer;
    LayerSide a, b;
    std::string change;
};

/// How many times forward runs an operator in each model.
struct OperatorCount {
    std::string op; ///< "aten::linear", "quantized::linear_dynamic"
    std::int64_t a = 0, b = 0;
};

struct ModelComparison {
    std::string nameA, nameB;
    /// How B came from A, or A from B: "B was made from A by quantize"; empty when neither names the other as
    /// its parent (siblings say so too: "A and B were both made from the same model").
    std::string relation;
    VariantFacts a {}, b {};
    std::vector<LayerComparison> layers {}; ///< in A's order, then B's layers A does not have
    std::vector<OperatorCount> operators {}; ///< every operator either runs, by name
};

/// Compares two models layer by layer (shapes, forms, zeros and mean magnitude; for a frozen or quantized
/// model, the layers its optimization recorded in the card), by the operators their forward runs, and by
/// the numbers measureVariant gives (accuracy with `data`). Neither model changes. Throws
/// Error(Cancelled) when cancelled.
ModelComparison compareModels(
    const Model& a, const Model& b, const Dataset* data = nullptr, const CancelToken* cancel = nullptr);

nlohmann::json toJson(const ModelComparison& comparison);

} // namespace maas::engine
