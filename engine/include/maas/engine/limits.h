#pragma once

#include <cstdint>
#include <string>

namespace maas::engine {

/// The sizes the engine checks before it takes memory: every reader looks at a header (an image's
/// width and height, an IDX file's dimensions, a .npy shape, a spec file's size) and refuses with one
/// sentence when the size is past one of these limits, so a hostile or damaged file never makes the
/// program allocate gigabytes first. They are generous for real work (ImageNet-21k has 21,841
/// classes, a 4K photo 8.3 million pixels) and far below what would exhaust a workstation. Where the
/// machine's memory is the real limit, it is checked too (physicalMemoryBytes()). The README's
/// "Limits" paragraph lists them: keep the two in step.
namespace limits {

/// A model spec file (JSON) holds a few fields; 1 MiB is thousands of times more than any needs.
constexpr std::int64_t kSpecFileBytes = std::int64_t { 1 } << 20;
/// Classes of a classifier (labels in a spec, --classes, distinct labels of a data set).
constexpr std::int64_t kClasses = 100'000;
/// Values in one sample (an input shape's product, e.g. 3x4096x4096 = 50 million): 2^26.
constexpr std::int64_t kSampleElements = std::int64_t { 1 } << 26;
/// Width or height of an image, read from its header or asked for as a size.
constexpr std::int64_t kImageSide = 16'384;
/// Pixels of one image (width x height) before it is decoded: 2^26, 64 megapixels.
constexpr std::int64_t kImagePixels = std::int64_t { 1 } << 26;
/// Bytes of a data set's samples held in memory (an IDX file's declared data), and of a tensor file
/// (.npy, torch.save): 16 GiB, and never more than half the machine's memory.
constexpr std::int64_t kDataBytes = std::int64_t { 16 } << 30;
/// Parameters of a new model: their float32 bytes may take at most half the machine's memory (training
/// needs as much again for gradients and the optimizer), and never more than 2^32 parameters.
constexpr std::int64_t kParameters = std::int64_t { 1 } << 32;

} // namespace limits

/// The machine's physical memory in bytes (4 GiB when the system does not say).
std::int64_t physicalMemoryBytes();

/// The most bytes of data (a data set's samples, a tensor file) the engine will hold: limits::kDataBytes or
/// half the machine's memory, whichever is less.
std::int64_t dataBytesLimit();

/// "1.5 GB", "380 KB": a byte count as people read it, for the sentences that say what was too big.
std::string byteSize(double bytes);

} // namespace maas::engine
