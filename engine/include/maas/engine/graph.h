#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace maas::engine {

class Model;

/// One operator of the model's forward graph, or one of its inputs or outputs.
struct GraphNode {
    enum class Kind { Input, Operator, Output };
    Kind kind = Kind::Operator;
    std::string op; ///< "aten::conv2d", "prim::If", ...; the value's name for inputs and outputs
    std::string label; ///< short text to draw: "conv2d", "input x"
    std::string module; ///< the submodule that runs it, "layer1.0.conv1"; "" at the top level
    /// What a person clicking the node wants to know, in order: arguments (constants and weights
    /// with their shapes), the module, the output types.
    std::vector<std::pair<std::string, std::string>> details;
};

/// A tensor (or other value) flowing from one node to another; label is its type, e.g. "Float(1, 64, 56, 56)".
struct GraphEdge {
    std::size_t from = 0;
    std::size_t to = 0;
    std::string label;
};

/// The forward method as a directed graph, submodule calls inlined so every node is one operator.
/// Constants, attribute reads and list/tuple plumbing are folded into the details of the nodes that use them.
struct ModelGraph {
    std::vector<GraphNode> nodes;
    std::vector<GraphEdge> edges;
};

ModelGraph modelGraph(const Model& model);

nlohmann::json graphToJson(const ModelGraph& graph);
/// Graphviz DOT text (for `maas graph --dot`, to render with `dot -Tsvg`).
std::string graphToDot(const ModelGraph& graph);

} // namespace maas::engine
