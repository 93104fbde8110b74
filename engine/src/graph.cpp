#include "maas/engine/graph.h"

#include <torch/csrc/jit/passes/constant_propagation.h>
#include <torch/csrc/jit/passes/dead_code_elimination.h>
#include <torch/csrc/jit/passes/inliner.h>

#include <algorithm>
#include <optional>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "maas/engine/error.h"
#include "torch_bridge.h"

namespace maas::engine {

namespace {

using torch::jit::Node;
using torch::jit::Value;

// Nodes that only move values around: drawn as edges through them, never as boxes.
bool isPlumbing(const Node* node)
{
    const auto k = node->kind();
    return k == c10::prim::ListConstruct || k == c10::prim::TupleConstruct || k == c10::prim::ListUnpack
        || k == c10::prim::TupleUnpack || k == c10::prim::TupleIndex || k == c10::prim::DictConstruct;
}

bool isFolded(const Node* node)
{
    const auto k = node->kind();
    return k == c10::prim::Constant || k == c10::prim::GetAttr || k == c10::prim::Uninitialized || isPlumbing(node);
}

std::string shortOp(const std::string& op)
{
    const auto colon = op.rfind("::");
    return colon == std::string::npos ? op : op.substr(colon + 2);
}

// "Float[1, 64, 56, 56]" for a traced tensor, "Tensor" when the sizes are unknown, else TorchScript's name.
std::string typeText(const c10::TypePtr& type)
{
    const auto tensor = type->cast<c10::TensorType>();
    if (!tensor)
        return type->annotation_str();
    const auto sizes = tensor->sizes().sizes();
    if (!tensor->scalarType() || !sizes)
        return "Tensor";
    std::string text = c10::toString(*tensor->scalarType());
    text += '[';
    for (std::size_t i = 0; i < sizes->size(); ++i) {
        if (i)
            text += ", ";
        text += (*sizes)[i] ? std::to_string(*(*sizes)[i]) : "?";
    }
    return text + ']';
}

// Which submodule's code each node came from. LibTorch's own Inline keeps only the innermost call in a
// node's call stack when graph optimization is off, so the workbench inlines calls itself and
// remembers, for every node it brings in, the path of the module it was called on.
class Inliner {
public:
    Inliner(const torch::jit::Module& root, std::shared_ptr<torch::jit::Graph> graph, bool intoBranches = false)
        : m_root(root)
        , m_shared(std::move(graph))
        , m_graph(*m_shared)
        , m_intoBranches(intoBranches)
    {
    }

    Owners run()
    {
        for (int depth = 0; depth < 64; ++depth) {
            const bool inlined = inlineOneLevel();
            const bool folded = foldSettings();
            // Folds branches on constant flags (F.relu's `inplace`, ...) so calls inside them surface.
            torch::jit::ConstantPropagation(m_shared);
            if (!inlined && !folded)
                break;
        }
        torch::jit::EliminateDeadCode(m_shared);
        return std::move(m_owner);
    }

private:
    bool inlineOneLevel() { return inlineOneLevel(m_graph.block()); }

    // Calls in `block` and in the branches of its ifs and loops (a layer's general path, taken when its
    // fused fast path is not).
    bool inlineOneLevel(torch::jit::Block* block)
    {
        bool changed = false;
        for (auto it = block->nodes().begin(); it != block->nodes().end();) {
            Node* call = *it;
            ++it;
            for (auto* inner : m_intoBranches ? call->blocks() : c10::ArrayRef<torch::jit::Block*> {})
                changed = inlineOneLevel(inner) || changed;
            torch::jit::GraphFunction* callee = nullptr;
            std::string owner = ownerOf(call);
            if (call->kind() == c10::prim::CallMethod) {
                const auto type = call->input(0)->type()->cast<c10::ClassType>();
                if (type)
                    callee = torch::jit::tryToGraphFunction(type->getMethod(call->s(c10::attr::name)));
                if (const auto path = modulePath(call->input(0)))
                    owner = *path;
            } else if (call->kind() == c10::prim::CallFunction
                && call->input(0)->node()->kind() == c10::prim::Constant) {
                callee
                    = torch::jit::tryToGraphFunction(*call->input(0)->type()->expect<c10::FunctionType>()->function());
                if (callee)
                    call->removeInput(0);
            }
            if (!callee)
                continue;
            Node* before = call->prev();
            Node* after = call->next();
            torch::jit::inlineCallTo(call, callee);
            for (Node* n = before->next(); n != after; n = n->next())
                tag(n, owner);
            changed = true;
        }
        return changed;
    }

