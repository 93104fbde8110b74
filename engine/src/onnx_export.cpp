// TorchScript's forward graph (inlined as the inspector draws it) written as an ONNX model with Debian's
// libonnx: its protobuf messages, checker and shape inference. One handler per ATen operator.
#include "maas/engine/onnx.h"

#include <onnx/checker.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include "files.h"
#include "maas/engine/card.h"
#include "maas/engine/error.h"
#include "maas/engine/model.h"
#include "torch_bridge.h"

#include <torch/csrc/jit/passes/remove_mutation.h>

namespace maas::engine {
namespace {

using torch::jit::Node;
using torch::jit::Value;

constexpr int kMinOpset = 13;
constexpr int kMaxOpset = 17; // the newest Debian's libonnx 1.12 knows

// A list argument of ints where one entry may be "the batch size of x" (x.size(0)), as view() takes.
using ShapeList = std::vector<std::optional<std::int64_t>>;

class Exporter {
public:
    Exporter(const torch::jit::Module& root, const Owners& owners, onnx::GraphProto& graph)
        : m_root(root)
        , m_owners(owners)
        , m_graph(graph)
    {
    }

    void input(const Value* v, const std::string& name, int rank)
    {
        m_tensor[v] = name;
        m_rank[v] = rank;
    }

    void run(const torch::jit::Graph& graph)
    {
        m_modules[graph.inputs()[0]] = c10::IValue(m_root._ivalue());
        for (const Node* n : graph.nodes())
            visit(n);
    }

    /// The ONNX name of a tensor value the graph returns.
    std::string output(const Value* v) const
    {
        const auto found = m_tensor.find(v);
        if (found == m_tensor.end())
            throw Error(ErrorKind::InvalidModel,
                "the model's forward returns something other than tensors, which ONNX cannot.");
        return found->second;
    }

    void finish()
    {
        foldBatchNorms();
        std::set<std::string> used; // an initializer nothing reads (a folded batch norm's) is not written
        for (const auto& node : m_graph.node())
            used.insert(node.input().begin(), node.input().end());
        for (const auto& [name, tensor] : m_initializers)
            if (used.count(name))
                addInitializer(name, tensor);
    }

    int foldedBatchNorms() const { return m_folded; }

    // A BatchNormalization whose input only a Conv writes and only it reads is folded into that Conv, as
    // torch.onnx.export does in eval mode: the weights scaled by gamma / sqrt(var + eps), the bias moved.
    // The Conv gets new initializers (another node may share the old ones) and the batch norm's output name.
    void foldBatchNorms()
    {
        std::unordered_map<std::string, int> readers;
        for (const auto& node : m_graph.node())
            for (const auto& input : node.input())
                ++readers[input];
        std::set<const onnx::NodeProto*> folded;
        for (const auto& bn : m_graph.node()) {
            const auto producer = m_producer.find(bn.op_type() == "BatchNormalization" ? bn.input(0) : std::string());
            if (producer == m_producer.end() || producer->second->op_type() != "Conv" || readers[bn.input(0)] != 1)
                continue;
            auto* conv = producer->second;
            const auto heldOr = [&](const std::string& name) -> const at::Tensor* {
                const auto found = m_initializers.find(name);
                return found == m_initializers.end() ? nullptr : &found->second;
            };
            const at::Tensor *gamma = heldOr(bn.input(1)), *beta = heldOr(bn.input(2)), *mean = heldOr(bn.input(3)),
                             *var = heldOr(bn.input(4)), *weight = heldOr(conv->input(1));
            const at::Tensor* bias = conv->input_size() > 2 ? heldOr(conv->input(2)) : nullptr;
            if (!gamma || !beta || !mean || !var || !weight || (conv->input_size() > 2 && !bias))
                continue; // something computed as it runs: left as it is
            const auto scale = *gamma / (*var + bn.attribute(0).f()).sqrt();
            std::vector<std::int64_t> shape(static_cast<std::size_t>(weight->dim()), 1);
            shape[0] = -1; // one scale per output channel
            const std::string weightName = conv->input(1);
            const auto newWeight = (*weight * scale.reshape(shape)).contiguous();
            const auto newBias = ((bias ? *bias : at::zeros_like(*mean)) - *mean) * scale + *beta;
            const std::string base = weightName.substr(0, weightName.rfind('.'));
            // Replaced where only this Conv reads them, else new ones beside them.
            const auto replace = [&](const std::string& name, const at::Tensor& value) {
                if (readers[name] != 1)
                    return initializer(name, value);
                m_initializers[name] = value;
                return name;
            };
            conv->set_input(1, replace(weightName, newWeight));
            if (conv->input_size() > 2)
                conv->set_input(2, replace(conv->input(2), newBias));
            else
                conv->add_input(initializer(base + ".bias", newBias));
            conv->set_output(0, bn.output(0));
            folded.insert(&bn);
        }
        if (folded.empty())
            return;
        google::protobuf::RepeatedPtrField<onnx::NodeProto> kept;
        for (const auto& node : m_graph.node())
            if (!folded.count(&node))
                *kept.Add() = node;
        m_graph.mutable_node()->Swap(&kept);
        m_folded = static_cast<int>(folded.size());
    }
    int removedDropouts() const { return m_dropouts; }

private:
    // --- values -------------------------------------------------------------------------------------

    std::string where(const Node* n) const
    {
        const auto found = m_owners.find(n);
        return found == m_owners.end() || found->second.empty() ? std::string("the model's own forward")
                                                                : "module " + found->second;
    }

