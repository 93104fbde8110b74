// `maas optimize` and `maas quantize`: a smaller or faster model, checked against the original.
#include <QCommandLineParser>
#include <QFileInfo>
#include <QTextStream>

#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>

#include "activity.h"
#include "cli_util.h"
#include "commands.h"
#include "maas/app/format.h"
#include "maas/engine/architectures.h"
#include "maas/engine/compare.h"
#include "maas/engine/dataset.h"
#include "maas/engine/optimize.h"
#include "maas/engine/output.h"

namespace maas::cli {

namespace {

// The before/after table every optimization prints; a distillation's columns are the teacher and the student.
void printFacts(const maas::engine::VariantFacts& before, const maas::engine::VariantFacts& after,
    const QString& beforeName, const QString& afterName)
{
    using maas::app::formatBytes;
    using maas::app::formatCount;
    QTextStream& o = out();
    const auto row = [&](const QString& what, const QString& a, const QString& b, const QString& change) {
        o << what.leftJustified(16) << a.rightJustified(12) << b.rightJustified(12) << QLatin1String("   ") << change
          << '\n';
    };
    row(QString(), beforeName, afterName, Cli::tr("change"));
    row(Cli::tr("size"), formatBytes(before.fileBytes), formatBytes(after.fileBytes),
        maas::app::formatChange(static_cast<double>(before.fileBytes), static_cast<double>(after.fileBytes),
            Cli::tr("smaller"), Cli::tr("larger")));
    row(Cli::tr("size, gzip"), formatBytes(before.gzipBytes), formatBytes(after.gzipBytes),
        maas::app::formatChange(static_cast<double>(before.gzipBytes), static_cast<double>(after.gzipBytes),
            Cli::tr("smaller"), Cli::tr("larger")));
    row(Cli::tr("weights"), formatCount(before.parameters), formatCount(after.parameters), QString());
    row(Cli::tr("nonzero"), formatCount(before.nonzero), formatCount(after.nonzero), QString());
    const auto ms = [](double v) { return Cli::tr("%1 ms").arg(v, 0, 'f', 2); };
    row(Cli::tr("latency b1"), ms(before.latencyBatch1Ms), ms(after.latencyBatch1Ms),
        maas::app::formatChange(before.latencyBatch1Ms, after.latencyBatch1Ms, Cli::tr("faster"), Cli::tr("slower")));
    row(Cli::tr("latency b16"), ms(before.latencyBatch16Ms), ms(after.latencyBatch16Ms),
        maas::app::formatChange(before.latencyBatch16Ms, after.latencyBatch16Ms, Cli::tr("faster"), Cli::tr("slower")));
    if (!std::isnan(before.accuracy))
        row(Cli::tr("accuracy"), percent(before.accuracy), percent(after.accuracy),
            Cli::tr("%1 points").arg((after.accuracy - before.accuracy) * 100.0, 0, 'f', 2));
}

// The per-layer table of an operation that looked at layers (with each one's drop when it was measured).
void printLayers(const std::vector<maas::engine::LayerReport>& layers)
{
    if (layers.empty())
        return;
    QTextStream& o = out();
    const bool drops
        = std::any_of(layers.begin(), layers.end(), [](const auto& l) { return !std::isnan(l.accuracyDrop); });
    int width = 28;
    for (const auto& l : layers)
        width = std::max(width, static_cast<int>(l.layer.size()) + 2);
    const bool sparsity
        = std::any_of(layers.begin(), layers.end(), [](const auto& l) { return !std::isnan(l.sparsity); });
    const bool notes = std::any_of(layers.begin(), layers.end(), [](const auto& l) { return l.channelsBefore > 0; });
    o << '\n'
      << Cli::tr("layer").leftJustified(width) << Cli::tr("shape").leftJustified(14)
      << Cli::tr("form").leftJustified(10)
      << (drops             ? Cli::tr("drop alone")
                 : sparsity ? Cli::tr("zeros")
                 : notes    ? Cli::tr("channels")
                            : QString())
      << '\n';
    for (const auto& l : layers) {
        o << QString::fromStdString(l.layer).leftJustified(width) << maas::app::formatShape(l.shape).leftJustified(14)
          << QString::fromStdString(l.form).leftJustified(10)
          << (!std::isnan(l.accuracyDrop)      ? Cli::tr("%1 points").arg(l.accuracyDrop, 0, 'f', 2)
                     : !std::isnan(l.sparsity) ? percent(l.sparsity)
                     : !l.keptBecause.empty()  ? Cli::tr("kept: %1").arg(QString::fromStdString(l.keptBecause))
                     : l.channelsBefore > 0    ? Cli::tr("%1 → %2").arg(l.channelsBefore).arg(l.shape.at(0))
                                               : QString())
          << '\n';
    }
}

// Writes what an optimization made and says so: JSON with --json, else the before/after table, the layers
// and the check against the original.
int report(const maas::engine::Optimized& result, const QString& output, bool json)
{
    result.model.save(output.toStdString());
    if (json) {
        auto j = maas::engine::toJson(result);
        j["model"] = output.toStdString();
        printJson(j);
        return Success;
    }
    const bool distilled = result.operation == "distill";
    printFacts(result.before, result.after, distilled ? Cli::tr("teacher") : Cli::tr("before"),
        distilled ? Cli::tr("student") : Cli::tr("after"));
    printLayers(result.layers);
    if (!std::isnan(result.baselineAccuracy) && !std::isnan(result.after.accuracy))
        out() << Cli::tr("the student trained alone: %1; distilled: %2 (%3 points)")
                     .arg(percent(result.baselineAccuracy), percent(result.after.accuracy))
                     .arg((result.after.accuracy - result.baselineAccuracy) * 100.0, 0, 'f', 2)
              << '\n';
    if (result.settings.contains("engine"))
        out() << Cli::tr("quantized engine: %1 (%2)")
                     .arg(QString::fromStdString(result.settings.at("engine").get<std::string>()),
                         result.settings.value("engine_chosen", "") == "measured" ? Cli::tr("the faster on this model")
                                                                                  : Cli::tr("as asked"))
              << '\n';
    if (std::isnan(result.difference)) // a student is a new model: its outputs are not the teacher's
        out() << Cli::tr("written to %1").arg(output) << Qt::endl;
    else if (std::isnan(result.tolerance)) // pruning changes the outputs by design: accuracy is its measure
        out() << Cli::tr("largest output difference %1; written to %2").arg(result.difference, 0, 'g', 3).arg(output)
              << Qt::endl;
    else
        out() << Cli::tr("largest output difference %1 (tolerance %2); written to %3")
                     .arg(result.difference, 0, 'g', 3)
                     .arg(result.tolerance, 0, 'g', 3)
                     .arg(output)
              << Qt::endl;
    return Success;
}

// Reads an optimization command's arguments: one model, --data's flags and -o, which it must have.
std::optional<int> parseOptimization(QCommandLineParser& parser, const QStringList& arguments, const DataFlags& data,
    const Common& common, const QCommandLineOption& output)
{
    data.addTo(parser);
    if (auto code = parse(parser, arguments, common, 1, 1))
        return code;
    if (!parser.isSet(output))
        return fail(Cli::tr("give the file to write with -o FILE.pt."), Usage);
    return std::nullopt;
}

using Run = std::function<maas::engine::Optimized(
    const maas::engine::Model&, const maas::engine::Dataset*, const maas::engine::CancelToken*)>;

// What every optimization command does once its options are read: checks the output, reads the model and
// the data (`dataOptions`; --data is optional), runs `run` under an activity line that Ctrl-C stops, and
// writes and reports the result.
int optimizeAndReport(const QCommandLineParser& parser, const DataFlags& data,
    const maas::engine::DataOptions& dataOptions, const QString& output, bool json, const QString& doing,
    const Run& run)
{
    const QString path = parser.positionalArguments().first();
    maas::engine::checkOutput(output.toStdString(), { path.toStdString(), parser.value(data.data).toStdString() });
    InterruptScope interrupt;
    const auto model = loadModel(path);
    std::optional<maas::engine::Dataset> dataset;
    if (parser.isSet(data.data))
        dataset = data.open(parser, dataOptions, model.card().labels);
    std::optional<maas::engine::Optimized> result;
    {
        Activity activity(doing);
        result = run(model, dataset ? &*dataset : nullptr, interrupt.token());
    }
    return report(*result, output, json);
}

} // namespace

int Cli::optimize(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Converts a model for where it will run and writes the result as a new model: frozen (weights "
           "become constants), with batch-norm folded into convolutions and LibTorch's other rewrites of frozen "
           "graphs; for --target mobile, LibTorch's optimize_for_mobile (XNNPACK's prepacked kernels), and with "
           "--lite a file for LibTorch Lite. The outputs are checked against the original's on a sample batch "
           "and the model is refused past the tolerance. Prints size, weights and latency (batch 1 and 16) "
           "before and after, and accuracy with --data."));
    parser.addPositionalArgument(QStringLiteral("MODEL"), tr("A TorchScript model (.pt)."));
    const QCommandLineOption target(QStringLiteral("target"),
        tr("cpu (the default: servers and desktops) or mobile (phones: XNNPACK's kernels, LibTorch Lite)."),
        QStringLiteral("TARGET"));
    const QCommandLineOption lite(QStringLiteral("lite"),
        tr("Mobile target: also write the model for LibTorch Lite, the interpreter phones run (.ptl)."),
        QStringLiteral("FILE"));
    const QCommandLineOption tolerance(QStringLiteral("tolerance"),
        tr("Largest output difference allowed, relative to the outputs' scale (default 0.0001)."), QStringLiteral("T"));
    const QCommandLineOption output({ QStringLiteral("o"), QStringLiteral("output") },
        tr("Where to write the converted model (.pt)."), QStringLiteral("FILE"));
    parser.addOptions({ target, tolerance, output, lite });
    const DataFlags data;
    const Common common;
    if (auto code = parseOptimization(parser, arguments, data, common, output))
        return *code;
    maas::engine::ConversionOptions options;
    if (parser.isSet(target)) {
        const auto named = maas::engine::targetFromString(parser.value(target).toStdString());
        if (!named)
            throw UsageError(tr("--target '%1' is not known; use cpu or mobile.").arg(parser.value(target)));
        options.target = *named;
    }
    if (parser.isSet(lite) && options.target != maas::engine::Target::Mobile)
        throw UsageError(tr("--lite is for --target mobile: the lite interpreter runs on phones."));
    if (parser.isSet(lite))
        maas::engine::checkOutput(parser.value(lite).toStdString(),
            { parser.positionalArguments().value(0).toStdString(), parser.value(output).toStdString(),
                parser.value(data.data).toStdString() },
            "lite");
    options.tolerance = realNumber(parser, tolerance, options.tolerance);
    checkUsage([&] { maas::engine::checkConversionOptions(options); });
    return optimizeAndReport(parser, data, data.options(parser, QStringLiteral("test")), parser.value(output),
        parser.isSet(common.json), tr("converting and measuring"),
        [&](const auto& model, const auto* dataset, const auto* cancel) {
            auto converted = maas::engine::convertForTarget(model, options, dataset, cancel);
            if (parser.isSet(lite)) // after the tolerance check, before the model is written
                maas::engine::saveForLiteInterpreter(converted.model, parser.value(lite).toStdString());
            return converted;
        });
}

