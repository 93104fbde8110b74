#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

#include <nlohmann/json.hpp>

#include "maas/app/library.h"
#include "maas/app/remote.h"
#include "maas/engine/onnx.h"
#include "maas/engine/progress.h"

namespace maas::app {

struct PublishOptions {
    QString name; ///< the name on the endpoint; empty: the card's name (or the file's)
    std::optional<qint64> version; ///< empty: the next one
    bool newVersion = false; ///< publish even when the served version is this very file
    /// The Triton config to send, as edited by the user; empty: made from the card (publishConfig).
    std::optional<nlohmann::json> config;
    std::int64_t maxBatchSize = 64;
    /// base64 in the load request even when the server takes the resumable upload (to measure both).
    bool forceBase64 = false;
    bool verify = true;
    /// Publish the ONNX form (exported as exportOnnxFile does) with a config for Triton's onnxruntime backend
    /// (platform onnxruntime_onnx), instead of the TorchScript file; verification still compares with
    /// LibTorch here.
    std::optional<maas::engine::OnnxExportOptions> onnx;
};

/// One verification sample, locally and remotely.
struct VerifiedSample {
    QString sample;
    QString local; ///< the top class and probability ("Sneaker 0.97"), or the first values
    QString remote;
    double maxDifference = 0;
};

struct PublishResult {
    QString endpoint;
    QString name;
    qint64 version = 0;
    QString sha256;
    bool unchanged = false; ///< that file already served as this version: nothing was sent
    QString method; ///< "upload" (resumable) or "load" (base64)
    qint64 bytes = 0;
    double uploadSeconds = 0;
    nlohmann::json config; ///< the configuration in effect on the endpoint
    // verification
    bool verified = false;
    bool passed = false;
    double tolerance = 0;
    double maxDifference = 0;
    double localMs = 0; ///< one batch of the samples, locally
    double remoteMs = 0; ///< the same batch's round trip
    QList<VerifiedSample> samples;
    /// After a failed verification the version that served before is served again (its number), or,
    /// when there was none, the model is unloaded (0); -1: nothing was restored.
    qint64 restored = -1;
};

/// A Triton config as a user edited it: a JSON object (nested at most as deep as the engine reads), or
/// nothing.
std::optional<nlohmann::json> parseConfigText(const QString& text);

/// Why `name` cannot name a model on an endpoint (one sentence), or empty when it can.
QString modelNameProblem(const QString& name);

/// `text` (a library name such as "Fashion CNN (int8)") in the letters a model name on an endpoint may
/// use: "Fashion-CNN-int8". The name publishing and Try it use for a model from the library.
QString modelNameFor(const QString& text);

/// The Triton configuration for publishing a model as `name`: platform pytorch_libtorch, inputs and
/// outputs, max batch size and dynamic batching, labels, from its card; plus this project's parameters:
/// "maas.card" (inputs, outputs and preprocessing, so a remote try-it prepares inputs as the card says).
/// With `onnx`, the config for the ONNX form (see PublishOptions::onnx), read from the exported file.
nlohmann::json publishConfig(const QString& modelPath, const QString& name, std::int64_t maxBatchSize = 64,
    const std::optional<maas::engine::OnnxExportOptions>& onnx = std::nullopt);

/// Publishes a model: checks what the server can take (its repository extension; the resumable upload,
/// else base64 within its body limit), sends the file and the config, waits for ready, reads back the
/// config in effect and, with options.verify, runs the same samples locally and remotely and compares
/// them within a tolerance; when they do not agree, what served before serves again (`restored`).
/// Idempotent: a version with the same file (SHA-256) and config is served again rather than sent, unless
/// options.newVersion; a version is never replaced by another file. Never leaves a half-published model:
/// the server swaps a model in whole. Throws maas::engine::Error with one sentence.
PublishResult publish(RemoteClient& client, const QString& modelPath, const PublishOptions& options,
    const maas::engine::ProgressCallback& progress = {});

/// Writes a Triton model repository folder for a model: DIR/NAME/config.pbtxt, DIR/NAME/1/model.pt and
/// its labels; with a `storageUri`, also DIR/NAME.kserve.yaml, a KServe InferenceService (Triton runtime,
/// protocol v2) that serves it from there. With `onnx`, the model goes in as 1/model.onnx (exported as
/// exportOnnxFile does) with a config for Triton's onnxruntime backend (platform onnxruntime_onnx), its
/// tensors named and shaped as the ONNX file's. Refuses a DIR/NAME that exists. Returns the folder.
QString exportTriton(const QString& modelPath, const QString& directory, const QString& name,
    const QString& storageUri = {}, std::int64_t maxBatchSize = 64,
    std::optional<maas::engine::OnnxExportOptions> onnx = std::nullopt);

/// An ONNX file written from a model: what the library records of it (modelId left 0), the engine's
/// report, and one line saying what was written.
struct OnnxExport {
    ExportEntry entry;
    maas::engine::OnnxExportReport report;
    QString summary;
};

/// Writes the model as ONNX to `target` (maas::engine::exportOnnx: opset 13-17, checked by ONNX's checker;
/// a text model's vocabulary beside it). Throws maas::engine::Error with one sentence; nothing is written then.
OnnxExport exportOnnxFile(
    const QString& modelPath, const QString& target, const maas::engine::OnnxExportOptions& options = {});

} // namespace maas::app

Q_DECLARE_METATYPE(maas::app::PublishResult)
Q_DECLARE_METATYPE(maas::app::OnnxExport)