    [[noreturn]] void refuse(const Node* n, const std::string& why) const
    {
        throw Error(ErrorKind::InvalidModel,
            "cannot export to ONNX: " + std::string(n->kind().toQualString()) + " in " + where(n) + " " + why);
    }

    c10::IValue constant(const Node* n, std::size_t i) const
    {
        const Value* v = n->input(i);
        if (const auto found = m_constants.find(v); found != m_constants.end())
            return found->second;
        refuse(n, "takes a setting (argument " + std::to_string(i) + ") that is only known while it runs.");
    }

    std::vector<std::int64_t> ints(const Node* n, std::size_t i) const
    {
        const auto value = constant(n, i);
        if (value.isInt())
            return { value.toInt() };
        if (!value.isIntList())
            refuse(n, "takes a setting (argument " + std::to_string(i) + ") that is not a list of whole numbers.");
        return value.toIntVector();
    }

    double number(const Node* n, std::size_t i) const
    {
        const auto value = constant(n, i);
        if (value.isDouble())
            return value.toDouble();
        if (value.isInt())
            return static_cast<double>(value.toInt());
        refuse(n, "takes a setting (argument " + std::to_string(i) + ") that is not a number.");
    }

    bool isNone(const Node* n, std::size_t i) const
    {
        const auto found = m_constants.find(n->input(i));
        return found != m_constants.end() && found->second.isNone();
    }

    // The ONNX name of a tensor input: a value computed by the graph, or a weight (an initializer named
    // after its parameter, or after the module and role for a frozen model's constants).
    std::string tensor(const Node* n, std::size_t i, const std::string& role = "weight")
    {
        const Value* v = n->input(i);
        if (const auto found = m_tensor.find(v); found != m_tensor.end())
            return found->second;
        if (const auto found = m_weights.find(v); found != m_weights.end()) {
            std::string name = found->second.second;
            if (name.empty()) {
                const auto owner = m_owners.find(n);
                name = (owner == m_owners.end() || owner->second.empty() ? std::string("constant") : owner->second)
                    + "." + role;
            }
            name = initializer(name, found->second.first);
            m_tensor[v] = name;
            m_rank[v] = static_cast<int>(found->second.first.dim());
            return name;
        }
        if (const auto found = m_constants.find(v);
            found != m_constants.end() && (found->second.isDouble() || found->second.isInt()))
            return scalar(
                found->second.isDouble() ? found->second.toDouble() : static_cast<double>(found->second.toInt()));
        refuse(n, "takes an input (argument " + std::to_string(i) + ") that is not a tensor this exporter follows.");
    }

    int rankOf(const Value* v) const
    {
        const auto found = m_rank.find(v);
        return found == m_rank.end() ? -1 : found->second;
    }

    std::string initializer(const std::string& wanted, const at::Tensor& value)
    {
        std::string name = wanted;
        for (int i = 2; m_initializers.count(name) && !m_initializers.at(name).is_same(value); ++i)
            name = wanted + "_" + std::to_string(i);
        m_initializers.emplace(name, value);
        return name;
    }

    std::string scalar(double value)
    {
        return initializer("maas.scalar." + std::to_string(m_scalars++), at::tensor(static_cast<float>(value)));
    }

    std::string int64s(const std::string& name, const std::vector<std::int64_t>& values)
    {
        return initializer(name, at::tensor(values, at::kLong));
    }

    void addInitializer(const std::string& name, const at::Tensor& value)
    {
        auto t = value.detach().contiguous();
        auto* init = m_graph.add_initializer();
        init->set_name(name);
        for (const auto d : t.sizes())
            init->add_dims(d);
        if (t.scalar_type() == at::kLong) {
            init->set_data_type(onnx::TensorProto::INT64);
        } else {
            t = t.to(at::kFloat).contiguous();
            init->set_data_type(onnx::TensorProto::FLOAT);
        }
        init->set_raw_data(t.data_ptr(), static_cast<std::size_t>(t.numel() * t.element_size()));
    }

    // --- nodes --------------------------------------------------------------------------------------

    onnx::NodeProto* emit(const Node* from, const std::string& op, const std::vector<std::string>& inputs,
        std::size_t output = 0, int rank = -1)
    {
        auto* node = m_graph.add_node();
        node->set_op_type(op);
        const auto owner = m_owners.find(from);
        node->set_name((owner == m_owners.end() || owner->second.empty() ? std::string() : owner->second + "/") + op
            + "_" + std::to_string(m_graph.node_size()));
        for (const auto& in : inputs)
            node->add_input(in);
        const std::string name = from->output(output)->debugName() + "_" + std::to_string(m_graph.node_size());
        node->add_output(name);
        m_tensor[from->output(output)] = name;
        m_rank[from->output(output)] = rank;
        m_producer[name] = node;
        return node;
    }

    // An intermediate result inside one handler (Gelu's pieces, Linear's MatMul before its Add).
    std::string step(const Node* from, const std::string& op, const std::vector<std::string>& inputs)
    {
        auto* node = m_graph.add_node();
        node->set_op_type(op);
        node->set_name(op + "_" + std::to_string(m_graph.node_size()));
        for (const auto& in : inputs)
            node->add_input(in);
        const std::string name = from->output()->debugName() + "_step" + std::to_string(m_graph.node_size());
        node->add_output(name);
        return name;
    }

    static void attr(onnx::NodeProto* node, const std::string& name, const std::vector<std::int64_t>& values)
    {
        auto* a = node->add_attribute();
        a->set_name(name);
        a->set_type(onnx::AttributeProto::INTS);
        for (const auto v : values)
            a->add_ints(v);
    }

