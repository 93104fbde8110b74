#include "commands.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QTextStream>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>

#include "activity.h"
#include "cli_util.h"
#include "maas/app/about.h"
#include "maas/app/format.h"
#include "maas/engine/benchmark.h"
#include "maas/engine/error.h"
#include "maas/engine/graph.h"
#include "maas/engine/inputs.h"
#include "maas/engine/model.h"
#include "maas/engine/runtime.h"

namespace maas::cli {

namespace {

using maas::app::formatBytes;
using maas::app::formatCount;
using maas::app::formatExact;

} // namespace

QString Cli::overview()
{
    return tr("Usage: maas COMMAND [OPTIONS]\n"
              "\n"
              "Make, shrink, measure and ship models for Model-as-a-Service.\n"
              "\n"
              "Commands:\n"
              "  inspect MODEL    structure, parameters, sizes and compute of a TorchScript model\n"
              "  predict MODEL INPUT...\n"
              "                   run the model on tensor, CSV, image files or text\n"
              "  card MODEL       show or edit the model card stored inside the model\n"
              "  graph MODEL      the forward graph, operator by operator (text, JSON or Graphviz DOT)\n"
              "  bench MODEL      latency (p50/p90/p99) and throughput of the model on this machine\n"
              "  new --arch ARCH  build a new MLP, CNN, RNN or text classifier\n"
              "  train MODEL --data DATA -o OUT\n"
              "                   train (or fine-tune) a model, with checkpoints and resume\n"
              "  eval MODEL --data DATA\n"
              "                   accuracy, top-k, per-class precision/recall/F1, confusion matrix\n"
              "\n"
              "Options:\n"
              "  -h, --help       show this help; `maas COMMAND --help` shows a command's options\n"
              "  -v, --version    show the versions of maas, Qt, LibTorch and the thread setting\n");
}

int Cli::run(const QStringList& arguments)
{
    const QString command = arguments.value(1);
    const QStringList rest = QStringList { arguments.value(0) + QLatin1Char(' ') + command } + arguments.mid(2);
    try {
        if (command == QLatin1String("inspect"))
            return inspect(rest);
        if (command == QLatin1String("predict"))
            return predict(rest);
        if (command == QLatin1String("card"))
            return card(rest);
        if (command == QLatin1String("graph"))
            return graph(rest);
        if (command == QLatin1String("bench"))
            return bench(rest);
        if (command == QLatin1String("new"))
            return newModel(rest);
        if (command == QLatin1String("train"))
            return train(rest);
        if (command == QLatin1String("eval"))
            return eval(rest);
    } catch (const maas::engine::Error& e) {
        return fail(errorMessage(e));
    } catch (const std::exception& e) {
        return fail(tr("unexpected failure: %1").arg(QString::fromLocal8Bit(e.what())));
    }
    if (command == QLatin1String("--version") || command == QLatin1String("-v")) {
        out() << QStringLiteral("maas %1\n%2").arg(maas::app::version(), maas::app::runtimeSummary()) << Qt::endl;
        return Success;
    }
    if (command.isEmpty() || command == QLatin1String("--help") || command == QLatin1String("-h")
        || command == QLatin1String("help")) {
        if (command.isEmpty()) {
            QTextStream(stderr) << overview();
            return Usage;
        }
        out() << overview();
        return Success;
    }
    return fail(tr("'%1' is not a maas command; run `maas --help` for the list.").arg(command), Usage);
}

int Cli::graph(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Shows a TorchScript model's forward graph with submodule calls inlined: one "
                                        "line per operator, with the operators it takes its inputs from."));
    parser.addPositionalArgument(QStringLiteral("MODEL"), tr("A TorchScript model (.pt)."));
    const QCommandLineOption dot(QStringLiteral("dot"), tr("Print Graphviz DOT (render it with `dot -Tsvg`)."));
    parser.addOption(dot);
    const Common common;
    if (auto code = parse(parser, arguments, common, 1))
        return *code;
    const auto graph = maas::engine::modelGraph(loadModel(parser.positionalArguments().first()));
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
        o << QStringLiteral("%1  %2").arg(i, 4).arg(QString::fromStdString(node.label), -24);
        if (!from[i].isEmpty())
            o << QStringLiteral(" <- %1").arg(from[i].join(QStringLiteral(", ")), -12);
        if (!node.module.empty())
            o << QStringLiteral("  (%1)").arg(QString::fromStdString(node.module));
        o << '\n';
    }
    o << tr("%n operators", nullptr, static_cast<int>(std::count_if(graph.nodes.begin(), graph.nodes.end(),
                                          [](const auto& n) { return n.kind == maas::engine::GraphNode::Kind::Operator; })))
      << tr(", %n edges", nullptr, static_cast<int>(graph.edges.size())) << Qt::endl;
    return Success;
}

