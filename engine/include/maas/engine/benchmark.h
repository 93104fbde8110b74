#pragma once

#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "maas/engine/tensor.h"

namespace maas::engine {

class Model;
class CancelToken;

/// Inputs of the card's shapes for `batch` samples: zeros for numbers (a dynamic image axis takes the
/// card's image size, or 224; any other dynamic axis 1), a short sentence for texts.
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

nlohmann::json toJson(const Latency& latency);

} // namespace maas::engine