    static void attr(onnx::NodeProto* node, const std::string& name, std::int64_t value)
    {
        auto* a = node->add_attribute();
        a->set_name(name);
        a->set_type(onnx::AttributeProto::INT);
        a->set_i(value);
    }

    static void attrFloat(onnx::NodeProto* node, const std::string& name, double value)
    {
        auto* a = node->add_attribute();
        a->set_name(name);
        a->set_type(onnx::AttributeProto::FLOAT);
        a->set_f(static_cast<float>(value));
    }

    void alias(const Node* n, std::size_t input = 0)
    {
        m_tensor[n->output()] = tensor(n, input);
        m_rank[n->output()] = rankOf(n->input(input));
    }

    // --- the walk -----------------------------------------------------------------------------------

    void visit(const Node* n)
    {
        const std::string op = n->kind().toQualString();
        if (op == "prim::Constant")
            return constantNode(n);
        if (op == "prim::TupleConstruct" && n->output()->uses().size() == 1
            && n->output()->uses()[0].user->kind() == c10::prim::Return)
            return; // forward returns several tensors: each is a graph output
        refuseLostWrite(n, op);
        if (op == "prim::GetAttr")
            return getAttr(n);
        if (op == "prim::ListConstruct")
            return listConstruct(n);
        if (op == "aten::size")
            return size(n);
        if (decide(n, op) || translate(n, op))
            return;
        if (n->blocks().size())
            refuse(n, "is control flow that depends on the input, which this exporter does not write as ONNX.");
        refuse(n, "has no ONNX form in this exporter; export a model without it, or keep it as TorchScript.");
    }

    // An in-place op (add_, relu_, ...) left after RemoveTensorMutation: refused when the value it changes
    // is read again later, since in ONNX every value is written once and the later reader would see the old.
    void refuseLostWrite(const Node* n, const std::string& op) const
    {
        if (op.back() != '_' || op.rfind("aten::", 0) != 0)
            return;
        for (const auto& use : n->input(0)->uses())
            if (use.user != n && use.user->isAfter(n))
                refuse(n,
                    "changes a tensor in place that is read again later, which ONNX, where every value is "
                    "written once, cannot express.");
    }

    // One ATen operator written as ONNX; false when this exporter has no form for it.
    bool translate(const Node* n, const std::string& op)
    {
        using Handler = void (Exporter::*)(const Node*);
        static const std::unordered_map<std::string, Handler> handlers {
            { "aten::linear", &Exporter::linear },
            { "aten::conv1d", &Exporter::conv },
            { "aten::conv2d", &Exporter::conv },
            { "aten::_convolution", &Exporter::conv },
            { "aten::batch_norm", &Exporter::batchNorm },
            { "aten::max_pool1d", &Exporter::maxPool },
            { "aten::max_pool2d", &Exporter::maxPool },
            { "aten::avg_pool1d", &Exporter::avgPool },
            { "aten::avg_pool2d", &Exporter::avgPool },
            { "aten::adaptive_avg_pool1d", &Exporter::adaptiveAvgPool },
            { "aten::adaptive_avg_pool2d", &Exporter::adaptiveAvgPool },
            { "aten::flatten", &Exporter::flatten },
            { "aten::view", &Exporter::reshape },
            { "aten::reshape", &Exporter::reshape },
            { "aten::add", &Exporter::arithmetic },
            { "aten::add_", &Exporter::arithmetic },
            { "aten::sub", &Exporter::arithmetic },
            { "aten::mul", &Exporter::arithmetic },
            { "aten::mul_", &Exporter::arithmetic },
            { "aten::div", &Exporter::arithmetic },
            { "aten::cat", &Exporter::cat },
            { "aten::mean", &Exporter::mean },
            { "aten::softmax", &Exporter::softmax },
            { "aten::log_softmax", &Exporter::softmax },
            { "aten::hardtanh", &Exporter::clip },
            { "aten::hardtanh_", &Exporter::clip },
            { "aten::relu6", &Exporter::clip },
            { "aten::gelu", &Exporter::gelu },
            { "aten::leaky_relu", &Exporter::leakyRelu },
            { "aten::leaky_relu_", &Exporter::leakyRelu },
            { "aten::elu", &Exporter::elu },
            { "aten::silu", &Exporter::silu },
            { "aten::silu_", &Exporter::silu },
        };
        static const std::unordered_map<std::string, std::string> elementwise {
            { "aten::relu", "Relu" },
            { "aten::relu_", "Relu" },
            { "aten::sigmoid", "Sigmoid" },
            { "aten::sigmoid_", "Sigmoid" },
            { "aten::tanh", "Tanh" },
            { "aten::tanh_", "Tanh" },
        };
        static const std::set<std::string> dropout { "aten::dropout", "aten::dropout_", "aten::feature_dropout",
            "aten::alpha_dropout", "aten::feature_alpha_dropout" };
        static const std::set<std::string> identity { "aten::contiguous", "aten::detach", "aten::clone" };
        if (const auto found = handlers.find(op); found != handlers.end()) {
            (this->*found->second)(n);
        } else if (const auto found = elementwise.find(op); found != elementwise.end()) {
            emit(n, found->second, { tensor(n, 0) }, 0, rankOf(n->input(0)));
        } else if (dropout.count(op)) {
            if (n->inputs().size() > 2 && m_constants.count(n->input(2)) && constant(n, 2).toBool())
                refuse(n, "drops values at random even when served (train=True), which ONNX would not.");
            ++m_dropouts;
            alias(n);
        } else if (identity.count(op)) {
            alias(n);
        } else {
            return false;
        }
        return true;
    }