    // A saved module's plain settings (self.training, use_res_connect, ...) cannot change, so reads of
    // them become constants and the branches they choose fold away, as torch.jit.freeze would do.
    bool foldSettings()
    {
        std::vector<Node*> reads;
        for (Node* n : m_graph.nodes())
            if (n->kind() == c10::prim::GetAttr)
                reads.push_back(n);
        bool changed = false;
        for (Node* n : reads) {
            const auto owner = modulePath(n->input(0));
            if (!owner)
                continue;
            c10::IValue value;
            try {
                auto module = m_root;
                std::stringstream parts(*owner);
                for (std::string part; std::getline(parts, part, '.');)
                    module = module.attr(part).toModule();
                value = module.attr(n->s(c10::attr::name));
            } catch (const c10::Error&) {
                continue; // an attribute of something other than a submodule: left as it is
            }
            if (!(value.isBool() || value.isInt() || value.isDouble() || value.isNone() || value.isString()))
                continue;
            torch::jit::WithInsertPoint here(n);
            n->output()->replaceAllUsesWith(m_graph.insertConstant(value));
            n->destroy();
            changed = true;
        }
        return changed;
    }

    void tag(Node* n, const std::string& owner)
    {
        m_owner[n] = owner;
        for (torch::jit::Block* block : n->blocks())
            for (Node* inner : block->nodes())
                tag(inner, owner);
    }

    std::string ownerOf(const Node* n) const
    {
        const auto found = m_owner.find(n);
        return found == m_owner.end() ? std::string() : found->second;
    }

    // "layer1.0" for self.layer1[0]; nothing when the module does not come from a chain of attribute reads.
    std::optional<std::string> modulePath(const Value* v) const
    {
        if (v == m_graph.inputs()[0])
            return std::string();
        if (v->node()->kind() != c10::prim::GetAttr)
            return std::nullopt;
        const auto parent = modulePath(v->node()->input(0));
        if (!parent)
            return std::nullopt;
        const std::string name = v->node()->s(c10::attr::name);
        return parent->empty() ? name : *parent + "." + name;
    }

    torch::jit::Module m_root;
    std::shared_ptr<torch::jit::Graph> m_shared;
    torch::jit::Graph& m_graph;
    bool m_intoBranches = false;
    Owners m_owner;
};

void collectInside(const Node* n, std::unordered_set<const Node*>& inside)
{
    inside.insert(n);
    for (const torch::jit::Block* block : n->blocks()) {
        inside.insert(block->param_node());
        for (const Node* inner : block->nodes())
            collectInside(inner, inside);
        inside.insert(block->return_node());
    }
}

void collectFree(const Node* n, const std::unordered_set<const Node*>& inside, std::vector<const Value*>& into)
{
    for (const Value* v : n->inputs())
        if (!inside.count(v->node()) && std::find(into.begin(), into.end(), v) == into.end())
            into.push_back(v);
    for (const torch::jit::Block* block : n->blocks()) {
        for (const Node* inner : block->nodes())
            collectFree(inner, inside, into);
        collectFree(block->return_node(), inside, into);
    }
}

// What a node reads: its inputs, and for an If or a Loop also the outside values its blocks use.
std::vector<const Value*> usesOf(const Node* n)
{
    if (n->blocks().empty())
        return { n->inputs().begin(), n->inputs().end() };
    std::unordered_set<const Node*> inside;
    collectInside(n, inside);
    std::vector<const Value*> uses(n->inputs().begin(), n->inputs().end());
    collectFree(n, inside, uses);
    return uses;
}

class Builder {
public:
    Builder(const torch::jit::Module& module, torch::jit::Graph& graph, Owners owners)
        : m_graph(graph)
        , m_owners(std::move(owners))
    {
        for (const auto& p : module.named_parameters(true))
            m_shapes[p.name] = shapeToString({ p.value.sizes().begin(), p.value.sizes().end() });
        for (const auto& b : module.named_buffers(true))
            m_shapes[b.name] = shapeToString({ b.value.sizes().begin(), b.value.sizes().end() });
    }

