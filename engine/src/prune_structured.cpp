// Structured pruning: whole output channels of Conv layers and neurons of Linear layers go, with the
// batch-norm entries and the next layer's inputs that belonged to them, so the layers really shrink.
// Which layers can lose them is read from forward's graph: a layer whose output reaches exactly one
// consumer layer through operators that treat channels one by one.
#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "maas/engine/error.h"
#include "optimize_detail.h"
#include "torch_bridge.h"

namespace maas::engine {

namespace {

using torch::jit::Node;
using torch::jit::Value;

// A parameter or buffer read in the graph: the module that holds it and its attribute name.
struct Slot {
    std::string module; ///< "features.0"; "" for the root
    std::string name; ///< "weight"
};

std::optional<std::string> modulePathOf(const Value* v, const Value* self)
{
    if (v == self)
        return std::string();
    if (v->node()->kind() != c10::prim::GetAttr)
        return std::nullopt;
    const auto parent = modulePathOf(v->node()->input(0), self);
    if (!parent)
        return std::nullopt;
    const std::string name = v->node()->s(c10::attr::name);
    return parent->empty() ? name : *parent + "." + name;
}

std::optional<Slot> slotOf(const Value* v, const Value* self)
{
    if (v->node()->kind() != c10::prim::GetAttr)
        return std::nullopt;
    const auto owner = modulePathOf(v->node()->input(0), self);
    if (!owner)
        return std::nullopt;
    return Slot { *owner, v->node()->s(c10::attr::name) };
}

bool isNone(const Value* v) { return v->type()->kind() == c10::TypeKind::NoneType; }

// A convolution as scripting (conv1d/2d/3d) or tracing (_convolution) writes it.
bool isConv(const Node* n)
{
    const auto k = n->kind();
    return k == torch::jit::aten::conv1d || k == torch::jit::aten::conv2d || k == torch::jit::aten::conv3d
        || k == torch::jit::aten::_convolution;
}

// Operators that act on each channel (or feature) alone: what flows through them keeps its channels.
bool keepsChannels(const Node* n)
{
    static const std::set<std::string> kinds { "aten::relu", "aten::relu_", "aten::relu6", "aten::relu6_",
        "aten::hardtanh", "aten::hardtanh_", "aten::leaky_relu", "aten::leaky_relu_", "aten::gelu", "aten::silu",
        "aten::silu_", "aten::sigmoid", "aten::tanh", "aten::elu", "aten::elu_", "aten::hardswish", "aten::hardswish_",
        "aten::hardsigmoid", "aten::mish", "aten::max_pool1d", "aten::max_pool2d", "aten::max_pool3d",
        "aten::avg_pool1d", "aten::avg_pool2d", "aten::avg_pool3d", "aten::adaptive_avg_pool1d",
        "aten::adaptive_avg_pool2d", "aten::adaptive_avg_pool3d", "aten::dropout", "aten::dropout_",
        "aten::feature_dropout", "aten::alpha_dropout", "aten::contiguous", "aten::clone", "aten::detach" };
    return n->outputs().size() == 1 && kinds.count(n->kind().toQualString()) > 0;
}

// A flatten of [N, C, ...] into [N, C * ...]: channel-major, so channel c becomes a run of features.
bool flattensChannels(const Node* n)
{
    if (n->kind() == torch::jit::aten::flatten) {
        const auto start = torch::jit::toIValue(n->input(1)), end = torch::jit::toIValue(n->input(2));
        return start && end && start->isInt() && end->isInt() && start->toInt() == 1 && end->toInt() == -1;
    }
    if (n->kind() != torch::jit::aten::view && n->kind() != torch::jit::aten::reshape)
        return false;
    const auto shape = n->input(1)->node();
    if (shape->kind() != c10::prim::ListConstruct || shape->inputs().size() != 2)
        return false;
    const auto last = torch::jit::toIValue(shape->input(1));
    return last && last->isInt() && last->toInt() == -1;
}

// One Conv or Linear layer and where its output channels go.
struct Link {
    Node* node = nullptr; ///< in the graph linksOf reads, gone once it returns
    bool conv = false;
    std::string layer; ///< its module path
    Slot weight;
    std::optional<Slot> bias {};
    std::vector<Slot> batchNorm {}; ///< weight, bias, running_mean, running_var of the batch-norm after it
    std::optional<Slot> consumer {}; ///< the next layer's weight, whose inputs are these outputs
    std::int64_t spatial = 1; ///< features per channel in the consumer's input (after a flatten)
    bool flattened = false;
    std::string stop {}; ///< why its channels stay ("" when they can go)
};

torch::jit::Module moduleAt(const torch::jit::Module& root, const std::string& path)
{
    auto m = root;
    std::stringstream parts(path);
    for (std::string part; std::getline(parts, part, '.');)
        m = m.attr(part).toModule();
    return m;
}

at::Tensor tensorAt(const torch::jit::Module& root, const Slot& s)
{
    return moduleAt(root, s.module).attr(s.name).toTensor();
}

// The groups of a convolution; nothing when they are not fixed, or for a transposed convolution (whose
// weight holds its input channels first, so narrowing it as here would be wrong).
std::optional<std::int64_t> groupsOf(const Node* conv)
{
    const bool traced = conv->kind() == torch::jit::aten::_convolution;
    if (traced) {
        const auto transposed = torch::jit::toIValue(conv->input(6));
        if (!transposed || !transposed->isBool() || transposed->toBool())
            return std::nullopt;
    }
    const auto groups = torch::jit::toIValue(conv->input(traced ? 8 : 6));
    return groups && groups->isInt() ? std::optional<std::int64_t>(groups->toInt()) : std::nullopt;
}

std::string opName(const Node* n) { return n->kind().toQualString(); }

// Takes the batch-norm `n` into the link; false (with the reason) when its statistics are not the module's.
bool takeBatchNorm(Link& l, const Node* n, const Value* self)
{
    for (std::size_t i = 1; i <= 4; ++i) {
        const auto slot = slotOf(n->input(i), self);
        if (!slot && !(i <= 2 && isNone(n->input(i)))) {
            l.stop = "its batch-norm keeps no running statistics of its own";
            return false;
        }
        l.batchNorm.push_back(slot.value_or(Slot {}));
    }
    return true;
}

// The consumer layer `n` of link `l`: its weight, and how a flatten spread the channels over its inputs.
void takeConsumer(Link& l, const Node* n, const torch::jit::Module& root, const Value* self)
{
    const auto weight = slotOf(n->input(1), self);
    if (!weight) {
        l.stop = "its output feeds " + opName(n) + " with computed weights";
        return;
    }
    if (isConv(n) && groupsOf(n).value_or(0) != 1) {
        l.stop = "its output feeds a grouped, depthwise or transposed convolution";
        return;
    }
    const bool linear = n->kind() == torch::jit::aten::linear;
    if (!l.conv && !linear) {
        l.stop = "its features reach a convolution's channels";
        return;
    }
    const auto channels = tensorAt(root, l.weight).size(0);
    const auto inputs = tensorAt(root, *weight).size(1);
    if (isConv(l.node) && linear && !l.flattened) {
        l.stop = "its output reaches a Linear layer without a flatten";
        return;
    }
    if (inputs % channels != 0 || (!l.flattened && inputs != channels)) {
        l.stop = "its output does not line up with the inputs of the layer after it";
        return;
    }
    l.spatial = inputs / channels;
    l.consumer = weight;
}

// Uses that only ask about a value's rank, sizes or type (a batch-norm's input check): they do not take its
// channels, so narrowing it changes nothing there.
bool asksOnly(const Node* n)
{
    const auto k = n->kind();
    return k == torch::jit::aten::dim || k == torch::jit::aten::size || k == c10::prim::dtype || k == c10::prim::device
        || k == c10::prim::is_cuda || k == torch::jit::aten::len;
}

// The uses of `v` that take its values.
std::vector<torch::jit::Use> takers(const Value* v)
{
    std::vector<torch::jit::Use> uses;
    for (const auto& use : v->uses())
        if (!asksOnly(use.user))
            uses.push_back(use);
    return uses;
}

// Follows the output of `l`'s layer to the one layer that consumes it, or says what stops it.
void follow(Link& l, const torch::jit::Graph& graph, const torch::jit::Module& root)
{
    const Value* self = graph.inputs()[0];
    const Value* v = l.node->output();
    for (;;) {
        const auto uses = takers(v);
        if (uses.size() != 1) {
            l.stop = uses.empty() ? "its output is not used"
                                  : "its output goes to " + std::to_string(uses.size()) + " operators";
            return;
        }
        const auto& use = uses[0];
        const Node* n = use.user;
        if (n == graph.return_node() || n->kind() == c10::prim::TupleConstruct
            || n->kind() == c10::prim::ListConstruct) {
            l.stop = "its outputs are the model's";
            return;
        }
        if (use.offset != 0) {
            l.stop = "its output is an argument of " + opName(n);
            return;
        }
        if (n->kind() == torch::jit::aten::batch_norm && l.batchNorm.empty() && !l.flattened) {
            if (!takeBatchNorm(l, n, self))
                return;
        } else if (isConv(n) || n->kind() == torch::jit::aten::linear) {
            takeConsumer(l, n, root, self);
            return;
        } else if (flattensChannels(n) && !l.flattened && isConv(l.node)) {
            l.flattened = true;
        } else if (!keepsChannels(n)) {
            l.stop = "its output goes to " + opName(n);
            return;
        }
        v = n->output();
    }
}

// Every Conv and Linear layer of forward with stored weights, in graph order, each followed to its consumer.
std::string key(const Slot& s) { return s.module + "/" + s.name; }

// How many times forward reads each stored tensor for its values, branches and loops included (a check
// that it is None does not count): a tensor read twice belongs to two places, and narrowing it for one
// would break the other.
std::map<std::string, int> readsOf(const std::shared_ptr<torch::jit::Graph>& graph)
{
    const Value* self = graph->inputs()[0];
    std::map<std::string, int> reads;
    for (const Node* n : allNodes(graph)) {
        // Tensors and optional ones (a bias), not submodules.
        if (n->kind() != c10::prim::GetAttr || n->output()->type()->cast<c10::ClassType>())
            continue;
        const bool takesValues
            = std::any_of(n->output()->uses().begin(), n->output()->uses().end(), [](const torch::jit::Use& u) {
                  return u.user->kind() != torch::jit::aten::__is__ && u.user->kind() != torch::jit::aten::__isnot__;
              });
        if (const auto slot = slotOf(n->output(), self); slot && takesValues)
            ++reads[key(*slot)];
    }
    return reads;
}

// Whether every tensor the link would narrow is read in one place only.
bool readOnce(const Link& l, std::map<std::string, int>& reads)
{
    std::vector<Slot> slots { l.weight };
    if (l.bias)
        slots.push_back(*l.bias);
    if (l.consumer)
        slots.push_back(*l.consumer);
    for (const auto& s : l.batchNorm)
        if (!s.name.empty())
            slots.push_back(s);
    return std::all_of(slots.begin(), slots.end(), [&](const Slot& s) { return reads[key(s)] == 1; });
}

// The name a report gives a layer: its module's path, or the parameter's own name outside a module.
std::string layerName(const Slot& weight)
{
    if (weight.module.empty())
        return weight.name;
    return weight.name == "weight" ? weight.module : weight.module + "." + weight.name;
}

std::vector<Link> linksOf(const torch::jit::Module& module)
{
    const auto graph = inlinedForward(module);
    const Value* self = graph->inputs()[0];
    auto reads = readsOf(graph);
    std::vector<Link> links;
    for (Node* n : graph->nodes()) {
        if (!isConv(n) && n->kind() != torch::jit::aten::linear)
            continue;
        const auto weight = slotOf(n->input(1), self);
        if (!weight || !tensorAt(module, *weight).is_floating_point())
            continue;
        Link l { n, isConv(n), layerName(*weight), *weight };
        l.bias = slotOf(n->input(2), self);
        if (!l.bias && !isNone(n->input(2)))
            l.stop = "its bias is computed, not stored";
        else if (isConv(n) && groupsOf(n).value_or(0) != 1)
            l.stop = "it is a grouped, depthwise or transposed convolution";
        else
            follow(l, *graph, module);
        links.push_back(std::move(l));
    }
    for (auto& l : links) {
        if (l.stop.empty() && !readOnce(l, reads))
            l.stop = "its weights, or the next layer's, are used in more than one place";
        l.node = nullptr;
    }
    return links;
}

// Replaces the tensor in `slot` by its entries `keep` along `dim`, a parameter still (trainable as before).
void narrow(const torch::jit::Module& root, const Slot& slot, std::int64_t dim, const at::Tensor& keep)
{
    auto owner = moduleAt(root, slot.module);
    const auto old = owner.attr(slot.name).toTensor();
    auto smaller = old.detach().index_select(dim, keep).clone();
    smaller.set_requires_grad(old.requires_grad());
    owner.setattr(slot.name, smaller);
}

// The channels of `l` to keep, `count` of them: the largest batch-norm scales, else the largest L1 norms,
// in their original order.
at::Tensor channelsToKeep(const torch::jit::Module& root, const Link& l, std::int64_t count)
{
    const auto weight = tensorAt(root, l.weight).detach();
    const auto importance = !l.batchNorm.empty() && !l.batchNorm[0].name.empty()
        ? tensorAt(root, l.batchNorm[0]).detach().abs()
        : weight.abs().flatten(1).sum(1);
    return std::get<0>(std::get<1>(importance.topk(count)).sort());
}

void narrowLink(const torch::jit::Module& root, const Link& l, const at::Tensor& keep)
{
    const torch::NoGradGuard noGrad;
    narrow(root, l.weight, 0, keep);
    if (l.bias)
        narrow(root, *l.bias, 0, keep);
    for (const auto& s : l.batchNorm)
        if (!s.name.empty())
            narrow(root, s, 0, keep);
    const auto inputs
        = l.spatial == 1 ? keep : (keep.unsqueeze(1) * l.spatial + at::arange(l.spatial, keep.options())).flatten();
    narrow(root, *l.consumer, 1, inputs);
}

} // namespace

std::vector<LayerReport> narrowChannels(
    torch::jit::Module& module, double fraction, std::map<std::string, std::int64_t>& original, bool& narrowed)
{
    auto links = linksOf(module);
    std::vector<LayerReport> report;
    bool any = false;
    for (const auto& l : links) {
        const auto channels = tensorAt(module, l.weight).size(0);
        original.emplace(key(l.weight), channels);
        const auto from = original.at(key(l.weight));
        const auto count = std::max<std::int64_t>(
            1, static_cast<std::int64_t>(std::llround(static_cast<double>(from) * (1.0 - fraction))));
        if (l.stop.empty() && count < channels) {
            narrowLink(module, l, channelsToKeep(module, l, count));
            any = narrowed = true;
        }
        const auto now = tensorAt(module, l.weight);
        const bool fewer = now.size(0) < from;
        LayerReport r { l.layer, now.sizes().vec(), fewer ? "narrowed" : "kept" };
        r.channelsBefore = from;
        r.keptBecause = !l.stop.empty() ? l.stop
            : fewer                     ? std::string()
                                        : "it has too few channels to lose at this share";
        report.push_back(std::move(r));
    }
    if (!any && std::none_of(links.begin(), links.end(), [](const Link& l) { return l.stop.empty(); })) {
        if (links.empty())
            throw Error(ErrorKind::InvalidModel,
                "the model has no Conv or Linear layer with stored fp32 weights to narrow (a frozen or "
                "quantized model keeps them as constants): prune the fp32 model it was made from.");
        // The first layer stopped by the graph, past the last layer, which always keeps its outputs.
        const auto stopped = std::find_if(
            links.begin(), links.end(), [](const Link& l) { return l.stop != "its outputs are the model's"; });
        if (stopped == links.end())
            throw Error(ErrorKind::InvalidModel,
                "no layer can lose whole channels: the model's Conv and Linear layers outside branches and loops ("
                    + links.front().layer + (links.size() > 1 ? ", ..." : "")
                    + ") give its outputs. Structured pruning narrows layers that feed one another in a chain; "
                      "unstructured pruning, which zeroes single weights, works on any model.");
        throw Error(ErrorKind::InvalidModel,
            "no layer can lose whole channels: " + stopped->layer + " keeps its own because " + stopped->stop
                + ". Structured pruning narrows Conv and Linear layers that feed one another in a chain; "
                  "unstructured pruning, which zeroes single weights, works on any model.");
    }
    return report;
}

} // namespace maas::engine
