#!/usr/bin/env bash
# Optimization benchmark: maas quantize and maas optimize against Python PyTorch's quantize_dynamic_jit
# and optimize_for_inference on the same models and threads, and the Fashion-MNIST accuracy targets.
#   ./scripts/bench-optimize.sh [ROUNDS]     (default 3; about 10 minutes; the machine should be idle)
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup-debian.sh
./scripts/build.sh >/dev/null
build=${MAAS_BUILD_DIR:-build}
out="$build/bench/optimize"
mkdir -p "$out"
/usr/bin/python3 tests/fixtures/make_fixtures.py "$out" >/dev/null
/usr/bin/python3 engine/bench/make_bench_models.py "$out"
/usr/bin/python3 engine/bench/bench_optimize.py "$build/app/cli/maas" /usr/share/datasets/fashion-mnist "$out" "${1:-3}"
