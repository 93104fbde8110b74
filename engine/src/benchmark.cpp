#include "maas/engine/benchmark.h"

#include <algorithm>
#include <chrono>
#include <climits>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>

#include "bench_detail.h"
#include "maas/engine/error.h"
#include "maas/engine/limits.h"
#include "maas/engine/model.h"
#include "maas/engine/progress.h"
#include "maas/engine/runtime.h"
#include "sizes.h"
#include "torch_bridge.h"

namespace maas::engine {

namespace {

constexpr std::int64_t kSequenceLength = 32; // tokens of a made-up text: a sentence or two
// A time budget stops here too: the timings of a tiny model over a long budget stay under 40 MB.
constexpr std::size_t kMaxTimedCalls = 5000000;

bool isInteger(DataType type)
{
    return type == DataType::Bool || type == DataType::UInt8 || type == DataType::Int8 || type == DataType::Int16
        || type == DataType::Int32 || type == DataType::Int64;
}

IndexUse useOfInput(const Model& model, std::size_t input)
{
    const auto& uses = model.impl().inputUses;
    return input < uses.size() ? uses[input] : IndexUse {};
}

// Ids spread over [0, rows) by a fixed multiplicative step, so every run times the same lookups.
template <typename T> void fillIds(Tensor& t, std::int64_t rows)
{
    auto* out = reinterpret_cast<T*>(t.data.data());
    for (std::int64_t i = 0; i < t.numel(); ++i)
        out[i] = static_cast<T>((static_cast<std::uint64_t>(i) * 2654435761u + 7u) % static_cast<std::uint64_t>(rows));
}

// Values spread over [-1, 1) by a fixed sequence, like normalized pixels: zeros would time a model on
// the one input where activations collapse to constants (mobilenet_v2's p50 was 8% higher on zeros).
template <typename T> void fillSpread(Tensor& t)
{
    auto* out = reinterpret_cast<T*>(t.data.data());
    std::uint64_t state = 0x9E3779B97F4A7C15ull;
    for (std::int64_t i = 0; i < t.numel(); ++i) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        out[i] = static_cast<T>(static_cast<double>(state >> 11) / 9007199254740992.0 * 2.0 - 1.0);
    }
}

void fillReals(Tensor& t)
{
    if (t.dtype == DataType::Float32)
        fillSpread<float>(t);
    else if (t.dtype == DataType::Float64)
        fillSpread<double>(t);
    // FP16 and BF16 stay zeros: there is no plain C++ type to write them with.
}

void fillIntegers(Tensor& t, std::int64_t rows)
{
    switch (t.dtype) {
    case DataType::Int64: fillIds<std::int64_t>(t, rows); break;
    case DataType::Int32: fillIds<std::int32_t>(t, std::min<std::int64_t>(rows, INT32_MAX)); break;
    case DataType::Int16: fillIds<std::int16_t>(t, std::min<std::int64_t>(rows, INT16_MAX)); break;
    case DataType::Int8: fillIds<std::int8_t>(t, std::min<std::int64_t>(rows, INT8_MAX)); break;
    case DataType::UInt8: fillIds<std::uint8_t>(t, std::min<std::int64_t>(rows, UINT8_MAX)); break;
    default: fillIds<std::uint8_t>(t, 2); break; // BOOL
    }
}

void checkShape(const InputShape& input)
{
    for (const auto d : input.shape)
        if (d <= 0)
            throw Error(ErrorKind::InvalidInput,
                "the input shape " + shapeToString(input.shape) + " has an axis that is not a positive size.",
                "input_shape", shapeToString(input.shape) + " has an axis that is not a positive size.");
    if (input.shape.empty())
        throw Error(ErrorKind::InvalidInput, "an input shape needs at least one size.", "input_shape",
            "needs at least one size.");
}

} // namespace

std::vector<InputShape> defaultInputShapes(const Model& model, int batch)
{
    const auto& card = model.card();
    if (card.inputs.empty())
        throw Error(ErrorKind::InvalidInput,
            model.path()
                + " has a card without inputs, so there is nothing to run it on; give an input shape, or describe "
                  "its inputs in its card.",
            "input_shape",
            "is needed: the card of " + model.path() + " names no inputs (or describe them in its card).");
    std::vector<InputShape> shapes;
    for (std::size_t i = 0; i < card.inputs.size(); ++i) {
        const auto& spec = card.inputs[i];
        InputShape s { spec.shape, spec.dtype };
        if (spec.dtype == DataType::Bytes || s.shape.empty())
            s.shape = { -1 };
        const bool ids = useOfInput(model, i).indices || (isInteger(spec.dtype) && s.shape.size() == 2);
        const auto& pre = card.preprocessing;
        for (std::size_t axis = 0; axis < s.shape.size(); ++axis) {
            if (s.shape[axis] >= 0)
                continue;
            const bool image = s.shape.size() == 4 && axis >= 2;
            const int side = axis == 2 ? pre.imageHeight : pre.imageWidth;
            s.shape[axis] = axis == 0 ? batch : image ? (side > 0 ? side : 224) : ids ? kSequenceLength : 1;
        }
        shapes.push_back(std::move(s));
    }
    return shapes;
}

