// Reading an ONNX file without running it: its inputs and outputs, operators, parameters, metadata, the
// checker's verdict, and its graph in the inspector's form. Any producer's file, so nothing is assumed.
#include "maas/engine/onnx.h"

#include <onnx/checker.h>
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <type_traits>
#include <unordered_map>

#include "maas/engine/error.h"
#include "maas/engine/filetypes.h"

namespace maas::engine {
namespace {

// Protocol buffers refuse messages past 2 GiB; ONNX keeps larger weights in external files.
constexpr std::int64_t kMaxOnnxBytes = (std::int64_t { 1 } << 31) - 1;
// An initializer name longer than this, or deeper, is not read as a module path (a hostile file's names
// would otherwise make a tree of every prefix).
constexpr std::size_t kMaxPathLength = 512;
constexpr int kMaxPathDepth = 32;

// Sums of element counts a damaged file may make huge: they stop at the largest int64.
std::int64_t plus(std::int64_t a, std::int64_t b)
{
    return a > std::numeric_limits<std::int64_t>::max() - b ? std::numeric_limits<std::int64_t>::max() : a + b;
}

// The first eight of a list of numbers, as text: "3, 64, 7, 7".
template <typename Numbers> std::string listText(const Numbers& values)
{
    std::string text;
    int shown = 0;
    for (const auto& v : values) {
        if (shown++ == 8)
            return text + ", …";
        text += (text.empty() ? "" : ", ") + std::to_string(v);
    }
    return text;
}

std::string typeName(int type)
{
    return onnx::TensorProto::DataType_IsValid(type)
        ? onnx::TensorProto::DataType_Name(static_cast<onnx::TensorProto::DataType>(type))
        : "type " + std::to_string(type);
}

OnnxTensor tensorOf(const onnx::ValueInfoProto& value)
{
    OnnxTensor t;
    t.name = value.name();
    if (!value.type().has_tensor_type()) {
        t.dtype = value.type().has_sequence_type() ? "sequence" : value.type().has_map_type() ? "map" : "unknown";
        return t;
    }
    const auto& tensor = value.type().tensor_type();
    t.dtype = typeName(tensor.elem_type());
    for (const auto& dim : tensor.shape().dim()) {
        const bool fixed = dim.has_dim_value();
        t.shape.push_back(fixed ? dim.dim_value() : -1);
        t.axisNames.push_back(fixed ? std::string() : dim.dim_param());
    }
    return t;
}

std::string shapeText(const OnnxTensor& t)
{
    std::string text = t.dtype + "[";
    for (std::size_t i = 0; i < t.shape.size(); ++i) {
        if (i)
            text += ", ";
        text += t.shape[i] >= 0 ? std::to_string(t.shape[i])
                                : (t.axisNames[i].empty() ? std::string("?") : t.axisNames[i]);
    }
    return text + "]";
}

std::string attributeText(const onnx::AttributeProto& a)
{
    switch (a.type()) {
    case onnx::AttributeProto::INT: return std::to_string(a.i());
    case onnx::AttributeProto::FLOAT: return std::to_string(a.f());
    case onnx::AttributeProto::STRING: return a.s().substr(0, 80);
    case onnx::AttributeProto::INTS: return "[" + listText(a.ints()) + "]";
    case onnx::AttributeProto::FLOATS: return "[" + listText(a.floats()) + "]";
    case onnx::AttributeProto::STRINGS: return std::to_string(a.strings_size()) + " strings";
    case onnx::AttributeProto::TENSOR: return "tensor";
    case onnx::AttributeProto::GRAPH: return "subgraph";
    default: return "…";
    }
}

std::int64_t elementCount(const onnx::TensorProto& t)
{
    std::int64_t count = 1;
    for (const auto d : t.dims()) {
        if (d < 0 || (d > 0 && count > std::numeric_limits<std::int64_t>::max() / d))
            return 0; // a damaged file's dimensions: nothing to count
        count *= d;
    }
    return count;
}

// The module a node came from, read from its name: "layer1.0.conv1" from "layer1.0.conv1/Conv_5" (this
// exporter), the last scope ("conv1") from "/layer1/layer1.0/conv1/Conv" (torch.onnx.export).
std::string moduleOf(const std::string& nodeName)
{
    const auto slash = nodeName.rfind('/');
    if (slash == std::string::npos || slash == 0)
        return {};
    auto path = nodeName.substr(0, slash);
    if (path.front() == '/') {
        const auto last = path.rfind('/');
        path = path.substr(last + 1);
    }
    return path;
}

// The graph in the inspector's form: the inputs (those that are not weights), one node per operator with
// its attributes and weights in the details, the outputs; an edge for every tensor one node hands another.
ModelGraph drawnGraph(const onnx::GraphProto& g, const std::map<std::string, const onnx::TensorProto*>& weights)
{
    ModelGraph graph;
    std::unordered_map<std::string, std::size_t> producer;
    std::unordered_map<std::string, std::string> typeOf;
    for (const auto& v : g.value_info())
        typeOf[v.name()] = shapeText(tensorOf(v));
    for (const auto& input : g.input()) {
        if (weights.count(input.name()))
            continue;
        const auto t = tensorOf(input);
        typeOf[t.name] = shapeText(t);
        producer[t.name] = graph.nodes.size();
        graph.nodes.push_back({ GraphNode::Kind::Input, t.name, "input " + t.name, "", { { "type", shapeText(t) } } });
    }
    for (const auto& node : g.node()) {
        GraphNode drawn;
        drawn.op = node.domain().empty() ? node.op_type() : node.domain() + "::" + node.op_type();
        drawn.label = node.op_type();
        drawn.module = moduleOf(node.name());
        for (const auto& a : node.attribute())
            drawn.details.emplace_back(a.name(), attributeText(a));
        const std::size_t at = graph.nodes.size();
        for (const auto& input : node.input()) {
            if (input.empty()) // an optional input left out
                continue;
            if (const auto w = weights.find(input); w != weights.end()) {
                drawn.details.emplace_back(
                    input, typeName(w->second->data_type()) + "[" + listText(w->second->dims()) + "]");
            } else if (const auto from = producer.find(input); from != producer.end()) {
                graph.edges.push_back({ from->second, at, typeOf.count(input) ? typeOf.at(input) : input });
            }
        }
        if (!node.name().empty())
            drawn.details.emplace_back("name", node.name());
        for (const auto& output : node.output())
            if (!output.empty())
                producer[output] = at;
        graph.nodes.push_back(std::move(drawn));
    }
    for (const auto& output : g.output()) {
        const auto t = tensorOf(output);
        const std::size_t at = graph.nodes.size();
        graph.nodes.push_back(
            { GraphNode::Kind::Output, t.name, "output " + t.name, "", { { "type", shapeText(t) } } });
        if (const auto from = producer.find(t.name); from != producer.end())
            graph.edges.push_back({ from->second, at, shapeText(t) });
    }
    return graph;
}

// The L2 norm of a float initializer stored as raw bytes (how exporters write them); 0 for other forms.
double normOf(const onnx::TensorProto& t, std::int64_t count)
{
    if (t.data_type() != onnx::TensorProto::FLOAT || !t.has_raw_data() || t.raw_data().size() % sizeof(float) != 0
        || t.raw_data().size() / sizeof(float) != static_cast<std::uint64_t>(count))
        return 0.0;
    double sum = 0.0;
    for (std::int64_t i = 0; i < count; ++i) {
        float v = 0;
        std::memcpy(&v, t.raw_data().data() + i * static_cast<std::int64_t>(sizeof(float)), sizeof v);
        sum += static_cast<double>(v) * v;
    }
    return std::sqrt(sum);
}

// Dotted paths in pre-order: "a" < "a.b" < "a.c" < "a-b" (the dot before every other character).
bool inPathOrder(const std::string& a, const std::string& b)
{
    const auto key = [](char c) { return c == '.' ? 0 : static_cast<unsigned char>(c) + 1; };
    return std::lexicographical_compare(
        a.begin(), a.end(), b.begin(), b.end(), [&](char x, char y) { return key(x) < key(y); });
}

// The module path an initializer belongs to: "layer1.0.conv1" of "layer1.0.conv1.weight". The exporter's
// own constants ("maas.scalar.0") and names that are not paths belong to the root ("").
std::string ownerOf(const std::string& name)
{
    const auto dot = name.rfind('.');
    const std::string owner = dot == std::string::npos ? std::string() : name.substr(0, dot);
    const bool path = !owner.empty() && name.rfind("maas.", 0) != 0 && owner.size() <= kMaxPathLength
        && owner.front() != '.' && owner.find("..") == std::string::npos
        && std::count(owner.begin(), owner.end(), '.') < kMaxPathDepth;
    return path ? owner : std::string();
}

// The initializers as the inspector's layer tree: "layer1.0.conv1.weight" is parameter "weight" of layer
// "layer1.0.conv1", under "layer1.0" and "layer1"; a name without a dot belongs to the root.
ModelReport reportOf(const OnnxInfo& info, const onnx::GraphProto& g)
{
    ModelReport report;
    report.path = info.path;
    report.fileBytes = info.bytes;
    report.memoryBytes = info.bytes;
    report.totalParameters = report.trainableParameters = info.parameters;
    report.parameterTensors = info.initializers;
    const auto tensors = [](const std::vector<OnnxTensor>& list) {
        std::string text;
        for (const auto& t : list)
            text += (text.empty() ? "" : ", ") + t.name + ": " + shapeText(t);
        return text;
    };
    report.forwardSignature = "ONNX opset " + std::to_string(info.opset) + ": (" + tensors(info.inputs) + ") -> ("
        + tensors(info.outputs) + ")";
    std::map<std::string, LayerInfo, decltype(&inPathOrder)> layers(&inPathOrder);
    layers[""] = LayerInfo {};
    for (const auto& init : g.initializer()) {
        const auto count = elementCount(init);
        const auto owner = ownerOf(init.name());
        for (auto end = owner.find('.'); !owner.empty(); end = owner.find('.', end + 1)) { // it and its ancestors
            const auto path = owner.substr(0, end);
            auto& layer = layers[path];
            layer.name = path;
            layer.depth = static_cast<int>(std::count(path.begin(), path.end(), '.')) + 1;
            layer.totalParameters = plus(layer.totalParameters, count);
            if (end == std::string::npos)
                break;
        }
        layers[""].totalParameters = plus(layers[""].totalParameters, count);
        ParameterInfo p;
        p.name = init.name();
        p.shape.assign(init.dims().begin(), init.dims().end());
        p.dtype = typeName(init.data_type());
        p.count = count;
        p.norm = normOf(init, count);
        layers[owner].ownParameters = plus(layers[owner].ownParameters, count);
        layers[owner].parameters.push_back(std::move(p));
        auto& byType = report.parametersByDtype[typeName(init.data_type())];
        byType = plus(byType, count);
    }
    layers[""].type = g.name(); // the graph's name ("main_graph", "resnet18"); modules have no class here
    for (auto& [path, layer] : layers) // pre-order, a parent before its children
        report.layers.push_back(std::move(layer));
    return report;
}

} // namespace

OnnxInfo readOnnxBytes(const std::string& bytes, const std::string& where)
{
    onnx::ModelProto proto;
    if (bytes.empty() || !proto.ParseFromString(bytes) || !proto.has_graph())
        throw Error(ErrorKind::InvalidModel,
            where
                + " is not an ONNX model: its bytes do not parse as ONNX's ModelProto (damaged, or another kind "
                  "of file).");
    OnnxInfo info;
    info.path = where;
    info.bytes = static_cast<std::int64_t>(bytes.size());
    info.irVersion = proto.ir_version();
    for (const auto& opset : proto.opset_import())
        if (opset.domain().empty() || opset.domain() == "ai.onnx")
            info.opset = static_cast<int>(std::clamp<std::int64_t>(opset.version(), 0, 1000));
    info.producer = proto.producer_name() + (proto.producer_version().empty() ? "" : " " + proto.producer_version());
    const auto& g = proto.graph();
    std::map<std::string, const onnx::TensorProto*> weights;
    for (const auto& init : g.initializer()) {
        weights[init.name()] = &init;
        info.parameters = plus(info.parameters, elementCount(init));
    }
    info.initializers = g.initializer_size();
    for (const auto& input : g.input())
        if (!weights.count(input.name()))
            info.inputs.push_back(tensorOf(input));
    for (const auto& output : g.output())
        info.outputs.push_back(tensorOf(output));
    info.nodes = g.node_size();
    std::map<std::string, int> counts;
    for (const auto& node : g.node())
        ++counts[node.domain().empty() || node.domain() == "ai.onnx" ? node.op_type()
                                                                     : node.domain() + "::" + node.op_type()];
    info.operators.assign(counts.begin(), counts.end());
    std::stable_sort(
        info.operators.begin(), info.operators.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    for (const auto& meta : proto.metadata_props())
        info.metadata.emplace_back(meta.key(), meta.value());
    try {
        onnx::checker::check_model(proto);
    } catch (const std::exception& e) {
        const std::string why = e.what();
        info.checkError = why.substr(0, why.find('\n'));
    }
    info.graph = drawnGraph(g, weights);
    info.report = reportOf(info, g);
    return info;
}

bool isOnnxPath(const std::string& path)
{
    const auto kind = detectFileKind(path);
    auto extension = std::filesystem::path(path).extension().string();
    std::transform(
        extension.begin(), extension.end(), extension.begin(), [](unsigned char c) { return std::tolower(c); });
    return kind == FileKind::Onnx || (extension == ".onnx" && (kind == FileKind::Empty || kind == FileKind::Unknown));
}

OnnxInfo readOnnx(const std::string& path)
{
    std::error_code error;
    const auto size = std::filesystem::file_size(path, error);
    if (error)
        throw Error(ErrorKind::NotFound, "cannot read " + path + ": " + error.message() + ".");
    if (static_cast<std::int64_t>(size) > kMaxOnnxBytes)
        throw Error(ErrorKind::InvalidModel,
            path + " is over 2 GiB, more than one ONNX file can hold; its weights belong in external data files.");
    std::ifstream in(path, std::ios::binary);
    std::string bytes(size, '\0');
    if (!in.read(bytes.data(), static_cast<std::streamsize>(size)))
        throw Error(ErrorKind::Io, "cannot read " + path + ".");
    return readOnnxBytes(bytes, path);
}

nlohmann::json onnxInfoToJson(const OnnxInfo& info)
{
    const auto tensors = [](const std::vector<OnnxTensor>& list) {
        auto out = nlohmann::json::array();
        for (const auto& t : list)
            out.push_back({ { "name", t.name }, { "datatype", t.dtype }, { "shape", t.shape } });
        return out;
    };
    auto operators = nlohmann::json::object();
    for (const auto& [op, count] : info.operators)
        operators[op] = count;
    auto metadata = nlohmann::json::object();
    for (const auto& [key, value] : info.metadata)
        metadata[key] = value;
    return { { "format", "onnx" }, { "path", info.path }, { "bytes", info.bytes }, { "ir_version", info.irVersion },
        { "opset", info.opset }, { "producer", info.producer }, { "inputs", tensors(info.inputs) },
        { "outputs", tensors(info.outputs) }, { "nodes", info.nodes }, { "initializers", info.initializers },
        { "parameters", info.parameters }, { "operators", operators }, { "metadata", metadata },
        { "checker", info.checkError.empty() ? "passed" : info.checkError } };
}

} // namespace maas::engine
