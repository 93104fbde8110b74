#include "maas/engine/optimize.h"

#include <torch/csrc/jit/api/module.h>
#include <torch/csrc/jit/passes/constant_propagation.h>
#include <torch/csrc/jit/passes/xnnpack_rewrite.h>
#include <torch/csrc/jit/runtime/graph_executor.h>

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>
#include <tuple>
#include <unordered_map>

#include <zlib.h>

#include "files.h"
#include "maas/engine/benchmark.h"
#include "maas/engine/error.h"
#include "maas/engine/limits.h"
#include "maas/engine/progress.h"
#include "maas/engine/training.h"
#include "optimize_detail.h"
#include "torch_bridge.h"

namespace maas::engine {

namespace {

// Elements in parameters, buffers and the forward graph's constants, each storage once (freezing moves
// weights from parameters into constants, and a count of parameters alone would call that a shrink), and
// how many of them are not zero.
std::pair<std::int64_t, std::int64_t> countWeights(const torch::jit::Module& module)
{
    std::map<const void*, std::pair<std::int64_t, std::int64_t>> seen;
    const auto add = [&](const at::Tensor& t) {
        if (!t.has_storage() || t.numel() <= seen[t.storage().data()].first)
            return;
        const auto values = t.is_quantized() ? t.int_repr() : t;
        seen[t.storage().data()] = { t.numel(), values.ne(0).sum().item<std::int64_t>() };
    };
    for (const auto& p : module.parameters())
        add(p);
    for (const auto& b : module.buffers())
        add(b);
    forEachConstantTensor(module, add);
    std::pair<std::int64_t, std::int64_t> n { 0, 0 };
    for (const auto& [storage, counts] : seen)
        n.first += counts.first, n.second += counts.second;
    return n;
}

// Bytes of `data` once gzip-compressed (zlib's default level), counted as they stream out.
std::int64_t gzipSize(const std::string& data)
{
    z_stream z {};
    if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return 0;
    std::vector<unsigned char> chunk(1 << 16);
    std::int64_t total = 0;
    std::size_t offset = 0;
    int status = Z_OK;
    while (status != Z_STREAM_END) {
        const std::size_t take = std::min<std::size_t>(data.size() - offset, 1u << 30);
        z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + offset));
        z.avail_in = static_cast<uInt>(take);
        offset += take;
        const int flush = offset == data.size() ? Z_FINISH : Z_NO_FLUSH;
        do {
            z.next_out = chunk.data();
            z.avail_out = static_cast<uInt>(chunk.size());
            status = deflate(&z, flush);
            total += static_cast<std::int64_t>(chunk.size() - z.avail_out);
        } while (z.avail_out == 0 || (flush == Z_FINISH && status == Z_OK));
    }
    deflateEnd(&z);
    return total;
}

// The model as it would be written, card included.
std::string writtenBytes(const Model& model)
{
    std::ostringstream bytes;
    archivedModule(model.impl()).save(bytes, archiveExtras(model));
    return std::move(bytes).str();
}

} // namespace

std::vector<Tensor> sampleBatch(const Model& model)
{
    auto inputs = syntheticInputs(model, 4);
    auto generator = at::make_generator<at::CPUGeneratorImpl>(20261129);
    for (auto& input : inputs) {
        if (input.dtype != DataType::Float32 && input.dtype != DataType::Float64)
            continue;
        const auto values = at::randn(input.shape, generator, at::TensorOptions().dtype(toScalarType(input.dtype)));
        input = fromTorch(values);
    }
    return inputs;
}

double outputDifference(const std::vector<Tensor>& before, const std::vector<Tensor>& after)
{
    if (before.size() != after.size())
        return std::numeric_limits<double>::infinity();
    double difference = 0, scale = 1;
    for (std::size_t i = 0; i < before.size(); ++i) {
        const auto a = toTorch(before[i]).to(at::kDouble), b = toTorch(after[i]).to(at::kDouble);
        if (a.sizes() != b.sizes())
            return std::numeric_limits<double>::infinity();
        if (a.numel() == 0)
            continue;
        difference = std::max(difference, (a - b).abs().max().item<double>());
        scale = std::max(scale, a.abs().max().item<double>());
    }
    return difference / scale;
}

