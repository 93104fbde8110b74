#include "maas/app/inspect.h"

#include "maas/engine/benchmark.h"
#include "maas/engine/error.h"

namespace maas::app {

ModelInspection inspectModel(const QString& path)
{
    const auto model = maas::engine::Model::load(path.toStdString());
    ModelInspection inspection;
    // Compute is counted on one sample of the card's shapes (numbers only: texts have no fixed size).
    std::optional<std::vector<std::vector<std::int64_t>>> shapes;
    try {
        shapes.emplace();
        for (const auto& input : maas::engine::syntheticInputs(model, 1)) {
            if (input.dtype == maas::engine::DataType::Bytes) {
                shapes.reset();
                break;
            }
            shapes->push_back(input.shape);
        }
    } catch (const maas::engine::Error&) {
        shapes.reset(); // a card without inputs: no compute estimate
    }
    try {
        inspection.report = model.inspect(shapes);
    } catch (const maas::engine::Error&) {
        inspection.report = model.inspect(); // the card's shapes do not fit the model: report without compute
    }
    try {
        inspection.graph = maas::engine::modelGraph(model);
    } catch (const std::exception& e) {
        inspection.graphError = QString::fromUtf8(e.what());
    }
    return inspection;
}

} // namespace maas::app
