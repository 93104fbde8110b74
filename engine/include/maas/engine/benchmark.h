#pragma once

#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "maas/engine/model.h"
#include "maas/engine/tensor.h"

namespace maas::engine {

class CancelToken;

/// The card's input shapes for `batch` samples, with the card's datatypes. A dynamic axis takes: the
/// batch for the first; the card's image size (or 224) for an image's height and width; 32, a sequence
/// length, for the second axis of token ids (an integer input the model looks up in an embedding); 1
/// otherwise. Throws Error(InvalidInput) for a card without inputs.
std::vector<InputShape> defaultInputShapes(const Model& model, int batch);

/// Inputs of these shapes (datatypes the card's unless given): zeros for floating-point inputs; for
/// integer inputs, ids spread over [0, rows) of the table the model looks them up in (its embedding's
/// num_embeddings), or 0 and 1 when that cannot be told; for texts, a short sentence per sample (the
/// shape's first size). Throws Error(InvalidInput, field "input_shape") for a size that is not positive,
/// a count that is not one per input, or a text datatype given for a tensor.
std::vector<Tensor> syntheticInputs(const Model& model, const std::vector<InputShape>& shapes);

/// syntheticInputs on defaultInputShapes: the card's inputs for `batch` samples.
std::vector<Tensor> syntheticInputs(const Model& model, int batch);

/// Latency of the model's forward pass, the way a server sees it: `warmup` untimed calls, then
/// `iterations` timed calls one after another on synthetic inputs.
struct Latency {
    int batch = 1;
    int threads = 0;
    std::vector<double> milliseconds; ///< each timed call, in order
    double p50 = 0, p90 = 0, p99 = 0, mean = 0;
    double samplesPerSecond = 0; ///< batch / mean
};

/// The q-quantile (0..1) of `sorted` (ascending, not empty) by nearest rank: 0.5 is the median.
double percentile(const std::vector<double>& sorted, double q);

Latency measureLatency(
    const Model& model, int batch = 1, int iterations = 50, int warmup = 5, const CancelToken* cancel = nullptr);
/// The same on inputs of the given shapes and datatypes (the batch is the first input's first size),
/// timed as given even where they differ from the card (a model the card calls FP32 can be timed on
/// INT64 ids); the model itself still refuses inputs it cannot run on.
Latency measureLatency(const Model& model, const std::vector<InputShape>& shapes, int iterations = 50, int warmup = 5,
    const CancelToken* cancel = nullptr);

nlohmann::json toJson(const Latency& latency);

} // namespace maas::engine
