// `maas bench` and `maas profile`: what serving a model costs on this machine, and where the time goes.
#include <QCommandLineParser>
#include <QTextStream>

#include <cmath>

#include "activity.h"
#include "cli_util.h"
#include "commands.h"
#include "maas/app/benchmark.h"
#include "maas/app/format.h"
#include "maas/engine/benchmark.h"
#include "maas/engine/output.h"
#include "maas/engine/profile.h"
#include "maas/engine/runtime.h"

namespace maas::cli {

namespace {

QString ms(double v) { return QString::number(v, 'f', v < 10 ? 3 : 2); }

QString ratio(double v) { return QStringLiteral("%1×").arg(v, 0, 'f', 2); }

struct BenchFlags {
    QCommandLineOption batch { QStringLiteral("batch"),
        Cli::tr("Batch sizes to time, separated by commas (default 1)."), QStringLiteral("N,...") };
    QCommandLineOption iterations { QStringLiteral("iterations"),
        Cli::tr("Timed calls per configuration (default 50)."), QStringLiteral("N") };
    QCommandLineOption duration { QStringLiteral("duration"),
        Cli::tr("Time each configuration for this long instead (5s, 500ms, 2m; a bare number is seconds)."),
        QStringLiteral("TIME") };
    QCommandLineOption warmup { QStringLiteral("warmup"), Cli::tr("Untimed calls first (default 5)."),
        QStringLiteral("N") };
    QCommandLineOption maxLatency { QStringLiteral("max-latency"),
        Cli::tr("Name the batch size and threads with the most throughput whose p99 stays within TIME (20ms, "
                "0.5s; a bare number is milliseconds)."),
        QStringLiteral("TIME") };
    QCommandLineOption csv { QStringLiteral("csv"), Cli::tr("Print CSV instead of text.") };
    QCommandLineOption shapes
        = inputShapeOption(tr("Time inputs of this shape instead of the card's (--batch replaces its first size)."));

