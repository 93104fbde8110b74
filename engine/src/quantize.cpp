// Dynamic int8 quantization of Linear layers, by rewriting the frozen graph: each aten::linear with a fixed
// float weight becomes quantized::linear_dynamic on weights packed once, here.
#include <ATen/core/dispatch/Dispatcher.h>
#include <torch/csrc/jit/ir/constants.h>
#include <torch/csrc/jit/ir/ir.h>
#include <torch/csrc/jit/ir/irparser.h>
#include <torch/csrc/jit/ir/scope.h>
#include <torch/csrc/jit/passes/dead_code_elimination.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>
#include <sstream>

#include "maas/engine/benchmark.h"
#include "maas/engine/error.h"
#include "maas/engine/optimize.h"
#include "maas/engine/progress.h"
#include "maas/engine/training.h"
#include "optimize_detail.h"
#include "quantize_detail.h"
#include "torch_bridge.h"

namespace maas::engine {

namespace {

using torch::jit::Node;

bool isLinearWithFixedWeight(const Node* node)
{
    if (node->kind() != torch::jit::aten::linear)
        return false;
    const auto weight = torch::jit::toIValue(node->input(1));
    if (!weight || !weight->isTensor())
        return false;
    const auto& w = weight->toTensor();
    if (w.dim() != 2 || w.scalar_type() != at::kFloat || w.is_quantized())
        return false;
    const auto bias = torch::jit::toIValue(node->input(2)); // none, or a float vector fixed too
    return bias && (bias->isNone() || (bias->isTensor() && bias->toTensor().scalar_type() == at::kFloat));
}

bool isQuantizedOperator(const Node* node)
{
    const std::string name = node->kind().toQualString();
    return name.rfind("quantized::", 0) == 0 || name.rfind("aten::quantize_per", 0) == 0;
}

} // namespace

std::string modulePath(const Node* node)
{
    const auto stack = node->callstack();
    if (!stack)
        return {};
    std::string path;
    for (const auto& entry : (*stack)->vec()) {
        const auto& instance = std::get<torch::jit::kModuleInstanceInfo>(entry);
        if (!instance || instance->instance_name().empty() || instance->instance_name() == "self"
            || instance->instance_name() == "SELF")
            continue;
        path += (path.empty() ? "" : ".") + instance->instance_name();
    }
    return path;
}

std::vector<torch::jit::Function*> methodsOf(const torch::jit::Module& module)
{
    std::vector<torch::jit::Function*> methods;
    for (const auto& method : module.get_methods())
        methods.push_back(&method.function());
    return methods;
}

std::string layerOfWeight(const torch::jit::Value* weight)
{
    const std::string name = weight->debugName();
    if (name.rfind("self.", 0) != 0)
        return {};
    return name.substr(5, name.rfind('.') - 5); // "self.encoder.0.weight" is the layer "encoder.0"
}

at::Tensor int8PerChannel(const at::Tensor& weight)
{
    const auto scales = (weight.abs().flatten(1).amax({ 1 }) / 127.0).clamp_min(1e-12).to(at::kDouble);
    const auto zeroPoints = at::zeros({ weight.size(0) }, at::kLong);
    return at::quantize_per_channel(weight, scales, zeroPoints, 0, at::kQInt8);
}

void insertInputCheck(
    torch::jit::Graph& graph, torch::jit::Value* input, std::int64_t features, const std::string& layer)
{
    static const auto check = [] {
        auto g = std::make_shared<torch::jit::Graph>();
        torch::jit::parseIR(R"IR(
graph(%x : Tensor, %n : int, %msg : str):
  %last : int = prim::Constant[value=-1]()
  %size : int = aten::size(%x, %last)
  %wrong : bool = aten::ne(%size, %n)
  prim::If(%wrong)
    block0():
      %none : NoneType = prim::Constant()
      prim::RaiseException(%msg, %none)
      -> ()
    block1():
      -> ()
  return ()
)IR",
            g.get());
        return g;
    }();
    torch::jit::insertGraph(graph, *check,
        { input, graph.insertConstant(features),
            graph.insertConstant("the input does not fit the Linear layer " + layer + ": its last size must be "
                + std::to_string(features) + ", the layer's input features") });
}

