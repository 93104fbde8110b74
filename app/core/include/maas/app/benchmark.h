#pragma once

#include <QString>

#include "maas/app/jobs.h"
#include "maas/app/library.h"

namespace maas::app {

/// Times a model file (engine::measureLatency) and says what it ran on; for a job's worker thread.
BenchmarkResult benchmarkModel(const QString& modelPath, int batch, int iterations, const JobContext& context);

} // namespace maas::app

Q_DECLARE_METATYPE(maas::app::BenchmarkResult)
