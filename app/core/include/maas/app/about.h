#pragma once

#include <QString>

namespace maas::app {

/// The program's version, e.g. "0.2.0" (set once, in the top CMakeLists.txt).
QString version();

/// Versions of everything the program stands on, one line: Qt, LibTorch, BLAS, threads.
QString runtimeSummary();

/// The same for a status bar, in words: "2 threads · LibTorch 1.13 · OpenBLAS" (translated).
QString runtimeInWords();

} // namespace maas::app
