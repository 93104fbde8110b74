#include "maas/engine/runtime.h"

#include <ATen/Parallel.h>
#include <torch/version.h>

#include <dlfcn.h>

#include <cstdlib>
#include <mutex>
#include <thread>

#include "torch_bridge.h"

namespace maas::engine {

namespace {

// OpenBLAS is reached through Debian's libblas.so.3 alternative, so its controls are looked up at run
// time: linking it directly would tie the engine to one BLAS build.
using SetThreads = void (*)(int);
using GetThreads = int (*)();
using GetConfig = char* (*)();

template <typename F> F blasSymbol(const char* name) { return reinterpret_cast<F>(::dlsym(RTLD_DEFAULT, name)); }

std::mutex g_mutex;
bool g_configured = false;
ThreadSettings g_settings;

ThreadSettings apply(int intraOp, int blas, const std::string& source)
{
    at::set_num_threads(intraOp);
    if (auto set = blasSymbol<SetThreads>("openblas_set_num_threads"))
        set(blas);
    g_settings = { intraOp, blas, source };
    g_configured = true;
    return g_settings;
}

} // namespace

int hardwareThreads() { return std::max(1u, std::thread::hardware_concurrency()); }

ThreadSettings configureThreads(int intraOp, int blas)
{
    std::lock_guard lock(g_mutex);
    return apply(std::max(1, intraOp), std::max(1, blas), "user");
}

// The default: LibTorch's OpenMP pool gets one thread per core and OpenBLAS gets one thread. LibTorch
// calls BLAS from inside its own parallel regions (convolutions as im2col + GEMM per image), where an
// OpenBLAS pool of one thread per core on top of OpenMP's oversubscribes the cores; and for a plain
// matrix product from one thread, OpenMP-parallel packing keeps both cores busy anyway.
// bench/threads.sh measures every combination; its numbers are in the README.
ThreadSettings configureThreads(int requested)
{
    std::lock_guard lock(g_mutex);
    if (requested > 0)
        return apply(requested, 1, "user");
    if (const char* env = std::getenv("MAAS_THREADS")) {
        const int n = std::atoi(env);
        if (n > 0)
            return apply(n, 1, "MAAS_THREADS");
    }
    return apply(hardwareThreads(), 1, "default");
}

ThreadSettings currentThreads()
{
    ensureThreadsConfigured();
    std::lock_guard lock(g_mutex);
    return g_settings;
}

void ensureThreadsConfigured()
{
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
        return std::string("OpenBLAS ") + config();
    return "reference BLAS (slow: install libopenblas0)";
}

std::string runtimeSummary()
{
    const auto t = currentThreads();
    return "LibTorch " + libtorchVersion() + " · " + blasLibrary() + " · threads " + std::to_string(t.intraOp)
        + " intra-op, " + std::to_string(t.blas) + " BLAS (" + t.source + ")";
}

} // namespace maas::engine
