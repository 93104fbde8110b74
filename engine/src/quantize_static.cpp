// Static int8 post-training quantization: Conv and Linear layers run on int8 activations as well as int8
// weights, with each activation's range calibrated on samples of a data set. The frozen graph is rewritten:
// a quantize at the edge of each int8 region, quantized::conv2d / linear (fused with a ReLU after them) on
// weights packed once, operators that work on int8 tensors (pooling, ReLU, flatten) left on them, and a
// dequantize wherever a float operator or the model's output needs one.
#include <ATen/core/dispatch/Dispatcher.h>
#include <torch/csrc/jit/api/function_impl.h>
#include <torch/csrc/jit/ir/ir.h>
#include <torch/csrc/jit/passes/dead_code_elimination.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <unordered_set>

#include "dataset_impl.h"
#include "feeder.h"
#include "maas/engine/error.h"
#include "maas/engine/optimize.h"
#include "optimize_detail.h"
#include "quantize_detail.h"
#include "torch_bridge.h"

namespace maas::engine {

namespace {

using torch::jit::Node;
using torch::jit::Value;

/// Activations use 7 of their 8 bits, as PyTorch's x86 default does: oneDNN on CPUs without VNNI sums
/// pairs of u8 x s8 products in 16 bits, which a full range could overflow.
constexpr std::int64_t kActivationMax = 127;

// One Conv or Linear layer of forward (top level, fixed weights), found by its place among forward's nodes,
// which freezing the same model again repeats.
struct Layer {
    std::size_t index = 0; ///< of the node among the graph's top-level nodes
    std::optional<std::size_t> relu {}; ///< the ReLU that alone consumes its output, fused into it
    std::string name;
    bool conv = false;
};

std::vector<Node*> topLevelNodes(torch::jit::Graph& graph)
{
    std::vector<Node*> nodes;
    for (Node* n : graph.nodes())
        nodes.push_back(n);
    return nodes;
}

bool isFloatConstant(const Value* v, std::int64_t dims)
{
    const auto value = torch::jit::toIValue(v);
    return value && value->isTensor() && value->toTensor().dim() == dims
        && value->toTensor().scalar_type() == at::kFloat && !value->toTensor().is_quantized();
}

bool hasFixedBias(const Value* v)
{
    const auto value = torch::jit::toIValue(v);
    return value && (value->isNone() || (value->isTensor() && value->toTensor().scalar_type() == at::kFloat));
}

bool isRelu(const Node* n) { return n->kind() == torch::jit::aten::relu || n->kind() == torch::jit::aten::relu_; }

// Where a 2-d convolution node keeps stride, padding, dilation and groups: conv2d as scripting writes it,
// or a traced model's _convolution (not transposed); nothing for another node.
std::optional<std::array<std::size_t, 4>> convSettings(const Node* n)
{
    if (n->kind() == torch::jit::aten::conv2d)
        return std::array<std::size_t, 4> { 3, 4, 5, 6 };
    if (n->kind() != torch::jit::aten::_convolution)
        return std::nullopt;
    const auto transposed = torch::jit::toIValue(n->input(6));
    if (!transposed || !transposed->isBool() || transposed->toBool())
        return std::nullopt;
    return std::array<std::size_t, 4> { 3, 4, 5, 8 };
}

// Whether `n` is a layer this quantization takes (true: a convolution, false: a Linear layer): constant
// float weights, bias and settings.
std::optional<bool> layerKind(const Node* n)
{
    if (const auto settings = convSettings(n)) {
        for (const auto i : *settings)
            if (!torch::jit::toIValue(n->input(i)))
                return std::nullopt;
        if (isFloatConstant(n->input(1), 4) && hasFixedBias(n->input(2)))
            return true;
    }
    if (n->kind() == torch::jit::aten::linear && isFloatConstant(n->input(1), 2) && hasFixedBias(n->input(2)))
        return false;
    return std::nullopt;
}

std::vector<Layer> layersOf(torch::jit::Graph& graph)
{
    const auto nodes = topLevelNodes(graph);
    std::map<const Node*, std::size_t> at;
    for (std::size_t i = 0; i < nodes.size(); ++i)
        at[nodes[i]] = i;
    std::vector<Layer> layers;
    int convs = 0, linears = 0;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        const auto conv = layerKind(nodes[i]);
        if (!conv)
            continue;
        Layer layer { i, std::nullopt, layerOfWeight(nodes[i]->input(1)), *conv };
        if (layer.name.empty()) { // a weight freezing folded (batch-norm into a convolution) has lost its name
            const auto path = modulePath(nodes[i]);
            layer.name = !path.empty()
                ? path
                : (*conv ? "conv " + std::to_string(convs + 1) : "linear " + std::to_string(linears + 1));
        }
        (*conv ? convs : linears)++;
        const auto& uses = nodes[i]->output()->uses();
        if (uses.size() == 1 && isRelu(uses[0].user) && at.count(uses[0].user))
            layer.relu = at.at(uses[0].user);
        layers.push_back(std::move(layer));
    }
    return layers;
}

// The value a layer's int8 output stands for: its fused ReLU's output, else its own.
Value* resultOf(const Layer& layer, const std::vector<Node*>& nodes)
{
    return layer.relu ? nodes[*layer.relu]->output() : nodes[layer.index]->output();
}

// The calibration samples, spread over the data, in batches of 64, each made the way the model reads
// them when it is needed (a million samples would not fit in memory at once).
struct CalibrationData {
    const Dataset::Impl& data;
    std::optional<Preprocessing> pre;
    std::vector<at::Tensor> batches {}; ///< sample indices

