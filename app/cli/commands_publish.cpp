// `maas publish`, `maas remote`, `maas export`: models on MaaS endpoints, and ready for Triton and KServe.
#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>

#include "activity.h"
#include "cli_util.h"
#include "commands.h"
#include "maas/app/format.h"
#include "maas/app/publish.h"
#include "maas/app/remote.h"
#include "maas/app/textinput.h"
#include "maas/engine/card.h"
#include "maas/engine/onnx.h"
#include "maas/engine/output.h"

namespace maas::cli {

namespace {

maas::engine::OnnxExportOptions onnxOptions(
    const QCommandLineParser& parser, const QCommandLineOption& opset, const QCommandLineOption& shape);

// A Triton config to send (--config FILE): a JSON object, as --print-config writes it.
nlohmann::json configFile(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        throw UsageError(Cli::tr("--config %1 cannot be read.").arg(path));
    auto config = maas::engine::parseJson(f.readAll().toStdString()).value_or(nlohmann::json());
    if (!config.is_object())
        throw UsageError(Cli::tr("--config %1 is not a JSON object; write one with --print-config.").arg(path));
    return config;
}

// --format torchscript (Triton's PyTorch backend) or onnx (its onnxruntime backend): whether it is ONNX.
bool onnxFormat(const QCommandLineParser& parser, const QCommandLineOption& format)
{
    if (parser.value(format) != QLatin1String("torchscript") && parser.value(format) != QLatin1String("onnx"))
        throw UsageError(Cli::tr("--format is '%1'; use torchscript or onnx.").arg(parser.value(format)));
    return parser.value(format) == QLatin1String("onnx");
}

using nlohmann::json;

QString rate(qint64 bytes, double seconds)
{
    return seconds > 0 ? Cli::tr("%1/s").arg(maas::app::formatBytes(double(bytes) / seconds)) : QString();
}

void printPublished(const maas::app::PublishResult& r)
{
    if (r.unchanged)
        out() << Cli::tr("%1 version %2 on %3 is this file already (SHA-256 %4); nothing was sent.\n")
                     .arg(r.name)
                     .arg(r.version)
                     .arg(r.endpoint, r.sha256.left(12));
    else
        out() << Cli::tr("published %1 version %2 to %3: %4 by %5 in %6 s (%7)\n")
                     .arg(r.name)
                     .arg(r.version)
                     .arg(r.endpoint, maas::app::formatBytes(double(r.bytes)),
                         r.method == QLatin1String("upload") ? Cli::tr("resumable upload") : Cli::tr("base64 load"))
                     .arg(r.uploadSeconds, 0, 'f', 2)
                     .arg(rate(r.bytes, r.uploadSeconds));
    if (!r.verified)
        return;
    out() << Cli::tr("verification %1: %2 samples, largest difference %3 (tolerance %4); local %5 ms, remote round "
                     "trip %6 ms\n")
                 .arg(r.passed ? Cli::tr("passed") : Cli::tr("FAILED"))
                 .arg(r.samples.size())
                 .arg(r.maxDifference, 0, 'g', 3)
                 .arg(r.tolerance, 0, 'g', 3)
                 .arg(r.localMs, 0, 'f', 2)
                 .arg(r.remoteMs, 0, 'f', 2);
    if (r.restored > 0)
        out() << Cli::tr("the answers differ, so %1 on %2 serves version %3 again.\n")
                     .arg(r.name, r.endpoint)
                     .arg(r.restored);
    else if (r.restored == 0)
        out() << Cli::tr("the answers differ, so %1 on %2 is unloaded.\n").arg(r.name, r.endpoint);
    for (const auto& s : r.samples)
        if (!s.local.isEmpty())
            out() << QStringLiteral("  %1  %2 %3   %4 %5\n")
                         .arg(s.sample.leftJustified(10), Cli::tr("local:"), s.local.leftJustified(24),
                             Cli::tr("remote:"), s.remote);
}

json publishedJson(const maas::app::PublishResult& r)
{
    json samples = json::array();
    for (const auto& s : r.samples)
        samples.push_back({ { "sample", s.sample.toStdString() }, { "local", s.local.toStdString() },
            { "remote", s.remote.toStdString() } });
    return { { "endpoint", r.endpoint.toStdString() }, { "name", r.name.toStdString() }, { "version", r.version },
        { "sha256", r.sha256.toStdString() }, { "unchanged", r.unchanged }, { "method", r.method.toStdString() },
        { "bytes", r.bytes }, { "upload_seconds", r.uploadSeconds }, { "config", r.config },
        { "restored", r.restored >= 0 ? json(r.restored) : json() },
        { "verification",
            { { "done", r.verified }, { "passed", r.passed }, { "max_difference", r.maxDifference },
                { "tolerance", r.tolerance }, { "local_ms", r.localMs }, { "remote_ms", r.remoteMs },
                { "samples", samples } } } };
}

// The publish itself, Ctrl-C cancelling it, its progress on the terminal.
maas::app::PublishResult publishTo(
    const QString& endpoint, const QString& model, const maas::app::PublishOptions& options)
{
    InterruptScope interrupt;
    maas::app::RemoteOptions remote;
    remote.cancel = interrupt.token();
    auto client = maas::app::connectTo(endpoint, remote);
    Activity activity(Cli::tr("publishing %1").arg(model));
    return maas::app::publish(*client, model, options,
        [&](const maas::engine::Progress& p) { activity.update(QString::fromStdString(p.message), p.fraction); });
}

} // namespace

int Cli::publish(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Publishes a model to an endpoint: the TorchScript file (or, with --format onnx, its ONNX form), a Triton "
           "config made from its card, and its labels; then checks that it is ready and that it answers as it does "
           "here, on the same samples. Publishing the same file again sends nothing."));
    parser.addPositionalArgument(QStringLiteral("MODEL"), tr("A TorchScript model (.pt)."));
    const QCommandLineOption to(QStringLiteral("to"), tr("The endpoint (default: local)."), QStringLiteral("ENDPOINT"),
        QStringLiteral("local"));
    const QCommandLineOption name(
        QStringLiteral("name"), tr("The model's name there (default: the file's)."), QStringLiteral("N"));
    const QCommandLineOption version(
        QStringLiteral("version"), tr("Publish as version V (default: the next)."), QStringLiteral("V"));
    const QCommandLineOption again(
        QStringLiteral("new-version"), tr("Publish a new version even when the file is there."));
    const QCommandLineOption config(QStringLiteral("config"),
        tr("Send this Triton config (JSON, as `maas publish --print-config` writes it) instead of one made from the "
           "card."),
        QStringLiteral("FILE"));
    const QCommandLineOption printConfig(
        QStringLiteral("print-config"), tr("Print the config that would be sent, and stop."));
    const QCommandLineOption maxBatch(
        QStringLiteral("max-batch"), tr("max_batch_size in the config (default 64)."), QStringLiteral("N"));
    const QCommandLineOption base64(QStringLiteral("base64"),
        tr("Send the file inside the load request (Triton's way) even when the endpoint takes uploads."));
    const QCommandLineOption noVerify(QStringLiteral("no-verify"), tr("Skip comparing local and remote answers."));
    const QCommandLineOption format(QStringLiteral("format"),
        tr("The form to send: torchscript (default; Triton's PyTorch backend, and maas-serve) or onnx (exported "
           "here, for Triton's onnxruntime backend)."),
        QStringLiteral("F"), QStringLiteral("torchscript"));
    const QCommandLineOption opset(
        QStringLiteral("opset"), tr("With --format onnx: the ONNX opset, 13 to 17 (default 17)."), QStringLiteral("N"));
    const QCommandLineOption shape(QStringLiteral("input-shape"),
        tr("With --format onnx: one sample's shape, e.g. 1,28,28, when the card has none."), QStringLiteral("SHAPE"));
    parser.addOptions(
        { to, name, version, again, config, printConfig, maxBatch, base64, noVerify, format, opset, shape });
    const Common common;
    if (auto code = parse(parser, arguments, common, 1, 1))
        return *code;
    const auto model = parser.positionalArguments().first();
    maas::app::PublishOptions options;
    options.name = parser.value(name);
    if (parser.isSet(name)) {
        if (const auto why = maas::app::modelNameProblem(options.name); !why.isEmpty())
            throw UsageError(why);
    }
    if (parser.isSet(version))
        options.version = wholeNumber(parser, version, 1, 1, 1'000'000'000);
    options.newVersion = parser.isSet(again);
    options.maxBatchSize = wholeNumber(parser, maxBatch, 64, 1, 1'000'000);
    options.forceBase64 = parser.isSet(base64);
    options.verify = !parser.isSet(noVerify);
    if (onnxFormat(parser, format))
        options.onnx = onnxOptions(parser, opset, shape);
    else if (parser.isSet(opset) || parser.isSet(shape))
        throw UsageError(tr("--opset and --input-shape are for --format onnx."));
    if (parser.isSet(printConfig)) {
        out() << QString::fromStdString(
            maas::app::publishConfig(model, options.name, options.maxBatchSize, options.onnx).dump(2))
              << Qt::endl;
        return Success;
    }
    if (parser.isSet(config))
        options.config = configFile(parser.value(config));
    const auto result = publishTo(parser.value(to), model, options);
    if (parser.isSet(common.json))
        out() << QString::fromStdString(publishedJson(result).dump(2)) << Qt::endl;
    else
        printPublished(result);
    return result.verified && !result.passed ? Failure : Success;
}