    ModelGraph build()
    {
        const auto inputs = m_graph.inputs();
        for (std::size_t i = 1; i < inputs.size(); ++i) { // input 0 is the module itself
            GraphNode node;
            node.kind = GraphNode::Kind::Input;
            node.op = inputs[i]->debugNameBase();
            node.label = "input " + node.op;
            node.details.push_back({ "type", typeText(inputs[i]->type()) });
            m_producer[inputs[i]] = add(std::move(node));
        }
        markNeeded();
        for (Node* n : m_graph.nodes()) {
            if (isFolded(n)) {
                if (n->kind() == c10::prim::GetAttr)
                    m_attrPath[n->output()] = attrPath(n);
                continue;
            }
            if (!m_needed.count(n))
                continue; // shape checks and asserts whose results nothing uses
            if (!carriesTensor(n))
                continue; // flags, sizes and scalars: followed through, like plumbing, to the tensors they come from
            addOperator(n);
        }
        for (const Value* v : m_graph.outputs()) {
            GraphNode node;
            node.kind = GraphNode::Kind::Output;
            node.op = "output";
            node.label = "output";
            node.details.push_back({ "type", typeText(v->type()) });
            const auto to = add(std::move(node));
            connect(v, to);
        }
        return std::move(m_out);
    }

private:
    std::size_t add(GraphNode node)
    {
        m_out.nodes.push_back(std::move(node));
        return m_out.nodes.size() - 1;
    }

    // Everything the graph's outputs depend on; the rest (input checks that raise) is not drawn.
    void markNeeded()
    {
        std::vector<const Value*> work(m_graph.outputs().begin(), m_graph.outputs().end());
        while (!work.empty()) {
            const Node* n = work.back()->node();
            work.pop_back();
            if (!m_needed.insert(n).second)
                continue;
            for (const Value* v : usesOf(n))
                work.push_back(v);
        }
    }

    std::string attrPath(const Node* n) const
    {
        const auto parent = m_attrPath.find(n->input(0));
        const std::string name = n->s(c10::attr::name);
        return parent == m_attrPath.end() ? name : parent->second + "." + name;
    }

    void addOperator(Node* n)
    {
        GraphNode node;
        node.op = n->kind().toQualString();
        node.label = shortOp(node.op);
        if (const auto owner = m_owners.find(n); owner != m_owners.end())
            node.module = owner->second;
        const auto* schema = n->maybeSchema();
        std::vector<const Value*> edgesIn; // the drawn values this node reads, each once
        const auto uses = usesOf(n);
        for (std::size_t i = 0; i < uses.size(); ++i) {
            const Value* v = uses[i];
            std::string arg = schema && i < schema->arguments().size() ? schema->arguments()[i].name()
                                                                       : "input " + std::to_string(i);
            if (v == m_graph.inputs()[0])
                continue;
            std::vector<const Value*> from;
            sources(v, from);
            for (const Value* s : from)
                if (std::find(edgesIn.begin(), edgesIn.end(), s) == edgesIn.end())
                    edgesIn.push_back(s);
            if (from.empty())
                node.details.push_back({ arg, describe(v) });
        }
        if (!node.module.empty())
            node.details.push_back({ "module", node.module });
        for (const Value* out : n->outputs())
            node.details.push_back({ "output", typeText(out->type()) });
        const auto to = add(std::move(node));
        connectFrom(edgesIn, to);
        for (const Value* out : n->outputs())
            m_producer[out] = to;
    }

    void connect(const Value* v, std::size_t to)
    {
        std::vector<const Value*> from;
        sources(v, from);
        connectFrom(from, to);
    }

    void connectFrom(const std::vector<const Value*>& values, std::size_t to)
    {
        for (const Value* v : values)
            m_out.edges.push_back({ m_producer.at(v), to, typeText(v->type()) });
    }

    static bool holdsTensor(const c10::TypePtr& type)
    {
        if (type->cast<c10::TensorType>())
            return true;
        for (const auto& inner : type->containedTypes())
            if (holdsTensor(inner))
                return true;
        return false;
    }

    static bool carriesTensor(const Node* n)
    {
        for (const Value* out : n->outputs())
            if (holdsTensor(out->type()))
                return true;
        return false;
    }

    // The drawn values v comes from, looking through lists, tuples and scalar computations.
    void sources(const Value* v, std::vector<const Value*>& into) const
    {
        std::unordered_set<const Value*> seen;
        sources(v, into, seen);
    }

    void sources(const Value* v, std::vector<const Value*>& into, std::unordered_set<const Value*>& seen) const
    {
        if (!seen.insert(v).second)
            return;
        if (m_producer.count(v)) {
            if (std::find(into.begin(), into.end(), v) == into.end())
                into.push_back(v);
            return;
        }
        const Node* n = v->node();
        if (n->kind() == c10::prim::Constant || n->kind() == c10::prim::GetAttr)
            return;
        if (n->kind() == c10::prim::Param) {
            // A loop's variable comes from what the loop runs over.
            if (const Node* loop = n->owningBlock() ? n->owningBlock()->owningNode() : nullptr)
                for (const Value* in : usesOf(loop))
                    sources(in, into, seen);
            return;
        }
        for (const Value* in : usesOf(n))
            sources(in, into, seen);
        // A list filled by append (a tokenizer's ids) comes from what was appended.
        for (const auto& use : v->uses()) {
            const auto k = use.user->kind();
            if (k == c10::aten::append || k == c10::aten::insert)
                for (const Value* in : use.user->inputs())
                    sources(in, into, seen);
        }
    }