int Cli::quantize(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Quantizes a model's Linear layers to int8 (dynamic: weights stored as int8, one scale per output "
           "channel; inputs quantized on each call) and writes the result as a new model. Works on any "
           "TorchScript model. The quantized engine is the faster on this model unless --engine names one. "
           "With --max-drop and --data, each layer's accuracy drop is measured alone and the most sensitive "
           "layers stay in fp32 until the model's drop is within the budget. The outputs are checked against "
           "the original's on a sample batch. Prints size, weights, latency and accuracy before and after, and "
           "each layer's form."));
    parser.addPositionalArgument(QStringLiteral("MODEL"), tr("A TorchScript model (.pt)."));
    const auto engines = maas::engine::quantizedEngines();
    QStringList engineNames;
    for (const auto& e : engines)
        engineNames << QString::fromStdString(e);
    const QCommandLineOption engine(QStringLiteral("engine"),
        tr("The quantized engine: %1 (default: the faster on this model, measured).")
            .arg(engineNames.join(QLatin1String(", "))),
        QStringLiteral("ENGINE"));
    const QCommandLineOption maxDrop(QStringLiteral("max-drop"),
        tr("Accuracy points the model may lose on --data (such as 0.5); the most sensitive layers stay fp32."),
        QStringLiteral("POINTS"));
    const QCommandLineOption tolerance(QStringLiteral("tolerance"),
        tr("Largest output difference allowed, relative to the outputs' scale (default 0.1)."), QStringLiteral("T"));
    const QCommandLineOption output({ QStringLiteral("o"), QStringLiteral("output") },
        tr("Where to write the quantized model (.pt)."), QStringLiteral("FILE"));
    const QCommandLineOption dtype(QStringLiteral("dtype"),
        tr("int8 (the default: Linear layers, dynamic), or fp16 or bf16: every weight stored in 16 bits and cast to "
           "fp32 when the model loads (half the file, fp32's speed)."),
        QStringLiteral("TYPE"));
    const QCommandLineOption staticMode(QStringLiteral("static"),
        tr("Static int8: Conv and Linear layers on int8 activations too, their ranges calibrated on the training "
           "split of --data (faster than dynamic on convolutions; needs --data)."));
    const QCommandLineOption calibration(QStringLiteral("calibration"),
        tr("Static: samples of --data to calibrate on (default 512)."), QStringLiteral("N"));
    parser.addOptions({ dtype, staticMode, calibration, engine, maxDrop, tolerance, output });
    const DataFlags data;
    const Common common;
    if (auto code = parseOptimization(parser, arguments, data, common, output))
        return *code;
    maas::engine::QuantizeOptions options;
    if (parser.isSet(dtype))
        options.dtype = parser.value(dtype).toStdString();
    options.engine = parser.value(engine).toStdString();
    options.tolerance = realNumber(parser, tolerance, options.tolerance);
    if (parser.isSet(maxDrop))
        options.maxDrop = realNumber(parser, maxDrop, 0);
    if (parser.isSet(staticMode))
        options.mode = "static";
    if (parser.isSet(calibration) && !parser.isSet(staticMode))
        throw UsageError(tr("--calibration is for --static quantization."));
    options.calibrationSamples = wholeNumber(parser, calibration, options.calibrationSamples, 1, 1000000);
    checkUsage([&] { maas::engine::checkQuantizeOptions(options, parser.isSet(data.data)); });
    const auto calibrationOptions = data.options(parser, QStringLiteral("train"));
    return optimizeAndReport(parser, data, data.options(parser, QStringLiteral("test")), parser.value(output),
        parser.isSet(common.json),
        !std::isnan(options.maxDrop)   ? tr("measuring each layer's sensitivity, quantizing")
            : options.mode == "static" ? tr("calibrating, quantizing and measuring")
                                       : tr("quantizing and measuring"),
        [&](const auto& model, const auto* dataset, const auto* cancel) {
            if (options.mode != "static")
                return maas::engine::quantizeDynamic(model, options, dataset, cancel);
            const auto calibrationData = data.open(parser, calibrationOptions, model.card().labels);
            return maas::engine::quantizeStatic(model, options, calibrationData, dataset, cancel);
        });
}

