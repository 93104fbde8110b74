// Measures the engine's inference path against a bare LibTorch forward loop on the same model, and
// sweeps LibTorch/OpenBLAS thread settings. Prints one JSON object; scripts/bench.sh runs it beside
// Python PyTorch and prints the ratios.
//
//   maas-bench-predict MODEL SHAPE ITERATIONS [--sweep]      e.g. resnet18.pt 1,3,224,224 50

#include <algorithm>
#include <chrono>
#include <iostream>
#include <sstream>

#include "maas/engine/model.h"
#include "maas/engine/runtime.h"
#include "torch_bridge.h"

using namespace maas::engine;
using Clock = std::chrono::steady_clock;

namespace {

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
}

double seconds(Clock::time_point from) { return std::chrono::duration<double>(Clock::now() - from).count(); }

struct Pair {
    double bare = 0.0, engine = 0.0;
};

// Alternates the two paths call by call, so drifting machine load hits both alike.
Pair measure(const Model& model, torch::jit::Module& bare, const at::Tensor& x, int iterations)
{
    const Tensor plain = fromTorch(x);
    std::vector<double> bareTimes, engineTimes;
    for (int i = 0; i < iterations + 3; ++i) {
        auto t0 = Clock::now();
        {
            c10::InferenceMode guard;
            bare.forward({ x });
        }
        const double b = seconds(t0);
        t0 = Clock::now();
        model.predict({ plain });
        const double e = seconds(t0);
        if (i >= 3) { // warm-up runs let the allocator and oneDNN settle
            bareTimes.push_back(b);
            engineTimes.push_back(e);
        }
    }
    return { median(bareTimes), median(engineTimes) };
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 4) {
        std::cerr << "usage: maas-bench-predict MODEL SHAPE ITERATIONS [--sweep]\n";
        return 2;
    }
    const std::string path = argv[1];
    std::vector<int64_t> shape;
    std::stringstream dims(argv[2]);
    for (std::string d; std::getline(dims, d, ',');)
        shape.push_back(std::stoll(d));
    const int iterations = std::stoi(argv[3]);
    const bool sweep = argc > 4 && std::string(argv[4]) == "--sweep";

    try {
        const auto defaults = configureThreads(0);
        const Model model = Model::load(path);
        torch::jit::Module bare = torch::jit::load(path);
        bare.eval();
        torch::manual_seed(0);
        const at::Tensor x = torch::randn(shape);

        nlohmann::json out;
        out["model"] = path;
        out["shape"] = shape;
        out["iterations"] = iterations;
        out["runtime"] = runtimeSummary();
        const Pair p = measure(model, bare, x, iterations);
        const auto chosen = currentThreads(); // after load: the pools this model's workload gets
        out["default_threads"]
            = { { "budget", defaults.budget }, { "intra_op", chosen.intraOp }, { "blas", chosen.blas } };
        out["bare_ms"] = p.bare * 1e3;
        out["engine_ms"] = p.engine * 1e3;
        out["engine_over_bare"] = p.engine / p.bare;
        if (sweep) {
            const int cores = hardwareThreads();
            double best = 1e9;
            nlohmann::json rows = nlohmann::json::array();
            for (int intra = 1; intra <= cores; ++intra) // exact settings from here on
                for (int blas = 1; blas <= cores; ++blas) {
                    configureThreads(intra, blas);
                    const double ms = measure(model, bare, x, iterations).bare * 1e3;
                    best = std::min(best, ms);
                    rows.push_back({ { "intra_op", intra }, { "blas", blas }, { "bare_ms", ms } });
                }
            out["sweep"] = rows;
            out["best_ms"] = best;
            out["default_over_best"] = p.bare * 1e3 / best;
        }
        std::cout << out.dump(1) << std::endl;
    } catch (const std::exception& e) {
        std::cerr << "maas-bench-predict: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