    static QString tr(const char* text) { return Cli::tr(text); }
};

maas::engine::BenchmarkPlan planFrom(const QCommandLineParser& parser, const BenchFlags& f, const Common& common,
    std::vector<maas::engine::InputShape> shapes)
{
    maas::engine::BenchmarkPlan plan;
    plan.shapes = std::move(shapes);
    if (parser.isSet(f.duration) && parser.isSet(f.iterations))
        throw UsageError(Cli::tr("--duration and --iterations cannot be given together; choose one."));
    if (parser.isSet(common.json) && parser.isSet(f.csv))
        throw UsageError(Cli::tr("--json and --csv cannot be given together; choose one."));
    plan.budget.iterations = static_cast<int>(wholeNumber(parser, f.iterations, 50, 1, 10000000));
    plan.budget.seconds = timeSpan(parser, f.duration, 0, QStringLiteral("s")) / 1000.0;
    plan.budget.warmup = static_cast<int>(wholeNumber(parser, f.warmup, 5, 0, 10000000));
    plan.threads = wholeNumbers(parser, common.threads, {}, 1, maas::engine::kMaxThreads);
    const int firstSize = plan.shapes.empty() || plan.shapes.front().shape.empty()
        ? 1
        : static_cast<int>(std::min<std::int64_t>(plan.shapes.front().shape.front(), 1 << 20));
    plan.batches = wholeNumbers(parser, f.batch, { firstSize }, 1, 1 << 20);
    return plan;
}

void printBenchmark(const maas::engine::ModelBenchmark& r, const maas::engine::ModelBenchmark* first)
{
    out() << r.path.c_str() << '\n';
    out() << (r.peakReset
            ? Cli::tr("  loaded in %1 ms, first call %2 ms, peak memory %3 (%4 over the %5 before loading)")
            : Cli::tr("  loaded in %1 ms, first call %2 ms, the process's peak memory %3 (it could "
                      "not be reset: %4 over the %5 before loading, at most)"))
                 .arg(ms(r.loadMs), ms(r.coldMs), maas::app::formatBytes(r.peakResidentBytes),
                     maas::app::formatBytes(std::max<std::int64_t>(0, r.peakResidentBytes - r.residentBeforeBytes)),
                     maas::app::formatBytes(r.residentBeforeBytes))
          << '\n';
    if (!r.quantizedEngine.empty())
        out() << Cli::tr("  quantized engine: %1").arg(QString::fromStdString(r.quantizedEngine)) << '\n';
    out() << Cli::tr("  batch  threads (LibTorch/BLAS)  calls      min      p50      p90      p95      p99      max  "
                     "   mean     cv   samples/s")
          << (first ? Cli::tr("  p50 vs first  throughput vs first") : QString()) << '\n';
    for (const auto& p : r.points) {
        const auto& l = p.latency;
        out() << QStringLiteral("  %1  %2  %3 %4 %5 %6 %7 %8 %9")
                     .arg(p.batch, 5)
                     .arg(QStringLiteral("%1 (%2/%3)").arg(p.threads).arg(p.intraOp).arg(p.blas), -23)
                     .arg(l.milliseconds.size(), 5)
                     .arg(ms(l.min), 8)
                     .arg(ms(l.p50), 8)
                     .arg(ms(l.p90), 8)
                     .arg(ms(l.p95), 8)
                     .arg(ms(l.p99), 8)
                     .arg(ms(l.max), 8)
              << QStringLiteral(" %1 %2 %3")
                     .arg(ms(l.mean), 8)
                     .arg(maas::cli::percent(l.cv), 6)
                     .arg(QString::number(l.samplesPerSecond, 'f', 1), 11);
        if (const auto* q = first ? maas::engine::sameConfiguration(*first, p) : nullptr;
            q && q->latency.p50 > 0 && q->latency.samplesPerSecond > 0)
            out() << QStringLiteral("  %1  %2")
                         .arg(ratio(l.p50 / q->latency.p50), 12)
                         .arg(ratio(l.samplesPerSecond / q->latency.samplesPerSecond), 19);
        out() << '\n';
        if (p.contended)
            out() << Cli::tr("  (another engine call held the threads while this was timed: not this setting's "
                             "numbers alone)")
                  << '\n';
    }
}

// A busy machine shows as calls that vary a lot: said once per model, since the numbers are then the load's.
void warnIfNoisy(const maas::engine::ModelBenchmark& r)
{
    double worst = 0;
    for (const auto& p : r.points)
        worst = std::max(worst, p.latency.cv);
    if (worst > 0.25)
        out() << Cli::tr("  the calls vary a lot (coefficient of variation up to %1): something else is using the "
                         "cores; time again on an idle machine, or for longer with --duration.")
                     .arg(percent(worst))
              << '\n';
}

void printBest(const maas::engine::ModelBenchmark& r, double maxMs)
{
    const auto best = maas::engine::bestWithin(r, maxMs);
    if (!best) {
        double fastest = 1e300;
        for (const auto& p : r.points)
            fastest = std::min(fastest, p.latency.p99);
        out() << Cli::tr("  within %1 ms: no configuration; the lowest p99 is %2 ms.").arg(ms(maxMs), ms(fastest))
              << '\n';
        return;
    }
    const auto& p = r.points[*best];
    out() << Cli::tr("  within %1 ms: batch %2 with %3 threads, %4 samples/s at p99 %5 ms.")
                 .arg(ms(maxMs))
                 .arg(p.batch)
                 .arg(p.threads)
                 .arg(QString::number(p.latency.samplesPerSecond, 'f', 1), ms(p.latency.p99))
          << '\n';
}

nlohmann::json withBest(nlohmann::json json, const std::vector<maas::engine::ModelBenchmark>& results, double maxMs)
{
    json["max_latency_ms"] = maxMs;
    for (std::size_t m = 0; m < results.size(); ++m) {
        const auto best = maas::engine::bestWithin(results[m], maxMs);
        json["models"][m]["within_max_latency"] = best ? nlohmann::json { { "batch", results[m].points[*best].batch },
            { "threads", results[m].points[*best].threads } }
                                                       : nlohmann::json(nullptr);
    }
    return json;
}

} // namespace

int Cli::bench(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Times each model's forward pass at every batch size and thread count given: warm-up calls, then "
           "timed calls one after another on inputs of the card's shapes (values in [-1, 1) for numbers, ids below the "
           "embedding's size for token ids, a sentence for text models). Several models are shown side by side, "
           "with ratios to the first. --threads takes a list here, such as 1,2."));
    parser.addPositionalArgument(
        QStringLiteral("MODEL"), tr("TorchScript models (.pt) with cards."), QStringLiteral("MODEL..."));
    const BenchFlags f;
    parser.addOptions({ f.batch, f.iterations, f.duration, f.warmup, f.maxLatency, f.csv, f.shapes });
    Common common;
    common.threadsList = true;
    if (auto code = parse(parser, arguments, common, 1, 64))
        return *code;
    std::vector<maas::engine::InputShape> shapes;
    if (auto code = readInputShapes(parser, f.shapes, shapes))
        return *code;
    const auto plan = planFrom(parser, f, common, std::move(shapes));
    const double maxMs = timeSpan(parser, f.maxLatency, 0, QStringLiteral("ms"));
    InterruptScope interrupt; // Ctrl-C ends the timing at its next call (exit 130), not the process mid-write
    std::vector<maas::engine::ModelBenchmark> results;
    const auto paths = parser.positionalArguments();
    {
        Activity activity(tr("timing"));
        for (const auto& path : paths) {
            const auto done = static_cast<double>(results.size());
            const auto report = [&](const maas::engine::Progress& p) {
                const int threads = p.metrics.count("threads") ? static_cast<int>(p.metrics.at("threads")) : 0;
                const double batch = p.metrics.count("batch") ? p.metrics.at("batch") : 0;
                activity.update(tr("timing %1: batch %2, %n thread(s)", nullptr, threads).arg(path).arg(batch),
                    (done + p.fraction) / paths.size());
            };
            try {
                results.push_back(maas::engine::benchmarkFile(path.toStdString(), plan, interrupt.token(), report));
            } catch (const maas::engine::Error& e) {
                if (paths.size() == 1 || e.kind() == maas::engine::ErrorKind::Cancelled)
                    throw;
                return fail(tr("%1: %2").arg(path, errorMessage(e))); // which of the models it was
            }
        }
    }
    if (parser.isSet(common.json)) {
        auto json = maas::engine::benchmarksToJson(results);
        printJson(maxMs > 0 ? withBest(std::move(json), results, maxMs) : json);
        return Success;
    }
    if (parser.isSet(f.csv)) {
        out() << QString::fromStdString(maas::engine::benchmarksToCsv(results)) << Qt::flush;
        return Success;
    }
    out() << QString::fromStdString(maas::engine::runtimeSummary()) << '\n';
    for (const auto& r : results) {
        printBenchmark(r, &r == &results.front() ? nullptr : &results.front());
        warnIfNoisy(r);
        if (maxMs > 0)
            printBest(r, maxMs);
    }
    out() << Qt::flush;
    return Success;
}