int Cli::bench(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Times the model's forward pass on inputs of its card's shapes (zeros, or a "
                                        "sentence for text models): warm-up calls, then timed calls one after another."));
    parser.addPositionalArgument(QStringLiteral("MODEL"), tr("A TorchScript model (.pt) with a card."));
    const QCommandLineOption batch(QStringLiteral("batch"), tr("Samples per call (default 1)."), QStringLiteral("N"), QStringLiteral("1"));
    const QCommandLineOption iterations(QStringLiteral("iterations"), tr("Timed calls (default 50)."), QStringLiteral("N"),
        QStringLiteral("50"));
    const QCommandLineOption warmup(QStringLiteral("warmup"), tr("Untimed calls first (default 5)."), QStringLiteral("N"),
        QStringLiteral("5"));
    parser.addOptions({ batch, iterations, warmup });
    const Common common;
    if (auto code = parse(parser, arguments, common, 1))
        return *code;
    int values[3] = {};
    const QCommandLineOption* options[3] = { &batch, &iterations, &warmup };
    for (int i = 0; i < 3; ++i) {
        bool ok = false;
        values[i] = parser.value(*options[i]).toInt(&ok);
        if (!ok || values[i] < (i == 2 ? 0 : 1))
            return fail(tr("--%1 must be a whole number of at least %2, not '%3'.")
                            .arg(options[i]->names().first())
                            .arg(i == 2 ? 0 : 1)
                            .arg(parser.value(*options[i])),
                Usage);
    }
    const auto model = loadModel(parser.positionalArguments().first());
    maas::engine::Latency latency;
    {
        Activity activity(tr("timing"));
        latency = maas::engine::measureLatency(model, values[0], values[1], values[2]);
    }
    if (parser.isSet(common.json)) {
        auto json = maas::engine::toJson(latency);
        json["model"] = parser.positionalArguments().first().toStdString();
        printJson(json);
        return Success;
    }
    out() << tr("batch %1, %2 threads, %3 timed calls").arg(latency.batch).arg(latency.threads).arg(latency.milliseconds.size()) << '\n'
          << tr("latency p50 %1 ms, p90 %2 ms, p99 %3 ms, mean %4 ms")
                 .arg(latency.p50, 0, 'f', 3)
                 .arg(latency.p90, 0, 'f', 3)
                 .arg(latency.p99, 0, 'f', 3)
                 .arg(latency.mean, 0, 'f', 3)
          << '\n'
          << tr("throughput %1 samples/s").arg(formatExact(static_cast<qint64>(latency.samplesPerSecond))) << Qt::endl;
    return Success;
}

