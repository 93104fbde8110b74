#pragma once

#include <string>

namespace maas::engine {

/// What dominates a model's compute, which decides which thread pool gets the cores (see runtime.cpp).
enum class Workload {
    Convolution, ///< oneDNN convolutions, parallel on LibTorch's OpenMP pool
    MatrixProducts, ///< linear layers and RNNs, parallel inside OpenBLAS
};

/// How many threads LibTorch and the BLAS library may use.
struct ThreadSettings {
    int budget = 0; ///< threads the user allows the model's work (default: one per core)
    int intraOp = 0; ///< LibTorch's intra-op (OpenMP) threads
    int blas = 0; ///< OpenBLAS's own threads
    std::string source; ///< "default", "MAAS_THREADS", "user" or "exact"
};

/// Sets the thread budget: budget <= 0 means one thread per core, or MAAS_THREADS when set.
/// The budget goes to one pool at a time, chosen by the workload of the model being run.
ThreadSettings configureThreads(int budget = 0);

/// Pins both pools exactly, whatever the workload (for benchmarks that sweep the combinations).
ThreadSettings configureThreads(int intraOp, int blas);

/// Gives the budget to the pool that does this workload's work (no-op when pinned exactly).
/// The engine calls it before running a model; callers rarely need to.
ThreadSettings useThreadsFor(Workload workload);

/// The setting in force (configureThreads() is applied on first use if nobody called it).
ThreadSettings currentThreads();

std::string libtorchVersion();
/// The BLAS library LibTorch's matrix products run on, e.g. "OpenBLAS 0.3.21 ... Haswell".
std::string blasLibrary();
int hardwareThreads();
/// One line for `--version` and the status bar: "LibTorch 1.13.0 · OpenBLAS ... · threads ...".
std::string runtimeSummary();

} // namespace maas::engine
