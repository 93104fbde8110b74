#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace maas::engine {

/// Element types, named as the open inference protocol (KServe v2 / Triton) names them.
enum class DataType { Bool, UInt8, Int8, Int16, Int32, Int64, Float16, Float32, Float64, Bytes };

std::string dataTypeName(DataType type);
std::optional<DataType> parseDataType(const std::string& name);
/// Size of one element in bytes; 0 for Bytes (strings have no fixed size).
std::size_t elementSize(DataType type);

/// A tensor as plain data, so code outside the engine never sees LibTorch.
/// Numbers are stored row-major in `data` (native byte order); strings in `strings`.
struct Tensor {
    DataType dtype = DataType::Float32;
    std::vector<std::int64_t> shape;
    std::vector<std::uint8_t> data;
    std::vector<std::string> strings;

    std::int64_t numel() const;
    /// Every element converted to double (not for Bytes).
    std::vector<double> toDoubles() const;

    static Tensor fromFloats(std::vector<std::int64_t> shape, const std::vector<float>& values);
    static Tensor fromStrings(const std::vector<std::string>& values);
};

/// "[1, 3, 224, 224]"; -1 (a dynamic axis) prints as "-1".
std::string shapeToString(const std::vector<std::int64_t>& shape);

/// NumPy .npy files (version 1 and 2, little-endian, C order), the usual way to hand a tensor over.
Tensor readNpy(const std::string& path);
void writeNpy(const std::string& path, const Tensor& tensor);

} // namespace maas::engine
