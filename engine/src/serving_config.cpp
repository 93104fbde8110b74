// Triton's ModelConfig in its two forms: JSON (the repository API) and protobuf text (config.pbtxt).
// The text form is parsed into the same JSON tree the API takes, so one reader checks both.

#include "maas/engine/serving.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>

#include "maas/engine/error.h"
#include "maas/engine/model.h"

namespace maas::engine {

namespace {

using nlohmann::json;

const std::vector<std::pair<DataType, const char*>> kTritonTypes = { { DataType::Bool, "TYPE_BOOL" },
    { DataType::UInt8, "TYPE_UINT8" }, { DataType::Int8, "TYPE_INT8" }, { DataType::Int16, "TYPE_INT16" },
    { DataType::Int32, "TYPE_INT32" }, { DataType::Int64, "TYPE_INT64" }, { DataType::Float16, "TYPE_FP16" },
    { DataType::Float32, "TYPE_FP32" }, { DataType::Float64, "TYPE_FP64" }, { DataType::Bytes, "TYPE_STRING" } };

[[noreturn]] void bad(const std::string& where, const std::string& what)
{
    throw Error(ErrorKind::InvalidInput, "the model configuration " + where + " " + what);
}

std::vector<std::int64_t> readDims(const json& j, const std::string& where, const std::string& field)
{
    if (!j.is_array() || j.size() > 16)
        bad(where, "has " + field + " that is not a list of up to 16 sizes.");
    std::vector<std::int64_t> dims;
    for (const auto& d : j) {
        const bool number = d.is_number_integer() || (d.is_string() && !d.get<std::string>().empty());
        std::int64_t v = 0;
        try {
            v = d.is_string() ? std::stoll(d.get<std::string>()) : d.get<std::int64_t>();
        } catch (const std::exception&) {
            bad(where, "has " + field + " with a size that is not a whole number.");
        }
        if (!number || v < -1 || v == 0 || v > (std::int64_t { 1 } << 31))
            bad(where, "has " + field + " with a size that is not -1 or from 1 to 2^31.");
        dims.push_back(v);
    }
    return dims;
}

std::string readString(const json& j, const char* key, const std::string& where)
{
    if (!j.contains(key))
        return {};
    if (!j[key].is_string())
        bad(where, std::string("has a ") + key + " that is not text.");
    return j[key].get<std::string>();
}

std::int64_t readWhole(const json& j, const char* key, const std::string& where, std::int64_t low, std::int64_t high)
{
    if (!j.contains(key))
        return low;
    std::int64_t v = 0;
    try {
        v = j[key].is_string() ? std::stoll(j[key].get<std::string>()) : j[key].get<std::int64_t>();
    } catch (const std::exception&) {
        bad(where, std::string("has a ") + key + " that is not a whole number.");
    }
    if (v < low || v > high)
        bad(where,
            std::string("has a ") + key + " of " + std::to_string(v) + "; it must be from " + std::to_string(low)
                + " to " + std::to_string(high) + ".");
    return v;
}

ServingTensor readTensor(const json& j, const std::string& where)
{
    if (!j.is_object())
        bad(where, "has an input or output that is not an object.");
    ServingTensor t;
    t.name = readString(j, "name", where);
    if (t.name.empty() || t.name.size() > 256)
        bad(where, "has an input or output without a name.");
    const auto type = readString(j, "data_type", where);
    const auto dtype = parseTritonType(type);
    if (!dtype)
        bad(where, "gives " + t.name + " the data_type \"" + type + "\"; use TYPE_FP32, TYPE_INT64, TYPE_STRING, ....");
    t.dtype = *dtype;
    t.dims = readDims(j.value("dims", json::array()), where, t.name + "'s dims");
    if (j.contains("reshape")) {
        const auto& r = j["reshape"];
        t.reshape = readDims(r.is_object() ? r.value("shape", json::array()) : r, where, t.name + "'s reshape");
    }
    t.labelFilename = readString(j, "label_filename", where);
    if (t.labelFilename.find('/') != std::string::npos || t.labelFilename.find("..") != std::string::npos)
        bad(where, "has a label_filename with a folder in it; name a file beside config.pbtxt.");
    return t;
}

json tensorJson(const ServingTensor& t)
{
    json j { { "name", t.name }, { "data_type", tritonTypeName(t.dtype) }, { "dims", t.dims } };
    if (t.reshape)
        j["reshape"] = { { "shape", *t.reshape } };
    if (!t.labelFilename.empty())
        j["label_filename"] = t.labelFilename;
    return j;
}

void readVersionPolicy(ModelConfig& c, const json& j, const std::string& where)
{
    if (!j.is_object())
        bad(where, "has a version_policy that is not an object.");
    if (j.contains("all")) {
        c.versionPolicy.kind = VersionPolicy::Kind::All;
    } else if (j.contains("specific")) {
        c.versionPolicy.kind = VersionPolicy::Kind::Specific;
        for (const auto v : readDims(j["specific"].value("versions", json::array()), where, "version_policy"))
            c.versionPolicy.versions.push_back(v);
    } else if (j.contains("latest")) {
        c.versionPolicy.latest = static_cast<int>(readWhole(j["latest"], "num_versions", where, 1, 1000));
    }
}

void readBatching(ModelConfig& c, const json& j, const std::string& where)
{
    if (!j.is_object())
        bad(where, "has a dynamic_batching that is not an object.");
    DynamicBatching b;
    if (j.contains("preferred_batch_size"))
        b.preferredBatchSizes = readDims(j["preferred_batch_size"], where, "preferred_batch_size");
    b.maxQueueDelayMicroseconds = readWhole(j, "max_queue_delay_microseconds", where, 0, 10'000'000);
    c.dynamicBatching = b;
}

// ---- protobuf text format -------------------------------------------------------------------------------

// Fields that are lists in ModelConfig's protobuf: they become JSON arrays even when given once.
const std::set<std::string> kRepeated
    = { "input", "output", "dims", "shape", "preferred_batch_size", "instance_group", "versions", "gpus" };

class TextParser {
public:
    TextParser(const std::string& text, const std::string& where)
        : m_text(text)
        , m_where(where)
    {
    }

