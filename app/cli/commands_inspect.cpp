// `maas inspect`: structure, parameters, sizes and compute of a TorchScript model.
#include <QCommandLineParser>
#include <QStringList>
#include <QTextStream>

#include <optional>

#include "activity.h"
#include "cli_util.h"
#include "commands.h"
#include "maas/app/format.h"
#include "maas/engine/model.h"
#include "maas/engine/onnx.h"

namespace maas::cli {

namespace {

using maas::app::formatBytes;
using maas::app::formatCount;
using maas::app::formatExact;

struct InspectRequest {
    QString model;
    std::vector<maas::engine::InputShape> inputShapes; ///< empty: no compute estimate
    int maxDepth = 2;
    bool json = false;
};

// Reads the command line into `request`; returns an exit code when the command ends here.
std::optional<int> parseInspect(const QStringList& arguments, InspectRequest& request)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        Cli::tr("Shows a TorchScript model's structure: layers, parameters, sizes on disk and "
                "in memory, and estimated compute for an input shape. An ONNX file (.onnx) shows its inputs, "
                "outputs, operators, parameters, metadata and the ONNX checker's verdict."));
    parser.addPositionalArgument(
        QStringLiteral("MODEL"), Cli::tr("A TorchScript model (.pt), or an ONNX model (.onnx) to read."));
    const QCommandLineOption shapes = inputShapeOption(Cli::tr("Estimate compute for an input of this shape."));
    const QCommandLineOption depth(QStringLiteral("depth"),
        Cli::tr("Show layers down to this depth (default 2; 0: all)."), QStringLiteral("N"), QStringLiteral("2"));
    parser.addOption(shapes);
    parser.addOption(depth);
    const Common common;
    if (auto code = parse(parser, arguments, common, 1, 1))
        return code;

    if (auto code = readInputShapes(parser, shapes, request.inputShapes))
        return code;
    request.maxDepth = static_cast<int>(wholeNumber(parser, depth, 2, 0, 1000));
    request.model = parser.positionalArguments().first();
    request.json = parser.isSet(common.json);
    return std::nullopt;
}

QString specText(const maas::engine::TensorSpec& spec)
{
    return QStringLiteral("%1 %2 %3")
        .arg(QString::fromStdString(spec.name), QString::fromStdString(maas::engine::dataTypeName(spec.dtype)),
            shapeText(spec.shape));
}

// The key-value lines: what the model is, takes and weighs.
void printSummary(const maas::engine::ModelCard& card, const maas::engine::ModelReport& report)
{
    QTextStream& o = out();
    const auto row = [&](const QString& key, const QString& value) { o << key.leftJustified(13) << value << '\n'; };
    row(Cli::tr("model"), QString::fromStdString(report.path));
    row(Cli::tr("name"),
        QString::fromStdString(card.name)
            + (card.inferred ? Cli::tr(" (card inferred: no card in the file)") : QString()));
    if (!card.task.empty())
        row(Cli::tr("task"), QString::fromStdString(card.task));
    row(Cli::tr("sha256"), QString::fromStdString(report.sha256));
    row(Cli::tr("forward"), QString::fromStdString(report.forwardSignature));
    for (const auto& spec : card.inputs)
        row(Cli::tr("input"), specText(spec));
    for (const auto& spec : card.outputs)
        row(Cli::tr("output"), specText(spec));
    QStringList dtypes;
    for (const auto& [dtype, count] : report.parametersByDtype)
        dtypes << QStringLiteral("%1 %2").arg(QString::fromStdString(dtype), formatCount(count));
    row(Cli::tr("parameters"),
        Cli::tr("%1 (%2; %3 trainable) in %4 tensors: %5")
            .arg(formatCount(report.totalParameters), formatExact(report.totalParameters),
                formatExact(report.trainableParameters), formatExact(report.parameterTensors),
                dtypes.join(QStringLiteral(", "))));
    row(Cli::tr("buffers"), Cli::tr("%1 values").arg(formatExact(report.bufferCount)));
    row(Cli::tr("on disk"),
        QStringLiteral("%1 (%2 bytes)").arg(formatBytes(report.fileBytes), formatExact(report.fileBytes)));
    row(Cli::tr("in memory"), formatBytes(report.memoryBytes));
    if (report.compute) {
        QStringList shapesText;
        for (std::size_t i = 0; i < report.compute->inputShapes.size(); ++i)
            shapesText << shapeText(report.compute->inputShapes[i]) + QLatin1Char(' ')
                    + QString::fromStdString(maas::engine::dataTypeName(report.compute->inputTypes.at(i)));
        row(Cli::tr("compute"),
            Cli::tr("%1 MACs (%2 FLOPs) for input %3")
                .arg(formatCount(report.compute->macs), formatCount(report.compute->flops),
                    shapesText.join(QStringLiteral(", "))));
    }
}

