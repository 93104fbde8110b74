#pragma once

// The endpoint's engine side: Triton's model configuration, the open inference protocol's codec, and the
// model repository with its served models, dynamic batchers and statistics. No sockets here: app/serve is
// the HTTP front over these classes.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "maas/engine/tensor.h"

namespace maas::engine {

class Model;

/// Triton's name for a datatype in a model configuration ("TYPE_FP32", "TYPE_STRING").
std::string tritonTypeName(DataType type);
std::optional<DataType> parseTritonType(const std::string& name);

/// One input or output in a model configuration. With max_batch_size > 0, dims leave out the batch axis.
struct ServingTensor {
    std::string name;
    DataType dtype = DataType::Float32;
    std::vector<std::int64_t> dims; ///< -1 for an axis of any size
    /// Triton's reshape: the shape the model gets (inputs) or gives (outputs) without the batch axis, when
    /// it differs from dims (a list of strings is dims [1], reshape []).
    std::optional<std::vector<std::int64_t>> reshape;
    std::string labelFilename; ///< outputs: a file in the model's folder with one class label per line
};

/// Triton's dynamic_batching: requests waiting in a model's queue are run together as one batch.
struct DynamicBatching {
    std::vector<std::int64_t> preferredBatchSizes;
    std::int64_t maxQueueDelayMicroseconds = 0;
};

/// Which versions of a model are served: the latest N (Triton's default: the latest one), all, or these.
struct VersionPolicy {
    enum class Kind { Latest, All, Specific } kind = Kind::Latest;
    int latest = 1;
    std::vector<std::int64_t> versions;
};

/// Triton's platform for ONNX files (its onnxruntime backend): configs for it are read and written here.
inline constexpr const char* kOnnxPlatform = "onnxruntime_onnx";

/// Triton's ModelConfig, the part this endpoint reads and writes, with Triton's field names in both of its
/// forms: JSON (the repository API's `config`) and protobuf text (`config.pbtxt` on disk).
struct ModelConfig {
    std::string name;
    std::string platform = "pytorch_libtorch"; ///< or kOnnxPlatform, which maas-serve reads but does not serve
    std::int64_t maxBatchSize = 0; ///< 0: the model takes no batch axis (dims are the whole shape)
    std::vector<ServingTensor> inputs;
    std::vector<ServingTensor> outputs;
    std::optional<DynamicBatching> dynamicBatching;
    int instanceCount = 1; ///< instance_group's count: requests of this model run on this many at once
    VersionPolicy versionPolicy;
    /// parameters: { key: { string_value } }. This endpoint reads "maas.optimize" ("false": serve the model
    /// as it is, not converted for the CPU).
    std::map<std::string, std::string> parameters;