namespace {

// --opset and --input-shape, for --onnx FILE and --triton DIR --format onnx.
maas::engine::OnnxExportOptions onnxOptions(
    const QCommandLineParser& parser, const QCommandLineOption& opset, const QCommandLineOption& shape)
{
    maas::engine::OnnxExportOptions options;
    options.opset = static_cast<int>(wholeNumber(
        parser, opset, maas::engine::kOnnxMaxOpset, maas::engine::kOnnxMinOpset, maas::engine::kOnnxMaxOpset));
    if (parser.isSet(shape)) {
        // -1 leaves an axis open in the ONNX model (a sequence's length), as the card's -1 does.
        const auto sizes = maas::app::parseOpenShape(parser.value(shape));
        if (!sizes)
            throw UsageError(Cli::tr("--input-shape '%1' is not a shape; write positive sizes separated by commas, "
                                     "or -1 for an axis left open.")
                                 .arg(parser.value(shape)));
        options.inputShape = *sizes;
    }
    return options;
}

// `maas export MODEL --onnx FILE`: the model as ONNX, for ONNX Runtime and the other runtimes that take it.
int exportOnnxFile(const QCommandLineParser& parser, const QString& target, const QCommandLineOption& opset,
    const QCommandLineOption& shape, bool asJson)
{
    const auto options = onnxOptions(parser, opset, shape);
    if (QFileInfo(target).isDir())
        throw UsageError(Cli::tr("--onnx %1 is a folder; give a file name, such as model.onnx.").arg(target));
    const auto model = loadModel(parser.positionalArguments().first());
    const auto report = maas::engine::exportOnnx(model, target.toStdString(), options);
    if (asJson) {
        printJson({ { "path", report.path }, { "opset", report.opset }, { "bytes", report.bytes },
            { "nodes", report.nodes }, { "initializers", report.initializers }, { "parameters", report.parameters },
            { "folded_batch_norms", report.foldedBatchNorms }, { "removed_dropouts", report.removedDropouts },
            { "input_shape", report.inputShape }, { "vocabulary", report.vocabularyPath } });
        return Success;
    }
    out() << Cli::tr("wrote %1: ONNX opset %2, %3, %4 operators, %5 parameters; checked by ONNX's checker")
                 .arg(target)
                 .arg(report.opset)
                 .arg(maas::app::formatBytes(report.bytes))
                 .arg(report.nodes)
                 .arg(report.parameters)
          << Qt::endl;
    if (report.foldedBatchNorms || report.removedDropouts)
        out() << Cli::tr("folded %1 batch norms into their convolutions, removed %2 dropouts")
                     .arg(report.foldedBatchNorms)
                     .arg(report.removedDropouts)
              << Qt::endl;
    if (!report.vocabularyPath.empty())
        out() << Cli::tr("wrote %1: the tokenizer's rules and vocabulary; the ONNX model takes token ids and offsets")
                     .arg(QString::fromStdString(report.vocabularyPath))
              << Qt::endl;
    return Success;
}

} // namespace

