#include <torch/csrc/jit/ir/constants.h>

#include <algorithm>
#include <filesystem>

#include "torch_bridge.h"

namespace maas::engine {

namespace {

using torch::jit::Node;
using torch::jit::Value;

// Calls, branches and reshapes are followed this deep: enough for Embedding inside a block inside a
// model, whose forward calls F.embedding, which picks `input` or `input.contiguous()` in a branch.
constexpr int kMaxCallDepth = 16;

// Operators whose first argument flows on into their output as the same ids, reshaped or copied.
bool passesIdsOn(c10::Symbol kind)
{
    static const c10::Symbol kinds[]
        = { c10::aten::contiguous, c10::aten::view, c10::aten::reshape, c10::aten::unsqueeze, c10::aten::squeeze,
              c10::aten::flatten, c10::aten::transpose, c10::aten::t, c10::aten::permute, c10::aten::clone,
              c10::aten::detach, c10::aten::to, c10::Symbol::fromQualString("aten::long") };
    return std::find(std::begin(kinds), std::end(kinds), kind) != std::end(kinds);
}

// One function being read: a graph value that is the function's parameter is the caller's argument, so
// a weight read inside nn.Embedding.forward (or inside F.embedding) resolves to the tensor it names.
struct Scope {
    const Scope* caller = nullptr;
    const Node* call = nullptr; ///< the call in the caller's graph
    std::size_t firstArgument = 0; ///< CallMethod passes self as input 0; CallFunction's input 0 is the function
    c10::IValue self; ///< the module, for the outermost scope

