// Engine-internal: what timing a model (benchmark.cpp) and profiling it (profile.cpp) share.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "maas/engine/model.h"
#include "maas/engine/profile.h"
#include "maas/engine/tensor.h"

namespace maas::engine {

/// The model with a card that describes these inputs: inputs of another shape or datatype than the card's
/// are timed as given (an inferred card can be wrong about a datatype).
Model modelFor(const Model& model, const std::vector<Tensor>& inputs);

/// Runs the model once on the inputs; a model that cannot run on them is an Error(InvalidInput) about the
/// input shape (field "input_shape"), since that is what the caller chose.
void runOnce(const Model& model, const std::vector<Tensor>& inputs);

/// The peak a cache file's text holds, when it is well-formed JSON measured on `machine` with `threads`
/// and both rates are positive and finite; nothing otherwise. Never throws: a cache is only a shortcut.
std::optional<MachinePeak> readPeakCache(const std::string& text, const std::string& machine, int threads);

} // namespace maas::engine