namespace {

// --sparsity as a fraction: 0.8 or 80%.
double sparsityFrom(const QCommandLineParser& parser, const QCommandLineOption& option)
{
    QString text = parser.value(option).trimmed();
    const bool percentSign = text.endsWith(QLatin1Char('%'));
    if (percentSign)
        text.chop(1);
    bool ok = false;
    const double value = text.toDouble(&ok);
    if (!ok || !std::isfinite(value))
        throw UsageError(Cli::tr("--sparsity must be a fraction such as 0.8, or a percentage such as 80%, not '%1'.")
                             .arg(parser.value(option)));
    return percentSign ? value / 100.0 : value;
}

} // namespace

int Cli::prune(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Prunes a model: the weights of its Linear and convolution layers with the smallest magnitudes become "
           "zero, in one step or several, with fine-tuning on --data after each (--epochs; the zeros stay zero). "
           "The model keeps its shapes: it shrinks when compressed and in nonzero weights. With --structured, "
           "whole channels and neurons go instead, so the layers shrink and run faster; layers whose outputs "
           "meet another branch keep theirs. Prints size (as written and gzip-compressed), weights, latency and "
           "accuracy before and after, and each layer's share of zeros or its channels before and after."));
    parser.addPositionalArgument(QStringLiteral("MODEL"), tr("A TorchScript model (.pt)."));
    const QCommandLineOption sparsity(QStringLiteral("sparsity"),
        tr("The share of weights to set to zero: 0.8 or 80% (required)."), QStringLiteral("S"));
    const QCommandLineOption structured(QStringLiteral("structured"),
        tr("Remove whole channels and neurons (with their batch-norm entries and the next layer's inputs), the "
           "same share in every layer that can lose them: the layers really shrink and run faster."));
    const QCommandLineOption perLayer(QStringLiteral("per-layer"),
        tr("The same share in every layer (default: one threshold over all layers, so layers that matter less "
           "lose more)."));
    const QCommandLineOption steps(
        QStringLiteral("steps"), tr("Reach the sparsity in N equal steps (default 1)."), QStringLiteral("N"));
    const QCommandLineOption epochs(QStringLiteral("epochs"),
        tr("Epochs of fine-tuning on --data after each step (default 0: none)."), QStringLiteral("N"));
    const QCommandLineOption learningRate(
        QStringLiteral("lr"), tr("Fine-tuning's learning rate (default: the model's)."), QStringLiteral("RATE"));
    const QCommandLineOption output({ QStringLiteral("o"), QStringLiteral("output") },
        tr("Where to write the pruned model (.pt)."), QStringLiteral("FILE"));
    parser.addOptions({ sparsity, structured, perLayer, steps, epochs, learningRate, output });
    const DataFlags data;
    const Common common;
    if (auto code = parseOptimization(parser, arguments, data, common, output))
        return *code;
    if (!parser.isSet(sparsity))
        return fail(tr("give the share of weights to prune with --sparsity, such as 0.8 or 80%."), Usage);
    maas::engine::PruneOptions options;
    options.sparsity = sparsityFrom(parser, sparsity);
    options.global = !parser.isSet(perLayer);
    options.structured = parser.isSet(structured);
    if (options.structured && parser.isSet(perLayer))
        throw UsageError(tr("--per-layer is for pruning single weights: --structured takes the same share of "
                            "channels from every layer it narrows."));
    options.steps = static_cast<int>(wholeNumber(parser, steps, 1, 1, 100));
    options.fineTuneEpochs = static_cast<int>(wholeNumber(parser, epochs, 0, 0, maas::engine::kMaxEpochs));
    if (parser.isSet(learningRate))
        options.training.learningRate = realNumber(parser, learningRate, 0);
    checkUsage([&] { maas::engine::checkPruneOptions(options, parser.isSet(data.data)); });
    // Accuracy is measured on the test split of an IDX folder; fine-tuning trains on the training split.
    const auto tuneOptions = data.options(parser, QStringLiteral("train"));
    return optimizeAndReport(parser, data, data.options(parser, QStringLiteral("test")), parser.value(output),
        parser.isSet(common.json),
        options.fineTuneEpochs > 0 ? tr("pruning, fine-tuning and measuring") : tr("pruning and measuring"),
        [&](const auto& model, const auto* dataset, const auto* cancel) {
            std::optional<maas::engine::Dataset> tune;
            if (options.fineTuneEpochs > 0)
                tune = data.open(parser, tuneOptions, model.card().labels);
            return maas::engine::prune(model, options, tune ? &*tune : nullptr, dataset, {}, cancel);
        });
}