    c10::IValue resolve(const Value* v) const
    {
        const Node* n = v->node();
        if (n->kind() == c10::prim::Param) {
            if (!caller)
                return v->offset() == 0 ? self : c10::IValue();
            return caller->resolve(call->input(v->offset() + firstArgument));
        }
        if (n->kind() == c10::prim::GetAttr) {
            const auto owner = resolve(n->input(0));
            if (!owner.isObject())
                return {};
            const auto object = owner.toObject();
            const auto slot = object->type()->findAttributeSlot(n->s(c10::attr::name));
            return slot ? object->getSlot(*slot) : c10::IValue();
        }
        if (n->kind() == c10::prim::Constant)
            return torch::jit::toIValue(v).value_or(c10::IValue());
        return {};
    }
};

std::int64_t rowsOf(const c10::IValue& table, std::int64_t dim = 0)
{
    if (!table.isTensor() || table.toTensor().dim() <= dim)
        return 0;
    return table.toTensor().size(dim);
}

// The function a call runs, or null for calls that cannot be followed (interfaces, builtins).
torch::jit::GraphFunction* calleeOf(const Node* call)
{
    if (call->kind() == c10::prim::CallMethod) {
        const auto type = call->input(0)->type()->cast<c10::ClassType>();
        return type ? torch::jit::tryToGraphFunction(type->getMethod(call->s(c10::attr::name))) : nullptr;
    }
    if (call->kind() == c10::prim::CallFunction && call->input(0)->node()->kind() == c10::prim::Constant)
        return torch::jit::tryToGraphFunction(*call->input(0)->type()->expect<c10::FunctionType>()->function());
    return nullptr;
}

IndexUse useOf(const Value* input, const Scope& scope, int depth);

// What one use of the input says: it is looked up in a table (embedding), picks entries (index_select,
// gather, tensor[ids]), or is handed on to a submodule or function, whose own uses decide.
IndexUse useAt(const torch::jit::Use& use, const Scope& scope, int depth)
{
    const Node* n = use.user;
    const auto kind = n->kind();
    if ((kind == c10::aten::embedding || kind == c10::aten::embedding_bag) && use.offset == 1)
        return { true, rowsOf(scope.resolve(n->input(0))), { -1, -1 } };
    if ((kind == c10::aten::index_select || kind == c10::aten::gather) && use.offset == 2) {
        const auto dim = scope.resolve(n->input(1));
        const auto rows = dim.isInt() ? rowsOf(scope.resolve(n->input(0)), dim.toInt()) : 0;
        return { true, rows,
            kind == c10::aten::index_select ? std::vector<std::int64_t> { -1 } : std::vector<std::int64_t> { -1, -1 } };
    }
    if (kind == c10::prim::ListConstruct && n->output()->uses().size() == 1) {
        const auto& listUse = n->output()->uses().front();
        if (listUse.user->kind() == c10::aten::index && listUse.offset == 1)
            return { true, use.offset == 0 ? rowsOf(scope.resolve(listUse.user->input(0))) : 0, { -1, -1 } };
    }
    if (depth >= kMaxCallDepth)
        return {};
    // A branch that hands the input on (`input = input.contiguous()` in one arm): the If's output is it.
    if (kind == c10::prim::Return && n->owningBlock()->owningNode()
        && n->owningBlock()->owningNode()->kind() == c10::prim::If)
        return useOf(n->owningBlock()->owningNode()->output(use.offset), scope, depth + 1);
    if (passesIdsOn(kind) && use.offset == 0 && n->outputs().size() == 1)
        return useOf(n->output(), scope, depth + 1);
    if (auto* callee = calleeOf(n)) {
        const std::size_t first = kind == c10::prim::CallFunction ? 1 : 0;
        if (use.offset < first)
            return {};
        const Scope inner { &scope, n, first, {} };
        return useOf(callee->graph()->inputs().at(use.offset - first), inner, depth + 1);
    }
    return {};
}

IndexUse useOf(const Value* input, const Scope& scope, int depth)
{
    for (const auto& use : input->uses())
        if (auto found = useAt(use, scope, depth); found.indices)
            return found;
    return {};
}

} // namespace

std::vector<IndexUse> inputIndexUses(const torch::jit::Module& module)
{
    std::vector<IndexUse> uses;
    try {
        const auto graph = module.get_method("forward").graph();
        const Scope outer { nullptr, nullptr, 0, module._ivalue() };
        for (std::size_t i = 1; i < graph->inputs().size(); ++i) // 0 is self
            uses.push_back(useOf(graph->inputs()[i], outer, 0));
    } catch (const std::exception&) {
        uses.clear(); // a forward that cannot be read: nothing is known about its inputs
    }
    return uses;
}

// A module saved without a card still tells a lot: forward's signature names the inputs and their
// types, the first weight tells the input's channels or features, an input looked up in an embedding is
// token ids, and the last 2-D weight tells how many outputs a classifier head has. Whatever cannot be
// told stays -1 (dynamic) and the card is marked inferred.
ModelCard inferCard(const torch::jit::Module& module, const std::string& path, const std::vector<IndexUse>& uses)
{
    ModelCard card;
    card.inferred = true;
    card.name = std::filesystem::path(path).stem().string();

    std::vector<std::pair<std::string, at::Tensor>> params;
    for (const auto& p : module.named_parameters(true))
        params.emplace_back(p.name, p.value);

    const auto& schema = module.get_method("forward").function().getSchema();
    for (std::size_t i = 1; i < schema.arguments().size(); ++i) { // 0 is self
        const auto& arg = schema.arguments()[i];
        TensorSpec spec;
        spec.name = arg.name();
        const std::string type = arg.type()->str();
        if (type == "List[str]" || type == "str") {
            spec.dtype = DataType::Bytes;
            spec.shape = { -1 };
            card.task = "text-classification";
        } else if (i - 1 < uses.size() && uses[i - 1].indices) {
            spec.dtype = DataType::Int64;
            spec.shape = uses[i - 1].shape;
        } else if (i == 1 && !params.empty()) {
            const auto& [name, w] = params.front();
            const bool recurrent = name.find("weight_ih") != std::string::npos;
            if (w.dim() == 4) { // a 2-D convolution: [out, in, kh, kw]
                spec.shape = { -1, w.size(1), -1, -1 };
                card.preprocessing.scale = 1.0 / 255.0;
                card.preprocessing.color = w.size(1) == 1 ? "gray" : (w.size(1) == 3 ? "rgb" : "");
            } else if (recurrent && w.dim() == 2) { // LSTM/GRU: [gates * hidden, features]
                spec.shape = { -1, -1, w.size(1) };
            } else if (w.dim() == 2 && name.find("embedding") == std::string::npos) { // linear: [out, in]
                spec.shape = { -1, w.size(1) };
            }
        }
        card.inputs.push_back(spec);
    }

    for (auto it = params.rbegin(); it != params.rend(); ++it) {
        if (it->second.dim() == 2 && it->first.find("weight") != std::string::npos) {
            card.outputs.push_back({ "output", DataType::Float32, { -1, it->second.size(0) } });
            if (card.task.empty())
                card.task = card.preprocessing.color.empty() ? "classification" : "image-classification";
            break;
        }
    }
    if (card.outputs.empty())
        card.outputs.push_back({ "output", DataType::Float32, {} });
    return card;
}

} // namespace maas::engine