    nlohmann::json toJson() const;
    /// Throws Error(InvalidInput) naming the field that is wrong; `where` says where the config came from.
    static ModelConfig fromJson(const nlohmann::json& json, const std::string& where);
    std::string toPbtxt() const;
    /// Protobuf text format as Triton writes and reads config.pbtxt.
    static ModelConfig fromPbtxt(const std::string& text, const std::string& where);
};

/// A configuration for serving `model` as `name`, from its card: platform pytorch_libtorch, inputs named
/// after forward's arguments, outputs OUTPUT__0.., the batch axis from the card's dynamic first axis (max
/// batch size `maxBatchSize`, dynamic batching on), and label_filename when the card has labels.
ModelConfig configFromCard(const Model& model, const std::string& name, std::int64_t maxBatchSize = 64);

/// Checks a config against the model it serves (inputs and outputs by count and datatype); throws
/// Error(InvalidInput) naming the first that does not fit.
void checkConfigAgainst(const ModelConfig& config, const Model& model);

// ---- the protocol codec ------------------------------------------------------------------------------

struct InferInput {
    std::string name;
    Tensor tensor;
};

struct RequestedOutput {
    std::string name;
    bool binary = false; ///< Triton's binary tensor data extension
    int classification = 0; ///< Triton's classification extension: the top k as "value:index:label"
};

struct InferRequest {
    std::string id;
    std::vector<InferInput> inputs;
    std::vector<RequestedOutput> outputs; ///< empty: every output, as JSON (or binary when asked)
    bool binaryOutputs = false; ///< parameters.binary_data_output
};

/// The most elements one request's tensors may hold (also the JSON body's values), 2^26.
constexpr std::int64_t kMaxRequestElements = std::int64_t { 1 } << 26;

/// Parses a POST .../infer body. `headerLength` is the Inference-Header-Content-Length header: the JSON
/// is that many bytes at the start and binary tensor data follows. Throws Error(InvalidInput) with one
/// sentence naming what is wrong (bad JSON, a datatype or shape that does not fit its data, ...).
InferRequest parseInferRequest(std::string_view body, std::optional<std::size_t> headerLength);

/// An infer request's or response's body: JSON, then binary tensor data when headerLength is set.
struct InferBody {
    std::string body;
    std::optional<std::size_t> headerLength; ///< set when binary data follows the JSON
};
using InferResponse = InferBody;

// The client's side: the same format read and written the other way round.

/// A POST .../infer body for `inputs`, asking for `outputs` (all of them when empty). With `binary`, the
/// inputs travel as Triton's binary tensor data, and the outputs come back that way too.
InferBody encodeInferRequest(
    const std::vector<InferInput>& inputs, const std::vector<RequestedOutput>& outputs, bool binary);

/// What an infer response holds: the model that answered and its outputs as tensors.
struct InferReply {
    std::string modelName;
    std::string modelVersion;
    std::vector<InferInput> outputs;
};
/// Reads an infer response (JSON or binary tensor data); throws Error(InvalidInput) with one sentence when
/// it is not one.
InferReply parseInferResponse(std::string_view body, std::optional<std::size_t> headerLength);

// ---- the repository ----------------------------------------------------------------------------------

/// Readiness of one version of a model, with Triton's state names.
struct IndexEntry {
    std::string name;
    std::string version;
    std::string state; ///< "READY", "UNAVAILABLE", "LOADING"
    std::string reason;
    std::int64_t bytes = 0; ///< a served version's model file, the measure of the memory it holds
};

/// Files handed over with a load request: "1/model.pt" and its bytes.
using FileOverrides = std::map<std::string, std::string>;

/// Triton's repository load request: {"parameters": {"config": "<ModelConfig as JSON>", "file:1/model.pt":
/// "<base64>"}}, and this endpoint's "upload:1/model.pt": "<id of a committed upload>". An empty body loads
/// the model from its folder. Throws Error(InvalidInput) for bad JSON, bad base64 or an unknown parameter.
struct LoadRequest {
    std::optional<std::string> config;
    FileOverrides files;
    std::map<std::string, std::string> uploads; ///< "1/model.pt" -> upload id
    std::string owner; ///< who asks: an upload it names must have been started by the same owner
};
LoadRequest parseLoadRequest(std::string_view body);

/// The model repository (Triton's layout: <root>/<model>/config.pbtxt, <root>/<model>/<version>/model.pt,
/// labels beside the config) and the models it serves. Thread-safe: every call may come from any thread.
/// Publishing is atomic: a model's new folder is made beside the repository's models (hidden), loaded,
/// warmed up, then swapped in with one rename; the old version answers until then, and a process killed
/// at any moment leaves a repository that loads.
class Repository {
public:
    struct Options {
        std::string root;
        /// Asked before a model that loads is swapped in, with its name and the bytes its served versions'
        /// model files take; it throws an Error to refuse (a tenant's memory cap), and nothing changes.
        std::function<void(const std::string& name, std::int64_t bytes)> admit;
        /// Model files stored sealed (encrypted at rest), each named "<model>/<version>/model.pt"
        /// (modelFileName): `open` gives a stored file's model bytes, throwing an Error with a sentence when
        /// it cannot (changed on disk, another key, not sealed); `seal` turns a model's bytes into what is
        /// stored. Neither: plain files, as Triton reads them.
        std::function<std::string(const std::string& name, const std::string& stored)> open;
        std::function<std::string(const std::string& name, const std::string& plain)> seal;
    };
    explicit Repository(Options options);
    ~Repository();
    Repository(const Repository&) = delete;
    Repository& operator=(const Repository&) = delete;

