#include <ATen/record_function.h>

#include <filesystem>
#include <set>

#include "files.h"
#include "maas/engine/benchmark.h"
#include "maas/engine/error.h"
#include "sizes.h"
#include "torch_bridge.h"

namespace maas::engine {

namespace {

std::string typeName(const torch::jit::Module& m)
{
    std::string name = m.type()->name() ? m.type()->name()->qualifiedName() : "Module";
    for (const std::string prefix : { "__torch__.", "__main__." })
        if (name.rfind(prefix, 0) == 0)
            name = name.substr(prefix.size());
    // Scripted classes defined in __main__ come out as "___torch_mangle_3.Net": drop the mangle.
    const auto mangle = name.find("___torch_mangle_");
    if (mangle != std::string::npos)
        name = name.substr(name.find('.', mangle) + 1);
    return name;
}

void walk(const torch::jit::Module& m, const std::string& name, int depth, std::vector<LayerInfo>& out)
{
    LayerInfo layer;
    layer.name = name;
    layer.type = typeName(m);
    layer.depth = depth;
    for (const auto& p : m.named_parameters(false)) {
        ParameterInfo info;
        info.name = name.empty() ? p.name : name + "." + p.name;
        info.shape.assign(p.value.sizes().begin(), p.value.sizes().end());
        info.dtype = dataTypeName(fromScalarType(p.value.scalar_type()));
        info.count = p.value.numel();
        info.trainable = p.value.requires_grad();
        info.norm = p.value.is_floating_point() ? p.value.detach().norm().item<double>() : 0.0;
        layer.ownParameters += info.count;
        layer.parameters.push_back(std::move(info));
    }
    for (const auto& p : m.named_parameters(true))
        layer.totalParameters += p.value.numel();
    out.push_back(std::move(layer));
    for (const auto& child : m.named_children())
        walk(child.value, name.empty() ? child.name : name + "." + child.name, depth + 1, out);
}

std::vector<std::int64_t> sizesOf(const c10::IValue& v)
{
    if (!v.isTensor())
        return {};
    const auto s = v.toTensor().sizes();
    return { s.begin(), s.end() };
}

std::int64_t product(const std::vector<std::int64_t>& v, std::size_t from = 0)
{
    std::int64_t p = 1;
    for (std::size_t i = from; i < v.size(); ++i)
        p *= v[i];
    return p;
}

} // namespace

std::int64_t macsOf(const std::string& op, c10::ArrayRef<const c10::IValue> in)
{
    if (op == "aten::_convolution" && in.size() >= 9) {
        const auto x = sizesOf(in[0]), w = sizesOf(in[1]);
        if (x.size() < 3 || w.size() != x.size())
            return 0;
        const auto stride = in[3].toIntVector(), padding = in[4].toIntVector(), dilation = in[5].toIntVector();
        const bool transposed = in[6].toBool();
        const std::int64_t groups = in[8].toInt();
        const std::int64_t kernel = product(w, 2);
        if (transposed) // every input position scatters into out-channels/groups x kernel outputs
            return x[0] * product(x, 2) * x[1] * (w[1]) * kernel;
        std::int64_t outPositions = 1;
        for (std::size_t d = 2; d < x.size(); ++d) {
            const auto i = d - 2;
            const auto s = stride.size() > i ? stride[i] : 1, p = padding.size() > i ? padding[i] : 0,
                       dl = dilation.size() > i ? dilation[i] : 1;
            outPositions *= (x[d] + 2 * p - dl * (w[d] - 1) - 1) / s + 1;
        }
        return x[0] * w[0] * outPositions * (x[1] / groups) * kernel;
    }
    if ((op == "aten::mm" && in.size() >= 2) || (op == "aten::addmm" && in.size() >= 3)) {
        const auto a = sizesOf(in[op == "aten::mm" ? 0 : 1]), b = sizesOf(in[op == "aten::mm" ? 1 : 2]);
        return a.size() == 2 && b.size() == 2 ? a[0] * a[1] * b[1] : 0;
    }
    if ((op == "aten::bmm" && in.size() >= 2) || (op == "aten::baddbmm" && in.size() >= 3)) {
        const auto a = sizesOf(in[op == "aten::bmm" ? 0 : 1]), b = sizesOf(in[op == "aten::bmm" ? 1 : 2]);
        return a.size() == 3 && b.size() == 3 ? a[0] * a[1] * a[2] * b[2] : 0;
    }
    if ((op == "aten::mv" && in.size() >= 2) || (op == "aten::addmv" && in.size() >= 3)) {
        const auto a = sizesOf(in[op == "aten::mv" ? 0 : 1]);
        return a.size() == 2 ? a[0] * a[1] : 0;
    }
    return 0;
}

namespace {

struct MacCounter {
    std::map<std::string, std::int64_t> byOperator;
};
thread_local MacCounter* t_counter = nullptr;

ComputeEstimate estimateCompute(const Model& model, const std::vector<InputShape>& shapes)
{
    const auto& impl = model.impl();
    for (std::size_t i = 0; i < shapes.size(); ++i)
        if (shapes[i].dtype.value_or(i < impl.card.inputs.size() ? impl.card.inputs[i].dtype : DataType::Float32)
            == DataType::Bytes)
            throw Error(ErrorKind::InvalidInput,
                "compute can only be estimated for tensor inputs; input " + std::to_string(i) + " takes text.");
    for (const auto& shape : shapes)
        if (const auto n = checkedProduct(shape.shape); n < 0 || n > limits::kSampleElements)
            throw Error(ErrorKind::InvalidInput,
                "the input shape " + shapeToString(shape.shape) + " has more than the limit of "
                    + std::to_string(limits::kSampleElements) + " values; give a smaller shape.",
                "input_shape",
                shapeToString(shape.shape) + " has more than the limit of " + std::to_string(limits::kSampleElements)
                    + " values; give a smaller shape.");
    const std::vector<Tensor> inputs = syntheticInputs(model, shapes);

    const ThreadLease threads(impl.workload);
    MacCounter counter;
    t_counter = &counter;
    auto handle = at::addThreadLocalCallback(
        at::RecordFunctionCallback([](const at::RecordFunction& fn) -> std::unique_ptr<at::ObserverContext> {
            if (t_counter) {
                const std::string op = fn.name();
                if (const auto macs = macsOf(op, fn.inputs()))
                    t_counter->byOperator[op] += macs;
            }
            return nullptr;
        }).needsInputs(true));
    try {
        std::vector<c10::IValue> args = toForwardArguments(impl.card, inputs); // inside: the callback must go
        c10::InferenceMode guard;
        auto module = archivedModule(impl); // forward is const-correct only on a copy of the handle
        module.forward(std::move(args));
    } catch (const std::exception& e) {
        at::removeCallback(handle);
        t_counter = nullptr;
        const std::string what = shapeToString(inputs.front().shape) + " " + dataTypeName(inputs.front().dtype);
        const std::string why = " (" + torchMessage(e) + "); give the shape and datatype the model expects.";
        throw Error(ErrorKind::InvalidInput, "the model cannot run on inputs of shape " + what + why, "input_shape",
            what + " does not fit the model" + why);
    }
    at::removeCallback(handle);
    t_counter = nullptr;

    ComputeEstimate estimate;
    for (const auto& input : inputs) {
        estimate.inputShapes.push_back(input.shape);
        estimate.inputTypes.push_back(input.dtype);
    }
    estimate.macsByOperator = counter.byOperator;
    for (const auto& [op, macs] : counter.byOperator)
        estimate.macs += macs;
    estimate.flops = 2 * estimate.macs;
    return estimate;
}

ModelReport describe(const Model::Impl& impl)
{
    const auto& module = archivedModule(impl); // what the file holds, not oneDNN's in-memory layouts
    ModelReport report;
    report.path = impl.path;
    if (!report.path.empty()) {
        report.fileBytes = static_cast<std::int64_t>(std::filesystem::file_size(report.path));
        report.sha256 = sha256File(report.path);
    }
    std::set<const void*> storages;
    const auto countMemory = [&](const at::Tensor& t) {
        if (storages.insert(t.storage().data()).second)
            report.memoryBytes += static_cast<std::int64_t>(t.storage().nbytes());
    };
    for (const auto& p : module.named_parameters(true)) {
        report.totalParameters += p.value.numel();
        if (p.value.requires_grad())
            report.trainableParameters += p.value.numel();
        ++report.parameterTensors;
        report.parametersByDtype[dataTypeName(fromScalarType(p.value.scalar_type()))] += p.value.numel();
        countMemory(p.value);
    }
    for (const auto& b : module.named_buffers(true)) {
        report.bufferCount += b.value.numel();
        countMemory(b.value);
    }
    // A frozen model (maas optimize, quantize, torch.jit.freeze) holds its weights as constants of its
    // graph, which name no module once written: they are listed in the graph's order under the root.
    LayerInfo constants { "(weights in the graph)", "constants", 1, 0, 0, {} };
    forEachConstantTensor(module, [&](const at::Tensor& t) {
        if (!t.has_storage() || storages.count(t.storage().data()))
            return;
        countMemory(t);
        report.totalParameters += t.numel();
        ++report.parameterTensors;
        const std::string dtype = dataTypeName(fromScalarType(t.is_quantized() ? at::kChar : t.scalar_type()));
        report.parametersByDtype[dtype] += t.numel();
        const auto values = t.is_quantized() ? t.dequantize() : t;
        constants.parameters.push_back({ "weight " + std::to_string(constants.parameters.size() + 1), t.sizes().vec(),
            dtype, t.numel(), false, values.is_floating_point() ? values.to(at::kFloat).norm().item<double>() : 0.0 });
        constants.ownParameters += t.numel();
    });
    const auto& schema = module.get_method("forward").function().getSchema();
    std::string signature = "forward(";
    for (std::size_t i = 1; i < schema.arguments().size(); ++i)
        signature += (i > 1 ? ", " : "") + schema.arguments()[i].name() + ": " + schema.arguments()[i].type()->str();
    signature += ") -> ";
    for (std::size_t i = 0; i < schema.returns().size(); ++i)
        signature += (i ? ", " : "") + schema.returns()[i].type()->str();
    report.forwardSignature = signature;
    walk(module, "", 0, report.layers);
    if (!constants.parameters.empty()) {
        constants.totalParameters = constants.ownParameters;
        report.layers.front().totalParameters += constants.ownParameters;
        report.layers.insert(report.layers.begin() + 1, std::move(constants));
    }
    return report;
}

} // namespace

ModelReport Model::inspect(const std::optional<std::vector<std::vector<std::int64_t>>>& inputShapes) const
{
    if (!inputShapes)
        return inspect(std::vector<InputShape> {});
    std::vector<InputShape> shapes;
    for (const auto& shape : *inputShapes)
        shapes.push_back({ shape, std::nullopt });
    return inspect(shapes);
}

ModelReport Model::inspect(const std::vector<InputShape>& inputs) const
{
    ModelReport report = describe(*m_impl);
    if (!inputs.empty())
        report.compute = estimateCompute(*this, inputs);
    return report;
}

} // namespace maas::engine

