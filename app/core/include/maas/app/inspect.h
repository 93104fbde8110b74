#pragma once

#include <QMetaType>
#include <QString>

#include "maas/engine/model.h"

namespace maas::app {

/// What the inspector shows: the engine's report (plain data, no LibTorch) of a model file.
using ModelReport = maas::engine::ModelReport;

/// Loads and inspects a model; meant for a job's worker thread. Throws maas::engine::Error.
ModelReport inspectModel(const QString& path);

} // namespace maas::app

Q_DECLARE_METATYPE(maas::app::ModelReport)
