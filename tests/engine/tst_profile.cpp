// Benchmark sweeps and profiles against real PyTorch models made by tests/fixtures/make_fixtures.py. The
// numbers asserted are structure (what was measured, how it adds up), never speed: timing belongs in
// scripts/bench-profile.sh.
#include <QtTest>

#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "bench_detail.h"
#include "engine_test_util.h"
#include "maas/engine/benchmark.h"
#include "maas/engine/error.h"
#include "maas/engine/graph.h"
#include "maas/engine/model.h"
#include "maas/engine/profile.h"
#include "maas/engine/runtime.h"

using namespace maas::engine;
using namespace testutil;

namespace {

// The field of the Error that `call` throws ("" when it throws none, or another kind).
std::string fieldOf(const std::function<void()>& call)
{
    try {
        call();
    } catch (const Error& e) {
        return e.kind() == ErrorKind::InvalidInput ? e.field() : "(kind " + std::to_string(int(e.kind())) + ")";
    }
    return "(no error)";
}

std::vector<std::string> csvCells(const std::string& line)
{
    std::vector<std::string> cells;
    std::stringstream in(line);
    for (std::string cell; std::getline(in, cell, ',');)
        cells.push_back(cell);
    if (!line.empty() && line.back() == ',')
        cells.emplace_back();
    return cells;
}

} // namespace

