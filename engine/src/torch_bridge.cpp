#include "torch_bridge.h"

#include <cstring>

#include "maas/engine/error.h"

namespace maas::engine {

at::ScalarType toScalarType(DataType type)
{
    switch (type) {
    case DataType::Bool: return at::kBool;
    case DataType::UInt8: return at::kByte;
    case DataType::Int8: return at::kChar;
    case DataType::Int16: return at::kShort;
    case DataType::Int32: return at::kInt;
    case DataType::Int64: return at::kLong;
    case DataType::Float16: return at::kHalf;
    case DataType::Float32: return at::kFloat;
    case DataType::Float64: return at::kDouble;
    case DataType::Bytes: break;
    }
    throw Error(ErrorKind::InvalidInput, "BYTES (string) data cannot become a numeric tensor; give numbers instead.");
}

DataType fromScalarType(at::ScalarType type)
{
    switch (type) {
    case at::kBool: return DataType::Bool;
    case at::kByte:
    case at::kQUInt8: return DataType::UInt8;
    case at::kChar:
    case at::kQInt8: return DataType::Int8;
    case at::kShort: return DataType::Int16;
    case at::kInt:
    case at::kQInt32: return DataType::Int32;
    case at::kLong: return DataType::Int64;
    case at::kHalf: return DataType::Float16;
    case at::kFloat: return DataType::Float32;
    case at::kDouble: return DataType::Float64;
    default: break;
    }
    throw Error(ErrorKind::InvalidInput,
        std::string("tensors of type ") + c10::toString(type) + " are not supported here; convert them to float32.");
}

at::Tensor toTorch(const Tensor& tensor)
{
    const auto type = toScalarType(tensor.dtype);
    const auto expected = static_cast<std::size_t>(tensor.numel()) * elementSize(tensor.dtype);
    if (tensor.data.size() != expected)
        throw Error(ErrorKind::InvalidInput,
            "a tensor of shape " + shapeToString(tensor.shape) + " needs " + std::to_string(expected) + " bytes of "
                + dataTypeName(tensor.dtype) + " data but has " + std::to_string(tensor.data.size()) + ".");
    auto out = at::empty(tensor.shape, at::TensorOptions().dtype(type));
    if (expected)
        std::memcpy(out.data_ptr(), tensor.data.data(), expected);
    return out;
}

Tensor fromTorch(const at::Tensor& input)
{
    at::Tensor t = input.is_quantized() ? input.dequantize() : input;
    t = t.contiguous();
    Tensor out;
    out.dtype = fromScalarType(t.scalar_type());
    out.shape.assign(t.sizes().begin(), t.sizes().end());
    out.data.resize(t.nbytes());
    if (t.nbytes())
        std::memcpy(out.data.data(), t.data_ptr(), t.nbytes());
    return out;
}

std::vector<c10::IValue> toForwardArguments(const ModelCard& card, const std::vector<Tensor>& inputs)
{
    std::vector<c10::IValue> args;
    args.reserve(inputs.size());
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        const bool text
            = inputs[i].dtype == DataType::Bytes || (i < card.inputs.size() && card.inputs[i].dtype == DataType::Bytes);
        if (text) {
            c10::List<std::string> list;
            for (const auto& s : inputs[i].strings)
                list.push_back(s);
            args.emplace_back(std::move(list));
        } else {
            args.emplace_back(toTorch(inputs[i]));
        }
    }
    return args;
}

static void collect(const c10::IValue& value, std::vector<Tensor>& out)
{
    if (value.isTensor()) {
        out.push_back(fromTorch(value.toTensor()));
    } else if (value.isTuple()) {
        for (const auto& element : value.toTupleRef().elements())
            collect(element, out);
    } else if (value.isList()) {
        for (const auto& element : value.toListRef())
            collect(element, out);
    } else if (value.isGenericDict()) {
        for (const auto& entry : value.toGenericDict())
            collect(entry.value(), out);
    } else if (value.isDouble() || value.isInt()) {
        out.push_back(Tensor::fromFloats({ 1 }, { static_cast<float>(value.toScalar().toDouble()) }));
    } else {
        throw Error(ErrorKind::InvalidModel,
            "the model's forward returned a " + value.tagKind()
                + ", which is not a tensor; return a tensor, or a tuple, list or dict of tensors.");
    }
}

std::vector<Tensor> fromForwardResult(const c10::IValue& result)
{
    std::vector<Tensor> out;
    collect(result, out);
    return out;
}