    // Checks that only look at what is fixed by the export (an input's rank, a setting, None), and the
    // branches they choose: nn.BatchNorm2d's `if input.dim() != 4: raise ...`, say. True when `n` was one.
    bool decide(const Node* n, const std::string& op)
    {
        static const std::set<std::string> compare { "aten::eq", "aten::ne", "aten::lt", "aten::gt", "aten::le",
            "aten::ge" };
        if (op == "aten::dim") {
            if (rankOf(n->input(0)) <= 0)
                refuse(n, "reads the rank of a tensor whose rank this exporter does not know.");
            m_constants[n->output()] = static_cast<std::int64_t>(rankOf(n->input(0)));
        } else if (compare.count(op) && m_constants.count(n->input(0)) && m_constants.count(n->input(1))) {
            const double a = number(n, 0), b = number(n, 1);
            bool result = a >= b;
            if (op == "aten::eq")
                result = a == b;
            else if (op == "aten::ne")
                result = a != b;
            else if (op == "aten::lt")
                result = a < b;
            else if (op == "aten::gt")
                result = a > b;
            else if (op == "aten::le")
                result = a <= b;
            m_constants[n->output()] = result;
        } else if (op == "aten::__not__" && m_constants.count(n->input(0))) {
            m_constants[n->output()] = !constant(n, 0).toBool();
        } else if (op == "aten::__is__" || op == "aten::__isnot__") {
            const bool same = isNone(n, 0) == isNone(n, 1) && (isNone(n, 0) || n->input(0) == n->input(1));
            m_constants[n->output()] = op == "aten::__is__" ? same : !same;
        } else if (op == "prim::If" && m_constants.count(n->input(0))) {
            const torch::jit::Block* taken = n->blocks()[constant(n, 0).toBool() ? 0 : 1];
            for (const Node* inner : taken->nodes())
                visit(inner);
            for (std::size_t i = 0; i < n->outputs().size(); ++i)
                same(n->output(i), taken->outputs()[i]);
        } else if (op == "aten::len" && m_sizesOf.count(n->input(0))) {
            const int rank = rankOf(m_sizesOf.at(n->input(0)));
            if (rank <= 0)
                refuse(n, "reads the rank of a tensor whose rank this exporter does not know.");
            m_constants[n->output()] = static_cast<std::int64_t>(rank);
        } else if (op == "prim::RaiseException") {
            refuse(n, "raises an error for the input shape given.");
        } else if (op == "prim::unchecked_cast") {
            same(n->output(), n->input(0));
        } else if (op != "prim::Uninitialized" && op != "aten::warn") {
            return false;
        }
        return true;
    }

    // `to` stands for whatever `from` is.
    void same(const Value* to, const Value* from)
    {
        if (const auto f = m_tensor.find(from); f != m_tensor.end())
            m_tensor[to] = f->second;
        if (const auto f = m_rank.find(from); f != m_rank.end())
            m_rank[to] = f->second;
        if (const auto f = m_constants.find(from); f != m_constants.end())
            m_constants[to] = f->second;
        if (const auto f = m_weights.find(from); f != m_weights.end())
            m_weights[to] = f->second;
        if (const auto f = m_lists.find(from); f != m_lists.end())
            m_lists[to] = f->second;
    }

    void constantNode(const Node* n)
    {
        if (n->outputs().size() != 1)
            return;
        const auto value = torch::jit::toIValue(n->output());
        if (!value)
            return;
        if (value->isTensor())
            m_weights[n->output()] = { value->toTensor(), std::string() };
        else
            m_constants[n->output()] = *value;
    }

    void getAttr(const Node* n)
    {
        const auto owner = m_modules.find(n->input(0));
        if (owner == m_modules.end())
            return;
        const std::string name = n->s(c10::attr::name);
        const auto object = owner->second.toObject();
        const auto value = object->getAttr(name);
        const auto path = m_paths.count(n->input(0)) ? m_paths.at(n->input(0)) : std::string();
        const std::string full = path.empty() ? name : path + "." + name;
        if (value.isObject()) {
            m_modules[n->output()] = value;
            m_paths[n->output()] = full;
        } else if (value.isTensor()) {
            m_weights[n->output()] = { value.toTensor(), full };
        } else {
            m_constants[n->output()] = value;
        }
    }

    void listConstruct(const Node* n)
    {
        ShapeList shape;
        c10::List<std::int64_t> plain;
        bool allInts = true;
        for (const Value* in : n->inputs()) {
            if (const auto found = m_constants.find(in); found != m_constants.end() && found->second.isInt()) {
                shape.emplace_back(found->second.toInt());
                plain.push_back(found->second.toInt());
            } else if (m_batchOf.count(in) && shape.empty()) { // x.size(0), first
                shape.emplace_back(std::nullopt);
                m_shapeBatchOf[n->output()] = m_batchOf.at(in);
                allInts = false;
            } else {
                shape.clear();
                allInts = false;
                break;
            }
        }
        if (allInts)
            m_constants[n->output()] = plain;
        else if (!shape.empty())
            m_shapes[n->output()] = shape;
        else
            m_lists[n->output()] = std::vector<const Value*>(n->inputs().begin(), n->inputs().end());
    }

    void size(const Node* n)
    {
        if (n->inputs().size() == 1) { // x.size(): its length (the rank) is all this exporter follows
            m_sizesOf[n->output()] = n->input(0);
            return;
        }
        if (n->inputs().size() == 2 && m_constants.count(n->input(1)) && m_constants.at(n->input(1)).isInt()
            && m_constants.at(n->input(1)).toInt() == 0) {
            m_batchOf[n->output()] = n->input(0);
            return;
        }
        refuse(n, "reads a size other than the batch's, which this exporter does not follow.");
    }

