#include "maas/engine/benchmark.h"

#include <algorithm>
#include <chrono>
#include <numeric>

#include "maas/engine/error.h"
#include "maas/engine/limits.h"
#include "maas/engine/model.h"
#include "maas/engine/progress.h"
#include "maas/engine/runtime.h"
#include "sizes.h"

namespace maas::engine {

std::vector<Tensor> syntheticInputs(const Model& model, int batch)
{
    const auto& card = model.card();
    if (card.inputs.empty())
        throw Error(ErrorKind::InvalidInput,
            model.path() + " has a card without inputs, so there is nothing to time; describe its inputs in its card.");
    std::vector<Tensor> inputs;
    for (const auto& spec : card.inputs) {
        if (spec.dtype == DataType::Bytes) {
            inputs.push_back(Tensor::fromStrings(
                std::vector<std::string>(static_cast<std::size_t>(batch), "a short sentence to classify")));
            continue;
        }
        Tensor t;
        t.dtype = spec.dtype;
        t.shape = spec.shape;
        const auto& pre = card.preprocessing;
        for (std::size_t axis = 0; axis < t.shape.size(); ++axis) {
            if (t.shape[axis] >= 0)
                continue;
            const bool image = t.shape.size() == 4 && axis >= 2;
            const int side = axis == 2 ? pre.imageHeight : pre.imageWidth;
            t.shape[axis] = axis == 0 ? batch : image ? (side > 0 ? side : 224) : 1;
        }
        const std::int64_t count = checkedProduct(t.shape);
        const std::int64_t bytes = checkedProduct(count, static_cast<std::int64_t>(elementSize(t.dtype)));
        if (bytes < 0 || bytes > dataBytesLimit())
            throw Error(ErrorKind::InvalidInput,
                "an input of shape " + shapeToString(t.shape) + " takes more than the limit of "
                    + byteSize(double(dataBytesLimit()))
                    + "; use a smaller batch or fix the shape in the model's card.");
        t.data.assign(static_cast<std::size_t>(count) * elementSize(t.dtype), 0);
        inputs.push_back(std::move(t));
    }
    return inputs;
}

double percentile(const std::vector<double>& sorted, double q)
{
    return sorted.at(std::min(sorted.size() - 1, static_cast<std::size_t>(q * static_cast<double>(sorted.size()))));
}

Latency measureLatency(const Model& model, int batch, int iterations, int warmup, const CancelToken* cancel)
{
    if (batch < 1 || iterations < 1 || warmup < 0)
        throw Error(ErrorKind::InvalidInput, "a latency measurement needs a batch and iterations of at least 1.");
    const auto inputs = syntheticInputs(model, batch);
    for (int i = 0; i < warmup; ++i)
        model.predict(inputs);
    Latency result;
    result.batch = batch;
    result.threads = currentThreads().budget;
    for (int i = 0; i < iterations; ++i) {
        if (cancel && cancel->cancelled())
            throw Error(ErrorKind::Cancelled, "latency measurement cancelled.");
        const auto start = std::chrono::steady_clock::now();
        model.predict(inputs);
        result.milliseconds.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
    auto sorted = result.milliseconds;
    std::sort(sorted.begin(), sorted.end());
    result.p50 = percentile(sorted, 0.5);
    result.p90 = percentile(sorted, 0.9);
    result.p99 = percentile(sorted, 0.99);
    result.mean = std::accumulate(sorted.begin(), sorted.end(), 0.0) / static_cast<double>(sorted.size());
    result.samplesPerSecond = batch * 1000.0 / result.mean;
    return result;
}

nlohmann::json toJson(const Latency& l)
{
    return { { "batch", l.batch }, { "threads", l.threads }, { "iterations", l.milliseconds.size() },
        { "p50_ms", l.p50 }, { "p90_ms", l.p90 }, { "p99_ms", l.p99 }, { "mean_ms", l.mean },
        { "samples_per_second", l.samplesPerSecond } };
}

} // namespace maas::engine