int Cli::exportModel(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Writes a Triton model repository folder for a model (config.pbtxt, 1/model.pt, labels), which Triton's "
           "PyTorch backend serves as it is; with --kserve, also a KServe InferenceService that serves it from "
           "where you copy the folder; with --format onnx, the folder holds the model as ONNX for Triton's "
           "onnxruntime backend. With --onnx, writes the model as one ONNX file instead, for ONNX Runtime and the "
           "other runtimes that take it."));
    parser.addPositionalArgument(QStringLiteral("MODEL"), tr("A TorchScript model (.pt)."));
    const QCommandLineOption triton(
        QStringLiteral("triton"), tr("The repository folder to write into."), QStringLiteral("DIR"));
    const QCommandLineOption name(
        QStringLiteral("name"), tr("The model's name (default: the file's)."), QStringLiteral("N"));
    const QCommandLineOption kserve(QStringLiteral("kserve"),
        tr("Also write NAME.kserve.yaml with this storageUri (where the repository will be, such as "
           "s3://bucket/models)."),
        QStringLiteral("URI"));
    const QCommandLineOption maxBatch(
        QStringLiteral("max-batch"), tr("max_batch_size in the config (default 64)."), QStringLiteral("N"));
    const QCommandLineOption onnx(QStringLiteral("onnx"),
        tr("Write the model as ONNX to FILE (a dynamic batch axis, batch norms folded, the card in the metadata)."),
        QStringLiteral("FILE"));
    const QCommandLineOption opset(
        QStringLiteral("opset"), tr("The ONNX opset, 13 to 17 (default 17)."), QStringLiteral("N"));
    const QCommandLineOption shape(QStringLiteral("input-shape"),
        tr("One sample's shape, e.g. 1,28,28, when the card has none."), QStringLiteral("SHAPE"));
    const QCommandLineOption format(QStringLiteral("format"),
        tr("The form of the model in the --triton folder: torchscript (default; Triton's PyTorch backend) or onnx "
           "(its onnxruntime backend)."),
        QStringLiteral("F"), QStringLiteral("torchscript"));
    // Every export is checked (ONNX's checker and shape inference) and stops with nothing written when the
    // check fails; --check says so where a script wants it said.
    const QCommandLineOption check(QStringLiteral("check"),
        tr("Check the ONNX file with ONNX's checker and shape inference (always done: a file that fails is not "
           "written)."));
    parser.addOptions({ triton, name, kserve, maxBatch, onnx, opset, shape, format, check });
    const Common common;
    if (auto code = parse(parser, arguments, common, 1, 1))
        return *code;
    if (parser.isSet(onnx) && parser.isSet(triton))
        throw UsageError(tr("maas export writes --triton DIR or --onnx FILE, one at a time."));
    if (parser.isSet(onnx)) {
        if (parser.value(onnx).isEmpty())
            throw UsageError(tr("--onnx needs the file to write, such as model.onnx."));
        return exportOnnxFile(parser, parser.value(onnx), opset, shape, parser.isSet(common.json));
    }
    if (!parser.isSet(triton) || parser.value(triton).isEmpty())
        throw UsageError(tr("maas export needs --triton DIR, the repository folder to write into, or --onnx FILE."));
    const bool onnxForm = onnxFormat(parser, format);
    if (!onnxForm && (parser.isSet(opset) || parser.isSet(shape)))
        throw UsageError(tr("--opset and --input-shape are for --onnx FILE or --format onnx."));
    if (parser.isSet(kserve) && parser.value(kserve).isEmpty())
        throw UsageError(
            tr("--kserve needs the storageUri the repository will be copied to, such as s3://bucket/models."));
    const auto folder = maas::app::exportTriton(parser.positionalArguments().first(), parser.value(triton),
        parser.value(name), parser.value(kserve), wholeNumber(parser, maxBatch, 64, 1, 1'000'000),
        onnxForm ? std::optional(onnxOptions(parser, opset, shape)) : std::nullopt);
    if (parser.isSet(common.json)) {
        json j = { { "folder", folder.toStdString() } };
        if (parser.isSet(kserve))
            j["kserve_manifest"] = (folder + QStringLiteral(".kserve.yaml")).toStdString();
        out() << QString::fromStdString(j.dump(2)) << Qt::endl;
        return Success;
    }
    out() << tr("wrote %1").arg(folder) << Qt::endl;
    if (parser.isSet(kserve))
        out() << tr("wrote %1.kserve.yaml: copy %2 to %3, then kubectl apply -f it")
                     .arg(folder, parser.value(triton), parser.value(kserve))
              << Qt::endl;
    return Success;
}

} // namespace maas::cli