namespace {

void printLayers(const maas::engine::ModelProfile& p, int top)
{
    out() << Cli::tr("Layers, by their own time:") << '\n'
          << QStringLiteral("  %1 %2 %3 %4 %5 %6 %7 %8")
                 .arg(Cli::tr("module"), -28)
                 .arg(Cli::tr("type"), -16)
                 .arg(Cli::tr("self ms"), 9)
                 .arg(Cli::tr("total ms"), 9)
                 .arg(Cli::tr("share"), 7)
                 .arg(Cli::tr("FLOPs"), 9)
                 .arg(Cli::tr("GFLOP/s"), 8)
                 .arg(Cli::tr("of peak"), 8)
          << '\n';
    int shown = 0;
    for (const auto& l : maas::engine::leafLayers(p)) {
        if (top > 0 && shown++ >= top)
            break;
        const auto name = l.module.empty() ? Cli::tr("(the model itself)") : QString::fromStdString(l.module);
        out() << QStringLiteral("  %1 %2 %3 %4 %5 %6 %7 %8")
                     .arg(name, -28)
                     .arg(QString::fromStdString(l.type), -16)
                     .arg(ms(l.selfMs), 9)
                     .arg(ms(l.totalMs), 9)
                     .arg(percent(l.selfMs / p.profiledMeanMs), 7)
                     .arg(l.flops > 0 ? maas::app::formatCount(l.flops) : QStringLiteral("-"), 9)
                     .arg(l.flops > 0 ? QString::number(l.gflops, 'g', 3) : QStringLiteral("-"), 8)
                     .arg(l.flops > 0 ? percent(l.ofPeak) : QStringLiteral("-"), 8)
              << '\n';
    }
}

void printOperators(const maas::engine::ModelProfile& p, int top)
{
    out() << Cli::tr("Operators, by their own time:") << '\n'
          << QStringLiteral("  %1 %2 %3 %4 %5  %6")
                 .arg(Cli::tr("operator"), -32)
                 .arg(Cli::tr("calls"), 6)
                 .arg(Cli::tr("self ms"), 9)
                 .arg(Cli::tr("total ms"), 9)
                 .arg(Cli::tr("share"), 7)
                 .arg(Cli::tr("input shapes"))
          << '\n';
    int shown = 0;
    for (const auto& o : p.operators) {
        if (top > 0 && shown++ >= top)
            break;
        out() << QStringLiteral("  %1 %2 %3 %4 %5  %6")
                     .arg(QString::fromStdString(o.name), -32)
                     .arg(QString::number(o.calls, 'g', 4), 6)
                     .arg(ms(o.selfMs), 9)
                     .arg(ms(o.totalMs), 9)
                     .arg(percent(o.share), 7)
                     .arg(QString::fromStdString(o.inputShapes))
              << '\n';
    }
}

} // namespace