const torch::jit::Module& archivedModule(const Model::Impl& model)
{
    return model.archived ? *model.archived : model.module;
}

void prepareForTarget(Model::Impl& model)
{
    if ((model.target != "cpu" && model.storedAs.empty()) || model.archived)
        return;
    try {
        std::stringstream archive;
        model.module.save(archive);
        auto copy = torch::jit::load(archive);
        if (!model.storedAs.empty()) // the weights' casts to fp32, done once here instead of on every call
            for (const auto& method : copy.get_methods()) {
                auto graph = torch::jit::toGraphFunction(method.function()).graph();
                torch::jit::ConstantPropagation(graph);
            }
        if (model.target == "cpu") {
            std::vector<std::string> others;
            if (copy.find_method("forward_ids"))
                others.push_back("forward_ids");
            const torch::jit::GraphOptimizerEnabledGuard optimizing(true);
            copy = torch::jit::optimize_for_inference(copy, others);
        }
        model.archived = model.module;
        model.module = std::move(copy);
    } catch (const std::exception&) {
        // The frozen module runs as it is: slower on oneDNN's convolutions, with the same answers.
    }
}

torch::jit::Module frozenCopy(const torch::jit::Module& original, const std::string& why)
{
    // A copy through the archive format: freezing rewrites the class types, and a clone would share them
    // with the original, which must keep running as it was.
    std::stringstream archive;
    original.save(archive);
    auto module = torch::jit::load(archive);
    module.eval();
    std::vector<std::string> others;
    // A text model's other entry points stay: forward_ids, and tokenize, which evaluation calls to batch
    // its texts (a frozen text model without it cannot be measured on data).
    for (const char* method : { "forward_ids", "tokenize" })
        if (module.find_method(method))
            others.push_back(method);
    // The passes inline calls only with graph optimization on, which the engine turns off for running
    // models (runtime.cpp); it is on for the conversion alone.
    const torch::jit::GraphOptimizerEnabledGuard optimizing(true);
    try {
        return torch::jit::freeze(module, others);
    } catch (const std::exception& e) {
        throw Error(ErrorKind::InvalidModel,
            "the model cannot be " + why + " (" + torchMessage(e) + "); it stays as it is, and runs as TorchScript.");
    }
}

void checkTolerance(const std::string& what, double difference, double tolerance)
{
    if (difference <= tolerance)
        return;
    std::ostringstream why;
    why << "the " << what << " model's outputs differ from the original's by " << difference
        << " on a sample batch, more than the tolerance of " << tolerance
        << "; nothing was written (allow more, or keep the original).";
    throw Error(ErrorKind::InvalidModel, why.str());
}

void checkToleranceOption(double tolerance, const std::string& example)
{
    if (!(tolerance > 0 && tolerance < 1))
        throw Error(ErrorKind::InvalidInput, "the tolerance must be above 0 and below 1, such as " + example + ".",
            "tolerance", "must be above 0 and below 1, such as " + example + ".");
}

void checkConversionOptions(const ConversionOptions& options) { checkToleranceOption(options.tolerance, "0.0001"); }

Model withModule(const Model& parent, torch::jit::Module module, const std::string& quantizedEngine,
    const std::string& target, const std::string& storedAs)
{
    auto impl = std::make_shared<Model::Impl>(parent.impl());
    impl->module = std::move(module);
    impl->path.clear();
    impl->quantizedEngine = quantizedEngine;
    impl->target = target;
    impl->storedAs = storedAs;
    impl->archived.reset();
    impl->workload = workloadOf(impl->module);
    prepareForTarget(*impl);
    return Model::fromImpl(impl);
}

std::optional<Target> targetFromString(const std::string& name)
{
    if (name == "cpu")
        return Target::Cpu;
    if (name == "mobile")
        return Target::Mobile;
    return std::nullopt;
}

std::string toString(Target target) { return target == Target::Mobile ? "mobile" : "cpu"; }

