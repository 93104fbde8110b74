#include "maas/app/benchmark.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QStandardPaths>

#include "maas/app/about.h"
#include "maas/engine/error.h"
#include "maas/engine/model.h"
#include "maas/engine/output.h"
#include "maas/engine/runtime.h"

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
    result.p95Ms = latency.p95;
    result.p99Ms = latency.p99;
    result.samplesPerSecond = latency.samplesPerSecond;
    result.runtime = runtimeSummary();
    result.machine = QString::fromStdString(maas::engine::machineDescription());
    result.settingsJson = QString::fromStdString(
        nlohmann::json { { "batch", batch }, { "iterations", iterations }, { "warmup", 5 } }.dump());
    result.detailsJson = QString::fromStdString(maas::engine::toJson(latency).dump());
    return result;
}

BenchmarkRun runBenchmark(const BenchmarkRequest& request, const JobContext& context)
{
    BenchmarkRun run;
    run.request = request;
    maas::engine::BenchmarkPlan plan;
    plan.batches = request.batches;
    plan.threads = request.threads;
    plan.budget = { request.iterations, request.seconds, 3 };
    const auto models = static_cast<double>(request.paths.size());
    for (int i = 0; i < request.paths.size(); ++i)
        run.results.push_back(maas::engine::benchmarkFile(
            request.paths.at(i).toStdString(), plan, context.cancel, [&](const maas::engine::Progress& p) {
                if (!context.progress)
                    return;
                const int threads = p.metrics.count("threads") ? static_cast<int>(p.metrics.at("threads")) : 0;
                const double batch = p.metrics.count("batch") ? p.metrics.at("batch") : 0;
                const QString what
                    = QCoreApplication::translate("Benchmark", "%1: batch %2, %n thread(s)", nullptr, threads);
                context.progress({ (i + p.fraction) / models, what.arg(request.names.value(i)).arg(batch).toStdString(),
                    {}, false });
            }));
    return run;
}

QList<BenchmarkResult> benchmarkRows(const BenchmarkRun& run, int index)
{
    QList<BenchmarkResult> rows;
    const auto& r = run.results.at(static_cast<std::size_t>(index));
    const auto runtime = runtimeSummary();
    for (const auto& p : r.points) {
        BenchmarkResult b;
        b.batch = p.batch;
        b.threads = p.threads;
        b.p50Ms = p.latency.p50;
        b.p90Ms = p.latency.p90;
        b.p95Ms = p.latency.p95;
        b.p99Ms = p.latency.p99;
        b.samplesPerSecond = p.latency.samplesPerSecond;
        b.runtime = runtime;
        b.machine = QString::fromStdString(maas::engine::machineDescription());
        b.settingsJson = QString::fromStdString(nlohmann::json { { "batch", p.batch }, { "threads", p.threads },
            { "iterations", run.request.iterations },
            { "seconds", run.request.seconds } }.dump());
        auto details = maas::engine::toJson(r);
        details["configurations"] = nlohmann::json::array({ details["configurations"][&p - r.points.data()] });
        b.detailsJson = QString::fromStdString(details.dump());
        rows.append(b);
    }
    return rows;
}

ProfileRun runProfile(const ProfileRequest& request, const JobContext& context)
{
    ProfileRun run;
    run.request = request;
    maas::engine::ProfileOptions options;
    options.shapes = request.shapes;
    options.runs = request.runs;
    options.peakCache = machinePeakCache().toStdString();
    if (context.progress)
        context.progress({ 0.0, QCoreApplication::translate("Benchmark", "profiling").toStdString(), {}, false });
    const auto model = maas::engine::Model::load(request.path.toStdString());
    run.profile = maas::engine::profileModel(model, options, context.cancel);
    return run;
}

BenchmarkResult profileRow(const ProfileRun& run)
{
    BenchmarkResult b;
    b.kind = QStringLiteral("profile");
    const auto& p = run.profile;
    b.batch = p.inputs.empty() || p.inputs.front().shape.empty() ? 1 : static_cast<int>(p.inputs.front().shape.front());
    b.threads = p.threads;
    b.p50Ms = p.forwardMs;
    b.p90Ms = b.p99Ms = qQNaN();
    b.samplesPerSecond = p.forwardMs > 0 ? b.batch * 1000.0 / p.forwardMs : 0;
    b.runtime = runtimeSummary();
    b.machine = QString::fromStdString(p.peak.machine);
    b.settingsJson = QString::fromStdString(nlohmann::json { { "runs", p.runs } }.dump());
    b.detailsJson = QString::fromStdString(maas::engine::toJson(p).dump());
    return b;
}

namespace {

QString saveText(const QString& path, const std::string& text)
{
    try {
        maas::engine::checkOutput(path.toStdString(), {});
        maas::engine::writeTextFile(path.toStdString(), text); // never onto a device; through a link
    } catch (const maas::engine::Error& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

} // namespace

QString saveBenchmark(const BenchmarkRun& run, const QString& path)
{
    if (QFileInfo(path).suffix().compare(QLatin1String("csv"), Qt::CaseInsensitive) == 0)
        return saveText(path, maas::engine::benchmarksToCsv(run.results));
    auto json = maas::engine::benchmarksToJson(run.results);
    for (std::size_t i = 0; i < run.results.size(); ++i)
        json["models"][i]["name"] = run.request.names.value(static_cast<int>(i)).toStdString();
    return saveText(path, json.dump(2) + "\n");
}

QString saveProfile(const ProfileRun& run, const QString& path)
{
    const auto suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("folded") || suffix == QLatin1String("txt"))
        return saveText(path, maas::engine::foldedStacks(run.profile));
    return saveText(path, maas::engine::chromeTrace(run.profile).dump());
}

QHash<QString, double> timeShares(const ProfileRun& run)
{
    QHash<QString, double> shares;
    const double pass = run.profile.profiledMeanMs;
    for (const auto& l : run.profile.layers)
        if (pass > 0 && l.selfMs > 0)
            shares.insert(QString::fromStdString(l.module), l.selfMs / pass);
    return shares;
}

double percentile(const std::vector<double>& sorted, double q) { return maas::engine::percentile(sorted, q); }

QString machinePeakCache()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation)
        + QStringLiteral("/maas-workbench/machine-peak.json");
}

QString sha256Of(const QString& path) { return QString::fromStdString(maas::engine::sha256File(path.toStdString())); }

} // namespace maas::app
