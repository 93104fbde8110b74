#!/usr/bin/env bash
# The ONNX export's speed target (issue 16): resnet18 and mobilenet_v2 exported by maas and by
# torch.onnx.export, run in ONNX Runtime side by side in one run, with LibTorch's best beside them.
#   ./scripts/bench-onnx.sh [REPEATS]     (a minute or two; the machine should be idle)
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup-debian.sh
./scripts/build.sh >/dev/null
build=${MAAS_BUILD_DIR:-build}
ort="$build/tests/onnxruntime"
[ -d "$ort/node_modules/onnxruntime-node" ] \
  || npm install --ignore-scripts --no-audit --no-fund --prefix "$ort" onnxruntime-node@1.30.0 >/dev/null
/usr/bin/python3 tests/onnx/bench_onnx.py "$build/app/cli/maas" "$(realpath "$ort")" "$build/bench/onnx" "${1:-60}"