Workload workloadOf(const torch::jit::Module& module)
{
    const auto convolutionWeight = [](const at::Tensor& t) { return t.dim() >= 3 && t.dim() <= 5; };
    for (const auto& p : module.named_parameters(true))
        if (convolutionWeight(p.value))
            return Workload::Convolution;
    // A frozen model keeps its weights as constants of the graph, and a quantized one packs them for its
    // engine (in constants, or attributes when quantized in Python), whose kernels run on the OpenMP pool.
    bool intraOp = false;
    for (const auto& a : module.named_attributes(true))
        intraOp = intraOp || a.value.type()->str().find("PackedParams") != std::string::npos;
    if (const auto forward = module.find_method("forward"))
        for (const auto* node : allNodes(forward->graph()))
            if (node->kind() == c10::prim::Constant)
                if (const auto value = torch::jit::toIValue(node->output()))
                    intraOp
                        = intraOp || value->isObject() || (value->isTensor() && convolutionWeight(value->toTensor()));
    return intraOp ? Workload::Convolution : Workload::MatrixProducts;
}

namespace {

// LibTorch's assertions ("isObject() INTERNAL ASSERT FAILED at \"../aten/...h\":1375, please report a bug to
// PyTorch. Expected Object but got GenericDict") name its own sources: keep only what describes the input.
std::string withoutAssertion(const std::string& line)
{
    if (line.find("ASSERT FAILED") == std::string::npos && line.find("CHECK FAILED") == std::string::npos)
        return line;
    const auto tail = line.find("PyTorch. ");
    const std::string rest = tail == std::string::npos ? std::string() : line.substr(tail + 9);
    return rest.empty() ? "its contents are inconsistent" : "its contents are inconsistent: " + rest;
}

} // namespace

std::string torchMessage(const std::exception& e)
{
    if (const auto* c10error = dynamic_cast<const c10::Error*>(&e)) {
        const std::string text = c10error->what_without_backtrace();
        return withoutAssertion(text.substr(0, text.find('\n')));
    }
    // Interpreter failures end with the Python-style exception line after the two tracebacks.
    const std::string text = e.what();
    std::string last;
    std::size_t start = 0;
    while (start < text.size()) {
        const auto end = std::min(text.find('\n', start), text.size());
        const std::string line = text.substr(start, end - start);
        if (line.find("Error: ") != std::string::npos && line.find_first_not_of(' ') == 0)
            last = line.substr(line.find("Error: ") + 7);
        start = end + 1;
    }
    if (last.empty())
        last = text.substr(0, text.find('\n'));
    return withoutAssertion(last);
}

} // namespace maas::engine

namespace maas::engine {

namespace {

void visitTensors(const c10::IValue& value, const std::function<void(const at::Tensor&)>& visit)
{
    if (value.isTensor())
        visit(value.toTensor());
    else if (value.isList())
        for (const auto& item : value.toListRef())
            visitTensors(item, visit);
    else if (value.isTuple())
        for (const auto& item : value.toTupleRef().elements())
            visitTensors(item, visit);
    else if (value.isObject())
        // Quantized layers keep their weights packed for the engine; unpack gives them back (weight, bias).
        if (auto* unpack = value.toObjectRef().type()->findMethod("unpack")) {
            torch::jit::Stack stack { value };
            unpack->run(stack);
            for (const auto& item : stack)
                visitTensors(item, visit);
        }
}

} // namespace

namespace {

void collectNodes(torch::jit::Block* block, std::vector<torch::jit::Node*>& out)
{
    for (auto* node : block->nodes()) {
        for (auto* inner : node->blocks())
            collectNodes(inner, out);
        out.push_back(node);
    }
}

} // namespace

std::vector<torch::jit::Node*> allNodes(const std::shared_ptr<torch::jit::Graph>& graph)
{
    std::vector<torch::jit::Node*> nodes;
    collectNodes(graph->block(), nodes);
    return nodes;
}

void forEachConstantTensor(const torch::jit::Module& module, const std::function<void(const at::Tensor&)>& visit)
{
    const auto forward = module.find_method("forward");
    if (!forward)
        return;
    for (auto* node : allNodes(forward->graph()))
        if (node->kind() == c10::prim::Constant)
            if (const auto value = torch::jit::toIValue(node->output()))
                visitTensors(*value, visit);
}

} // namespace maas::engine
