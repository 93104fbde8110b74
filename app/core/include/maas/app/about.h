#pragma once

#include <QString>

namespace maas::app {

/// The program's version, e.g. "0.1.0".
QString version();

/// Versions of everything the program stands on, one line: Qt, LibTorch, BLAS, threads.
QString runtimeSummary();

/// The same for a status bar, in words: "2 threads · LibTorch 1.13 · OpenBLAS" (translated).
QString runtimeInWords();

} // namespace maas::app