    // --- operators ----------------------------------------------------------------------------------

    // A weight the exporter holds (an initializer), for the operators that need its shape or values.
    const at::Tensor& held(const Node* n, const std::string& name) const
    {
        const auto found = m_initializers.find(name);
        if (found == m_initializers.end())
            refuse(n, "takes weights computed as it runs, which this exporter does not follow.");
        return found->second;
    }

    void linear(const Node* n)
    {
        const std::string x = tensor(n, 0);
        const int rank = rankOf(n->input(0));
        const std::string weight = tensor(n, 1, "weight");
        const bool bias = !isNone(n, 2);
        if (rank == 2) { // Gemm, as torch.onnx.export writes it
            std::vector<std::string> inputs { x, weight };
            if (bias)
                inputs.push_back(tensor(n, 2, "bias"));
            attr(emit(n, "Gemm", inputs, 0, 2), "transB", 1);
            return;
        }
        const auto transposed = initializer(weight + ".T", held(n, weight).t().contiguous());
        if (!bias) {
            emit(n, "MatMul", { x, transposed }, 0, rank);
            return;
        }
        const auto product = step(n, "MatMul", { x, transposed });
        emit(n, "Add", { product, tensor(n, 2, "bias") }, 0, rank);
    }

    // aten::conv1d/conv2d (input, weight, bias, stride, padding, dilation, groups), and what
    // torch.jit.trace records, aten::_convolution (input, weight, bias, stride, padding, dilation,
    // transposed, output_padding, groups, ...).
    void conv(const Node* n)
    {
        const bool traced = n->kind().toQualString() == std::string("aten::_convolution");
        if (traced && constant(n, 6).toBool())
            refuse(n, "is a transposed convolution, which this exporter does not write yet.");
        const auto weight = tensor(n, 1, "weight");
        std::vector<std::string> inputs { tensor(n, 0), weight };
        if (!isNone(n, 2))
            inputs.push_back(tensor(n, 2, "bias"));
        const auto spatial = held(n, weight).dim() - 2;
        const auto kernel = held(n, weight).sizes().slice(2).vec();
        auto* node = emit(n, "Conv", inputs, 0, rankOf(n->input(0)));
        attr(node, "kernel_shape", kernel);
        attr(node, "strides", repeat(ints(n, 3), spatial));
        if (constant(n, 4).isString()) { // conv2d(..., padding="valid")
            if (constant(n, 4).toStringRef() != "valid")
                refuse(n, "pads as \"" + constant(n, 4).toStringRef() + "\", which this exporter does not write.");
            attr(node, "pads", std::vector<std::int64_t>(2 * spatial, 0));
        } else {
            attr(node, "pads", pads(ints(n, 4), spatial));
        }
        attr(node, "dilations", repeat(ints(n, 5), spatial));
        attr(node, "group", constant(n, traced ? 8 : 6).toInt());
    }

    static std::vector<std::int64_t> repeat(std::vector<std::int64_t> values, std::int64_t count)
    {
        if (values.size() == 1)
            values.assign(static_cast<std::size_t>(count), values[0]);
        return values;
    }

    static std::vector<std::int64_t> pads(const std::vector<std::int64_t>& values, std::int64_t spatial)
    {
        auto each = repeat(values, spatial);
        auto both = each;
        both.insert(both.end(), each.begin(), each.end()); // begins, then ends
        return both;
    }

    // Folded into the convolution it follows when nothing else reads the convolution's output: the
    // weights scaled by gamma / sqrt(var + eps), the bias moved, as torch.onnx.export does in eval mode.
    void batchNorm(const Node* n)
    {
        if (constant(n, 5).toBool())
            refuse(n, "runs in training mode.");
        const double eps = number(n, 7);
        const auto stat = [&](std::size_t i, const char* role) { return held(n, tensor(n, i, role)); };
        const auto mean = stat(3, "running_mean"), var = stat(4, "running_var");
        const auto gamma = isNone(n, 1) ? at::ones_like(mean) : stat(1, "weight");
        const auto beta = isNone(n, 2) ? at::zeros_like(mean) : stat(2, "bias");
        const auto x = tensor(n, 0);
        const std::string base = m_tensor.at(n->input(3)).substr(0, m_tensor.at(n->input(3)).rfind('.'));
        const auto scaleName = isNone(n, 1) ? initializer(base + ".weight", gamma) : m_tensor.at(n->input(1));
        const auto shiftName = isNone(n, 2) ? initializer(base + ".bias", beta) : m_tensor.at(n->input(2));
        auto* node = emit(n, "BatchNormalization",
            { x, scaleName, shiftName, m_tensor.at(n->input(3)), m_tensor.at(n->input(4)) }, 0, rankOf(n->input(0)));
        attrFloat(node, "epsilon", eps);
    }

    void maxPool(const Node* n)
    {
        const auto kernel = ints(n, 1);
        const auto spatial = static_cast<std::int64_t>(kernel.size());
        auto stride = ints(n, 2);
        auto* node = emit(n, "MaxPool", { tensor(n, 0) }, 0, rankOf(n->input(0)));
        attr(node, "kernel_shape", kernel);
        attr(node, "strides", stride.empty() ? kernel : repeat(stride, spatial));
        attr(node, "pads", pads(ints(n, 3), spatial));
        attr(node, "dilations", repeat(ints(n, 4), spatial));
        attr(node, "ceil_mode", constant(n, 5).toBool() ? 1 : 0);
    }