    CalibrationData(const Model& model, const Dataset& dataset, std::int64_t samples)
        : data(dataset.impl())
        , pre(modelPreprocessing(data, model.card().preprocessing))
    {
        const auto n = std::min<std::int64_t>(samples, dataset.size());
        const auto step = static_cast<double>(dataset.size()) / static_cast<double>(n);
        const auto all = (at::arange(n, at::kDouble) * step).floor().to(at::kLong);
        for (std::int64_t start = 0; start < n; start += 64)
            batches.push_back(all.slice(0, start, std::min<std::int64_t>(start + 64, n)));
    }

    at::Tensor inputs(std::size_t batch) const { return inputsAt(batches[batch]); }

    /// Four samples calibration did not see (between its samples), when the data has them: the check of
    /// the outputs is fair only on those.
    at::Tensor heldOut() const
    {
        const auto size = static_cast<std::int64_t>(data.labels.size(0));
        auto unseen = at::ones({ size }, at::kBool);
        for (const auto& batch : batches)
            unseen.index_fill_(0, batch, false);
        auto idx = unseen.nonzero().flatten().slice(0, 0, 4);
        if (idx.numel() == 0) // calibration saw every sample
            idx = at::arange(std::min<std::int64_t>(4, size), at::kLong);
        return inputsAt(idx);
    }