namespace {

// --student: an architecture's name (mlp, cnn, rnn, text), a JSON spec, or a spec file.
nlohmann::json studentSpec(const QString& value)
{
    const QString text = value.trimmed();
    if (text.startsWith(QLatin1Char('{'))) {
        auto spec = nlohmann::json::parse(text.toStdString(), nullptr, false);
        if (spec.is_discarded() || !spec.is_object())
            throw UsageError(
                Cli::tr("--student '%1' is not a JSON object such as {\"arch\": \"mlp\", \"hidden\": [64]}.")
                    .arg(value));
        return spec;
    }
    if (QFileInfo::exists(text))
        return maas::engine::readModelSpec(text.toStdString());
    // A word is an architecture's name, checked by the engine (which knows them) before any data is read.
    if (text.contains(QLatin1Char('/')) || text.contains(QLatin1Char('.')))
        throw UsageError(
            Cli::tr("--student '%1' is not mlp, cnn, rnn or text, a JSON spec, or a spec file that exists.")
                .arg(value));
    return { { "arch", text.toStdString() } };
}

struct DistillFlags {
    QCommandLineOption student { QStringLiteral("student"),
        Cli::tr("The student to train: mlp, cnn, rnn or text, a JSON spec such as {\"arch\": \"mlp\", \"hidden\": "
                "[64]}, or a spec file (required)."),
        QStringLiteral("SPEC") };
    QCommandLineOption temperature { QStringLiteral("temperature"),
        Cli::tr("Softens both models' answers before they are compared (default 2)."), QStringLiteral("T") };
    QCommandLineOption alpha { QStringLiteral("alpha"),
        Cli::tr("The teacher's share of the loss, from 0 (labels only) to 1 (default 0.5)."), QStringLiteral("A") };
    QCommandLineOption epochs { QStringLiteral("epochs"), Cli::tr("Passes over the data (default 10)."),
        QStringLiteral("N") };
    QCommandLineOption batch { QStringLiteral("batch-size"), Cli::tr("Samples per step (default 128)."),
        QStringLiteral("N") };
    QCommandLineOption lr { QStringLiteral("lr"), Cli::tr("Learning rate (default: the student's)."),
        QStringLiteral("RATE") };
    QCommandLineOption seed { QStringLiteral("seed"), Cli::tr("Random seed (default 42)."), QStringLiteral("N") };
    QCommandLineOption noBaseline { QStringLiteral("no-baseline"),
        Cli::tr("Do not train the student alone for comparison (half the time).") };
    QCommandLineOption output { { QStringLiteral("o"), QStringLiteral("output") },
        Cli::tr("Where to write the student (.pt)."), QStringLiteral("FILE") };
};

maas::engine::DistillOptions readDistillOptions(const QCommandLineParser& parser, const DistillFlags& f)
{
    maas::engine::DistillOptions o;
    o.temperature = realNumber(parser, f.temperature, o.temperature);
    o.alpha = realNumber(parser, f.alpha, o.alpha);
    o.baseline = !parser.isSet(f.noBaseline);
    o.training.epochs = static_cast<int>(wholeNumber(parser, f.epochs, o.training.epochs, 1, maas::engine::kMaxEpochs));
    o.training.batchSize = wholeNumber(parser, f.batch, o.training.batchSize, 1, maas::engine::kMaxBatchSize);
    o.training.seed = static_cast<std::uint64_t>(wholeNumber(
        parser, f.seed, static_cast<std::int64_t>(o.training.seed), 0, std::numeric_limits<std::int64_t>::max()));
    if (parser.isSet(f.lr))
        o.training.learningRate = realNumber(parser, f.lr, 0);
    checkUsage([&] { maas::engine::checkDistillOptions(o); });
    return o;
}

} // namespace