namespace {

// The Linear layers of one method with their names: the module path as freezing names the weight
// ("self.encoder.0.weight" gives "encoder.0"); for a weight computed from others (attention's query, key
// and value slices), the module it was called in and its place in the method; else its place alone. One
// function names layers for the report and for the rewrite, so that the two always agree.
std::vector<std::pair<Node*, std::string>> namedLinears(torch::jit::Function& method)
{
    std::vector<std::pair<Node*, std::string>> found;
    const std::string where = method.name() == "forward" ? "" : method.name() + ": ";
    for (Node* node : allNodes(torch::jit::toGraphFunction(method).graph())) {
        if (!isLinearWithFixedWeight(node))
            continue;
        std::string name = layerOfWeight(node->input(1));
        if (name.empty()) {
            const auto path = modulePath(node);
            name = where + (path.empty() ? "linear " : path + " linear ") + std::to_string(found.size() + 1);
        }
        found.emplace_back(node, name);
    }
    return found;
}

// The layers a frozen module has to quantize, each once, in the order its methods meet them.
std::vector<LayerReport> linearLayers(const torch::jit::Module& frozen)
{
    std::vector<LayerReport> layers;
    for (auto* method : methodsOf(frozen))
        for (const auto& [node, name] : namedLinears(*method)) {
            if (std::any_of(layers.begin(), layers.end(), [&](const LayerReport& l) { return l.layer == name; }))
                continue;
            const auto weight = torch::jit::toIValue(node->input(1))->toTensor();
            layers.push_back({ name, weight.sizes().vec(), "int8" });
        }
    return layers;
}

// Rewrites the Linear layers named in `chosen` in every method of a frozen module, packing their weights
// for the current quantized engine; the float weights they replace are dropped. Activations are quantized
// to 7 bits (reduce_range): oneDNN on CPUs without VNNI sums pairs of u8*s8 products in 16 bits, and a file
// made for QNNPACK (which ignores the setting) may run on oneDNN elsewhere, as in Python by default.
void rewriteLinears(torch::jit::Module& frozen, const std::set<std::string>& chosen)
{
    static const auto prepack = c10::Dispatcher::singleton().findSchemaOrThrow("quantized::linear_prepack", "");
    const auto dynamicLinear = c10::Symbol::fromQualString("quantized::linear_dynamic");
    for (auto* method : methodsOf(frozen)) {
        const auto graph = torch::jit::toGraphFunction(*method).graph();
        for (const auto& [node, name] : namedLinears(*method)) {
            if (!chosen.count(name))
                continue;
            std::vector<c10::IValue> stack { int8PerChannel(torch::jit::toIValue(node->input(1))->toTensor()),
                *torch::jit::toIValue(node->input(2)) };
            try {
                prepack.callBoxed(&stack);
            } catch (const std::exception& e) {
                throw Error(ErrorKind::InvalidModel,
                    "the Linear layer " + name + " cannot be packed as int8 (" + torchMessage(e)
                        + "); the model stays as it is.");
            }
            const torch::jit::WithInsertPoint here(node);
            insertInputCheck(*graph, node->input(0), torch::jit::toIValue(node->input(1))->toTensor().size(1), name);
            auto* packed = graph->insertConstant(stack.front());
            auto* replacement = graph->create(dynamicLinear, { node->input(0), packed, graph->insertConstant(true) });
            replacement->insertBefore(node);
            replacement->output()->setType(node->output()->type());
            node->output()->replaceAllUsesWith(replacement->output());
            node->destroy();
        }
        torch::jit::EliminateDeadCode(graph);
    }
}

// The model with the Linear layers named in `chosen` quantized for `engine`. Each variant is frozen anew
// from the parent: layers are known by the names freezing gives their weights, which a copy of a frozen
// module through the archive format would not keep.
Model quantizedVariant(const Model& parent, const std::set<std::string>& chosen, const std::string& engine)
{
    auto module = frozenCopy(archivedModule(parent.impl()), "quantized");
    const QuantizedEngineScope scope(engine);
    rewriteLinears(module, chosen);
    return withModule(parent, std::move(module), engine);
}

double accuracyOf(const Model& model, const Dataset& data, const CancelToken* cancel)
{
    return evaluate(model, data, 1, {}, cancel).accuracy;
}

} // namespace