int Cli::inspect(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Shows a TorchScript model's structure: layers, parameters, sizes on disk and "
                                        "in memory, and estimated compute for an input shape."));
    parser.addPositionalArgument(QStringLiteral("MODEL"), tr("A TorchScript model (.pt)."));
    const QCommandLineOption shapes(QStringLiteral("input-shape"),
        tr("Estimate compute for an input of this shape, e.g. 1,3,224,224 (once per model input)."),
        QStringLiteral("SHAPE"));
    const QCommandLineOption depth(QStringLiteral("depth"), tr("Show layers down to this depth (default 2; 0: all)."),
        QStringLiteral("N"), QStringLiteral("2"));
    parser.addOption(shapes);
    parser.addOption(depth);
    const Common common;
    if (auto code = parse(parser, arguments, common, 1))
        return *code;

    std::optional<std::vector<std::vector<std::int64_t>>> inputShapes;
    for (const QString& text : parser.values(shapes)) {
        bool ok = false;
        auto shape = parseShape(text, &ok);
        if (!ok)
            return fail(tr("--input-shape '%1' is not a shape; write positive sizes separated by commas, "
                           "e.g. 1,3,224,224.")
                            .arg(text),
                Usage);
        if (!inputShapes)
            inputShapes.emplace();
        inputShapes->push_back(std::move(shape));
    }
    bool depthOk = false;
    const int maxDepth = parser.value(depth).toInt(&depthOk);
    if (!depthOk || maxDepth < 0)
        return fail(tr("--depth must be 0 or a positive whole number."), Usage);

    const auto model = loadModel(parser.positionalArguments().first());
    maas::engine::ModelReport report;
    {
        Activity activity(tr("inspecting"));
        report = model.inspect(inputShapes);
    }
    if (parser.isSet(common.json)) {
        auto json = maas::engine::reportToJson(report);
        json["card"] = model.card().toJson();
        printJson(json);
        return Success;
    }

    const auto& card = model.card();
    QTextStream& o = out();
    const auto row = [&](const QString& key, const QString& value) { o << key.leftJustified(13) << value << '\n'; };
    row(tr("model"), QString::fromStdString(report.path));
    row(tr("name"), QString::fromStdString(card.name) + (card.inferred ? tr(" (card inferred: no card in the file)") : QString()));
    if (!card.task.empty())
        row(tr("task"), QString::fromStdString(card.task));
    row(tr("sha256"), QString::fromStdString(report.sha256));
    row(tr("forward"), QString::fromStdString(report.forwardSignature));
    for (const auto& spec : card.inputs)
        row(tr("input"), QStringLiteral("%1 %2 %3").arg(QString::fromStdString(spec.name),
                             QString::fromStdString(maas::engine::dataTypeName(spec.dtype)), shapeText(spec.shape)));
    for (const auto& spec : card.outputs)
        row(tr("output"), QStringLiteral("%1 %2 %3").arg(QString::fromStdString(spec.name),
                              QString::fromStdString(maas::engine::dataTypeName(spec.dtype)), shapeText(spec.shape)));
    QStringList dtypes;
    for (const auto& [dtype, count] : report.parametersByDtype)
        dtypes << QStringLiteral("%1 %2").arg(QString::fromStdString(dtype), formatCount(count));
    row(tr("parameters"), tr("%1 (%2; %3 trainable) in %4 tensors: %5")
                              .arg(formatCount(report.totalParameters), formatExact(report.totalParameters),
                                  formatExact(report.trainableParameters), formatExact(report.parameterTensors),
                                  dtypes.join(QStringLiteral(", "))));
    row(tr("buffers"), tr("%1 values").arg(formatExact(report.bufferCount)));
    row(tr("on disk"), QStringLiteral("%1 (%2 bytes)").arg(formatBytes(report.fileBytes), formatExact(report.fileBytes)));
    row(tr("in memory"), formatBytes(report.memoryBytes));
    if (report.compute) {
        QStringList shapesText;
        for (const auto& s : report.compute->inputShapes)
            shapesText << shapeText(s);
        row(tr("compute"), tr("%1 MACs (%2 FLOPs) for input %3")
                               .arg(formatCount(report.compute->macs), formatCount(report.compute->flops),
                                   shapesText.join(QStringLiteral(", "))));
    }
    o << '\n' << tr("layers") << '\n';
    o << QStringLiteral("  %1 %2 %3\n")
             .arg(tr("name").leftJustified(40), tr("type").leftJustified(28), tr("parameters").rightJustified(12));
    for (const auto& layer : report.layers) {
        if (layer.depth == 0 || (maxDepth > 0 && layer.depth > maxDepth))
            continue;
        const QString name = QString(2 * (layer.depth - 1), QLatin1Char(' '))
            + QString::fromStdString(layer.name.substr(layer.name.rfind('.') + 1));
        QString type = QString::fromStdString(layer.type);
        type = type.mid(type.lastIndexOf(QLatin1Char('.')) + 1);
        o << QStringLiteral("  %1 %2 %3\n")
                 .arg(name.leftJustified(40), type.leftJustified(28), formatExact(layer.totalParameters).rightJustified(12));
    }
    o.flush();
    return Success;
}