    at::Tensor inputsAt(const at::Tensor& idx) const { return pre ? data.inputs(idx, *pre) : data.inputs(idx); }
};

// The smallest and largest value seen of each layer's input and result, over the calibration batches.
struct Ranges {
    std::vector<std::pair<double, double>> input, result;
};

Ranges calibrate(const torch::jit::Module& frozen, const std::vector<Layer>& layers, const CalibrationData& samples,
    const CancelToken* cancel)
{
    auto graph = frozen.get_method("forward").graph()->copy();
    const auto nodes = topLevelNodes(*graph);
    std::vector<Value*> observed; // returned as one tuple: a function returns one value
    for (const auto& layer : layers) {
        observed.push_back(nodes[layer.index]->input(0));
        observed.push_back(resultOf(layer, nodes));
    }
    auto* tuple = graph->appendNode(graph->createTuple(observed));
    graph->eraseOutput(0);
    graph->registerOutput(tuple->output());
    torch::jit::GraphFunction observe("calibrate", graph, nullptr);
    Ranges ranges { std::vector<std::pair<double, double>>(layers.size(), { 0.0, 0.0 }),
        std::vector<std::pair<double, double>>(layers.size(), { 0.0, 0.0 }) };
    const torch::NoGradGuard noGrad;
    for (std::size_t batch = 0; batch < samples.batches.size(); ++batch) {
        if (cancel && cancel->cancelled())
            throw Error(ErrorKind::Cancelled, "quantization cancelled; nothing was written.");
        torch::jit::Stack stack { frozen._ivalue(), samples.inputs(batch) };
        observe.run(stack);
        const auto values = stack.back().toTupleRef().elements();
        for (std::size_t i = 0; i < layers.size(); ++i)
            for (auto [range, value] :
                { std::pair { &ranges.input[i], values[2 * i] }, std::pair { &ranges.result[i], values[2 * i + 1] } }) {
                const auto t = value.toTensor();
                const double low = t.min().item<double>(), high = t.max().item<double>();
                if (!std::isfinite(low) || !std::isfinite(high))
                    throw Error(ErrorKind::InvalidModel,
                        "the layer " + layers[i].name
                            + " sees NaN or infinite values on the calibration data, which int8 cannot hold; check "
                              "the model on that data with maas eval.");
                range->first = std::min(range->first, low);
                range->second = std::max(range->second, high);
            }
    }
    return ranges;
}

// Scale and zero point of an unsigned 7-bit affine quantization that holds [low, high] (and 0).
std::pair<double, std::int64_t> qparams(const std::pair<double, double>& range)
{
    const double low = std::min(range.first, 0.0), high = std::max(range.second, 0.0);
    const double scale = std::max((high - low) / static_cast<double>(kActivationMax), 1e-8);
    const auto zero = static_cast<std::int64_t>(std::llround(-low / scale));
    return { scale, std::clamp<std::int64_t>(zero, 0, kActivationMax) };
}

c10::IValue packWeights(const Node* n, bool conv, const std::string& name)
{
    static const auto convPack = c10::Dispatcher::singleton().findSchemaOrThrow("quantized::conv2d_prepack", "");
    static const auto linearPack = c10::Dispatcher::singleton().findSchemaOrThrow("quantized::linear_prepack", "");
    std::vector<c10::IValue> stack { int8PerChannel(torch::jit::toIValue(n->input(1))->toTensor()),
        *torch::jit::toIValue(n->input(2)) };
    if (conv) {
        const auto settings = *convSettings(n);
        for (const auto i : settings)
            stack.push_back(*torch::jit::toIValue(n->input(i)));
    }
    try {
        (conv ? convPack : linearPack).callBoxed(&stack);
    } catch (const std::exception& e) {
        throw Error(ErrorKind::InvalidModel,
            "the layer " + name + " cannot be packed as int8 (" + torchMessage(e) + "); the model stays as it is.");
    }
    return stack.front();
}

// max |after - before| over max |before|: relative whatever the outputs' scale.
double relativeDifference(const std::vector<Tensor>& before, const std::vector<Tensor>& after)
{
    const double absolute = outputDifference(before, after); // scaled when the outputs exceed 1
    for (const auto& t : after)
        if (!toTorch(t).isfinite().all().item<bool>())
            return std::numeric_limits<double>::infinity(); // NaN would pass any comparison
    double scale = 0;
    for (const auto& t : before)
        scale = std::max(scale, toTorch(t).abs().max().item<double>());
    return scale >= 1 || !std::isfinite(absolute) ? absolute : absolute / std::max(scale, 1e-12);
}

// Rewrites the chosen layers of a frozen module's forward, packing their weights for the current engine.
class Rewriter {
public:
    Rewriter(torch::jit::Graph& graph, const Ranges& ranges)
        : m_graph(graph)
        , m_ranges(ranges)
    {
    }

    void run(const std::vector<Layer>& layers, const std::set<std::string>& chosen)
    {
        const auto nodes = topLevelNodes(m_graph);
        std::map<std::size_t, std::size_t> layerAt;
        for (std::size_t i = 0; i < layers.size(); ++i)
            if (chosen.count(layers[i].name))
                layerAt[layers[i].index] = i;
        std::set<std::size_t> fused;
        for (const auto& [index, i] : layerAt)
            if (layers[i].relu)
                fused.insert(*layers[i].relu);
        for (const auto& [index, i] : layerAt)
            if (index >= nodes.size() || layerKind(nodes[index]) != layers[i].conv)
                throw Error(ErrorKind::InvalidModel,
                    "freezing the model again gave another graph, so its calibration does not fit; the model "
                    "stays as it is.");
        for (std::size_t index = 0; index < nodes.size(); ++index) {
            if (const auto found = layerAt.find(index); found != layerAt.end())
                quantizeLayer(layers[found->second], found->second, nodes);
            else if (!fused.count(index) && worksOnInt8(nodes[index])
                && m_dequantized.count(nodes[index]->input(0)->node()))
                keepInt8(nodes[index]);
        }
        // An int8 convolution gives a channels-last tensor, and so does its dequantize: a view of it (LeNet's
        // x.view(-1, C * H * W)) needs it made contiguous first, as it was before.
        for (Node* n : topLevelNodes(m_graph))
            if (n->kind() == torch::jit::aten::view && m_dequantized.count(n->input(0)->node())) {
                const torch::jit::WithInsertPoint here(n);
                n->replaceInput(0, m_graph.insert(torch::jit::aten::contiguous, { n->input(0) }));
            }
        torch::jit::EliminateDeadCode(m_graph.block());
    }

private:
    // Operators that take an int8 tensor as it is and give one with the same scale.
    static bool worksOnInt8(const Node* n)
    {
        // Not view (int8 convolutions give channels-last tensors, which view cannot flatten) nor an in-place
        // ReLU (it would change the int8 tensor under a dequantize taken before it).
        static const std::set<std::string> kinds { "aten::relu", "aten::max_pool2d", "aten::avg_pool2d",
            "aten::adaptive_avg_pool2d", "aten::flatten", "aten::reshape", "aten::contiguous" };
        return n->outputs().size() == 1 && kinds.count(n->kind().toQualString()) > 0;
    }

