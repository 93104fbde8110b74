#!/usr/bin/env bash
# Inference benchmark: the engine's predict against a bare LibTorch forward loop (same process, same
# model, same threads, interleaved), Python PyTorch on the same model and threads, and a sweep of
# LibTorch x OpenBLAS thread settings. Prints a table; the raw JSON is kept in build/bench/.
#   ./scripts/bench.sh [ITERATIONS]      (default 30; the machine should be otherwise idle)
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup-debian.sh
./scripts/build.sh >/dev/null
build=${MAAS_BUILD_DIR:-build}
out="$build/bench"
iterations=${1:-30}
mkdir -p "$out"
/usr/bin/python3 tests/fixtures/make_fixtures.py "$out" >/dev/null
/usr/bin/python3 engine/bench/make_bench_models.py "$out"

bench() { # NAME MODEL SHAPE
  "$build/engine/bench/maas-bench-predict" "$2" "$3" "$iterations" --sweep >"$out/$1.json"
  local threads
  threads=$(/usr/bin/python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["default_threads"]; print(t["intra_op"], t["blas"])' "$out/$1.json")
  # shellcheck disable=SC2086 # two numbers: OpenMP and BLAS threads
  /usr/bin/python3 engine/bench/peer_predict.py "$2" "$3" "$iterations" $threads >"$out/$1.python.json"
}
bench resnet18 "$out/resnet18.pt" 1,3,224,224
bench mlp_4096 "$out/mlp_4096.pt" 16,1024

/usr/bin/python3 - "$out" <<'PY'
import json, sys, os
out = sys.argv[1]
print(json.load(open(os.path.join(out, "resnet18.json")))["runtime"])
print("threads chosen per model; the Python peer runs with the same OpenMP and OpenBLAS threads")
print(f"{'model':10} {'threads':>8} {'bare LibTorch':>14} {'engine':>10} {'engine/bare':>12} {'Python':>10} {'engine/Python':>14} {'default/best':>13}")
for name in ("resnet18", "mlp_4096"):
    r = json.load(open(os.path.join(out, name + ".json")))
    p = json.load(open(os.path.join(out, name + ".python.json")))
    t = r["default_threads"]
    print(f"{name:10} {str(t['intra_op']) + 'x' + str(t['blas']):>8} {r['bare_ms']:11.2f} ms {r['engine_ms']:7.2f} ms {r['engine_over_bare']:12.3f} "
          f"{p['python_ms']:7.2f} ms {r['engine_ms'] / p['python_ms']:14.3f} {r['default_over_best']:13.3f}")
    print("   sweep (intra-op x BLAS threads): " + ", ".join(
        f"{s['intra_op']}x{s['blas']} {s['bare_ms']:.2f} ms" for s in r["sweep"]))
PY