int Cli::distill(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Distills a teacher into a student: a new model, usually smaller, learns from the labels of --data "
           "and from the teacher's answers softened by --temperature. Also trains the same student alone the "
           "same way (unless --no-baseline) to show what the teacher adds. Prints size, weights, latency and "
           "accuracy of teacher and student, and writes the student."));
    parser.addPositionalArgument(QStringLiteral("TEACHER"), tr("A trained TorchScript model (.pt)."));
    const DistillFlags f;
    parser.addOptions({ f.student, f.temperature, f.alpha, f.epochs, f.batch, f.lr, f.seed, f.noBaseline, f.output });
    const DataFlags data;
    const Common common;
    if (auto code = parseOptimization(parser, arguments, data, common, f.output))
        return *code;
    if (!parser.isSet(data.data))
        return fail(tr("give the data set to train the student on with --data PATH."), Usage);
    if (!parser.isSet(f.student))
        return fail(tr("give the student with --student, such as --student mlp."), Usage);
    const auto options = readDistillOptions(parser, f);
    auto spec = studentSpec(parser.value(f.student));
    if (spec.contains("arch") && spec["arch"].is_string())
        checkUsage([&] { maas::engine::checkArchitecture(spec["arch"].get<std::string>()); });
    const auto trainOptions = data.options(parser, QStringLiteral("train"));
    return optimizeAndReport(parser, data, data.options(parser, QStringLiteral("test")), parser.value(f.output),
        parser.isSet(common.json),
        options.baseline ? tr("distilling, training the student alone, measuring") : tr("distilling and measuring"),
        [&](const auto& teacher, const auto* dataset, const auto* cancel) {
            auto train = data.open(parser, trainOptions, teacher.card().labels);
            const auto student = maas::engine::buildModel(maas::engine::completeStudentSpec(spec, teacher, train));
            return maas::engine::distill(teacher, student, train, dataset, options, {}, cancel);
        });
}

