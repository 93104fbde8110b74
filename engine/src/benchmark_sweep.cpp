// A benchmark sweep: one model over batch sizes and thread budgets, with what loading and first use cost.
#include <chrono>
#include <cmath>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "maas/engine/benchmark.h"
#include "maas/engine/error.h"
#include "maas/engine/runtime.h"
#include "torch_bridge.h"

namespace maas::engine {

namespace {

using Clock = std::chrono::steady_clock;

double millisecondsSince(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// A field of /proc/self/status in bytes ("VmRSS", "VmHWM"), 0 where there is none.
std::int64_t statusBytes(const std::string& field)
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind(field + ":", 0) == 0) {
            std::istringstream values(line.substr(field.size() + 1));
            std::int64_t kib = 0;
            values >> kib;
            return kib * 1024;
        }
    return 0;
}

void checkPlan(const BenchmarkPlan& plan)
{
    if (plan.batches.empty())
        throw Error(ErrorKind::InvalidInput, "a benchmark needs at least one batch size.", "batch",
            "needs at least one batch size.");
    for (const auto b : plan.batches)
        if (b < 1)
            throw Error(ErrorKind::InvalidInput,
                "the batch size " + std::to_string(b) + " is below 1; give sizes of at least 1.", "batch",
                std::to_string(b) + " is below 1.");
    for (const auto t : plan.threads)
        if (t < 1 || t > kMaxThreads)
            throw Error(ErrorKind::InvalidInput,
                "the thread count " + std::to_string(t) + " is not from 1 to " + std::to_string(kMaxThreads) + ".",
                "threads", std::to_string(t) + " is not from 1 to " + std::to_string(kMaxThreads) + ".");
    const auto& b = plan.budget;
    if (!std::isfinite(b.seconds) || b.seconds < 0)
        throw Error(ErrorKind::InvalidInput, "a benchmark's duration must be above 0.", "duration", "must be above 0.");
    if (b.seconds == 0 && b.iterations < 1)
        throw Error(
            ErrorKind::InvalidInput, "a benchmark needs at least one timed call.", "iterations", "must be at least 1.");
    if (b.warmup < 0)
        throw Error(ErrorKind::InvalidInput, "warm-up calls cannot be negative.", "warmup", "cannot be negative.");
}

std::vector<InputShape> shapesFor(const Model& model, const BenchmarkPlan& plan, int batch)
{
    if (plan.shapes.empty())
        return defaultInputShapes(model, batch);
    auto shapes = plan.shapes;
    for (auto& s : shapes)
        if (!s.shape.empty())
            s.shape.front() = batch;
    return shapes;
}

// Puts the policy it found back however the sweep ends.
class PolicyRestore {
public:
    PolicyRestore()
        : m_saved(threadPolicy())
    {
    }
    ~PolicyRestore() { setThreadPolicy(m_saved); }
    PolicyRestore(const PolicyRestore&) = delete;
    PolicyRestore& operator=(const PolicyRestore&) = delete;

private:
    ThreadPolicy m_saved;
};

ModelBenchmark run(const Model& model, const BenchmarkPlan& plan, const CancelToken* cancel,
    const ProgressCallback& progress, double loadMs, std::int64_t residentBefore)
{
    ModelBenchmark result;
    result.path = model.path();
    result.quantizedEngine = model.impl().quantizedEngine;
    result.target = model.impl().target;
    result.loadMs = loadMs;
    result.residentBeforeBytes = residentBefore;
    const PolicyRestore restore;
    const auto threads = plan.threads.empty() ? std::vector<int> { 0 } : plan.threads;
    const auto total = static_cast<double>(plan.batches.size() * threads.size());
    for (const auto batch : plan.batches)
        for (const auto budget : threads) {
            if (budget > 0)
                setThreadPolicy(ThreadPolicy::withBudget(budget));
            const auto shapes = shapesFor(model, plan, batch);
            if (result.points.empty()) { // the first call after loading, before any warm-up
                result.coldMs = measureLatency(model, shapes, TimingBudget { 1, 0, 0 }, cancel).p50; // no warm-up
            }
            const auto done = static_cast<double>(result.points.size());
            const std::string what
                = "batch " + std::to_string(batch) + ", " + std::to_string(currentThreads().budget) + " threads";
            const auto report = [&](double part) {
                if (progress)
                    progress(Progress { (done + part) / total, what,
                        { { "batch", double(batch) }, { "threads", double(currentThreads().budget) } }, false });
            };
            BenchmarkPoint point;
            point.latency = measureLatency(model, shapes, plan.budget, cancel, report);
            const auto applied = currentThreads(); // what the pools had for the last timed call
            point.batch = point.latency.batch;
            point.threads = applied.budget;
            point.intraOp = applied.intraOp;
            point.blas = applied.blas;
            const auto wanted = threadPolicy().splitFor(model.impl().workload);
            point.contended = wanted.intraOp != applied.intraOp || wanted.blas != applied.blas;
            result.points.push_back(std::move(point));
        }
    result.peakResidentBytes = peakResidentBytes();
    return result;
}

nlohmann::json pointJson(const BenchmarkPoint& p)
{
    auto json = toJson(p.latency);
    json["threads"] = p.threads;
    json["intra_op_threads"] = p.intraOp;
    json["blas_threads"] = p.blas;
    json["contended"] = p.contended;
    return json;
}

} // namespace