namespace maas::engine {

static std::vector<std::string> typeNames(const std::vector<DataType>& types)
{
    std::vector<std::string> names;
    for (const auto t : types)
        names.push_back(dataTypeName(t));
    return names;
}

nlohmann::json reportToJson(const ModelReport& r)
{
    using nlohmann::json;
    json layers = json::array();
    for (const auto& l : r.layers) {
        json params = json::array();
        for (const auto& p : l.parameters)
            params.push_back({ { "name", p.name }, { "shape", p.shape }, { "datatype", p.dtype }, { "count", p.count },
                { "trainable", p.trainable }, { "norm", p.norm } });
        layers.push_back(
            { { "name", l.name }, { "type", l.type }, { "depth", l.depth }, { "own_parameters", l.ownParameters },
                { "total_parameters", l.totalParameters }, { "parameters", params } });
    }
    json j = { { "path", r.path }, { "sha256", r.sha256 }, { "file_bytes", r.fileBytes },
        { "memory_bytes", r.memoryBytes }, { "total_parameters", r.totalParameters },
        { "trainable_parameters", r.trainableParameters }, { "parameter_tensors", r.parameterTensors },
        { "buffer_values", r.bufferCount }, { "parameters_by_datatype", r.parametersByDtype },
        { "forward", r.forwardSignature }, { "layers", layers } };
    if (r.compute)
        j["compute"] = { { "input_shapes", r.compute->inputShapes },
            { "input_datatypes", typeNames(r.compute->inputTypes) }, { "macs", r.compute->macs },
            { "flops", r.compute->flops }, { "macs_by_operator", r.compute->macsByOperator } };
    return j;
}

std::vector<std::string> forwardArgumentNames(const Model& model)
{
    const auto& schema = model.impl().module.get_method("forward").function().getSchema();
    std::vector<std::string> names;
    for (std::size_t i = 1; i < schema.arguments().size(); ++i)
        names.push_back(schema.arguments()[i].name());
    return names;
}

} // namespace maas::engine