namespace {

QString sideText(const maas::engine::LayerSide& side)
{
    if (!side.present)
        return Cli::tr("(none)");
    QString text = maas::app::formatShape(side.shape) + QLatin1Char(' ') + QString::fromStdString(side.form);
    if (!std::isnan(side.zeros) && side.zeros > 0)
        text += QLatin1Char(' ') + Cli::tr("%1 zeros").arg(percent(side.zeros));
    return text;
}

void printComparison(const maas::engine::ModelComparison& c)
{
    QTextStream& o = out();
    if (!c.relation.empty())
        o << QString::fromStdString(c.relation) << "\n\n";
    printFacts(c.a, c.b, Cli::tr("A"), Cli::tr("B"));
    int width = 24;
    for (const auto& l : c.layers)
        width = std::max(width, static_cast<int>(l.layer.size()) + 2);
    o << '\n'
      << Cli::tr("layer").leftJustified(width) << Cli::tr("A").leftJustified(30) << Cli::tr("B").leftJustified(30)
      << Cli::tr("change") << '\n';
    for (const auto& l : c.layers)
        o << QString::fromStdString(l.layer).leftJustified(width) << sideText(l.a).leftJustified(30)
          << sideText(l.b).leftJustified(30) << QString::fromStdString(l.change) << '\n';
    bool header = false;
    for (const auto& op : c.operators) {
        if (op.a == op.b)
            continue;
        if (!header)
            o << '\n'
              << Cli::tr("operators that differ").leftJustified(width + 8) << Cli::tr("A").rightJustified(6)
              << Cli::tr("B").rightJustified(8) << '\n';
        header = true;
        o << QString::fromStdString(op.op).leftJustified(width + 8) << QString::number(op.a).rightJustified(6)
          << QString::number(op.b).rightJustified(8) << '\n';
    }
    if (!header)
        o << '\n' << Cli::tr("Both run the same operators.") << '\n';
    o.flush();
}

} // namespace

