#!/usr/bin/env bash
# Set-up, build, then the main job. With a display it opens the workbench; without one it shows the
# command line on real models and real data: a ResNet-18 made by PyTorch inspected and run, a text
# classifier trained on the descriptions of Debian's packages and asked the seed's own sentence, then a
# Fashion-MNIST classifier trained, evaluated on the test set and inspected.
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
# A real text corpus: every Debian package's one-line description, labelled with its section.
if ! /usr/bin/python3 scripts/make_debian_text_corpus.py "$demo/debian.csv"; then
  apt-get update -qq && /usr/bin/python3 scripts/make_debian_text_corpus.py "$demo/debian.csv"
fi
set -x
"$maas" --version
"$maas" inspect "$demo/resnet18.pt" --input-shape 1,3,224,224 --depth 1
"$maas" predict "$demo/cnn.pt" "$demo/cnn.image.png" --top-k 3
"$maas" train --arch text --data "$demo/debian.csv" --validation 0.2 --epochs 6 --patience 2 -o "$demo/debian-sections.pt"
"$maas" predict "$demo/debian-sections.pt" "I love machine learning!" "Rust bindings for the zlib compression library" --top-k 3
"$maas" new --arch mlp --data "$fashion" --set hidden=256,128 --set dropout=0.2 -o "$demo/fashion-mlp.pt"
"$maas" train "$demo/fashion-mlp.pt" --data "$fashion" --epochs 3 --schedule cosine -o "$demo/fashion-mlp.trained.pt"
"$maas" eval "$demo/fashion-mlp.trained.pt" --data "$fashion"
"$maas" inspect "$demo/fashion-mlp.trained.pt"
"$maas" predict "$demo/fashion-mlp.trained.pt" "$demo/cnn.image.png" --top-k 3
# Shrink it: int8 within one accuracy point, 80% of its weights pruned with a fine-tuning epoch, half its
# neurons removed, and a student a quarter its size distilled from it; then the int8 child beside it.
"$maas" quantize "$demo/fashion-mlp.trained.pt" --data "$fashion" --max-drop 1 -o "$demo/fashion-mlp.int8.pt"
"$maas" prune "$demo/fashion-mlp.trained.pt" --sparsity 80% --epochs 1 --data "$fashion" -o "$demo/fashion-mlp.sparse.pt"
"$maas" prune "$demo/fashion-mlp.trained.pt" --structured --sparsity 50% --epochs 1 --data "$fashion" -o "$demo/fashion-mlp.narrow.pt"
"$maas" distill "$demo/fashion-mlp.trained.pt" --student '{"arch": "mlp", "hidden": [64]}' --epochs 2 --data "$fashion" -o "$demo/fashion-mlp.student.pt"
"$maas" compare "$demo/fashion-mlp.trained.pt" "$demo/fashion-mlp.int8.pt"
