#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "maas/engine/model.h"

namespace maas::engine {

class CancelToken;
class Dataset;

/// The numbers people choose a model variant by, measured the same way for a model and for what an
/// optimization made of it.
struct VariantFacts {
    std::int64_t fileBytes = 0; ///< the model as it would be written, card included
    std::int64_t parameters = 0; ///< parameter and constant elements (a frozen model keeps its weights as constants)
    double latencyBatch1Ms = 0; ///< median of timed calls on inputs of the card's shapes
    double latencyBatch16Ms = 0;
    double accuracy = std::numeric_limits<double>::quiet_NaN(); ///< on the data given; NaN without data
};

/// Measures a model: its size as written, its parameters, its median latency at batch 1 and 16 and, when
/// `data` is given, its accuracy on it. Polls `cancel` between timed calls (throws Error(Cancelled)).
VariantFacts measureVariant(const Model& model, const Dataset* data, const CancelToken* cancel = nullptr);

/// Where a converted model will run. A mobile target (LibTorch's XNNPACK rewrite) is not offered: in
/// LibTorch 1.13 here the rewritten convolutions re-pack their weights on every call (a Fashion-MNIST CNN
/// went from 0.06 to 8 ms at batch 1), which no phone would want either.
enum class Target {
    Cpu, ///< servers and desktops: frozen, batch-norm folded into convolutions, LibTorch's frozen rewrites
};
std::optional<Target> targetFromString(const std::string& name);
std::string toString(Target target);

struct ConversionOptions {
    Target target = Target::Cpu;
    /// The largest difference allowed between the outputs before and after on a sample batch, relative to
    /// the outputs' scale (absolute below 1): max |after - before| <= tolerance * max(1, max |before|).
    double tolerance = 1e-4;
};

/// What an optimization made, with the numbers before and after.
struct Optimized {
    Model model;
    VariantFacts before, after;
    double difference = 0; ///< max |after - before| on the sample batch, scaled as ConversionOptions::tolerance
    double tolerance = 0;
};

/// Freezes the model for inference and applies LibTorch's passes for `target` (torch.jit.freeze with its
/// frozen-graph rewrites: parameters become constants, batch-norm and add/mul fold into convolutions,
/// dropout goes), keeps its card (with lineage: the parent's SHA-256, the
/// operation and its settings, the facts before and after), and checks that its outputs on a seeded sample
/// batch stay within the tolerance: throws Error(InvalidModel) past it, naming both numbers. `data` (may be
/// null) adds accuracy to the facts. The input model is not changed.
Optimized convertForTarget(
    const Model& model, const ConversionOptions& options, const Dataset* data, const CancelToken* cancel = nullptr);

nlohmann::json toJson(const VariantFacts& facts);
nlohmann::json toJson(const Optimized& optimized);

} // namespace maas::engine
