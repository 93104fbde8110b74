#pragma once

// The rules of the word tokenizer inside the workbench's text models (architectures.cpp writes them as
// TorchScript); an ONNX export, whose graph takes token ids, writes them beside the file for its users.
namespace maas::engine::tokenizer {

/// Text is lowercased (TorchScript's lower(): ASCII letters only) and split with TorchScript's str.split();
/// these are stripped from both ends of each word.
inline constexpr const char* kPunctuation = ".,;:!?()[]{}<>'`\"";
/// The bytes TorchScript's str.split() splits UTF-8 text at, in runs (measured on LibTorch 1.13): ASCII
/// whitespace, the separators 0x1C-0x1E, and 0x80, 0x85, 0xA8 and 0xA9, which can fall inside a character
/// ("é" is C3 A9), so a word beyond ASCII may be cut into pieces that are not UTF-8.
inline constexpr unsigned char kSplitBytes[] = { 9, 10, 11, 12, 13, 28, 29, 30, 32, 0x80, 0x85, 0xA8, 0xA9 };
/// The id of a word the vocabulary does not hold, and of the one token a text without words becomes.
inline constexpr int kUnknownId = 0;

} // namespace maas::engine::tokenizer
