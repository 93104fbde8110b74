// Unstructured magnitude pruning: the smallest weights of Linear and convolution layers become zero,
// in one shot or in steps with fine-tuning between them.
#include <algorithm>
#include <cmath>
#include <set>

#include "maas/engine/error.h"
#include "maas/engine/optimize.h"
#include "optimize_detail.h"
#include "torch_bridge.h"

namespace maas::engine {

namespace {

struct Prunable {
    std::string layer; ///< module path
    at::Tensor weight; ///< the parameter itself: zeroing it changes the model
};

// Parameters named `weight` with two or more axes, in modules that are not embeddings (a table of rows
// looked up by id, where a zero is a word forgotten rather than a connection dropped).
// A weight shared by two layers is pruned once; one an embedding owns (a language model's output layer tied
// to its input table) is not pruned at all.
std::vector<Prunable> prunableWeights(const torch::jit::Module& module)
{
    const auto isEmbedding = [](const torch::jit::Module& m) {
        return m.type()->name() && m.type()->name()->name().find("Embedding") != std::string::npos;
    };
    std::set<const void*> taken;
    for (const auto& child : module.named_modules())
        if (isEmbedding(child.value))
            for (const auto& p : child.value.named_parameters(false))
                taken.insert(p.value.data_ptr());
    std::vector<Prunable> found;
    for (const auto& child : module.named_modules()) {
        if (isEmbedding(child.value))
            continue;
        for (const auto& p : child.value.named_parameters(false))
            if (p.name == "weight" && p.value.dim() >= 2 && p.value.scalar_type() == at::kFloat
                && taken.insert(p.value.data_ptr()).second)
                found.push_back({ child.name.empty() ? std::string("(model)") : child.name, p.value });
    }
    return found;
}

// Where `sparsity` of `magnitudes` are smallest: exactly that many places, ties broken by position (weights
// on a grid, rounded from fp16 or trained for int8, tie often).
at::Tensor smallest(const at::Tensor& magnitudes, double sparsity)
{
    const auto k = static_cast<std::int64_t>(std::llround(sparsity * static_cast<double>(magnitudes.numel())));
    auto mask = at::zeros_like(magnitudes, at::kBool);
    if (k > 0)
        mask.index_fill_(0, std::get<1>(magnitudes.topk(k, 0, /*largest=*/false)), true);
    return mask;
}

// Sets the smallest weights to zero until `sparsity` of them (of all together, or of each layer) are.
void pruneTo(std::vector<Prunable>& weights, double sparsity, bool global)
{
    const torch::NoGradGuard noGrad;
    if (!global) {
        for (auto& w : weights)
            w.weight.masked_fill_(smallest(w.weight.detach().abs().flatten(), sparsity).view_as(w.weight), 0);
        return;
    }
    std::vector<at::Tensor> all;
    for (const auto& w : weights)
        all.push_back(w.weight.detach().abs().flatten());
    const auto mask = smallest(at::cat(all), sparsity);
    std::int64_t offset = 0;
    for (auto& w : weights) {
        w.weight.masked_fill_(mask.narrow(0, offset, w.weight.numel()).view_as(w.weight), 0);
        offset += w.weight.numel();
    }
}

} // namespace

void checkPruneOptions(const PruneOptions& options, bool hasTuneData)
{
    if (!(options.sparsity > 0 && options.sparsity < 1))
        throw Error(ErrorKind::InvalidInput, "the sparsity must be above 0 and below 1 (such as 0.8 for 80%).",
            "sparsity", "must be above 0% and below 100%, such as 80%.");
    if (options.steps < 1 || options.steps > 100)
        throw Error(ErrorKind::InvalidInput, "pruning takes from 1 to 100 steps.", "steps",
            "must be a whole number from 1 to 100.");
    if (options.fineTuneEpochs < 0 || options.fineTuneEpochs > kMaxEpochs)
        throw Error(ErrorKind::InvalidInput, "fine-tuning epochs must be 0 or more.", "epochs", "must be 0 or more.");
    if (options.fineTuneEpochs > 0 && !hasTuneData)
        throw Error(ErrorKind::InvalidInput, "fine-tuning after pruning needs a data set to train on.", "epochs",
            "needs a data set (--data) to fine-tune on.");
    if (options.fineTuneEpochs > 0) {
        auto training = options.training;
        training.epochs = options.fineTuneEpochs;
        checkTrainOptions(training);
    }
}

namespace {

std::vector<LayerReport> sparsityReport(const std::vector<Prunable>& weights)
{
    std::vector<LayerReport> layers;
    for (const auto& w : weights) {
        LayerReport r { w.layer, w.weight.sizes().vec(), "sparse" };
        r.sparsity
            = w.weight.eq(0).sum().item<double>() / static_cast<double>(std::max<std::int64_t>(1, w.weight.numel()));
        layers.push_back(std::move(r));
    }
    return layers;
}

} // namespace

namespace {

void fineTune(Model& pruned, const PruneOptions& options, Dataset& tuneData, const ProgressCallback& progress,
    const CancelToken* cancel)
{
    auto training = options.training;
    training.epochs = options.fineTuneEpochs;
    training.keepZeros = !options.structured; // a narrowed layer has no zeros to keep
    training.checkpoint.clear();
    training.resume = false;
    const auto run = train(pruned, tuneData, training, progress, cancel);
    if (run.cancelled)
        throw Error(ErrorKind::Cancelled, "pruning cancelled; nothing was written.");
}

void checkPrunable(const torch::jit::Module& module, bool structured)
{
    const auto weights = prunableWeights(module);
    if (weights.empty() && !structured)
        throw Error(ErrorKind::InvalidModel,
            "the model has no fp32 Linear or convolution weights as parameters to prune (a frozen or quantized "
            "model keeps them as constants): prune the fp32 model it was made from.");
    for (const auto& w : weights)
        if (!w.weight.isfinite().all().item<bool>())
            throw Error(ErrorKind::InvalidModel,
                "the layer " + w.layer
                    + " has NaN or infinite weights, which no pruning can rank; train or "
                      "export the model again.");
}

void checkNoLayerEmptied(const torch::jit::Module& module)
{
    for (const auto& w : prunableWeights(module))
        if (w.weight.eq(0).all().item<bool>())
            throw Error(ErrorKind::InvalidModel,
                "pruning to this sparsity sets every weight of the layer " + w.layer
                    + " to zero, and the model would give the same answer to every input; prune less, or the "
                      "same share in every layer.");
}

} // namespace

Optimized prune(const Model& model, const PruneOptions& options, Dataset* tuneData, const Dataset* evalData,
    const ProgressCallback& progress, const CancelToken* cancel)
{
    checkPruneOptions(options, tuneData != nullptr);
    ensureThreadsConfigured();
    Model pruned = cloneModel(model);
    pruned.impl().path.clear(); // a new model: its parent's file is not its own
    checkPrunable(pruned.impl().module, options.structured);
    std::map<std::string, std::int64_t> channels; // structured: each layer's before the first step
    std::vector<LayerReport> narrowed;
    bool anyNarrowed = false;
    for (int step = 1; step <= options.steps; ++step) {
        const double share = options.sparsity * step / options.steps;
        if (options.structured) {
            narrowed = narrowChannels(pruned.impl().module, share, channels, anyNarrowed);
        } else {
            auto weights = prunableWeights(pruned.impl().module);
            pruneTo(weights, share, options.global);
        }
        if (options.fineTuneEpochs > 0)
            fineTune(pruned, options, *tuneData, progress, cancel);
    }
    if (options.structured && !anyNarrowed)
        throw Error(
            ErrorKind::InvalidModel, "this sparsity is too small to remove a whole channel from any layer; raise it.");
    if (!options.structured)
        checkNoLayerEmptied(pruned.impl().module);
    Optimized result { pruned, {}, {}, 0, std::numeric_limits<double>::quiet_NaN(), "prune",
        { { "sparsity", options.sparsity },
            { "scope",
                options.structured   ? "channels"
                    : options.global ? "global"
                                     : "per layer" },
            { "steps", options.steps }, { "fine_tune_epochs", options.fineTuneEpochs } },
        options.structured ? narrowed : sparsityReport(prunableWeights(pruned.impl().module)) };
    const auto sample = sampleBatch(model);
    result.difference = outputDifference(model.predict(sample), pruned.predict(sample));
    finishOptimization(model, result, evalData, cancel);
    return result;
}

} // namespace maas::engine