    json message(bool nested, int depth)
    {
        if (depth > 16)
            fail("nests deeper than 16 levels");
        json out = json::object();
        for (;;) {
            skip();
            if (m_pos >= m_text.size()) {
                if (nested)
                    fail("ends inside { }");
                return out;
            }
            if (m_text[m_pos] == '}') {
                if (!nested)
                    fail("has a } with no {");
                ++m_pos;
                return out;
            }
            const auto key = identifier();
            skip();
            bool colon = false;
            if (peek(':')) {
                ++m_pos;
                colon = true;
                skip();
            }
            json value;
            if (peek('{') || peek('<'))
                value = block(depth);
            else if (peek('['))
                value = list(depth);
            else if (colon)
                value = scalar();
            else
                fail("has no value after " + key);
            add(out, key, std::move(value));
            skip();
            if (peek(',') || peek(';'))
                ++m_pos;
        }
    }

private:
    [[noreturn]] void fail(const std::string& what) const
    {
        std::size_t line = 1;
        for (std::size_t i = 0; i < m_pos && i < m_text.size(); ++i)
            line += m_text[i] == '\n';
        throw Error(ErrorKind::InvalidInput,
            "the model configuration " + m_where + " " + what + " (line " + std::to_string(line)
                + "); write it in Triton's config.pbtxt form, such as: max_batch_size: 8");
    }
    bool peek(char c) const { return m_pos < m_text.size() && m_text[m_pos] == c; }
    void skip()
    {
        while (m_pos < m_text.size()) {
            if (std::isspace(static_cast<unsigned char>(m_text[m_pos]))) {
                ++m_pos;
            } else if (m_text[m_pos] == '#') {
                while (m_pos < m_text.size() && m_text[m_pos] != '\n')
                    ++m_pos;
            } else {
                return;
            }
        }
    }
    std::string identifier()
    {
        const auto start = m_pos;
        while (
            m_pos < m_text.size() && (std::isalnum(static_cast<unsigned char>(m_text[m_pos])) || m_text[m_pos] == '_'))
            ++m_pos;
        if (start == m_pos)
            fail("has something that is not a field name");
        return m_text.substr(start, m_pos - start);
    }
    json block(int depth)
    {
        const char close = m_text[m_pos] == '{' ? '}' : '>';
        ++m_pos;
        auto j = message(true, depth + 1);
        (void)close;
        return j;
    }
    json list(int depth)
    {
        ++m_pos;
        json items = json::array();
        for (;;) {
            skip();
            if (peek(']')) {
                ++m_pos;
                return items;
            }
            items.push_back(peek('{') ? block(depth) : scalar());
            skip();
            if (peek(','))
                ++m_pos;
            else if (!peek(']'))
                fail("has a list without , or ]");
        }
    }
    json scalar()
    {
        if (peek('"') || peek('\''))
            return quoted();
        const auto start = m_pos;
        while (m_pos < m_text.size()
            && (std::isalnum(static_cast<unsigned char>(m_text[m_pos]))
                || std::string("-+._").find(m_text[m_pos]) != std::string::npos))
            ++m_pos;
        if (start == m_pos)
            fail("has a value that is neither a number, a word nor quoted text");
        const auto word = m_text.substr(start, m_pos - start);
        if (word == "true" || word == "false")
            return word == "true";
        if (std::isdigit(static_cast<unsigned char>(word[0])) || word[0] == '-') {
            try {
                std::size_t used = 0;
                const auto v = std::stoll(word, &used);
                if (used == word.size())
                    return v;
            } catch (const std::exception&) {
                fail("has a number out of range");
            }
        }
        return word; // an enum value such as KIND_CPU
    }
    std::string quoted()
    {
        const char quote = m_text[m_pos++];
        std::string s;
        while (m_pos < m_text.size() && m_text[m_pos] != quote) {
            if (m_text[m_pos] == '\\' && m_pos + 1 < m_text.size())
                ++m_pos;
            s += m_text[m_pos++];
        }
        if (m_pos >= m_text.size())
            fail("has quoted text with no end");
        ++m_pos;
        return s;
    }
    static void add(json& out, const std::string& key, json value)
    {
        if (kRepeated.count(key)) {
            if (!out.contains(key))
                out[key] = json::array();
            if (value.is_array())
                for (auto& v : value)
                    out[key].push_back(std::move(v));
            else
                out[key].push_back(std::move(value));
        } else {
            out[key] = std::move(value);
        }
    }

