#pragma once

#include <string>

namespace maas::engine {

/// What dominates a model's compute, which decides which thread pool gets the cores (see runtime.cpp).
enum class Workload {
    Convolution, ///< oneDNN convolutions and quantized kernels, parallel on LibTorch's OpenMP pool
    MatrixProducts, ///< linear layers and RNNs, parallel inside OpenBLAS
};

/// Threads of LibTorch's intra-op (OpenMP) pool and of OpenBLAS's own pool.
struct ThreadSplit {
    int intraOp = 1;
    int blas = 1;
    bool operator==(const ThreadSplit& o) const { return intraOp == o.intraOp && blas == o.blas; }
    bool operator!=(const ThreadSplit& o) const { return !(*this == o); }
};

/// The most threads a budget may name (--threads, MAAS_THREADS, the preference): more is a mistake.
constexpr int kMaxThreads = 1024;

/// What is wrong with the MAAS_THREADS environment variable, as a sentence; empty when it is unset or a
/// whole number from 1 to kMaxThreads. The engine ignores a wrong value; front ends say so.
std::string threadsEnvironmentProblem();

/// The process's thread policy, a plain value decided once (configureThreads, MAAS_THREADS or the user's
/// preference) and never changed by running a model. It says how many threads the work may use and, for
/// each workload, which pool gets them; the engine applies that split only while no other engine call
/// runs (see runtime.cpp), so models running at the same time never re-split the pools under each other.
struct ThreadPolicy {
    int budget = 1; ///< threads the user allows the model's work
    std::string source = "default"; ///< "default", "MAAS_THREADS", "user" or "exact"
    bool exact = false; ///< both pools pinned to `pinned` whatever the workload (benchmarks)
    ThreadSplit pinned;

    /// budget <= 0 means MAAS_THREADS when it is set and valid, else one thread per core; at most kMaxThreads.
    static ThreadPolicy withBudget(int budget);
    /// Both pools pinned exactly, whatever the workload.
    static ThreadPolicy pinnedTo(int intraOp, int blas);
    /// The budget on OpenMP for convolutions and on OpenBLAS for matrix products (or the pinned split).
    ThreadSplit splitFor(Workload workload) const;
};

/// The policy and the split the pools have now, for `--version`, `maas bench` and the status bar.
struct ThreadSettings {
    int budget = 0; ///< threads the user allows the model's work (default: one per core)
    int intraOp = 0; ///< LibTorch's intra-op (OpenMP) threads in force
    int blas = 0; ///< OpenBLAS's own threads in force
    std::string source; ///< "default", "MAAS_THREADS", "user" or "exact"
};

/// Sets the process's thread policy. Call it at start-up (or when the user changes the preference); the
/// pools follow as soon as no engine call is running.
ThreadSettings setThreadPolicy(const ThreadPolicy& policy);
/// The policy in force (the default one is set on first use if nobody set one).
ThreadPolicy threadPolicy();

/// setThreadPolicy(ThreadPolicy::withBudget(budget)): budget <= 0 means MAAS_THREADS or one per core.
ThreadSettings configureThreads(int budget = 0);

/// Pins both pools exactly, whatever the workload (for benchmarks that sweep the combinations).
ThreadSettings configureThreads(int intraOp, int blas);

/// The setting in force (configureThreads() is applied on first use if nobody called it).
ThreadSettings currentThreads();

std::string libtorchVersion();
/// The BLAS library LibTorch's matrix products run on, e.g. "OpenBLAS 0.3.21 ... Haswell".
std::string blasLibrary();
int hardwareThreads();
/// One line for `--version` and the status bar: "LibTorch 1.13.0 · OpenBLAS ... · threads ...".
std::string runtimeSummary();

} // namespace maas::engine
