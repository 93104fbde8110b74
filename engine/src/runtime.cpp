#include "maas/engine/runtime.h"

#include <ATen/Parallel.h>
#include <torch/csrc/jit/runtime/graph_executor.h>
#include <torch/csrc/jit/python/update_graph_executor_opt.h>
#include <torch/version.h>

#include <dlfcn.h>

#include <cstdlib>
#include <mutex>
#include <thread>

#include "torch_bridge.h"

namespace maas::engine {

// Why the budget goes to one pool at a time. Debian's LibTorch runs convolutions in oneDNN on its
// OpenMP pool, and matrix products (linear layers, RNN cells) in OpenBLAS, which has a pthread pool of
// its own. When both pools have one thread per core, OpenMP's threads spin after each parallel region
// while OpenBLAS's threads want the same cores: a 16x1024 -> 4096 -> 4096 -> 1024 MLP then runs at
// the speed of one core. Measured on 2 cores (scripts/bench.sh, median ms, intra-op x BLAS threads):
//   resnet18 b=1:  1x1 40.4   1x2 40.4   2x1 21.6   2x2 22.7
//   MLP 16x1024:   1x1 43.0   1x2 22.0   2x1 43.0   2x2 40.8
// So a convolutional model gets the budget on OpenMP (BLAS 1), and a model of matrix products gets it on
// OpenBLAS (OpenMP 1): each within 2% of the best setting, where any fixed split loses 2x on one of them.

namespace {

// OpenBLAS is reached through Debian's libblas.so.3 alternative, so its controls are looked up at run
// time: linking it directly would tie the engine to one BLAS build.
using SetThreads = void (*)(int);
using GetConfig = char* (*)();
template <typename F> F blasSymbol(const char* name) { return reinterpret_cast<F>(::dlsym(RTLD_DEFAULT, name)); }

std::mutex g_mutex;
bool g_configured = false;
ThreadSettings g_settings;
Workload g_workload = Workload::Convolution;

void applyPools(int intraOp, int blas)
{
    if (at::get_num_threads() != intraOp)
        at::set_num_threads(intraOp);
    if (g_settings.blas != blas)
        if (auto set = blasSymbol<SetThreads>("openblas_set_num_threads"))
            set(blas);
    g_settings.intraOp = intraOp;
    g_settings.blas = blas;
}

void applyBudget() // with g_mutex held
{
    const int budget = g_settings.budget;
    if (g_workload == Workload::Convolution)
        applyPools(budget, 1);
    else
        applyPools(1, budget);
}

ThreadSettings setBudget(int budget, const std::string& source)
{
    g_settings.budget = std::max(1, budget);
    g_settings.source = source;
    g_configured = true;
    applyBudget();
    return g_settings;
}

} // namespace

int hardwareThreads() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

ThreadSettings configureThreads(int budget)
{
    std::lock_guard lock(g_mutex);
    if (budget > 0)
        return setBudget(budget, "user");
    if (const char* env = std::getenv("MAAS_THREADS"))
        if (const int n = std::atoi(env); n > 0)
            return setBudget(n, "MAAS_THREADS");
    return setBudget(hardwareThreads(), "default");
}

ThreadSettings configureThreads(int intraOp, int blas)
{
    std::lock_guard lock(g_mutex);
    g_settings.budget = std::max(1, intraOp) * std::max(1, blas);
    g_settings.source = "exact";
    g_configured = true;
    g_settings.blas = 0; // force the BLAS call
    applyPools(std::max(1, intraOp), std::max(1, blas));
    return g_settings;
}

ThreadSettings useThreadsFor(Workload workload)
{
    ensureThreadsConfigured();
    std::lock_guard lock(g_mutex);
    if (g_settings.source != "exact" && workload != g_workload) {
        g_workload = workload;
        applyBudget();
    }
    return g_settings;
}

ThreadSettings currentThreads()
{
    ensureThreadsConfigured();
    std::lock_guard lock(g_mutex);
    return g_settings;
}

void ensureThreadsConfigured()
{
    // The engine's one-time LibTorch setup. TorchScript runs on the legacy graph executor without graph
    // optimization, so autograd records operators as eager PyTorch does. The profiling executor of
    // LibTorch 1.13 fails the second training step of a scripted module ("Inference tensors cannot be
    // saved for backward"); the optimizing executor's symbolic differentiation trained the Fashion-MNIST
    // CNN about 15% slower (median of interleaved runs, scripts/bench-train.sh); and neither is faster
    // for inference on CPU here (scripts/bench.sh).
    // The profiling switch is global, but the optimization switch is per thread: every thread that runs
    // the engine (the workbench's job threads included) turns it off on first use.
    static std::once_flag once;
    std::call_once(once, [] { torch::jit::getProfilingMode() = false; });
    thread_local const bool optimizationOff = [] {
        torch::jit::setGraphExecutorOptimize(false);
        return true;
    }();
    (void)optimizationOff;
    {
        std::lock_guard lock(g_mutex);
        if (g_configured)
            return;
    }
    configureThreads(0);
}

std::string libtorchVersion() { return TORCH_VERSION; }

std::string blasLibrary()
{
    if (auto config = blasSymbol<GetConfig>("openblas_get_config"))
        return config();
    return "reference BLAS (slow: install libopenblas0)";
}

std::string runtimeSummary()
{
    const auto t = currentThreads();
    return "LibTorch " + libtorchVersion() + " · " + blasLibrary() + " · threads " + std::to_string(t.budget) + " ("
        + t.source + "): " + std::to_string(t.intraOp) + " OpenMP, " + std::to_string(t.blas) + " BLAS";
}

} // namespace maas::engine
