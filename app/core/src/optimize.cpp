#include "maas/app/optimize.h"

#include <optional>

#include "maas/engine/dataset.h"
#include "maas/engine/optimize.h"

namespace maas::app {

namespace {

VariantNumbers numbers(const maas::engine::VariantFacts& f)
{
    return { f.fileBytes, f.parameters, f.latencyBatch1Ms, f.latencyBatch16Ms, f.accuracy };
}

} // namespace

OptimizedModel runOptimize(const OptimizeRequest& request, const JobContext& context)
{
    const auto model = maas::engine::Model::load(request.modelPath.toStdString());
    std::optional<maas::engine::Dataset> data;
    if (!request.dataPath.isEmpty()) {
        maas::engine::DataOptions options;
        options.limit = request.sampleLimit;
        options.split = "test"; // IDX folders: scored on what training never saw
        options.classes = model.card().labels;
        data = maas::engine::Dataset::open(request.dataPath.toStdString(), options);
    }
    maas::engine::ConversionOptions options;
    options.tolerance = request.tolerance;
    const auto result = maas::engine::convertForTarget(model, options, data ? &*data : nullptr, context.cancel);
    OptimizedModel out { {}, numbers(result.before), numbers(result.after), result.difference, result.tolerance };
    out.model = Library::prepareImport(request.libraryFolder, result.model, QStringLiteral("optimized"));
    return out;
}

} // namespace maas::app