    // Text for an argument that is not drawn as an edge: a constant, a weight, a list of them.
    std::string describe(const Value* v) const
    {
        const Node* n = v->node();
        if (const auto attr = m_attrPath.find(v); attr != m_attrPath.end()) {
            const auto shape = m_shapes.find(attr->second);
            return shape == m_shapes.end() ? attr->second : attr->second + " " + shape->second;
        }
        if (n->kind() == c10::prim::Constant) {
            const auto value = torch::jit::toIValue(v);
            if (!value)
                return "?";
            if (value->isTensor())
                return "tensor "
                    + shapeToString({ value->toTensor().sizes().begin(), value->toTensor().sizes().end() });
            std::ostringstream text;
            text << *value;
            return text.str();
        }
        if (isPlumbing(n)) {
            std::string text = "[";
            for (std::size_t i = 0; i < n->inputs().size(); ++i)
                text += (i ? ", " : "") + describe(n->input(i));
            return text + "]";
        }
        return typeText(v->type());
    }

    torch::jit::Graph& m_graph;
    Owners m_owners;
    ModelGraph m_out;
    std::unordered_map<const Value*, std::size_t> m_producer;
    std::unordered_map<const Value*, std::string> m_attrPath;
    std::unordered_map<std::string, std::string> m_shapes;
    std::unordered_set<const Node*> m_needed;
};

std::string dotQuote(const std::string& text)
{
    std::string quoted = "\"";
    for (const char c : text) {
        if (c == '\n') {
            quoted += "\\n";
            continue;
        }
        if (c == '"' || c == '\\')
            quoted += '\\';
        quoted += c;
    }
    return quoted + '"';
}

} // namespace

std::shared_ptr<torch::jit::Graph> inlinedForward(const torch::jit::Module& module, Owners* owners)
{
    return inlinedMethod(module, "forward", owners);
}

std::shared_ptr<torch::jit::Graph> inlinedMethod(
    const torch::jit::Module& module, const std::string& method, Owners* owners, bool intoBranches)
{
    auto graph = module.get_method(method).graph()->copy();
    auto found = Inliner(module, graph, intoBranches).run();
    if (owners) { // only nodes still in the graph: an address freed by a folded node may be reused
        owners->clear();
        for (torch::jit::Node* n : allNodes(graph))
            if (const auto owner = found.find(n); owner != found.end())
                owners->emplace(n, owner->second);
    }
    return graph;
}

ModelGraph modelGraph(const Model& model)
{
    ensureThreadsConfigured();
    const auto& module = archivedModule(model.impl());
    const auto method = module.find_method("forward");
    if (!method)
        throw Error(ErrorKind::InvalidModel, model.path() + " has no forward method, so it has no graph to show.");
    auto graph = method->graph()->copy();
    auto owners = Inliner(module, graph).run();
    return Builder(module, *graph, std::move(owners)).build();
}

nlohmann::json graphToJson(const ModelGraph& graph)
{
    static const char* kinds[] = { "input", "operator", "output" };
    auto nodes = nlohmann::json::array();
    for (const auto& n : graph.nodes) {
        auto details = nlohmann::json::array();
        for (const auto& [key, value] : n.details)
            details.push_back({ { "name", key }, { "value", value } });
        nodes.push_back({ { "kind", kinds[static_cast<int>(n.kind)] }, { "op", n.op }, { "label", n.label },
            { "module", n.module }, { "details", details } });
    }
    auto edges = nlohmann::json::array();
    for (const auto& e : graph.edges)
        edges.push_back({ { "from", e.from }, { "to", e.to }, { "type", e.label } });
    return { { "nodes", nodes }, { "edges", edges } };
}

std::string graphToDot(const ModelGraph& graph)
{
    std::string dot = "digraph model {\n  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n";
    for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
        const auto& n = graph.nodes[i];
        const std::string label = n.module.empty() ? n.label : n.label + "\n" + n.module;
        dot += "  n" + std::to_string(i) + " [label=" + dotQuote(label)
            + (n.kind == GraphNode::Kind::Operator ? "" : ", shape=ellipse") + "];\n";
    }
    for (const auto& e : graph.edges)
        dot += "  n" + std::to_string(e.from) + " -> n" + std::to_string(e.to) + " [label=" + dotQuote(e.label)
            + "];\n";
    return dot + "}\n";
}

} // namespace maas::engine
