#include "maas/app/inspect.h"

#include <QCoreApplication>

#include <algorithm>

#include "maas/engine/benchmark.h"
#include "maas/engine/error.h"
#include "maas/engine/onnx.h"

namespace maas::app {

namespace {

// Beyond this many operators a graph is not laid out: Graphviz would take minutes (an ONNX file from
// elsewhere may hold hundreds of thousands).
constexpr int kMaxDrawnOperators = 20000;

} // namespace

ModelInspection inspectModel(const QString& path)
{
    if (maas::engine::isOnnxPath(path.toStdString())) { // read, not run
        auto onnx = maas::engine::readOnnx(path.toStdString());
        ModelInspection inspection;
        inspection.report = std::move(onnx.report);
        if (onnx.nodes <= kMaxDrawnOperators)
            inspection.graph = std::move(onnx.graph);
        else
            inspection.graphError = QCoreApplication::translate(
                "maas::app::Inspect", "This ONNX graph has %1 operators, too many to draw; its layers are listed.")
                                        .arg(onnx.nodes);
        return inspection;
    }
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
