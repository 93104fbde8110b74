#!/usr/bin/env bash
# Workbench benchmark: cold start with 1,000 models in the library, scrolling and filtering frame times,
# a 50 MB import against hashing and a bare copy, and the UI thread's lateness while a CNN trains.
#   ./scripts/bench-workbench.sh [COUNT]     (COUNT library models, default 1000; about 3 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup-debian.sh
./scripts/build.sh >/dev/null
build=${MAAS_BUILD_DIR:-build}
models="$build/bench/workbench"
if [ ! -f "$models/big_50mb.pt" ] || [ "$(ls "$models/library" 2>/dev/null | wc -l)" -ne "${1:-1000}" ]; then
    rm -rf "$models"
    /usr/bin/python3 widgets/bench/make_library_models.py "$models" "${1:-1000}"
fi
# Without a display the windows render offscreen (the same painting, no screen).
[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] || export QT_QPA_PLATFORM=offscreen
"$build/widgets/bench/maas-bench-workbench" "$models" "$build/app/workbench/maas-workbench"