int Cli::predict(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Runs a model on inputs: image files (.png, .jpg), CSV files of numeric rows, tensor files (.npy, or a "
           "tensor saved with torch.save), or text for text models. Inputs are preprocessed and checked as the "
           "model card says."));
    parser.addPositionalArgument(QStringLiteral("MODEL"), tr("A TorchScript model (.pt)."));
    parser.addPositionalArgument(QStringLiteral("INPUT"), tr("Input files, or strings for a text model."),
        QStringLiteral("INPUT..."));
    const QCommandLineOption topK(QStringLiteral("top-k"), tr("Show the K most likely classes (default 5)."),
        QStringLiteral("K"), QStringLiteral("5"));
    const QCommandLineOption save(QStringLiteral("output"), tr("Also write the first output tensor to FILE (.npy)."),
        QStringLiteral("FILE"));
    parser.addOption(topK);
    parser.addOption(save);
    const Common common;
    if (auto code = parse(parser, arguments, common, 2))
        return *code;
    bool kOk = false;
    const int k = parser.value(topK).toInt(&kOk);
    if (!kOk || k < 1)
        return fail(tr("--top-k must be a positive whole number."), Usage);
    if (parser.isSet(save) && !parser.value(save).endsWith(QLatin1String(".npy")))
        return fail(tr("--output must name a .npy file, not '%1'.").arg(parser.value(save)), Usage);

    const QStringList positional = parser.positionalArguments();
    const auto model = loadModel(positional.first());
    std::vector<std::string> sources;
    for (const QString& s : positional.mid(1))
        sources.push_back(s.toStdString());
    const auto inputs = maas::engine::loadInputs(model.card(), sources);
    QElapsedTimer timer;
    std::vector<maas::engine::Tensor> outputs;
    {
        Activity activity(tr("running %1").arg(QString::fromStdString(model.card().name)));
        timer.start();
        outputs = model.predict(inputs);
    }
    const double seconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
    if (parser.isSet(save) && !outputs.empty())
        maas::engine::writeNpy(parser.value(save).toStdString(), outputs.front());

    // Classification: rows of scores become labelled top-k lists.
    const auto& card = model.card();
    const auto ranked = outputs.empty() ? decltype(maas::engine::topClasses({}, k)) {} : maas::engine::topClasses(outputs.front(), k);
    const auto label = [&](int index) {
        return index < static_cast<int>(card.labels.size()) ? QString::fromStdString(card.labels[static_cast<std::size_t>(index)])
                                                           : tr("class %1").arg(index);
    };

    if (parser.isSet(common.json)) {
        const auto threads = maas::engine::currentThreads();
        nlohmann::json json = { { "model", positional.first().toStdString() }, { "latency_ms", seconds * 1e3 },
            { "threads", { { "budget", threads.budget }, { "openmp", threads.intraOp }, { "blas", threads.blas },
                             { "source", threads.source } } } };
        json["outputs"] = nlohmann::json::array();
        for (std::size_t i = 0; i < outputs.size(); ++i) {
            const auto& t = outputs[i];
            const std::string name = i < card.outputs.size() ? card.outputs[i].name : "output_" + std::to_string(i);
            json["outputs"].push_back({ { "name", name }, { "datatype", maas::engine::dataTypeName(t.dtype) },
                { "shape", t.shape }, { "data", t.toDoubles() } });
        }
        json["predictions"] = nlohmann::json::array();
        for (const auto& row : ranked) {
            nlohmann::json list = nlohmann::json::array();
            for (const auto& c : row)
                list.push_back({ { "index", c.index }, { "label", label(c.index).toStdString() }, { "score", c.score } });
            json["predictions"].push_back(list);
        }
        printJson(json);
        return Success;
    }
    QTextStream& o = out();
    if (!ranked.empty()) {
        for (std::size_t r = 0; r < ranked.size(); ++r) {
            const QString source = sources.size() == ranked.size() ? QString::fromStdString(sources[r]) : QString::number(r + 1);
            o << tr("sample %1").arg(source) << '\n';
            for (const auto& c : ranked[r])
                o << QStringLiteral("  %1 %2%\n").arg(label(c.index).leftJustified(24), QString::number(c.score * 100.0, 'f', 1).rightJustified(5));
        }
    } else {
        for (std::size_t i = 0; i < outputs.size(); ++i) {
            const auto values = outputs[i].toDoubles();
            QStringList head;
            for (std::size_t v = 0; v < std::min<std::size_t>(values.size(), 8); ++v)
                head << QString::number(values[v], 'g', 6);
            o << tr("output %1 %2: %3%4")
                     .arg(i)
                     .arg(shapeText(outputs[i].shape), head.join(QStringLiteral(", ")),
                         values.size() > 8 ? QStringLiteral(", …") : QString())
              << '\n';
        }
    }
    o << tr("latency %1").arg(maas::app::formatSeconds(seconds)) << '\n';
    o.flush();
    return Success;
}

