// Engine-internal: the LibTorch side of the public plain-data types. Never included by app/ or widgets/.
#pragma once

#include <torch/script.h>

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "maas/engine/model.h"
#include "maas/engine/runtime.h"
#include "maas/engine/tensor.h"
#include "sizes.h"

namespace maas::engine {

/// What forward does with one input: whether it uses it as indices (token ids looked up in an embedding,
/// or positions for index_select, gather or tensor[ids]), and then the rows of the table it indexes (0:
/// unknown) and the shape such an input takes.
struct IndexUse {
    bool indices = false;
    std::int64_t rows = 0;
    std::vector<std::int64_t> shape;
};

struct Model::Impl {
    torch::jit::Module module;
    ModelCard card;
    std::string path;
    Workload workload = Workload::Convolution;
    /// One per forward input (none for models built in memory): read once from forward's graph at load.
    std::vector<IndexUse> inputUses;
    /// The quantized engine its packed weights are for ("onednn", "qnnpack"; empty for a float model):
    /// saved beside the card, and set while the model loads, since loading packs the weights again.
    std::string quantizedEngine;
    /// Where the model was converted to run ("cpu"; empty: nowhere in particular): saved beside the card.
    /// A model for the CPU target is rewritten in memory when it loads (LibTorch's optimize_for_inference:
    /// weights in oneDNN's layouts, which cannot be written to a file), and `archived` keeps what is saved.
    std::string target;
    /// "fp16" or "bf16" for a model whose weights are stored in 16 bits and cast to fp32 as it runs (empty:
    /// as they are): saved beside the card; the casts are folded into fp32 weights in memory at load.
    std::string storedAs;
    std::optional<torch::jit::Module> archived;
};

/// The module a save writes and optimizations start from: `archived` when the running one was rewritten
/// in memory, else `module`.
const torch::jit::Module& archivedModule(const Model::Impl& model);

/// For a model whose target is "cpu", runs LibTorch's optimize_for_inference on a copy of its module and
/// runs that, keeping the module as it was in `archived`; for one stored in 16 bits, folds the casts into
/// fp32 weights the same way. Nothing changes when the rewrite fails: the module runs as it is.
void prepareForTarget(Model::Impl& model);

/// Sets LibTorch's quantized engine (process-wide: weights are packed for it when quantized or loaded) for
/// as long as it lives, one scope at a time (so a load never sees another thread's engine). An empty or
/// unknown name leaves the engine as it is. Never nest two.
class QuantizedEngineScope {
public:
    explicit QuantizedEngineScope(const std::string& engine);
    ~QuantizedEngineScope();
    QuantizedEngineScope(const QuantizedEngineScope&) = delete;
    QuantizedEngineScope& operator=(const QuantizedEngineScope&) = delete;

private:
    std::unique_lock<std::mutex> m_lock;
    at::QEngine m_previous = at::QEngine::NoQEngine;
};

/// Loads a model and, besides its card, the extra files named in `extra` (values filled in; "" when absent).
Model loadWithExtras(const std::string& path, torch::jit::ExtraFilesMap& extra, const std::string* bytes = nullptr);
/// Every node of a graph and of the blocks inside its nodes (branches, loop bodies), a node's blocks first.
std::vector<torch::jit::Node*> allNodes(const std::shared_ptr<torch::jit::Graph>& graph);
/// For each node of an inlined graph, the path of the submodule whose code it came from ("layer1.0.conv1").
using Owners = std::unordered_map<const torch::jit::Node*, std::string>;
/// forward's graph as the inspector draws it: every call into a submodule or function inlined, so weights
/// are read from the root (GetAttr chains from the graph's first input), and the modules' plain settings
/// (flags, groups, ...) folded into constants; `owners`, when given, gets each node's module path. Throws
/// c10::Error when the module has no forward.
std::shared_ptr<torch::jit::Graph> inlinedForward(const torch::jit::Module& module, Owners* owners = nullptr);
/// The same for another method (a text model's forward_ids, which takes token ids instead of text). With
/// `intoBranches`, calls inside the branches of ifs are inlined too (the ONNX exporter follows a layer's
/// general path when its fast path is not taken); the inspector keeps those as calls.
std::shared_ptr<torch::jit::Graph> inlinedMethod(
    const torch::jit::Module& module, const std::string& method, Owners* owners = nullptr, bool intoBranches = false);
/// Calls `visit` on every tensor held by a constant of the module's forward graph (a tensor, or a list or
/// tuple of them): a frozen model keeps its weights there instead of in parameters.
void forEachConstantTensor(const torch::jit::Module& module, const std::function<void(const at::Tensor&)>& visit);

/// The extra files a model's archive holds: `extra` and the card, written as every save writes it.
torch::jit::ExtraFilesMap archiveExtras(const Model& model, torch::jit::ExtraFilesMap extra = {});
/// Saves a model atomically with its card and more extra files (checkpoints keep training state there).
void saveWithExtras(const Model& model, const std::string& path, torch::jit::ExtraFilesMap extra);

/// Convolution when the module has any convolution weight (3 to 5 axes), matrix products otherwise.
Workload workloadOf(const torch::jit::Module& module);

at::ScalarType toScalarType(DataType type);
DataType fromScalarType(at::ScalarType type);

/// Copies a plain tensor into a LibTorch tensor (numbers only).
at::Tensor toTorch(const Tensor& tensor);
/// Copies a LibTorch tensor (any layout, any quantization) into a plain tensor.
Tensor fromTorch(const at::Tensor& tensor);

/// Turns the model's inputs into the IValues forward takes (BYTES become List[str]).
std::vector<c10::IValue> toForwardArguments(const ModelCard& card, const std::vector<Tensor>& inputs);
/// Flattens forward's result (a tensor, a tuple or list of tensors, a dict of tensors) into tensors.
std::vector<Tensor> fromForwardResult(const c10::IValue& result);

/// How forward uses each of its inputs (self left out), following calls into submodules and functions.
std::vector<IndexUse> inputIndexUses(const torch::jit::Module& module);

/// The card the engine guesses for a module that has none (marked inferred); `uses` from inputIndexUses.
ModelCard inferCard(const torch::jit::Module& module, const std::string& path, const std::vector<IndexUse>& uses);

/// The one line of a LibTorch failure that says what went wrong: the first line of a c10::Error, or the
/// final "RuntimeError: ..." line of a TorchScript interpreter traceback.
std::string torchMessage(const std::exception& e);

/// Runs work that feeds a user's model and scores its outputs (training, evaluation): a failed allocation
/// becomes the out-of-memory sentence, and any other LibTorch failure (the outputs do not fit a classifier,
/// an operator refuses) Error(InvalidModel) with `what`, LibTorch's one line, and what a classifier must give.
template <typename F> auto guardModelRun(const std::string& what, F&& work) -> decltype(work())
{
    try {
        return guardMemory(what, std::forward<F>(work));
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        throw Error(ErrorKind::InvalidModel,
            what + " failed: the model's outputs do not fit (" + torchMessage(e)
                + "); a classifier must give one row of class scores per sample.");
    }
}

/// Makes sure the thread setting is applied before any LibTorch work.
void ensureThreadsConfigured();

/// Held by every engine call that runs LibTorch work (predict, evaluate, train, inspect) for as long as it
/// runs. The pools get the policy's split for `workload` only when no other lease is held, so calls running
/// at the same time never re-split the pools under each other (see runtime.cpp). Never waits.
class ThreadLease {
public:
    explicit ThreadLease(Workload workload);
    ~ThreadLease();
    ThreadLease(const ThreadLease&) = delete;
    ThreadLease& operator=(const ThreadLease&) = delete;
};

/// The SHA-256 a model made from `model` names as its parent: its file's, or for a model never saved (built
/// or trained in memory), the parent it names itself.
std::string parentSha256(const Model::Impl& model);

/// Records on `card` that `operation` ("train", "quantize", "prune", ...) made it from the parent with
/// `parentSha256`, with the operation's parameters.
void stampLineage(
    ModelCard& card, const std::string& operation, const std::string& parentSha256, nlohmann::json parameters);

/// Multiply-accumulates of one operator call, from its input shapes (0 for an operator that does none).
/// Only leaf operators are counted (aten::_convolution, not conv2d above it; mm/addmm/bmm, not linear or
/// matmul that call them), so nothing is counted twice.
std::int64_t macsOf(const std::string& op, c10::ArrayRef<const c10::IValue> inputs);

/// A model with its own copy of the module (parameters, buffers and attributes cloned), card and path:
/// changing it, by training for one, cannot change `model` or its other copies.
Model cloneModel(const Model& model);

} // namespace maas::engine
