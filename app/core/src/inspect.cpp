#include "maas/app/inspect.h"

namespace maas::app {

ModelInspection inspectModel(const QString& path)
{
    const auto model = maas::engine::Model::load(path.toStdString());
    ModelInspection inspection;
    inspection.report = model.inspect();
    try {
        inspection.graph = maas::engine::modelGraph(model);
    } catch (const std::exception& e) {
        inspection.graphError = QString::fromUtf8(e.what());
    }
    return inspection;
}

} // namespace maas::app