    void avgPool(const Node* n)
    {
        const auto kernel = ints(n, 1);
        const auto spatial = static_cast<std::int64_t>(kernel.size());
        const auto stride = ints(n, 2);
        if (n->inputs().size() > 6 && !isNone(n, 6))
            refuse(n, "divides by a number of its own (divisor_override), which ONNX's AveragePool cannot.");
        auto* node = emit(n, "AveragePool", { tensor(n, 0) }, 0, rankOf(n->input(0)));
        attr(node, "kernel_shape", kernel);
        attr(node, "strides", stride.empty() ? kernel : repeat(stride, spatial));
        attr(node, "pads", pads(ints(n, 3), spatial));
        attr(node, "ceil_mode", constant(n, 4).toBool() ? 1 : 0);
        attr(node, "count_include_pad", constant(n, 5).toBool() ? 1 : 0);
    }

    void adaptiveAvgPool(const Node* n)
    {
        const auto size = ints(n, 1);
        if (std::any_of(size.begin(), size.end(), [](std::int64_t s) { return s != 1; }))
            refuse(n, "pools to a size other than 1, which ONNX has no operator for.");
        emit(n, "GlobalAveragePool", { tensor(n, 0) }, 0, rankOf(n->input(0)));
    }

    void flatten(const Node* n)
    {
        const auto start = constant(n, 1).toInt(), end = constant(n, 2).toInt();
        const int rank = rankOf(n->input(0));
        if (start != 1 || !(end == -1 || (rank > 0 && end == rank - 1)))
            refuse(n, "flattens axes other than all after the batch.");
        attr(emit(n, "Flatten", { tensor(n, 0) }, 0, 2), "axis", 1);
    }

    void reshape(const Node* n)
    {
        ShapeList shape;
        if (const auto found = m_shapes.find(n->input(1)); found != m_shapes.end()) {
            if (m_shapeBatchOf.at(n->input(1)) != n->input(0))
                refuse(n, "takes its batch size from another tensor, which this exporter does not follow.");
            shape = found->second;
        } else
            for (const auto d : ints(n, 1))
                shape.emplace_back(d);
        if (shape.size() == 2 && !shape[0] && shape[1] == -1) { // x.view(x.size(0), -1)
            attr(emit(n, "Flatten", { tensor(n, 0) }, 0, 2), "axis", 1);
            return;
        }
        std::vector<std::int64_t> fixed;
        for (const auto& d : shape)
            fixed.push_back(d ? *d : 0); // 0: the input's size on that axis (the batch)
        if (shape.empty() || (shape[0] && *shape[0] != -1)) // x.view(-1, 400) keeps the batch open too
            refuse(n, "reshapes the batch axis, which would fix the batch size in the ONNX model.");
        emit(n, "Reshape", { tensor(n, 0), int64s(n->output()->debugName() + ".shape", fixed) }, 0,
            static_cast<int>(fixed.size()));
    }

    void arithmetic(const Node* n)
    {
        static const std::unordered_map<std::string, std::string> ops { { "aten::add", "Add" }, { "aten::add_", "Add" },
            { "aten::sub", "Sub" }, { "aten::mul", "Mul" }, { "aten::mul_", "Mul" }, { "aten::div", "Div" } };
        const std::string op = n->kind().toQualString();
        if (op == "aten::div" && n->inputs().size() > 2) {
            if (!isNone(n, 2))
                refuse(n, "rounds its quotient (rounding_mode), which this exporter does not write.");
        } else if (n->inputs().size() > 2 && m_constants.count(n->input(2)) && number(n, 2) != 1.0)
            refuse(n, "scales its second input (alpha), which this exporter does not write.");
        else if (n->inputs().size() > 2 && !m_constants.count(n->input(2)))
            refuse(n, "takes an argument this exporter does not follow.");
        emit(n, ops.at(op), { tensor(n, 0), tensor(n, 1) }, 0, std::max(rankOf(n->input(0)), rankOf(n->input(1))));
    }

    void cat(const Node* n)
    {
        const auto list = m_lists.find(n->input(0));
        if (list == m_lists.end())
            refuse(n, "joins a list this exporter does not follow.");
        std::vector<std::string> inputs;
        for (const Value* v : list->second) {
            const auto found = m_tensor.find(v);
            if (found == m_tensor.end())
                refuse(n, "joins something other than computed tensors.");
            inputs.push_back(found->second);
        }
        attr(emit(n, "Concat", inputs, 0, rankOf(list->second.front())), "axis", constant(n, 1).toInt());
    }

    void mean(const Node* n)
    {
        if (n->inputs().size() < 3)
            refuse(n, "averages the whole tensor, batch included, which this exporter does not write.");
        if (n->inputs().size() > 3 && !isNone(n, 3))
            refuse(n, "casts to another type as it runs.");
        const int rank = rankOf(n->input(0));
        const bool keep = constant(n, 2).toBool();
        const auto axes = ints(n, 1);
        auto* node = emit(n, "ReduceMean", { tensor(n, 0) }, 0, keep ? rank : rank - static_cast<int>(axes.size()));
        attr(node, "axes", axes);
        attr(node, "keepdims", keep ? 1 : 0);
    }

    void softmax(const Node* n)
    {
        if (!isNone(n, 2))
            refuse(n, "casts to another type as it runs.");
        const bool log = n->kind().toQualString() == std::string("aten::log_softmax");
        attr(emit(n, log ? "LogSoftmax" : "Softmax", { tensor(n, 0) }, 0, rankOf(n->input(0))), "axis",
            constant(n, 1).toInt());
    }

