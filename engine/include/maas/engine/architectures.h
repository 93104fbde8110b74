#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "maas/engine/dataset.h"
#include "maas/engine/model.h"

namespace maas::engine {

/// Builds a new model, a TorchScript module from the start, from a JSON spec. Fields (defaults in brackets):
/// - all: "arch" (mlp | cnn | rnn | text), "classes" or "labels", "input_shape" (one sample, no batch axis),
///   "name", "seed" [0]
/// - mlp: "hidden" [[256, 128]], "activation" (relu | gelu | tanh | sigmoid) [relu], "dropout" [0],
///   "batch_norm" [false]
/// - cnn: "channels" [[32, 64]] (one conv-bn-relu-pool block each), "kernel" [3], "batch_norm" [true],
///   "pool" [2], "dense" [[128]], "dropout" [0]
/// - rnn: "cell" (lstm | gru) [lstm], "hidden" [128], "layers" [1], "bidirectional" [false], "dropout" [0];
///   input_shape [time, features], or [channels, height, width] for images read row by row
/// - text: "encoder" (bag | lstm) [bag], "embedding" [64], "vocab_size" [20000], "ngrams" [2 for bag, 1 for
///   lstm], "hidden" [64] (lstm); the vocabulary is filled from the training texts the first time the
///   model is trained
/// A field of the wrong type, an unknown field or shapes that cannot work give Error(InvalidInput)
/// naming the field.
Model buildModel(const nlohmann::json& spec);

/// Throws the Error buildModel would (field "arch") when `arch` is not one it builds: front ends check a
/// name before reading any data.
void checkArchitecture(const std::string& arch);

/// Reads a JSON spec file: a regular file (not a device or a pipe, which could be endless) of at most
/// limits::kSpecFileBytes, holding a JSON object. Anything else is Error(InvalidInput) naming the file.
nlohmann::json readModelSpec(const std::string& path);

/// Fills what `spec` leaves open from a data set: labels and input_shape (for text: nothing to fill but labels).
nlohmann::json completeSpec(nlohmann::json spec, const Dataset& data);

} // namespace maas::engine
