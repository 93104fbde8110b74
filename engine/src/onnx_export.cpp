// TorchScript's forward graph (inlined as the inspector draws it) written as an ONNX model with Debian's
// libonnx: its protobuf messages, checker and shape inference. One handler per ATen operator.
#include "maas/engine/onnx.h"

#include <onnx/checker.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include "files.h"
#include "maas/engine/card.h"
#include "maas/engine/error.h"
#include "maas/engine/limits.h"
#include "maas/engine/model.h"
#include "maas/engine/output.h"
#include "maas/engine/tensor.h"
#include "tokenizer.h"
#include "torch_bridge.h"

#include <torch/csrc/jit/passes/remove_mutation.h>

namespace maas::engine {
namespace {

using torch::jit::Node;
using torch::jit::Value;

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

    void input(const Value* v, const std::string& name, int rank, bool integer = false)
    {
        m_tensor[v] = name;
        m_rank[v] = rank;
        if (integer)
            m_integer.insert(v);
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
                "the model's forward returns something other than tensors, which ONNX cannot; return a tensor or "
                "a tuple of tensors, or keep the model as TorchScript.");
        return found->second;
    }

    /// The rank of a value the graph returns, or -1 when this exporter does not know it.
    int outputRank(const Value* v) const { return rankOf(v); }

    void finish()
    {
        foldBatchNorms();
        pruneUnread();
        std::set<std::string> used; // an initializer nothing reads (a folded batch norm's) is not written
        for (const auto& node : m_graph.node())
            used.insert(node.input().begin(), node.input().end());
        for (const auto& [name, tensor] : m_initializers)
            if (used.count(name))
                addInitializer(name, tensor);
    }

    int foldedBatchNorms() const { return m_folded; }

