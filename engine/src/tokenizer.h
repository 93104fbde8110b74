#pragma once

// The rules of the word tokenizer inside the workbench's text models (architectures.cpp writes them as
// TorchScript); an ONNX export, whose graph takes token ids, writes them beside the file for its users.
namespace maas::engine::tokenizer {

/// Lowercased text is split on whitespace; these are stripped from both ends of each word.
inline constexpr const char* kPunctuation = ".,;:!?()[]{}<>'`\"";
/// The id of a word the vocabulary does not hold, and of the one token a text without words becomes.
inline constexpr int kUnknownId = 0;

} // namespace maas::engine::tokenizer
