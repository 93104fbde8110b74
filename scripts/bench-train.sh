#!/usr/bin/env bash
# Training benchmark: Fashion-MNIST accuracy targets (MLP 10 epochs, CNN 5 epochs), training throughput
# against Python PyTorch with the same threads, peak memory, and the Debian text-classification target.
#   ./scripts/bench-train.sh [--quick]      (about 10 minutes on 2 cores; --quick: 1 epoch each)
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup-debian.sh
./scripts/build.sh >/dev/null
build=${MAAS_BUILD_DIR:-build}
/usr/bin/python3 engine/bench/bench_train.py "$build/app/cli/maas" /usr/share/datasets/fashion-mnist "$build/bench/train" "$@"