void saveForLiteInterpreter(const Model& model, const std::string& path)
{
    if (model.impl().target != "mobile")
        throw Error(ErrorKind::InvalidModel,
            "only a model converted for the mobile target is written for the lite interpreter; convert it for "
            "mobile first.");
    const auto extra = archiveExtras(model);
    const std::unordered_map<std::string, std::string> files(extra.begin(), extra.end());
    writeAtomically(path, [&](const std::string& tmp) {
        try {
            archivedModule(model.impl())._save_for_mobile(tmp, files);
        } catch (const c10::Error& e) {
            throw Error(ErrorKind::InvalidModel,
                "the model cannot be written for the lite interpreter (" + torchMessage(e) + ").");
        }
    });
}

namespace {

// The file's size as written and gzip-compressed: a model read from a file, unless `asWritten`, is
// measured as that file (which another program may have laid out otherwise), one made by an optimization
// as it will be written (it may still name the file its parent came from).
void measureFile(const Model& model, VariantFacts& facts, bool asWritten = false)
{
    const auto& path = model.impl().path;
    const auto bytes
        = path.empty() || asWritten ? writtenBytes(model) : readFileWithin(path, "model", dataBytesLimit());
    facts.fileBytes = static_cast<std::int64_t>(bytes.size());
    facts.gzipBytes = gzipSize(bytes);
}

// Everything but the file: weights, latency and, with data, accuracy.
VariantFacts measureRunning(const Model& model, const Dataset* data, const CancelToken* cancel)
{
    VariantFacts facts;
    std::tie(facts.parameters, facts.nonzero) = countWeights(archivedModule(model.impl()));
    facts.latencyBatch1Ms = measureLatency(model, 1, 20, 3, cancel).p50;
    facts.latencyBatch16Ms = measureLatency(model, 16, 8, 2, cancel).p50;
    if (data)
        facts.accuracy = evaluate(model, *data, 1, {}, cancel).accuracy;
    return facts;
}

} // namespace

VariantFacts measureVariant(const Model& model, const Dataset* data, const CancelToken* cancel)
{
    auto facts = measureRunning(model, data, cancel);
    measureFile(model, facts);
    return facts;
}

namespace {

// optimize_for_mobile on a copy of `original`. The pass inlines submodule calls through the graph executor,
// which the engine's threads run unoptimized (runtime.cpp): optimization is on for this thread while it runs.
// (Its weights then live in XNNPACK's packed contexts, which the weight count cannot open: it reads 0.)
torch::jit::Module mobileCopy(const torch::jit::Module& original)
{
    const torch::jit::GraphOptimizerEnabledGuard optimizing(true); // back as it was however this ends
    try {
        return torch::jit::optimizeForMobile(original); // on a clone of its own, in eval mode
    } catch (const std::bad_alloc&) {
        throw;
    } catch (const std::exception& e) {
        throw Error(ErrorKind::InvalidModel,
            "LibTorch cannot convert this model for mobile (" + torchMessage(e) + "); it stays as it is.");
    }
}

} // namespace

namespace {

// The model converted for `target` (see convertForTarget), its outputs on the sample batch checked against
// the model as it is; `difference` gets how far they are.
Model convertedAndChecked(const Model& model, Target target, double tolerance, double& difference)
{
    ensureThreadsConfigured();
    torch::jit::Module converted;
    {
        const ThreadLease threads(model.impl().workload);
        // For the CPU what is written is frozen; optimize_for_inference's further step, weights in oneDNN's
        // layouts, cannot be written to a file (torch.jit.load fails on it), so it is made in memory from the
        // frozen module here and again whenever the model loads (prepareForTarget). XNNPACK's prepacked
        // weights for a phone can be written: the file holds them.
        converted = target == Target::Mobile ? mobileCopy(archivedModule(model.impl()))
                                             : frozenCopy(archivedModule(model.impl()), "converted for cpu");
    }
    auto result = withModule(model, std::move(converted), {}, toString(target));
    const auto sample = sampleBatch(model);
    difference = outputDifference(model.predict(sample), result.predict(sample));
    checkTolerance("converted", difference, tolerance);
    return result;
}

} // namespace