    // `x` as int8: the tensor a dequantize here was made from, or `x` quantized to `range`.
    Value* int8Input(Value* x, const std::pair<double, double>& range)
    {
        if (m_dequantized.count(x->node()))
            return x->node()->input(0);
        const auto [scale, zero] = qparams(range);
        return m_graph.insert(torch::jit::aten::quantize_per_tensor,
            { x, scale, zero, static_cast<std::int64_t>(c10::ScalarType::QUInt8) });
    }

    // Replaces every use of `value` by `int8` dequantized, remembering the dequantize for the operators after.
    void useInt8(Value* value, Value* int8)
    {
        auto* back = m_graph.insert(torch::jit::aten::dequantize, { int8 });
        m_dequantized.insert(back->node());
        value->replaceAllUsesWith(back);
    }

    void quantizeLayer(const Layer& layer, std::size_t i, const std::vector<Node*>& nodes)
    {
        Node* n = nodes[layer.index];
        const torch::jit::WithInsertPoint here(n);
        auto* packed = m_graph.insertConstant(packWeights(n, layer.conv, layer.name));
        auto* x = int8Input(n->input(0), m_ranges.input[i]);
        if (!layer.conv)
            insertInputCheck(m_graph, x, torch::jit::toIValue(n->input(1))->toTensor().size(1), layer.name);
        const auto [scale, zero] = qparams(m_ranges.result[i]);
        const std::string op
            = std::string("quantized::") + (layer.conv ? "conv2d" : "linear") + (layer.relu ? "_relu" : "");
        auto* y = m_graph.insert(c10::Symbol::fromQualString(op), { x, packed, scale, zero });
        Value* result = resultOf(layer, nodes);
        useInt8(result, y);
        if (layer.relu)
            nodes[*layer.relu]->destroy();
        n->destroy();
    }

    void keepInt8(Node* n)
    {
        const torch::jit::WithInsertPoint here(n);
        Value* int8 = n->input(0)->node()->input(0);
        Node* copy = m_graph.createClone(n, [&](Value* v) { return v == n->input(0) ? int8 : v; });
        m_graph.insertNode(copy);
        useInt8(n->output(), copy->output());
        n->destroy();
    }

    torch::jit::Graph& m_graph;
    const Ranges& m_ranges;
    std::unordered_set<const Node*> m_dequantized;
};

void checkStaticQuantizable(
    const Model& model, const torch::jit::Module& frozen, const std::vector<Layer>& layers, const Dataset& calibration)
{
    refuseQuantized(frozen, "quantize the float model it was made from instead.");
    const auto& inputs = model.card().inputs;
    if (inputs.size() != 1 || inputs.front().dtype != DataType::Float32 || calibration.kind() == DataKind::Text)
        throw Error(ErrorKind::InvalidModel,
            "static quantization calibrates one float input, and this model takes "
                + (inputs.size() == 1 ? dataTypeName(inputs.front().dtype) : std::to_string(inputs.size()) + " inputs")
                + ": quantize it dynamic (Linear layers, no calibration) instead.");
    if (layers.empty())
        throw Error(ErrorKind::InvalidModel,
            "the model's forward has no Conv2d or Linear layer with fixed fp32 weights outside branches and loops, "
            "which is what static int8 quantization changes.");
    const auto nodes = topLevelNodes(*frozen.get_method("forward").graph());
    for (const auto& layer : layers)
        if (!torch::jit::toIValue(nodes[layer.index]->input(1))->toTensor().isfinite().all().item<bool>())
            throw Error(ErrorKind::InvalidModel,
                "the layer " + layer.name
                    + " has NaN or infinite weights, which int8 cannot hold; train or export the model again.");
}

} // namespace