std::vector<Tensor> syntheticInputs(const Model& model, const std::vector<InputShape>& shapes)
{
    const auto& specs = model.card().inputs;
    if (!specs.empty() && shapes.size() != specs.size())
        throw Error(ErrorKind::InvalidInput,
            "the model takes " + std::to_string(specs.size()) + " input(s); give one input shape for each.",
            "input_shape",
            "must be given once for each input: the model takes " + std::to_string(specs.size()) + " input(s).");
    std::vector<Tensor> inputs;
    for (std::size_t i = 0; i < shapes.size(); ++i) {
        checkShape(shapes[i]);
        const DataType card = i < specs.size() ? specs[i].dtype : DataType::Float32;
        Tensor t;
        t.dtype = shapes[i].dtype.value_or(card);
        t.shape = shapes[i].shape;
        if (t.dtype == DataType::Bytes || card == DataType::Bytes) {
            if (t.dtype != card)
                throw Error(ErrorKind::InvalidInput,
                    "input " + std::to_string(i) + " takes " + dataTypeName(card) + ", not " + dataTypeName(t.dtype)
                        + "; leave out the datatype or give " + dataTypeName(card) + ".",
                    "input_shape",
                    "gives " + dataTypeName(t.dtype) + " for an input that takes " + dataTypeName(card) + ".");
            inputs.push_back(Tensor::fromStrings(
                std::vector<std::string>(static_cast<std::size_t>(t.shape[0]), "a short sentence to classify")));
            continue;
        }
        const std::int64_t count = checkedProduct(t.shape);
        const std::int64_t bytes = checkedProduct(count, static_cast<std::int64_t>(elementSize(t.dtype)));
        if (bytes < 0 || bytes > dataBytesLimit())
            throw Error(ErrorKind::InvalidInput,
                "an input of shape " + shapeToString(t.shape) + " takes more than the limit of "
                    + byteSize(double(dataBytesLimit()))
                    + "; use a smaller batch or fix the shape in the model's card.");
        t.data.assign(static_cast<std::size_t>(count) * elementSize(t.dtype), 0);
        if (isInteger(t.dtype)) {
            const auto rows = useOfInput(model, i).rows;
            fillIntegers(t, rows > 0 ? rows : 2);
        } else {
            fillReals(t);
        }
        inputs.push_back(std::move(t));
    }
    return inputs;
}

std::vector<Tensor> syntheticInputs(const Model& model, int batch)
{
    return syntheticInputs(model, defaultInputShapes(model, batch));
}

Model modelFor(const Model& model, const std::vector<Tensor>& inputs)
{
    auto card = model.card();
    for (std::size_t i = 0; i < card.inputs.size() && i < inputs.size(); ++i) {
        card.inputs[i].dtype = inputs[i].dtype;
        card.inputs[i].shape = inputs[i].shape;
    }
    return model.withCard(std::move(card));
}

void runOnce(const Model& model, const std::vector<Tensor>& inputs)
{
    try {
        model.predict(inputs);
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::InvalidInput || inputs.empty())
            throw;
        const std::string shape = shapeToString(inputs.front().shape);
        throw Error(ErrorKind::InvalidInput, "inputs of shape " + shape + " do not fit the model: " + e.what(),
            "input_shape", shape + " does not fit the model: " + e.what());
    }
}

double percentile(const std::vector<double>& sorted, double q)
{
    // Nearest rank: the smallest value with at least q of the values at or below it.
    const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
    return sorted.at(std::min(sorted.size() - 1, rank > 0 ? rank - 1 : 0));
}

