// The open inference protocol's infer request and response (KServe v2 / Triton), with Triton's binary
// tensor data extension: JSON tensors ("data" flat or nested, row-major) or raw bytes after the JSON.

#include "maas/engine/serving.h"

#include <array>
#include <cmath>
#include <cstring>
#include <limits>

#include "maas/engine/card.h"
#include "maas/engine/error.h"
#include "serving_detail.h"

namespace maas::engine {

namespace {

using nlohmann::json;

[[noreturn]] void bad(const std::string& what) { throw Error(ErrorKind::InvalidInput, what); }

std::vector<std::int64_t> readShape(const json& j, const std::string& name)
{
    if (!j.is_array() || j.size() > 16)
        bad("input " + name + " has a shape that is not a list of up to 16 sizes.");
    std::vector<std::int64_t> shape;
    for (const auto& d : j) {
        if (!d.is_number_integer() || d.get<std::int64_t>() < 0 || d.get<std::int64_t>() > kMaxRequestElements)
            bad("input " + name + " has a shape with a size that is not a whole number from 0 to 2^26.");
        shape.push_back(d.get<std::int64_t>());
    }
    return shape;
}

std::int64_t elementsOf(const std::vector<std::int64_t>& shape, const std::string& name)
{
    std::int64_t n = 1;
    for (const auto d : shape) {
        n *= d;
        if (n > kMaxRequestElements)
            bad("input " + name + " has more than 2^26 elements; send fewer samples per request.");
    }
    return n;
}

// Flattens nested JSON lists row-major, refusing anything deeper than a shape could be.
void flatten(const json& j, std::vector<const json*>& out, int depth, const std::string& name)
{
    if (depth > 16)
        bad("input " + name + "'s data nests deeper than its shape.");
    if (j.is_array()) {
        for (const auto& v : j)
            flatten(v, out, depth + 1, name);
        return;
    }
    if (static_cast<std::int64_t>(out.size()) >= kMaxRequestElements)
        bad("input " + name + " has more than 2^26 values.");
    out.push_back(&j);
}

template <typename T> void put(Tensor& t, std::size_t i, T v)
{
    std::memcpy(t.data.data() + i * sizeof(T), &v, sizeof(T));
}

std::uint16_t toHalf(float f)
{
    std::uint32_t x;
    std::memcpy(&x, &f, 4);
    const std::uint32_t sign = (x >> 16) & 0x8000;
    const int exponent = static_cast<int>((x >> 23) & 0xff) - 127 + 15;
    std::uint32_t mantissa = x & 0x7fffff;
    if (((x >> 23) & 0xff) == 0xff)
        return static_cast<std::uint16_t>(sign | 0x7c00 | (mantissa ? 0x200 : 0));
    if (exponent >= 31)
        return static_cast<std::uint16_t>(sign | 0x7c00);
    if (exponent <= 0) {
        if (exponent < -10)
            return static_cast<std::uint16_t>(sign);
        mantissa |= 0x800000;
        return static_cast<std::uint16_t>(sign | (mantissa >> (14 - exponent)));
    }
    return static_cast<std::uint16_t>(sign | (static_cast<std::uint32_t>(exponent) << 10) | (mantissa >> 13));
}

// A whole number into an integer type narrower than INT64, refused when outside its range.
template <typename T> void putWhole(Tensor& t, std::size_t i, const json& v, const std::string& name)
{
    const double d = v.get<double>();
    if (d < static_cast<double>(std::numeric_limits<T>::min())
        || d > static_cast<double>(std::numeric_limits<T>::max()))
        bad("input " + name + " holds " + v.dump() + ", outside the range of " + dataTypeName(t.dtype) + ".");
    put<T>(t, i, static_cast<T>(v.get<std::int64_t>()));
}

void putNumber(Tensor& t, std::size_t i, const json& v, const std::string& name)
{
    const auto type = t.dtype;
    if (type == DataType::Bool) {
        if (!v.is_boolean() && !v.is_number_integer())
            bad("input " + name + " is BOOL but holds a value that is not true or false.");
        put<std::uint8_t>(t, i, v.is_boolean() ? v.get<bool>() : v.get<std::int64_t>() != 0);
        return;
    }
    if (!v.is_number())
        bad("input " + name + " is " + dataTypeName(type) + " but holds a value that is not a number.");
    const bool integer = type != DataType::Float16 && type != DataType::Float32 && type != DataType::Float64;
    if (integer && !v.is_number_integer())
        bad("input " + name + " is " + dataTypeName(type) + " but holds a number with a fraction; send whole numbers.");
    const double d = v.get<double>();
    const double largest = type == DataType::Float16 ? 65504.0 : std::numeric_limits<float>::max();
    if ((type == DataType::Float16 || type == DataType::Float32) && std::isfinite(d) && std::fabs(d) > largest)
        bad("input " + name + " holds " + v.dump() + ", outside the range of " + dataTypeName(type)
            + "; scale the values, or send FP64.");
    switch (type) {
    case DataType::UInt8: putWhole<std::uint8_t>(t, i, v, name); break;
    case DataType::Int8: putWhole<std::int8_t>(t, i, v, name); break;
    case DataType::Int16: putWhole<std::int16_t>(t, i, v, name); break;
    case DataType::Int32: putWhole<std::int32_t>(t, i, v, name); break;
    case DataType::Int64:
        if (v.is_number_unsigned()
            && v.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            bad("input " + name + " holds " + v.dump() + ", outside the range of INT64.");
        put<std::int64_t>(t, i, v.get<std::int64_t>());
        break;
    case DataType::Float16: put<std::uint16_t>(t, i, toHalf(static_cast<float>(d))); break;
    case DataType::Float32: put<float>(t, i, static_cast<float>(d)); break;
    case DataType::Float64: put<double>(t, i, d); break;
    default: break;
    }
}

Tensor tensorFromJsonData(
    const json& data, DataType type, const std::vector<std::int64_t>& shape, const std::string& name)
{
    const auto count = elementsOf(shape, name);
    std::vector<const json*> flat;
    flatten(data, flat, 0, name);
    if (static_cast<std::int64_t>(flat.size()) != count)
        bad("input " + name + " has shape " + shapeToString(shape) + " (" + std::to_string(count)
            + " values) but its data holds " + std::to_string(flat.size())
            + "; send as many values as the shape says.");
    Tensor t;
    t.dtype = type;
    t.shape = shape;
    if (type == DataType::Bytes) {
        for (const auto* v : flat) {
            if (!v->is_string())
                bad("input " + name + " is BYTES but holds a value that is not text.");
            t.strings.push_back(v->get<std::string>());
        }
        return t;
    }
    t.data.assign(static_cast<std::size_t>(count) * elementSize(type), 0);
    for (std::size_t i = 0; i < flat.size(); ++i)
        putNumber(t, i, *flat[i], name);
    return t;
}

Tensor tensorFromBinary(
    std::string_view bytes, DataType type, const std::vector<std::int64_t>& shape, const std::string& name)
{
    const auto count = elementsOf(shape, name);
    Tensor t;
    t.dtype = type;
    t.shape = shape;
    if (type != DataType::Bytes) {
        const auto expected = static_cast<std::size_t>(count) * elementSize(type);
        if (bytes.size() != expected)
            bad("input " + name + " has shape " + shapeToString(shape) + " of " + dataTypeName(type) + ", which is "
                + std::to_string(expected) + " bytes, but its binary_data_size is " + std::to_string(bytes.size())
                + ".");
        t.data.assign(bytes.begin(), bytes.end());
        return t;
    }
    std::size_t pos = 0; // BYTES: each element a 4-byte little-endian length, then the bytes
    while (pos < bytes.size()) {
        if (static_cast<std::int64_t>(t.strings.size())
            == count) // before more are made: zero lengths cost 32 bytes each
            bad("input " + name + " has shape " + shapeToString(shape) + " but its binary data holds more strings.");
        if (bytes.size() - pos < 4)
            bad("input " + name + "'s binary BYTES data ends inside an element's length.");
        std::uint32_t n = 0;
        for (int k = 3; k >= 0; --k)
            n = (n << 8) | static_cast<unsigned char>(bytes[pos + static_cast<std::size_t>(k)]);
        pos += 4;
        if (n > bytes.size() - pos)
            bad("input " + name + "'s binary BYTES data has an element longer than what follows it.");
        t.strings.emplace_back(bytes.substr(pos, n));
        pos += n;
    }
    if (static_cast<std::int64_t>(t.strings.size()) != count)
        bad("input " + name + " has shape " + shapeToString(shape) + " but its binary data holds "
            + std::to_string(t.strings.size()) + " strings.");
    return t;
}

std::optional<std::int64_t> binarySize(const json& j)
{
    if (!j.contains("parameters") || !j["parameters"].is_object() || !j["parameters"].contains("binary_data_size"))
        return std::nullopt;
    const auto& v = j["parameters"]["binary_data_size"];
    if (!v.is_number_integer() || v.get<std::int64_t>() < 0)
        bad("binary_data_size must be a whole number of bytes.");
    return v.get<std::int64_t>();
}

// One tensor of a request's inputs or a response's outputs (`role` says which, for the error).
InferInput readTensor(const json& in, std::string_view binary, std::size_t& binaryPos, const std::string& role)
{
    if (!in.is_object() || !in.contains("name") || !in["name"].is_string())
        bad("every " + role + " needs a name, a shape, a datatype and data.");
    const auto name = in["name"].get<std::string>();
    if (!in.contains("datatype") || !in["datatype"].is_string())
        bad(role + " " + name + " has no datatype; give one such as FP32, INT64 or BYTES.");
    const auto type = parseDataType(in["datatype"].get<std::string>());
    if (!type)
        bad(role + " " + name + " has the datatype \"" + in["datatype"].get<std::string>()
            + "\"; use BOOL, UINT8, INT8, INT16, INT32, INT64, FP16, FP32, FP64 or BYTES.");
    const auto shape = readShape(in.value("shape", json()), name);
    if (const auto size = binarySize(in)) {
        if (static_cast<std::uint64_t>(*size) > binary.size() - binaryPos)
            bad(role + " " + name + "'s binary_data_size runs past the end of the body.");
        const auto chunk = binary.substr(binaryPos, static_cast<std::size_t>(*size));
        binaryPos += static_cast<std::size_t>(*size);
        return { name, tensorFromBinary(chunk, *type, shape, name) };
    }
    if (!in.contains("data"))
        bad(role + " " + name + " has no data (and no binary_data_size).");
    return { name, tensorFromJsonData(in["data"], *type, shape, name) };
}

// The JSON part of a body whose binary tensor data (if any) starts at headerLength.
json bodyJson(std::string_view body, std::optional<std::size_t> headerLength, const std::string& what)
{
    if (headerLength && *headerLength > body.size())
        bad("Inference-Header-Content-Length is " + std::to_string(*headerLength) + " but the body has only "
            + std::to_string(body.size()) + " bytes.");
    std::string why;
    auto parsed = parseJson(body.substr(0, headerLength.value_or(body.size())), &why);
    if (!parsed)
        bad("the " + what + " body is not JSON (" + why + ").");
    return std::move(*parsed);
}

RequestedOutput readOutput(const json& out, bool binaryDefault)
{
    if (!out.is_object() || !out.contains("name") || !out["name"].is_string())
        bad("every requested output needs a name.");
    RequestedOutput o { out["name"].get<std::string>(), binaryDefault, 0 };
    if (out.contains("parameters") && out["parameters"].is_object()) {
        const auto& p = out["parameters"];
        if (p.contains("binary_data")) {
            if (!p["binary_data"].is_boolean())
                bad("output " + o.name + "'s binary_data must be true or false.");
            o.binary = p["binary_data"].get<bool>();
        }
        if (p.contains("classification")) {
            if (!p["classification"].is_number_integer() || p["classification"].get<std::int64_t>() < 1
                || p["classification"].get<std::int64_t>() > 100'000)
                bad("output " + o.name + "'s classification must be a whole number of classes from 1.");
            o.classification = static_cast<int>(p["classification"].get<std::int64_t>());
        }
    }
    return o;
}

} // namespace

InferRequest parseInferRequest(std::string_view body, std::optional<std::size_t> headerLength)
{
    const auto j = bodyJson(body, headerLength, "request");
    const auto binary = body.substr(headerLength.value_or(body.size()));
    if (!j.is_object() || !j.contains("inputs") || !j["inputs"].is_array())
        bad("the request has no \"inputs\" list; send {\"inputs\": [{\"name\", \"shape\", \"datatype\", \"data\"}]}.");
    InferRequest r;
    if (j.contains("id") && j["id"].is_string())
        r.id = j["id"].get<std::string>();
    if (j.contains("parameters") && j["parameters"].is_object() && j["parameters"].contains("binary_data_output"))
        r.binaryOutputs
            = j["parameters"]["binary_data_output"].is_boolean() && j["parameters"]["binary_data_output"].get<bool>();
    std::size_t binaryPos = 0;
    std::int64_t total = 0;
    for (const auto& in : j["inputs"]) {
        r.inputs.push_back(readTensor(in, binary, binaryPos, "input"));
        total += r.inputs.back().tensor.numel();
        if (total > kMaxRequestElements)
            bad("the request's inputs hold more than 2^26 elements together; send fewer samples per request.");
    }
    if (binaryPos != binary.size())
        bad("the request body has " + std::to_string(binary.size() - binaryPos)
            + " bytes of binary data that no input's binary_data_size claims.");
    if (j.contains("outputs")) {
        if (!j["outputs"].is_array())
            bad("\"outputs\" must be a list of {\"name\"}.");
        for (const auto& out : j["outputs"]) {
            r.outputs.push_back(readOutput(out, r.binaryOutputs));
            for (std::size_t i = 0; i + 1 < r.outputs.size(); ++i)
                if (r.outputs[i].name == r.outputs.back().name)
                    bad("output " + r.outputs.back().name + " is asked for twice.");
        }
    }
    return r;
}

InferBody encodeInferRequest(
    const std::vector<InferInput>& inputs, const std::vector<RequestedOutput>& outputs, bool binary)
{
    json j = { { "inputs", json::array() } };
    std::string data;
    for (const auto& in : inputs) {
        json t = { { "name", in.name }, { "datatype", dataTypeName(in.tensor.dtype) }, { "shape", in.tensor.shape } };
        if (binary) {
            const auto bytes = serving::binaryData(in.tensor);
            t["parameters"] = { { "binary_data_size", bytes.size() } };
            data += bytes;
        } else {
            t["data"] = serving::jsonData(in.tensor);
        }
        j["inputs"].push_back(std::move(t));
    }
    for (const auto& out : outputs) {
        json o = { { "name", out.name }, { "parameters", { { "binary_data", out.binary || binary } } } };
        if (out.classification > 0)
            o["parameters"]["classification"] = out.classification;
        j["outputs"].push_back(std::move(o));
    }
    if (binary)
        j["parameters"] = { { "binary_data_output", true } };
    InferBody b { j.dump(), std::nullopt };
    if (binary) {
        b.headerLength = b.body.size();
        b.body += data;
    }
    return b;
}

InferReply parseInferResponse(std::string_view body, std::optional<std::size_t> headerLength)
{
    const auto j = bodyJson(body, headerLength, "response");
    const auto binary = body.substr(headerLength.value_or(body.size()));
    if (!j.is_object() || !j.contains("outputs") || !j["outputs"].is_array())
        bad("the response has no \"outputs\" list; it is not an answer to an infer request.");
    InferReply r;
    if (j.contains("model_name") && j["model_name"].is_string())
        r.modelName = j["model_name"].get<std::string>();
    if (j.contains("model_version") && j["model_version"].is_string())
        r.modelVersion = j["model_version"].get<std::string>();
    std::size_t binaryPos = 0;
    for (const auto& out : j["outputs"])
        r.outputs.push_back(readTensor(out, binary, binaryPos, "output"));
    return r;
}

LoadRequest parseLoadRequest(std::string_view body)
{
    LoadRequest r;
    if (body.find_first_not_of(" \t\r\n") == std::string_view::npos)
        return r;
    std::string why;
    const auto parsed = parseJson(body, &why);
    if (!parsed || !parsed->is_object())
        bad("the load request is not a JSON object (" + (why.empty() ? std::string("not an object") : why)
            + "); send {\"parameters\": {\"config\": ..., \"file:1/model.pt\": ...}} or nothing.");
    if (!parsed->contains("parameters"))
        return r;
    const auto& p = (*parsed)["parameters"];
    if (!p.is_object())
        bad("the load request's parameters must be an object.");
    for (const auto& [key, value] : p.items()) {
        if (key == "config") {
            if (!value.is_string())
                bad("the load request's config must be the model configuration as a JSON string.");
            r.config = value.get<std::string>();
        } else if (key.rfind("file:", 0) == 0) {
            if (!value.is_string())
                bad("the load request's " + key + " must be the file's bytes in base64.");
            auto bytes = serving::decodeBase64(value.get<std::string>());
            if (!bytes)
                bad("the load request's " + key + " is not valid base64.");
            r.files[key.substr(5)] = std::move(*bytes);
        } else if (key.rfind("upload:", 0) == 0) {
            if (!value.is_string())
                bad("the load request's " + key + " must be the id of a committed upload.");
            r.uploads[key.substr(7)] = value.get<std::string>();
        } else {
            bad("the load request has the parameter \"" + key
                + "\"; it takes config, file:<version>/model.pt and upload:<version>/model.pt.");
        }
    }
    return r;
}

namespace serving {

std::optional<std::string> decodeBase64(std::string_view text)
{
    static const auto table = [] {
        std::array<int, 256> t {};
        t.fill(-1);
        const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < 64; ++i)
            t[static_cast<unsigned char>(alphabet[i])] = i;
        return t;
    }();
    while (!text.empty() && text.back() == '=')
        text.remove_suffix(1);
    if (text.size() % 4 == 1)
        return std::nullopt;
    std::string out;
    out.reserve(text.size() * 3 / 4);
    std::uint32_t buffer = 0;
    int bits = 0;
    for (const char c : text) {
        const int v = table[static_cast<unsigned char>(c)];
        if (v < 0)
            return std::nullopt;
        buffer = (buffer << 6) | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xff);
        }
    }
    return out;
}

json jsonData(const Tensor& t)
{
    if (t.dtype == DataType::Bytes)
        return t.strings;
    if (t.dtype == DataType::Bool) {
        json out = json::array();
        for (const auto b : t.data)
            out.push_back(b != 0);
        return out;
    }
    if (t.dtype == DataType::Int64) { // exactly: a double holds whole numbers only up to 2^53
        json out = json::array();
        for (std::size_t i = 0; i + sizeof(std::int64_t) <= t.data.size(); i += sizeof(std::int64_t)) {
            std::int64_t v;
            std::memcpy(&v, t.data.data() + i, sizeof v);
            out.push_back(v);
        }
        return out;
    }
    const auto values = t.toDoubles();
    const bool integer = t.dtype != DataType::Float16 && t.dtype != DataType::Float32 && t.dtype != DataType::Float64;
    json out = json::array();
    for (const auto v : values) {
        if (integer)
            out.push_back(static_cast<std::int64_t>(v));
        else if (std::isfinite(v))
            out.push_back(t.dtype == DataType::Float32 ? static_cast<double>(static_cast<float>(v)) : v);
        else
            out.push_back(nullptr); // JSON has no NaN or infinity
    }
    return out;
}

std::string binaryData(const Tensor& t)
{
    if (t.dtype != DataType::Bytes)
        return std::string(t.data.begin(), t.data.end());
    std::string out;
    for (const auto& s : t.strings) {
        const auto n = static_cast<std::uint32_t>(s.size());
        for (int k = 0; k < 4; ++k)
            out += static_cast<char>((n >> (8 * k)) & 0xff);
        out += s;
    }
    return out;
}

Tensor classify(const Tensor& scores, int k, const std::vector<std::string>& labels)
{
    if (scores.dtype == DataType::Bytes || scores.shape.empty())
        bad("classification needs an output of numbers with a class axis.");
    const auto classes = scores.shape.back();
    const auto rows = classes > 0 ? scores.numel() / classes : 0;
    const auto values = scores.toDoubles();
    const auto top = std::min<std::int64_t>(k, classes);
    Tensor out;
    out.dtype = DataType::Bytes;
    out.shape = scores.shape;
    out.shape.back() = top;
    for (std::int64_t r = 0; r < rows; ++r) {
        std::vector<std::int64_t> order(static_cast<std::size_t>(classes));
        for (std::int64_t c = 0; c < classes; ++c)
            order[static_cast<std::size_t>(c)] = c;
        const auto* row = values.data() + r * classes;
        std::partial_sort(
            order.begin(), order.begin() + top, order.end(), [row](auto a, auto b) { return row[a] > row[b]; });
        for (std::int64_t i = 0; i < top; ++i) {
            const auto c = order[static_cast<std::size_t>(i)];
            char value[64];
            std::snprintf(value, sizeof value, "%f", row[c]);
            auto entry = std::string(value) + ":" + std::to_string(c);
            if (c < static_cast<std::int64_t>(labels.size()))
                entry += ":" + labels[static_cast<std::size_t>(c)];
            out.strings.push_back(std::move(entry));
        }
    }
    return out;
}

} // namespace serving

} // namespace maas::engine