    void clip(const Node* n)
    {
        const bool relu6 = n->kind().toQualString() == std::string("aten::relu6");
        const double low = relu6 ? 0.0 : number(n, 1), high = relu6 ? 6.0 : number(n, 2);
        emit(n, "Clip", { tensor(n, 0), scalar(low), scalar(high) }, 0, rankOf(n->input(0)));
    }

    // Opsets before 20 have no Gelu: x * 0.5 * (1 + erf(x / sqrt(2))), its exact form.
    void gelu(const Node* n)
    {
        if (n->inputs().size() > 1 && constant(n, 1).isString() && constant(n, 1).toStringRef() != "none")
            refuse(n, "uses the tanh approximation, which this exporter does not write.");
        const auto x = tensor(n, 0);
        const auto scaled = step(n, "Div", { x, scalar(std::sqrt(2.0)) });
        const auto erf = step(n, "Erf", { scaled });
        const auto plus = step(n, "Add", { erf, scalar(1.0) });
        const auto half = step(n, "Mul", { x, scalar(0.5) });
        emit(n, "Mul", { half, plus }, 0, rankOf(n->input(0)));
    }

    void leakyRelu(const Node* n)
    {
        attrFloat(emit(n, "LeakyRelu", { tensor(n, 0) }, 0, rankOf(n->input(0))), "alpha", number(n, 1));
    }

    void elu(const Node* n)
    {
        if (number(n, 2) != 1.0 || number(n, 3) != 1.0)
            refuse(n, "scales its input or output, which ONNX's Elu cannot.");
        attrFloat(emit(n, "Elu", { tensor(n, 0) }, 0, rankOf(n->input(0))), "alpha", number(n, 1));
    }

    void silu(const Node* n)
    {
        const auto x = tensor(n, 0);
        emit(n, "Mul", { x, step(n, "Sigmoid", { x }) }, 0, rankOf(n->input(0)));
    }