Latency summarizeLatency(std::vector<double> milliseconds, int batch, int threads, int bins)
{
    if (milliseconds.empty())
        throw Error(ErrorKind::InvalidInput, "a latency summary needs at least one timed call.");
    Latency result;
    result.batch = batch;
    result.threads = threads;
    result.milliseconds = std::move(milliseconds);
    auto sorted = result.milliseconds;
    std::sort(sorted.begin(), sorted.end());
    const auto n = static_cast<double>(sorted.size());
    result.min = sorted.front();
    result.max = sorted.back();
    result.p50 = percentile(sorted, 0.5);
    result.p90 = percentile(sorted, 0.9);
    result.p95 = percentile(sorted, 0.95);
    result.p99 = percentile(sorted, 0.99);
    result.mean = std::accumulate(sorted.begin(), sorted.end(), 0.0) / n;
    double squares = 0;
    for (const auto ms : sorted)
        squares += (ms - result.mean) * (ms - result.mean);
    result.stddev = std::sqrt(squares / n);
    result.cv = result.mean > 0 ? result.stddev / result.mean : 0;
    result.samplesPerSecond = result.mean > 0 ? static_cast<double>(batch) * 1000.0 / result.mean : 0;
    // Equal bars from min to twice p99's distance from it; a slower tail shares the last bar, which reaches
    // to max, so one stall does not squeeze every other call into the first bar.
    bins = std::max(2, bins);
    const double cap = std::min(result.max, result.p99 + (result.p99 - result.min));
    const bool tail = cap < result.max;
    const int equal = tail ? bins - 1 : bins;
    const double width = (cap - result.min) / equal;
    for (int b = 0; b < equal; ++b)
        result.histogram.push_back({ result.min + b * width, result.min + (b + 1) * width, 0 });
    if (tail)
        result.histogram.push_back({ cap, result.max, 0 });
    for (const auto ms : sorted) {
        const auto b = ms >= cap ? static_cast<int>(result.histogram.size()) - 1
            : width > 0          ? std::min(equal - 1, static_cast<int>((ms - result.min) / width))
                                 : 0;
        ++result.histogram[static_cast<std::size_t>(b)].count;
    }
    return result;
}

Latency measureLatency(const Model& model, int batch, int iterations, int warmup, const CancelToken* cancel)
{
    if (batch < 1)
        throw Error(ErrorKind::InvalidInput, "a latency measurement needs a batch of at least 1.");
    return measureLatency(model, defaultInputShapes(model, batch), iterations, warmup, cancel);
}

Latency measureLatency(
    const Model& model, const std::vector<InputShape>& shapes, int iterations, int warmup, const CancelToken* cancel)
{
    return measureLatency(model, shapes, TimingBudget { iterations, 0, warmup }, cancel);
}

Latency measureLatency(const Model& model, const std::vector<InputShape>& shapes, const TimingBudget& budget,
    const CancelToken* cancel, const std::function<void(double)>& progress)
{
    if ((budget.seconds <= 0 && budget.iterations < 1) || !std::isfinite(budget.seconds))
        throw Error(ErrorKind::InvalidInput, "a latency measurement needs iterations or seconds above 0.");
    if (budget.warmup < 0)
        throw Error(ErrorKind::InvalidInput, "warm-up calls cannot be negative.", "warmup", "cannot be negative.");
    const auto inputs = syntheticInputs(model, shapes);
    const Model timed = modelFor(model, inputs);
    const auto batch = inputs.empty() || inputs.front().shape.empty() ? 1 : inputs.front().shape.front();
    const auto stopIfCancelled = [cancel] {
        if (cancel && cancel->cancelled())
            throw Error(ErrorKind::Cancelled, "latency measurement cancelled.");
    };
    // The very first call goes through runOnce, which says a shape the model cannot take in words; it is
    // timed too when there is no warm-up (a cold call).
    bool first = true;
    const auto call = [&] {
        if (first)
            runOnce(timed, inputs);
        else
            timed.predict(inputs);
        first = false;
    };
    for (int i = 0; i < budget.warmup; ++i) {
        stopIfCancelled();
        call();
    }
    using Clock = std::chrono::steady_clock;
    const auto began = Clock::now();
    const auto spent = [&] { return std::chrono::duration<double>(Clock::now() - began).count(); };
    std::vector<double> milliseconds;
    const bool timeBudget = budget.seconds > 0;
    while (timeBudget ? milliseconds.empty() || spent() < budget.seconds
                      : static_cast<int>(milliseconds.size()) < budget.iterations) {
        stopIfCancelled();
        const auto start = Clock::now();
        call();
        milliseconds.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
        if (progress)
            progress(timeBudget ? std::min(1.0, spent() / budget.seconds)
                                : static_cast<double>(milliseconds.size()) / budget.iterations);
        if (milliseconds.size() >= kMaxTimedCalls)
            break;
    }
    return summarizeLatency(std::move(milliseconds),
        static_cast<int>(std::min<std::int64_t>(batch, std::numeric_limits<int>::max())), currentThreads().budget);
}

nlohmann::json toJson(const Latency& l)
{
    auto bins = nlohmann::json::array();
    for (const auto& b : l.histogram)
        bins.push_back({ { "from_ms", b.fromMs }, { "to_ms", b.toMs }, { "count", b.count } });
    return { { "batch", l.batch }, { "threads", l.threads }, { "iterations", l.milliseconds.size() },
        { "min_ms", l.min }, { "p50_ms", l.p50 }, { "p90_ms", l.p90 }, { "p95_ms", l.p95 }, { "p99_ms", l.p99 },
        { "max_ms", l.max }, { "mean_ms", l.mean }, { "stddev_ms", l.stddev }, { "cv", l.cv },
        { "samples_per_second", l.samplesPerSecond }, { "histogram", std::move(bins) } };
}

} // namespace maas::engine
