#include "maas/engine/runtime.h"

#include <ATen/Parallel.h>
#include <torch/csrc/jit/python/update_graph_executor_opt.h>
#include <torch/csrc/jit/runtime/graph_executor.h>
#include <torch/version.h>

#include <dlfcn.h>
#include <malloc.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "torch_bridge.h"

// LibTorch's switch (struct _NoPThreadPoolGuard in caffe2/utils/threadpool/thread_pool_guard.h, a header
// Debian does not install; its two static functions are exported): while set
// on a thread, XNNPACK and QNNPACK kernels called from it run there instead of in their thread pool.
namespace caffe2 {
class _NoPThreadPoolGuard {
public:
    static bool is_enabled();
    static void set_enabled(bool enabled);
};
} // namespace caffe2

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

// The policy is one value per process; what depends on the model is only which pool gets the budget,
// and the pools are process-wide (OpenBLAS's count is global; LibTorch's OpenMP count is global for new
// threads). Re-splitting them inside every predict, as the engine once did, changes the pools under a
// prediction already running on another thread as soon as two models of different workloads run at once
// (the server's case, and the workbench's jobs). So every engine call that runs LibTorch work holds a
// ThreadLease, and the pools are re-split for its workload only when no other lease is held: a single
// model, and one model after another, get exactly the measured best split above; while calls overlap,
// the split in force stays until they are all done. It never waits, so a long training run cannot stall a
// prediction: the prediction runs, correctly, on the split the training chose. Its only cost is that
// overlapping calls of different workloads may run on the other workload's split (at worst the 2x above,
// with the cores shared between calls anyway).

namespace {

// OpenBLAS is reached through Debian's libblas.so.3 alternative, so its controls are looked up at run
// time: linking it directly would tie the engine to one BLAS build.
using SetThreads = void (*)(int);
using GetConfig = char* (*)();
template <typename F> F blasSymbol(const char* name) { return reinterpret_cast<F>(::dlsym(RTLD_DEFAULT, name)); }

std::mutex g_mutex; // guards everything below
bool g_configured = false;
ThreadPolicy g_policy;
ThreadSplit g_applied; // what the pools have now
bool g_blasApplied = false; // false until the engine has set OpenBLAS's count once
Workload g_workload = Workload::Convolution; // of the last call that re-split the pools
int g_leases = 0; // engine calls running LibTorch work now

// With g_mutex held and no lease held, so no LibTorch work of the engine is running.
void applySplit(const ThreadSplit& split)
{
    // OpenMP's thread count is per calling thread (new threads start from the global count this also
    // sets), so it is checked on the thread that is about to run.
    if (at::get_num_threads() != split.intraOp)
        at::set_num_threads(split.intraOp);
    if (!g_blasApplied || g_applied.blas != split.blas)
        if (auto set = blasSymbol<SetThreads>("openblas_set_num_threads"))
            set(split.blas);
    g_blasApplied = true;
    g_applied = split;
}

ThreadSettings settingsLocked() { return { g_policy.budget, g_applied.intraOp, g_applied.blas, g_policy.source }; }

ThreadSettings setPolicyLocked(const ThreadPolicy& policy)
{
    g_policy = policy;
    g_policy.budget = std::max(1, g_policy.budget);
    g_configured = true;
    if (g_leases == 0)
        applySplit(g_policy.splitFor(g_workload));
    return settingsLocked();
}

} // namespace

int hardwareThreads() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

namespace {

// MAAS_THREADS as a budget: 0 when it is unset or not a whole number from 1 to kMaxThreads.
int threadsFromEnvironment()
{
    const char* env = std::getenv("MAAS_THREADS");
    if (!env || !*env) // set to nothing is not set
        return 0;
    char* end = nullptr;
    errno = 0;
    const long n = std::strtol(env, &end, 10);
    return end != env && *end == '\0' && errno == 0 && n >= 1 && n <= kMaxThreads ? static_cast<int>(n) : 0;
}

} // namespace

std::string threadsEnvironmentProblem()
{
    const char* env = std::getenv("MAAS_THREADS");
    if (!env || !*env || threadsFromEnvironment() > 0)
        return {};
    return "MAAS_THREADS is '" + std::string(env) + "', not a whole number from 1 to " + std::to_string(kMaxThreads)
        + "; set it to a thread count or unset it.";
}