    const std::string& m_text;
    const std::string& m_where;
    std::size_t m_pos = 0;
};

std::string quote(const std::string& s)
{
    std::string q = "\"";
    for (const char c : s) {
        if (c == '"' || c == '\\')
            q += '\\';
        q += c;
    }
    return q + '"';
}

std::string dimsText(const std::vector<std::int64_t>& dims)
{
    std::string s = "[ ";
    for (std::size_t i = 0; i < dims.size(); ++i)
        s += (i ? ", " : "") + std::to_string(dims[i]);
    return s + " ]";
}

void tensorText(std::ostringstream& out, const char* key, const ServingTensor& t)
{
    out << key << " [\n  {\n    name: " << quote(t.name) << "\n    data_type: " << tritonTypeName(t.dtype)
        << "\n    dims: " << dimsText(t.dims) << '\n';
    if (t.reshape)
        out << "    reshape: { shape: " << dimsText(*t.reshape) << " }\n";
    if (!t.labelFilename.empty())
        out << "    label_filename: " << quote(t.labelFilename) << '\n';
    out << "  }\n]\n";
}

} // namespace

std::string tritonTypeName(DataType type)
{
    for (const auto& [t, name] : kTritonTypes)
        if (t == type)
            return name;
    return "TYPE_INVALID";
}

std::optional<DataType> parseTritonType(const std::string& name)
{
    for (const auto& [t, n] : kTritonTypes)
        if (name == n)
            return t;
    return std::nullopt;
}

json ModelConfig::toJson() const
{
    json j { { "name", name }, { "platform", platform }, { "max_batch_size", maxBatchSize } };
    j["input"] = json::array();
    for (const auto& t : inputs)
        j["input"].push_back(tensorJson(t));
    j["output"] = json::array();
    for (const auto& t : outputs)
        j["output"].push_back(tensorJson(t));
    if (dynamicBatching) {
        j["dynamic_batching"] = { { "preferred_batch_size", dynamicBatching->preferredBatchSizes },
            { "max_queue_delay_microseconds", dynamicBatching->maxQueueDelayMicroseconds } };
    }
    j["instance_group"] = json::array({ { { "count", instanceCount }, { "kind", "KIND_CPU" } } });
    if (versionPolicy.kind == VersionPolicy::Kind::All)
        j["version_policy"] = { { "all", json::object() } };
    else if (versionPolicy.kind == VersionPolicy::Kind::Specific)
        j["version_policy"] = { { "specific", { { "versions", versionPolicy.versions } } } };
    else
        j["version_policy"] = { { "latest", { { "num_versions", versionPolicy.latest } } } };
    if (!parameters.empty()) {
        j["parameters"] = json::object();
        for (const auto& [k, v] : parameters)
            j["parameters"][k] = { { "string_value", v } };
    }
    return j;
}

namespace {

ModelConfig readConfig(const json& j, const std::string& where)
{
    if (!j.is_object())
        bad(where, "is not a JSON object.");
    ModelConfig c;
    c.name = readString(j, "name", where);
    const auto platform = readString(j, "platform", where);
    const auto backend = readString(j, "backend", where);
    // Read for both of Triton's backends a model leaves the workbench for; what maas-serve itself serves
    // (TorchScript) is its own check (see Repository::load).
    if (!platform.empty() && platform != "pytorch_libtorch" && platform != kOnnxPlatform)
        bad(where,
            "asks for the platform \"" + platform
                + "\"; a config here is for pytorch_libtorch (TorchScript) or onnxruntime_onnx (ONNX).");
    if (!backend.empty() && backend != "pytorch" && backend != "onnxruntime")
        bad(where,
            "asks for the backend \"" + backend + "\"; a config here is for the pytorch or onnxruntime backend.");
    if (platform == kOnnxPlatform || backend == "onnxruntime")
        c.platform = kOnnxPlatform;
    c.maxBatchSize = readWhole(j, "max_batch_size", where, 0, 1 << 20);
    for (const char* key : { "input", "output" }) {
        if (!j.contains(key))
            continue;
        if (!j[key].is_array() || j[key].size() > 64)
            bad(where, std::string("has an ") + key + " that is not a list of up to 64 tensors.");
        for (const auto& t : j[key])
            (std::string(key) == "input" ? c.inputs : c.outputs).push_back(readTensor(t, where));
    }
    if (j.contains("dynamic_batching"))
        readBatching(c, j["dynamic_batching"], where);
    if (j.contains("instance_group")) {
        if (!j["instance_group"].is_array())
            bad(where, "has an instance_group that is not a list.");
        int count = 0;
        for (const auto& g : j["instance_group"])
            count += static_cast<int>(g.is_object() ? readWhole(g, "count", where, 1, 64) : 1);
        c.instanceCount = std::max(1, std::min(count, 64));
    }
    if (j.contains("version_policy"))
        readVersionPolicy(c, j["version_policy"], where);
    if (j.contains("parameters") && j["parameters"].is_object())
        for (const auto& [k, v] : j["parameters"].items())
            c.parameters[k] = v.is_object() && v.contains("string_value") && v["string_value"].is_string()
                ? v["string_value"].get<std::string>()
                : v.is_string() ? v.get<std::string>()
                                : v.dump();
    return c;
}

} // namespace

ModelConfig ModelConfig::fromJson(const json& j, const std::string& where)
{
    try {
        return readConfig(j, where);
    } catch (const json::exception&) { // a field of another JSON type than Triton's
        bad(where, "has a field of the wrong kind (text, number, list or object) for Triton's ModelConfig.");
    }
}

std::string ModelConfig::toPbtxt() const
{
    std::ostringstream out;
    out << "name: " << quote(name) << "\nplatform: " << quote(platform) << "\nmax_batch_size: " << maxBatchSize << '\n';
    for (const auto& t : inputs)
        tensorText(out, "input", t);
    for (const auto& t : outputs)
        tensorText(out, "output", t);
    if (dynamicBatching) {
        out << "dynamic_batching {\n";
        if (!dynamicBatching->preferredBatchSizes.empty())
            out << "  preferred_batch_size: " << dimsText(dynamicBatching->preferredBatchSizes) << '\n';
        out << "  max_queue_delay_microseconds: " << dynamicBatching->maxQueueDelayMicroseconds << "\n}\n";
    }
    out << "instance_group [ { count: " << instanceCount << ", kind: KIND_CPU } ]\n";
    if (versionPolicy.kind == VersionPolicy::Kind::All)
        out << "version_policy: { all: {} }\n";
    else if (versionPolicy.kind == VersionPolicy::Kind::Specific)
        out << "version_policy: { specific: { versions: " << dimsText(versionPolicy.versions) << " } }\n";
    else
        out << "version_policy: { latest: { num_versions: " << versionPolicy.latest << " } }\n";
    for (const auto& [k, v] : parameters)
        out << "parameters: { key: " << quote(k) << " value: { string_value: " << quote(v) << " } }\n";
    return out.str();
}

ModelConfig ModelConfig::fromPbtxt(const std::string& text, const std::string& where)
{
    if (text.size() > (1 << 20))
        bad(where, "is larger than 1 MiB; a model configuration is a few hundred bytes.");
    auto tree = TextParser(text, where).message(false, 0);
    // parameters in text form are repeated { key value } pairs: turn them into the JSON form's map.
    if (tree.contains("parameters")) {
        auto pairs = tree["parameters"].is_array() ? tree["parameters"] : json::array({ tree["parameters"] });
        json map = json::object();
        for (const auto& p : pairs)
            if (p.is_object() && p.contains("key") && p["key"].is_string())
                map[p["key"].get<std::string>()] = p.value("value", json::object());
        tree["parameters"] = map;
    }
    return fromJson(tree, where);
}

ModelConfig configFromCard(const Model& model, const std::string& name, std::int64_t maxBatchSize)
{
    const auto& card = model.card();
    const auto arguments = forwardArgumentNames(model);
    bool batched = !card.inputs.empty();
    for (const auto& spec : card.inputs)
        batched = batched && !spec.shape.empty() && spec.shape.front() == -1;
    ModelConfig c;
    c.name = name;
    c.maxBatchSize = batched ? maxBatchSize : 0;
    const auto strip = [&](std::vector<std::int64_t> shape) {
        if (batched && !shape.empty())
            shape.erase(shape.begin());
        return shape;
    };
    for (std::size_t i = 0; i < card.inputs.size(); ++i) {
        ServingTensor t;
        t.name = i < arguments.size() ? arguments[i] : "INPUT__" + std::to_string(i);
        t.dtype = card.inputs[i].dtype;
        t.dims = strip(card.inputs[i].shape);
        if (t.dims.empty()) { // Triton needs at least one axis: a list of strings is [1] reshaped to []
            t.dims = { 1 };
            t.reshape = std::vector<std::int64_t> {};
        }
        c.inputs.push_back(std::move(t));
    }
    const auto outputs = card.outputs.empty()
        ? std::vector<TensorSpec> { TensorSpec { "", DataType::Float32, { -1, -1 } } }
        : card.outputs;
    for (std::size_t i = 0; i < outputs.size(); ++i) {
        ServingTensor t;
        t.name = "OUTPUT__" + std::to_string(i);
        t.dtype = outputs[i].dtype;
        t.dims = strip(outputs[i].shape);
        if (t.dims.empty())
            t.dims = { -1 };
        if (i == 0 && !card.labels.empty())
            t.labelFilename = "labels.txt";
        c.outputs.push_back(std::move(t));
    }
    if (batched)
        c.dynamicBatching = DynamicBatching { {}, 0 }; // what waits while a batch runs joins the next one
    return c;
}

namespace {

bool validPlainName(std::string_view name, std::size_t longest)
{
    if (name.empty() || name.size() > longest || name[0] == '.' || name == "stats") // GET /v2/models/stats
        return false;
    return std::all_of(name.begin(), name.end(),
        [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.'; });
}

} // namespace

bool validModelName(const std::string& name)
{
    const auto at = name.find(kNamespaceSeparator);
    if (at == std::string::npos)
        return validPlainName(name, 128);
    const std::string_view whole(name);
    return validPlainName(whole.substr(0, at), 64) && validPlainName(whole.substr(at + 1), 128);
}

std::string modelFileName(const std::string& model, const std::string& version)
{
    return model + "/" + version + "/model.pt";
}

std::string plainModelName(const std::string& name)
{
    const auto at = name.find(kNamespaceSeparator);
    return at == std::string::npos ? name : name.substr(at + 1);
}

} // namespace maas::engine

namespace maas::engine {

void checkConfigAgainst(const ModelConfig& config, const Model& model)
{
    const auto& card = model.card();
    if (config.inputs.empty() || config.outputs.empty())
        throw Error(ErrorKind::InvalidInput,
            "the model configuration of " + config.name + " lists no " + (config.inputs.empty() ? "inputs" : "outputs")
                + "; list them (name, data_type, dims), or leave config.pbtxt out and one is made from the model's "
                  "card.");
    if (card.inputs.empty())
        return;
    if (card.inputs.size() != config.inputs.size())
        throw Error(ErrorKind::InvalidInput,
            "the model configuration of " + config.name + " lists " + std::to_string(config.inputs.size())
                + " input(s) but the model takes " + std::to_string(card.inputs.size()) + ".");
    for (std::size_t i = 0; i < card.inputs.size(); ++i) {
        const auto& spec = config.inputs[i];
        if (card.inputs[i].dtype != spec.dtype)
            throw Error(ErrorKind::InvalidInput,
                "the model configuration of " + config.name + " gives input " + spec.name + " "
                    + tritonTypeName(spec.dtype) + " but the model takes " + tritonTypeName(card.inputs[i].dtype)
                    + "; send a configuration that fits it with the load request.");
        // The shape the model gets (the reshape, when there is one) against the card's, axis by axis.
        auto shape = spec.reshape ? *spec.reshape : spec.dims;
        if (config.maxBatchSize > 0)
            shape.insert(shape.begin(), -1);
        const auto& takes = card.inputs[i].shape;
        bool fits = spec.dtype == DataType::Bytes || takes.empty() || takes.size() == shape.size();
        for (std::size_t a = 0; fits && spec.dtype != DataType::Bytes && a < takes.size(); ++a)
            fits = takes[a] == -1 || shape[a] == -1 || takes[a] == shape[a];
        if (!fits)
            throw Error(ErrorKind::InvalidInput,
                "the model configuration of " + config.name + " gives input " + spec.name + " the shape "
                    + shapeToString(shape) + " but the model takes " + shapeToString(takes)
                    + (config.maxBatchSize > 0 ? " (the first axis is the batch)" : "")
                    + "; send a configuration that fits it with the load request.");
    }
}

} // namespace maas::engine
