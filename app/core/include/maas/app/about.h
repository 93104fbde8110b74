#pragma once

#include <QString>

namespace maas::app {

/// The program's version, e.g. "0.1.0".
QString version();

/// Versions of everything the program stands on, one line: Qt, LibTorch, BLAS, threads.
QString runtimeSummary();

} // namespace maas::app
