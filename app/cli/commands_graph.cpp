// `maas graph`: the forward graph, operator by operator.
#include <QCommandLineParser>
#include <QStringList>
#include <QTextStream>

#include <algorithm>

#include "cli_util.h"
#include "commands.h"
#include "maas/engine/graph.h"
#include "maas/engine/onnx.h"

namespace maas::cli {

int Cli::graph(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Shows a TorchScript model's forward graph with submodule calls inlined: one "
                                        "line per operator, with the operators it takes its inputs from."));
    parser.addPositionalArgument(QStringLiteral("MODEL"), tr("A TorchScript model (.pt), or an ONNX model (.onnx)."));
    const QCommandLineOption dot(QStringLiteral("dot"), tr("Print Graphviz DOT (render it with `dot -Tsvg`)."));
    parser.addOption(dot);
    const Common common;
    if (auto code = parse(parser, arguments, common, 1, 1))
        return *code;
    const auto path = parser.positionalArguments().first();
    const auto graph = maas::engine::isOnnxPath(path.toStdString()) ? maas::engine::readOnnx(path.toStdString()).graph
                                                                    : maas::engine::modelGraph(loadModel(path));
    if (parser.isSet(common.json)) {
        printJson(maas::engine::graphToJson(graph));
        return Success;
    }
    if (parser.isSet(dot)) {
        out() << QString::fromStdString(maas::engine::graphToDot(graph));
        return Success;
    }
    std::vector<QStringList> from(graph.nodes.size());
    for (const auto& edge : graph.edges)
        from[edge.to] << QString::number(edge.from);
    QTextStream& o = out();
    for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
        const auto& node = graph.nodes[i];
        o << QStringLiteral("%1  %2").arg(i, 4).arg(printable(QString::fromStdString(node.label)), -24);
        if (!from[i].isEmpty())
            o << QStringLiteral(" <- %1").arg(from[i].join(QStringLiteral(", ")), -12);
        if (!node.module.empty())
            o << QStringLiteral("  (%1)").arg(printable(QString::fromStdString(node.module)));
        o << '\n';
    }
    o << tr("%n operators", nullptr,
        static_cast<int>(std::count_if(graph.nodes.begin(), graph.nodes.end(),
            [](const auto& n) { return n.kind == maas::engine::GraphNode::Kind::Operator; })))
      << tr(", %n edges", nullptr, static_cast<int>(graph.edges.size())) << Qt::endl;
    return Success;
}

} // namespace maas::cli