Optimized quantizeStatic(const Model& model, const QuantizeOptions& options, const Dataset& calibration,
    const Dataset* evalData, const CancelToken* cancel)
{
    checkQuantizeOptions(options, true);
    if (options.mode != "static")
        throw Error(ErrorKind::InvalidInput, "quantizeStatic takes the static mode; dynamic int8 is quantizeDynamic.");
    if (!std::isnan(options.maxDrop) && !evalData)
        throw Error(ErrorKind::InvalidInput, "an accuracy budget needs a data set to measure the accuracy on.",
            "max_drop", "needs a data set (--data) to measure the accuracy on.");
    ensureThreadsConfigured();
    const auto freeze = [&] { return frozenCopy(archivedModule(model.impl()), "quantized"); };
    const auto frozen = freeze();
    const auto layers = layersOf(*frozen.get_method("forward").graph());
    checkStaticQuantizable(model, frozen, layers, calibration);
    const CalibrationData samples(model, calibration, options.calibrationSamples);
    // The model itself must run on this data first: the frozen graph calibration runs checks nothing.
    const std::vector<Tensor> sample { fromTorch(samples.heldOut()) };
    std::vector<Tensor> expected;
    try {
        expected = model.predict(sample);
    } catch (const Error& e) {
        throw Error(ErrorKind::InvalidInput,
            "the model cannot calibrate on " + calibration.path() + ": " + e.what() + " Choose data made for it.");
    }
    const auto ranges = guardModelRun("calibrating on " + calibration.path(), [&] {
        const ThreadLease threads(model.impl().workload);
        return calibrate(frozen, layers, samples, cancel);
    });
    const QuantizedVariant variant = [&](const std::set<std::string>& chosen, const std::string& engine) {
        auto module = freeze();
        const QuantizedEngineScope scope(engine);
        Rewriter(*module.get_method("forward").graph(), ranges).run(layers, chosen);
        return withModule(model, std::move(module), engine);
    };
    std::vector<LayerReport> report;
    std::set<std::string> chosen;
    const auto nodes = topLevelNodes(*frozen.get_method("forward").graph());
    for (const auto& layer : layers) // a layer called twice is one layer, quantized in both places
        if (chosen.insert(layer.name).second)
            report.push_back(
                { layer.name, torch::jit::toIValue(nodes[layer.index]->input(1))->toTensor().sizes().vec(), "int8" });
    const std::string engine = options.engine.empty() ? fasterEngine(variant, chosen, cancel) : options.engine;
    if (!std::isnan(options.maxDrop))
        chosen = layersWithinBudget(model, report, variant, engine, options.maxDrop, *evalData, cancel);
    Optimized result { variant(chosen, engine), {}, {}, 0, options.tolerance, "quantize", {}, std::move(report) };
    // Checked on real samples calibration did not see (an int8 input holds the calibrated range, which
    // random values need not fit), relative to the outputs' own scale however small: an int8 model whose
    // outputs all collapse to zero must not pass as close.
    result.difference = relativeDifference(expected, result.model.predict(sample));
    checkTolerance("quantized", result.difference, options.tolerance);
    result.settings = { { "dtype", "int8" }, { "mode", "static" }, { "weights", "per-channel symmetric" },
        { "activations", "per-tensor affine, 7 bits" }, { "calibration", calibration.path() },
        { "calibration_samples", std::min<std::int64_t>(options.calibrationSamples, calibration.size()) },
        { "engine", engine }, { "engine_chosen", options.engine.empty() ? "measured" : "asked" },
        { "layers_quantized", chosen.size() }, { "layers_kept", result.layers.size() - chosen.size() } };
    if (!std::isnan(options.maxDrop))
        result.settings["max_drop"] = options.maxDrop;
    finishOptimization(model, result, evalData, cancel);
    return result;
}

} // namespace maas::engine