    const torch::jit::Module& m_root;
    const Owners& m_owners;
    onnx::GraphProto& m_graph;
    std::unordered_map<const Value*, std::string> m_tensor;
    std::unordered_map<const Value*, int> m_rank;
    std::unordered_map<const Value*, c10::IValue> m_constants;
    std::unordered_map<const Value*, c10::IValue> m_modules;
    std::unordered_map<const Value*, std::string> m_paths;
    std::unordered_map<const Value*, std::pair<at::Tensor, std::string>> m_weights;
    std::unordered_map<const Value*, const Value*> m_batchOf;
    std::unordered_map<const Value*, const Value*> m_sizesOf;
    std::unordered_map<const Value*, ShapeList> m_shapes;
    std::unordered_map<const Value*, const Value*> m_shapeBatchOf; // whose x.size(0) a shape list starts with
    std::unordered_map<const Value*, std::vector<const Value*>> m_lists;
    std::unordered_map<std::string, onnx::NodeProto*> m_producer;
    std::map<std::string, at::Tensor> m_initializers;
    int m_scalars = 0;
    int m_folded = 0;
    int m_dropouts = 0;
};

onnx::TensorProto::DataType onnxType(DataType type)
{
    switch (type) {
    case DataType::Float32: return onnx::TensorProto::FLOAT;
    case DataType::Int64: return onnx::TensorProto::INT64;
    default:
        throw Error(ErrorKind::InvalidModel,
            "cannot export to ONNX: the model's input is " + dataTypeName(type)
                + "; this exporter takes FP32 or INT64 inputs.");
    }
}

void describe(onnx::ValueInfoProto* info, const std::string& name, onnx::TensorProto::DataType type,
    const std::vector<std::int64_t>& shape)
{
    info->set_name(name);
    auto* tensor = info->mutable_type()->mutable_tensor_type();
    tensor->set_elem_type(type);
    auto* dims = tensor->mutable_shape();
    for (const auto d : shape) {
        auto* dim = dims->add_dim();
        if (d < 0)
            dim->set_dim_param(dims->dim_size() == 1 ? "batch" : "axis" + std::to_string(dims->dim_size() - 1));
        else
            dim->set_dim_value(d);
    }
}

// The input's shape with -1 for the batch; other axes the card leaves open (an image's height and width)
// stay open in the ONNX model too.
std::vector<std::int64_t> inputShape(const ModelCard& card, const OnnxExportOptions& options, const std::string& path)
{
    std::vector<std::int64_t> shape { -1 };
    if (!options.inputShape.empty()) {
        shape.insert(shape.end(), options.inputShape.begin(), options.inputShape.end());
        return shape;
    }
    if (card.inputs.empty() || card.inputs[0].shape.size() < 2)
        throw Error(ErrorKind::InvalidInput,
            "cannot export " + path
                + " to ONNX: its card gives no input shape; give one sample's shape (such as 1,28,28).",
            "input_shape", "gives no input shape; give one sample's shape (such as 1,28,28).");
    shape.insert(shape.end(), card.inputs[0].shape.begin() + 1, card.inputs[0].shape.end());
    return shape;
}

onnx::ModelProto skeleton(const ModelCard& card, int opset)
{
    if (opset < kMinOpset || opset > kMaxOpset)
        throw Error(ErrorKind::InvalidInput,
            "the ONNX opset must be " + std::to_string(kMinOpset) + " to " + std::to_string(kMaxOpset) + ", not "
                + std::to_string(opset) + ".",
            "opset", "must be " + std::to_string(kMinOpset) + " to " + std::to_string(kMaxOpset) + ".");
    onnx::ModelProto proto;
    proto.set_ir_version(onnx::IR_VERSION);
    proto.set_producer_name("maas-workbench");
    proto.set_doc_string(card.description);
    auto* imported = proto.add_opset_import();
    imported->set_domain("");
    imported->set_version(opset);
    auto* meta = proto.add_metadata_props();
    meta->set_key("maas.card");
    meta->set_value(card.toJson().dump());
    if (!card.labels.empty()) {
        auto* labels = proto.add_metadata_props();
        labels->set_key("labels");
        labels->set_value(nlohmann::json(card.labels).dump());
    }
    proto.mutable_graph()->set_name(card.name.empty() ? "model" : card.name);
    return proto;
}

// forward's graph inlined, of a copy of the module in eval mode (dropout and batch norm as they run when
// served), with each node's module path.
std::shared_ptr<torch::jit::Graph> forwardOf(const Model& model, torch::jit::Module& module, Owners& owners)
{
    module = archivedModule(model.impl()).clone();
    module.eval();
    std::shared_ptr<torch::jit::Graph> graph;
    try {
        graph = inlinedForward(module, &owners);
        torch::jit::RemoveTensorMutation(graph); // x.add_(y) as add where nothing else sees x change
    } catch (const c10::Error&) {
        throw Error(ErrorKind::InvalidModel, model.path() + " has no forward method, so there is nothing to export.");
    }
    if (graph->inputs().size() != 2)
        throw Error(ErrorKind::InvalidModel,
            "cannot export " + model.path() + " to ONNX: its forward takes "
                + std::to_string(graph->inputs().size() - 1) + " inputs; this exporter takes models of one input.");
    return graph;
}

// The graph's outputs, named as the card names them: forward's result, or each tensor of a tuple it returns.
void addOutputs(onnx::GraphProto& g, const torch::jit::Graph& graph, const ModelCard& card, const Exporter& exporter)
{
    const Value* result = graph.outputs()[0];
    std::vector<const Value*> results { result };
    if (result->node()->kind() == c10::prim::TupleConstruct)
        results.assign(result->node()->inputs().begin(), result->node()->inputs().end());
    std::set<std::string> taken { g.input(0).name() };
    for (std::size_t i = 0; i < results.size(); ++i) {
        std::string name = i < card.outputs.size() && !card.outputs[i].name.empty()
            ? card.outputs[i].name
            : (results.size() == 1 ? std::string("output") : "output_" + std::to_string(i));
        while (!taken.insert(name).second) // a card naming an output like the input, or two alike
            name += "_" + std::to_string(i);
        auto* identity = g.add_node();
        identity->set_op_type("Identity");
        identity->set_name("output/" + name);
        identity->add_input(exporter.output(results[i]));
        identity->add_output(name);
        auto* out = g.add_output();
        out->set_name(name);
        out->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
    }
}

// Shape inference (which also gives the outputs their shapes) and ONNX's checker, then the file's bytes.
std::string checked(onnx::ModelProto& proto, const std::string& source)
{
    try {
        onnx::shape_inference::InferShapes(proto, onnx::OpSchemaRegistry::Instance(),
            onnx::ShapeInferenceOptions(/*check_type=*/true, /*error_mode=*/1));
        onnx::checker::check_model(proto);
    } catch (const std::exception& e) {
        const std::string why = e.what();
        throw Error(ErrorKind::Internal,
            "the ONNX model made from " + source + " fails ONNX's checks (" + why.substr(0, why.find('\n'))
                + "); this is a bug in the exporter.");
    }
    std::string bytes;
    proto.SerializeToString(&bytes);
    return bytes;
}

std::int64_t parameterCount(const onnx::GraphProto& g)
{
    std::int64_t total = 0;
    for (const auto& init : g.initializer()) {
        std::int64_t count = 1;
        for (const auto d : init.dims())
            count *= d;
        total += count;
    }
    return total;
}

} // namespace

OnnxExportReport exportOnnx(const Model& model, const std::string& path, const OnnxExportOptions& options)
{
    ensureThreadsConfigured();
    const ModelCard& card = model.card();
    auto proto = skeleton(card, options.opset);
    const auto type = onnxType(card.inputs.empty() ? DataType::Float32 : card.inputs[0].dtype);
    const auto shape = inputShape(card, options, model.path());
    torch::jit::Module module;
    Owners owners;
    const auto graph = forwardOf(model, module, owners);

    auto& g = *proto.mutable_graph();
    const std::string inputName = card.inputs.empty() || card.inputs[0].name.empty() ? "input" : card.inputs[0].name;
    describe(g.add_input(), inputName, type, shape);
    Exporter exporter(module, owners, g);
    exporter.input(graph->inputs()[1], inputName, static_cast<int>(shape.size()));
    exporter.run(*graph);
    addOutputs(g, *graph, card, exporter);
    exporter.finish();

    const std::string bytes = checked(proto, model.path());
    writeAtomically(path, [&](const std::string& tmp) {
        std::ofstream out(tmp, std::ios::binary);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.close();
        if (!out)
            throw Error(ErrorKind::Io, "cannot write " + path + ".");
    });

    OnnxExportReport report;
    report.path = path;
    report.opset = options.opset;
    report.bytes = static_cast<std::int64_t>(bytes.size());
    report.nodes = g.node_size();
    report.initializers = g.initializer_size();
    report.parameters = parameterCount(g);
    report.foldedBatchNorms = exporter.foldedBatchNorms();
    report.removedDropouts = exporter.removedDropouts();
    report.inputShape = shape;
    return report;
}

} // namespace maas::engine
