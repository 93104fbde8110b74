#pragma once

#include <string>

namespace maas::engine {

/// How many threads LibTorch and the BLAS library may use.
struct ThreadSettings {
    int intraOp = 0; ///< LibTorch's intra-op (OpenMP) threads
    int blas = 0; ///< OpenBLAS's own threads
    std::string source; ///< "default", "MAAS_THREADS" or "user"
};

/// Applies a thread setting. requested <= 0 picks the default: see runtime.cpp for why it is what it is.
/// The environment variable MAAS_THREADS overrides the default but not an explicit request.
ThreadSettings configureThreads(int requested = 0);

/// Sets the two pools independently (for benchmarks that sweep the combinations).
ThreadSettings configureThreads(int intraOp, int blas);

/// The setting in force (configureThreads() is applied on first use if nobody called it).
ThreadSettings currentThreads();

std::string libtorchVersion();
/// The BLAS library LibTorch's matrix products run on, e.g. "OpenBLAS 0.3.21 (pthread)".
std::string blasLibrary();
int hardwareThreads();
/// One line for `--version` and the status bar: "LibTorch 1.13.1 · OpenBLAS ... · threads 2 (default)".
std::string runtimeSummary();

} // namespace maas::engine