int Cli::profile(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Profiles the model's forward pass: each operator's time, each layer's time by module path (as the "
           "graph names them) with its GFLOP/s next to this machine's measured peak for that kind of work, a "
           "Chrome trace of one pass (opens in Perfetto) and folded stacks for flame graphs."));
    parser.addPositionalArgument(QStringLiteral("MODEL"), tr("A TorchScript model (.pt) with a card."));
    const QCommandLineOption runs(QStringLiteral("runs"), tr("Profiled passes (default 10)."), QStringLiteral("N"));
    const QCommandLineOption warmup(
        QStringLiteral("warmup"), tr("Unprofiled passes first (default 3)."), QStringLiteral("N"));
    const QCommandLineOption trace(QStringLiteral("trace"),
        tr("Write one pass as a Chrome trace (JSON; open it in ui.perfetto.dev) to FILE."), QStringLiteral("FILE"));
    const QCommandLineOption folded(QStringLiteral("folded"),
        tr("Write folded stacks (module paths, then operators) for flamegraph.pl or speedscope to FILE."),
        QStringLiteral("FILE"));
    const QCommandLineOption top(QStringLiteral("top"),
        tr("Show the N largest layers and operators (default 15; 0: all)."), QStringLiteral("N"));
    const QCommandLineOption recalibrate(
        QStringLiteral("recalibrate"), tr("Measure this machine's peak again instead of using the cached one."));
    const QCommandLineOption shapes = inputShapeOption(tr("Run on inputs of this shape instead of the card's."));
    parser.addOptions({ runs, warmup, trace, folded, top, recalibrate, shapes });
    const Common common;
    if (auto code = parse(parser, arguments, common, 1, 1))
        return *code;
    maas::engine::ProfileOptions options;
    options.runs = static_cast<int>(wholeNumber(parser, runs, 10, 1, 100000));
    options.warmup = static_cast<int>(wholeNumber(parser, warmup, 3, 0, 100000));
    const int rows = static_cast<int>(wholeNumber(parser, top, 15, 0, 1000000));
    const auto modelPath = parser.positionalArguments().first().toStdString();
    if (parser.isSet(trace)) // refused before any work: the model itself, a device, a missing folder
        maas::engine::checkOutput(parser.value(trace).toStdString(), { modelPath }, "trace");
    if (parser.isSet(folded))
        maas::engine::checkOutput(parser.value(folded).toStdString(),
            { modelPath, parser.isSet(trace) ? parser.value(trace).toStdString() : std::string() }, "folded");
    if (auto code = readInputShapes(parser, shapes, options.shapes))
        return *code;
    options.peakCache = maas::app::machinePeakCache().toStdString();
    InterruptScope interrupt;
    const auto model = loadModel(parser.positionalArguments().first());
    options.recalibrate = parser.isSet(recalibrate);
    maas::engine::ModelProfile p;
    {
        Activity activity(tr("profiling"));
        p = maas::engine::profileModel(model, options, interrupt.token());
    }
    if (parser.isSet(trace))
        maas::engine::writeTextFile(parser.value(trace).toStdString(), maas::engine::chromeTrace(p).dump());
    if (parser.isSet(folded))
        maas::engine::writeTextFile(parser.value(folded).toStdString(), maas::engine::foldedStacks(p));
    if (parser.isSet(common.json)) {
        auto json = maas::engine::toJson(p);
        json["model"] = parser.positionalArguments().first().toStdString();
        printJson(json);
        return Success;
    }
    QStringList inputs;
    for (const auto& s : p.inputs)
        inputs << shapeText(s.shape);
    out() << tr("%1: input %2, %3 threads, %4 profiled passes")
                 .arg(parser.positionalArguments().first(), inputs.join(QStringLiteral(", ")))
                 .arg(p.threads)
                 .arg(p.runs)
          << '\n'
          << tr("forward %1 ms; profiled %2 ms (%3 for the profiler); %4 GFLOP, %5 GFLOP/s")
                 .arg(ms(p.forwardMs), ms(p.profiledMs), percent(p.overhead))
                 .arg(p.flops / 1e9, 0, 'f', 3)
                 .arg(p.forwardMs > 0 ? p.flops / p.forwardMs / 1e6 : 0, 0, 'f', 1)
          << '\n'
          << tr("this machine's peak: %1 GFLOP/s for matrix products, %2 GFLOP/s for convolutions (%3)")
                 .arg(p.peak.matrixGflops, 0, 'f', 1)
                 .arg(p.peak.convolutionGflops, 0, 'f', 1)
                 .arg(p.peak.fromCache ? tr("cached") : tr("measured now"))
          << "\n\n";
    printLayers(p, rows);
    out() << '\n';
    printOperators(p, rows);
    out() << Qt::flush;
    return Success;
}

} // namespace maas::cli
