#pragma once

#include <string>
#include <vector>

#include "maas/engine/card.h"
#include "maas/engine/tensor.h"

namespace maas::engine {

/// Turns what a user gives on the command line or drops on a window into the model's input tensors,
/// preprocessed as the card says:
/// - a text model (first input BYTES): every source is one string, batched together;
/// - a one-input model: images (.png, .jpg, .bmp), CSV row files and tensor files (.npy, or a tensor
///   saved with torch.save) each add samples to one batch; CSV rows for an integer input (token ids)
///   become that integer type;
/// - a model with several inputs: one tensor file per input, in order.
/// Errors name the source and say what would work.
std::vector<Tensor> loadInputs(const ModelCard& card, const std::vector<std::string>& sources);

/// One image file as a [1, C, H, W] float tensor, resized and normalized per the card's preprocessing.
Tensor loadImage(const std::string& path, const Preprocessing& pre, int channels);

/// A CSV file of numeric rows (an optional header line is skipped) as a [rows, columns] float tensor,
/// standardized with the card's mean and std when present.
Tensor loadCsvRows(const std::string& path, const Preprocessing& pre);

/// Rows of numbers given as CSV text (typed rows, for instance) as loadCsvRows reads them from a file;
/// `source` names the text in errors ("your input, line 2, column 3: ..."). With `header` false, a first
/// row that is not numbers is an error rather than a header to skip.
Tensor loadCsvText(const std::string& text, const std::string& source, const Preprocessing& pre, bool header = true);

/// Numbers read from CSV (floats) as the integer datatype an input takes, such as INT64 token ids typed
/// or saved as rows: every value must be a whole number the type holds, else Error(InvalidInput) naming
/// `source` and the value's place. Anything but an integer `type` returns the values as they are.
Tensor toIntegers(const Tensor& values, DataType type, const std::string& source);

/// Rows of numbers a person typed for a model (CSV text, no header line): raw values, preprocessed as the
/// card says, and as the first input's integer type when it takes token ids. `source` names the text in
/// errors ("your input, line 2, column 3: ...").
Tensor loadTypedRows(const ModelCard& card, const std::string& text, const std::string& source);

/// A tensor file: .npy, or a tensor saved with torch.save.
Tensor loadTensorFile(const std::string& path);

/// One class of a ranked prediction.
struct ScoredClass {
    int index = 0;
    double score = 0.0; ///< probability
};

/// Rows of class scores [N, C] become each row's k most likely classes, best first. Scores are passed
/// through softmax unless a row already holds probabilities (all in [0, 1], summing to 1). Anything but
/// a 2-D numeric tensor gives no rows.
std::vector<std::vector<ScoredClass>> topClasses(const Tensor& scores, int k);

/// Concatenates tensors along the first axis (all other axes and the datatype must agree).
Tensor concatBatch(const std::vector<Tensor>& parts, const std::string& what);

} // namespace maas::engine