Optimized convertForTarget(
    const Model& model, const ConversionOptions& options, const Dataset* data, const CancelToken* cancel)
{
    checkConversionOptions(options);
    if (!model.impl().quantizedEngine.empty())
        throw Error(ErrorKind::InvalidModel,
            "the model is quantized, and quantizing froze it already: it runs as it is, with nothing left to "
            "convert.");
    double difference = 0;
    auto converted = convertedAndChecked(model, options.target, options.tolerance, difference);
    Optimized result { std::move(converted), {}, {}, difference, options.tolerance, "optimize",
        { { "target", toString(options.target) } }, {} };
    finishOptimization(model, result, data, cancel);
    return result;
}

Model convertedForServing(const Model& model, double tolerance, double* difference)
{
    double measured = 0;
    auto served = model.impl().quantizedEngine.empty() && model.impl().target.empty()
        ? convertedAndChecked(model, Target::Cpu, tolerance, measured)
        : model;
    if (difference)
        *difference = measured;
    return served;
}

void finishOptimization(
    const Model& parent, Optimized& result, const Dataset* data, const CancelToken* cancel, bool ownCard)
{
    result.before = measureVariant(parent, data, cancel);
    result.after = measureRunning(result.model, data, cancel); // the file once its card holds the numbers
    auto parameters = result.settings;
    if (!std::isnan(result.tolerance))
        parameters["tolerance"] = result.tolerance;
    if (!std::isnan(result.difference))
        parameters["difference"] = result.difference;
    parameters["before"] = toJson(result.before);
    parameters["after"] = toJson(result.after);
    // The file's own size cannot be inside it; the result's facts (and --json) have it.
    parameters["after"].erase("file_bytes");
    parameters["after"].erase("gzip_bytes");
    // A frozen model's weights lose their names in the file: the card keeps them, for comparing variants.
    if (!result.layers.empty())
        parameters["layers"] = toJson(result.layers);
    auto card = ownCard ? result.model.card() : parent.card();
    stampLineage(card, result.operation, parentSha256(parent.impl()), std::move(parameters));
    result.model = result.model.withCard(std::move(card));
    measureFile(result.model, result.after, true);
}

nlohmann::json toJson(const VariantFacts& f)
{
    nlohmann::json j { { "file_bytes", f.fileBytes }, { "gzip_bytes", f.gzipBytes }, { "parameters", f.parameters },
        { "nonzero_parameters", f.nonzero }, { "latency_batch1_ms", f.latencyBatch1Ms },
        { "latency_batch16_ms", f.latencyBatch16Ms } };
    j["accuracy"] = std::isnan(f.accuracy) ? nlohmann::json() : nlohmann::json(f.accuracy);
    return j;
}

nlohmann::json toJson(const std::vector<LayerReport>& layers)
{
    auto out = nlohmann::json::array();
    for (const auto& l : layers) {
        nlohmann::json layer { { "layer", l.layer }, { "shape", l.shape }, { "form", l.form } };
        layer["accuracy_drop"] = std::isnan(l.accuracyDrop) ? nlohmann::json() : nlohmann::json(l.accuracyDrop);
        layer["sparsity"] = std::isnan(l.sparsity) ? nlohmann::json() : nlohmann::json(l.sparsity);
        if (l.channelsBefore > 0)
            layer["channels_before"] = l.channelsBefore;
        if (!l.keptBecause.empty())
            layer["kept_because"] = l.keptBecause;
        out.push_back(std::move(layer));
    }
    return out;
}

nlohmann::json toJson(const Optimized& o)
{
    return { { "operation", o.operation }, { "settings", o.settings }, { "before", toJson(o.before) },
        { "after", toJson(o.after) }, { "difference", o.difference }, { "tolerance", o.tolerance },
        { "layers", toJson(o.layers) }, { "card", o.model.card().toJson() },
        { "baseline_accuracy",
            std::isnan(o.baselineAccuracy) ? nlohmann::json() : nlohmann::json(o.baselineAccuracy) } };
}

} // namespace maas::engine
