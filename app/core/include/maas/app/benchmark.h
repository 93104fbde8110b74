#pragma once

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

#include "maas/app/jobs.h"
#include "maas/app/library.h"
#include "maas/engine/benchmark.h"
#include "maas/engine/profile.h"

namespace maas::app {

/// Times a model file (engine::measureLatency) and says what it ran on; for a job's worker thread.
BenchmarkResult benchmarkModel(const QString& modelPath, int batch, int iterations, const JobContext& context);

/// Library models timed side by side, as the Benchmark page asks: every batch size with every thread
/// count, each for `seconds` (or `iterations` calls when seconds is 0).
struct BenchmarkRequest {
    QList<qint64> modelIds; ///< the first is what the others are compared with
    QStringList paths;
    QStringList names;
    std::vector<int> batches { 1 };
    std::vector<int> threads; ///< empty: the thread setting in force
    double seconds = 1.0;
    int iterations = 0;
    double maxLatencyMs = 0; ///< the budget for the sweet spot (0: none)
};

struct BenchmarkRun {
    BenchmarkRequest request;
    std::vector<maas::engine::ModelBenchmark> results; ///< one per model, in the request's order
};

/// Runs the request (a job's work); progress is over all models and configurations.
BenchmarkRun runBenchmark(const BenchmarkRequest& request, const JobContext& context);
/// What the library records of model `index` of a run: one row per configuration, with its whole JSON.
QList<BenchmarkResult> benchmarkRows(const BenchmarkRun& run, int index);

/// One library model profiled, as the Profile page asks.
struct ProfileRequest {
    qint64 modelId = 0;
    QString path;
    QString name;
    std::vector<maas::engine::InputShape> shapes; ///< empty: the card's
    int runs = 10;
};

struct ProfileRun {
    ProfileRequest request;
    maas::engine::ModelProfile profile;
};

/// Profiles the request's model (a job's work), with the machine's peak from the shared cache.
ProfileRun runProfile(const ProfileRequest& request, const JobContext& context);
/// What the library records of a profile: its forward time and the whole profile as JSON.
BenchmarkResult profileRow(const ProfileRun& run);

/// Writes a run's results as CSV or JSON (by the path's extension; anything else is JSON), atomically;
/// "" or one sentence.
QString saveBenchmark(const BenchmarkRun& run, const QString& path);
/// Writes a profile's Chrome trace, or for a .folded or .txt path its folded stacks, atomically; "" or one
/// sentence.
QString saveProfile(const ProfileRun& run, const QString& path);
/// Each module's own time as a share of the profiled pass, keyed by module path: the graph's heat map.
QHash<QString, double> timeShares(const ProfileRun& run);

/// The q-quantile (0..1) of sorted values, as the engine's latency measurements compute it.
double percentile(const std::vector<double>& sorted, double q);

/// Where the machine's measured peak (engine::machinePeak) is cached, shared by the CLI and the workbench.
QString machinePeakCache();

/// SHA-256 of a file as lowercase hex, as the library identifies models.
QString sha256Of(const QString& path);

} // namespace maas::app

Q_DECLARE_METATYPE(maas::app::BenchmarkResult)
Q_DECLARE_METATYPE(std::shared_ptr<maas::app::BenchmarkRun>)
Q_DECLARE_METATYPE(std::shared_ptr<maas::app::ProfileRun>)