// The layer table, indented by depth; maxDepth 0 shows every layer.
void printLayers(const maas::engine::ModelReport& report, int maxDepth)
{
    QTextStream& o = out();
    o << '\n' << Cli::tr("layers") << '\n';
    o << QStringLiteral("  %1 %2 %3\n")
             .arg(Cli::tr("name").leftJustified(40), Cli::tr("type").leftJustified(28),
                 Cli::tr("parameters").rightJustified(12));
    for (const auto& layer : report.layers) {
        if (layer.depth == 0 || (maxDepth > 0 && layer.depth > maxDepth))
            continue;
        const QString name = QString(2 * (layer.depth - 1), QLatin1Char(' '))
            + QString::fromStdString(layer.name.substr(layer.name.rfind('.') + 1));
        QString type = QString::fromStdString(layer.type);
        type = type.mid(type.lastIndexOf(QLatin1Char('.')) + 1);
        o << QStringLiteral("  %1 %2 %3\n")
                 .arg(name.leftJustified(40), type.leftJustified(28),
                     formatExact(layer.totalParameters).rightJustified(12));
    }
    o.flush();
}

QString onnxTensorText(const maas::engine::OnnxTensor& t)
{
    QStringList axes;
    for (std::size_t i = 0; i < t.shape.size(); ++i)
        axes << (t.shape[i] >= 0
                ? QString::number(t.shape[i])
                : (t.axisNames[i].empty() ? QStringLiteral("?") : QString::fromStdString(t.axisNames[i])));
    return QStringLiteral("%1 %2 [%3]")
        .arg(QString::fromStdString(t.name), QString::fromStdString(t.dtype), axes.join(QStringLiteral(", ")));
}

// `maas inspect FILE.onnx`: what the file holds, read without running it.
int inspectOnnx(const InspectRequest& request)
{
    const auto info = maas::engine::readOnnx(request.model.toStdString());
    if (request.json) {
        printJson(maas::engine::onnxInfoToJson(info));
        return Success;
    }
    QTextStream& o = out();
    const auto row
        = [&](const QString& key, const QString& value) { o << key.leftJustified(13) << printable(value) << '\n'; };
    row(Cli::tr("model"), QString::fromStdString(info.path));
    row(Cli::tr("format"),
        Cli::tr("ONNX, opset %1, IR version %2, made by %3")
            .arg(info.opset)
            .arg(info.irVersion)
            .arg(info.producer.empty() ? Cli::tr("an unnamed producer") : QString::fromStdString(info.producer)));
    row(Cli::tr("checker"),
        info.checkError.empty() ? Cli::tr("passed")
                                : Cli::tr("failed: %1").arg(QString::fromStdString(info.checkError)));
    for (const auto& t : info.inputs)
        row(Cli::tr("input"), onnxTensorText(t));
    for (const auto& t : info.outputs)
        row(Cli::tr("output"), onnxTensorText(t));
    row(Cli::tr("parameters"),
        Cli::tr("%1 (%2) in %3 initializers")
            .arg(formatCount(info.parameters), formatExact(info.parameters), formatExact(info.initializers)));
    row(Cli::tr("on disk"), QStringLiteral("%1 (%2 bytes)").arg(formatBytes(info.bytes), formatExact(info.bytes)));
    QStringList operators;
    for (const auto& [op, count] : info.operators)
        operators << QStringLiteral("%1 %2").arg(QString::fromStdString(op)).arg(count);
    row(Cli::tr("operators"), Cli::tr("%1: %2").arg(info.nodes).arg(operators.join(QStringLiteral(", "))));
    for (const auto& [key, value] : info.metadata)
        row(Cli::tr("metadata"),
            QStringLiteral("%1 = %2").arg(QString::fromStdString(key),
                QString::fromStdString(value.size() > 120 ? value.substr(0, 117) + "..." : value)));
    o.flush();
    return Success;
}

} // namespace

int Cli::inspect(const QStringList& arguments)
{
    InspectRequest request;
    if (auto code = parseInspect(arguments, request))
        return *code;
    if (maas::engine::isOnnxPath(request.model.toStdString()))
        return inspectOnnx(request);
    const auto model = loadModel(request.model);
    warnAboutCard(model);
    maas::engine::ModelReport report;
    {
        Activity activity(tr("inspecting"));
        report = model.inspect(request.inputShapes);
    }
    if (request.json) {
        auto json = maas::engine::reportToJson(report);
        json["card"] = model.card().toJson();
        printJson(json);
        return Success;
    }
    printSummary(model.card(), report);
    printLayers(report, request.maxDepth);
    return Success;
}

} // namespace maas::cli
