#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "maas/engine/model.h"
#include "maas/engine/progress.h"
#include "maas/engine/tensor.h"

namespace maas::engine {

/// The card's input shapes for `batch` samples, with the card's datatypes. A dynamic axis takes: the
/// batch for the first; the card's image size (or 224) for an image's height and width; 32, a sequence
/// length, for the second axis of token ids (an integer input the model looks up in an embedding); 1
/// otherwise. Throws Error(InvalidInput, field "input_shape") for a card without inputs.
std::vector<InputShape> defaultInputShapes(const Model& model, int batch);

/// Inputs of these shapes (datatypes the card's unless given): a fixed spread of values in [-1, 1) for
/// FP32 and FP64 inputs (zeros for 16-bit ones); for
/// integer inputs, ids spread over [0, rows) of the table the model looks them up in (its embedding's
/// num_embeddings), or 0 and 1 when that cannot be told; for texts, a short sentence per sample (the
/// shape's first size). Throws Error(InvalidInput, field "input_shape") for a size that is not positive,
/// a count that is not one per input, or a text datatype given for a tensor.
std::vector<Tensor> syntheticInputs(const Model& model, const std::vector<InputShape>& shapes);

/// syntheticInputs on defaultInputShapes: the card's inputs for `batch` samples.
std::vector<Tensor> syntheticInputs(const Model& model, int batch);

/// One bar of a latency histogram: calls that took from `fromMs` up to (not including) `toMs`; the
/// last bar includes its upper end.
struct LatencyBin {
    double fromMs = 0, toMs = 0;
    int count = 0;
};

/// Latency of the model's forward pass, the way a server sees it: untimed warm-up calls, then timed
/// calls one after another on synthetic inputs.
struct Latency {
    int batch = 1;
    int threads = 0;
    std::vector<double> milliseconds; ///< each timed call, in order
    double min = 0, p50 = 0, p90 = 0, p95 = 0, p99 = 0, max = 0, mean = 0;
    double stddev = 0; ///< population standard deviation
    double cv = 0; ///< coefficient of variation: stddev / mean
    double samplesPerSecond = 0; ///< batch / mean
    std::vector<LatencyBin> histogram;
};

/// How long to time: `iterations` calls, or as many as fit in `seconds` when it is positive (at least
/// one, at most 5,000,000), after `warmup` untimed calls.
struct TimingBudget {
    int iterations = 50;
    double seconds = 0;
    int warmup = 5;
};

/// The q-quantile (0..1) of `sorted` (ascending, not empty) by nearest rank: the smallest value with at
/// least q of the values at or below it (0.5 of four values is the second).
double percentile(const std::vector<double>& sorted, double q);

/// The statistics of timed calls (not empty), with a histogram of `bins` bars (at least 2): equal widths from
/// min up to p99 + (p99 - min), and when calls were slower than that, a last bar from there to max.
Latency summarizeLatency(std::vector<double> milliseconds, int batch, int threads, int bins = 30);

Latency measureLatency(
    const Model& model, int batch = 1, int iterations = 50, int warmup = 5, const CancelToken* cancel = nullptr);
/// The same on inputs of the given shapes and datatypes (the batch is the first input's first size),
/// timed as given even where they differ from the card (a model the card calls FP32 can be timed on
/// INT64 ids); the model itself still refuses inputs it cannot run on.
Latency measureLatency(const Model& model, const std::vector<InputShape>& shapes, int iterations = 50, int warmup = 5,
    const CancelToken* cancel = nullptr);
/// The same with a time budget; `done` (may be empty) hears the fraction of the budget spent.
Latency measureLatency(const Model& model, const std::vector<InputShape>& shapes, const TimingBudget& budget,
    const CancelToken* cancel, const std::function<void(double done)>& progress = {});

nlohmann::json toJson(const Latency& latency);

/// What a benchmark sweeps: every batch size with every thread budget, each timed with `budget`.
struct BenchmarkPlan {
    std::vector<int> batches { 1 };
    std::vector<int> threads; ///< thread budgets to sweep; empty: the policy in force, as it is
    TimingBudget budget;
    /// Inputs of these shapes instead of the card's (the batch replaces every input's first size).
    std::vector<InputShape> shapes;
};

/// One configuration of a sweep and its timing.
struct BenchmarkPoint {
    int batch = 1;
    int threads = 0; ///< the budget
    int intraOp = 0, blas = 0; ///< the split between LibTorch's and OpenBLAS's pools in force as it was timed
    /// Another engine call held the pools while this was timed, so they kept that call's split instead of
    /// this budget's (and shared the cores): the numbers are not this setting's alone.
    bool contended = false;
    Latency latency;
};

/// A model's sweep: its configurations in plan order (batches outer, threads inner), plus what loading
/// and first use cost.
struct ModelBenchmark {
    std::string path;
    std::string quantizedEngine; ///< "onednn", "qnnpack"; empty for a float model
    std::string target; ///< "cpu", "mobile"; empty when none
    double loadMs = 0; ///< Model::load of the file (0 for a model given in memory)
    double coldMs = 0; ///< the first call after loading, at the first configuration
    std::int64_t residentBeforeBytes = 0; ///< the process's resident memory before the model was loaded
    std::int64_t peakResidentBytes = 0; ///< the process's peak resident memory while it was measured
    bool peakReset = false; ///< the peak was reset before loading (else it may be an earlier one's)
    std::vector<BenchmarkPoint> points;
};

/// Loads the model at `path` and runs the plan on it. The thread policy in force is restored after a
/// sweep over thread budgets. `progress` hears the fraction of the plan done, with the configuration
/// being timed in its metrics "batch" and "threads". Throws Error(InvalidInput)
/// for an empty plan, a batch or thread budget below 1, or a zero budget; Error(Cancelled) when cancelled.
ModelBenchmark benchmarkFile(const std::string& path, const BenchmarkPlan& plan, const CancelToken* cancel = nullptr,
    const ProgressCallback& progress = {});
/// The same for a model in memory (loadMs 0).
ModelBenchmark benchmarkModel(const Model& model, const BenchmarkPlan& plan, const CancelToken* cancel = nullptr,
    const ProgressCallback& progress = {});

/// The configuration of `result` at the same batch size and thread budget as `point`; none when it has none.
const BenchmarkPoint* sameConfiguration(const ModelBenchmark& result, const BenchmarkPoint& point);

/// The configuration with the most samples per second whose p99 latency is at most `maxMs`; none when
/// no configuration is that fast.
std::optional<std::size_t> bestWithin(const ModelBenchmark& result, double maxMs);

nlohmann::json toJson(const ModelBenchmark& result);
/// Several models side by side: each as toJson, and for the second and later ones, at each configuration
/// the first model also has, "vs_first": its p50 and throughput as ratios to the first model's.
nlohmann::json benchmarksToJson(const std::vector<ModelBenchmark>& results);
/// One CSV row per model and configuration, with a header row; the same numbers as the JSON.
std::string benchmarksToCsv(const std::vector<ModelBenchmark>& results);

/// The process's resident memory now, and its peak since the last resetPeakResident (0 where the system
/// does not tell).
std::int64_t residentBytes();
std::int64_t peakResidentBytes();
/// Resets the peak to the present size where Linux allows it; false where it could not.
bool resetPeakResident();

} // namespace maas::engine