int Cli::card(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Shows the model card stored inside a model (extra/card.json), or changes fields with --set. Keys are "
           "dotted paths: name, task, description, labels, preprocessing.scale, preprocessing.mean, "
           "preprocessing.std, preprocessing.image_width, preprocessing.color, inputs.0.name, inputs.0.shape, ..."));
    parser.addPositionalArgument(QStringLiteral("MODEL"), tr("A TorchScript model (.pt)."));
    const QCommandLineOption set(QStringLiteral("set"),
        tr("Set a field, e.g. --set labels=cat,dog or --set inputs.0.shape=-1,3,224,224 (repeatable)."),
        QStringLiteral("KEY=VALUE"));
    const QCommandLineOption output({ QStringLiteral("o"), QStringLiteral("output") },
        tr("Write the changed model to FILE instead of changing MODEL in place."), QStringLiteral("FILE"));
    parser.addOption(set);
    parser.addOption(output);
    const Common common;
    if (auto code = parse(parser, arguments, common, 1))
        return *code;
    if (parser.isSet(output) && !parser.isSet(set))
        return fail(tr("--output only makes sense with --set."), Usage);

    const QString path = parser.positionalArguments().first();
    const auto model = loadModel(path);
    if (!parser.isSet(set)) {
        printJson(model.card().toJson());
        return Success;
    }
    auto card = model.card();
    for (const QString& assignment : parser.values(set)) {
        std::string key, value;
        if (!maas::engine::splitSetting(assignment.toStdString(), key, value))
            return fail(tr("--set '%1' needs KEY=VALUE, e.g. --set task=image-classification.").arg(assignment), Usage);
        maas::engine::setCardField(card, key, value);
    }
    const QString target = parser.isSet(output) ? parser.value(output) : path;
    model.withCard(card).save(target.toStdString());
    if (parser.isSet(common.json))
        printJson(card.toJson());
    else
        out() << tr("card saved in %1").arg(target) << Qt::endl;
    return Success;
}

} // namespace maas::cli
