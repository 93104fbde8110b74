#!/usr/bin/env bash
# Set-up, build, then the main job. With a display it opens the workbench; without one it shows the
# command line on a real model: a ResNet-18 made by PyTorch, inspected and run on an image.
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
set -x
"$maas" --version
"$maas" inspect "$demo/resnet18.pt" --input-shape 1,3,224,224 --depth 1
"$maas" card "$demo/cnn.pt"
"$maas" predict "$demo/cnn.pt" "$demo/cnn.image.png" --top-k 3
"$maas" predict "$demo/mlp.pt" "$demo/mlp.rows.csv" --top-k 2
"$maas" predict "$demo/text.pt" "a great movie" "an awful movie"