class TestProfile : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void summaryStatisticsAreThoseOfTheCalls()
    {
        const auto l = summarizeLatency({ 4, 1, 3, 2, 10 }, 2, 1, 3);
        QCOMPARE(l.min, 1.0);
        QCOMPARE(l.max, 10.0);
        QCOMPARE(l.p50, 3.0);
        QCOMPARE(l.mean, 4.0);
        QVERIFY(std::abs(l.stddev - std::sqrt(10.0)) < 1e-12); // (0+9+1+4+36)/5
        QVERIFY(std::abs(l.cv - std::sqrt(10.0) / 4) < 1e-12);
        QCOMPARE(l.samplesPerSecond, 500.0);
        QCOMPARE(l.histogram.size(), std::size_t(3));
        QCOMPARE(l.histogram[0].count, 3); // 1, 2, 3 in [1, 4)
        QCOMPARE(l.histogram[1].count, 1); // 4 in [4, 7)
        QCOMPARE(l.histogram[2].count, 1); // 10 in the last bar, which keeps its upper end
        // One stall far beyond p99 goes to a tail bar of its own; the rest spread over the others.
        std::vector<double> calls(200, 1.0);
        for (std::size_t i = 0; i < calls.size(); ++i)
            calls[i] += static_cast<double>(i % 10) / 10.0;
        calls.push_back(50.0);
        const auto stalled = summarizeLatency(calls, 1, 1, 10);
        QCOMPARE(stalled.histogram.size(), std::size_t(10));
        QCOMPARE(stalled.histogram.back().count, 1);
        QCOMPARE(stalled.histogram.back().toMs, 50.0);
        QVERIFY(stalled.histogram[0].count < 100); // not everything in the first bar
        QCOMPARE(l.milliseconds.front(), 4.0); // the calls stay in the order they were made
    }

    void sweepCoversEveryConfigurationAndRestoresThePolicy()
    {
        const auto before = threadPolicy();
        BenchmarkPlan plan;
        plan.batches = { 1, 4 };
        plan.threads = { 1, 2 };
        plan.budget = { 6, 0, 1 };
        int reports = 0;
        double last = 0;
        const auto r = benchmarkFile(fixture("cnn.pt"), plan, nullptr, [&](const Progress& p) {
            ++reports;
            QVERIFY(p.fraction >= last);
            last = p.fraction;
        });
        QCOMPARE(r.points.size(), std::size_t(4));
        const std::vector<std::pair<int, int>> order { { 1, 1 }, { 1, 2 }, { 4, 1 }, { 4, 2 } };
        for (std::size_t i = 0; i < order.size(); ++i) {
            const auto& p = r.points[i];
            QCOMPARE(std::make_pair(p.batch, p.threads), order[i]);
            QCOMPARE(p.latency.milliseconds.size(), std::size_t(6));
            QVERIFY(p.latency.min <= p.latency.p50 && p.latency.p50 <= p.latency.p99 && p.latency.p99 <= p.latency.max);
            QVERIFY(p.intraOp + p.blas >= p.threads); // the budget went to one pool or the other
            int counted = 0;
            for (const auto& bin : p.latency.histogram)
                counted += bin.count;
            QCOMPARE(counted, 6);
        }
        QVERIFY(r.loadMs > 0 && r.coldMs > 0);
        QVERIFY(r.peakResidentBytes >= r.residentBeforeBytes && r.residentBeforeBytes > 0);
        QVERIFY(reports >= 24);
        QVERIFY(last > 0.99);
        QCOMPARE(threadPolicy().budget, before.budget);
        QCOMPARE(threadPolicy().source, before.source);
    }

    void aTimeBudgetTimesUntilItIsSpent()
    {
        BenchmarkPlan plan;
        plan.budget = { 0, 0.2, 0 };
        const auto r = benchmarkFile(fixture("mlp.pt"), plan);
        double sum = 0;
        for (const auto ms : r.points.front().latency.milliseconds)
            sum += ms;
        QVERIFY(r.points.front().latency.milliseconds.size() > 1);
        QVERIFY2(sum < 200.0 + 100.0, "the loop stops once the budget is spent");
    }

    void jsonAndCsvAgreeAndCompareWithTheFirst()
    {
        BenchmarkPlan plan;
        plan.batches = { 1, 2 };
        plan.budget = { 5, 0, 1 };
        const std::vector<ModelBenchmark> results { benchmarkFile(fixture("mlp.pt"), plan),
            benchmarkFile(fixture("cnn.pt"), plan) };
        const auto json = nlohmann::json::parse(benchmarksToJson(results).dump());
        QCOMPARE(json["models"].size(), std::size_t(2));
        QVERIFY(!json["models"][0]["configurations"][0].contains("vs_first"));
        const auto& second = json["models"][1]["configurations"][1];
        QCOMPARE(second["vs_first"]["p50"].get<double>(),
            results[1].points[1].latency.p50 / results[0].points[1].latency.p50);
        std::istringstream csv(benchmarksToCsv(results));
        std::string line;
        std::getline(csv, line);
        const auto header = csvCells(line);
        const auto column = [&](const std::string& name) {
            return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
        };
        int rows = 0;
        while (std::getline(csv, line)) {
            const auto cells = csvCells(line);
            QCOMPARE(cells.size(), header.size());
            const auto& point = json["models"][rows / 2]["configurations"][rows % 2];
            QCOMPARE(std::stoi(cells[column("batch")]), point["batch"].get<int>());
            const double p50 = std::stod(cells[column("p50_ms")]);
            QVERIFY(std::abs(p50 - point["p50_ms"].get<double>()) <= 1e-5 * std::max(1.0, p50));
            QCOMPARE(cells[column("p50_vs_first")].empty(), rows < 2);
            ++rows;
        }
        QCOMPARE(rows, 4);
    }

    void theSweetSpotIsTheMostThroughputWithinTheBudget()
    {
        ModelBenchmark r;
        const auto point = [](int batch, double p99, double rate) {
            BenchmarkPoint p;
            p.batch = batch;
            p.latency.p99 = p99;
            p.latency.samplesPerSecond = rate;
            return p;
        };
        r.points = { point(1, 5, 200), point(8, 18, 440), point(32, 60, 530) };
        QCOMPARE(bestWithin(r, 20).value(), std::size_t(1));
        QCOMPARE(bestWithin(r, 100).value(), std::size_t(2));
        QVERIFY(!bestWithin(r, 4).has_value());
    }

    void badPlansAreRefusedNamingTheOption()
    {
        const auto model = Model::load(fixture("mlp.pt"));
        const auto with = [&](auto change) {
            BenchmarkPlan plan;
            plan.budget = { 2, 0, 0 };
            change(plan);
            return fieldOf([&] { benchmarkModel(model, plan); });
        };
        QCOMPARE(with([](BenchmarkPlan& p) { p.batches = { 0 }; }), std::string("batch"));
        QCOMPARE(with([](BenchmarkPlan& p) { p.batches = {}; }), std::string("batch"));
        QCOMPARE(with([](BenchmarkPlan& p) { p.threads = { -1 }; }), std::string("threads"));
        QCOMPARE(with([](BenchmarkPlan& p) { p.budget = { 0, 0, 0 }; }), std::string("iterations"));
        QCOMPARE(with([](BenchmarkPlan& p) {
            p.shapes = { InputShape { { 1, 3, 9, 9 }, {} } };
        }),
            std::string("input_shape"));
        ProfileOptions options;
        options.runs = 0;
        QCOMPARE(fieldOf([&] { profileModel(model, options); }), std::string("runs"));
        options.runs = 1;
        options.shapes = { InputShape { { 2, 7 }, {} } };
        QCOMPARE(fieldOf([&] { profileModel(model, options); }), std::string("input_shape"));
    }

    void resnetProfileNamesEveryConvolutionAndAddsUp()
    {
        const auto model = Model::load(fixture("resnet18.pt"));
        ProfileOptions options;
        options.runs = 3;
        options.warmup = 1;
        const auto profile = profileModel(model, options);

        std::set<std::string> convolutions; // module paths of the graph view's convolutions
        for (const auto& node : modelGraph(model).nodes)
            if (node.op == "aten::conv2d" || node.op == "aten::_convolution")
                convolutions.insert(node.module);
        QCOMPARE(convolutions.size(), std::size_t(20));
        std::set<std::string> timed;
        double selfSum = 0;
        for (const auto& l : profile.layers) {
            selfSum += l.selfMs;
            if (convolutions.count(l.module) && l.selfMs > 0 && l.flops > 0) {
                timed.insert(l.module);
                QCOMPARE(l.type, std::string("Conv2d"));
                QVERIFY(l.peakGflops > 0 && l.ofPeak > 0);
            }
        }
        for (const auto& m : convolutions)
            QVERIFY2(timed.count(m), m.c_str());
        // Operators the model calls account for its time, short of the interpreter's own steps between them.
        QVERIFY2(selfSum <= profile.profiledMeanMs * 1.05 && selfSum >= profile.profiledMeanMs * 0.6,
            qPrintable(QStringLiteral("layers %1 ms, pass %2 ms").arg(selfSum).arg(profile.profiledMeanMs)));
        const auto root = std::find_if(
            profile.layers.begin(), profile.layers.end(), [](const auto& l) { return l.module.empty(); });
        QVERIFY(root != profile.layers.end() && std::abs(root->totalMs - selfSum) < 1e-6 * std::max(1.0, selfSum));

        // FLOPs are the inspector's, layer by layer summed to the whole.
        const auto report = model.inspect(std::vector<InputShape> { InputShape { { 1, 3, 224, 224 }, {} } });
        QCOMPARE(profile.flops, report.compute->flops);

        QVERIFY(!profile.operators.empty());
        QVERIFY(profile.operators.front().selfMs >= profile.operators.back().selfMs);
        QVERIFY(!profile.timeline.empty());
        for (std::size_t i = 1; i < profile.timeline.size(); ++i)
            QVERIFY(profile.timeline[i - 1].startUs <= profile.timeline[i].startUs);
    }

    void traceAndFoldedStacksDescribeTheSamePass()
    {
        const auto model = Model::load(fixture("cnn.pt"));
        ProfileOptions options;
        options.runs = 2;
        const auto profile = profileModel(model, options);
        const auto trace = nlohmann::json::parse(chromeTrace(profile).dump());
        std::size_t operators = 0;
        for (const auto& e : trace["traceEvents"])
            if (e.value("cat", "") == "operator") {
                ++operators;
                QCOMPARE(e["ph"].get<std::string>(), std::string("X"));
                QVERIFY(e["dur"].get<double>() >= 0);
            }
        QCOMPARE(operators, profile.timeline.size());
        std::istringstream folded(foldedStacks(profile));
        double microseconds = 0;
        int lines = 0;
        for (std::string line; std::getline(folded, line); ++lines) {
            QVERIFY(line.rfind("model;", 0) == 0);
            microseconds += std::stod(line.substr(line.rfind(' ') + 1));
        }
        QVERIFY(lines > 3);
        double topLevel = 0; // self times add up to the top-level operators' times
        for (const auto& e : profile.timeline)
            if (e.depth == 0)
                topLevel += e.durationUs;
        QVERIFY2(std::abs(microseconds - topLevel) <= lines + 0.01 * topLevel,
            qPrintable(QStringLiteral("%1 vs %2").arg(microseconds).arg(topLevel)));
    }

    void thePeakIsCachedPerMachineAndThreads()
    {
        QTemporaryDir dir;
        const auto cache = dir.filePath(QStringLiteral("sub/peak.json")).toStdString();
        const auto measured = machinePeak(cache);
        QVERIFY(!measured.fromCache && measured.matrixGflops > 0 && measured.convolutionGflops > 0);
        const auto cached = machinePeak(cache);
        QVERIFY(cached.fromCache);
        QCOMPARE(cached.matrixGflops, measured.matrixGflops);
        QVERIFY(!machinePeak(cache, true).fromCache);
        std::ofstream(cache) << "{ not json";
        QVERIFY(!machinePeak(cache).fromCache); // a broken cache is measured again, not an error

        const std::string good = R"({"machine": "m", "threads": 2, "matrix_gflops": 10, "convolution_gflops": 5})";
        QCOMPARE(readPeakCache(good, "m", 2).value().convolutionGflops, 5.0);
        QVERIFY(!readPeakCache(good, "another machine", 2));
        QVERIFY(!readPeakCache(good, "m", 1)); // measured with other threads
        QVERIFY(
            !readPeakCache(R"({"machine": "m", "threads": 2, "matrix_gflops": -1, "convolution_gflops": 5})", "m", 2));
        QVERIFY(
            !readPeakCache(R"({"machine": "m", "threads": "2", "matrix_gflops": 1, "convolution_gflops": 5})", "m", 2));
        QVERIFY(!readPeakCache("[1, 2]", "m", 2));
    }
};

QTEST_GUILESS_MAIN(TestProfile)
#include "tst_profile.moc"
