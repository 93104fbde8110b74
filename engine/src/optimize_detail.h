// Engine-internal: what the optimizations (conversion, quantization, pruning) share.
#pragma once

#include <torch/script.h>

#include <map>
#include <string>
#include <vector>

#include "maas/engine/model.h"
#include "maas/engine/optimize.h"
#include "maas/engine/tensor.h"

namespace maas::engine {

/// A frozen copy of `original` for inference (parameters become constants, batch-norm folds into
/// convolutions, dropout goes); other methods (a text model's forward_ids) are kept. `why` names the
/// operation in the sentence thrown (Error(InvalidModel)) when LibTorch cannot freeze it.
torch::jit::Module frozenCopy(const torch::jit::Module& original, const std::string& why);

/// A seeded batch of four samples of the card's shapes: normal values for floating inputs (zeros would hide
/// most drift), the synthetic ones (zeros, a sentence) for the rest.
std::vector<Tensor> sampleBatch(const Model& model);

/// max |after - before| over every output, relative to the outputs' scale when that is above 1; infinite
/// when the outputs differ in count or shape.
double outputDifference(const std::vector<Tensor>& before, const std::vector<Tensor>& after);

/// Throws Error(InvalidModel) when `difference` is past `tolerance`, saying both and that nothing was written.
void checkTolerance(const std::string& what, double difference, double tolerance);

/// Throws Error(InvalidInput, field "tolerance") unless 0 < tolerance < 1; `example` is a good value.
void checkToleranceOption(double tolerance, const std::string& example);

/// A model with `module` in place of `parent`'s, the parent's card, no path, the quantized engine its
/// weights are packed for, the target it was converted for and the 16-bit type its weights are stored in
/// (empty: none), ready to run (prepareForTarget).
Model withModule(const Model& parent, torch::jit::Module module, const std::string& quantizedEngine = {},
    const std::string& target = {}, const std::string& storedAs = {});

/// One step of structured pruning (see prune): narrows every Conv and Linear layer of `module` that can
/// lose channels to (1 - fraction) of `original` (its count before the first step, filled in here), sets
/// `narrowed` when one did, and reports every layer. Throws Error(InvalidModel) naming the first layer that
/// stops it when no layer can be narrowed at all.
std::vector<LayerReport> narrowChannels(
    torch::jit::Module& module, double fraction, std::map<std::string, std::int64_t>& original, bool& narrowed);

/// Measures `parent` and `result.model` (VariantFacts, accuracy with `data`) and stamps the result's card
/// with its lineage: the parent's SHA-256, result.operation, result.settings, tolerance, difference and facts.
/// The card is the parent's, or the result's own with `ownCard` (a distilled student's).
void finishOptimization(
    const Model& parent, Optimized& result, const Dataset* data, const CancelToken* cancel, bool ownCard = false);

} // namespace maas::engine
