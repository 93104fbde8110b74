#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace maas::engine {

class Model;

struct OnnxExportOptions {
    int opset = 17; ///< 13 to 17: the ONNX operator set the file declares
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
};

/// Writes the model's forward graph as an ONNX model: opset 13 or newer, the batch axis dynamic,
/// initializers named after the module's parameters ("layer1.0.conv1.weight"), batch norms after a
/// convolution folded into it, dropout removed, the card in the metadata ("maas.card"), checked by ONNX's
/// checker and shape inference. An operator it cannot express stops it with Error(InvalidModel) naming the
/// operator and its module path; nothing is written then.
OnnxExportReport exportOnnx(const Model& model, const std::string& path, const OnnxExportOptions& options = {});

} // namespace maas::engine
