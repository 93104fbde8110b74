// Two models side by side: their layers, the operators their forward runs and the numbers they are chosen by.
#include "maas/engine/compare.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "maas/engine/error.h"
#include "torch_bridge.h"

namespace maas::engine {

namespace {

using Layers = std::vector<std::pair<std::string, LayerSide>>;

std::string formOf(const at::Tensor& t)
{
    switch (t.scalar_type()) {
    case at::kFloat: return "fp32";
    case at::kHalf: return "fp16";
    case at::kBFloat16: return "bf16";
    case at::kDouble: return "fp64";
    default: return c10::toString(t.scalar_type());
    }
}

LayerSide sideOf(const at::Tensor& weight)
{
    LayerSide side { true, weight.sizes().vec(), formOf(weight) };
    if (weight.is_floating_point() && weight.numel() > 0) {
        const auto w = weight.detach().to(at::kFloat);
        side.zeros = w.eq(0).sum().item<double>() / static_cast<double>(w.numel());
        side.meanAbs = w.abs().mean().item<double>();
    }
    return side;
}

// The layers an optimization recorded in the card (a frozen model's weights have lost their names), with
// the weights' statistics where the model still has them as parameters.
Layers recordedLayers(const ModelCard& card)
{
    Layers layers;
    const auto& recorded = card.lineage.parameters.value("layers", nlohmann::json::array());
    if (!recorded.is_array())
        return layers;
    for (const auto& l : recorded) {
        if (!l.is_object() || !l.contains("layer") || !l["layer"].is_string())
            continue;
        LayerSide side { true };
        if (l.contains("shape") && l["shape"].is_array())
            for (const auto& size : l["shape"])
                if (size.is_number_integer())
                    side.shape.push_back(size.get<std::int64_t>());
        side.form = l.value("form", std::string());
        if (l.contains("sparsity") && l["sparsity"].is_number())
            side.zeros = l["sparsity"].get<double>();
        layers.emplace_back(l["layer"].get<std::string>(), std::move(side));
    }
    return layers;
}

// Every weight of two or more axes: a parameter named by its module ("fc0" for fc0.weight), or a constant
// of the frozen graph ("weight 3") when the model has no parameters.
Layers layersOf(const Model& model)
{
    const auto& module = archivedModule(model.impl());
    Layers layers;
    for (const auto& p : module.named_parameters(true)) {
        if (p.value.dim() < 2)
            continue;
        std::string name = p.name;
        const auto dot = name.rfind('.');
        if (name.compare(dot == std::string::npos ? 0 : dot + 1, std::string::npos, "weight") == 0)
            name = dot == std::string::npos ? std::string("(model)") : name.substr(0, dot);
        layers.emplace_back(name, sideOf(p.value));
    }
    auto recorded = recordedLayers(model.card());
    if (layers.empty() && !recorded.empty())
        return recorded;
    if (layers.empty())
        forEachConstantTensor(module, [&](const at::Tensor& t) {
            if (t.dim() >= 2 && !t.is_quantized() && !t.is_mkldnn())
                layers.emplace_back("weight " + std::to_string(layers.size() + 1), sideOf(t));
        });
    for (auto& [name, side] : layers) // a pruning's report knows the forms the weights alone do not tell
        for (const auto& [recordedName, r] : recorded)
            if (recordedName == name && !r.form.empty() && r.form != "narrowed" && r.form != "kept")
                side.form = r.form == "sparse" ? side.form : r.form;
    return layers;
}

std::string changeOf(const LayerSide& a, const LayerSide& b)
{
    if (!a.present)
        return "added";
    if (!b.present)
        return "removed";
    if (a.shape != b.shape)
        return "reshaped";
    if (a.form != b.form)
        return "retyped";
    if (!std::isnan(a.zeros) && !std::isnan(b.zeros) && std::fabs(a.zeros - b.zeros) > 1e-9)
        return b.zeros > a.zeros ? "sparser" : "denser";
    if (!std::isnan(a.meanAbs) && !std::isnan(b.meanAbs) && std::fabs(a.meanAbs - b.meanAbs) > 1e-12)
        return "reweighted";
    return "same";
}

std::vector<LayerComparison> compareLayers(const Layers& a, const Layers& b)
{
    std::vector<LayerComparison> rows;
    for (const auto& [name, side] : a) {
        const auto other
            = std::find_if(b.begin(), b.end(), [&, &n = name](const auto& entry) { return entry.first == n; });
        rows.push_back({ name, side, other == b.end() ? LayerSide {} : other->second, {} });
    }
    for (const auto& [name, side] : b)
        if (std::none_of(a.begin(), a.end(), [&, &n = name](const auto& entry) { return entry.first == n; }))
            rows.push_back({ name, LayerSide {}, side, {} });
    for (auto& row : rows)
        row.change = changeOf(row.a, row.b);
    return rows;
}

std::map<std::string, std::int64_t> operatorsOf(const Model& model)
{
    std::map<std::string, std::int64_t> counts;
    const auto graph = inlinedForward(archivedModule(model.impl())); // alive while its nodes are read
    for (const auto* node : allNodes(graph)) {
        const std::string op = node->kind().toQualString();
        if (op.rfind("prim::", 0) != 0)
            ++counts[op];
    }
    return counts;
}

std::string relationOf(const Model& a, const Model& b)
{
    const auto shaA = a.path().empty() ? std::string() : sha256File(a.path());
    const auto shaB = b.path().empty() ? std::string() : sha256File(b.path());
    const auto& parentA = a.card().lineage.parentSha256;
    const auto& parentB = b.card().lineage.parentSha256;
    if (!shaA.empty() && parentB == shaA)
        return "B was made from A by " + b.card().lineage.operation;
    if (!shaB.empty() && parentA == shaB)
        return "A was made from B by " + a.card().lineage.operation;
    if (!parentA.empty() && parentA == parentB)
        return "A and B were both made from the same model";
    return {};
}

} // namespace

ModelComparison compareModels(const Model& a, const Model& b, const Dataset* data, const CancelToken* cancel)
{
    ensureThreadsConfigured();
    ModelComparison c { a.card().name, b.card().name, relationOf(a, b) };
    {
        const ThreadLease threads(a.impl().workload);
        c.layers = compareLayers(layersOf(a), layersOf(b));
        const auto opsA = operatorsOf(a), opsB = operatorsOf(b);
        std::map<std::string, OperatorCount> ops;
        for (const auto& [op, n] : opsA)
            ops[op] = { op, n, 0 };
        for (const auto& [op, n] : opsB)
            ops.try_emplace(op, OperatorCount { op, 0, 0 }).first->second.b = n;
        for (auto& [op, count] : ops)
            c.operators.push_back(count);
    }
    c.a = measureVariant(a, data, cancel);
    c.b = measureVariant(b, data, cancel);
    return c;
}

nlohmann::json toJson(const ModelComparison& c)
{
    const auto side = [](const LayerSide& s) {
        if (!s.present)
            return nlohmann::json();
        nlohmann::json j { { "shape", s.shape }, { "form", s.form } };
        j["zeros"] = std::isnan(s.zeros) ? nlohmann::json() : nlohmann::json(s.zeros);
        j["mean_abs"] = std::isnan(s.meanAbs) ? nlohmann::json() : nlohmann::json(s.meanAbs);
        return j;
    };
    auto layers = nlohmann::json::array();
    for (const auto& l : c.layers)
        layers.push_back({ { "layer", l.layer }, { "a", side(l.a) }, { "b", side(l.b) }, { "change", l.change } });
    auto ops = nlohmann::json::array();
    for (const auto& o : c.operators)
        ops.push_back({ { "op", o.op }, { "a", o.a }, { "b", o.b } });
    return { { "a", { { "name", c.nameA }, { "facts", toJson(c.a) } } },
        { "b", { { "name", c.nameB }, { "facts", toJson(c.b) } } }, { "relation", c.relation },
        { "layers", std::move(layers) }, { "operators", std::move(ops) } };
}

} // namespace maas::engine
