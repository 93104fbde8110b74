// The Benchmark and Profile pages' charts with 10,000 points each (target: redrawn in under 16 ms):
// new data given to the chart, then the whole chart painted into an image, median of 15 runs.
// scripts/bench-profile.sh runs it. Usage: maas-bench-charts [POINTS]
#include <QApplication>
#include <QChartView>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTextStream>
#include <QXYSeries>

#include <algorithm>
#include <functional>
#include <vector>

#include "maas/app/benchmark.h"
#include "maas/app/controller.h"
#include "maas/app/jobs.h"
#include "maas/app/library.h"
#include "maas/widgets/benchmarkpage.h"
#include "maas/widgets/profileviews.h"

namespace {

double medianMs(const std::function<void()>& redraw)
{
    std::vector<double> times;
    for (int i = 0; i < 16; ++i) {
        QElapsedTimer timer;
        timer.start();
        redraw();
        if (i > 0) // the first run builds caches
            times.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

// A run of one model with `points` batch sizes and a histogram of points/4 bars (4 step points each).
std::shared_ptr<maas::app::BenchmarkRun> syntheticRun(int points)
{
    auto run = std::make_shared<maas::app::BenchmarkRun>();
    run->request.names = { QStringLiteral("model") };
    run->request.modelIds = { 1 };
    maas::engine::ModelBenchmark model;
    for (int b = 1; b <= points; ++b) {
        maas::engine::BenchmarkPoint p;
        p.batch = b;
        p.threads = 2;
        std::vector<double> calls;
        if (b == 1)
            for (int i = 0; i < points; ++i)
                calls.push_back(1.0 + (i % 97) / 50.0);
        else
            calls = { 1.0 + b / 1000.0 };
        p.latency = maas::engine::summarizeLatency(calls, b, 2, b == 1 ? points / 4 : 2);
        model.points.push_back(std::move(p));
    }
    run->results.push_back(std::move(model));
    return run;
}

// The Profile page's painted views: per-layer bars (what a scroll area shows of them), timeline, flame graph.
void measureProfileViews(int points, const std::function<void(const char*, double)>& report)
{
    std::vector<maas::engine::LayerProfile> layers;
    std::vector<maas::engine::TraceEvent> events;
    for (int i = 0; i < points; ++i) {
        maas::engine::LayerProfile l;
        l.module
            = (i == 0 ? std::string() : "block" + std::to_string(i / 100) + (i % 100 ? "." + std::to_string(i) : ""));
        l.type = "Conv2d";
        l.selfMs = 0.01 + (i % 13) * 0.001;
        l.totalMs = l.selfMs * 2;
        l.flops = 1000000;
        l.ofPeak = (i % 10) / 10.0;
        layers.push_back(l);
        events.push_back({ "aten::conv2d", l.module, i * 10.0, 8.0, i % 4, "[1, 64, 56, 56]" });
    }
    layers.front().totalMs = points * 0.02;
    maas::widgets::LayerBars bars;
    bars.resize(900, 600);
    report("per-layer bars", medianMs([&] {
        bars.setLayers(layers, points * 0.02);
        (void)bars.grab(QRect(0, 0, 900, 600)); // what a scroll area shows of it
    }));
    maas::widgets::TimelineView timeline;
    timeline.resize(900, 200);
    report("timeline", medianMs([&] {
        timeline.setTimeline(events, points * 0.01);
        (void)timeline.grab();
    }));
    maas::widgets::FlameView flame;
    flame.resize(900, 200);
    report("flame graph", medianMs([&] {
        flame.setLayers(layers);
        (void)flame.grab();
    }));
}

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    const int points = argc > 1 ? std::max(100, QString::fromLocal8Bit(argv[1]).toInt()) : 10000;
    QTextStream out(stdout);
    out << "chart (" << points << " points)        median redraw\n";
    const auto report = [&](const char* name, double ms) {
        out << QStringLiteral("%1 %2 ms %3\n")
                   .arg(QLatin1String(name), -28)
                   .arg(ms, 8, 'f', 2)
                   .arg(ms < 16 ? "" : "(over 16 ms)");
    };

    // The Benchmark page laid out at a usual window's size, filled once; then each chart's lines are given
    // 10,000 new points the way the page gives them (one replace per series) and the chart is painted.
    QTemporaryDir folder;
    const auto library = maas::app::Library::open(folder.path());
    maas::app::JobManager jobs;
    maas::app::WorkbenchController controller(library.get(), &jobs);
    maas::widgets::BenchmarkPage page(&controller);
    page.resize(1100, 800);
    QElapsedTimer shown;
    shown.start();
    page.showRun(syntheticRun(points));
    out << QStringLiteral("%1 %2 ms (once: table, choices, every chart)\n")
               .arg(QStringLiteral("Benchmark page filled"), -28)
               .arg(static_cast<double>(shown.nsecsElapsed()) / 1e6, 8, 'f', 2);
    page.show();
    app.processEvents();
    for (auto [name, view] : { std::pair { "latency histogram", page.histogramChart() },
             std::pair { "throughput by batch size", page.throughputChart() },
             std::pair { "latency by threads", page.threadsChart() } }) {
        view->resize(800, 500);
        auto* series = qobject_cast<QXYSeries*>(view->chart()->series().value(0));
        int round = 0;
        report(name, medianMs([&, view = view] {
            QList<QPointF> fresh;
            fresh.reserve(points);
            ++round;
            for (int i = 0; i < points; ++i)
                fresh.append(QPointF(i, 1.0 + ((i + round) % 97) / 50.0));
            series->replace(fresh);
            (void)view->grab();
        }));
    }

    measureProfileViews(points, report);
    return 0;
}
