#pragma once

#include <QString>

#include "maas/engine/graph.h"
#include "maas/engine/model.h"

namespace maas::app {

/// What the inspector shows of a model file: the engine's report and its forward graph (or the
/// sentence saying why there is no graph; the report stands without it).
struct ModelInspection {
    maas::engine::ModelReport report;
    maas::engine::ModelGraph graph;
    QString graphError;
};

/// Loads and inspects a model; meant for a job's worker thread. An ONNX file is read without running it
/// (its initializers as layers, its graph). Throws maas::engine::Error when the file is not a model.
ModelInspection inspectModel(const QString& path);

} // namespace maas::app
