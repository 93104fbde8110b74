#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "maas/engine/card.h"
#include "maas/engine/tensor.h"

namespace maas::engine {

struct ParameterInfo {
    std::string name; ///< qualified: "layer1.0.conv1.weight"
    std::vector<std::int64_t> shape;
    std::string dtype; ///< "FP32", ...
    std::int64_t count = 0;
    bool trainable = true;
    double norm = 0.0; ///< L2 norm of the values: tells at a glance whether training or pruning changed them
};

/// One module in the model's tree. Parameters are the module's own; totalParameters includes children.
struct LayerInfo {
    std::string name; ///< qualified path, "" for the root
    std::string type; ///< class name, e.g. "torchvision.models.resnet.BasicBlock"
    int depth = 0;
    std::int64_t ownParameters = 0;
    std::int64_t totalParameters = 0;
    std::vector<ParameterInfo> parameters;
};

/// One input to make up for a measurement (compute, latency): its shape and, when not the card's, its
/// datatype. Numbers are zeros; integer inputs are ids the model can look up (see syntheticInputs).
struct InputShape {
    std::vector<std::int64_t> shape;
    std::optional<DataType> dtype; ///< empty: the card's datatype for this input (FP32 when the card has none)
};

/// Multiply-accumulate counts from running the model once on zeros of the given shapes.
struct ComputeEstimate {
    std::vector<std::vector<std::int64_t>> inputShapes;
    std::vector<DataType> inputTypes; ///< one per input shape
    std::int64_t macs = 0; ///< multiply-accumulates in convolutions and matrix products
    std::int64_t flops = 0; ///< 2 x macs, the usual convention
    std::map<std::string, std::int64_t> macsByOperator;
};

struct ModelReport {
    std::string path;
    std::string sha256;
    std::int64_t fileBytes = 0;
    std::int64_t memoryBytes = 0; ///< parameters and buffers, shared storage counted once
    std::int64_t totalParameters = 0;
    std::int64_t trainableParameters = 0;
    std::int64_t parameterTensors = 0;
    std::int64_t bufferCount = 0; ///< elements in buffers (batch-norm statistics, ...)
    std::map<std::string, std::int64_t> parametersByDtype;
    std::string forwardSignature; ///< "forward(x: Tensor) -> Tensor"
    std::vector<LayerInfo> layers; ///< pre-order: a parent comes before its children
    std::optional<ComputeEstimate> compute;
};

/// A TorchScript model and its card, immutable once loaded: nothing changes a Model or its copies (a new
/// card gives a new Model, and training hands back a new Model), so copies can be shared between threads
/// and predict on several threads at once. Cheap to copy (copies share the module).
class Model {
public:
    /// Loads a TorchScript archive (torch.jit.save of a scripted or traced module).
    /// Anything else gets an Error(InvalidModel) that says what the file is and how to export TorchScript.
    static Model load(const std::string& path);
    /// Loads a TorchScript archive held in memory (a file decrypted there); `name` stands for its path.
    static Model loadBytes(const std::string& bytes, const std::string& name);

    /// Writes the model with its card, atomically: a temporary file in the same folder, then rename.
    void save(const std::string& path) const;

    const ModelCard& card() const;
    /// This model with another card, as a new Model: this one and its other copies keep their card.
    Model withCard(ModelCard card) const;
    /// Where the model was loaded from ("" for a model built in memory).
    const std::string& path() const;

    /// Structure, sizes and, when inputShapes is given, compute estimated by a run on zeros.
    ModelReport inspect(const std::optional<std::vector<std::vector<std::int64_t>>>& inputShapes = {}) const;
    /// The same with compute counted on inputs of these shapes and datatypes (one per model input).
    ModelReport inspect(const std::vector<InputShape>& inputs) const;

    /// Runs forward on inputs validated against the card (count, datatype, rank, fixed axes).
    std::vector<Tensor> predict(const std::vector<Tensor>& inputs) const;

    /// Checks inputs against the card and throws Error(InvalidInput) naming the first mismatch.
    void validateInputs(const std::vector<Tensor>& inputs) const;

    struct Impl;
    /// For engine internals (benchmarks, training): the LibTorch side of the model. Engine code must not
    /// change it in place: copies share it (training changes a clone).
    Impl& impl() const { return *m_impl; }
    static Model fromImpl(std::shared_ptr<Impl> impl) { return Model(std::move(impl)); }

private:
    explicit Model(std::shared_ptr<Impl> impl);
    std::shared_ptr<Impl> m_impl;
};

/// How many outputs (classes) the model gives per sample with `card` as its card: the last size of its
/// first output when run once on one sample of the card's input shapes, or, when it cannot run on them,
/// the fixed last size of the card's first output; nothing when neither tells.
std::optional<std::int64_t> outputCount(const Model& model, const ModelCard& card);

/// Refuses (Error(InvalidCard), field "labels") a card whose labels are not one per output of the model,
/// as outputCount tells; a card without labels, or a model whose outputs cannot be told, passes.
void checkLabels(const Model& model, const ModelCard& card);

/// The sentence checkLabels would throw for the model's own (stored) card, as a warning: "" when the
/// labels fit or cannot be checked. Only the card's declared output shape is read: the model is not run
/// (this is said on every load, and a model's forward can be slow or never end).
std::string labelsWarning(const Model& model);

/// The report as JSON, for `maas inspect --json` and the endpoint's model metadata.
nlohmann::json reportToJson(const ModelReport& report);

/// The names of forward's arguments after self ("x", "ids"): what Triton's PyTorch backend calls inputs.
std::vector<std::string> forwardArgumentNames(const Model& model);

/// SHA-256 of a file, as lowercase hex.
std::string sha256File(const std::string& path);

} // namespace maas::engine