    // Nodes no output depends on (a size computed only for a check the export decided) are left out.
    void pruneUnread()
    {
        std::set<std::string> wanted;
        for (const auto& o : m_graph.output())
            wanted.insert(o.name());
        std::vector<bool> keep(static_cast<std::size_t>(m_graph.node_size()));
        for (int i = m_graph.node_size() - 1; i >= 0; --i) { // written in order: readers after writers
            const auto& node = m_graph.node(i);
            keep[static_cast<std::size_t>(i)] = std::any_of(
                node.output().begin(), node.output().end(), [&](const std::string& o) { return wanted.count(o); });
            if (keep[static_cast<std::size_t>(i)])
                wanted.insert(node.input().begin(), node.input().end());
        }
        google::protobuf::RepeatedPtrField<onnx::NodeProto> kept;
        for (int i = 0; i < m_graph.node_size(); ++i)
            if (keep[static_cast<std::size_t>(i)])
                *kept.Add() = m_graph.node(i);
        m_graph.mutable_node()->Swap(&kept);
    }

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
        // Each refusal says what to do: its own advice after a ';', else the general one.
        const auto advised = why.find(';') != std::string::npos || why.empty()
            ? why
            : why.substr(0, why.size() - 1) + "; change that part of the model, or keep it as TorchScript.";
        throw Error(ErrorKind::InvalidModel,
            "cannot export to ONNX: " + std::string(n->kind().toQualString()) + " in " + where(n) + " " + advised);
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
        if (isRuntime(v))
            return runtimeNumber(n, v, false);
        if (const auto zeros = m_zerosLike.find(v); zeros != m_zerosLike.end())
            return zerosLike(n, v, zeros->second.first, zeros->second.second);
        refuse(n, "takes an input (argument " + std::to_string(i) + ") that is not a tensor this exporter follows.");
    }

    // torch.zeros_like(x, dtype=...) read by an operator (a boolean mask turned into -inf and 0): zeros of
    // x's shape as the model runs.
    std::string zerosLike(const Node* n, const Value* v, const Value* like, c10::ScalarType type)
    {
        onnx::NodeProto* node = nullptr;
        const auto name = steps(n, "ConstantOfShape", { shapeOf(n, like) }, 1, &node).front();
        auto* value = node->add_attribute();
        value->set_name("value");
        value->set_type(onnx::AttributeProto::TENSOR);
        auto* zero = value->mutable_t();
        zero->add_dims(1);
        if (type == c10::kLong || type == c10::kInt) {
            zero->set_data_type(onnx::TensorProto::INT64);
            zero->add_int64_data(0);
            m_integer.insert(v);
        } else if (type == c10::kBool) {
            zero->set_data_type(onnx::TensorProto::BOOL);
            zero->add_int32_data(0);
            m_bool.insert(v);
        } else {
            zero->set_data_type(onnx::TensorProto::FLOAT);
            zero->add_float_data(0.0F);
        }
        m_tensor[v] = name;
        m_rank[v] = rankOf(like);
        return name;
    }

    // --- numbers known only as the model runs ----------------------------------------------------------
    //
    // A size other than a constant one (x.size(1), the batch) and arithmetic on it (b * heads, d // heads,
    // math.sqrt(d)) are ONNX tensors of one element, computed from the tensor's Shape as the model runs, so
    // every axis stays open and a reshape follows the input it is given.

    bool isRuntime(const Value* v) const
    {
        return m_runtime.count(v) || m_sizeAt.count(v) || m_batchOf.count(v)
            || (m_tensor.count(v) && v->type()->kind() != c10::TypeKind::TensorType);
    }

    static bool isNumber(const Value* v)
    {
        const auto kind = v->type()->kind();
        return kind == c10::TypeKind::IntType || kind == c10::TypeKind::FloatType || kind == c10::TypeKind::NumberType;
    }

    // `v` as a one-element ONNX tensor: int64, or float when `asFloat` (a size in float arithmetic).
    std::string runtimeNumber(const Node* n, const Value* v, bool asFloat)
    {
        if (const auto found = m_constants.find(v); found != m_constants.end() && found->second.isInt()) {
            if (asFloat)
                return initializer("maas.float." + std::to_string(found->second.toInt()),
                    at::tensor({ static_cast<float>(found->second.toInt()) }));
            const auto name = int64s("maas.int." + std::to_string(found->second.toInt()), { found->second.toInt() });
            m_single.insert(name);
            return name;
        }
        if (const auto found = m_constants.find(v); found != m_constants.end() && found->second.isDouble())
            return initializer("maas.scalar", at::tensor({ static_cast<float>(found->second.toDouble()) }));
        std::string name;
        bool isFloat = false;
        if (const auto found = m_runtime.find(v); found != m_runtime.end()) {
            name = found->second.name;
            isFloat = found->second.isFloat;
        } else if (const auto computed = m_tensor.find(v); computed != m_tensor.end()) {
            name = computed->second; // a traced size: prim::NumToTensor, arithmetic, aten::Int
        } else if (m_sizeAt.count(v) || m_batchOf.count(v)) {
            const auto [of, axis] = m_sizeAt.count(v) ? m_sizeAt.at(v) : std::make_pair(m_batchOf.at(v), 0L);
            name = step(n, "Gather", { shapeOf(n, of), int64s("maas.axis." + std::to_string(axis), { axis }) });
            m_single.insert(name);
            m_runtime[v] = { name, false };
        } else {
            refuse(n, "takes a number this exporter does not follow.");
        }
        return asFloat && !isFloat ? castTo(n, name, onnx::TensorProto::FLOAT) : name;
    }

    // The shape of tensor `v` as the model runs, written once.
    std::string shapeOf(const Node* n, const Value* v)
    {
        if (!m_shapeOf.count(v))
            m_shapeOf[v] = step(n, "Shape", { valueName(n, v) });
        return m_shapeOf.at(v);
    }

    std::string valueName(const Node* n, const Value* v) const
    {
        const auto found = m_tensor.find(v);
        if (found == m_tensor.end())
            refuse(n, "reads the size of a tensor this exporter does not follow.");
        return found->second;
    }

    std::string castTo(const Node* n, const std::string& x, int to)
    {
        onnx::NodeProto* node = nullptr;
        const auto out = steps(n, "Cast", { x }, 1, &node).front();
        attr(node, "to", to);
        return out;
    }

    // Arithmetic on plain numbers (sizes and settings, not tensors): folded when every operand is known, as
    // Python computes it, else written as ONNX arithmetic (integer division of sizes, which are never
    // negative, is ONNX's Div).
    bool numbers(const Node* n, const std::string& op)
    {
        static const std::unordered_map<std::string, std::string> ops { { "aten::add", "Add" }, { "aten::sub", "Sub" },
            { "aten::mul", "Mul" }, { "aten::floordiv", "Div" }, { "aten::div", "Div" }, { "aten::remainder", "Mod" },
            { "aten::pow", "Pow" }, { "aten::neg", "Neg" }, { "aten::sqrt", "Sqrt" }, { "aten::Float", "Identity" } };
        const auto found = ops.find(op);
        if (found == ops.end() || n->outputs().size() != 1 || n->inputs().empty()
            || !std::all_of(n->inputs().begin(), n->inputs().end(), isNumber))
            return false;
        if (std::all_of(n->inputs().begin(), n->inputs().end(), [&](const Value* v) { return m_constants.count(v); }))
            return false; // computed by LibTorch's own operator (see fold)
        const bool integer = n->output()->type()->kind() == c10::TypeKind::IntType;
        if (op == "aten::remainder" && !integer)
            refuse(n, "takes the remainder of fractions as the model runs, which this exporter does not write.");
        std::vector<std::string> operands;
        for (const Value* in : n->inputs())
            operands.push_back(runtimeNumber(n, in, !integer));
        std::string value;
        if (op == "aten::floordiv")
            value
                = integer ? floorDivision(n, operands[0], operands[1]) : step(n, "Floor", { step(n, "Div", operands) });
        else
            value = step(n, found->second, operands);
        m_runtime[n->output()] = { value, !integer };
        m_opaque.insert(n->output()); // a check may still compare it
        return true;
    }

    // a // b on whole numbers, rounded toward minus infinity as Python and LibTorch round it: ONNX's Mod
    // (fmod 0) takes the divisor's sign as Python's % does, so (a - a % b) / b divides exactly.
    std::string floorDivision(const Node* n, const std::string& a, const std::string& b)
    {
        return step(n, "Div", { step(n, "Sub", { a, step(n, "Mod", { a, b }) }), b });
    }

    // b, t, d = x.shape (or x.shape[1]): each axis's size; and the pieces of a chunk or split.
    bool takeApart(const Node* n, const std::string& op)
    {
        const Value* list = n->input(0);
        const bool one = op == "aten::__getitem__" || op == "prim::TupleIndex";
        if (const auto parts = m_parts.find(list); parts != m_parts.end()) {
            const auto [names, rank] = parts->second; // a copy: result() may grow the maps
            const auto count = static_cast<std::int64_t>(names.size());
            if (!one && static_cast<std::int64_t>(n->outputs().size()) != count)
                refuse(n, "takes apart a list of another length.");
            for (std::int64_t i = 0; i < static_cast<std::int64_t>(n->outputs().size()); ++i) {
                auto index = one ? constant(n, 1).toInt() : i;
                index = index < 0 ? index + count : index;
                if (index < 0 || index >= count)
                    refuse(n, "reads an item past the end of a list.");
                result(n, static_cast<std::size_t>(i), names[static_cast<std::size_t>(index)], rank);
            }
            return true;
        }
        const Value* of = m_sizesOf.at(list);
        const int rank = rankOf(of);
        if (!one && rank > 0 && static_cast<int>(n->outputs().size()) != rank)
            refuse(n, "takes apart the shape of a tensor of another rank.");
        for (std::size_t i = 0; i < n->outputs().size(); ++i) {
            auto axis = one ? constant(n, 1).toInt() : static_cast<std::int64_t>(i);
            axis = axis < 0 && rank > 0 ? axis + rank : axis;
            if (axis == 0) {
                m_batchOf[n->output(i)] = of;
            } else {
                m_sizeAt[n->output(i)] = { of, axis };
                m_opaque.insert(n->output(i));
            }
        }
        return true;
    }

    // A list of sizes some of which are known only as the model runs, as one int64 tensor.
    std::string shapeTensor(const Node* n, const std::vector<const Value*>& items)
    {
        std::vector<std::string> parts;
        for (const Value* v : items) {
            auto part = runtimeNumber(n, v, false);
            if (!m_single.count(part)) // int(x.max()) is a scalar; Concat takes one-element tensors
                part = step(n, "Reshape", { part, int64s("maas.shape.one", { 1 }) });
            parts.push_back(part);
        }
        onnx::NodeProto* node = nullptr;
        const auto shape = steps(n, "Concat", parts, 1, &node).front();
        attr(node, "axis", 0);
        return shape;
    }

    int rankOf(const Value* v) const
    {
        const auto found = m_rank.find(v);
        return found == m_rank.end() ? -1 : found->second;
    }

    std::string initializer(const std::string& wanted, const at::Tensor& value)
    {
        const auto sameAs = [&](const at::Tensor& held) { // the same tensor, or a small one of equal values
            return held.is_same(value)
                || (held.numel() <= 16 && held.scalar_type() == value.scalar_type() && held.sizes() == value.sizes()
                    && at::equal(held, value));
        };
        std::string name = wanted;
        for (int i = 2; m_initializers.count(name) && !sameAs(m_initializers.at(name)); ++i)
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
        } else if (t.scalar_type() == at::kDouble) { // embedding_bag's running sums
            init->set_data_type(onnx::TensorProto::DOUBLE);
        } else {
            t = t.to(at::kFloat).contiguous();
            init->set_data_type(onnx::TensorProto::FLOAT);
        }
        init->set_raw_data(t.data_ptr(), static_cast<std::size_t>(t.numel() * t.element_size()));
    }

    // --- nodes --------------------------------------------------------------------------------------

    // A node named after the module it comes from ("layer1.0.conv1/Conv_5"), its outputs still to add.
    onnx::NodeProto* newNode(const Node* from, const std::string& op, const std::vector<std::string>& inputs)
    {
        auto* node = m_graph.add_node();
        node->set_op_type(op);
        const auto owner = m_owners.find(from);
        node->set_name((owner == m_owners.end() || owner->second.empty() ? std::string() : owner->second + "/") + op
            + "_" + std::to_string(m_graph.node_size()));
        for (const auto& in : inputs)
            node->add_input(in);
        return node;
    }

    onnx::NodeProto* emit(const Node* from, const std::string& op, const std::vector<std::string>& inputs,
        std::size_t output = 0, int rank = -1)
    {
        auto* node = newNode(from, op, inputs);
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
        return steps(from, op, inputs, 1).front();
    }

    // A node of several outputs inside one handler (an LSTM's Y, Y_h, Y_c); `last` gets the node.
    std::vector<std::string> steps(const Node* from, const std::string& op, const std::vector<std::string>& inputs,
        int outputs, onnx::NodeProto** last = nullptr)
    {
        auto* node = newNode(from, op, inputs);
        std::vector<std::string> names;
        for (int i = 0; i < outputs; ++i) {
            names.push_back(from->outputs()[0]->debugName() + "_step" + std::to_string(m_graph.node_size()) + "_"
                + std::to_string(i));
            node->add_output(names.back());
        }
        if (last)
            *last = node;
        return names;
    }

    // Output `output` of `from` is the ONNX value `name`, written by an earlier step.
    void result(const Node* from, std::size_t output, const std::string& name, int rank)
    {
        m_tensor[from->output(output)] = name;
        m_rank[from->output(output)] = rank;
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

    // Any failure inside a handler becomes a refusal naming the node (a list sliced where a tensor was
    // expected, say), not a bare library message.
    void visit(const Node* n)
    {
        try {
            visitNode(n);
        } catch (const Error&) {
            throw;
        } catch (const std::exception& e) {
            refuse(n, std::string("could not be written (") + e.what() + ").");
        }
    }

    void visitNode(const Node* n)
    {
        const std::string op = n->kind().toQualString();
        if (op == "prim::Constant")
            return constantNode(n);
        if (op == "prim::TupleConstruct" && n->output()->uses().size() == 1
            && n->output()->uses()[0].user == n->owningGraph()->return_node())
            return; // forward returns several tensors: each is a graph output
        refuseLostWrite(n, op);
        if (op.rfind("quantized::", 0) == 0 || op.rfind("aten::quantize_per", 0) == 0 || op == "aten::dequantize")
            refuse(n,
                "is an int8 operator: a quantized model does not export to ONNX; export the float model it was "
                "quantized from and quantize the ONNX file with ONNX Runtime's tools, or serve this one as "
                "TorchScript.");
        if (op == "prim::GetAttr")
            return getAttr(n);
        if (tuple(n, op))
            return;
        if (op == "prim::ListConstruct")
            return listConstruct(n);
        if (op == "aten::size")
            return size(n);
        if (numbers(n, op) || fold(n, op) || answer(n, op) || decide(n, op))
            return;
        if (translate(n, op)) {
            keepsIntegers(n, op);
            return;
        }
        if (n->blocks().size())
            refuse(n, "is control flow that depends on the input, which this exporter does not write as ONNX.");
        refuse(n, "has no ONNX form in this exporter; export a model without it, or keep it as TorchScript.");
    }

    // An in-place op (add_, relu_, ...) left after RemoveTensorMutation: refused when the value it changes
    // is read again later, since in ONNX every value is written once and the later reader would see the old.
    void refuseLostWrite(const Node* n, const std::string& op) const
    {
        if (op.back() != '_' || op.rfind("aten::", 0) != 0 || op.compare(op.size() - 2, 2, "__") == 0)
            return; // not in place: aten::__not__ and the other dunders end in "_" too
        for (const auto& use : n->input(0)->uses())
            if (use.user != n && use.user->isAfter(n))
                refuse(n,
                    "changes a tensor in place that is read again later, which ONNX, where every value is "
                    "written once, cannot express.");
    }

    using Handler = void (Exporter::*)(const Node*);

    // The operators with a handler of their own.
    static const std::unordered_map<std::string, Handler>& handlers()
    {
        static const std::unordered_map<std::string, Handler> table {
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
            { "aten::select", &Exporter::select },
            { "aten::slice", &Exporter::slice },
            { "aten::permute", &Exporter::permute },
            { "aten::lstm", &Exporter::recurrent },
            { "aten::gru", &Exporter::recurrent },
            { "aten::embedding_bag", &Exporter::embeddingBag },
            { "aten::embedding", &Exporter::embedding },
            { "aten::transpose", &Exporter::transpose },
            { "aten::matmul", &Exporter::matmul },
            { "aten::bmm", &Exporter::matmul },
            { "aten::baddbmm", &Exporter::baddbmm },
            { "aten::pow", &Exporter::power },
            { "aten::floor_divide", &Exporter::floorDivide },
            { "aten::layer_norm", &Exporter::layerNorm },
            { "aten::unsqueeze", &Exporter::unsqueeze },
            { "aten::squeeze", &Exporter::squeeze },
            { "aten::chunk", &Exporter::chunk },
            { "aten::lt", &Exporter::compare },
            { "aten::le", &Exporter::compare },
            { "aten::gt", &Exporter::compare },
            { "aten::ge", &Exporter::compare },
            { "aten::eq", &Exporter::compare },
            { "aten::max", &Exporter::maximum },
            { "aten::arange", &Exporter::arange },
            { "aten::clamp", &Exporter::clamp },
            { "aten::index_select", &Exporter::indexSelect },
            { "aten::masked_fill", &Exporter::maskedFill },
            { "aten::ne", &Exporter::compare },
            { "aten::sum", &Exporter::sum },
            { "aten::where", &Exporter::where },
            { "aten::clamp_min", &Exporter::clamp },
            { "aten::clamp_max", &Exporter::clamp },
            { "aten::remainder", &Exporter::remainder },
            { "aten::to", &Exporter::to },
            { "aten::expand", &Exporter::expand },
        };
        return table;
    }

    // One ATen operator written as ONNX; false when this exporter has no form for it.
    bool translate(const Node* n, const std::string& op)
    {
        static const std::unordered_map<std::string, std::string> elementwise {
            { "aten::relu", "Relu" },
            { "aten::relu_", "Relu" },
            { "aten::sigmoid", "Sigmoid" },
            { "aten::sigmoid_", "Sigmoid" },
            { "aten::tanh", "Tanh" },
            { "aten::tanh_", "Tanh" },
            { "aten::sqrt", "Sqrt" },
            { "aten::rsqrt", "Reciprocal(Sqrt)" },
            { "aten::reciprocal", "Reciprocal" },
            { "aten::exp", "Exp" },
            { "aten::log", "Log" },
            { "aten::neg", "Neg" },
            { "aten::abs", "Abs" },
            { "aten::erf", "Erf" },
        };
        static const std::set<std::string> dropout { "aten::dropout", "aten::dropout_", "aten::feature_dropout",
            "aten::alpha_dropout", "aten::feature_alpha_dropout" };
        static const std::set<std::string> identity { "aten::contiguous", "aten::detach", "aten::clone" };
        if (const auto found = handlers().find(op); found != handlers().end()) {
            (this->*found->second)(n);
        } else if (const auto found = elementwise.find(op); found != elementwise.end()) {
            if (found->second == "Reciprocal(Sqrt)")
                emit(n, "Reciprocal", { step(n, "Sqrt", { tensor(n, 0) }) }, 0, rankOf(n->input(0)));
            else
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

    // Whole-number tensors (ids, offsets, positions computed from them) stay whole numbers through the
    // operators that move or pick values, and through arithmetic on whole numbers (see integral).
    void keepsIntegers(const Node* n, const std::string& op)
    {
        static const std::set<std::string> moving { "aten::slice", "aten::select", "aten::unsqueeze", "aten::squeeze",
            "aten::view", "aten::reshape", "aten::transpose", "aten::permute", "aten::contiguous", "aten::clone",
            "aten::detach", "aten::clamp", "aten::clamp_min", "aten::clamp_max", "aten::index_select",
            "aten::masked_fill", "aten::max", "aten::flatten", "aten::neg", "aten::abs", "aten::sum", "aten::expand" };
        static const std::set<std::string> arithmetic { "aten::add", "aten::sub", "aten::mul", "aten::floor_divide",
            "aten::pow", "aten::remainder", "aten::div" };
        bool integer = op == "aten::arange" || (moving.count(op) && m_integer.count(n->input(0)))
            || (arithmetic.count(op) && integral(n));
        if (op == "aten::cat" && m_lists.count(n->input(0)) && !m_lists.at(n->input(0)).empty())
            integer = m_integer.count(m_lists.at(n->input(0)).front()) > 0;
        if (integer)
            m_integer.insert(n->output());
        if (moving.count(op) && op != "aten::sum" && m_bool.count(n->input(0))) // a mask reshaped is still a mask
            m_bool.insert(n->output());
        // Tensors made from no input (torch.arange(n), and what is computed from them and weights alone) carry
        // no batch axis, so reshaping them by constants fixes no batch size.
        const bool fromNoInput = std::all_of(n->inputs().begin(), n->inputs().end(), [&](const Value* v) {
            return v->type()->kind() != c10::TypeKind::TensorType || m_batchless.count(v) || m_weights.count(v)
                || m_constants.count(v);
        });
        if (op == "aten::arange" || fromNoInput)
            m_batchless.insert(n->output());
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
            const bool same
                = isNone(n, 0) == isNone(n, 1) && (isNone(n, 0) || identity(n->input(0)) == identity(n->input(1)));
            m_constants[n->output()] = op == "aten::__is__" ? same : !same;
        } else if (op == "prim::If" && m_constants.count(n->input(0))) {
            follow(n, n->blocks()[constant(n, 0).toBool() ? 0 : 1]);
        } else if (op == "aten::len" && m_sizesOf.count(n->input(0))) {
            const int rank = rankOf(m_sizesOf.at(n->input(0)));
            if (rank <= 0)
                refuse(n, "reads the rank of a tensor whose rank this exporter does not know.");
            m_constants[n->output()] = static_cast<std::int64_t>(rank);
        } else if (op == "prim::RaiseException") {
            refuse(n, "raises an error for the input shape given.");
        } else if (op == "prim::unchecked_cast" || op == "prim::NumToTensor" || op == "aten::Int"
            || op == "aten::ScalarImplicit") { // a traced x.size(0) goes through a tensor and back
            same(n->output(), n->input(0));
            if (m_opaque.count(n->input(0)))
                m_opaque.insert(n->output());
            if (const auto computed = m_tensor.find(n->input(0)); computed != m_tensor.end() && op == "aten::Int")
                m_runtime[n->output()] = { whole(n->input(0)) // int(x.max()) of ids; int(x.sum()) of floats is cut
                        ? computed->second
                        : castTo(n, computed->second, onnx::TensorProto::INT64),
                    false };
        } else if (op == "aten::zeros" || op == "aten::zeros_like") {
            m_zeros.insert(n->output()); // not written unless read: as a recurrent layer's first state, ONNX's default
            if (op == "aten::zeros_like" && m_tensor.count(n->input(0)))
                m_zerosLike[n->output()] = { n->input(0),
                    n->inputs().size() > 1 && m_constants.count(n->input(1)) && m_constants.at(n->input(1)).isInt()
                        ? static_cast<c10::ScalarType>(m_constants.at(n->input(1)).toInt())
                        : dtypeOf(n->input(0)) };
        } else if (opaqueCheck(n, op)) {
            m_opaque.insert(n->output());
        } else if (op == "prim::If" && m_opaque.count(n->input(0))) {
            takeTheBranchThatDoesNotRaise(n);
        } else if (op != "prim::Uninitialized" && op != "aten::warn") {
            return false;
        }
        return true;
    }

    // An operator on settings, strings and lists whose inputs are all known (len(why_not) > 0,
    // "cpu" in str(x.device), a list of flags appended to): run once here, as the interpreter would.
    bool fold(const Node* n, const std::string& op)
    {
        if (n->inputs().empty() || n->blocks().size() || n->hasSideEffects() || op.rfind("aten::", 0) != 0
            || !n->maybeSchema())
            return false;
        for (const Value* v : n->inputs())
            if (!m_constants.count(v) || v->type()->kind() == c10::TypeKind::TensorType)
                return false;
        for (const Value* v : n->outputs())
            if (v->type()->kind() == c10::TypeKind::TensorType)
                return false;
        torch::jit::Stack stack;
        for (const Value* v : n->inputs())
            stack.push_back(m_constants.at(v));
        if (n->schema().is_vararg()) // aten::format: the interpreter passes the count of its inputs last
            stack.emplace_back(static_cast<std::int64_t>(n->inputs().size()));
        try {
            n->getOperation()(stack);
        } catch (const std::exception&) {
            return false; // left to the handlers, which say what is wrong with it
        }
        for (std::size_t i = 0; i < n->outputs().size() && i < stack.size(); ++i)
            m_constants[n->output(i)] = stack[stack.size() - n->outputs().size() + i];
        return true;
    }

    // What a model's fast paths ask about how it runs, answered for a plain run on the CPU: no GPU, no
    // nested tensors, no autocast; autograd on, so a layer that has a fused inference kernel
    // (nn.TransformerEncoderLayer's) takes its general path, the same function in operators ONNX has.
    bool answer(const Node* n, const std::string& op)
    {
        static const std::set<std::string> no { "prim::is_cuda", "prim::is_nested", "aten::is_autocast_enabled",
            "prim::is_sparse", "prim::is_mkldnn", "prim::is_quantized", "prim::is_meta", "prim::is_xpu" };
        static const std::set<std::string> yes { "aten::is_grad_enabled", "prim::requires_grad" };
        if (yes.count(op) && !insidePyTorch(n)) // the model's own code runs as served: no autograd
            m_constants[n->output()] = false;
        else if (no.count(op) || yes.count(op))
            m_constants[n->output()] = yes.count(op) > 0;
        else if (op == "aten::is_floating_point")
            m_constants[n->output()] = c10::isFloatingType(dtypeOf(n->input(0)));
        else if (op == "prim::device")
            m_constants[n->output()] = c10::Device(c10::kCPU);
        else if (op == "prim::dtype")
            m_constants[n->output()] = static_cast<std::int64_t>(dtypeOf(n->input(0)));
        else
            return false;
        return true;
    }

    // A tensor's element type: a weight's own, else what the graph says, else float (what this exporter
    // computes in; ids are only looked up).
    c10::ScalarType dtypeOf(const Value* v) const
    {
        if (const auto w = m_weights.find(v); w != m_weights.end())
            return w->second.first.scalar_type();
        if (m_integer.count(v))
            return c10::kLong;
        if (m_bool.count(v))
            return c10::kBool;
        const auto type = v->type()->cast<c10::TensorType>();
        return type && type->scalarType() ? *type->scalarType() : c10::kFloat;
    }

    // Whether `n` is code of PyTorch's own layers (torch/nn), whose fast paths compute what their general
    // paths do, rather than the model's own code.
    static bool insidePyTorch(const Node* n)
    {
        const auto source = n->sourceRange().source();
        const auto file = source && source->filename() ? *source->filename() : std::string();
        return file.find("/torch/nn/") != std::string::npos;
    }

    // Tuples and lists taken apart where the export knows their items: an LSTM's (output, h, c), out[1].
    bool tuple(const Node* n, const std::string& op)
    {
        if (op == "prim::TupleConstruct") {
            m_lists[n->output()] = std::vector<const Value*>(n->inputs().begin(), n->inputs().end());
            return true;
        }
        if (op != "prim::TupleIndex" && op != "prim::TupleUnpack" && op != "prim::ListUnpack"
            && !(op == "aten::__getitem__"
                && (m_lists.count(n->input(0)) || m_sizesOf.count(n->input(0)) || m_parts.count(n->input(0)))))
            return false;
        if (m_sizesOf.count(n->input(0)) || m_parts.count(n->input(0)))
            return takeApart(n, op);
        const auto items = m_lists.find(n->input(0));
        if (items == m_lists.end())
            refuse(n, "takes apart a tuple or list this exporter does not follow.");
        const auto values = items->second; // a copy: same() below may grow m_lists and move its items
        const auto count = static_cast<std::int64_t>(values.size());
        if (op != "prim::TupleIndex" && op != "aten::__getitem__") {
            if (static_cast<std::int64_t>(n->outputs().size()) != count)
                refuse(n, "takes apart a tuple or list of another length.");
            for (std::size_t i = 0; i < n->outputs().size(); ++i)
                same(n->output(i), values[i]);
            return true;
        }
        auto index = constant(n, 1).toInt();
        if (index < 0)
            index += count;
        if (index < 0 || index >= count)
            refuse(n, "reads an item past the end of a tuple.");
        same(n->output(), values[static_cast<std::size_t>(index)]);
        return true;
    }

    // A comparison of sizes or settings this exporter does not know (x.size(-1) != self.input_size), or of
    // such a result: its value is left open, and only a branch that raises an error may depend on it.
    bool opaqueCheck(const Node* n, const std::string& op) const
    {
        static const std::set<std::string> checks { "aten::eq", "aten::ne", "aten::lt", "aten::gt", "aten::le",
            "aten::ge", "aten::__not__", "aten::__and__", "aten::__or__", "aten::len" };
        if (!checks.count(op) || n->outputs().size() != 1)
            return false;
        bool open = false;
        for (const Value* in : n->inputs()) {
            if (in->type()->kind() == c10::TypeKind::TensorType)
                return false; // a comparison of tensors is an operator of the model
            open = open || m_opaque.count(in) || m_sizesOf.count(in) || !knownValue(in);
        }
        return open;
    }

    bool knownValue(const Value* v) const
    {
        return m_constants.count(v) || m_tensor.count(v) || m_weights.count(v) || m_lists.count(v) || m_batchOf.count(v)
            || m_modules.count(v);
    }

    // `if <a check left open>: raise ...`: the model's own test of its input. The export assumes a valid
    // input, so it follows the branch that does not raise; when neither or both raise, it cannot choose.
    void takeTheBranchThatDoesNotRaise(const Node* n)
    {
        const auto raises = [](const torch::jit::Block* b) {
            return std::any_of(b->nodes().begin(), b->nodes().end(),
                [](const Node* inner) { return inner->kind() == c10::prim::RaiseException; });
        };
        const bool first = raises(n->blocks()[0]), second = raises(n->blocks()[1]);
        if (first == second)
            refuse(n, "is control flow that depends on the input, which this exporter does not write as ONNX.");
        follow(n, n->blocks()[first ? 1 : 0]);
    }

    // The branch of `n` (a prim::If) the export takes: its nodes, and its results as the If's.
    void follow(const Node* n, const torch::jit::Block* taken)
    {
        for (const Node* inner : taken->nodes())
            visit(inner);
        for (std::size_t i = 0; i < n->outputs().size(); ++i)
            same(n->output(i), taken->outputs()[i]);
    }

    // The value `v` stands for, through the branches and casts that pass it on (for `q is k`).
    const Value* identity(const Value* v) const
    {
        const auto found = m_alias.find(v);
        return found == m_alias.end() ? v : found->second;
    }

    // `to` stands for whatever `from` is.
    void same(const Value* to, const Value* from)
    {
        m_alias[to] = identity(from);
        if (m_integer.count(from))
            m_integer.insert(to);
        if (m_bool.count(from))
            m_bool.insert(to);
        if (m_batchless.count(from))
            m_batchless.insert(to);
        if (const auto f = m_zerosLike.find(from); f != m_zerosLike.end())
            m_zerosLike[to] = f->second;
        if (m_zeros.count(from))
            m_zeros.insert(to);
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
        if (const auto f = m_runtime.find(from); f != m_runtime.end())
            m_runtime[to] = f->second;
        if (const auto f = m_sizeAt.find(from); f != m_sizeAt.end())
            m_sizeAt[to] = f->second;
        if (const auto f = m_batchOf.find(from); f != m_batchOf.end())
            m_batchOf[to] = f->second;
        if (const auto f = m_parts.find(from); f != m_parts.end())
            m_parts[to] = f->second;
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
        const auto type = n->output()->type()->cast<c10::ListType>();
        if (type && std::all_of(n->inputs().begin(), n->inputs().end(), [&](const Value* v) {
                return m_constants.count(v);
            })) {
            c10::impl::GenericList list(type->getElementType()); // typed as the graph says: bool[] too, when empty
            for (const Value* v : n->inputs())
                list.push_back(m_constants.at(v));
            m_constants[n->output()] = list;
            return;
        }
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
        if (allInts) {
            m_constants[n->output()] = plain;
            return;
        }
        if (!shape.empty())
            m_shapes[n->output()] = shape;
        m_lists[n->output()] = std::vector<const Value*>(n->inputs().begin(), n->inputs().end());
    }

    void size(const Node* n)
    {
        if (const auto weight = m_weights.find(n->input(0)); weight != m_weights.end()) {
            const auto& held = weight->second.first;
            if (n->inputs().size() == 1)
                m_constants[n->output()] = c10::List<std::int64_t>(held.sizes().vec());
            else
                m_constants[n->output()] = held.size(constant(n, 1).toInt());
            return;
        }
        if (n->inputs().size() == 1) { // x.size(): its length (the rank) is all this exporter follows
            m_sizesOf[n->output()] = n->input(0);
            return;
        }
        if (n->inputs().size() == 2 && m_constants.count(n->input(1)) && m_constants.at(n->input(1)).isInt()
            && m_constants.at(n->input(1)).toInt() == 0) {
            m_batchOf[n->output()] = n->input(0);
            return;
        }
        // Another axis's size, or one counted from the end: known only as the model runs. The model's own
        // checks of its input may compare it (see opaqueCheck); shapes and arithmetic read it from the
        // tensor's shape in the ONNX graph (see sizeOf).
        m_opaque.insert(n->output());
        if (m_constants.count(n->input(1)) && m_constants.at(n->input(1)).isInt())
            m_sizeAt[n->output()] = { n->input(0), m_constants.at(n->input(1)).toInt() };
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
            refuse(n,
                "pools to a size other than 1, which ONNX has no operator for; pool with a fixed kernel instead, or "
                "keep the model as TorchScript.");
        emit(n, "GlobalAveragePool", { tensor(n, 0) }, 0, rankOf(n->input(0)));
    }

    void flatten(const Node* n)
    {
        const auto start = constant(n, 1).toInt(), end = constant(n, 2).toInt();
        const int rank = rankOf(n->input(0));
        if (start < 1 || !(end == -1 || (rank > 0 && end == rank - 1)))
            refuse(n, "flattens the batch axis, or axes before the last, which this exporter does not write.");
        if (start == 1) {
            attr(emit(n, "Flatten", { tensor(n, 0) }, 0, 2), "axis", 1);
            return;
        }
        std::vector<std::int64_t> shape(static_cast<std::size_t>(start), 0); // 0: kept as it is
        shape.push_back(-1);
        emit(n, "Reshape", { tensor(n, 0), int64s(n->output()->debugName() + ".shape", shape) }, 0,
            static_cast<int>(start) + 1);
    }

    // x[i] along one axis (out[1][-1]: an LSTM's last hidden state): Gather with a scalar index.
    void select(const Node* n)
    {
        const auto index
            = initializer(n->output()->debugName() + ".index", at::scalar_tensor(constant(n, 2).toInt(), at::kLong));
        attr(emit(n, "Gather", { tensor(n, 0), index }, 0, rankOf(n->input(0)) - 1), "axis", constant(n, 1).toInt());
    }

    // x[a:b:s] along one axis; the whole axis (x[:, -1]'s first step) is x itself.
    void slice(const Node* n)
    {
        if (n->input(0)->type()->kind() != c10::TypeKind::TensorType)
            refuse(n,
                "slices a list (x.shape[1:], say), which this exporter does not follow; read the sizes one "
                "by one (x.size(1)).");
        const auto bound = [&](std::size_t i, std::int64_t none) { // a constant, or a size known as it runs
            if (isNone(n, i))
                return int64s(n->output()->debugName() + ".bound" + std::to_string(i), { none });
            return m_constants.count(n->input(i))
                ? int64s(n->output()->debugName() + ".bound" + std::to_string(i), { constant(n, i).toInt() })
                : runtimeNumber(n, n->input(i), false);
        };
        const bool whole = (isNone(n, 2) || (m_constants.count(n->input(2)) && constant(n, 2).toInt() == 0))
            && (isNone(n, 3)
                || (m_constants.count(n->input(3))
                    && constant(n, 3).toInt() == std::numeric_limits<std::int64_t>::max()));
        const auto stride = constant(n, 4).toInt();
        if (whole && stride == 1)
            return alias(n);
        const auto tag = n->output()->debugName();
        emit(n, "Slice",
            { tensor(n, 0), bound(2, 0), bound(3, std::numeric_limits<std::int64_t>::max()),
                int64s(tag + ".axis", { constant(n, 1).toInt() }), int64s(tag + ".step", { stride }) },
            0, rankOf(n->input(0)));
    }

    void permute(const Node* n)
    {
        auto order = ints(n, 1);
        const auto rank = static_cast<std::int64_t>(order.size());
        for (auto& axis : order) // x.permute(0, -1, 1): ONNX's perm counts from the front only
            axis = axis < 0 ? axis + rank : axis;
        attr(emit(n, "Transpose", { tensor(n, 0) }, 0, static_cast<int>(rank)), "perm", order);
    }

    void reshape(const Node* n)
    {
        const auto batchFirst = m_shapes.find(n->input(1));
        if (batchFirst != m_shapes.end() && m_shapeBatchOf.at(n->input(1)) == n->input(0))
            return reshapeKeepingBatch(n, batchFirst->second);
        if (const auto items = m_lists.find(n->input(1)); items != m_lists.end()) { // x.view(b * h, t, d // h)
            const auto first = m_constants.find(items->second.front());
            if (first != m_constants.end() && first->second.isInt() && first->second.toInt() != -1
                && !m_batchless.count(n->input(0)))
                refuse(n, "reshapes the batch axis, which would fix the batch size in the ONNX model.");
            emit(n, "Reshape", { tensor(n, 0), shapeTensor(n, items->second) }, 0,
                static_cast<int>(items->second.size()));
            return;
        }
        if (const auto of = m_sizesOf.find(n->input(1)); of != m_sizesOf.end()) { // y.view(x.size())
            emit(n, "Reshape", { tensor(n, 0), shapeOf(n, of->second) }, 0, rankOf(of->second));
            return;
        }
        ShapeList shape;
        for (const auto d : ints(n, 1))
            shape.emplace_back(d);
        reshapeKeepingBatch(n, shape);
    }

    // A reshape by constants and the input's own batch size (x.view(x.size(0), -1)): Flatten, or Reshape
    // with 0 for the batch.
    void reshapeKeepingBatch(const Node* n, const ShapeList& shape)
    {
        if (shape.size() == 2 && !shape[0] && shape[1] == -1) { // x.view(x.size(0), -1)
            attr(emit(n, "Flatten", { tensor(n, 0) }, 0, 2), "axis", 1);
            return;
        }
        std::vector<std::int64_t> fixed;
        for (const auto& d : shape)
            fixed.push_back(d ? *d : 0); // 0: the input's size on that axis (the batch)
        if (!m_batchless.count(n->input(0)) && (shape.empty() || (shape[0] && *shape[0] != -1))) // x.view(-1, 400) too
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
                return roundedDivision(n);
        } else if (n->inputs().size() > 2 && m_constants.count(n->input(2)) && number(n, 2) != 1.0)
            refuse(n, "scales its second input (alpha), which this exporter does not write.");
        else if (n->inputs().size() > 2 && !m_constants.count(n->input(2)))
            refuse(n, "takes an argument this exporter does not follow.");
        emit(n, ops.at(op), { floatOperand(n, 0), floatOperand(n, 1) }, 0,
            std::max(rankOf(n->input(0)), rankOf(n->input(1))));
    }

    // a / b rounded (rounding_mode "trunc" or "floor"): on whole numbers ONNX's Div truncates, and floor
    // division is floorDivision; on fractions, Floor, or sign(q) * floor(|q|).
    void roundedDivision(const Node* n)
    {
        const auto mode = constant(n, 2).toStringRef();
        if (mode != "trunc" && mode != "floor")
            refuse(n, "rounds its quotient in a way this exporter does not know; use 'trunc' or 'floor'.");
        const bool integer = whole(n->input(0)) && whole(n->input(1));
        const auto a = operandAs(n, 0, integer), b = operandAs(n, 1, integer);
        const int rank = std::max(rankOf(n->input(0)), rankOf(n->input(1)));
        std::string q;
        if (integer)
            q = mode == "trunc" ? step(n, "Div", { a, b }) : floorDivision(n, a, b);
        else if (mode == "floor")
            q = step(n, "Floor", { step(n, "Div", { a, b }) });
        else {
            const auto quotient = step(n, "Div", { a, b });
            q = step(n, "Mul", { step(n, "Sign", { quotient }), step(n, "Floor", { step(n, "Abs", { quotient }) }) });
        }
        result(n, 0, q, rank);
        if (integer)
            m_integer.insert(n->output());
    }

    // Whether arithmetic `n` is on whole numbers: its result's type says so, or (in a graph whose types were
    // not kept) both operands are sizes, whole-number constants or integer weights.
    bool integral(const Node* n) const
    {
        if (n->kind().toQualString() == std::string("aten::div"))
            return false; // true division: a fraction, whatever it divides
        const auto type = n->output()->type()->cast<c10::TensorType>();
        if (type && type->scalarType())
            return !c10::isFloatingType(*type->scalarType());
        return n->inputs().size() >= 2 && whole(n->input(0)) && whole(n->input(1));
    }

    // Whether `v` holds whole numbers: an int, a size, an integer weight or an int64 tensor.
    bool whole(const Value* v) const
    {
        if (const auto c = m_constants.find(v); c != m_constants.end())
            return c->second.isInt();
        if (const auto w = m_weights.find(v); w != m_weights.end())
            return !w->second.first.is_floating_point() && w->second.first.scalar_type() != at::kBool;
        if (const auto r = m_runtime.find(v); r != m_runtime.end())
            return !r->second.isFloat;
        return m_sizeAt.count(v) > 0 || m_batchOf.count(v) > 0 || m_integer.count(v) > 0;
    }

    // An operand of float arithmetic: a weight or constant held as integers (a traced "+ 0" records a long
    // tensor) is written as float, since ONNX's Add and the others take one type.
    std::string floatOperand(const Node* n, std::size_t i) { return operandAs(n, i, integral(n)); }

    // Operand i of an operator whose operands share one type: int64 when `integer`, else float. Constants
    // are written in that type, sizes and int64 tensors cast to float in float arithmetic (x / math.sqrt(d)).
    std::string operandAs(const Node* n, std::size_t i, bool integer)
    {
        const Value* v = n->input(i);
        if (integer && m_constants.count(v) && m_constants.at(v).isInt()) // traced size arithmetic
            return runtimeNumber(n, v, false);
        if (integer && m_constants.count(v) && m_constants.at(v).isDouble()) // ids.masked_fill(m, 1.7): cut to 1
            return int64s("maas.int." + std::to_string(static_cast<std::int64_t>(m_constants.at(v).toDouble())),
                { static_cast<std::int64_t>(m_constants.at(v).toDouble()) });
        if (isRuntime(v) && !m_tensor.count(v))
            return runtimeNumber(n, v, !integer);
        const auto name = tensor(n, i);
        if (integer)
            return name;
        if (m_tensor.count(v) && whole(v))
            return castTo(n, name, onnx::TensorProto::FLOAT);
        const auto held = m_initializers.find(name);
        if (held == m_initializers.end() || held->second.scalar_type() == at::kFloat)
            return name; // a double constant (a traced math.sqrt) is float in float arithmetic too
        return initializer(name + ".float", held->second.to(at::kFloat));
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
        if (n->inputs().size() < 3) { // x.mean(): one number for the whole batch
            if (n->inputs().size() == 2 && !isNone(n, 1))
                refuse(n, "casts to another type as it runs.");
            attr(emit(n, "ReduceMean", { tensor(n, 0) }, 0, 0), "keepdims", 0);
            return;
        }
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
            refuse(n,
                "uses the tanh approximation, which this exporter does not write; use the exact GELU "
                "(approximate='none'), or keep the model as TorchScript.");
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

    // --- recurrent layers ---------------------------------------------------------------------------

    // The weights a list argument names (an LSTM's parameters, in PyTorch's order).
    std::vector<at::Tensor> weightList(const Node* n, std::size_t i) const
    {
        if (const auto held = m_constants.find(n->input(i)); held != m_constants.end() && held->second.isTensorList()) {
            std::vector<at::Tensor> weights; // nn.LSTM's self._flat_weights
            for (const at::Tensor& t : held->second.toTensorVector())
                weights.push_back(t.to(at::kFloat));
            return weights;
        }
        const auto list = m_lists.find(n->input(i));
        if (list == m_lists.end())
            refuse(n, "takes a list of weights this exporter does not follow.");
        std::vector<at::Tensor> weights;
        for (const Value* v : list->second) {
            const auto found = m_weights.find(v);
            if (found == m_weights.end())
                refuse(n, "takes weights computed as it runs, which this exporter does not follow.");
            weights.push_back(found->second.first.to(at::kFloat));
        }
        return weights;
    }

    // PyTorch stacks an LSTM's gates as input, forget, cell, output and a GRU's as reset, update, new;
    // ONNX wants input, output, forget, cell and update, reset, hidden.
    static at::Tensor onnxGates(const at::Tensor& t, bool gru)
    {
        const auto parts = t.chunk(gru ? 3 : 4, 0);
        return gru ? at::cat({ parts[1], parts[0], parts[2] }) : at::cat({ parts[0], parts[3], parts[1], parts[2] });
    }

    // aten::lstm(x, [h0, c0], params, has_biases, layers, dropout, train, bidirectional, batch_first) and
    // aten::gru(x, h0, ...): one ONNX LSTM or GRU per layer, each layer's Y reshaped into the next one's X.
    // Initial states made by torch.zeros are left out (ONNX's default); others are sliced per layer.
    void recurrent(const Node* n)
    {
        const bool gru = n->kind().toQualString() == std::string("aten::gru");
        const auto* schema = n->maybeSchema();
        if (!schema || schema->overload_name() != "input") // aten::lstm.data: a PackedSequence's
            refuse(n, "takes packed sequences, which this exporter does not write.");
        if (constant(n, 6).toBool())
            refuse(n, "runs in training mode.");
        const bool biases = constant(n, 3).toBool(), bidirectional = constant(n, 7).toBool();
        const bool batchFirst = constant(n, 8).toBool();
        const auto layers = constant(n, 4).toInt();
        const std::int64_t directions = bidirectional ? 2 : 1, per = biases ? 4 : 2;
        const auto params = weightList(n, 2);
        if (static_cast<std::int64_t>(params.size()) != layers * directions * per)
            refuse(n, "has weights of a form this exporter does not write (projections?).");
        std::vector<const Value*> states { n->input(1) };
        if (!gru) {
            if (!m_lists.count(n->input(1)) || m_lists.at(n->input(1)).size() != 2)
                refuse(n, "takes its first states in a form this exporter does not follow.");
            states = m_lists.at(n->input(1));
        }
        const auto hidden = params[1].size(1);
        std::string x = tensor(n, 0);
        if (batchFirst)
            x = transposed(n, x, { 1, 0, 2 });
        std::vector<std::string> finalH, finalC;
        for (std::int64_t l = 0; l < layers; ++l) {
            std::vector<at::Tensor> w, r, b;
            for (std::int64_t d = 0; d < directions; ++d) {
                const auto p = static_cast<std::size_t>((l * directions + d) * per); // weight_ih of (l, d)
                w.push_back(onnxGates(params[p], gru));
                r.push_back(onnxGates(params[p + 1], gru));
                if (biases)
                    b.push_back(at::cat({ onnxGates(params[p + 2], gru), onnxGates(params[p + 3], gru) }));
            }
            // Named as ONNX names them (W, R, B), since they are PyTorch's weights restacked: "rnn.W_l0".
            const std::string base = (m_owners.count(n) && !m_owners.at(n).empty() ? m_owners.at(n) + "." : "");
            const std::string suffix = "_l" + std::to_string(l);
            std::vector<std::string> inputs { x, initializer(base + "W" + suffix, at::stack(w)),
                initializer(base + "R" + suffix, at::stack(r)),
                biases ? initializer(base + "B" + suffix, at::stack(b)) : std::string(), "" };
            for (const Value* state : states)
                inputs.push_back(layerState(n, state, l, directions));
            onnx::NodeProto* node = nullptr;
            const auto outs = steps(n, gru ? "GRU" : "LSTM", inputs, gru ? 2 : 3, &node);
            attr(node, "hidden_size", hidden);
            auto* direction = node->add_attribute();
            direction->set_name("direction");
            direction->set_type(onnx::AttributeProto::STRING);
            direction->set_s(bidirectional ? "bidirectional" : "forward");
            if (gru)
                attr(node, "linear_before_reset", 1); // PyTorch applies the reset gate after the product
            // Y [steps, directions, batch, hidden] -> [steps, batch, directions * hidden]
            x = step(
                n, "Reshape", { transposed(n, outs[0], { 0, 2, 1, 3 }), int64s("maas.shape.keep2", { 0, 0, -1 }) });
            finalH.push_back(outs[1]);
            if (!gru)
                finalC.push_back(outs[2]);
        }
        result(n, 0, batchFirst ? transposed(n, x, { 1, 0, 2 }) : x, 3);
        result(n, 1, joined(n, finalH), 3);
        if (!gru)
            result(n, 2, joined(n, finalC), 3);
    }

    std::string transposed(const Node* n, const std::string& x, const std::vector<std::int64_t>& order)
    {
        onnx::NodeProto* node = nullptr;
        const auto out = steps(n, "Transpose", { x }, 1, &node).front();
        attr(node, "perm", order);
        return out;
    }

    // The final states of every layer, one after another on the first axis, as PyTorch returns them.
    std::string joined(const Node* n, const std::vector<std::string>& parts)
    {
        if (parts.size() == 1)
            return parts.front();
        onnx::NodeProto* node = nullptr;
        const auto out = steps(n, "Concat", parts, 1, &node).front();
        attr(node, "axis", 0);
        return out;
    }

    // Layer `l`'s slice of a first state [layers * directions, batch, hidden]; "" for zeros.
    std::string layerState(const Node* n, const Value* state, std::int64_t l, std::int64_t directions)
    {
        if (m_zeros.count(state))
            return "";
        const auto found = m_tensor.find(state);
        if (found == m_tensor.end())
            refuse(n, "starts from a state this exporter does not follow.");
        const std::string tag = "maas.layer" + std::to_string(l) + "x" + std::to_string(directions);
        return step(n, "Slice",
            { found->second, int64s(tag + ".start", { l * directions }), int64s(tag + ".end", { (l + 1) * directions }),
                int64s("maas.axis0", { 0 }) });
    }

    // --- attention: the operators a transformer's layers are made of ------------------------------------

    // An axis counted from the end (-1) as ONNX's attributes want it, from the front; `extra` for an axis
    // of the result (unsqueeze's).
    std::int64_t axisOf(const Node* n, std::int64_t axis, int rank, int extra = 0) const
    {
        if (axis >= 0)
            return axis;
        if (rank < 0)
            refuse(n, "counts an axis from the end of a tensor whose rank this exporter does not know.");
        return axis + rank + extra;
    }

    void transpose(const Node* n)
    {
        const int rank = rankOf(n->input(0));
        if (rank < 0)
            refuse(n, "transposes a tensor whose rank this exporter does not know.");
        std::vector<std::int64_t> order(static_cast<std::size_t>(rank));
        for (int i = 0; i < rank; ++i)
            order[static_cast<std::size_t>(i)] = i;
        const auto a = axisOf(n, constant(n, 1).toInt(), rank), b = axisOf(n, constant(n, 2).toInt(), rank);
        if (a >= rank || b >= rank)
            refuse(n, "transposes an axis the tensor does not have.");
        std::swap(order[static_cast<std::size_t>(a)], order[static_cast<std::size_t>(b)]);
        attr(emit(n, "Transpose", { tensor(n, 0) }, 0, rank), "perm", order);
    }

    int productRank(const Node* n) const
    {
        const int a = rankOf(n->input(n->inputs().size() == 2 ? 0 : 1));
        const int b = rankOf(n->input(n->inputs().size() == 2 ? 1 : 2));
        if (a < 0 || b < 0)
            return -1;
        return a == 1 && b == 1 ? 0 : a == 1 ? b - 1 : b == 1 ? a - 1 : std::max(a, b);
    }

    void matmul(const Node* n) { emit(n, "MatMul", { tensor(n, 0), tensor(n, 1) }, 0, productRank(n)); }

    // beta * input + alpha * (batch1 @ batch2): attention scores with a mask added.
    void baddbmm(const Node* n)
    {
        const double beta = number(n, 3), alpha = number(n, 4);
        auto product = step(n, "MatMul", { tensor(n, 1), tensor(n, 2) });
        if (alpha != 1.0)
            product = step(n, "Mul", { product, scalar(alpha) });
        auto input = tensor(n, 0);
        if (beta != 1.0)
            input = step(n, "Mul", { input, scalar(beta) });
        emit(n, "Add", { input, product }, 0, productRank(n));
    }

    void power(const Node* n)
    {
        emit(n, "Pow", { floatOperand(n, 0), floatOperand(n, 1) }, 0,
            std::max(rankOf(n->input(0)), rankOf(n->input(1))));
    }

    // a // b: on whole numbers (traced size arithmetic, never negative) ONNX's Div; on floats, floored.
    void floorDivide(const Node* n)
    {
        const int rank = std::max(rankOf(n->input(0)), rankOf(n->input(1)));
        if (integral(n))
            result(n, 0, floorDivision(n, floatOperand(n, 0), floatOperand(n, 1)), rank);
        else
            emit(n, "Floor", { step(n, "Div", { floatOperand(n, 0), floatOperand(n, 1) }) }, 0, rank);
    }

    // aten::layer_norm(input, normalized_shape, weight, bias, eps, cudnn_enable) in the form ONNX Runtime
    // fuses into one LayerNormalization kernel (and that every opset has): (x - mean) / sqrt(var + eps).
    void layerNorm(const Node* n)
    {
        const auto axes = static_cast<std::int64_t>(ints(n, 1).size());
        std::vector<std::int64_t> over;
        for (auto a = -axes; a < 0; ++a)
            over.push_back(a);
        const auto reduce = [&](const std::string& x) {
            onnx::NodeProto* node = nullptr;
            const auto out = steps(n, "ReduceMean", { x }, 1, &node).front();
            attr(node, "axes", over);
            attr(node, "keepdims", 1);
            return out;
        };
        const auto x = tensor(n, 0);
        const auto centred = step(n, "Sub", { x, reduce(x) });
        const auto variance = reduce(step(n, "Pow", { centred, scalar(2.0) }));
        const auto spread = step(n, "Sqrt", { step(n, "Add", { variance, scalar(number(n, 4)) }) });
        auto y = step(n, "Div", { centred, spread });
        if (!isNone(n, 2))
            y = step(n, "Mul", { y, tensor(n, 2, "weight") });
        if (!isNone(n, 3))
            y = step(n, "Add", { y, tensor(n, 3, "bias") });
        result(n, 0, y, rankOf(n->input(0)));
    }

    void unsqueeze(const Node* n)
    {
        const int rank = rankOf(n->input(0));
        const auto axis = axisOf(n, constant(n, 1).toInt(), rank, 1);
        emit(n, "Unsqueeze", { tensor(n, 0), int64s("maas.axis." + std::to_string(axis), { axis }) }, 0,
            rank < 0 ? -1 : rank + 1);
    }

    // x.squeeze(d): ONNX's Squeeze requires the axis to be 1 long, as it is where a model squeezes it.
    void squeeze(const Node* n)
    {
        if (n->inputs().size() < 2)
            refuse(n, "squeezes every axis of length 1, which fixes which axes those are; name the axis.");
        const int rank = rankOf(n->input(0));
        const auto axis = axisOf(n, constant(n, 1).toInt(), rank);
        emit(n, "Squeeze", { tensor(n, 0), int64s("maas.axis." + std::to_string(axis), { axis }) }, 0,
            rank < 0 ? -1 : rank - 1);
    }

    // x.chunk(k, dim): ONNX's Split into k equal pieces (q, k, v from one projection).
    void chunk(const Node* n)
    {
        const auto pieces = constant(n, 1).toInt();
        if (pieces < 1 || pieces > 1024)
            refuse(n, "splits into a number of pieces this exporter does not write.");
        // torch.chunk's pieces are ceil(size / k) long, the last one shorter when k does not divide the size
        // (the model takes apart exactly k, so there are k as it runs): computed from the size as it runs.
        const auto axis = constant(n, 2).toInt();
        const auto size
            = step(n, "Gather", { shapeOf(n, n->input(0)), int64s("maas.axis." + std::to_string(axis), { axis }) });
        const auto k = int64s("maas.int." + std::to_string(pieces), { pieces });
        const auto each = step(n, "Div",
            { step(n, "Add", { size, int64s("maas.int." + std::to_string(pieces - 1), { pieces - 1 }) }), k });
        const auto rest = step(n, "Sub",
            { size, step(n, "Mul", { each, int64s("maas.int." + std::to_string(pieces - 1), { pieces - 1 }) }) });
        std::vector<std::string> lengths(static_cast<std::size_t>(pieces - 1), each);
        lengths.push_back(rest);
        onnx::NodeProto* concat = nullptr;
        const auto split = steps(n, "Concat", lengths, 1, &concat).front();
        attr(concat, "axis", 0);
        onnx::NodeProto* node = nullptr;
        const auto names = steps(n, "Split", { tensor(n, 0), split }, static_cast<int>(pieces), &node);
        attr(node, "axis", axis);
        m_parts[n->output()] = { names, rankOf(n->input(0)) };
    }

    // aten::embedding(weight, ids, padding_idx, ...): the rows of the ids, as Gather finds them.
    void embedding(const Node* n)
    {
        const int rank = rankOf(n->input(1));
        emit(n, "Gather", { tensor(n, 0, "weight"), tensor(n, 1) }, 0, rank < 0 ? -1 : rank + 1);
    }

    // --- positions: padding texts to one length without a loop ------------------------------------------

    void compare(const Node* n)
    {
        static const std::unordered_map<std::string, std::string> ops { { "aten::lt", "Less" },
            { "aten::le", "LessOrEqual" }, { "aten::gt", "Greater" }, { "aten::ge", "GreaterOrEqual" },
            { "aten::eq", "Equal" }, { "aten::ne", "Equal" } };
        const std::string op = n->kind().toQualString();
        const bool integer = whole(n->input(0)) && whole(n->input(1)); // from the operands: the result is bool
        const int rank = std::max(rankOf(n->input(0)), rankOf(n->input(1)));
        const auto same = step(n, ops.at(op), { operandAs(n, 0, integer), operandAs(n, 1, integer) });
        result(n, 0, op == "aten::ne" ? step(n, "Not", { same }) : same, rank);
        m_bool.insert(n->output());
    }

    // x.sum() or x.sum(dims, keepdim): ReduceSum, its axes an input since opset 13.
    void sum(const Node* n)
    {
        const auto last = n->inputs().size() - 1; // the dtype
        if (!isNone(n, last))
            refuse(n, "casts to another type as it runs.");
        if (n->inputs().size() == 2) {
            attr(emit(n, "ReduceSum", { tensor(n, 0) }, 0, 0), "keepdims", 0);
            return;
        }
        const auto axes = ints(n, 1);
        const bool keep = constant(n, 2).toBool();
        const int rank = rankOf(n->input(0));
        attr(emit(n, "ReduceSum", { tensor(n, 0), int64s(n->output()->debugName() + ".axes", axes) }, 0,
                 keep || rank < 0 ? rank : rank - static_cast<int>(axes.size())),
            "keepdims", keep ? 1 : 0);
    }

    // torch.where(condition, a, b).
    void where(const Node* n)
    {
        if (n->inputs().size() != 3)
            refuse(n, "finds the positions of true values, whose count is known only as it runs.");
        const bool integer = whole(n->input(1)) && whole(n->input(2));
        emit(n, "Where", { tensor(n, 0), operandAs(n, 1, integer), operandAs(n, 2, integer) }, 0,
            std::max({ rankOf(n->input(0)), rankOf(n->input(1)), rankOf(n->input(2)) }));
        if (integer)
            m_integer.insert(n->output());
    }

    // a % b with Python's sign (the divisor's): ONNX's Mod on whole numbers; a - floor(a / b) * b on fractions.
    void remainder(const Node* n)
    {
        const bool integer = whole(n->input(0)) && whole(n->input(1));
        const auto a = operandAs(n, 0, integer), b = operandAs(n, 1, integer);
        const int rank = std::max(rankOf(n->input(0)), rankOf(n->input(1)));
        if (integer)
            emit(n, "Mod", { a, b }, 0, rank);
        else
            emit(n, "Sub", { a, step(n, "Mul", { step(n, "Floor", { step(n, "Div", { a, b }) }), b }) }, 0, rank);
    }

    // x.expand(sizes): ONNX's Expand broadcasts as PyTorch's does, with 1 where PyTorch says -1 (keep).
    void expand(const Node* n)
    {
        std::vector<std::string> parts;
        const auto items = m_lists.find(n->input(1));
        if (items == m_lists.end()) {
            auto sizes = ints(n, 1);
            for (auto& d : sizes)
                d = d == -1 ? 1 : d;
            parts.push_back(int64s(n->output()->debugName() + ".shape", sizes));
        } else {
            for (const Value* v : items->second) {
                const auto c = m_constants.find(v);
                auto part = c != m_constants.end() && c->second.isInt() && c->second.toInt() == -1
                    ? int64s("maas.int.1", { 1 })
                    : runtimeNumber(n, v, false);
                if (!m_single.count(part) && part != "maas.int.1")
                    part = step(n, "Reshape", { part, int64s("maas.shape.one", { 1 }) });
                parts.push_back(part);
            }
        }
        onnx::NodeProto* concat = nullptr;
        const auto shape = parts.size() == 1 ? parts.front() : steps(n, "Concat", parts, 1, &concat).front();
        if (concat)
            attr(concat, "axis", 0);
        const auto size = items == m_lists.end() ? ints(n, 1).size() : items->second.size();
        emit(n, "Expand", { tensor(n, 0), shape }, 0, static_cast<int>(size));
    }

    // x.to(dtype) (x.float(), x.long()): Cast; a move to a device alone changes nothing here.
    void to(const Node* n)
    {
        std::optional<std::int64_t> type;
        for (std::size_t i = 1; i < std::min<std::size_t>(3, n->inputs().size()) && !type; ++i)
            if (const auto c = m_constants.find(n->input(i)); c != m_constants.end() && c->second.isInt())
                type = c->second.toInt();
        if (!type)
            return alias(n);
        const auto scalar = static_cast<c10::ScalarType>(*type);
        if (c10::isFloatingType(scalar)) { // float32 throughout this exporter: a double is computed as float
            result(n, 0,
                m_integer.count(n->input(0)) || m_bool.count(n->input(0))
                    ? castTo(n, tensor(n, 0), onnx::TensorProto::FLOAT)
                    : tensor(n, 0),
                rankOf(n->input(0)));
        } else if (scalar == c10::kLong || scalar == c10::kInt) {
            result(n, 0, castTo(n, tensor(n, 0), onnx::TensorProto::INT64), rankOf(n->input(0)));
            m_integer.insert(n->output());
        } else if (scalar == c10::kBool) {
            result(n, 0, castTo(n, tensor(n, 0), onnx::TensorProto::BOOL), rankOf(n->input(0)));
            m_bool.insert(n->output());
        } else {
            refuse(n, "casts to a type this exporter does not write; use float or long.");
        }
    }

    // x.max(): the largest value, as a scalar.
    void maximum(const Node* n)
    {
        if (n->inputs().size() != 1)
            refuse(n, "takes a maximum along an axis or of two tensors, which this exporter does not write.");
        attr(emit(n, "ReduceMax", { tensor(n, 0) }, 0, 0), "keepdims", 0);
    }

    // torch.arange(end): 0, 1, ..., end - 1, as int64 (the end is a whole number here).
    void arange(const Node* n)
    {
        if (n->inputs().size() != 5 || !whole(n->input(0))
            || !(isNone(n, 1) || (m_constants.count(n->input(1)) && constant(n, 1) == c10::IValue(std::int64_t { 4 }))))
            refuse(n, "counts with a start, a step or a type this exporter does not write; use torch.arange(end).");
        const auto end = step(n, "Reshape", { runtimeNumber(n, n->input(0), false), int64s("maas.scalar.shape", {}) });
        emit(n, "Range",
            { initializer("maas.int.0.scalar", at::scalar_tensor(0, at::kLong)), end,
                initializer("maas.int.1.scalar", at::scalar_tensor(1, at::kLong)) },
            0, 1);
    }

    // x.clamp(min=a): ONNX's Max with a (the form torch.onnx.export writes for one bound).
    void clamp(const Node* n)
    {
        const std::string op = n->kind().toQualString();
        const bool low = op == "aten::clamp_min" || (op == "aten::clamp" && !isNone(n, 1));
        const bool high = op == "aten::clamp_max" || (op == "aten::clamp" && !isNone(n, 2));
        const std::size_t upper = op == "aten::clamp" ? 2 : 1;
        const bool integer = whole(n->input(0)) && (!low || whole(n->input(1))) && (!high || whole(n->input(upper)));
        auto x = operandAs(n, 0, integer);
        if (low)
            x = step(n, "Max", { x, operandAs(n, 1, integer) });
        if (high)
            x = step(n, "Min", { x, operandAs(n, upper, integer) });
        result(n, 0, x, rankOf(n->input(0)));
        if (integer)
            m_integer.insert(n->output());
    }

    void indexSelect(const Node* n)
    {
        attr(emit(n, "Gather", { tensor(n, 0), tensor(n, 2) }, 0, rankOf(n->input(0))), "axis", constant(n, 1).toInt());
    }

    // x.masked_fill(mask, value): Where(mask, value, x).
    void maskedFill(const Node* n)
    {
        // The value takes the tensor's type, as in PyTorch (ids.masked_fill(m, 1.7) writes 1).
        emit(n, "Where", { tensor(n, 1), operandAs(n, 2, whole(n->input(0))), tensor(n, 0) }, 0, rankOf(n->input(0)));
    }

    // --- embeddings -------------------------------------------------------------------------------

    // aten::embedding_bag(weight, ids, offsets, ..., mode, ...) in sum or mean mode, which ONNX has no
    // operator for, in time and memory linear in the ids: the rows Gather finds are summed cumulatively (in
    // double, so a difference of two large sums keeps float precision) under a first row of zeros; a bag's
    // sum is the running sum at its end less the one at its start, and its size the offsets' difference.
    void embeddingBag(const Node* n)
    {
        const auto mode = constant(n, 4).toInt();
        if (mode == 2)
            refuse(n, "takes the maximum of each bag, which this exporter does not write.");
        if (!isNone(n, 6))
            refuse(n, "weighs each id (per_sample_weights), which this exporter does not write.");
        if (n->inputs().size() > 7 && constant(n, 7).toBool())
            refuse(n, "takes offsets that include the last one, which this exporter does not write.");
        if (n->inputs().size() > 8 && !isNone(n, 8))
            refuse(n, "skips a padding id, which this exporter does not write.");
        const auto weight = tensor(n, 0, "weight"), ids = tensor(n, 1), offsets = tensor(n, 2);
        const auto cast = [&](const std::string& x, int to) {
            onnx::NodeProto* node = nullptr;
            const auto out = steps(n, "Cast", { x }, 1, &node).front();
            attr(node, "to", to);
            return out;
        };
        const auto rows = cast(step(n, "Gather", { weight, ids }), onnx::TensorProto::DOUBLE); // [ids, width]
        const auto running = step(n, "CumSum", { rows, initializer("maas.zero", at::scalar_tensor(0, at::kLong)) });
        const auto table = joined(
            n, { initializer("maas.zero_row", at::zeros({ 1, held(n, weight).size(1) }, at::kDouble)), running });
        const auto ends = joined(n, // each bag ends where the next begins; the last at the number of ids
            { step(n, "Slice",
                  { offsets, int64s("maas.one", { 1 }),
                      int64s("maas.end", { std::numeric_limits<std::int64_t>::max() }), int64s("maas.axis0", { 0 }) }),
                step(n, "Shape", { ids }) });
        const auto sums = step(n, "Sub", { step(n, "Gather", { table, ends }), step(n, "Gather", { table, offsets }) });
        if (mode == 0) {
            result(n, 0, cast(sums, onnx::TensorProto::FLOAT), 2);
            return;
        }
        const auto sizes = step(n, "Max", // an empty bag's mean is 0, as in PyTorch: 0 / 1
            { cast(step(n, "Sub", { ends, offsets }), onnx::TensorProto::DOUBLE),
                initializer("maas.one.double", at::scalar_tensor(1.0, at::kDouble)) });
        const auto perBag = step(n, "Unsqueeze", { sizes, int64s("maas.one", { 1 }) }); // [bags, 1]
        result(n, 0, cast(step(n, "Div", { sums, perBag }), onnx::TensorProto::FLOAT), 2);
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
    std::set<const Value*> m_zeros; // torch.zeros(...) results, not written unless a recurrent layer starts there
    std::set<const Value*> m_opaque; // sizes and checks known only as the model runs (see opaqueCheck)
    struct Runtime {
        std::string name; // an ONNX tensor of one element
        bool isFloat = false;
    };
    std::unordered_map<const Value*, const Value*> m_alias; // see identity()
    std::set<const Value*> m_integer; // int64 tensors (see keepsIntegers)
    std::set<const Value*> m_bool; // comparisons' results
    std::set<const Value*> m_batchless; // tensors computed from no input (see keepsIntegers)
    std::unordered_map<const Value*, std::pair<const Value*, c10::ScalarType>> m_zerosLike; // see zerosLike
    std::set<std::string> m_single; // ONNX names known to hold one element in one axis (see shapeTensor)
    std::unordered_map<const Value*, Runtime> m_runtime; // numbers computed as the model runs (see numbers)
    std::unordered_map<const Value*, std::pair<const Value*, std::int64_t>> m_sizeAt; // x.size(d): x and d
    std::unordered_map<const Value*, std::string> m_shapeOf; // a tensor's Shape, written once
    std::unordered_map<const Value*, std::pair<std::vector<std::string>, int>> m_parts; // chunk's pieces, rank
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
    const std::vector<std::int64_t>& shape, const std::string& firstAxis = "batch")
{
    info->set_name(name);
    auto* tensor = info->mutable_type()->mutable_tensor_type();
    tensor->set_elem_type(type);
    auto* dims = tensor->mutable_shape();
    for (const auto d : shape) {
        auto* dim = dims->add_dim();
        if (d < 0)
            dim->set_dim_param(dims->dim_size() == 1 ? firstAxis : "axis" + std::to_string(dims->dim_size() - 1));
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
    if (opset < kOnnxMinOpset || opset > kOnnxMaxOpset)
        throw Error(ErrorKind::InvalidInput,
            "the ONNX opset must be " + std::to_string(kOnnxMinOpset) + " to " + std::to_string(kOnnxMaxOpset)
                + ", not " + std::to_string(opset) + ".",
            "opset", "must be " + std::to_string(kOnnxMinOpset) + " to " + std::to_string(kOnnxMaxOpset) + ".");
    onnx::ModelProto proto;
    proto.set_ir_version(onnx::IR_VERSION);
    proto.set_producer_name("maas-workbench");
    proto.set_doc_string(card.description);
    auto* imported = proto.add_opset_import();
    imported->set_domain("");
    imported->set_version(opset);
    auto* meta = proto.add_metadata_props();
    meta->set_key("maas.card");
    meta->set_value(card.toJson().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
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
std::shared_ptr<torch::jit::Graph> forwardOf(
    const Model& model, torch::jit::Module& module, Owners& owners, const std::string& method, std::size_t inputs)
{
    module = archivedModule(model.impl()).clone();
    module.eval();
    std::shared_ptr<torch::jit::Graph> graph;
    try {
        graph = inlinedMethod(module, method, &owners, true);
        torch::jit::RemoveTensorMutation(graph); // x.add_(y) as add where nothing else sees x change
    } catch (const c10::Error&) {
        throw Error(
            ErrorKind::InvalidModel, model.path() + " has no " + method + " method, so there is nothing to export.");
    }
    // Arguments past those the export feeds that have defaults (nn.TransformerEncoder's mask=None) take them.
    const auto& arguments = module.get_method(method).function().getSchema().arguments();
    while (graph->inputs().size() > inputs + 1 && graph->inputs().size() <= arguments.size()
        && arguments[graph->inputs().size() - 1].default_value()) {
        const auto last = graph->inputs().size() - 1;
        torch::jit::WithInsertPoint start(graph->nodes().front());
        graph->inputs()[last]->replaceAllUsesWith(graph->insertConstant(*arguments[last].default_value()));
        graph->eraseInput(last);
    }
    if (graph->inputs().size() != inputs + 1)
        throw Error(ErrorKind::InvalidModel,
            "cannot export " + model.path() + " to ONNX: its " + method + " takes "
                + std::to_string(graph->inputs().size() - 1) + " inputs; this exporter takes " + std::to_string(inputs)
                + ".");
    return graph;
}

// The model run on one sample of zeros of the shape the export declares: a shape it does not take (a
// wrong --input-shape, or a card that says another) would give a file no runtime loads.
void runsOnOneSample(const Model& model, torch::jit::Module& module, const std::vector<std::int64_t>& shape,
    const OnnxExportOptions& options)
{
    if (std::any_of(shape.begin() + 1, shape.end(), [](std::int64_t d) { return d < 0; }))
        return; // an axis left open (an image's height): no one size stands for all
    std::vector<std::int64_t> one { 1 };
    one.insert(one.end(), shape.begin() + 1, shape.end());
    const auto given = options.inputShape.empty() ? std::string("the card's input shape") : "the input shape given";
    std::int64_t elements = 1;
    for (const auto d : one)
        elements = d > 0 && elements <= limits::kSampleElements / d ? elements * d : limits::kSampleElements + 1;
    if (elements > limits::kSampleElements)
        throw Error(ErrorKind::InvalidInput,
            "cannot export " + model.path() + " to ONNX: " + given + " " + shapeToString(one)
                + " has more values than one sample may; give a smaller one.",
            "input_shape", "has more values than one sample may; give a smaller one.");
    const auto dtype = model.card().inputs.empty() ? DataType::Float32 : model.card().inputs[0].dtype;
    std::string why;
    try {
        torch::NoGradGuard noGrad;
        module.forward({ at::zeros(one, dtype == DataType::Int64 ? at::kLong : at::kFloat) });
        return;
    } catch (const std::exception& e) { // the interpreter's message ends with the error itself
        std::string text = e.what();
        while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
            text.pop_back();
        why = text.substr(text.rfind('\n') + 1);
    }
    const auto sample = shapeToString({ one.begin() + 1, one.end() }); // as the user gives it, without the batch
    throw Error(ErrorKind::InvalidInput,
        "cannot export " + model.path() + " to ONNX: the model does not run on " + given + " " + sample + " (" + why
            + "); give the shape of one sample it takes.",
        "input_shape",
        sample + " is not a shape the model takes (" + why + "); give the shape of one sample it takes.");
}

// The graph's outputs, named as the card names them: forward's result, or each tensor of a tuple it returns.
void addOutputs(onnx::GraphProto& g, const torch::jit::Graph& graph, const ModelCard& card, const Exporter& exporter)
{
    const Value* result = graph.outputs()[0];
    std::vector<const Value*> results { result };
    if (result->node()->kind() == c10::prim::TupleConstruct)
        results.assign(result->node()->inputs().begin(), result->node()->inputs().end());
    std::set<std::string> taken; // an output may not share a name with an input (a card's "offsets", say)
    for (const auto& input : g.input())
        taken.insert(input.name());
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
        // The rank as a hint: shape inference fills the shape, and where a size is computed as the model runs
        // (a reshape by x.size(1)) it cannot, so this one is kept, every axis named and open.
        identity->add_attribute()->set_name("maas.rank");
        identity->mutable_attribute(0)->set_type(onnx::AttributeProto::INT);
        identity->mutable_attribute(0)->set_i(exporter.outputRank(results[i]));
    }
}

// Outputs whose shape inference could not find: the rank the exporter followed, each axis open.
void openShapes(onnx::GraphProto& g)
{
    std::unordered_map<std::string, std::int64_t> ranks;
    for (auto& node : *g.mutable_node())
        if (node.op_type() == "Identity" && node.attribute_size() == 1 && node.attribute(0).name() == "maas.rank") {
            ranks[node.output(0)] = node.attribute(0).i();
            node.clear_attribute();
        }
    for (auto& out : *g.mutable_output()) {
        auto* type = out.mutable_type()->mutable_tensor_type();
        const auto rank = ranks.count(out.name()) ? ranks.at(out.name()) : -1;
        if (type->has_shape() || rank < 0)
            continue;
        auto* shape = type->mutable_shape();
        for (std::int64_t i = 0; i < rank; ++i)
            shape->add_dim()->set_dim_param(i == 0 ? "batch" : out.name() + "_axis" + std::to_string(i));
    }
}

// Shape inference (which also gives the outputs their shapes) and ONNX's checker, then the file's bytes.
std::string checked(onnx::ModelProto& proto, const std::string& source)
{
    try {
        onnx::shape_inference::InferShapes(proto, onnx::OpSchemaRegistry::Instance(),
            onnx::ShapeInferenceOptions(/*check_type=*/true, /*error_mode=*/1));
        openShapes(*proto.mutable_graph());
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

// A workbench text model's token-id method: its tokenizer (TorchScript string code, which ONNX cannot
// hold) stays outside, and its rules and vocabulary go into a file beside the ONNX model.
std::shared_ptr<torch::jit::Graph> textGraph(const Model& model, torch::jit::Module& module, Owners& owners)
{
    const auto& archived = archivedModule(model.impl());
    if (!archived.find_method("forward_ids") || !archived.hasattr("vocab") || !archived.hasattr("ngrams"))
        throw Error(ErrorKind::InvalidModel,
            "cannot export " + model.path()
                + " to ONNX: its input is text (BYTES) and its tokenizer is code inside the model; only the "
                  "workbench's own text models, whose token-id form this exporter knows, export with text input.");
    auto graph = forwardOf(model, module, owners, "forward_ids", 2);
    for (const Node* n : graph->nodes())
        if (n->kind() == c10::prim::Loop)
            throw Error(ErrorKind::InvalidModel,
                "cannot export " + model.path()
                    + " to ONNX: its text encoder pads texts in a loop, as the workbench's LSTM text models "
                      "did before this version; build and train it again with this version (maas new --arch text "
                      "--set encoder=lstm, then maas train), or serve it as TorchScript.");
    return graph;
}

std::string vocabularyPath(const std::string& onnxPath)
{
    auto p = std::filesystem::path(onnxPath);
    return p.replace_extension().string() + ".vocab.json";
}

// The tokenizer's rules and vocabulary, for whoever turns text into the ONNX model's ids and offsets.
nlohmann::json vocabularyFile(const torch::jit::Module& module, const ModelCard& card)
{
    // A word cut inside a UTF-8 character (see kSplitBytes) is not text JSON can hold: such words are
    // listed by their bytes in hexadecimal.
    nlohmann::json words = nlohmann::json::object(), byBytes = nlohmann::json::object();
    for (const auto& entry : module.attr("vocab").toGenericDict()) {
        const auto& word = entry.key().toStringRef();
        if (isValidUtf8(word)) {
            words[word] = entry.value().toInt();
            continue;
        }
        std::string hex;
        for (const unsigned char c : word)
            hex += "0123456789abcdef"[c >> 4], hex += "0123456789abcdef"[c & 15];
        byBytes[hex] = entry.value().toInt();
    }
    const std::vector<int> splitBytes(std::begin(tokenizer::kSplitBytes), std::end(tokenizer::kSplitBytes));
    // The rules as TorchScript's string methods apply them: byte by byte, ASCII only.
    return { { "format", "maas-text-vocabulary/1" }, { "tokenizer", card.preprocessing.tokenizer },
        { "lowercase", "ASCII letters A-Z only; other bytes stay as they are" }, { "split_bytes", splitBytes },
        { "split", "the UTF-8 bytes of the text, at runs of split_bytes (TorchScript's str.split())" },
        { "strip", tokenizer::kPunctuation }, { "word_pairs", module.attr("ngrams").toInt() > 1 },
        { "unknown_id", tokenizer::kUnknownId }, { "empty_text", "one unknown_id token" },
        { "inputs",
            "ids: every text's token ids one after another (words, then word pairs when word_pairs is true); "
            "offsets: where each text's ids begin" },
        { "vocabulary", words }, { "vocabulary_hex", byBytes } };
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

namespace {

// The graph's inputs: a text model's forward_ids(ids, offsets) (the tokens of every text one after
// another, and where each begins), else forward's one input of the card's type and `shape`.
void addInputs(onnx::GraphProto& g, Exporter& exporter, const torch::jit::Graph& graph, const ModelCard& card,
    bool text, const std::vector<std::int64_t>& shape)
{
    if (text) {
        describe(g.add_input(), "ids", onnx::TensorProto::INT64, { -1 }, "tokens");
        describe(g.add_input(), "offsets", onnx::TensorProto::INT64, { -1 });
        exporter.input(graph.inputs()[1], "ids", 1, true);
        exporter.input(graph.inputs()[2], "offsets", 1, true);
        return;
    }
    const std::string name = card.inputs.empty() || card.inputs[0].name.empty() ? "input" : card.inputs[0].name;
    describe(g.add_input(), name, onnxType(card.inputs.empty() ? DataType::Float32 : card.inputs[0].dtype), shape);
    exporter.input(graph.inputs()[1], name, static_cast<int>(shape.size()),
        !card.inputs.empty() && card.inputs[0].dtype == DataType::Int64);
}

// The ONNX file, and for a text model its vocabulary beside it: the vocabulary is renamed into place only
// once the model is, so neither is left half-written.
void writeExport(
    const std::string& path, const std::string& bytes, const std::string& vocabulary, const std::string& words)
{
    if (vocabulary.empty())
        return writeTextFile(path, bytes);
    writeAtomically(vocabulary, [&](const std::string& tmp) {
        std::ofstream out(tmp, std::ios::binary);
        out << words << '\n';
        out.close();
        if (!out)
            throw Error(ErrorKind::Io, "cannot write " + vocabulary + "; check the free space of its folder.");
        writeTextFile(path, bytes);
    });
}

} // namespace

OnnxExportReport exportOnnx(const Model& model, const std::string& path, const OnnxExportOptions& options)
{
    ensureThreadsConfigured();
    const ModelCard& card = model.card();
    auto proto = skeleton(card, options.opset);
    const bool text = !card.inputs.empty() && card.inputs[0].dtype == DataType::Bytes;
    // Before any work: neither file may be the model itself (nor the other one's folder, and so on).
    checkOutput(path, { model.path() }, "onnx");
    const std::string vocabulary = text ? vocabularyPath(path) : std::string();
    if (text)
        checkOutput(vocabulary, { model.path(), path }, "");
    const auto shape = text ? std::vector<std::int64_t> { -1 } : inputShape(card, options, model.path());
    torch::jit::Module module;
    Owners owners;
    const auto graph = text ? textGraph(model, module, owners) : forwardOf(model, module, owners, "forward", 1);
    if (!text)
        runsOnOneSample(model, module, shape, options);

    auto& g = *proto.mutable_graph();
    Exporter exporter(module, owners, g);
    addInputs(g, exporter, *graph, card, text, shape);
    try {
        exporter.run(*graph);
        addOutputs(g, *graph, card, exporter);
        exporter.finish();
    } catch (const c10::Error& e) { // a setting of another type than the operator's usual form
        const std::string why = e.what_without_backtrace();
        throw Error(ErrorKind::InvalidModel,
            "cannot export " + model.path() + " to ONNX: an operator takes its arguments in a form this exporter "
                + "does not follow (" + why.substr(0, why.find('\n')) + ").");
    }
    if (text) {
        auto* meta = proto.add_metadata_props();
        meta->set_key("maas.vocabulary");
        meta->set_value(std::filesystem::path(vocabulary).filename().string());
    }
    const std::string bytes = checked(proto, model.path());
    writeExport(path, bytes, vocabulary,
        text ? vocabularyFile(module, card).dump(1, ' ', false, nlohmann::json::error_handler_t::replace) : "");

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
    report.vocabularyPath = vocabulary;
    return report;
}

} // namespace maas::engine
