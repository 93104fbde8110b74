#include "maas/engine/tensor.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <numeric>
#include <sstream>

#include "files.h"
#include "maas/engine/error.h"
#include "sizes.h"

namespace maas::engine {

namespace {
struct TypeName {
    DataType type;
    const char* name;
    std::size_t size;
    const char* npy; // NumPy descr without the byte-order character
};
constexpr TypeName kTypes[] = {
    { DataType::Bool, "BOOL", 1, "b1" },
    { DataType::UInt8, "UINT8", 1, "u1" },
    { DataType::Int8, "INT8", 1, "i1" },
    { DataType::Int16, "INT16", 2, "i2" },
    { DataType::Int32, "INT32", 4, "i4" },
    { DataType::Int64, "INT64", 8, "i8" },
    { DataType::Float16, "FP16", 2, "f2" },
    { DataType::Float32, "FP32", 4, "f4" },
    { DataType::Float64, "FP64", 8, "f8" },
    { DataType::Bytes, "BYTES", 0, nullptr },
};

const TypeName& info(DataType type)
{
    for (const auto& t : kTypes)
        if (t.type == type)
            return t;
    return kTypes[7];
}

template <typename T> void appendAll(const std::vector<std::uint8_t>& data, std::vector<double>& out)
{
    const std::size_t n = data.size() / sizeof(T);
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        T v;
        std::memcpy(&v, data.data() + i * sizeof(T), sizeof(T));
        out.push_back(static_cast<double>(v));
    }
}

float halfToFloat(std::uint16_t h)
{
    const std::uint32_t sign = (h & 0x8000u) << 16, exponent = (h >> 10) & 0x1f, mantissa = h & 0x3ff;
    std::uint32_t bits;
    if (exponent == 0) {
        if (mantissa == 0) {
            bits = sign;
        } else { // subnormal: renormalize
            int e = -1;
            std::uint32_t m = mantissa;
            do {
                ++e;
                m <<= 1;
            } while ((m & 0x400u) == 0);
            bits = sign | (static_cast<std::uint32_t>(127 - 15 - e) << 23) | ((m & 0x3ffu) << 13);
        }
    } else if (exponent == 0x1f) {
        bits = sign | 0x7f800000u | (mantissa << 13);
    } else {
        bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
    }
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}
} // namespace

std::string dataTypeName(DataType type) { return info(type).name; }

std::optional<DataType> parseDataType(const std::string& name)
{
    for (const auto& t : kTypes)
        if (name == t.name)
            return t.type;
    return std::nullopt;
}

std::size_t elementSize(DataType type) { return info(type).size; }

std::int64_t Tensor::numel() const
{
    return std::accumulate(shape.begin(), shape.end(), std::int64_t { 1 }, std::multiplies<>());
}

std::vector<double> Tensor::toDoubles() const
{
    std::vector<double> out;
    switch (dtype) {
    case DataType::Bool:
    case DataType::UInt8: appendAll<std::uint8_t>(data, out); break;
    case DataType::Int8: appendAll<std::int8_t>(data, out); break;
    case DataType::Int16: appendAll<std::int16_t>(data, out); break;
    case DataType::Int32: appendAll<std::int32_t>(data, out); break;
    case DataType::Int64: appendAll<std::int64_t>(data, out); break;
    case DataType::Float16: {
        std::vector<double> halves;
        appendAll<std::uint16_t>(data, halves);
        for (double h : halves)
            out.push_back(halfToFloat(static_cast<std::uint16_t>(h)));
        break;
    }
    case DataType::Float32: appendAll<float>(data, out); break;
    case DataType::Float64: appendAll<double>(data, out); break;
    case DataType::Bytes: throw Error(ErrorKind::InvalidInput, "a BYTES tensor holds strings, not numbers.");
    }
    return out;
}

Tensor Tensor::fromFloats(std::vector<std::int64_t> shape, const std::vector<float>& values)
{
    Tensor t;
    t.dtype = DataType::Float32;
    t.shape = std::move(shape);
    t.data.resize(values.size() * sizeof(float));
    std::memcpy(t.data.data(), values.data(), t.data.size());
    return t;
}

Tensor Tensor::fromStrings(const std::vector<std::string>& values)
{
    Tensor t;
    t.dtype = DataType::Bytes;
    t.shape = { static_cast<std::int64_t>(values.size()) };
    t.strings = values;
    return t;
}

std::string shapeToString(const std::vector<std::int64_t>& shape)
{
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i)
        s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