std::string fasterEngine(const QuantizedVariant& variant, const std::set<std::string>& all, const CancelToken* cancel)
{
    std::string best;
    double bestMs = std::numeric_limits<double>::infinity();
    for (const auto& engine : quantizedEngines()) {
        std::optional<Model> model;
        try {
            model = variant(all, engine);
        } catch (const Error& e) {
            if (e.kind() == ErrorKind::Cancelled)
                throw;
            continue; // this engine cannot pack these layers: the other one may
        }
        const double ms = measureLatency(*model, 1, 20, 3, cancel).p50 + measureLatency(*model, 16, 8, 2, cancel).p50;
        if (ms < bestMs)
            bestMs = ms, best = engine;
    }
    return best;
}

namespace {

std::string points(double value)
{
    std::ostringstream text;
    text.precision(2);
    text << std::fixed << value;
    return text.str();
}

} // namespace

std::set<std::string> layersWithinBudget(const Model& parent, std::vector<LayerReport>& layers,
    const QuantizedVariant& variant, const std::string& engine, double maxDrop, const Dataset& data,
    const CancelToken* cancel)
{
    const double base = accuracyOf(parent, data, cancel);
    for (auto& layer : layers)
        layer.accuracyDrop = (base - accuracyOf(variant({ layer.layer }, engine), data, cancel)) * 100.0;
    std::vector<LayerReport*> bySensitivity;
    for (auto& layer : layers)
        bySensitivity.push_back(&layer);
    std::stable_sort(bySensitivity.begin(), bySensitivity.end(),
        [](const LayerReport* a, const LayerReport* b) { return a->accuracyDrop > b->accuracyDrop; });
    std::set<std::string> chosen;
    for (const auto& layer : layers)
        chosen.insert(layer.layer);
    double drop = 0;
    for (auto* keep : bySensitivity) {
        drop = (base - accuracyOf(variant(chosen, engine), data, cancel)) * 100.0;
        if (drop <= maxDrop + 1e-9) // accuracies are counts over samples; no rounding may refuse an exact budget
            return chosen;
        chosen.erase(keep->layer);
        keep->form = "fp32";
        if (chosen.empty())
            break;
    }
    throw Error(ErrorKind::InvalidModel,
        "no choice of layers keeps the accuracy drop within " + points(maxDrop) + " points: quantizing even the "
            + "least sensitive layer alone loses " + points(drop)
            + "; allow a larger accuracy budget, or keep the model in fp32.");
}

void refuseQuantized(const torch::jit::Module& frozen, const std::string& instead)
{
    for (const auto* method : methodsOf(frozen))
        for (const Node* node : allNodes(torch::jit::toGraphFunction(*method).graph()))
            if (isQuantizedOperator(node))
                throw Error(ErrorKind::InvalidModel,
                    std::string("the model is already quantized (it runs ") + node->kind().toQualString() + "); "
                        + instead);
}