ThreadPolicy ThreadPolicy::withBudget(int budget)
{
    ThreadPolicy p;
    if (budget > 0) {
        p.budget = std::min(budget, kMaxThreads);
        p.source = "user";
    } else if (const int env = threadsFromEnvironment(); env > 0) {
        p.budget = env;
        p.source = "MAAS_THREADS";
    } else {
        p.budget = hardwareThreads();
        p.source = "default";
    }
    return p;
}

ThreadPolicy ThreadPolicy::pinnedTo(int intraOp, int blas)
{
    ThreadPolicy p;
    p.exact = true;
    p.pinned = { std::max(1, intraOp), std::max(1, blas) };
    p.budget = p.pinned.intraOp * p.pinned.blas;
    p.source = "exact";
    return p;
}

ThreadSplit ThreadPolicy::splitFor(Workload workload) const
{
    if (exact)
        return pinned;
    const int n = std::max(1, budget);
    return workload == Workload::Convolution ? ThreadSplit { n, 1 } : ThreadSplit { 1, n };
}

ThreadSettings setThreadPolicy(const ThreadPolicy& policy)
{
    std::lock_guard lock(g_mutex);
    return setPolicyLocked(policy);
}

ThreadPolicy threadPolicy()
{
    ensureThreadsConfigured();
    std::lock_guard lock(g_mutex);
    return g_policy;
}

ThreadSettings configureThreads(int budget) { return setThreadPolicy(ThreadPolicy::withBudget(budget)); }

ThreadSettings configureThreads(int intraOp, int blas)
{
    return setThreadPolicy(ThreadPolicy::pinnedTo(intraOp, blas));
}

ThreadLease::ThreadLease(Workload workload)
{
    ensureThreadsConfigured();
    std::lock_guard lock(g_mutex);
    if (g_leases == 0) {
        g_workload = workload;
        const auto split = g_policy.splitFor(workload);
        if (split != g_applied || at::get_num_threads() != split.intraOp)
            applySplit(split);
    }
    ++g_leases;
}

ThreadLease::~ThreadLease()
{
    std::lock_guard lock(g_mutex);
    --g_leases;
}

ThreadSettings currentThreads()
{
    ensureThreadsConfigured();
    std::lock_guard lock(g_mutex);
    return settingsLocked();
}

namespace {

class SilentWarnings : public c10::WarningHandler {
public:
    void process(const c10::SourceLocation&, const std::string&, const bool) override { }
};

} // namespace

namespace {

// A forward pass allocates and frees its activations on every call. glibc hands blocks above its mmap
// threshold straight back to the kernel and trims the heap's top above its trim threshold; both start low
// and grow only as freed blocks teach them, which in some processes they never do: `maas bench` took 367,000
// page faults for 100 mobilenet_v2 calls (1.5 s in the kernel, p50 27-31 ms) where a bare loop took 39,000
// (21 ms). Fixed thresholds above one pass's buffers keep them in the heap between calls: 31,000 faults and
// the bare loop's p50. Memory freed stays with the process up to the trim threshold.
void keepActivationMemory()
{
    mallopt(M_MMAP_THRESHOLD, 32 << 20); // glibc's largest (its dynamic threshold stops there too)
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
}

} // namespace

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
    // LibTorch's warnings speak to PyTorch's developers in its source's terms ("qlinear_dynamic.cpp:239]
    // Warning: ..."); the engine says what matters to users in its own sentences, so they are dropped.
    // The handler, like the optimization switch, belongs to each thread.
    static std::once_flag once;
    std::call_once(once, [] {
        torch::jit::getProfilingMode() = false;
        keepActivationMemory();
    });
    thread_local const bool optimizationOff = [] {
        torch::jit::setGraphExecutorOptimize(false);
        // XNNPACK and QNNPACK run in the calling thread instead of their own pthreadpool, whose threads
        // sleep between calls and contend with OpenMP's: a mobile-target CNN took 8 ms a call through the
        // pool and 0.05 ms without it (one thread does that work; the OpenMP pool still splits the rest).
        caffe2::_NoPThreadPoolGuard::set_enabled(true);
        static auto* silent = new SilentWarnings; // never destroyed: LibTorch may warn while the process ends
        c10::Warning::set_warning_handler(silent);
        return true;
    }();
    (void)optimizationOff;
    std::lock_guard lock(g_mutex);
    if (!g_configured)
        setPolicyLocked(ThreadPolicy::withBudget(0));
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