std::int64_t residentBytes() { return statusBytes("VmRSS"); }
std::int64_t peakResidentBytes() { return statusBytes("VmHWM"); }

bool resetPeakResident()
{
    std::ofstream clear("/proc/self/clear_refs");
    clear << "5"; // resets the peak resident size to the present one (Linux 4.0 and later)
    clear.flush();
    return static_cast<bool>(clear);
}

const BenchmarkPoint* sameConfiguration(const ModelBenchmark& result, const BenchmarkPoint& point)
{
    for (const auto& q : result.points)
        if (q.batch == point.batch && q.threads == point.threads)
            return &q;
    return nullptr;
}

ModelBenchmark benchmarkModel(
    const Model& model, const BenchmarkPlan& plan, const CancelToken* cancel, const ProgressCallback& progress)
{
    checkPlan(plan);
    const bool reset = resetPeakResident();
    auto result = run(model, plan, cancel, progress, 0, residentBytes());
    result.peakReset = reset;
    return result;
}

ModelBenchmark benchmarkFile(
    const std::string& path, const BenchmarkPlan& plan, const CancelToken* cancel, const ProgressCallback& progress)
{
    checkPlan(plan);
    const bool reset = resetPeakResident();
    const auto before = residentBytes();
    const auto start = Clock::now();
    const auto model = Model::load(path);
    auto result = run(model, plan, cancel, progress, millisecondsSince(start), before);
    result.peakReset = reset;
    return result;
}

std::optional<std::size_t> bestWithin(const ModelBenchmark& result, double maxMs)
{
    std::optional<std::size_t> best;
    for (std::size_t i = 0; i < result.points.size(); ++i) {
        const auto& l = result.points[i].latency;
        if (l.p99 <= maxMs && (!best || l.samplesPerSecond > result.points[*best].latency.samplesPerSecond))
            best = i;
    }
    return best;
}

nlohmann::json toJson(const ModelBenchmark& r)
{
    auto points = nlohmann::json::array();
    for (const auto& p : r.points)
        points.push_back(pointJson(p));
    return { { "model", r.path }, { "quantized_engine", r.quantizedEngine }, { "target", r.target },
        { "load_ms", r.loadMs }, { "cold_ms", r.coldMs }, { "resident_before_bytes", r.residentBeforeBytes },
        { "peak_resident_bytes", r.peakResidentBytes }, { "peak_reset", r.peakReset },
        { "configurations", std::move(points) } };
}

nlohmann::json benchmarksToJson(const std::vector<ModelBenchmark>& results)
{
    auto models = nlohmann::json::array();
    for (std::size_t m = 0; m < results.size(); ++m) {
        auto json = toJson(results[m]);
        for (std::size_t i = 0; m > 0 && i < results[m].points.size(); ++i) {
            const auto& p = results[m].points[i];
            const auto* first = sameConfiguration(results.front(), p);
            if (first && first->latency.p50 > 0 && first->latency.samplesPerSecond > 0)
                json["configurations"][i]["vs_first"] = { { "p50", p.latency.p50 / first->latency.p50 },
                    { "throughput", p.latency.samplesPerSecond / first->latency.samplesPerSecond } };
        }
        models.push_back(std::move(json));
    }
    return { { "runtime", runtimeSummary() }, { "models", std::move(models) } };
}

std::string benchmarksToCsv(const std::vector<ModelBenchmark>& results)
{
    std::ostringstream csv;
    csv.precision(10);
    csv << "model,batch,threads,intra_op_threads,blas_threads,iterations,min_ms,p50_ms,p90_ms,p95_ms,p99_ms,max_ms,"
           "mean_ms,stddev_ms,cv,samples_per_second,load_ms,cold_ms,peak_resident_bytes,p50_vs_first,"
           "throughput_vs_first\n";
    for (std::size_t m = 0; m < results.size(); ++m)
        for (const auto& p : results[m].points) {
            const auto& l = p.latency;
            std::string path = results[m].path;
            if (path.find_first_of(",\"\r\n") != std::string::npos) {
                std::string quoted = "\"";
                for (const char c : path)
                    quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
                path = quoted + "\"";
            }
            csv << path << ',' << p.batch << ',' << p.threads << ',' << p.intraOp << ',' << p.blas << ','
                << l.milliseconds.size() << ',' << l.min << ',' << l.p50 << ',' << l.p90 << ',' << l.p95 << ',' << l.p99
                << ',' << l.max << ',' << l.mean << ',' << l.stddev << ',' << l.cv << ',' << l.samplesPerSecond << ','
                << results[m].loadMs << ',' << results[m].coldMs << ',' << results[m].peakResidentBytes << ',';
            const auto* first = m > 0 ? sameConfiguration(results.front(), p) : nullptr;
            if (first && first->latency.p50 > 0 && first->latency.samplesPerSecond > 0)
                csv << l.p50 / first->latency.p50 << ',' << l.samplesPerSecond / first->latency.samplesPerSecond;
            else
                csv << ',';
            csv << '\n';
        }
    return csv.str();
}

} // namespace maas::engine