namespace {

// Refuses a model that is already quantized or has nothing this quantization changes.
void checkQuantizable(const torch::jit::Module& frozen, const std::vector<LayerReport>& layers)
{
    refuseQuantized(frozen, "quantize the float model it was made from instead.");
    if (layers.empty())
        throw Error(ErrorKind::InvalidModel,
            "the model has no fp32 Linear layer with fixed weights, which is what dynamic int8 quantization "
            "changes (a model of convolutions needs static quantization; one in fp64 or fp16, an fp32 copy).");
    for (auto* method : methodsOf(frozen))
        for (const auto& [node, name] : namedLinears(*method))
            if (!torch::jit::toIValue(node->input(1))->toTensor().isfinite().all().item<bool>())
                throw Error(ErrorKind::InvalidModel,
                    "the Linear layer " + name
                        + " has NaN or infinite weights, which int8 cannot hold; train or "
                          "export the model again.");
}

// Every float weight of a frozen module (a constant of two or more axes) stored as `type`, with a cast back
// to fp32 where it was; returns the layers' report.
std::vector<LayerReport> storeWeightsAs(torch::jit::Module& frozen, at::ScalarType type, const std::string& form)
{
    std::vector<LayerReport> layers;
    for (auto* method : methodsOf(frozen)) {
        const auto graph = torch::jit::toGraphFunction(*method).graph();
        for (Node* node : allNodes(graph)) {
            if (node->kind() != c10::prim::Constant || !node->output()->type()->cast<c10::TensorType>())
                continue;
            const auto value = torch::jit::toIValue(node->output());
            if (!value || !value->isTensor())
                continue;
            const auto& weight = value->toTensor();
            if (weight.dim() < 2 || weight.scalar_type() != at::kFloat || weight.is_quantized() || weight.is_mkldnn())
                continue;
            const torch::jit::WithInsertPoint here(node->next());
            auto* stored = graph->insertConstant(weight.to(type));
            auto* back = graph->insert(torch::jit::aten::to, { stored, at::kFloat });
            node->output()->replaceAllUsesWith(back);
            std::string name = node->output()->debugName();
            if (name.rfind("self.", 0) == 0)
                name = name.substr(5, name.rfind('.') - 5); // "self.fc.weight" is the layer "fc"
            else
                name = "weight " + std::to_string(layers.size() + 1);
            layers.push_back({ name, weight.sizes().vec(), form });
        }
        torch::jit::EliminateDeadCode(graph);
    }
    return layers;
}

Optimized storeWeightsIn16Bits(
    const Model& model, const QuantizeOptions& options, const Dataset* data, const CancelToken* cancel)
{
    auto frozen = [&] {
        const ThreadLease threads(model.impl().workload);
        return frozenCopy(archivedModule(model.impl()), "quantized");
    }();
    refuseQuantized(frozen, "store the weights of the float model it was made from instead.");
    auto layers = storeWeightsAs(frozen, options.dtype == "fp16" ? at::kHalf : at::kBFloat16, options.dtype);
    if (layers.empty())
        throw Error(ErrorKind::InvalidModel, "the model has no float weights of two or more axes to store in 16 bits.");
    Optimized result { withModule(model, std::move(frozen), {}, model.impl().target, options.dtype), {}, {}, 0,
        options.tolerance, "quantize",
        { { "dtype", options.dtype }, { "mode", "weights stored in 16 bits, computed in fp32" } }, std::move(layers) };
    const auto sample = sampleBatch(model);
    result.difference = outputDifference(model.predict(sample), result.model.predict(sample));
    checkTolerance("quantized", result.difference, options.tolerance);
    finishOptimization(model, result, data, cancel);
    return result;
}

} // namespace

QuantizedEngineScope::QuantizedEngineScope(const std::string& engine)
{
    static std::mutex one;
    const auto wanted = engine == "onednn" ? std::optional(at::QEngine::ONEDNN)
        : engine == "qnnpack"              ? std::optional(at::QEngine::QNNPACK)
                                           : std::nullopt;
    m_lock = std::unique_lock<std::mutex>(one);
    m_previous = at::globalContext().qEngine();
    if (wanted)
        at::globalContext().setQEngine(*wanted);
}

QuantizedEngineScope::~QuantizedEngineScope()
{
    if (m_lock.owns_lock())
        at::globalContext().setQEngine(m_previous);
}

