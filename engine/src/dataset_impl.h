// Engine-internal: the tensors behind a Dataset, for training and evaluation.
#pragma once

#include <torch/torch.h>

#include "maas/engine/dataset.h"

namespace maas::engine {

struct Dataset::Impl {
    DataKind kind = DataKind::Images;
    std::string path;
    at::Tensor features; ///< Images: uint8 [N, C, H, W]; Table: float [N, F], already standardized
    at::Tensor labels; ///< int64 [N]
    std::vector<std::string> texts;
    std::vector<std::string> classes;
    Preprocessing pre;
    /// Streaming image folders: the files, decoded to [C, H, W] uint8 when a batch needs them.
    std::vector<std::string> files;
    std::int64_t channels = 0, height = 0, width = 0;
    std::int64_t skipped = 0;
    std::string firstSkip;

    /// Model inputs for the samples at `indices` (int64), preprocessed as the card will say.
    at::Tensor inputs(const at::Tensor& indices) const { return inputs(indices, pre); }
    /// The same with another scale, mean and std (a model's), leaving this data set as it is.
    at::Tensor inputs(const at::Tensor& indices, const Preprocessing& with) const;
    /// Streaming image folders: the images at `indices` decoded to uint8 [N, C, H, W].
    at::Tensor decode(const at::Tensor& indices) const;
};

/// Throws when a model's mean/std do not fit this data's channels or columns.
void checkPreprocessingFits(const Dataset::Impl& data, const Preprocessing& pre);

// One reader per layout (dataset_readers.cpp); each fills everything but `path` and the statistics.
Dataset::Impl openIdx(const std::string& path, const DataOptions& options);
Dataset::Impl openImageFolder(const std::string& path, const DataOptions& options);
Dataset::Impl openCsv(const std::string& path, const DataOptions& options);
/// The path of PREFIX + KIND (gzipped or not) in `folder`, or "" when neither exists.
std::string findIdx(const std::string& folder, const std::string& prefix, const std::string& kind);
/// Decodes one image to planar [C, H, W] bytes of the given size; false (and why) when unreadable.
bool decodeImage(const std::string& file, int channels, int width, int height, std::uint8_t* out, std::string* why);

} // namespace maas::engine
