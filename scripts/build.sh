#!/usr/bin/env bash
# Configures and builds into build/ (or $MAAS_BUILD_DIR). Used by the other scripts.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${MAAS_BUILD_DIR:-build}
jobs=${MAAS_JOBS:-$(nproc)}
# Warnings are errors in the project's own builds (the README's commands, CI); MAAS_WERROR=OFF to relax.
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMAAS_WERROR="${MAAS_WERROR:-ON}" >/dev/null
cmake --build "$build" --parallel "$jobs"