    /// Loads every model in the repository; a model that fails is listed UNAVAILABLE with its reason.
    void loadAll();
    /// Every model folder and served version, sorted; `readyOnly` leaves out what is not ready.
    std::vector<IndexEntry> index(bool readyOnly = false) const;
    /// (Re)loads a model: from its folder, or, with a config, files or uploads, publishes them first. Throws
    /// Error (InvalidInput for a bad name, config or file, InvalidModel for a model that will not load).
    void load(const std::string& name, const LoadRequest& request = {});
    /// Stops serving a model; its files stay. Error(NotFound) when it is not loaded.
    void unload(const std::string& name);

    /// True when the model (a version of it, or its served latest) is ready.
    bool ready(const std::string& name, const std::string& version = {}) const;
    nlohmann::json metadata(const std::string& name, const std::string& version = {}) const;
    /// The config in effect; for a model that is not ready, the one in its folder.
    nlohmann::json config(const std::string& name, const std::string& version = {}) const;
    /// Triton's statistics: every served model when name is empty.
    nlohmann::json statistics(const std::string& name = {}, const std::string& version = {}) const;
    /// Prometheus text exposition: requests, failures, latency and queue-time histograms, batch sizes.
    std::string metrics() const;

    /// Runs one infer request (queued for the model's dynamic batcher). Throws Error: NotFound for an
    /// unknown model or version, Unavailable when it is not ready, InvalidInput for a request that does not
    /// fit the model or that the model refuses.
    InferResponse infer(const std::string& name, const std::string& version, std::string_view body,
        std::optional<std::size_t> headerLength);

    // Resumable raw upload, for model files too large for a load request's base64. An upload belongs to
    // the owner that started it: to anyone else its id answers as one that does not exist.
    /// Starts an upload; returns its id.
    std::string startUpload(const std::string& owner);
    /// Appends a chunk at `offset`, which must be the bytes received so far (Error(Conflict) otherwise,
    /// saying the offset to resume from). Returns the new size.
    std::int64_t appendUpload(
        const std::string& owner, const std::string& id, std::int64_t offset, std::string_view chunk);
    /// Bytes received so far; Error(NotFound) for an unknown id, or another owner's.
    std::int64_t uploadOffset(const std::string& owner, const std::string& id) const;
    /// Checks the upload's SHA-256 and keeps it for a load request ("upload:<version>/model.pt": id).
    void commitUpload(const std::string& owner, const std::string& id, const std::string& sha256);
    /// Drops an upload that will not be loaded (a publish that failed or was cancelled); Error(NotFound)
    /// for an unknown id, or another owner's.
    void cancelUpload(const std::string& owner, const std::string& id);
    /// Stops serving and waits for queued requests to finish (SIGTERM's drain).
    void drain();
    /// True once drain() has begun: the server is no longer ready.
    bool draining() const;

    struct Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

/// Names in a namespace: "NAMESPACE~MODEL" (a server's tenants). The folder of that name holds the model.
constexpr char kNamespaceSeparator = '~';

/// Whether `name` may name a model: letters, digits, '-', '_' and '.', not starting with '.', at most 128;
/// or such a name in a namespace of the same letters (at most 64): "NAMESPACE~MODEL".
bool validModelName(const std::string& name);

/// The model's name without its namespace, as answers show it.
std::string plainModelName(const std::string& name);

/// A model file's name in the repository: "<model>/<version>/model.pt".
std::string modelFileName(const std::string& model, const std::string& version);

} // namespace maas::engine
