#include "maas/app/inspect.h"

#include <algorithm>

#include "maas/engine/benchmark.h"
#include "maas/engine/error.h"

namespace maas::app {

ModelInspection inspectModel(const QString& path)
{
    const auto model = maas::engine::Model::load(path.toStdString());
    ModelInspection inspection;
    // Compute is counted on one sample of the card's shapes and datatypes (token ids get a sequence of
    // 32; texts have no fixed size, so a text model gets no count).
    std::vector<maas::engine::InputShape> shapes;
    try {
        shapes = maas::engine::defaultInputShapes(model, 1);
    } catch (const maas::engine::Error&) {
        shapes.clear(); // a card without inputs: no compute estimate
    }
    if (std::any_of(shapes.begin(), shapes.end(),
            [](const auto& input) { return input.dtype == maas::engine::DataType::Bytes; }))
        shapes.clear();
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
