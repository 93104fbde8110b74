#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "maas/engine/card.h"

namespace maas::engine {

enum class DataKind {
    Images, ///< IDX files or an image folder: uint8 pixels, normalized per batch
    Table, ///< a CSV of numeric features: standardized floats
    Text, ///< a CSV of texts and labels
};

/// How to read a data set; every field has a default that fits the usual layouts.
struct DataOptions {
    std::string labelColumn = "label"; ///< CSV: the column with the class (default: "label", else the last)
    std::string textColumn = "text"; ///< text CSV: the column with the text
    std::string split = "train"; ///< IDX folders: "train" or "test" (t10k-* files)
    int imageWidth = 0; ///< image folders: resize to this (0: the first image's size)
    int imageHeight = 0;
    std::string color; ///< image folders: "gray" or "rgb" (default: as the first image)
    std::int64_t limit = 0; ///< keep only the first N samples (0: all), for quick runs
    /// Image folders whose decoded pixels would take more bytes than this are read from disk batch by
    /// batch instead of held in memory (0: a quarter of the machine's memory).
    std::int64_t memoryBudget = 0;
    std::vector<std::string> classes; ///< class names in model order (default: sorted, or 0..N-1 for IDX)
};

/// A labelled data set in memory, held once: images as uint8, tables as float, texts as strings.
/// Batches are gathered by index, so epochs reshuffle without copying the data.
class Dataset {
public:
    /// Opens a folder of IDX files (MNIST layout, gzipped or not), a folder of class subfolders with
    /// images, or a CSV (numeric features, or a text column). Errors name the file, line or field.
    static Dataset open(const std::string& path, const DataOptions& options = {});

    DataKind kind() const;
    std::int64_t size() const;
    const std::vector<std::string>& classes() const;
    /// Shape of one sample: [C, H, W] for images, [features] for tables, [] for text.
    std::vector<std::int64_t> sampleShape() const;
    /// How raw values become model inputs; stored in the card of a model trained on this data.
    const Preprocessing& preprocessing() const;
    /// True when samples are decoded from disk per batch rather than held in memory.
    bool streaming() const;
    /// Samples skipped while reading (unreadable images, empty texts), and the first one's reason.
    std::int64_t skipped() const;
    const std::string& firstSkipReason() const;
    /// Label of every sample, in order.
    std::vector<std::int64_t> labels() const;
    /// The text of sample i (Text data sets only).
    const std::string& text(std::int64_t i) const;
    /// Sample i as people look at it: UINT8 [C, H, W] for images (decoded from disk when streaming),
    /// FP32 [features] for tables (standardized), BYTES [1] for texts.
    Tensor sample(std::int64_t i) const;
    const std::string& path() const;
    /// A short description: "60,000 images 1x28x28, 10 classes".
    std::string describe() const;
    /// Makes batches with a model's scale, mean and std instead of this data's own statistics
    /// (evaluation, fine-tuning). Throws when the statistics do not fit this data's channels or columns.
    void usePreprocessing(const Preprocessing& pre);
    /// Fills inputs, outputs, labels and preprocessing of a card for a model of this data.
    void describeInCard(ModelCard& card) const;

    struct Impl;
    Impl& impl() const { return *m_impl; }

private:
    explicit Dataset(std::shared_ptr<Impl> impl);
    std::shared_ptr<Impl> m_impl;
};

/// Indices of a seeded shuffle split: the last `fraction` of a shuffled order is validation.
struct Split {
    std::vector<std::int64_t> train, validation;
};
Split splitIndices(std::int64_t size, double validationFraction, std::uint64_t seed);

} // namespace maas::engine
