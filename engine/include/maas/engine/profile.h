#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "maas/engine/model.h"

namespace maas::engine {

class CancelToken;

/// How fast this machine does the two kinds of work models spend their time on, with the thread policy in
/// force: a large fp32 matrix product (LibTorch's mm, on OpenBLAS) and a 3x3 convolution (oneDNN), each
/// the best of a few calls.
struct MachinePeak {
    double matrixGflops = 0;
    double convolutionGflops = 0;
    int threads = 0; ///< the thread budget it was measured with
    std::string machine; ///< CPU model, BLAS and LibTorch: a cache is used only on the same machine
    bool fromCache = false;
};

/// The CPU model, BLAS and LibTorch of this machine: what a cached peak or a stored measurement was made on.
std::string machineDescription();

/// The peak, from `cacheFile` when it holds one measured on this machine with the same thread budget,
/// else measured (about half a second) and written there (atomically; a cache that cannot be written
/// is not an error). An empty path measures without a cache; `measureAgain` ignores the cache.
MachinePeak machinePeak(const std::string& cacheFile, bool measureAgain = false);

/// One operator over the profiled passes, per forward pass.
struct OperatorProfile {
    std::string name; ///< "aten::conv2d"
    double calls = 0; ///< calls per pass
    double selfMs = 0; ///< time in it, without the operators it called
    double totalMs = 0; ///< time in it, with the operators it called
    double share = 0; ///< selfMs over the mean profiled pass
    std::string inputShapes; ///< of its first call: "[1, 3, 224, 224], [64, 3, 7, 7]"
};

/// The module path profiles give the operators that run outside forward, as a server's call does: turning
/// the inputs into tensors and the outputs back.
inline constexpr char kOutsideForward[] = "(inputs and outputs)";

/// One module (layer) of the model, per forward pass. Time is the time of the operators it called; FLOPs
/// are the inspector's (2 x multiply-accumulates of its convolutions and matrix products).
struct LayerProfile {
    std::string module; ///< "layer2.0.conv1", as the graph view names it; "" for the model itself
    std::string type; ///< "Conv2d", "BasicBlock"
    double selfMs = 0; ///< operators it called itself
    double totalMs = 0; ///< with its submodules'
    std::int64_t flops = 0; ///< its own operators'
    double gflops = 0; ///< achieved: flops / selfMs
    double peakGflops = 0; ///< the machine's peak for its kind of work (0 when it does none)
    double ofPeak = 0; ///< gflops / peakGflops
};

/// One operator call of one forward pass, for a timeline.
struct TraceEvent {
    std::string name;
    std::string module;
    double startUs = 0; ///< from the start of the pass
    double durationUs = 0;
    int depth = 0; ///< 0 for an operator forward called itself, 1 for one that called, ...
    std::string inputShapes;
};

struct ProfileOptions {
    std::vector<InputShape> shapes; ///< empty: the card's, for one sample
    int runs = 10; ///< profiled passes (and as many unprofiled ones, to tell the profiler's cost)
    int warmup = 3;
    std::string peakCache; ///< machinePeak's cache file; empty: measure it again
    bool recalibrate = false; ///< measure the peak again even when the cache has it
};

struct ModelProfile {
    std::vector<InputShape> inputs;
    int runs = 0;
    int threads = 0;
    double forwardMs = 0; ///< median of the unprofiled passes
    double profiledMs = 0; ///< median of the profiled passes
    double profiledMeanMs = 0; ///< mean of the profiled passes: what the per-pass layer and operator times add up to
    double overhead = 0; ///< profiledMs / forwardMs - 1
    std::int64_t flops = 0;
    std::vector<OperatorProfile> operators; ///< by self time, largest first
    std::vector<LayerProfile> layers; ///< every module that ran, in the order they first ran
    std::vector<TraceEvent> timeline; ///< the profiled pass of median length
    MachinePeak peak;
};

/// Runs the model's forward pass with and without LibTorch's operator callbacks and attributes each
/// operator's time and FLOPs to the module it ran in. Throws Error(InvalidInput) for shapes the model
/// cannot run on (naming "input_shape"), runs below 1; Error(Cancelled) when cancelled.
ModelProfile profileModel(const Model& model, const ProfileOptions& options, const CancelToken* cancel = nullptr);

/// Every module that ran operators itself (leaves, and containers for their own adds and activations),
/// largest own time first: what a per-layer chart shows, adding up to the pass.
std::vector<LayerProfile> leafLayers(const ModelProfile& profile);

nlohmann::json toJson(const ModelProfile& profile);
/// The timeline in Chrome's trace event format (opens in Perfetto and chrome://tracing).
nlohmann::json chromeTrace(const ModelProfile& profile);
/// Module paths and operators as folded stacks ("model;layer1;layer1.0;aten::conv2d 1234", microseconds of
/// self time per pass), for flamegraph.pl and speedscope.
std::string foldedStacks(const ModelProfile& profile);

} // namespace maas::engine
