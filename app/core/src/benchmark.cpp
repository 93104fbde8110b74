#include "maas/app/benchmark.h"

#include "maas/app/about.h"
#include "maas/engine/benchmark.h"
#include "maas/engine/model.h"

namespace maas::app {

BenchmarkResult benchmarkModel(const QString& modelPath, int batch, int iterations, const JobContext& context)
{
    const auto model = maas::engine::Model::load(modelPath.toStdString());
    const auto latency = maas::engine::measureLatency(model, batch, iterations, 5, context.cancel);
    BenchmarkResult result;
    result.batch = latency.batch;
    result.threads = latency.threads;
    result.p50Ms = latency.p50;
    result.p90Ms = latency.p90;
    result.p99Ms = latency.p99;
    result.samplesPerSecond = latency.samplesPerSecond;
    result.runtime = runtimeSummary();
    return result;
}

double percentile(const std::vector<double>& sorted, double q) { return maas::engine::percentile(sorted, q); }

QString sha256Of(const QString& path) { return QString::fromStdString(maas::engine::sha256File(path.toStdString())); }

} // namespace maas::app
