#!/usr/bin/env bash
# The onnx test's set-up: onnxruntime-node from the npm registry into DIR, once per build folder
# (--ignore-scripts: its install script fetches optional GPU files from elsewhere; the CPU library is
# inside the package). When the registry cannot be reached (no network, or a proxy whose certificate this
# machine does not trust), it says so and exits 77, which CTest reports as skipped; the onnx test then
# skips too, naming the reason.
set -uo pipefail
dir=$1
[[ -f $dir/node_modules/onnxruntime-node/package.json ]] && exit 0
if ! command -v npm >/dev/null; then
  echo "skipped: npm is not installed (scripts/setup-debian.sh installs it)" >&2
  exit 77
fi
if ! log=$(npm install --ignore-scripts --no-audit --no-fund --prefix "$dir" onnxruntime-node@1.30.0 2>&1); then
  reason=$(grep -m1 -i "reason\|ERR! code" <<<"$log")
  echo "skipped: onnxruntime-node could not be installed from the npm registry (${reason:-see the npm log})" >&2
  exit 77
fi