void checkQuantizeOptions(const QuantizeOptions& options, bool hasData)
{
    checkToleranceOption(options.tolerance, "0.1");
    if (options.dtype != "int8" && options.dtype != "fp16" && options.dtype != "bf16")
        throw Error(ErrorKind::InvalidInput,
            "the quantized type must be int8, fp16 or bf16, not '" + options.dtype + "'.", "dtype",
            "must be int8, fp16 or bf16, not '" + options.dtype + "'.");
    if (options.dtype != "int8" && (!options.engine.empty() || !std::isnan(options.maxDrop)))
        throw Error(ErrorKind::InvalidInput,
            "a quantized engine and an accuracy budget apply to int8 only; " + options.dtype
                + " weights are cast to fp32 when the model loads.",
            "dtype", "takes no --engine or --max-drop unless it is int8.");
    const auto engines = quantizedEngines();
    if (!options.engine.empty() && std::find(engines.begin(), engines.end(), options.engine) == engines.end()) {
        std::string names;
        for (const auto& e : engines)
            names += (names.empty() ? "" : " or ") + e;
        throw Error(ErrorKind::InvalidInput,
            "the quantized engine '" + options.engine + "' is not one this LibTorch has; use " + names + ".", "engine",
            "must be " + names + ", not '" + options.engine + "'.");
    }
    if (options.mode != "dynamic" && options.mode != "static")
        throw Error(ErrorKind::InvalidInput, "int8 quantization is dynamic or static, not '" + options.mode + "'.",
            "mode", "must be dynamic or static.");
    if (options.mode == "static" && options.dtype != "int8")
        throw Error(ErrorKind::InvalidInput, "static quantization is int8 only.", "dtype",
            "must be int8 for static quantization.");
    if (options.mode == "static" && !hasData)
        throw Error(ErrorKind::InvalidInput,
            "static quantization calibrates its activations on a data set: give one to calibrate on.", "mode",
            "needs a data set (--data) to calibrate on.");
    if (options.calibrationSamples < 1 || options.calibrationSamples > 1000000)
        throw Error(ErrorKind::InvalidInput, "calibration takes from 1 to 1,000,000 samples.", "calibration",
            "must be a whole number from 1 to 1,000,000.");
    if (std::isnan(options.maxDrop))
        return;
    if (!(options.maxDrop >= 0 && options.maxDrop <= 100))
        throw Error(ErrorKind::InvalidInput, "the accuracy budget must be from 0 to 100 points, such as 0.5.",
            "max_drop", "must be from 0 to 100 points, such as 0.5.");
    if (!hasData)
        throw Error(ErrorKind::InvalidInput, "an accuracy budget needs a data set to measure the accuracy on.",
            "max_drop", "needs a data set (--data) to measure the accuracy on.");
}

std::vector<std::string> quantizedEngines()
{
    std::vector<std::string> engines;
    for (const auto engine : at::globalContext().supportedQEngines()) {
        if (engine == at::QEngine::ONEDNN)
            engines.push_back("onednn");
        else if (engine == at::QEngine::QNNPACK)
            engines.push_back("qnnpack");
    }
    return engines;
}

Optimized quantizeDynamic(
    const Model& model, const QuantizeOptions& options, const Dataset* data, const CancelToken* cancel)
{
    checkQuantizeOptions(options, data != nullptr);
    if (options.mode != "dynamic")
        throw Error(ErrorKind::InvalidInput, "quantizeDynamic takes the dynamic mode; static int8 is quantizeStatic.");
    ensureThreadsConfigured();
    if (options.dtype != "int8")
        return storeWeightsIn16Bits(model, options, data, cancel);
    const auto frozen = [&] {
        const ThreadLease threads(model.impl().workload);
        return frozenCopy(archivedModule(model.impl()), "quantized");
    }();
    auto layers = linearLayers(frozen);
    checkQuantizable(frozen, layers);
    std::set<std::string> chosen;
    for (const auto& layer : layers)
        chosen.insert(layer.layer);
    const QuantizedVariant variant = [&](const std::set<std::string>& layers, const std::string& engine) {
        return quantizedVariant(model, layers, engine);
    };
    const std::string engine = options.engine.empty() ? fasterEngine(variant, chosen, cancel) : options.engine;
    if (!std::isnan(options.maxDrop))
        chosen = layersWithinBudget(model, layers, variant, engine, options.maxDrop, *data, cancel);
    Optimized result { quantizedVariant(model, chosen, engine), {}, {}, 0, options.tolerance, "quantize", {},
        std::move(layers) };
    const auto sample = sampleBatch(model);
    result.difference = outputDifference(model.predict(sample), result.model.predict(sample));
    checkTolerance("quantized", result.difference, options.tolerance);
    result.settings = { { "dtype", "int8" }, { "mode", "dynamic" }, { "weights", "per-channel symmetric" },
        { "engine", engine }, { "engine_chosen", options.engine.empty() ? "measured" : "asked" },
        { "layers_quantized", chosen.size() }, { "layers_kept", result.layers.size() - chosen.size() } };
    if (!std::isnan(options.maxDrop))
        result.settings["max_drop"] = options.maxDrop;
    finishOptimization(model, result, data, cancel);
    return result;
}

} // namespace maas::engine
