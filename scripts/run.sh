#!/usr/bin/env bash
# Set-up, build, then the main job. With a display it opens the workbench; without one it runs `maas demo`
# (two models trained on real data, quantized, measured, published to the local endpoint and called
# there), then more of the command line on the demo's model and on a ResNet-18 made by PyTorch.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup-debian.sh
./scripts/build.sh
build=${MAAS_BUILD_DIR:-build}
if [[ -n ${DISPLAY:-}${WAYLAND_DISPLAY:-} ]]; then
  exec "$build/app/workbench/maas-workbench" "$@"
fi
echo "No display found (DISPLAY and WAYLAND_DISPLAY are unset): showing the maas command line instead."
demo="$build/demo"
mkdir -p "$demo"
/usr/bin/python3 tests/fixtures/make_fixtures.py "$demo" >/dev/null
maas="$build/app/cli/maas"
fashion=/usr/share/datasets/fashion-mnist
# `maas demo` makes its text corpus from apt's package lists; a machine that never ran apt-get update has none.
apt-cache dumpavail | grep -q '^Package:' || apt-get update -qq
set -x
"$maas" --version
# The whole path in one command: train, quantize and measure two models on real data, publish them to the
# local endpoint, call them there.
"$maas" demo --out "$demo/path"
"$maas" remote list --on local
"$maas" inspect "$demo/resnet18.pt" --input-shape 1,3,224,224 --depth 1
"$maas" predict "$demo/cnn.pt" "$demo/cnn.image.png" --top-k 3
# More ways to shrink the demo's Fashion-MNIST model: 80% of its weights pruned with a fine-tuning epoch,
# half its neurons removed, a student a quarter its size distilled from it; then its int8 child beside it.
model="$demo/path/fashion.pt"
"$maas" eval "$model" --data "$fashion"
"$maas" prune "$model" --sparsity 80% --epochs 1 --data "$fashion" -o "$demo/fashion.sparse.pt"
"$maas" prune "$model" --structured --sparsity 50% --epochs 1 --data "$fashion" -o "$demo/fashion.narrow.pt"
"$maas" distill "$model" --student '{"arch": "mlp", "hidden": [64]}' --epochs 2 --data "$fashion" -o "$demo/fashion.student.pt"
"$maas" compare "$model" "$demo/path/fashion.int8.pt"
# The same model for any other runtime: ONNX (checked by ONNX's checker), read back without running it.
"$maas" export "$model" --onnx "$demo/fashion.onnx"
"$maas" inspect "$demo/fashion.onnx"
"$maas" endpoint stop local
