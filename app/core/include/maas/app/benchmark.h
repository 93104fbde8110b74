#pragma once

#include <QString>

#include <vector>

#include "maas/app/jobs.h"
#include "maas/app/library.h"

namespace maas::app {

/// Times a model file (engine::measureLatency) and says what it ran on; for a job's worker thread.
BenchmarkResult benchmarkModel(const QString& modelPath, int batch, int iterations, const JobContext& context);

/// The q-quantile (0..1) of sorted values, as the engine's latency measurements compute it.
double percentile(const std::vector<double>& sorted, double q);

/// SHA-256 of a file as lowercase hex, as the library identifies models.
QString sha256Of(const QString& path);

} // namespace maas::app

Q_DECLARE_METATYPE(maas::app::BenchmarkResult)
