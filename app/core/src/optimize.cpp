#include "maas/app/optimize.h"

#include "maas/app/format.h"

#include <optional>

#include "maas/engine/architectures.h"
#include "maas/engine/compare.h"
#include "maas/engine/dataset.h"
#include "maas/engine/error.h"
#include "maas/engine/optimize.h"

namespace maas::app {

namespace {

VariantNumbers numbers(const maas::engine::VariantFacts& f)
{
    return { f.fileBytes, f.gzipBytes, f.parameters, f.nonzero, f.latencyBatch1Ms, f.latencyBatch16Ms, f.accuracy };
}

QList<LayerRow> rows(const std::vector<maas::engine::LayerReport>& layers)
{
    QList<LayerRow> out;
    for (const auto& l : layers) {
        out.append({ QString::fromStdString(l.layer), formatShape(l.shape), QString::fromStdString(l.form),
            l.accuracyDrop, l.sparsity, l.channelsBefore, l.shape.empty() ? 0 : l.shape.front(),
            QString::fromStdString(l.keptBecause) });
    }
    return out;
}

// The request's data set, its `split` for an IDX folder; `limit` samples at most (0: all).
maas::engine::Dataset openData(const QString& path, const maas::engine::Model& model, const char* split, qint64 limit)
{
    maas::engine::DataOptions options;
    options.limit = limit;
    options.split = split;
    options.classes = model.card().labels;
    return maas::engine::Dataset::open(path.toStdString(), options);
}

// A student built for the training split of the request's data, trained from `teacher`.
maas::engine::Optimized distill(const OptimizeRequest& request, const maas::engine::Model& teacher,
    const maas::engine::Dataset* data, const JobContext& context)
{
    maas::engine::DistillOptions options;
    options.temperature = request.temperature;
    options.alpha = request.alpha;
    options.baseline = request.baseline;
    options.training.epochs = request.epochs;
    maas::engine::checkDistillOptions(options);
    if (request.dataPath.isEmpty())
        throw maas::engine::Error(maas::engine::ErrorKind::InvalidInput,
            "a student needs a data set to learn from: choose one.", "data", "a data set is needed.");
    auto spec = nlohmann::json::parse(request.studentSpec.toStdString(), nullptr, false);
    if (spec.is_discarded() || !spec.is_object())
        throw maas::engine::Error(maas::engine::ErrorKind::InvalidInput,
            "the student's spec is not a JSON object such as {\"arch\": \"mlp\", \"hidden\": [64]}.", "student",
            "is not a JSON object.");
    auto train = openData(request.dataPath, teacher, "train", 0); // the sample limit is for measuring accuracy
    const auto student = maas::engine::buildModel(maas::engine::completeStudentSpec(spec, teacher, train));
    return maas::engine::distill(teacher, student, train, data, options, context.progress, context.cancel);
}

maas::engine::Optimized optimize(const OptimizeRequest& request, const maas::engine::Model& model,
    const maas::engine::Dataset* data, const JobContext& context)
{
    const auto* cancel = context.cancel;
    if (request.operation == Optimization::Distill)
        return distill(request, model, data, context);
    if (request.operation == Optimization::Prune) {
        maas::engine::PruneOptions options;
        options.sparsity = request.sparsity;
        options.global = !request.perLayer;
        options.structured = request.structured;
        options.steps = request.steps;
        options.fineTuneEpochs = request.fineTuneEpochs;
        // Fine-tuning trains on the training split (IDX folders); accuracy is scored on the test split.
        std::optional<maas::engine::Dataset> tune;
        if (options.fineTuneEpochs > 0 && !request.dataPath.isEmpty())
            tune = openData(request.dataPath, model, "train", 0); // the sample limit is for measuring accuracy
        return maas::engine::prune(model, options, tune ? &*tune : nullptr, data, context.progress, cancel);
    }
    if (request.operation == Optimization::Quantize) {
        maas::engine::QuantizeOptions options;
        options.dtype = request.dtype.toStdString();
        options.engine = request.engine.toStdString();
        options.maxDrop = request.maxDrop;
        options.tolerance = request.tolerance;
        options.mode = request.mode.toStdString();
        options.calibrationSamples = request.calibrationSamples;
        if (options.mode != "static")
            return maas::engine::quantizeDynamic(model, options, data, cancel);
        maas::engine::checkQuantizeOptions(options, !request.dataPath.isEmpty());
        // Calibrated on the training split (IDX folders); accuracy is scored on the test split.
        const auto calibration = openData(request.dataPath, model, "train", 0);
        return maas::engine::quantizeStatic(model, options, calibration, data, cancel);
    }
    maas::engine::ConversionOptions options;
    options.tolerance = request.tolerance;
    if (request.operation == Optimization::ConvertForMobile)
        options.target = maas::engine::Target::Mobile;
    return maas::engine::convertForTarget(model, options, data, cancel);
}

} // namespace

QStringList quantizedEngines()
{
    QStringList names;
    for (const auto& e : maas::engine::quantizedEngines())
        names << QString::fromStdString(e);
    return names;
}

OptimizedModel runOptimize(const OptimizeRequest& request, const JobContext& context)
{
    const auto model = maas::engine::Model::load(request.modelPath.toStdString());
    std::optional<maas::engine::Dataset> data;
    if (!request.dataPath.isEmpty())
        data = openData(
            request.dataPath, model, "test", request.sampleLimit); // IDX folders: scored on what training never saw
    const auto result = optimize(request, model, data ? &*data : nullptr, context);
    OptimizedModel out { {}, numbers(result.before), numbers(result.after), result.difference, result.tolerance,
        QString::fromStdString(result.settings.value("engine", std::string())),
        result.settings.value("engine_chosen", std::string()) == "measured", rows(result.layers),
        result.baselineAccuracy };
    out.model = Library::prepareImport(request.libraryFolder, result.model, QString::fromStdString(result.operation));
    return out;
}

SweepResult runSweep(const OptimizeRequest& request, const QList<double>& sparsities, const JobContext& context)
{
    const auto model = maas::engine::Model::load(request.modelPath.toStdString());
    std::optional<maas::engine::Dataset> data;
    if (!request.dataPath.isEmpty())
        data = openData(request.dataPath, model, "test", request.sampleLimit);
    SweepResult sweep;
    for (int i = 0; i < sparsities.size(); ++i) {
        OptimizeRequest one = request;
        one.operation = Optimization::Prune;
        one.sparsity = sparsities.at(i);
        // Each variant's progress is a share of the sweep's.
        JobContext part { [&](const maas::engine::Progress& p) {
                             if (!context.progress)
                                 return;
                             auto whole = p;
                             whole.fraction = (i + p.fraction) / static_cast<double>(sparsities.size());
                             context.progress(whole);
                         },
            context.cancel };
        const auto result = optimize(one, model, data ? &*data : nullptr, part);
        if (i == 0)
            sweep.parent = numbers(result.before);
        sweep.points.append({ one.sparsity, numbers(result.before), numbers(result.after), result.difference,
            rows(result.layers), std::make_shared<const maas::engine::Model>(result.model) });
        if (context.progress) {
            maas::engine::Progress done;
            done.fraction = (i + 1) / static_cast<double>(sparsities.size());
            done.message = "variant " + std::to_string(i + 1) + "/" + std::to_string(sparsities.size());
            context.progress(done);
        }
    }
    return sweep;
}

Comparison runCompare(const CompareRequest& request, const JobContext& context)
{
    const auto a = maas::engine::Model::load(request.pathA.toStdString());
    const auto b = maas::engine::Model::load(request.pathB.toStdString());
    std::optional<maas::engine::Dataset> data;
    if (!request.dataPath.isEmpty())
        data = openData(request.dataPath, a, "test", request.sampleLimit);
    const auto c = maas::engine::compareModels(a, b, data ? &*data : nullptr, context.cancel);
    Comparison out { QString::fromStdString(c.nameA), QString::fromStdString(c.nameB),
        QString::fromStdString(c.relation), numbers(c.a), numbers(c.b), {}, {} };
    for (const auto& l : c.layers)
        out.layers.append({ QString::fromStdString(l.layer), l.a.present, l.b.present, formatShape(l.a.shape),
            formatShape(l.b.shape), QString::fromStdString(l.a.form), QString::fromStdString(l.b.form), l.a.zeros,
            l.b.zeros, QString::fromStdString(l.change) });
    for (const auto& o : c.operators)
        out.operators.append({ QString::fromStdString(o.op), o.a, o.b });
    return out;
}

PreparedImport prepareVariant(const QString& libraryFolder, const SweepPoint& point)
{
    return Library::prepareImport(libraryFolder, *point.model, QStringLiteral("prune"));
}

} // namespace maas::app