// The dimensions of a .npy header's shape tuple "(2, 3)", each a whole number that is not negative.
template <typename Bad> std::vector<std::int64_t> npyShape(std::string shape, const Bad& bad)
{
    shape = shape.substr(shape.find('(') + 1);
    shape = shape.substr(0, shape.find(')'));
    std::vector<std::int64_t> dims;
    std::stringstream parts(shape);
    for (std::string dim; std::getline(parts, dim, ',');) {
        const auto first = dim.find_first_not_of(' ');
        if (first == std::string::npos)
            continue;
        const auto last = dim.find_last_not_of(' ');
        const std::string digits = dim.substr(first, last - first + 1);
        const bool whole = digits.size() <= 19 && digits.find_first_not_of("0123456789") == std::string::npos;
        errno = 0;
        const long long value = whole ? std::strtoll(digits.c_str(), nullptr, 10) : -1;
        if (!whole || errno == ERANGE)
            throw bad("its shape has the dimension '" + digits + "', not a whole number of 64 bits");
        dims.push_back(value);
    }
    return dims;
}

// .npy layout: magic "\x93NUMPY", major, minor, header length (2 bytes in v1, 4 in v2/v3),
// then a Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), } padded to 64 bytes.
Tensor readNpy(const std::string& path)
{
    const std::string bytes = readFileWithin(path, "tensor", dataBytesLimit());
    const auto bad = [&](const std::string& why) {
        return Error(ErrorKind::InvalidInput,
            path + " is not a valid .npy file (" + why + "); write it with numpy.save(path, array).");
    };
    if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0)
        throw bad("no NumPy header");
    const int major = static_cast<unsigned char>(bytes[6]);
    std::size_t headerLength, offset;
    if (major == 1) {
        headerLength = static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
        offset = 10;
    } else {
        if (bytes.size() < 12)
            throw bad("header cut short");
        headerLength = 0;
        for (int i = 0; i < 4; ++i)
            headerLength |= static_cast<std::size_t>(static_cast<unsigned char>(bytes[8 + i])) << (8 * i);
        offset = 12;
    }
    if (offset + headerLength > bytes.size())
        throw bad("header cut short");
    const std::string header = bytes.substr(offset, headerLength);
    const auto field = [&](const std::string& key) {
        const auto at = header.find("'" + key + "'");
        if (at == std::string::npos)
            throw bad("no '" + key + "' in the header");
        return header.substr(header.find(':', at) + 1);
    };
    std::string descr = field("descr");
    descr = descr.substr(descr.find('\'') + 1);
    descr = descr.substr(0, descr.find('\''));
    if (field("fortran_order").find("True") < field("fortran_order").find(','))
        throw bad("Fortran order; save a C-ordered array (numpy.ascontiguousarray)");
    if (descr.size() < 3 || descr[0] == '>')
        throw bad("big-endian or unknown data type '" + descr + "'; save a little-endian array");
    const std::string code = descr.substr(1);
    Tensor t;
    bool known = false;
    for (const auto& type : kTypes)
        if (type.npy && code == type.npy) {
            t.dtype = type.type;
            known = true;
        }
    if (!known)
        throw bad("data type '" + descr + "' is not supported; use float32, float64 or an integer type");
    t.shape = npyShape(field("shape"), bad);
    // The declared size must be what the file holds, checked before anything is allocated for it.
    const std::int64_t need = checkedProduct(checkedProduct(t.shape), std::int64_t(elementSize(t.dtype)));
    const std::size_t start = offset + headerLength;
    const auto have = static_cast<std::int64_t>(bytes.size() - start);
    if (need != have)
        throw bad("its header declares shape " + shapeToString(t.shape) + ", "
            + (need < 0 ? std::string("more than 9 EB") : byteSize(double(need))) + " of data, but the file holds "
            + byteSize(double(have)) + "; the file is damaged or truncated");
    t.data.assign(bytes.begin() + static_cast<std::ptrdiff_t>(start), bytes.end());
    return t;
}

void writeNpy(const std::string& path, const Tensor& tensor)
{
    if (tensor.dtype == DataType::Bytes)
        throw Error(ErrorKind::InvalidInput, "cannot write strings to " + path + ": .npy holds numbers only.");
    std::string shape = "(";
    for (auto d : tensor.shape)
        shape += std::to_string(d) + ",";
    if (tensor.shape.size() > 1)
        shape.pop_back();
    shape += ")";
    std::string header
        = std::string("{'descr': '<") + info(tensor.dtype).npy + "', 'fortran_order': False, 'shape': " + shape + ", }";
    while ((10 + header.size() + 1) % 64 != 0)
        header += ' ';
    header += '\n';
    writeAtomically(path, [&](const std::string& tmp) {
        std::ofstream out(tmp, std::ios::binary);
        out.write("\x93NUMPY\x01\x00", 8);
        const char length[2] = { static_cast<char>(header.size() & 0xff), static_cast<char>(header.size() >> 8) };
        out.write(length, 2);
        out << header;
        out.write(reinterpret_cast<const char*>(tensor.data.data()), static_cast<std::streamsize>(tensor.data.size()));
        if (!out.flush())
            throw Error(ErrorKind::Io, "cannot write " + path + ": the disk may be full.");
    });
}

} // namespace maas::engine