int Cli::compare(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Compares two models, usually of one lineage (a model and what pruning, quantization or distillation "
           "made of it): size, weights, latency at batch 1 and 16 and, with --data, accuracy side by side; each "
           "layer's shape, form and share of zeros in both, and what changed; and the operators whose count "
           "differs."));
    parser.addPositionalArgument(QStringLiteral("A"), tr("A TorchScript model (.pt)."));
    parser.addPositionalArgument(QStringLiteral("B"), tr("Another TorchScript model (.pt)."));
    const DataFlags data;
    data.addTo(parser);
    const Common common;
    if (auto code = parse(parser, arguments, common, 2, 2))
        return *code;
    const auto dataOptions = data.options(parser, QStringLiteral("test"));
    InterruptScope interrupt;
    const auto a = loadModel(parser.positionalArguments().at(0));
    const auto b = loadModel(parser.positionalArguments().at(1));
    std::optional<maas::engine::Dataset> dataset;
    if (parser.isSet(data.data))
        dataset = data.open(parser, dataOptions, a.card().labels);
    std::optional<maas::engine::ModelComparison> comparison;
    {
        Activity activity(tr("comparing and measuring"));
        comparison = maas::engine::compareModels(a, b, dataset ? &*dataset : nullptr, interrupt.token());
    }
    if (parser.isSet(common.json))
        printJson(maas::engine::toJson(*comparison));
    else
        printComparison(*comparison);
    return Success;
}

} // namespace maas::cli
