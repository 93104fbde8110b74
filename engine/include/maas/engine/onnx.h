#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "maas/engine/graph.h"
#include "maas/engine/model.h"

namespace maas::engine {

class Model;

/// The ONNX operator sets an export can declare: from the first with the operators used to the newest
/// Debian's libonnx 1.12 knows.
inline constexpr int kOnnxMinOpset = 13;
inline constexpr int kOnnxMaxOpset = 17;

struct OnnxExportOptions {
    int opset = kOnnxMaxOpset; ///< the ONNX operator set the file declares
    /// One sample's shape (without the batch) when the card has none, or to override it.
    std::vector<std::int64_t> inputShape;
};

/// What an export wrote, for the CLI and the page.
struct OnnxExportReport {
    std::string path;
    int opset = 0;
    std::int64_t bytes = 0;
    int nodes = 0;
    int initializers = 0;
    std::int64_t parameters = 0; ///< numbers stored in the initializers
    int foldedBatchNorms = 0; ///< batch norms folded into the convolution before them
    int removedDropouts = 0;
    std::vector<std::int64_t> inputShape; ///< with -1 for the batch
    /// A text model's tokenizer rules and vocabulary, written beside the ONNX file ("" for other models):
    /// the ONNX graph takes token ids and offsets, as the model's forward_ids does.
    std::string vocabularyPath;
};

/// Writes the model's forward graph as an ONNX model: opset 13 or newer, the batch axis dynamic,
/// initializers named after the module's parameters ("layer1.0.conv1.weight"), batch norms after a
/// convolution folded into it, dropout removed, the card in the metadata ("maas.card"), checked by ONNX's
/// checker and shape inference. An operator it cannot express stops it with Error(InvalidModel) naming the
/// operator and its module path; nothing is written then. A workbench text model exports its forward_ids
/// (ids, offsets) with its vocabulary in a file beside (see OnnxExportReport::vocabularyPath).
OnnxExportReport exportOnnx(const Model& model, const std::string& path, const OnnxExportOptions& options = {});

/// A tensor an ONNX graph takes or gives: -1 for an axis of no fixed size (named, like "batch").
struct OnnxTensor {
    std::string name;
    std::string dtype; ///< ONNX's name: FLOAT, INT64, ...
    std::vector<std::int64_t> shape;
    std::vector<std::string> axisNames; ///< the name of each open axis ("batch"), "" for fixed ones
};

/// What an ONNX file holds, read without running it (`maas inspect` and the inspector, for any ONNX file).
struct OnnxInfo {
    std::string path;
    std::int64_t bytes = 0;
    std::int64_t irVersion = 0;
    int opset = 0; ///< of the default domain
    std::string producer; ///< "maas-workbench", "pytorch 1.13.1", ...
    std::vector<OnnxTensor> inputs, outputs;
    int nodes = 0;
    int initializers = 0;
    std::int64_t parameters = 0; ///< numbers held in the initializers
    std::vector<std::pair<std::string, int>> operators; ///< operator type and count, most used first
    std::vector<std::pair<std::string, std::string>> metadata; ///< metadata_props ("maas.card", "labels", ...)
    std::string checkError; ///< what ONNX's checker finds wrong; "" when it passes
    ModelGraph graph; ///< operators, with the graph's inputs and outputs, as the inspector draws them
    /// The inspector's layer tree, from the initializers' dotted names ("layer1.0.conv1.weight").
    ModelReport report;
};

/// Whether `path` is to be read as ONNX: it looks like ONNX, or is named .onnx and is not a TorchScript
/// archive (so an empty or damaged .onnx gets the ONNX reader's sentence, not TorchScript's advice).
bool isOnnxPath(const std::string& path);
/// Reads an ONNX file. A file that is not ONNX (or is damaged or too large) throws Error(InvalidModel) with
/// one sentence; a file that parses but fails ONNX's checker is read, with the reason in checkError.
OnnxInfo readOnnx(const std::string& path);
/// The same from bytes in memory (`where` names them in messages); for the fuzz test.
OnnxInfo readOnnxBytes(const std::string& bytes, const std::string& where);
nlohmann::json onnxInfoToJson(const OnnxInfo& info);

} // namespace maas::engine
